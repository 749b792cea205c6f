"""Runs a (fixed) python-socketio or Flask-SocketIO server of a project on loopback in a thread and
tries clients against it; ``main`` prints one JSON line. Copied into the project folder by the tests.

``serve``: "aiohttp" (the module has an aiohttp ``app`` with an ``AsyncServer`` attached) or
"flask" (the module has ``create_app()`` and a ``socketio`` made with ``init_app``). An attempt is
``{"origin", "transport", "token"}`` (an async client) or ``{"client", "token"}``; ``client`` names a project module
whose ``login(token)`` returns a connected ``socketio.Client``.
"""

from __future__ import annotations

import asyncio
import importlib
import json
import socket
import threading
import time

import socketio


def _wait(port: int) -> None:
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return
        except OSError:
            time.sleep(0.05)
    raise TimeoutError("the server did not start")


def _aiohttp(module, port: int) -> None:
    from aiohttp import web

    async def serve() -> None:
        runner = web.AppRunner(module.app)
        await runner.setup()
        await web.TCPSite(runner, "127.0.0.1", port).start()
        await asyncio.Event().wait()

    threading.Thread(target=lambda: asyncio.run(serve()), daemon=True).start()


def _flask(module, port: int) -> None:
    app = module.create_app()
    threading.Thread(
        target=lambda: module.socketio.run(app, host="127.0.0.1", port=port, allow_unsafe_werkzeug=True,
                                           use_reloader=False, log_output=False),
        daemon=True,
    ).start()


def _attempt(port: int, spec: dict) -> dict:
    if "client" in spec:
        try:
            client = importlib.import_module(spec["client"]).login(spec.get("token"))
        except socketio.exceptions.ConnectionError as exc:
            return {"connected": False, "error": str(exc)}
        result = {"connected": True, "transport": client.transport(), "ping_interval": client.eio.ping_interval,
                  "ping_timeout": client.eio.ping_timeout}
        client.eio.disconnect(abort=True)  # a graceful polling disconnect waits out a long-poll
        return result
    return asyncio.run(_attempt_async(port, spec))


async def _attempt_async(port: int, spec: dict) -> dict:
    """A client sending exactly the given Origin (or none): the async client's WebSocket (aiohttp)
    adds no Origin of its own, unlike websocket-client, which appends the server's URL to ours."""
    client = socketio.AsyncClient(reconnection=False)
    url = f"http://127.0.0.1:{port}"
    headers = {"Origin": spec["origin"]} if spec.get("origin") else {}
    auth = {"token": spec["token"]} if "token" in spec else None
    try:
        await client.connect(url, headers=headers, auth=auth, transports=[spec.get("transport", "polling")],
                             wait_timeout=5)
    except Exception as exc:  # a refusal: ConnectionError, or werkzeug closing the 400 response early
        await client.eio.disconnect(abort=True)
        return {"connected": False, "error": f"{type(exc).__name__}: {exc}"}
    result = {"connected": True, "transport": client.transport(), "ping_interval": client.eio.ping_interval,
              "ping_timeout": client.eio.ping_timeout}
    await client.eio.disconnect(abort=True)
    return result


def main(serve: str, server_module: str, port: int, attempts: list[dict]) -> None:
    module = importlib.import_module(server_module)
    {"aiohttp": _aiohttp, "flask": _flask}[serve](module, port)
    _wait(port)
    print(json.dumps([_attempt(port, spec) for spec in attempts]))
