"""socket.io servers, handlers and clients from JS, TS, TSX, JSX, CommonJS and ESM."""

from __future__ import annotations

import pytest

from authlint.facts.model import CorsPolicy, SocketIOClient, SocketIOServer
from tests.facts.jsfacts import facts_of, one, text

ESM_SERVER = """\
import { createServer } from "http";
import { Server } from "socket.io";

const httpServer = createServer();
const io = new Server(httpServer, {
  cors: { origin: ["https://app.example.com"], credentials: true },
  pingTimeout: 2000,
  pingInterval: 25_000,
});

io.use((socket, next) => {
  const token = socket.handshake.auth.token;
  if (!token) return next(new Error("unauthorized"));
  next();
});
"""


def test_esm_server_options_values_and_spans() -> None:
    server = one("server.mjs", ESM_SERVER, SocketIOServer)
    assert server.library == "socket.io" and server.lang == "javascript"
    assert text(server, server.span).startswith("new Server(httpServer, {")
    timeout = server.options.get("pingTimeout")
    assert timeout is not None and timeout.value.value == 2000  # JS milliseconds, as written
    assert text(server, timeout.span) == "pingTimeout: 2000"
    assert text(server, timeout.name_span) == "pingTimeout"
    assert text(server, timeout.value.span) == "2000"
    assert server.options.value("pingInterval") == 25000
    # what they mean: seconds, with engine.io's unit kept for messages and fixes
    assert (server.ping_timeout.seconds, server.ping_timeout.unit) == (2.0, "ms")
    assert (server.ping_interval.seconds, server.ping_interval.default) == (25.0, 25.0)
    assert server.options.value("cors") == {"origin": ["https://app.example.com"], "credentials": True}
    assert server.unknown_options == []


def test_multiline_trailing_comma_insertion_keeps_layout() -> None:
    server = one("server.mjs", ESM_SERVER, SocketIOServer)
    bag = server.options
    code = server.source.text
    new = code[: bag.insert_at] + bag.insert_prefix + "connectTimeout: 45000" + bag.insert_suffix + code[bag.insert_at :]
    assert "  pingInterval: 25_000,\n  connectTimeout: 45000,\n});" in new


def test_single_line_and_missing_options_insertion() -> None:
    server = one("s.js", 'const { Server } = require("socket.io");\nconst io = new Server(3000, { pingTimeout: 5 });\n', SocketIOServer)
    bag = server.options
    assert bag.insert_prefix == ", " and server.source.text[bag.insert_at - 1] == "5"
    bare = one("s.js", 'const { Server } = require("socket.io");\nconst io = new Server(httpServer);\n', SocketIOServer)
    code = bare.source.text
    edited = code[: bare.options.insert_at] + bare.options.insert_prefix + "pingTimeout: 20000" + bare.options.insert_suffix + code[bare.options.insert_at :]
    assert "new Server(httpServer, { pingTimeout: 20000 });" in edited
    empty = one("s.js", 'const { Server } = require("socket.io");\nconst io = new Server();\n', SocketIOServer)
    code = empty.source.text
    edited = code[: empty.options.insert_at] + empty.options.insert_prefix + "cors: x" + empty.options.insert_suffix + code[empty.options.insert_at :]
    assert "new Server({ cors: x });" in edited


@pytest.mark.parametrize(
    "code",
    [
        'const io = require("socket.io")(server, { pingTimeout: 60000 });\n',
        'const socketIO = require("socket.io");\nconst io = socketIO(server, { pingTimeout: 60000 });\n',
        'const SocketIO = require("socket.io");\nconst io = new SocketIO.Server(server, { pingTimeout: 60000 });\n',
        'import * as sio from "socket.io";\nconst io = new sio.Server(server, { pingTimeout: 60000 });\n',
        'import { Server as IOServer } from "socket.io";\nconst opts = { pingTimeout: 60000 };\nconst io = new IOServer(server, opts);\n',
        'const io = require("socket.io").listen(3000, { pingTimeout: 60000 });\n',
    ],
)
def test_commonjs_and_esm_server_forms(code: str) -> None:
    server = one("server.js", code, SocketIOServer)
    assert server.options.value("pingTimeout") == 60000


def test_options_in_a_const_point_into_the_const() -> None:
    code = 'import { Server } from "socket.io";\nconst options = { pingTimeout: 1000 };\nexport const io = new Server(srv, options);\n'
    server = one("server.ts", code, SocketIOServer)
    option = server.options.get("pingTimeout")
    assert option is not None and option.value.span.start < code.index("new Server")
    assert text(server, server.options.span) == "{ pingTimeout: 1000 }"


