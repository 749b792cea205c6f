"""Socket.IO servers, clients and connect handlers from python-socketio and Flask-SocketIO."""

from __future__ import annotations

from authlint.facts.model import SocketIOClient, SocketIOServer
from tests.facts.helpers import facts_of

SERVER = '''\
import socketio as sio_lib

sio = sio_lib.AsyncServer(async_mode="aiohttp", cors_allow_origins="*", ping_timeout=2)


@sio.event
async def connect(sid, environ, auth):
    token = auth.get("jwt") if auth else None
    header = environ.get("HTTP_AUTHORIZATION")
    if not token:
        raise sio_lib.exceptions.ConnectionRefusedError("authentication failed")
'''


def test_server_options_unknown_kwargs_and_handler() -> None:
    (server,) = facts_of(SERVER, SocketIOServer)
    assert server.library == "python-socketio"
    assert server.options.value("ping_timeout") == 2
    assert [o.name for o in server.unknown_options] == ["cors_allow_origins"]
    assert server.unknown_options[0].meant == "cors_allowed_origins"
    assert server.ping_timeout is not None and server.ping_timeout.seconds == 2 and server.ping_interval is None
    option = server.options.get("cors_allow_origins")
    assert SERVER[option.name_span.start : option.name_span.end] == "cors_allow_origins"
    (handler,) = server.handlers
    assert handler.takes_auth and handler.refuses
    assert [(r.channel, r.key) for r in handler.reads] == [("auth", "jwt"), ("header", "authorization")]


def test_insert_point_for_a_missing_option() -> None:
    (server,) = facts_of("import socketio\nsio = socketio.Server()\n", SocketIOServer)
    assert server.options.insert_at == len("import socketio\nsio = socketio.Server(")
    assert server.options.insert_prefix == ""
    code = "import socketio\nsio = socketio.Server(\n    async_mode='threading',\n)\n"
    (server,) = facts_of(code, SocketIOServer)
    assert code[: server.options.insert_at].endswith("'threading'")
    assert server.options.insert_prefix == ",\n    "


def test_flask_socketio_init_app_and_on_connect() -> None:
    code = (
        "from flask import request\nfrom flask_socketio import SocketIO\n"
        "socketio = SocketIO()\n"
        "socketio.init_app(app, cors_allowed_origins=['https://app.example'], ping_timeout=20000)\n"
        "@socketio.on('connect')\ndef on_connect(auth):\n"
        "    if request.args.get('token') is None:\n        return False\n"
    )
    (server,) = facts_of(code, SocketIOServer)
    assert server.library == "flask-socketio"
    assert server.options.value("cors_allowed_origins") == ["https://app.example"]
    assert server.options.value("ping_timeout") == 20000
    assert code[: server.options.insert_at].endswith("ping_timeout=20000")
    # init_app's options are the ones python-engineio reads: seconds, as written
    assert (server.ping_timeout.seconds, server.ping_timeout.unit, server.ping_timeout.default) == (20000, "s", 20.0)
    (handler,) = server.handlers
    assert handler.refuses and [(r.channel, r.key) for r in handler.reads] == [("query", "token")]


def test_handler_that_never_reads_auth_nor_refuses() -> None:
    code = "import socketio\nsio = socketio.Server()\n@sio.on('connect')\ndef hello(sid, environ):\n    print(sid)\n"
    (server,) = facts_of(code, SocketIOServer)
    (handler,) = server.handlers
    assert handler.reads == [] and not handler.refuses and not handler.takes_auth


def test_namespace_class_handler() -> None:
    code = (
        "import socketio\n"
        "class Chat(socketio.AsyncNamespace):\n"
        "    async def on_connect(self, sid, environ, auth):\n"
        "        qs = environ['QUERY_STRING']\n"
        "sio = socketio.AsyncServer()\nsio.register_namespace(Chat('/chat'))\n"
    )
    (server,) = facts_of(code, SocketIOServer)
    (handler,) = server.handlers
    assert [(r.channel, r.key) for r in handler.reads] == [("query", None)]


def test_client_connect_with_url_token_auth_keys_and_typo() -> None:
    code = (
        "import socketio\n"
        "async def main(token):\n"
        "    client = socketio.AsyncClient(reconection=True)\n"
        "    await client.connect(f'http://localhost:5000/?token={token}', auth={'token': token}, wait_timeout=5)\n"
    )
    (client,) = facts_of(code, SocketIOClient)
    assert client.auth_keys == ["token"]
    assert code[client.url_token.start : client.url_token.end] == "token={token}"
    assert [o.name for o in client.unknown_options] == ["reconection"]
    assert client.options.value("wait_timeout") == 5


def test_simple_client_in_with_statement() -> None:
    code = (
        "import socketio\n"
        "with socketio.SimpleClient() as sio:\n"
        "    sio.connect('http://localhost:5000', headers={'Authorization': 'Bearer x'})\n"
    )
    (client,) = facts_of(code, SocketIOClient)
    assert client.url.value == "http://localhost:5000"
    assert client.auth_keys is None


def test_handler_registered_with_on_for_a_method_of_the_owning_class() -> None:
    code = (
        "import socketio\n"
        "class FakeServer:\n"
        "    def __init__(self):\n"
        "        self.server = socketio.AsyncServer(async_mode='aiohttp')\n"
        "        self.server.on('connect', self._connect, namespace='/rt')\n"
        "    async def _connect(self, sid, environ, auth=None):\n"
        "        if 'session=' not in environ.get('HTTP_COOKIE', ''):\n"
        "            raise ConnectionRefusedError('no session')\n"
    )
    (server,) = facts_of(code, SocketIOServer)
    (handler,) = server.handlers
    assert handler.takes_auth and handler.refuses
    assert [(r.channel, r.key) for r in handler.reads] == [("cookie", None)]


def test_handler_registered_with_on_for_a_module_function() -> None:
    code = (
        "import socketio\nsio = socketio.Server()\n"
        "def on_connect(sid, environ, auth):\n    return auth.get('token') == 'x'\n"
        "sio.on('connect', on_connect)\n"
    )
    (server,) = facts_of(code, SocketIOServer)
    (handler,) = server.handlers
    assert [(r.channel, r.key) for r in handler.reads] == [("auth", "token")]


def test_ternary_origins_are_unknown_not_guessed() -> None:
    code = "import socketio\nsio = socketio.AsyncServer(cors_allowed_origins=None if DEBUG else ['https://a.example'])\n"
    (server,) = facts_of(code, SocketIOServer)
    assert not server.options.get("cors_allowed_origins").value.known


def test_handlers_defined_elsewhere_are_opaque() -> None:
    code = (
        "import socketio\nfrom .auth import authenticate\nfrom chat import namespaces\n"
        "sio = socketio.Server()\nsio.on('connect', authenticate)\n"
        "sio.register_namespace(namespaces.Chat('/chat'))\n"
    )
    (server,) = facts_of(code, SocketIOServer)
    assert [h.opaque for h in server.handlers] == [True, True]
