"""Fixture deployments for NATS clients configured outside code and seeds committed anywhere
(tests/fixtures/nats-clientenv): each ``bad`` project is reported where the value is written, and
its corrected twin (``fixed``: the password the server's bcrypt hash was made from, reads without a
fallback, a context on the project's own server, seeds kept out of the repository) stays silent."""

from __future__ import annotations

from pathlib import Path

import pytest

from authlint.testing import lint_files

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "nats-clientenv"
CODES = ["NAT004", "NAT005", "NAT009", "NAT010", "NAT014"]

# project -> the findings of its bad twin: (code, path, line, a piece of the message)
EXPECTED = {
    "compose-env": [
        ("NAT010", "context/ops.json", 4, "nats context `ops` user `ops` is not a user of nats/nats-server.conf"),
        ("NAT014", "context/ops.json", 3, "nats context `ops` connects to `demo.nats.io`"),
        ("NAT010", "worker.env", 2, "Compose service `worker` (`NATS_USER` in `worker.env`) password"),
        ("NAT004", "worker/app.py", 11, "NATS password falls back to the hard-coded `ch******`"),
        ("NAT005", "worker/app.py", 11, "weak fallback password of `NATS_PASSWORD`"),
    ],
    "nsc-store": [
        ("NAT009", ".devcontainer/devcontainer.env", 2, "user nkey seed SU********** is committed"),
        ("NAT009", "nsc/keys/A/AA/AAAXAUVSGK7TCRHFIRAS4SYXVJ76EWDMNXZM3UY5CQHN4WXNDQJEZNDF.nk", 1, "account nkey seed"),
        ("NAT009", "nsc/keys/O/AL/OALXP3N5XK6VFGXVMZA3BNUCMUDKXZH6VNMPJR2RNBBFQCV5IOWF3YJ.nk", 1, "operator nkey seed"),
    ],
}


def _files(folder: Path) -> dict[str, str]:
    return {path.relative_to(folder).as_posix(): path.read_text(encoding="utf-8")
            for path in sorted(folder.rglob("*")) if path.is_file()}


def _found(folder: Path) -> list[tuple[str, str, int, str]]:
    result = lint_files(_files(folder), select=CODES)
    assert not result.errors, result.errors
    return sorted(((d.code, d.path, d.start[0], d.message) for d in result.diagnostics), key=lambda f: (f[1], f[2], f[0]))


@pytest.mark.parametrize("project", sorted(EXPECTED))
def test_the_bad_twin_is_reported_where_the_value_is_written(project: str) -> None:
    found = _found(FIXTURES / project / "bad")
    expected = sorted(EXPECTED[project], key=lambda f: (f[1], f[2], f[0]))
    assert [(code, path, line) for code, path, line, _ in found] == [e[:3] for e in expected], found
    for (*_, message), (*_, piece) in zip(found, expected):
        assert piece in message, message


@pytest.mark.parametrize("project", sorted(EXPECTED))
def test_the_corrected_twin_stays_silent(project: str) -> None:
    assert _found(FIXTURES / project / "fixed") == []


def test_no_secret_of_the_bad_twins_is_shown() -> None:
    for project in EXPECTED:
        files = _files(FIXTURES / project / "bad")
        for _, _, _, message in _found(FIXTURES / project / "bad"):
            for secret in ("Vq3LwN8rT2yUx5pKs9mY", "Vq3LwN8rT2yUx5pKs9mZ", "changeme", "SUAMK2FG4MI6", "SAAASUPRY3ON"):
                assert secret not in message, message
        assert files  # the fixture exists
