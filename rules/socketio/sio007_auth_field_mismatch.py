from __future__ import annotations

from typing import Iterable

from authlint.diagnostics.diagnostic import Diagnostic
from authlint.facts.model import HandshakeCredential, SocketIOClient, SocketIOServer
from authlint.files.kinds import CODE_KINDS
from authlint.rule import Invalid, Rule, Valid, Violation


def _where(source, span) -> str:
    return f"{source.relpath}:{source.position(span.start)[0]}"


class NoAuthSent(Violation):
    wanted: str  # the first auth key the server reads
    where: str

    def message(self) -> str:
        return f"sends no `auth` payload, but the server reads auth['{self.wanted}'] ({self.where})"


class AuthKeysUnread(Violation):
    sent: tuple[str, ...]
    wanted: tuple[str, ...]
    where: str

    def message(self) -> str:
        reads = ", ".join(f"auth['{k}']" for k in self.wanted)
        return f"sends auth {list(self.sent)} but the server reads {reads} ({self.where}): the credential is never seen"


class AuthUnread(Violation):
    channels: tuple[str, ...]  # what the server reads instead
    where: str

    def message(self) -> str:
        return (f"sends an `auth` payload, but the server never reads it; it reads the {', '.join(self.channels)} "
                f"({self.where})")


class AuthDropped(Violation):
    where: str

    def message(self) -> str:
        return (f"sends an `auth` payload, but the server's connect handler takes no `auth` argument ({self.where}): "
                "the payload is dropped")


