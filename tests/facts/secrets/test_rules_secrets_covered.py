"""Every value the secret-reporting rules treat as a secret lies inside a secret span of its file.

The rules name their secrets in two ways: they redact them in messages (``redact(value)``) and
declare them on the diagnostic (``Diagnostic.secrets``). Both are recorded while the rules run over
the repository's own examples and fixtures and over every example of those rules; each value must
then be written somewhere in the project with every one of its characters inside the spans the
finders report, so masking by spans hides at least what the old redaction hid.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Iterator

import pytest

from authlint.facts.secrets import secret_spans
from authlint.files.source import Span
from authlint.rules import registry
from authlint.run.context import FileContext
from authlint.run.engine import Linter
from authlint.testing import contexts_for, make_settings

REPO = Path(__file__).resolve().parents[3]
SECRET_RULES = ("JWT004", "JWT005", "NAT004", "NAT005", "NAT010", "SIO006")
PROJECTS = ("examples", "tests/fixtures/python", "tests/fixtures/js-clean", "tests/fixtures/js-e2e",
            "tests/fixtures/env/compose-weak/bad", "tests/fixtures/env/dotenv-single/bad")
SKIPPED_PARTS = ("node_modules", "package.json", "package-lock.json")


def _project(folder: str) -> dict[str, str]:
    root = REPO / folder
    return {
        path.relative_to(root).as_posix(): path.read_text(encoding="utf-8")
        for path in sorted(root.rglob("*"))
        if path.is_file() and not any(part in SKIPPED_PARTS for part in path.parts)
    }


def _example_projects() -> Iterator[Any]:
    rules = registry()
    for code in SECRET_RULES:
        for index, example in enumerate(rules[code].examples):
            overrides = {**example.settings, "select": [code]}
            if example.options:
                overrides["rule_options"] = {code: example.options}
            files = {**example.files, example.path: example.code}
            yield pytest.param(files, overrides, id=f"{code}-{index}")


@pytest.fixture
def named_secrets(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every value the secret rules hand to ``redact`` while the test runs."""
    import authlint.rule

    named: list[str] = []
    original = authlint.rule.mask_value

    def recording(secret: Any) -> Any:
        named.append(secret)
        return original(secret)

    monkeypatch.setattr(authlint.rule, "mask_value", recording)
    return named


def _spans(ctx: FileContext) -> tuple[Span, ...]:
    return ctx.source.secret_spans if ctx.source.secret_spans is not None else secret_spans(ctx)


def _covered(value: str, ctx: FileContext) -> bool | None:
    """True: some occurrence of ``value`` in the file is masked whole; False: none is; None: not
    written as is (a bytes literal's escapes)."""
    text = ctx.source.text
    at = text.find(value)
    if at == -1:
        return None
    spans = _spans(ctx)
    while at != -1:
        if all(any(span.start <= index < span.end for span in spans) for index in range(at, at + len(value))):
            return True
        at = text.find(value, at + 1)
    return False


def _uncovered(files: dict[str, str], overrides: dict[str, Any], named: list[str]) -> tuple[list[str], int]:
    settings = make_settings(**overrides)
    contexts = contexts_for(files, settings)
    result = Linter(settings).check(contexts)
    assert not result.errors, result.errors
    values = [v for v in named if isinstance(v, str) and v]
    for diagnostic in result.diagnostics:
        if diagnostic.code in SECRET_RULES:
            values.extend(v for v in getattr(diagnostic, "secrets", ()) if v)
    missing, checked = [], 0
    for value in dict.fromkeys(values):
        verdicts = [_covered(value, ctx) for ctx in contexts]
        if all(verdict is None for verdict in verdicts):
            continue
        checked += 1
        if not any(verdicts):
            missing.append(value)
    return missing, checked


@pytest.mark.parametrize("folder", PROJECTS)
def test_repository_projects(folder: str, named_secrets: list[str]) -> None:
    missing, _ = _uncovered(_project(folder), {"select": ["ALL"]}, named_secrets)
    assert missing == []


@pytest.mark.parametrize("files, overrides", list(_example_projects()))
def test_rule_examples(files: dict[str, str], overrides: dict[str, Any], named_secrets: list[str]) -> None:
    missing, _ = _uncovered(files, overrides, named_secrets)
    assert missing == []


def test_the_check_is_not_empty(named_secrets: list[str]) -> None:
    """The repository's examples and the rules' own examples do name secrets: the tests above
    compare real values, not an empty list."""
    total = 0
    for folder in PROJECTS:
        total += _uncovered(_project(folder), {"select": ["ALL"]}, named_secrets)[1]
        named_secrets.clear()
    for param in _example_projects():
        files, overrides = param.values
        total += _uncovered(files, overrides, named_secrets)[1]
        named_secrets.clear()
    assert total >= 20, total
