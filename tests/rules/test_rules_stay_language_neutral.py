"""No rule branches on a language or a library name: facts carry the meaning in fields made for it.

Nor does it assemble the text of an edit by hand: values are rendered by the kit, in the file's own
syntax and quote style. A rule is written once against language-neutral facts; where libraries differ in *behaviour*, the
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


def _is_edit(func: ast.expr) -> bool:
    """``Edit(...)``, ``Edit.replace(...)``, ``Edit.insert(...)``."""
    if isinstance(func, ast.Name):
        return func.id == "Edit"
    return isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) and func.value.id == "Edit"


def _built_code(args: list[ast.expr]) -> bool:
    """Text put into a file that was assembled by hand: an f-string, a ``+`` of strings, or a quoted
    literal (a string value written with its quotes)."""
    for arg in args:
        if isinstance(arg, ast.JoinedStr) or (isinstance(arg, ast.BinOp) and isinstance(arg.op, ast.Add)):
            return True
        if isinstance(arg, ast.Constant) and isinstance(arg.value, str) and arg.value[:1] in ("'", '"', "`"):
            return True
    return False


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
        elif isinstance(node, ast.Call) and _is_edit(node.func) and _built_code(node.args[1:] + [k.value for k in node.keywords]):
            found.append(f"line {node.lineno}: an edit's text is built by hand (use rules/kit to render it)")
    return found


@pytest.mark.parametrize("path", rule_modules(), ids=lambda p: p.relative_to(RULES_DIR).as_posix())
def test_rule_module_names_no_language_or_library(path: Path) -> None:
    assert offences(path) == []
