"""The real-nginx harness itself: ``nginx -t`` judges, and a started nginx proxies to a loopback app."""

from __future__ import annotations

import http.server
import threading
import urllib.request
from pathlib import Path

from tests.loopback import free_port
from tests.nginx_server import check_config, http_preamble, main_preamble, needs_nginx, running

pytestmark = needs_nginx


def test_nginx_t_accepts_and_refuses(tmp_path: Path) -> None:
    good = tmp_path / "good.conf"
    good.write_text(f"{main_preamble(tmp_path)}\nevents {{}}\nhttp {{ {http_preamble(tmp_path)} }}\n")
    assert check_config(good)[0]
    bad = tmp_path / "bad.conf"
    bad.write_text("events {}\nhttp { proxy_read_timeout forever; }\n")
    ok, said = check_config(bad)
    assert not ok and "proxy_read_timeout" in said


def test_a_started_nginx_proxies(tmp_path: Path) -> None:
    class Hello(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 (http.server's name)
            self.send_response(200)
            self.end_headers()
            self.wfile.write(b"hello")

        def log_message(self, *args: object) -> None:
            pass

    app = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Hello)
    threading.Thread(target=app.serve_forever, daemon=True).start()
    port = free_port()
    config = tmp_path / "nginx.conf"
    config.write_text(
        f"{main_preamble(tmp_path)}\nevents {{}}\nhttp {{\n    {http_preamble(tmp_path)}\n"
        f"    server {{ listen 127.0.0.1:{port}; location / {{ proxy_pass http://127.0.0.1:{app.server_port}; }} }}\n}}\n"
    )
    try:
        with running(config, port):
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5) as response:
                assert response.read() == b"hello"
    finally:
        app.shutdown()
