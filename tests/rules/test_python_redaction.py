"""No finding ever shows a secret in full: JWTs and hard-coded keys are redacted in messages."""

from __future__ import annotations

import pytest

from authlint.facts.model import JwtConfig, JwtMint, JwtVerify
from authlint.facts.secrets.patterns import JWT as JWT_RE
from authlint.files.source import Source
from authlint.rules import registry
from authlint.run.context import FileContext
from authlint.testing import lint_files

SECRET_RULES = ("JWT004", "JWT005", "JWT007")
CASES = [
    pytest.param(rule.code, example, id=f"{rule.code}-{i}")
    for rule in registry().values()
    if rule.code in SECRET_RULES
    for i, example in enumerate(rule.examples)
    if not example.valid
]


def _secrets(relpath: str, text: str) -> set[str]:
    """The hard-coded keys the extractor sees, and every JWT literal."""
    from pathlib import Path

    from authlint.files.classify import classify

    kind = classify(Path(relpath).name, text.encode("utf-8")) or "python"
    ctx = FileContext(Source.from_text(text, relpath, kind))
    found = {m.group(0) for m in JWT_RE.finditer(text)}
    for fact in ctx.facts.items:
        if isinstance(fact, (JwtMint, JwtVerify)) and fact.key is not None:
            found |= {v for v in (fact.key.value, fact.key.fallback) if isinstance(v, str)}
        if isinstance(fact, JwtConfig):
            found |= {o.value.value for o in fact.settings.items.values() if isinstance(o.value.value, str)}
    return {secret for secret in found if len(secret) >= 4}


@pytest.mark.parametrize("code, example", CASES)
def test_messages_never_contain_the_secret(code: str, example) -> None:
    files = {**example.files, example.path: example.code}
    secrets = set().union(*(_secrets(relpath, text) for relpath, text in files.items()))
    result = lint_files(files, select=[code])
    assert result.diagnostics
    for diag in result.diagnostics:
        assert not JWT_RE.search(diag.message), diag.message
        for secret in secrets:
            assert secret not in diag.message, (secret, diag.message)


@pytest.mark.parametrize("code, example", CASES)
def test_code_frames_never_show_the_secret(code: str, example) -> None:
    """Reports print the flagged lines through ``safe_line``: the file's secret spans make that safe."""
    from authlint.facts.secrets import FINDERS
    from authlint.report.base import safe_line

    files = {**example.files, example.path: example.code}
    secrets = set().union(*(_secrets(relpath, text) for relpath, text in files.items()))
    for diag in lint_files(files, select=[code]).diagnostics:
        if not FINDERS.get(diag.source.kind) and not JWT_RE.search(diag.source.text):
            pytest.skip(f"no secret finder for {diag.source.kind} files yet: only the pattern set masks")
        for line in range(diag.start[0], diag.end[0] + 1):
            shown = safe_line(diag, line).text
            for secret in secrets:
                assert secret not in shown, (secret, shown)
