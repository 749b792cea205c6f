"""Fixture projects where deployment files give the code its JWT key (tests/fixtures/env): each
``bad`` project is reported where the value is written, and its corrected twin (``fixed``: a strong
value, one env_file for both services, a Kubernetes Secret, only a template) stays silent."""

from __future__ import annotations

from pathlib import Path

import pytest

from authlint.testing import lint_files

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "env"
CODES = ["JWT004", "JWT005"]

# project -> the findings of its bad twin: (code, path, line, a piece of the message)
EXPECTED = {
    "compose-weak": [("JWT004", ".env", 2, "auth/app.py:9 signs tokens (and 1 more)")],
    "compose-mismatch": [("JWT005", "docker-compose.yml", 9, "signed by auth/app.py:9 with another value (`JWT_SECRET` at docker-compose.yml:5)")],
    "k8s-mismatch": [("JWT005", "deploy/gateway.yaml", 20, "gateway/src/auth.ts:6 verifies tokens")],
    "dotenv-single": [("JWT004", ".env", 2, "app/__init__.py:9 signs tokens")],
}


def _files(folder: Path) -> dict[str, str]:
    return {path.relative_to(folder).as_posix(): path.read_text(encoding="utf-8")
            for path in sorted(folder.rglob("*")) if path.is_file()}


@pytest.mark.parametrize("project", sorted(EXPECTED))
def test_the_bad_twin_is_reported_where_the_value_is_written(project: str) -> None:
    result = lint_files(_files(FIXTURES / project / "bad"), select=CODES)
    assert not result.errors, result.errors
    found = [(d.code, d.path, d.start[0], d.message) for d in result.diagnostics]
    assert [(code, path, line) for code, path, line, _ in found] == [e[:3] for e in EXPECTED[project]], found
    for (*_, message), (*_, piece) in zip(found, EXPECTED[project]):
        assert piece in message, message


@pytest.mark.parametrize("project", sorted(EXPECTED))
def test_the_corrected_twin_stays_silent(project: str) -> None:
    result = lint_files(_files(FIXTURES / project / "fixed"), select=CODES)
    assert not result.errors, result.errors
    assert result.diagnostics == [], [(d.path, d.start, d.message) for d in result.diagnostics]


def test_the_weak_value_is_masked_in_the_message() -> None:
    result = lint_files(_files(FIXTURES / "compose-weak" / "bad"), select=CODES)
    assert "supersecret" not in result.diagnostics[0].message


def test_a_value_not_named_like_a_secret_is_never_shown() -> None:
    """``JWT_SIGN`` is not masked (its name says nothing of a secret): reporting its line would print it."""
    files = {
        ".env": "JWT_SIGN=dev\n",
        "auth.py": "import os, jwt\nt = jwt.encode(p, os.environ['JWT_SIGN'], algorithm='HS256')\n",
        "api.py": "import os, jwt\nc = jwt.decode(t, os.environ['JWT_SIGN'], algorithms=['HS256'])\n",
    }
    assert lint_files(files, select=CODES).diagnostics == []
    assert lint_files({**files, ".env": "JWT_SIGN_KEY=dev\n"} | {
        "auth.py": files["auth.py"].replace("JWT_SIGN", "JWT_SIGN_KEY")}, select=["JWT004"]).diagnostics
