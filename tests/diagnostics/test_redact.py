"""``scrub_line`` skips its regexes on lines that cannot match them: the result must not change."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from authlint.diagnostics import redact
from authlint.diagnostics.redact import scrub_line


def reference(line: str, secrets: tuple[str, ...] = (), code: bool = True) -> str:
    """``scrub_line`` with every regex always applied (no pre-checks)."""
    for secret in secrets:
        if secret and len(secret) >= 3:
            line = line.replace(secret, redact.redact(secret))
    line = redact.JWT_RE.sub(lambda m: redact.redact_jwt(m.group(0)), line)
    line = redact.NKEY_SEED_RE.sub(lambda m: m.group(0)[:2] + "*" * 10, line)

    def hide(match: re.Match[str]) -> str:
        value = match.group("value")
        if value.startswith(("$", "process.env", "os.environ", "os.getenv", "env(", "settings.")) or "*" in value:
            return match.group(0)
        if code and value.replace(".", "").isidentifier() and match.group("quote") == "":
            return match.group(0)
        return match.group("key") + match.group("quote") + redact.redact(value)

    line = redact.URL_CREDENTIALS.sub(lambda m: m.group("head") + redact.redact(m.group("value")), line)
    return redact.SECRET_ASSIGNMENT.sub(hide, line)


LINES = [
    'password = "hunter22"',
    "PASSWORD: s3cr3tvalue",
    "  api_key => 'abcd1234'",
    "PAſSWORD = 'folded-long-s'",  # re's IGNORECASE folds ſ to s: no ASCII pre-check may skip it
    "url: nats://user:pa55word@host:4222",
    "Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl",
    "seed: SUACSSL3UAHUDXKFSNVUZRF5UHPMWZ6BFDTJ7M6USDXIEDNPPQYYYCU3VY",
    "nothing to see here",
    "",
]


@pytest.mark.parametrize("line", LINES)
@pytest.mark.parametrize("code", [True, False])
def test_pre_checks_change_nothing(line: str, code: bool) -> None:
    assert scrub_line(line, ("hunter22",), code=code) == reference(line, ("hunter22",), code=code)


WORDS = st.sampled_from(
    ["password", "PASS", "token", "Secret", "api-key", "private_key", "seed", "credentials", "ſ", "K", "=", ":",
     "=>", " ", "'", '"', "`", "://", "@", "user", "eyJ", ".", "abcd1234", "$VAR", "os.environ", "x", "é"]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(WORDS, max_size=12).map("".join), st.booleans())
def test_pre_checks_change_nothing_on_generated_lines(line: str, code: bool) -> None:
    assert scrub_line(line, code=code) == reference(line, code=code)
