from __future__ import annotations

from typing import Iterable

from authlint.diagnostics.diagnostic import Diagnostic
from authlint.facts.model import AuthRead, SocketIOClient, SocketIOServer
from authlint.files.kinds import CODE_KINDS
from authlint.rule import Invalid, Rule, Valid


def _where(source, span) -> str:
    return f"{source.relpath}:{source.position(span.start)[0]}"


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
                path="client.py", files={"server.py": SERVER}, message="auth['jwt']"),
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
        reads: list[tuple[SocketIOServer, AuthRead]] = [
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
                if auth_keys and not client.options.spread and client.lang == "python":
                    yield self.diagnostic(
                        client.source, client.span,
                        f"sends no `auth` payload, but the server reads auth['{sorted(auth_keys)[0]}'] ({where})",
                    )
                continue
            if client.auth_keys is None or dynamic:
                continue
            sent = set(client.auth_keys)
            if auth_keys and not sent & auth_keys:
                wanted = ", ".join(f"auth['{k}']" for k in sorted(auth_keys))
                yield self.diagnostic(
                    client.source, auth.span,
                    f"sends auth {sorted(sent)} but the server reads {wanted} ({where}): the credential is never seen",
                )
            elif not auth_keys:
                channels = sorted({read.channel for _, read in reads})
                yield self.diagnostic(
                    client.source, auth.span,
                    f"sends an `auth` payload, but the server never reads it; it reads the {', '.join(channels)} ({where})",
                )

    def _no_auth_parameter(self, project, server: SocketIOServer) -> Iterable[Diagnostic]:
        """Every connect handler lacks the ``auth`` parameter: a payload sent by a client is dropped."""
        handler = server.handlers[0]
        where = _where(server.source, handler.span)
        for client in project.facts(SocketIOClient):
            auth = client.options.get("auth")
            if auth is not None:
                yield self.diagnostic(
                    client.source, auth.span,
                    f"sends an `auth` payload, but the server's connect handler takes no `auth` argument ({where}): "
                    "the payload is dropped",
                )
