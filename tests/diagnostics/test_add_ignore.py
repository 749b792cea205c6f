"""``check --add-ignore`` on a copy of examples/ and on lines that cannot take a comment: afterwards
``check`` reports nothing but what was listed as skipped, each comment sits where its language
expects it, a second run adds nothing, and files keep their line endings."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def authlint(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "authlint", *args, "--no-cache"], cwd=cwd, capture_output=True,
                          text=True, timeout=300)


def findings(cwd: Path) -> list[dict]:
    return json.loads(authlint("check", ".", "--output-format", "json", cwd=cwd).stdout)


def test_add_ignore_silences_the_example_project(tmp_path: Path) -> None:
    project = tmp_path / "examples"
    shutil.copytree(ROOT / "examples", project)
    before = findings(project)
    assert len(before) > 20
    run = authlint("check", ".", "--add-ignore", cwd=project)
    skipped = [line for line in run.stderr.splitlines() if line.startswith("authlint: not suppressed: ")]
    assert run.returncode == (1 if skipped else 0), run.stderr
    after = findings(project)
    assert len(after) == len(skipped), (after, skipped)  # only what could not take a comment remains
    server = (project / "python" / "server.py").read_text()
    assert "JWT_SECRET = " in server and "  # authlint: ignore[JWT004]" in server
    assert "// authlint: ignore[" in (project / "js" / "server.js").read_text()
    assert "# authlint: ignore[" in (project / "nats" / "nats-server.conf").read_text()
    again = authlint("check", ".", "--add-ignore", cwd=project)
    assert "added 0 suppressions" in again.stderr


def test_existing_suppressions_are_extended_and_line_endings_kept(tmp_path: Path) -> None:
    (tmp_path / "app.py").write_bytes(
        b"import socketio\r\nsio = socketio.Server(ping_timeout=20000, cors_allowed_origins='*')  # authlint: ignore[SIO003]\r\n"
    )
    run = authlint("check", ".", "--add-ignore", cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    data = (tmp_path / "app.py").read_bytes()
    assert data.endswith(b"# authlint: ignore[SIO003, SIO001]\r\n") and b"\n" not in data.replace(b"\r\n", b"")
    assert findings(tmp_path) == []


def test_lines_that_cannot_take_a_comment_are_listed_not_edited(tmp_path: Path) -> None:
    python = 'import socketio\nsio = socketio.Server(\n    ping_timeout=20000, \\\n    ping_interval=25)\n'
    javascript = ('const { Server } = require("socket.io");\n'
                  'const note = `pingTimeout is ms: ${new Server(3000, { pingTimeout: 2 })} end\nof note`;\n')
    (tmp_path / "a.py").write_text(python)
    (tmp_path / "b.js").write_text(javascript)
    run = authlint("check", ".", "--add-ignore", cwd=tmp_path)
    assert run.returncode == 1
    assert "not suppressed: a.py:3:" in run.stderr and "continues on the next one" in run.stderr
    assert "not suppressed: b.js:2:" in run.stderr and "template literal" in run.stderr
    assert (tmp_path / "a.py").read_text() == python and (tmp_path / "b.js").read_text() == javascript