def test_typescript_casts_and_satisfies_do_not_hide_options() -> None:
    code = (
        'import { Server, ServerOptions } from "socket.io";\n'
        "const io = new Server(httpServer!, ({ pingTimeout: 3000 as number, cors: { origin: true } } satisfies Partial<ServerOptions>) as any);\n"
    )
    server = one("server.ts", code, SocketIOServer)
    assert server.lang == "typescript"
    assert server.options.value("pingTimeout") == 3000
    cors = one("server.ts", code, CorsPolicy)
    assert cors.origins is not None and cors.origins.value is True


def test_v2_leftovers_and_typos_are_unknown_options() -> None:
    code = 'const io = require("socket.io")(srv, { origins: "*:*", handlePreflightRequest: (req, res) => {}, pingTimout: 5000 });\n'
    server = one("server.js", code, SocketIOServer)
    assert sorted(o.name for o in server.unknown_options) == ["handlePreflightRequest", "origins", "pingTimout"]
    spread = one("server.js", 'const io = require("socket.io")(srv, { ...base, origins: "*", pingTimout: 1 });\n', SocketIOServer)
    assert [o.name for o in spread.unknown_options] == ["origins"]  # with a spread only known leftovers are sure


def test_server_cors_policy_spans_point_into_the_cors_object() -> None:
    code = 'import { Server } from "socket.io";\nconst io = new Server(srv, { cors: { origin: "*", credentials: true } });\n'
    cors = one("server.js", code, CorsPolicy)
    assert cors.framework == "socket.io"
    assert text(cors, cors.span) == 'cors: { origin: "*", credentials: true }'
    assert cors.origins is not None and cors.origins.value == "*" and text(cors, cors.origins.span) == '"*"'
    assert cors.credentials is not None and cors.credentials.value is True
    assert cors.options.insert_at is not None


def test_regex_and_list_origins() -> None:
    code = 'import { Server } from "socket.io";\nnew Server(srv, { cors: { origin: [/\\.example\\.com$/, "http://localhost:3000"] } });\n'
    cors = one("server.js", code, CorsPolicy)
    assert cors.origins is not None and cors.origins.value == ["\\.example\\.com$", "http://localhost:3000"]
    regex = one("server.js", 'import { Server } from "socket.io";\nnew Server(srv, { cors: { origin: /example/ } });\n', CorsPolicy)
    assert regex.origins is not None and regex.origins.is_regex and regex.origins.value == "example"


def test_middleware_reads_and_refusal() -> None:
    server = one("server.mjs", ESM_SERVER, SocketIOServer)
    (handler,) = server.handlers
    assert handler.refuses and handler.takes_auth
    assert [(r.channel, r.key) for r in handler.reads] == [("auth", "token")]
    assert text(server, handler.reads[0].span) == "socket.handshake.auth.token"


HANDLERS_TS = """\
import { Server, Socket } from "socket.io";
const AUTH_HEADER = "Authorization";
const io = new Server(3000);

io.use(authenticate);
io.of("/admin").use((socket: Socket, next: (err?: Error) => void) => {
  const { token, user: u } = socket.handshake.auth;
  const q = socket.handshake.query;
  verify(q.apiKey as string, token!);
  next();
});
io.on("connection", (socket) => {
  const header = socket?.handshake?.headers?.[AUTH_HEADER.toLowerCase()];
  const bearer = socket.request.headers.authorization?.split(" ")[1];
  if (!bearer) socket.disconnect(true);
});
io.sockets.on("connect", function (socket) {
  const cookies = socket.handshake.headers.cookie;
});

function authenticate(socket: Socket, next) {
  const auth = socket.handshake.auth;
  if (!isValid(auth["jwt"])) {
    next(new Error("invalid token"));
  }
}
"""


def test_handlers_in_typescript_with_aliases_destructuring_and_namespaces() -> None:
    server = one("io.ts", HANDLERS_TS, SocketIOServer)
    assert len(server.handlers) == 4
    hoisted, admin, connection, cookie = server.handlers
    assert [(r.channel, r.key) for r in hoisted.reads] == [("auth", "jwt")]
    assert hoisted.refuses
    assert text(server, hoisted.span).startswith("function authenticate(socket: Socket, next)")
    assert sorted((r.channel, r.key) for r in admin.reads) == [("auth", "token"), ("auth", "user"), ("query", "apiKey")]
    assert not admin.refuses
    assert [(r.channel, r.key) for r in connection.reads] == [("header", None), ("header", "authorization")]
    assert connection.refuses  # socket.disconnect(true)
    assert text(server, connection.reads[1].span) == "socket.request.headers.authorization"
    assert [(r.channel, r.key) for r in cookie.reads] == [("cookie", None)]


