"""PRX005 with real parts: the fixture project tests/fixtures/nginx/token-query-log (a python-socketio
chat server behind nginx, a client that puts its token in the URL) is fixed with the real CLI, the
fix is what the corrected twin holds and ``nginx -t`` accepts it, and a real nginx in front of the
real server writes the client's token to its access log before the fix and not after. authlint
itself never prints the token."""

from __future__ import annotations

import importlib.util
import shutil
import socketserver
import subprocess
import sys
import threading
import time
import wsgiref.simple_server
from pathlib import Path
from typing import Iterator

import pytest

from tests.loopback import free_port
from tests.nginx_server import check_config, needs_nginx, running

FIXTURE = Path(__file__).resolve().parents[2] / "fixtures" / "nginx" / "token-query-log"
TOKEN = "chat-demo-7f3a9c2e51d84b06"  # the fixture client's token (a demo value)
NGINX_PORT, APP_PORT = "18080", "15000"  # as the fixture's files write them


def _authlint(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "authlint", *args, "--no-cache"], cwd=cwd,
                          capture_output=True, text=True, timeout=300)


def _texts(root: Path) -> dict[str, str]:
    return {str(p.relative_to(root)): p.read_text() for p in sorted(root.rglob("*")) if p.is_file()}


def test_the_cli_fix_is_the_corrected_twin_and_never_prints_the_token(tmp_path: Path) -> None:
    project = tmp_path / "project"
    shutil.copytree(FIXTURE / "broken", project)
    shown = [_authlint("check", "--select", "PRX005", "--output-format", fmt, ".", cwd=project)
             for fmt in ("full", "json", "sarif")]
    assert all(run.returncode == 1 for run in shown), [run.stdout + run.stderr for run in shown]
    assert "PRX005" in shown[0].stdout and "location /socket.io/" in shown[0].stdout
    diff = _authlint("fix", "--unsafe-fixes", "--select", "PRX005", ".", cwd=project)
    assert "combined_noquery" in diff.stdout
    applied = _authlint("fix", "--apply", "--unsafe-fixes", "--select", "PRX005", ".", cwd=project)
    assert applied.returncode == 1 and "fixed 1 finding" in applied.stderr, applied.stdout + applied.stderr  # written
    for run in (*shown, diff, applied):
        assert TOKEN not in run.stdout + run.stderr
    assert _texts(project) == _texts(FIXTURE / "fixed")
    clean = _authlint("check", "--select", "PRX005", ".", cwd=FIXTURE / "fixed")
    assert clean.returncode == 0, clean.stdout


class _ThreadingWSGIServer(socketserver.ThreadingMixIn, wsgiref.simple_server.WSGIServer):
    daemon_threads = True


class _Quiet(wsgiref.simple_server.WSGIRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


def _serve_app(project: Path, port: int) -> Iterator[None]:
    """The fixture's own chat server (app.py), on loopback."""
    spec = importlib.util.spec_from_file_location(f"token_query_log_app_{port}", project / "app.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    server = wsgiref.simple_server.make_server("127.0.0.1", port, module.app, _ThreadingWSGIServer, _Quiet)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield
    finally:
        server.shutdown()
        server.server_close()


def _access_log_after_a_client_connects(variant: str, tmp_path: Path) -> str:
    """Run nginx on the variant's config in front of the app; a real Socket.IO client connects with
    its token in the URL (long-polling), as the fixture's client does; what the access log holds."""
    socketio = pytest.importorskip("socketio")
    pytest.importorskip("requests")  # python-socketio's client transport
    prefix = tmp_path / variant
    shutil.copytree(FIXTURE / variant, prefix)
    (prefix / "logs").mkdir()
    (prefix / "temp").mkdir()
    nginx_port, app_port = free_port(), free_port()
    config = prefix / "nginx" / "nginx.conf"
    config.write_text(config.read_text().replace(NGINX_PORT, str(nginx_port)).replace(APP_PORT, str(app_port)))
    accepted, said = check_config(config, prefix)
    assert accepted, said
    app = _serve_app(prefix, app_port)
    next(app)
    try:
        with running(config, nginx_port, prefix):
            client = socketio.Client()
            client.connect(f"http://127.0.0.1:{nginx_port}/?token={TOKEN}", transports=["polling"], wait_timeout=10)
            assert client.connected
            client.disconnect()
            log = prefix / "logs" / "access.log"
            deadline = time.monotonic() + 5
            while (not log.exists() or "/socket.io/" not in log.read_text()) and time.monotonic() < deadline:
                time.sleep(0.05)
    finally:
        next(app, None)
    return log.read_text()


@needs_nginx[0]
def test_before_the_fix_nginx_writes_the_token_to_its_access_log(tmp_path: Path) -> None:
    written = _access_log_after_a_client_connects("broken", tmp_path)
    assert f"token={TOKEN}" in written
    assert "GET /socket.io/?token=" in written  # the request line, query and all (nginx's `combined`)


@needs_nginx[0]
def test_after_the_fix_the_requests_are_logged_without_the_token(tmp_path: Path) -> None:
    written = _access_log_after_a_client_connects("fixed", tmp_path)
    assert TOKEN not in written
    assert '"GET /socket.io/ HTTP/1.1" 200' in written  # still logged: the request line without its query
