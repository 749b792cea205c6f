"""PRX003 for real: a python-socketio server (aiohttp) pinging every 2 s behind Debian's nginx.

With ``proxy_read_timeout 1s`` nginx closes the idle WebSocket before the first ping arrives and the
client is disconnected; after ``authlint fix --apply`` the same client stays connected across
several ping cycles. A timeout at Engine.IO's own deadline (interval + ping timeout, where PRX003
stops reporting) holds too, and ``proxy_send_timeout`` never cut an idle connection (why PRX003
does not read it).
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import socketio

from tests.e2e.proxied import check_with_cli, fix_with_cli, processes, runnable
from tests.loopback import free_port
from tests.nginx_server import needs_nginx, running

pytestmark = needs_nginx

INTERVAL, TIMEOUT = 2, 1  # the app's ping cycle, kept short: Engine.IO's deadline is 3 s
APP = f"""import sys

import socketio
from aiohttp import web

sio = socketio.AsyncServer(async_mode="aiohttp", ping_interval={INTERVAL}, ping_timeout={TIMEOUT})
app = web.Application()
sio.attach(app)

if __name__ == "__main__":
    web.run_app(app, host="127.0.0.1", port=int(sys.argv[1]), print=None)
"""


def site(timeouts: str) -> str:
    return f"""events {{}}

http {{
    server {{
        listen 127.0.0.1:8080;

        location /socket.io/ {{
            proxy_pass http://127.0.0.1:5000;
            proxy_http_version 1.1;
            proxy_set_header Upgrade $http_upgrade;
            proxy_set_header Connection "upgrade";
            proxy_set_header Host $http_host;
            {timeouts}
        }}
    }}
}}
"""


def _project(root: Path, timeouts: str) -> Path:
    (root / "nginx").mkdir(parents=True)
    (root / "app.py").write_text(APP, encoding="utf-8")
    (root / "nginx" / "nginx.conf").write_text(site(timeouts), encoding="utf-8")
    return root


def _idle_websocket(project: Path, tmp_path: Path, seconds: float) -> tuple[bool, list[float]]:
    """Run the project's app and nginx, hold an idle WebSocket client for ``seconds``: whether it
    is still connected, and when (seconds after connecting) it was disconnected."""
    app, front = free_port(), free_port()
    prefix = tmp_path / f"nginx-{front}"
    prefix.mkdir()
    config = runnable((project / "nginx" / "nginx.conf").read_text(), prefix, {"5000": app, "8080": front})
    cut: list[float] = []
    with processes([([sys.executable, "app.py", str(app)], {}, app)], project), running(config, front, prefix):
        client = socketio.Client(reconnection=False)
        start = time.monotonic()
        client.on("disconnect", lambda *args: cut.append(round(time.monotonic() - start, 1)))
        client.connect(f"http://127.0.0.1:{front}", transports=["websocket"], wait_timeout=5)
        time.sleep(seconds)
        connected, before = client.connected, list(cut)  # (our own disconnect below adds to ``cut``)
        client.disconnect()
    return connected, before


def test_a_read_timeout_under_the_ping_interval_cuts_until_fixed(tmp_path: Path) -> None:
    project = _project(tmp_path / "project", "proxy_read_timeout 1s;")
    found = check_with_cli(project, "PRX003")
    assert found.returncode == 1 and "sends a ping only every 2s" in found.stdout, found.stdout

    connected, cut = _idle_websocket(project, tmp_path, 2 * INTERVAL)
    assert not connected and cut and cut[0] < INTERVAL, cut  # nginx closed it before the first ping

    done = fix_with_cli(project, "PRX003")
    assert "fixed 1 finding(s) in nginx/nginx.conf" in done.stderr, done.stdout + done.stderr
    assert "proxy_read_timeout 1m;" in (project / "nginx" / "nginx.conf").read_text()
    assert check_with_cli(project, "PRX003").returncode == 0

    connected, cut = _idle_websocket(project, tmp_path, 3 * INTERVAL + 1)  # three ping cycles
    assert connected and cut == [], cut


def test_engineio_deadline_is_enough_and_send_timeout_does_not_cut(tmp_path: Path) -> None:
    at_deadline = _project(tmp_path / "deadline", f"proxy_read_timeout {INTERVAL + TIMEOUT}s;")
    assert check_with_cli(at_deadline, "PRX003").returncode == 0
    assert _idle_websocket(at_deadline, tmp_path, 3 * INTERVAL + 1) == (True, [])

    send_only = _project(tmp_path / "send", "proxy_send_timeout 1s;")
    assert check_with_cli(send_only, "PRX003").returncode == 0
    assert _idle_websocket(send_only, tmp_path, 2 * INTERVAL + 1) == (True, [])