class AuthFieldMismatch(Rule):
    """
    ## What it does
    Joins the project's Socket.IO clients and servers: a client that sends `auth={"token": ...}`
    while every connect handler reads `auth["jwt"]`, or only a header or the query string, or has no
    `auth` parameter at all (Flask-SocketIO `def connect():`); or a client that sends no `auth` to a
    server that reads one.

    ## Why is this bad?
    Both sides look fine alone; together every connection is refused ("authentication failed",
    `connect_error`), or, worse, the handler treats the missing field as an anonymous user.

    ## Example
    ```python
    # client.py
    sio.connect(url, auth={"token": token})
    # server.py
    @sio.event
    def connect(sid, environ, auth):
        user = check(auth["jwt"])
    ```
    Use the same field name on both sides.

    ## Fix safety
    No fix: which name is right depends on the other clients of the server.

    ## References
    - python-socketio: the client's `connect(url, auth=...)` reaches `connect(sid, environ, auth)`:
      https://python-socketio.readthedocs.io/en/latest/server.html#connect-and-disconnect-events
    - socket.io-client `auth` option and `socket.handshake.auth` on the server:
      https://socket.io/docs/v4/middlewares/#sending-credentials
    - Flask-SocketIO#1555 (`connect()` handlers without the `auth` argument)
    """

    code = "SIO007"
    name = "auth-field-mismatch"
    summary = "Socket.IO client sends its credential where the server does not read it"
    kinds = CODE_KINDS
    triggers = ("socketio", "socket.io")
    project_rule = True
    languages = "Python, JS/TS"
    SERVER = (
        "import socketio\nsio = socketio.Server()\n@sio.event\ndef connect(sid, environ, auth):\n"
        "    if not auth or not valid(auth.get('jwt')):\n        return False\n"
    )
    examples = (
        Valid("import socketio\nc = socketio.Client()\nc.connect('http://localhost:5000', auth={'jwt': t})\n",
              path="client.py", files={"server.py": SERVER}),
        Valid("import socketio\nc = socketio.Client()\nc.connect('http://localhost:5000', auth=token_provider)\n",
              path="client.py", files={"server.py": SERVER}),
        Valid("import socketio\nc = socketio.Client()\nc.connect('http://localhost:5000', auth={'token': t})\n",
              path="client.py"),
        Invalid("import socketio\nc = socketio.Client()\nc.connect('http://localhost:5000', auth={'token': t})\n",
                path="client.py", files={"server.py": SERVER}, message="auth['jwt']", span=(3, 36, 3, 53)),
        Invalid("import socketio\nc = socketio.Client()\nc.connect('http://localhost:5000', headers={'X-Token': t})\n",
                path="client.py", files={"server.py": SERVER}, message="no `auth`"),
        Invalid(
            "import socketio\nc = socketio.Client()\nc.connect('http://localhost:5000', auth={'token': t})\n",
            path="client.py",
            files={"server.py": "from flask_socketio import SocketIO\nsocketio = SocketIO(app)\n"
                   "@socketio.on('connect')\ndef connect():\n    print('hello')\n"},
            message="takes no `auth` argument",
        ),
        Invalid(
            "import socketio\nc = socketio.Client()\nc.connect('http://localhost:5000', auth={'token': t})\n",
            path="client.py",
            files={"server.py": "import socketio\nsio = socketio.Server()\n@sio.event\ndef connect(sid, environ, auth):\n"
                   "    if not valid(environ.get('HTTP_AUTHORIZATION')):\n        return False\n"},
            message="never reads",
        ),
        # JavaScript / TypeScript: `io(url, { auth })` against `socket.handshake.auth` reads.
        Valid(
            'import { Server } from "socket.io";\nconst io = new Server(3000);\nio.use((socket, next) => (ok(socket.handshake.auth.token) ? next() : next(new Error("no"))));\n',
            path="server.ts", files={"client.ts": 'import { io } from "socket.io-client";\nio(URL, { auth: { token } });\n'},
        ),
        Invalid(
            'import { Server } from "socket.io";\nconst io = new Server(3000);\nio.use((socket, next) => (ok(socket.handshake.auth.jwt) ? next() : next(new Error("no"))));\n',
            path="server.ts", files={"client.ts": 'import { io } from "socket.io-client";\nio(URL, { auth: { token } });\n'},
            message="never seen",
            span=(2, 11, 2, 26),
        ),
        # socket.io-client may set `socket.auth` later: a client without the option is not judged
        Valid(
            'import { Server } from "socket.io";\nconst io = new Server(3000);\nio.use((socket, next) => (ok(socket.handshake.auth.token) ? next() : next(new Error("no"))));\n',
            path="server.ts",
            files={"client.ts": 'import { io } from "socket.io-client";\nconst s = io(URL, { autoConnect: false });\ns.auth = { token };\ns.connect();\n'},
        ),
        Invalid(  # python-socketio takes the payload only as a connect() argument: a JS server waits in vain
            'import { Server } from "socket.io";\nconst io = new Server(3000);\n'
            'io.use((socket, next) => (ok(socket.handshake.auth.jwt) ? next() : next(new Error("no"))));\n',
            path="server.ts",
            files={"client.py": "import socketio\nc = socketio.Client()\nc.connect('http://localhost:5000')\n"},
            message="sends no `auth` payload",
        ),
        Invalid(
            'const io = require("socket.io")(3000);\nio.on("connection", (socket) => { if (!ok(socket.handshake.headers.authorization)) socket.disconnect(); });\n',
            path="server.js", files={"client.js": 'const { io } = require("socket.io-client");\nio(URL, { auth: { token: t } });\n'},
            message="never reads it",
        ),
    )

    def check_project(self, project) -> Iterable[Diagnostic]:
        servers = [server for server in project.facts(SocketIOServer) if server.handlers]
        if any(handler.opaque for server in servers for handler in server.handlers):
            return  # some handler is defined elsewhere: what the server reads is not known
        reads: list[tuple[SocketIOServer, HandshakeCredential]] = [
            (server, read) for server in servers for handler in server.handlers for read in handler.reads
        ]
        if servers and not any(h.takes_auth for server in servers for h in server.handlers):
            yield from self._no_auth_parameter(project, servers[0])
            return
        if not reads:
            return
        auth_keys = {read.key for _, read in reads if read.channel == "auth" and read.key}
        dynamic = any(read.channel == "auth" and not read.key for _, read in reads)
        first_server, first_read = next(((s, r) for s, r in reads if r.channel == "auth" and r.key), reads[0])
        where = _where(first_server.source, first_read.span)
        for client in project.facts(SocketIOClient):
            auth = client.options.get("auth")
            if auth is None:
                if auth_keys and client.sends_auth is False:
                    yield self.report(client.source, client.span, NoAuthSent(sorted(auth_keys)[0], where))
                continue
            sent_auth = [c for c in client.sends if c.channel == "auth"]
            if any(c.key is None for c in sent_auth) or dynamic:
                continue  # the payload is built elsewhere, or the server reads it whole
            sent = {c.key for c in sent_auth if c.key is not None}
            if auth_keys and not sent & auth_keys:
                yield self.report(client.source, auth.span, AuthKeysUnread(tuple(sorted(sent)), tuple(sorted(auth_keys)), where))
            elif not auth_keys:
                channels = tuple(sorted({read.channel for _, read in reads}))
                yield self.report(client.source, auth.span, AuthUnread(channels, where))

    def _no_auth_parameter(self, project, server: SocketIOServer) -> Iterable[Diagnostic]:
        """Every connect handler lacks the ``auth`` parameter: a payload sent by a client is dropped."""
        handler = server.handlers[0]
        where = _where(server.source, handler.span)
        for client in project.facts(SocketIOClient):
            auth = client.options.get("auth")
            if auth is not None:
                yield self.report(client.source, auth.span, AuthDropped(where))
