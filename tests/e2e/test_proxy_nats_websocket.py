"""PRX003's NATS half for real: nats-server's websocket port behind Debian's nginx.

The server pings every 2 s; with ``proxy_read_timeout 1s`` nginx closes the idle connection before
the first ping arrives. After ``authlint fix --apply`` (the server's stale window, 6 s) a client
that answers the pings stays connected across several of them. (A ``stream {}`` proxy in front of
the client port is judged the same way, but Debian's nginx package ships no stream module to run.)
"""

from __future__ import annotations

import subprocess
import time
from pathlib import Path

import websocket

from tests.e2e.proxied import check_with_cli, fix_with_cli, processes, runnable
from tests.loopback import free_port
from tests.nats_broker import NATS_SERVER, needs_server
from tests.nginx_server import needs_nginx, running

pytestmark = [*needs_nginx, *needs_server]

INTERVAL = 2  # nats-server's ping_interval, in seconds


def _project(root: Path, client: int, ws: int, front: int) -> Path:
    (root / "nginx").mkdir(parents=True)
    (root / "nats-server.conf").write_text(
        f'listen: "127.0.0.1:{client}"\nping_interval: "{INTERVAL}s"\n'
        f'websocket {{\n  listen: "127.0.0.1:{ws}"\n  no_tls: true\n}}\n', encoding="utf-8")
    (root / "nginx" / "nginx.conf").write_text(f"""events {{}}

http {{
    server {{
        listen 127.0.0.1:{front};

        location /nats {{
            proxy_pass http://127.0.0.1:{ws};
            proxy_http_version 1.1;
            proxy_set_header Upgrade $http_upgrade;
            proxy_set_header Connection "upgrade";
            proxy_read_timeout 1s;
        }}
    }}
}}
""", encoding="utf-8")
    return root


def _idle_client(url: str, seconds: float) -> tuple[int, float | None]:
    """A NATS client over WebSocket that connects, then only answers the server's pings for
    ``seconds``: (pings answered, seconds after connecting when the connection closed or None)."""
    conn = websocket.create_connection(url, timeout=5)
    start = time.monotonic()
    pings = 0
    try:
        assert conn.recv().startswith(b"INFO")
        conn.send_binary(b'CONNECT {"verbose":false,"protocol":1}\r\nPING\r\n')
        conn.settimeout(0.5)
        while time.monotonic() - start < seconds:
            try:
                data = conn.recv()
            except websocket.WebSocketTimeoutException:
                continue
            except (websocket.WebSocketConnectionClosedException, ConnectionError):
                return pings, round(time.monotonic() - start, 1)
            if not data:
                return pings, round(time.monotonic() - start, 1)
            if b"PING" in data:
                pings += data.count(b"PING")
                conn.send_binary(b"PONG\r\n")
        return pings, None
    finally:
        conn.close()


def _behind_nginx(project: Path, tmp_path: Path, front: int, client: int, seconds: float) -> tuple[int, float | None]:
    prefix = tmp_path / f"nginx-{time.monotonic_ns()}"
    prefix.mkdir()
    config = runnable((project / "nginx" / "nginx.conf").read_text(), prefix, {})
    server = ([NATS_SERVER, "-c", "nats-server.conf"], {}, client)
    with processes([server], project), running(config, front, prefix):
        return _idle_client(f"ws://127.0.0.1:{front}/nats", seconds)


def test_nginx_cuts_the_nats_websocket_until_fixed(tmp_path: Path) -> None:
    client, ws, front = free_port(), free_port(), free_port()
    project = _project(tmp_path / "project", client, ws, front)
    assert subprocess.run([NATS_SERVER, "-t", "-c", "nats-server.conf"], cwd=project, capture_output=True).returncode == 0
    found = check_with_cli(project, "PRX003")
    assert found.returncode == 1 and f"(websocket port {ws})" in found.stdout, found.stdout

    pings, closed = _behind_nginx(project, tmp_path, front, client, 2 * INTERVAL)
    assert pings == 0 and closed is not None and closed < INTERVAL, (pings, closed)

    done = fix_with_cli(project, "PRX003")
    assert "fixed 1 finding(s) in nginx/nginx.conf" in done.stderr, done.stdout + done.stderr
    assert "proxy_read_timeout 6s;" in (project / "nginx" / "nginx.conf").read_text()
    assert check_with_cli(project, "PRX003").returncode == 0

    pings, closed = _behind_nginx(project, tmp_path, front, client, 3 * INTERVAL + 1)
    assert pings >= 3 and closed is None, (pings, closed)
