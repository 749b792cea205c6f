"""`fix --apply` with a real rule keeps encoding, BOM, line endings and mode, and converges."""

from __future__ import annotations

import codecs
import os
import stat
from pathlib import Path

import pytest

CODE = "import socketio\nsio = socketio.Server(ping_timeout=20000)  # café\n"


@pytest.mark.parametrize(
    "name, encode",
    [
        ("lf", lambda text: text.encode("utf-8")),
        ("crlf", lambda text: text.replace("\n", "\r\n").encode("utf-8")),
        ("bom", lambda text: codecs.BOM_UTF8 + text.replace("\n", "\r\n").encode("utf-8")),
        ("utf16", lambda text: codecs.BOM_UTF16_LE + text.encode("utf-16-le")),
    ],
)
def test_fix_keeps_the_file_shape(invoke, tmp_path: Path, monkeypatch, name: str, encode) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / ".git").mkdir()
    path = tmp_path / "server.py"
    path.write_bytes(encode(CODE))
    os.chmod(path, 0o604)
    result = invoke("fix", "--apply", "--no-cache", "server.py")
    assert result.exit_code == 1, result.output
    assert path.read_bytes() == encode(CODE.replace("ping_timeout=20000", "ping_timeout=20"))
    assert stat.S_IMODE(path.stat().st_mode) == 0o604
    again = invoke("fix", "--apply", "--no-cache", "server.py")
    assert again.exit_code == 0 and path.read_bytes() == encode(CODE.replace("ping_timeout=20000", "ping_timeout=20"))


def test_empty_and_whitespace_files_are_fine(invoke, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "empty.py").write_bytes(b"")
    (tmp_path / "blank.conf").write_bytes(b"\n\n")
    (tmp_path / "nats-server.conf").write_bytes(b"")
    result = invoke("check", "--no-cache", ".")
    assert result.exit_code == 0, result.output
