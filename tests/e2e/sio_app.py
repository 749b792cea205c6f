"""A python-socketio server (aiohttp) on loopback for the proxy end-to-end tests, run as its own
process: ``python sio_app.py PORT PING_INTERVAL PING_TIMEOUT [NAME]``. It answers ``whoami`` with
its NAME, so a test can tell which of several servers behind nginx it reached."""

from __future__ import annotations

import sys

import socketio
from aiohttp import web


def main() -> None:
    port, interval, timeout = int(sys.argv[1]), float(sys.argv[2]), float(sys.argv[3])
    name = sys.argv[4] if len(sys.argv) > 4 else f"app-{port}"
    sio = socketio.AsyncServer(async_mode="aiohttp", ping_interval=interval, ping_timeout=timeout)
    app = web.Application()
    sio.attach(app)

    @sio.on("whoami")
    async def whoami(sid: str, data: object = None) -> str:
        return name

    web.run_app(app, host="127.0.0.1", port=port, print=None, handle_signals=True)


if __name__ == "__main__":
    main()