def test_handler_without_socket_parameter_cannot_take_auth() -> None:
    code = 'const io = require("socket.io")(srv);\nio.on("connection", () => { console.log("hi"); });\n'
    (handler,) = one("s.js", code, SocketIOServer).handlers
    assert handler.takes_auth is False and handler.reads == [] and not handler.refuses


def test_other_events_and_other_emitters_are_not_handlers() -> None:
    code = (
        'const io = require("socket.io")(srv);\nio.on("disconnect", (s) => s.handshake.auth.token);\n'
        'emitter.on("connection", (s) => s.handshake.auth.token);\napp.use((req, res, next) => next(new Error()));\n'
    )
    assert one("s.js", code, SocketIOServer).handlers == []


CLIENT_TSX = """\
import { io, Manager } from "socket.io-client";
import { useEffect } from "react";

export function Chat({ token }: { token: string }) {
  useEffect(() => {
    const socket = io("https://api.example.com", {
      auth: { token },
      withCredentials: true,
      transports: ["websocket"],
    });
    const legacy = io(`https://api.example.com/chat?token=${token}&room=1`);
    const manager = new Manager("https://api.example.com", { query: { token }, reconection: false });
    return () => socket.close();
  }, [token]);
  return <div>{token}</div>;
}
"""


def test_clients_in_tsx() -> None:
    clients = facts_of("Chat.tsx", CLIENT_TSX, SocketIOClient)
    assert len(clients) == 3
    modern, legacy, manager = clients
    assert modern.library == "socket.io-client" and modern.lang == "typescript"
    assert modern.url is not None and modern.url.value == "https://api.example.com"
    assert modern.auth_keys == ["token"]
    assert modern.options.value("withCredentials") is True
    assert modern.url_token is None
    assert text(legacy, legacy.url_token) == "token=${token}"
    assert legacy.options.insert_prefix == ", { " and legacy.options.insert_suffix == " }"
    assert manager.options.get("query") is not None and manager.auth_keys is None
    assert [o.name for o in manager.unknown_options] == ["reconection"]


@pytest.mark.parametrize(
    "name, code, expected",
    [
        ("c.js", 'const io = require("socket.io-client");\nconst s = io.connect("http://x:3000/?token=" + t);\n', 'token=" + t'),
        ("c.js", 'import io from "socket.io-client";\nconst s = io(URL + "?access_token=" + getToken(), {});\n', 'access_token=" + getToken()'),
        ("c.jsx", 'const socket = io("/", { query: { token } });\n', None),  # CDN global io
    ],
)
def test_client_forms_and_url_tokens(name: str, code: str, expected: str | None) -> None:
    client = one(name, code, SocketIOClient)
    if expected is None:
        assert client.url_token is None and client.options.get("query") is not None
    else:
        assert client.url_token is not None
        assert client.source.slice(client.url_token).startswith(expected.split(" ")[0].split('"')[0])


def test_client_url_token_inside_a_string_literal() -> None:
    code = 'import { io } from "socket.io-client";\nio("wss://x.example/?sid=1&jwt=abc.def#frag");\n'
    client = one("c.mjs", code, SocketIOClient)
    assert text(client, client.url_token) == "jwt=abc.def"


def test_client_options_only_form_and_auth_callback() -> None:
    code = 'import { io } from "socket.io-client";\nconst s = io({ auth: (cb) => cb({ token: localStorage.token }) });\n'
    client = one("c.ts", code, SocketIOClient)
    assert client.url is None and client.auth_keys == ["token"]  # the keys handed to the callback
    assert client.options.get("auth") is not None


def test_server_variable_named_io_is_not_a_client() -> None:
    code = 'const { Server } = require("socket.io");\nconst io = new Server(3000);\nio.on("connection", (s) => {});\n'
    assert facts_of("s.js", code, SocketIOClient) == []


