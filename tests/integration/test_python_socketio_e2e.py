"""End to end on loopback: python-socketio refuses the fixture client before the fix and accepts it after.

The linter only reads the fixture files; the test itself runs the fixture server (in a subprocess)
and a real python-socketio client against it.
"""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from authlint.testing import fix_files, lint_files
from tests.loopback import free_port

socketio = pytest.importorskip("socketio")
pytest.importorskip("aiohttp")

FIXTURES = Path(__file__).parent.parent / "fixtures" / "python"
ORIGIN = "http://localhost:3000"


def _project() -> dict[str, str]:
    return {
        "server.py": (FIXTURES / "sio_server.py").read_text(),
        "client.py": (FIXTURES / "sio_client.py").read_text(),
    }


class Server:
    def __init__(self, path: Path) -> None:
        self.port = free_port()
        self.proc = subprocess.Popen([sys.executable, "-u", str(path), str(self.port)],
                                     stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.2):
                    return
            except OSError as exc:
                if self.proc.poll() is not None:
                    raise RuntimeError(self.proc.stdout.read().decode()) from exc  # type: ignore[union-attr]
                time.sleep(0.05)
        self.stop()
        raise TimeoutError("fixture server did not start")

    def connect(self, origin: str | None) -> float:
        """Connect like the fixture client; return the ping timeout the server announced."""
        client = socketio.Client(reconnection=False)
        headers = {"Origin": origin} if origin else {}
        client.connect(f"http://127.0.0.1:{self.port}", headers=headers, auth={"token": "t0k3n"},
                       transports=["polling"], wait_timeout=5)
        try:
            return client.eio.ping_timeout
        finally:
            client.eio.disconnect(abort=True)  # a graceful polling disconnect waits out a long-poll

    def stop(self) -> str:
        """Stop the server; return what it logged."""
        self.proc.kill()  # aiohttp's graceful shutdown would wait for the aborted long-polls
        out, _ = self.proc.communicate(timeout=10)
        return out.decode(errors="replace")


@pytest.fixture
def server_dir(tmp_path: Path) -> Path:
    return tmp_path


def test_fixture_findings_match_reality_and_fix_makes_the_client_connect(server_dir: Path) -> None:
    files = _project()
    codes = sorted({d.code for d in lint_files(files).diagnostics if d.path == "server.py"})
    assert "SIO001" in codes and "SIO002" in codes

    original = server_dir / "server.py"
    original.write_text(files["server.py"])
    server = Server(original)
    try:
        assert server.connect(origin=None) == 2  # the low timeout is what the server really uses
        with pytest.raises(socketio.exceptions.ConnectionError):
            server.connect(origin=ORIGIN)
    finally:
        log = server.stop()
    assert f"{ORIGIN} is not an accepted origin" in log

    fixed = fix_files(files, unsafe=True, allowed_origins=["https://app.example.com", ORIGIN])
    text = fixed["server.py"]
    compile(text, "server.py", "exec")
    assert "ping_timeout=20" in text and ORIGIN in text
    assert fix_files(fixed, unsafe=True, allowed_origins=["https://app.example.com", ORIGIN]) == fixed
    assert not [d for d in lint_files(fixed).diagnostics if d.code in ("SIO001", "SIO002")]

    patched = server_dir / "fixed_server.py"
    patched.write_text(text)
    server = Server(patched)
    try:
        assert server.connect(origin=ORIGIN) == 20
        assert server.connect(origin="https://app.example.com") == 20
        with pytest.raises(socketio.exceptions.ConnectionError):
            server.connect(origin="https://evil.example")  # the fix did not open the door to everyone
    finally:
        server.stop()
