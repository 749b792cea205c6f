"""No rule branches on a language or a library name: facts carry the meaning in fields made for it.

A rule is written once against language-neutral facts; where libraries differ in *behaviour*, the
fact says so in a field the rule can name (``credentials_default``, ``unit``), never through its
library, framework, function or language name. The fix kit (``rules/kit``) is the one place that
knows how each language spells a value, so it is exempt.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from tests.shared import ROOT

RULES_DIR = ROOT / "rules"
NAME_FIELDS = frozenset({"lang", "library", "framework", "function"})
LANGUAGE_NAMES = frozenset({"python", "javascript", "typescript"})
LANGUAGE_CONSTANTS = frozenset({"PYTHON", "JAVASCRIPT", "TYPESCRIPT", "JS_KINDS", "PY"})
RETIRED_HELPERS = ("authlint.rules.kit.legacy_codegen", "authlint.rules.kit.common", "authlint.rules._common")  # gone: never again


def rule_modules() -> list[Path]:
    return sorted(p for p in RULES_DIR.rglob("*.py") if "kit" not in p.relative_to(RULES_DIR).parts)


def offences(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and node.attr in NAME_FIELDS and isinstance(node.ctx, ast.Load):
            found.append(f"line {node.lineno}: reads `.{node.attr}`")
        elif isinstance(node, ast.Compare):
            for operand in (node.left, *node.comparators):
                if isinstance(operand, ast.Constant) and operand.value in LANGUAGE_NAMES:
                    found.append(f"line {node.lineno}: compares with {operand.value!r}")
                elif isinstance(operand, ast.Name) and operand.id in LANGUAGE_CONSTANTS:
                    found.append(f"line {node.lineno}: compares with {operand.id}")
        elif isinstance(node, ast.ImportFrom) and node.module:
            names = [f"{node.module}.{alias.name}" for alias in node.names]
            if any(n.startswith(RETIRED_HELPERS) or node.module.startswith(RETIRED_HELPERS) for n in names):
                found.append(f"line {node.lineno}: imports a retired helper ({node.module})")
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "chr":
            found.append(f"line {node.lineno}: builds code with chr()")
    return found


@pytest.mark.parametrize("path", rule_modules(), ids=lambda p: p.relative_to(RULES_DIR).as_posix())
def test_rule_module_names_no_language_or_library(path: Path) -> None:
    assert offences(path) == []
