"""Real servers on loopback for the Socket.IO / HTTP probe tests (threads, or a node process).

- ``python_socketio``: python-socketio's AsyncServer on aiohttp with an origin list and a connect
  handler that checks ``auth["token"]`` (raising ``ConnectionRefusedError`` or returning False);
- ``node_socketio``: the npm socket.io server of the JS fixtures (origin list, ``allowRequest``,
  a middleware checking ``socket.handshake.auth.token``);
- ``upgrade_stripping_proxy``: a proxy that drops ``Upgrade`` (nginx without the websocket lines);
- ``http_server``: a plain ``http.server`` whose ``Date`` header can be shifted (a fake clock) and
  whose CORS answer is fixed per test.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import ssl
import subprocess
import threading
from collections.abc import Iterator
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from tests.loopback import free_port


async def _cancel_pending() -> None:
    """End the tasks a server left behind (engine.io pings of closed sessions)."""
    tasks = [task for task in asyncio.all_tasks() if task is not asyncio.current_task()]
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)


@contextlib.contextmanager
def python_socketio(origins: list[str] | str, token: str, refuse_with: str | None = "authentication failed",
                    socketio_path: str = "socket.io", tls: ssl.SSLContext | None = None,
                    **engine_options: Any) -> Iterator[str]:
    """A python-socketio server at the yielded URL; a wrong token gets ``ConnectionRefusedError(
    refuse_with)``, or ``return False`` when ``refuse_with`` is None."""
    import socketio
    from aiohttp import web

    sio = socketio.AsyncServer(async_mode="aiohttp", cors_allowed_origins=origins, **engine_options)

    @sio.event
    async def connect(sid: str, environ: dict, auth: dict | None) -> bool | None:
        if not auth or auth.get("token") != token:
            if refuse_with is None:
                return False
            raise socketio.exceptions.ConnectionRefusedError(refuse_with)
        return None

    app = web.Application()
    sio.attach(app, socketio_path=socketio_path)
    port = free_port()
    loop = asyncio.new_event_loop()
    runner = web.AppRunner(app)
    ready = threading.Event()

    def serve() -> None:
        asyncio.set_event_loop(loop)
        loop.run_until_complete(runner.setup())
        loop.run_until_complete(web.TCPSite(runner, "127.0.0.1", port, ssl_context=tls).start())
        ready.set()
        loop.run_forever()

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    assert ready.wait(10), "the python-socketio server did not start"
    try:
        yield f"{'https' if tls else 'http'}://127.0.0.1:{port}"
    finally:
        asyncio.run_coroutine_threadsafe(sio.shutdown(), loop).result(10)  # its ping tasks end with it
        asyncio.run_coroutine_threadsafe(runner.cleanup(), loop).result(10)
        asyncio.run_coroutine_threadsafe(_cancel_pending(), loop).result(10)
        loop.call_soon_threadsafe(loop.stop)
        thread.join(10)
        loop.close()


@contextlib.contextmanager
def http_server(shift: float = 0.0, cors: dict[str, str] | None = None, status: int = 200,
                body: bytes = b"<html>hello</html>") -> Iterator[str]:
    """A plain HTTP server (not Socket.IO): every path answers ``status`` with ``body``, the
    ``cors`` headers, and a ``Date`` ``shift`` seconds away from this machine's clock."""
    import time

    class Handler(BaseHTTPRequestHandler):
        def _answer(self, code: int, payload: bytes) -> None:
            self.send_response_only(code)
            self.send_header("Date", formatdate(time.time() + shift, usegmt=True))
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", str(len(payload)))
            for name, value in (cors or {}).items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(payload)

        def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
            self._answer(status, body)

        def do_OPTIONS(self) -> None:  # noqa: N802
            self._answer(204, b"")

        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
            pass

    server = ThreadingHTTPServer(("127.0.0.1", free_port()), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(10)


@contextlib.contextmanager
def upgrade_stripping_proxy(backend: str) -> Iterator[str]:
    """A reverse proxy in front of ``backend`` (``http://127.0.0.1:PORT``) that drops the
    ``Upgrade`` header and sets ``Connection: close``, as nginx does without ``proxy_set_header
    Upgrade $http_upgrade``: polling passes, the websocket upgrade never reaches the server."""
    import socket
    import socketserver

    backend_port = int(backend.rsplit(":", 1)[1])

    class Relay(socketserver.BaseRequestHandler):
        def handle(self) -> None:
            client: socket.socket = self.request
            client.settimeout(10)
            head = b""
            while b"\r\n\r\n" not in head:
                chunk = client.recv(4096)
                if not chunk:
                    return
                head += chunk
            head, _, rest = head.partition(b"\r\n\r\n")
            lines = [line for line in head.split(b"\r\n")
                     if not line.lower().startswith((b"upgrade:", b"connection:"))]
            request = b"\r\n".join([*lines, b"Connection: close"]) + b"\r\n\r\n" + rest
            length = next((int(line.split(b":", 1)[1]) for line in lines if line.lower().startswith(b"content-length:")), 0)
            while len(rest) < length:  # a polling POST's body
                chunk = client.recv(4096)
                if not chunk:
                    break
                rest += chunk
                request += chunk
            with socket.create_connection(("127.0.0.1", backend_port), timeout=10) as upstream:
                upstream.sendall(request)
                while chunk := upstream.recv(65536):
                    client.sendall(chunk)

    class Server(socketserver.ThreadingTCPServer):
        daemon_threads = True
        allow_reuse_address = True

    server = Server(("127.0.0.1", free_port()), Relay)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(10)


@contextlib.contextmanager
def node_socketio(root: Path, node: str, token: str, mode: str = "allow-request") -> Iterator[str]:
    """The npm socket.io server of tests/fixtures/js-e2e/probe/server.js (``mode``: allow-request,
    cors-only, eio3) at the yielded URL; closing its stdin stops it."""
    process = subprocess.Popen([node, "probe/server.js", token, mode], cwd=root, text=True,
                               stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        line = process.stdout.readline() if process.stdout else ""
        assert line, f"the socket.io server did not start: {process.stderr.read() if process.stderr else ''}"
        yield f"http://127.0.0.1:{json.loads(line)['port']}"
    finally:
        if process.stdin:
            process.stdin.close()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(10)
        for stream in (process.stdout, process.stderr):
            if stream:
                stream.close()
