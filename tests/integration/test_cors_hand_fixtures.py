"""Fixture projects of hand-set CORS headers and of the credential channel (tests/fixtures/cors-hand):
allow-list-guarded echoes stay silent, a wildcard on a bearer-token API is a note, the same wildcard
on a cookie API is an error, and its corrected twin is silent."""

from __future__ import annotations

from pathlib import Path

from authlint.diagnostics.diagnostic import Severity
from authlint.testing import lint_files

ROOT = Path(__file__).resolve().parents[1] / "fixtures" / "cors-hand"
CORS_CODES = ("COR001", "COR002", "COR003", "SIO003")


def findings(project: str) -> list[tuple[str, str, Severity]]:
    files = {path.name: path.read_text(encoding="utf-8") for path in sorted((ROOT / project).iterdir())}
    result = lint_files(files, select=["ALL"])
    assert not result.errors, result.errors
    return [(d.code, d.path, d.severity) for d in result.diagnostics if d.code in CORS_CODES]


def test_allow_list_guarded_echoes_are_silent() -> None:
    assert findings("guarded") == []


def test_wildcard_on_a_bearer_token_api_is_a_note() -> None:
    assert findings("bearer-api") == [("COR001", "main.py", Severity.INFO)]


def test_wildcard_on_a_cookie_api_is_an_error_and_its_twin_is_silent() -> None:
    assert findings("cookie-api") == [("COR001", "main.py", Severity.ERROR)]
    assert findings("cookie-api-fixed") == []
