"""A project whose versions come from lock files (tests/fixtures/versions-lock): the vulnerable one
runs jsonwebtoken 8.5.1 and socket.io-client 2.4.0 against a python-socketio 5 server; its corrected
twin runs jsonwebtoken 9.0.2 and socket.io-client 4.7.5 and must stay silent for those rules.

Each is copied to its own repository (a ``.git`` marker makes it the project root) and checked
with the command line, as a user would."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "versions-lock"
VERSION_RULES = "JWT003,SIO008"


def _check(tmp_path: Path, name: str) -> list[dict]:
    root = tmp_path / name
    shutil.copytree(FIXTURES / name, root)
    (root / ".git").mkdir()
    done = subprocess.run([sys.executable, "-m", "authlint", "check", ".", "--select", VERSION_RULES,
                           "--output-format", "json", "--no-cache"],
                          cwd=root, capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode in (0, 1), done.stderr
    return json.loads(done.stdout)


def test_the_locked_versions_decide_the_findings(tmp_path: Path) -> None:
    found = {(d["code"], d["path"], d["line"]): d["message"] for d in _check(tmp_path, "vulnerable")}
    assert set(found) == {("JWT003", "auth.js", 6), ("SIO008", "web/package-lock.json", 12)}
    assert "jsonwebtoken before 9.0.0 (package-lock.json:16)" in found[("JWT003", "auth.js", 6)]
    sio = found[("SIO008", "web/package-lock.json", 12)]
    assert "socket.io-client 2.x (web/package-lock.json:12)" in sio and "python-socketio 5.x (requirements.txt:2)" in sio


def test_the_corrected_twin_is_silent(tmp_path: Path) -> None:
    assert _check(tmp_path, "fixed") == []