def test_middleware_from_elsewhere_is_opaque() -> None:
    code = (
        'import { Server } from "socket.io";\nimport { authorize } from "@thream/socketio-jwt";\n'
        "const io = new Server(3000);\nio.use(authorize({ secret: process.env.SECRET }));\n"
        'io.use(importedMiddleware);\nio.use((socket, next) => next());\n'
    )
    server = one("io.ts", code, SocketIOServer)
    built, imported, inline = server.handlers
    assert built.opaque and imported.opaque and not inline.opaque
    assert built.reads == [] and not built.refuses
    assert text(server, built.span) == "authorize({ secret: process.env.SECRET })"
    assert text(server, imported.span) == "importedMiddleware"


NEST_GATEWAY = """\
import { WebSocketGateway, WebSocketServer, OnGatewayConnection } from "@nestjs/websockets";
import { Server, Socket } from "socket.io";

@WebSocketGateway(81, { cors: { origin: "*" }, pingTimeout: 1000 })
export class ChatGateway implements OnGatewayConnection {
  @WebSocketServer() server: Server;

  handleConnection(client: Socket) {
    const token = client.handshake.headers.authorization;
    if (!token) client.disconnect();
  }
}
"""


def test_nestjs_gateway_is_a_socketio_server() -> None:
    server = one("chat.gateway.ts", NEST_GATEWAY, SocketIOServer)
    assert server.options.value("pingTimeout") == 1000
    (handler,) = server.handlers
    assert [(r.channel, r.key) for r in handler.reads] == [("header", "authorization")]
    assert handler.refuses
    cors = one("chat.gateway.ts", NEST_GATEWAY, CorsPolicy)
    assert cors.origins is not None and cors.origins.value == "*"


def test_server_held_in_a_class_field() -> None:
    code = (
        'import { Server } from "socket.io";\nexport class Realtime {\n  private io: Server;\n'
        "  start(http) {\n    this.io = new Server(http, { pingInterval: 10 });\n"
        '    this.io.on("connection", (socket) => { if (!socket.handshake.auth.jwt) socket.disconnect(); });\n  }\n}\n'
    )
    server = one("realtime.ts", code, SocketIOServer)
    (handler,) = server.handlers
    assert [(r.channel, r.key) for r in handler.reads] == [("auth", "jwt")] and handler.refuses


@pytest.mark.parametrize("empty, expected", [("{}", "{ pingTimeout: 20000 }"), ("{ }", "{ pingTimeout: 20000 }")])
def test_insertion_into_an_empty_object(empty: str, expected: str) -> None:
    code = f'import {{ Server }} from "socket.io";\nnew Server(srv, {empty});\n'
    bag = one("s.js", code, SocketIOServer).options
    edited = code[: bag.insert_at] + bag.insert_prefix + "pingTimeout: 20000" + bag.insert_suffix + code[bag.insert_at :]
    assert f"new Server(srv, {expected});" in edited


def test_crlf_and_tab_layout_is_kept_when_inserting() -> None:
    code = 'import { Server } from "socket.io";\r\nconst io = new Server(srv, {\r\n\tpingInterval: 25000\r\n});\r\n'
    bag = one("s.js", code, SocketIOServer).options
    edited = code[: bag.insert_at] + bag.insert_prefix + "pingTimeout: 20000" + bag.insert_suffix + code[bag.insert_at :]
    assert edited == 'import { Server } from "socket.io";\r\nconst io = new Server(srv, {\r\n\tpingInterval: 25000,\r\n\tpingTimeout: 20000\r\n});\r\n'


def test_auth_callback_keys() -> None:
    code = 'import { io } from "socket.io-client";\nio(URL, { auth: async (cb) => cb({ token: await refresh() }) });\nio(URL, { auth: (cb) => cb(makeAuth()) });\n'
    first, second = facts_of("c.ts", code, SocketIOClient)
    assert first.auth_keys == ["token"] and second.auth_keys is None


def test_session_shared_from_express_counts_as_a_cookie_read() -> None:
    code = (
        'import { Server } from "socket.io";\nconst io = new Server(3000);\nio.engine.use(sessionMiddleware);\n'
        'io.use((socket, next) => (socket.request.user ? next() : next(new Error("unauthorized"))));\n'
    )
    (handler,) = one("s.ts", code, SocketIOServer).handlers
    assert [(r.channel, r.key) for r in handler.reads] == [("cookie", None)] and handler.refuses


def test_a_local_function_named_io_is_not_the_cdn_client() -> None:
    code = "function io(a, b, c, d) { return a; }\nio(c, u, k, { expectedNonce: n });\nio(\"/\");\n"
    assert facts_of("bundle.js", code, SocketIOClient) == []
