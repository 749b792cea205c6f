"""Socket.IO fixes executed against python-socketio (aiohttp) and Flask-SocketIO (``init_app``).

Each test fixes a small project (``fixed``: the finding is gone, nothing new appears), runs the
fixed server in a fresh interpreter and tries clients: the project's own client, allowed and other
origins on BOTH transports (python-engineio checks Origin itself on polling and WebSocket alike),
old and moved clients of a credential move, and the timers a client is told.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Callable

import pytest

from tests.behaviour.project import PythonProject, fixed
from tests.loopback import free_port

pytest.importorskip("socketio")
pytest.importorskip("flask_socketio")
pytest.importorskip("aiohttp")
pytest.importorskip("simple_websocket")
pytest.importorskip("websocket")  # websocket-client: the sync client's WebSocket transport

HARNESS = (Path(__file__).parent / "harness_py.py").read_text(encoding="utf-8")
APP = "http://localhost:3000"
EVIL = "https://evil.example"
TRANSPORTS = ("polling", "websocket")
Project = Callable[[dict[str, str]], PythonProject]


def run(make: Project, files: dict[str, str], serve: str, port: int, attempts: list[dict]) -> list[dict]:
    project = make({**files, "harness_py.py": HARNESS})
    script = f"import json, harness_py; harness_py.main({serve!r}, 'server', {port}, json.loads({json.dumps(attempts)!r}))"
    return project.run(script)


def connected(results: list[dict]) -> list[bool]:
    return [r["connected"] for r in results]


# -- SIO006: Flask-SocketIO (init_app) reads the token from the query; the client puts it in the URL ------

def _query_token_project(port: int) -> dict[str, str]:
    return {
        "server.py": (
            "from flask import Flask, request\n"
            "from flask_socketio import SocketIO\n\n"
            "socketio = SocketIO()\n\n\n"
            "def create_app():\n"
            "    app = Flask(__name__)\n"
            "    socketio.init_app(app)\n"
            "    return app\n\n\n"
            "@socketio.on('connect')\n"
            "def connect():\n"
            "    if request.args.get('token') != 't0k3n':\n"
            "        return False  # refuse the connection\n"
        ),
        "client.py": (
            "import socketio\n\n\n"
            "def login(token):\n"
            "    sio = socketio.Client(reconnection=False)\n"
            f"    sio.connect(f'http://127.0.0.1:{port}?token={{token}}', wait_timeout=5)\n"
            "    return sio\n"
        ),
    }


def test_sio006_fix_moves_both_sides_and_old_and_new_clients_log_in(python_project: Project) -> None:
    port = free_port()
    before = _query_token_project(port)
    after = fixed(before, "SIO006")
    assert f"sio.connect('http://127.0.0.1:{port}', wait_timeout=5, auth={{'token': token}})" in after["client.py"]
    assert "def connect(auth=None):" in after["server.py"]
    assert "if ((auth or {}).get('token') or request.args.get('token')) != 't0k3n':" in after["server.py"]
    files = {**after, "old_client.py": before["client.py"]}
    attempts = [
        {"client": "client", "token": "t0k3n"},  # the moved client: the token arrives in auth
        {"client": "old_client", "token": "t0k3n"},  # a client not yet moved: the query still works
        {"client": "client", "token": "wrong"},
        {"client": "old_client", "token": "wrong"},
        *({"transport": t, "token": "t0k3n"} for t in TRANSPORTS),
    ]
    assert connected(run(python_project, files, "flask", port, attempts)) == [True, True, False, False, True, True]


def test_sio006_python_socketio_server_parsing_the_query_by_hand_keeps_the_pair_unmoved(python_project: Project) -> None:
    """An unrecognised server read: the move is display-only, and the unmoved pair keeps working."""
    from authlint.testing import fix_files

    port = free_port()
    files = {
        "server.py": (
            "from urllib.parse import parse_qs\n\nimport socketio\nfrom aiohttp import web\n\n"
            "sio = socketio.AsyncServer(async_mode='aiohttp')\napp = web.Application()\nsio.attach(app)\n\n\n"
            "@sio.event\nasync def connect(sid, environ):\n"
            "    if parse_qs(environ['QUERY_STRING']).get('token') != ['t0k3n']:\n"
            "        raise socketio.exceptions.ConnectionRefusedError('no token')\n"
        ),
        "client.py": _query_token_project(port)["client.py"],
    }
    assert fix_files(files, unsafe=True, select=["ALL"]) == files
    assert connected(run(python_project, files, "aiohttp", port, [{"client": "client", "token": "t0k3n"}])) == [True]


# -- SIO003: python-socketio cors_allowed_origins='*' becomes the configured list -------------------------

WILDCARD = {
    "server.py": (
        "import socketio\nfrom aiohttp import web\n\n"
        "sio = socketio.AsyncServer(\n    async_mode='aiohttp',\n    cors_allowed_origins='*',  # TODO: tighten\n)\n"
        "app = web.Application()\nsio.attach(app)\n\n\n"
        "@sio.event\nasync def connect(sid, environ, auth):\n"
        "    if not auth or auth.get('token') != 't0k3n':\n"
        "        raise socketio.exceptions.ConnectionRefusedError('authentication failed')\n"
    ),
}


def test_sio003_fix_refuses_other_origins_on_both_transports(python_project: Project) -> None:
    port = free_port()
    attempts = [{"origin": EVIL, "transport": t, "token": "t0k3n"} for t in TRANSPORTS]
    assert connected(run(python_project, WILDCARD, "aiohttp", port, attempts)) == [True, True]

    after = fixed(WILDCARD, "SIO003", allowed_origins=[APP])
    assert f"cors_allowed_origins=['{APP}'],  # TODO: tighten" in after["server.py"]
    attempts = [
        *({"origin": APP, "transport": t, "token": "t0k3n"} for t in TRANSPORTS),
        *({"origin": EVIL, "transport": t, "token": "t0k3n"} for t in TRANSPORTS),
        {"transport": "websocket", "token": "t0k3n"},  # no Origin header: not a browser, let in as before
        {"origin": APP, "transport": "websocket", "token": "wrong"},  # the credential reaches the handler
    ]
    port = free_port()
    assert connected(run(python_project, after, "aiohttp", port, attempts)) == [True, True, False, False, True, False]


# -- SIO002 / SIO001 / SIO004: Flask-SocketIO init_app -------------------------------------------------

def _flask_project(port: int, options: str) -> dict[str, str]:
    return {
        "server.py": (
            "from flask import Flask\nfrom flask_socketio import SocketIO\n\nsocketio = SocketIO()\n\n\n"
            "def create_app():\n    app = Flask(__name__)\n"
            f"    socketio.init_app(app, {options})\n    return app\n\n\n"
            "@socketio.on('connect')\ndef connect(auth):\n"
            "    if not auth or auth.get('token') != 't0k3n':\n        return False\n"
        ),
        "client.py": (
            "import socketio\n\n\ndef login(token):\n    sio = socketio.Client(reconnection=False)\n"
            f"    sio.connect('http://127.0.0.1:{port}', headers={{'Origin': '{APP}'}}, auth={{'token': token}},\n"
            "                wait_timeout=5)\n    return sio\n"
        ),
    }


def test_sio002_fix_lets_the_projects_client_in_and_keeps_others_out(python_project: Project) -> None:
    port = free_port()
    before = _flask_project(port, "cors_allowed_origins=['https://app.example.com']")
    assert connected(run(python_project, before, "flask", port, [{"client": "client", "token": "t0k3n"}])) == [False]
    after = fixed(before, "SIO002")
    attempts = [
        {"client": "client", "token": "t0k3n"},
        {"origin": "https://app.example.com", "transport": "websocket", "token": "t0k3n"},  # still allowed
        *({"origin": EVIL, "transport": t, "token": "t0k3n"} for t in TRANSPORTS),
        {"client": "client", "token": "wrong"},
    ]
    port2 = free_port()
    after = {**after, "client.py": after["client.py"].replace(str(port), str(port2))}
    assert connected(run(python_project, after, "flask", port2, attempts)) == [True, True, False, False, False]


def test_sio001_fixed_ping_timeout_is_what_the_client_is_told(python_project: Project) -> None:
    port = free_port()
    after = fixed(_flask_project(port, f"cors_allowed_origins=['{APP}'], ping_timeout=1"), "SIO001")
    [result] = run(python_project, after, "flask", port, [{"client": "client", "token": "t0k3n"}])
    assert result["connected"] and result["ping_timeout"] == 20


def test_sio004_renamed_option_takes_effect(python_project: Project) -> None:
    port = free_port()
    before = _flask_project(port, f"cors_allowed_origins=['{APP}'], pingInterval=10000")
    [ignored] = run(python_project, before, "flask", port, [{"client": "client", "token": "t0k3n"}])
    assert ignored["ping_interval"] == 25  # the engine.io spelling is ignored: the default
    after = fixed(before, "SIO004")
    port2 = free_port()
    after = {**after, "client.py": after["client.py"].replace(str(port), str(port2))}
    [result] = run(python_project, after, "flask", port2, [{"client": "client", "token": "t0k3n"}])
    assert result["connected"] and result["ping_interval"] == 10
