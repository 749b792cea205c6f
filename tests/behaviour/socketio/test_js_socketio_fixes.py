"""Socket.IO fixes executed against npm socket.io / socket.io-client (the shared node fixture).

Each test states a small project as real code is written, lets authlint fix it (``fixed``: the
finding is gone and no other appears), then runs the fixed server on loopback and tries clients:
the project's own client from an allowed origin, other origins on BOTH transports (polling and
WebSocket: engine.io checks no Origin on either unless ``allowRequest`` does), old and moved
clients of a credential move, and the timers the server really announces.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.behaviour.project import fixed
from tests.node_project import NodeFixture

HARNESS = (Path(__file__).parent / "harness.js").read_text(encoding="utf-8")
APP = "http://localhost:5173"
EVIL = "https://evil.example"
TRANSPORTS = ("polling", "websocket")

pytestmark = pytest.mark.node


def run(node: NodeFixture, folder: str, files: dict[str, str], server: str, attempts: list[dict]) -> dict:
    """Write ``files`` under ``folder`` of the fixture and try ``attempts`` against ``server``."""
    node.write("sio_harness.js", HARNESS)
    for relpath, text in files.items():
        node.write(f"{folder}/{relpath}", text)
    for spec in attempts:
        if "client" in spec:
            spec["client"] = f"{folder}/{spec['client']}"
    return node.run_script("sio_harness.js", f"{folder}/{server}", json.dumps(attempts))


def connected(result: dict) -> list[bool]:
    return [r["connected"] for r in result["results"]]


# -- SIO003: a wildcard origin becomes the list, and allowRequest closes WebSocket too -------------------

WILDCARD = {
    "server.js": (
        'const { Server } = require("socket.io");\n\n'
        "module.exports = function attach(httpServer) {\n"
        "  const io = new Server(httpServer, {\n"
        '    cors: { origin: "*", credentials: true },\n'
        "  });\n"
        '  io.use((socket, next) => (socket.handshake.auth.token === "t0k3n" ? next() : next(new Error("no token"))));\n'
        "  return io;\n"
        "};\n"
    ),
    "client.js": (
        "// the web app's client, as a Node script: it sends the app's Origin\n"
        'const { io } = require("socket.io-client");\n\n'
        "exports.connect = (url, token) =>\n"
        '  io(url, { auth: { token }, extraHeaders: { origin: "http://localhost:5173" }, reconnection: false });\n'
    ),
}


def test_sio003_wildcard_is_open_on_both_transports_before_the_fix(node_fixture: NodeFixture) -> None:
    attempts = [{"origin": EVIL, "transport": t, "token": "t0k3n"} for t in TRANSPORTS]
    assert connected(run(node_fixture, "sio003-before", WILDCARD, "server.js", attempts)) == [True, True]


def test_sio003_fix_refuses_other_origins_on_both_transports(node_fixture: NodeFixture) -> None:
    after = fixed(WILDCARD, "SIO003", allowed_origins=[APP])
    assert "allowRequest" in after["server.js"] and after["client.js"] == WILDCARD["client.js"]
    attempts = [
        {"client": "client.js", "token": "t0k3n"},  # the project's own client, from the app's origin
        *({"origin": APP, "transport": t, "token": "t0k3n"} for t in TRANSPORTS),
        *({"origin": EVIL, "transport": t, "token": "t0k3n"} for t in TRANSPORTS),
        {"transport": "websocket", "token": "t0k3n"},  # no Origin at all: a Node or mobile client, as before
        {"origin": APP, "transport": "websocket", "token": "wrong"},  # the credential still decides
    ]
    result = run(node_fixture, "sio003-after", after, "server.js", attempts)
    assert connected(result) == [True, True, True, False, False, True, False]


# -- SIO006: the token moves from the query to auth on both sides; old clients still log in -------------

QUERY_TOKEN = {
    "server.js": (
        'const { Server } = require("socket.io");\n\n'
        "module.exports = function attach(httpServer) {\n"
        "  const io = new Server(httpServer);\n"
        "  io.use((socket, next) => {\n"
        '    if (socket.handshake.query.token !== "t0k3n") return next(new Error("unauthorized"));\n'
        "    next();\n"
        "  });\n"
        "  return io;\n"
        "};\n"
    ),
    "client.js": (
        'const { io } = require("socket.io-client");\n\n'
        "exports.connect = (url, token) => io(url, { query: { token }, reconnection: false });\n"
    ),
}


def test_sio006_fix_moves_both_sides_and_old_and_new_clients_log_in(node_fixture: NodeFixture) -> None:
    after = fixed(QUERY_TOKEN, "SIO006")
    assert "auth: { token }" in after["client.js"]
    assert "socket.handshake.auth.token ?? socket.handshake.query.token" in after["server.js"]
    node_fixture.write("sio006/old-client.js", QUERY_TOKEN["client.js"])
    attempts = [
        {"client": "client.js", "token": "t0k3n"},  # the moved client (auth)
        {"client": "old-client.js", "token": "t0k3n"},  # a client not yet moved (query)
        {"client": "client.js", "token": "wrong"},
        {"client": "old-client.js", "token": "wrong"},
        *({"transport": t, "token": "t0k3n"} for t in TRANSPORTS),
    ]
    result = run(node_fixture, "sio006", after, "server.js", attempts)
    assert connected(result) == [True, True, False, False, True, True]


def test_sio006_client_alone_is_not_moved(node_fixture: NodeFixture) -> None:
    """Without its server the move is display-only: the client keeps working with the old server."""
    from authlint.testing import fix_files

    client = {"client.js": QUERY_TOKEN["client.js"]}
    assert fix_files(client, unsafe=True, select=["ALL"]) == client
    result = run(node_fixture, "sio006-alone", QUERY_TOKEN, "server.js", [{"client": "client.js", "token": "t0k3n"}])
    assert connected(result) == [True]


# -- SIO002: the project's client origin is added; the server's own allowRequest keeps others out --------

MISSING_ORIGIN = {
    "server.js": (
        'const { Server } = require("socket.io");\n\n'
        "module.exports = function attach(httpServer) {\n"
        "  const options = {\n"
        '    cors: { origin: ["https://app.example.com"] },\n'
        "    allowRequest: (req, callback) => callback(null, options.cors.origin.includes(req.headers.origin)),\n"
        "  };\n"
        "  return new Server(httpServer, options);\n"
        "};\n"
    ),
    "client.js": WILDCARD["client.js"],
}


def test_sio002_fix_lets_the_projects_client_in_on_both_transports(node_fixture: NodeFixture) -> None:
    before = run(node_fixture, "sio002-before", MISSING_ORIGIN, "server.js", [{"client": "client.js", "token": "t"}])
    assert connected(before) == [False]
    after = fixed(MISSING_ORIGIN, "SIO002")
    attempts = [
        {"client": "client.js", "token": "t"},
        *({"origin": APP, "transport": t} for t in TRANSPORTS),
        *({"origin": EVIL, "transport": t} for t in TRANSPORTS),
    ]
    assert connected(run(node_fixture, "sio002-after", after, "server.js", attempts)) == [True, True, True, False, False]


# -- SIO001 / SIO004: the timers the fixed server really announces ------------------------------------

def test_sio001_timer_fix_is_what_engine_io_announces(node_fixture: NodeFixture) -> None:
    files = {"server.js": (
        'const { Server } = require("socket.io");\n\n'
        "module.exports = (httpServer) => new Server(httpServer, { pingTimeout: 20, pingInterval: 25 });\n"
    )}
    after = fixed(files, "SIO001")
    result = run(node_fixture, "sio001", after, "server.js", [{"transport": "websocket"}])
    assert result["options"] == {"pingInterval": 25000, "pingTimeout": 20000}
    assert result["results"][0]["connected"] and result["results"][0]["pingInterval"] == 25000


def test_sio004_renamed_timer_takes_effect(node_fixture: NodeFixture) -> None:
    files = {"server.js": (
        'const { Server } = require("socket.io");\n\n'
        "module.exports = (httpServer) => new Server(httpServer, { ping_interval: 10 });\n"
    )}
    before = run(node_fixture, "sio004-before", files, "server.js", [{"transport": "polling"}])
    assert before["options"]["pingInterval"] == 25000  # the python spelling is ignored: the default
    after = fixed(files, "SIO004")
    result = run(node_fixture, "sio004", after, "server.js", [{"transport": "polling"}])
    assert result["options"]["pingInterval"] == 10000
    assert result["results"][0]["pingInterval"] == 10000  # what the client was told
