"""``authlint fix`` on a client/server pair: one fix edits both files (SIO006), the printed diff
covers both and applies with ``patch -p1``, ``--apply`` writes both, and ``check`` is clean after."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from authlint.cli.app import app

CLIENT = 'import { io } from "socket.io-client";\nexport const connect = (token) => io(URL, { query: { token } });\n'
SERVER = (
    'const { Server } = require("socket.io");\nconst io = new Server(3000);\n'
    'io.use((socket, next) => (verify(socket.handshake.query.token) ? next() : next(new Error("no"))));\n'
)


@pytest.fixture
def pair(tmp_path: Path, monkeypatch) -> Path:
    (tmp_path / ".git").mkdir()
    (tmp_path / "web").mkdir()
    (tmp_path / "web" / "client.js").write_text(CLIENT)
    (tmp_path / "api").mkdir()
    (tmp_path / "api" / "server.js").write_text(SERVER)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_the_diff_covers_both_files_and_is_a_patch(pair: Path, tmp_path_factory) -> None:
    printed = subprocess.run([sys.executable, "-m", "authlint", "fix", "--unsafe-fixes", "--no-cache", "."],
                             cwd=pair, capture_output=True, text=True, check=False)
    assert printed.returncode == 1
    assert "+++ b/web/client.js" in printed.stdout and "+++ b/api/server.js" in printed.stdout
    assert "in 2 file(s)" in printed.stderr
    if shutil.which("patch") is None:
        pytest.skip("GNU patch is not installed")
    patched = tmp_path_factory.mktemp("patched")
    shutil.copytree(pair, patched, dirs_exist_ok=True)
    done = subprocess.run(["patch", "-p1", "--batch"], cwd=patched, input=printed.stdout, text=True,
                          capture_output=True, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "auth: { token }" in (patched / "web" / "client.js").read_text()
    assert "socket.handshake.auth.token ?? socket.handshake.query.token" in (patched / "api" / "server.js").read_text()


def test_apply_writes_both_files_and_check_is_clean(pair: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(app, ["fix", "--apply", "--unsafe-fixes", "--no-cache", "."])
    assert result.exit_code == 1, result.output
    assert "fixed 1 finding(s) in web/client.js" in result.output
    assert "fixed 1 finding(s) in api/server.js" in result.output
    assert "auth: { token }" in (pair / "web" / "client.js").read_text()
    assert "socket.handshake.auth.token ??" in (pair / "api" / "server.js").read_text()
    after = runner.invoke(app, ["check", "--no-cache", "."])
    assert after.exit_code == 0, after.output
    again = runner.invoke(app, ["fix", "--apply", "--unsafe-fixes", "--no-cache", "."])
    assert again.exit_code == 0 and (pair / "web" / "client.js").read_text().count("auth:") == 1


def test_json_and_sarif_name_each_file_of_the_fix(pair: Path) -> None:
    runner = CliRunner()
    records = json.loads(runner.invoke(app, ["check", "--no-cache", "--output-format", "json", "."]).output)
    client = next(r for r in records if r["path"] == "web/client.js")
    assert [e["file"] for e in client["fix"]["edits"]] == ["web/client.js", "api/server.js"]
    sarif = json.loads(runner.invoke(app, ["check", "--no-cache", "--output-format", "sarif", "."]).output)
    result = next(r for r in sarif["runs"][0]["results"]
                  if r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "web/client.js")
    changes = result["fixes"][0]["artifactChanges"]
    assert [c["artifactLocation"]["uri"] for c in changes] == ["web/client.js", "api/server.js"]
    full = runner.invoke(app, ["check", "--no-cache", "."]).output
    assert "(edits 2 files: web/client.js, api/server.js)" in full
