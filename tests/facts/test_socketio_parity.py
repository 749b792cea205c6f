"""The same Socket.IO server and client written in Python and in JavaScript give equal normalised
facts: ping timers in seconds (with the unit each library reads), unknown options with the option
and unit meant, and credentials by channel, so rules never ask which language they read."""

from __future__ import annotations

from authlint.facts.model import SocketIOClient, SocketIOServer, TimedOption, UnknownOption
from tests.facts import helpers
from tests.facts.jsfacts import facts_of as js_facts_of

PY_SERVER = """\
import socketio

sio = socketio.Server(ping_timeout=2, ping_interval=25, pingInterval=30000)


@sio.event
def connect(sid, environ, auth):
    if not valid(auth.get("token"), environ.get("HTTP_AUTHORIZATION")):
        return False
"""
JS_SERVER = """\
import { Server } from "socket.io";

const io = new Server(3000, { pingTimeout: 2000, pingInterval: 25000, ping_interval: 30 });

io.use((socket, next) => {
  if (!valid(socket.handshake.auth.token, socket.handshake.headers.authorization)) return next(new Error("no"));
  next();
});
"""
PY_CLIENT = """\
import socketio

sio = socketio.Client()
sio.connect("https://chat.example.com?token=abc", auth={"token": t, "room": r}, headers={"X-Api-Key": k})
"""
JS_CLIENT = """\
import { io } from "socket.io-client";

io("https://chat.example.com?token=abc", { auth: { token: t, room: r }, extraHeaders: { "X-Api-Key": k } });
"""


def _timer(timer: TimedOption | None) -> tuple:
    assert timer is not None
    return timer.seconds, timer.default


def _meaning(unknown: UnknownOption) -> tuple:
    return unknown.meant, unknown.unit, unknown.meant_unit


def _python(code: str, kind: type):
    (fact,) = helpers.facts_of(code, kind)
    return fact


def _javascript(name: str, code: str, kind: type):
    (fact,) = js_facts_of(name, code, kind)
    return fact


def test_ping_timers_mean_the_same_seconds_in_both_languages() -> None:
    py, js = _python(PY_SERVER, SocketIOServer), _javascript("server.mjs", JS_SERVER, SocketIOServer)
    assert _timer(py.ping_timeout) == _timer(js.ping_timeout) == (2.0, 20.0)
    assert _timer(py.ping_interval) == _timer(js.ping_interval) == (25.0, 25.0)
    # the option as written is kept, with the unit its library reads it in
    assert (py.ping_timeout.option.name, py.ping_timeout.unit, py.ping_timeout.read_by) == ("ping_timeout", "s", "python-engineio")
    assert (js.ping_timeout.option.name, js.ping_timeout.unit, js.ping_timeout.read_by) == ("pingTimeout", "ms", "engine.io")
    assert js.source.slice(js.ping_timeout.option.value.span) == "2000"


def test_another_librarys_spelling_is_an_unknown_option_with_its_meaning_and_unit() -> None:
    py, js = _python(PY_SERVER, SocketIOServer), _javascript("server.mjs", JS_SERVER, SocketIOServer)
    (py_unknown,) = py.unknown_options
    (js_unknown,) = js.unknown_options
    assert py_unknown.name == "pingInterval" and _meaning(py_unknown) == ("ping_interval", "ms", "s")
    assert js_unknown.name == "ping_interval" and _meaning(js_unknown) == ("pingInterval", "s", "ms")
    # neither is taken for the library's own timer
    assert py.ping_interval.option.name == "ping_interval" and js.ping_interval.option.name == "pingInterval"


def test_a_typo_keeps_the_unit_of_the_option_meant() -> None:
    py = _python("import socketio\nsio = socketio.Server(ping_timout=30, cors_allow_origins='*')\n", SocketIOServer)
    assert {u.name: _meaning(u) for u in py.unknown_options} == {
        "ping_timout": ("ping_timeout", "s", "s"),
        "cors_allow_origins": ("cors_allowed_origins", None, None),
    }
    js = _javascript("s.js", 'const io = require("socket.io")(srv, { pingTimout: 5000, origins: "*" });\n', SocketIOServer)
    by_name = {u.name: u for u in js.unknown_options}
    assert _meaning(by_name["pingTimout"]) == ("pingTimeout", "ms", "ms")
    assert by_name["origins"].removed is not None and by_name["origins"].meant is None


def test_a_timer_that_is_not_a_number_has_no_seconds() -> None:
    py = _python("import socketio\nsio = socketio.Server(ping_interval=(25, 5), ping_timeout=T)\n", SocketIOServer)
    assert py.ping_interval.seconds is None and py.ping_timeout.seconds is None
    assert _python("import socketio\nsio = socketio.Server()\n", SocketIOServer).ping_timeout is None


def test_handlers_read_the_same_channels() -> None:
    py, js = _python(PY_SERVER, SocketIOServer), _javascript("server.mjs", JS_SERVER, SocketIOServer)
    (py_handler,), (js_handler,) = py.handlers, js.handlers
    expected = [("auth", "token"), ("header", "authorization")]
    assert [(r.channel, r.key) for r in py_handler.reads] == [(r.channel, r.key) for r in js_handler.reads] == expected
    assert py.source.slice(py_handler.head) == "def connect(sid, environ, auth):"
    assert js.source.slice(js_handler.head) == "(socket, next) => {"


def test_clients_send_the_same_credentials_by_channel() -> None:
    py, js = _python(PY_CLIENT, SocketIOClient), _javascript("client.mjs", JS_CLIENT, SocketIOClient)
    channels = [("url", "token"), ("auth", "token"), ("auth", "room"), ("header", "x-api-key")]
    assert sorted((c.channel, c.key) for c in py.sends) == sorted((c.channel, c.key) for c in js.sends) == sorted(channels)
    assert py.sends_auth is js.sends_auth is True
    assert py.bare_url == js.bare_url == "https://chat.example.com"
    for client in (py, js):
        (url,) = [c for c in client.sends if c.channel == "url"]
        assert client.source.slice(url.span) == "token=abc" and url.value is not None and url.value.value == "abc"
        assert client.auth_keys == ["token", "room"]


def test_whether_an_auth_payload_can_still_come_is_said_per_library() -> None:
    # python-socketio takes the payload only as connect()'s argument; socket.io-client also as `socket.auth = ...`
    py = _python("import socketio\nc = socketio.Client()\nc.connect('http://h')\n", SocketIOClient)
    js = _javascript("c.mjs", 'import { io } from "socket.io-client";\nconst s = io("http://h");\n', SocketIOClient)
    assert py.sends_auth is False and js.sends_auth is None
    spread = _python("import socketio\nc = socketio.Client()\nc.connect('http://h', **opts)\n", SocketIOClient)
    assert spread.sends_auth is None


def test_dynamic_payloads_and_substituted_url_tokens() -> None:
    py = _python(
        "import socketio\nasync def go(token):\n    c = socketio.AsyncClient()\n"
        "    await c.connect(f'http://h?token={ token }', auth=provider)\n",
        SocketIOClient,
    )
    js = _javascript("c.ts", 'import { io } from "socket.io-client";\nio(`http://h?token=${ token }`, { auth: provider });\n', SocketIOClient)
    for client in (py, js):
        assert [(c.channel, c.key) for c in client.sends if c.channel == "auth"] == [("auth", None)]
        assert client.auth_keys is None
        (url,) = [c for c in client.sends if c.channel == "url"]
        assert url.value is not None and url.value.text == "token" and not url.value.known
        assert client.source.slice(url.value.span) == "token"
        assert client.bare_url == "http://h"


def test_no_default_library() -> None:
    import dataclasses

    for kind in (SocketIOServer, SocketIOClient):
        library = next(f for f in dataclasses.fields(kind) if f.name == "library")
        assert library.default is dataclasses.MISSING


def test_nats_clients_present_the_same_credentials_in_python_and_javascript() -> None:
    """nats-py says ``password=``, nats.js ``pass:``: the fact carries the meaning, once."""
    from authlint.facts.model import NatsClient
    from tests.facts import helpers, jsfacts

    (py,) = helpers.facts_of(
        'import nats\nasync def main():\n    nc = await nats.connect("nats://h:4222", user="u", password="p")\n', NatsClient
    )
    js = jsfacts.one(
        "client.mjs", 'import { connect } from "nats";\nconst nc = await connect({ servers: "nats://h:4222", user: "u", pass: "p" });\n',
        NatsClient,
    )
    for client in (py, js):
        assert (client.user.value.value, client.password.value.value, client.token) == ("u", "p", None)
    assert (py.library, js.library) == ("nats-py", "nats.js")
