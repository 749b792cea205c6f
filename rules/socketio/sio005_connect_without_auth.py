from __future__ import annotations

from typing import Iterable

from authlint.diagnostics.diagnostic import Diagnostic
from authlint.facts.model import (
    ConnectHandler,
    CookieSet,
    ForeignConnectHandler,
    JwtConfig,
    JwtMint,
    JwtVerify,
    SocketIOServer,
)
from authlint.facts.travel import SERVER_SHARED_TRIGGERS, Travel
from authlint.files.kinds import CODE_KINDS
from authlint.files.source import Source
from authlint.rule import Invalid, Rule, Valid, Violation, Wanted
from authlint.rules.socketio.handler_lenders import handler_lenders

AUTH_EVIDENCE = (JwtVerify, JwtMint, JwtConfig, CookieSet)


class NoConnectHandler(Violation):
    where: str  # the line that authenticates users elsewhere in the file

    def message(self) -> str:
        return (f"no connect handler checks credentials, while this file authenticates users ({self.where}): "
                "anyone can connect")


class ForeignHandlerAcceptsAnyone(Violation):
    """(travel) A connect handler registered on a server that another module creates."""

    server_at: str  # the module creating the server
    where: str  # where that module authenticates users

    def message(self) -> str:
        return (f"connect handler of the Socket.IO server made in {self.server_at} never reads a credential nor "
                f"refuses a connection, while that server's module authenticates users ({self.where}): "
                "anyone can connect")


class HandlerAcceptsAnyone(Violation):
    where: str

    def message(self) -> str:
        return (f"connect handler never reads a credential nor refuses a connection, while this file "
                f"authenticates users ({self.where}): anyone can connect")


class ConnectWithoutAuth(Rule):
    """
    ## What it does
    Finds Socket.IO servers whose connect handlers (python `@sio.event def connect`,
    `@sio.on("connect")`, Flask-SocketIO `@socketio.on("connect")`, namespace `on_connect`; JS
    `io.use`/`connection` handlers) never read a credential and never refuse a connection, or that
    have no connect handler at all, in a file that authenticates its users elsewhere (it verifies or
    mints JWTs, configures Flask-JWT-Extended, or sets token cookies).

    Handlers are read where they are written: a connect handler registered in another module on
    the imported server (`from .addon import sio`; `@sio.on("connect")`), and an `io.use` middleware
    or `connection` handler imported from another module of the project.

    ## Why is this bad?
    The HTTP routes check a token, but the Socket.IO endpoint lets anyone connect: every event handler
    then runs for anonymous clients. A connect handler should read `auth` (or the session) and
    `return False` / `raise ConnectionRefusedError` when it is missing or invalid.

    ## Example
    ```python
    @sio.event
    async def connect(sid, environ, auth):
        print("connected", sid)
    ```
    Use instead:
    ```python
    @sio.event
    async def connect(sid, environ, auth):
        if not auth or not valid(auth.get("token")):
            raise socketio.exceptions.ConnectionRefusedError("authentication failed")
    ```

    ## Fix safety
    No fix: how to check a credential is the application's decision.

    ## References
    - python-socketio, rejecting a connection (`return False`, `ConnectionRefusedError`):
      https://python-socketio.readthedocs.io/en/latest/server.html#connect-and-disconnect-events
    - Flask-SocketIO connect handlers (`def connect(auth)`, `return False`):
      https://flask-socketio.readthedocs.io/en/latest/getting_started.html#connection-events
    - socket.io middlewares (`io.use`, `next(new Error(...))`): https://socket.io/docs/v4/middlewares/
    """

    code = "SIO005"
    name = "connect-without-auth"
    summary = "Socket.IO connections are accepted without checking credentials"
    kinds = CODE_KINDS
    triggers = ("socketio", "socket.io")
    lend_triggers = SERVER_SHARED_TRIGGERS  # handlers registered in other modules (``handler_lenders``)
    languages = "Python, JS/TS"
    project_rule = True  # (travel) a connect handler may be registered in another module
    examples = (
        Valid(
            "import jwt, socketio\nsio = socketio.Server()\n"
            "@sio.event\ndef connect(sid, environ, auth):\n"
            "    try:\n        jwt.decode(auth['token'], KEY, algorithms=['HS256'])\n"
            "    except jwt.InvalidTokenError:\n        raise ConnectionRefusedError('authentication failed')\n"
        ),
        Valid(  # no authentication anywhere in the file: a public chat is a choice
            "import socketio\nsio = socketio.Server()\n@sio.event\ndef connect(sid, environ):\n    print(sid)\n"
        ),
        Valid(
            "from flask_socketio import SocketIO\nfrom flask_login import current_user\nimport jwt\n"
            "socketio = SocketIO(app)\njwt.decode(t, K, algorithms=['HS256'])\n"
            "@socketio.on('connect')\ndef connect():\n    if not current_user.is_authenticated:\n        return False\n"
        ),
        Valid(  # the handler lives in another module: what it checks cannot be seen here
            "import jwt, socketio\nfrom .auth import authenticate\nsio = socketio.AsyncServer()\n"
            "sio.on('connect', authenticate)\njwt.decode(t, K, algorithms=['HS256'])\n"
        ),
        Valid(
            "import jwt, socketio\nfrom chat.namespaces import ChatNamespace\nsio = socketio.Server()\n"
            "sio.register_namespace(ChatNamespace('/chat'))\njwt.decode(t, K, algorithms=['HS256'])\n"
        ),
        Invalid(
            "import jwt, socketio\nsio = socketio.AsyncServer()\n"
            "def user_of(token):\n    return jwt.decode(token, KEY, algorithms=['HS256'])\n"
            "@sio.event\nasync def connect(sid, environ, auth):\n    print('connected', sid)\n",
            message="never",
            span=(6, 1, 6, 39),
        ),
        Invalid(
            "import jwt\nfrom flask_socketio import SocketIO\nsocketio = SocketIO(app)\n"
            "def login():\n    return jwt.encode({'sub': 'u'}, KEY, algorithm='HS256')\n",
            message="no connect handler",
        ),
        # (travel) a connect handler registered in another module on the server made here.
        Invalid(
            "from .addon import sio\n\n@sio.on('connect')\ndef connect(auth):\n    print('connected')\n",
            path="app/events.py",
            files={"app/addon.py": "import jwt\nfrom flask_socketio import SocketIO\nsio = SocketIO()\n"
                                   "def login():\n    return jwt.encode({'sub': 'u'}, KEY, algorithm='HS256')\n"},
            message="server made in app/addon.py",
            count=1,
            span=(4, 1, 4, 19),
        ),
        Valid(
            "from .addon import sio\nfrom flask_socketio import ConnectionRefusedError\n\n@sio.on('connect')\n"
            "def connect(auth):\n    if not auth or not valid(auth.get('token')):\n        raise ConnectionRefusedError('unauthorized')\n",
            path="app/events.py",
            files={"app/addon.py": "import jwt\nfrom flask_socketio import SocketIO\nsio = SocketIO()\n"
                                   "def login():\n    return jwt.encode({'sub': 'u'}, KEY, algorithm='HS256')\n"},
        ),
        Valid(
            "import app.sockets as s\n\n@s.sio.event\nasync def connect(sid, environ, auth):\n    if not auth:\n        return False\n",
            path="app/handlers.py",
            files={"app/sockets.py": "import jwt, socketio\nsio = socketio.AsyncServer()\n"
                                     "def user_of(token):\n    return jwt.decode(token, KEY, algorithms=['HS256'])\n"},
        ),
        # JavaScript / TypeScript.
        Valid(
            'import { Server } from "socket.io";\nimport jwt from "jsonwebtoken";\nconst io = new Server(3000);\n'
            "io.use((socket, next) => {\n  try {\n    socket.data.user = jwt.verify(socket.handshake.auth.token, process.env.K);\n"
            "    next();\n  } catch (err) {\n    next(err);\n  }\n});\n",
            path="server.js",
        ),
        Valid(
            'import { Server } from "socket.io";\nimport { authorize } from "@thream/socketio-jwt";\nimport jwt from "jsonwebtoken";\n'
            "const io = new Server(3000);\nio.use(authorize({ secret: process.env.K }));\n"
            'export const mint = (u) => jwt.sign({ sub: u }, process.env.K, { expiresIn: "1h" });\n',
            path="server.mjs",
        ),
        Valid('const io = require("socket.io")(3000);\nio.on("connection", (s) => s.emit("hello"));\n', path="public.js"),
        Invalid(
            'import { Server } from "socket.io";\nimport jwt from "jsonwebtoken";\nconst io = new Server(3000);\n'
            'io.on("connection", (socket) => {\n  socket.join("lobby");\n});\n'
            'export const mint = (u: string) => jwt.sign({ sub: u }, process.env.K!, { expiresIn: "1h" });\n',
            path="server.ts",
            message="never reads a credential",
            count=1,
            span=(4, 21, 4, 34),
        ),
        Invalid(
            'const { Server } = require("socket.io");\nconst io = new Server(3000);\n'
            "app.post('/login', (req, res) => res.cookie('session', newSession(req), { httpOnly: true }));\n",
            path="server.js",
            message="no connect handler",
        ),
        # (travel) a handler imported from another module of the project is read where it is written.
        Invalid(
            'const { Server } = require("socket.io");\nconst jwt = require("jsonwebtoken");\n'
            'const { onConnection } = require("./handlers");\nconst io = new Server(3000);\nio.on("connection", onConnection);\n'
            'exports.mint = (u) => jwt.sign({ sub: u }, process.env.K, { expiresIn: "1h" });\n',
            path="src/server.js",
            files={"src/handlers.js": 'module.exports = {\n  onConnection: (socket) => {\n    socket.join("lobby");\n  },\n};\n'},
            message="server made in src/server.js",
            count=1,
            span=(2, 17, 2, 30),
        ),
        Valid(
            'const { Server } = require("socket.io");\nconst jwt = require("jsonwebtoken");\n'
            'const { authenticate } = require("./handlers");\nconst io = new Server(3000);\nio.use(authenticate);\n'
            'exports.mint = (u) => jwt.sign({ sub: u }, process.env.K, { expiresIn: "1h" });\n',
            path="src/server.js",
            files={"src/handlers.js": 'const jwt = require("jsonwebtoken");\nmodule.exports = {\n  authenticate: (socket, next) => {\n'
                                      '    try {\n      socket.data.user = jwt.verify(socket.handshake.auth.token, process.env.K);\n'
                                      '      next();\n    } catch (err) {\n      next(err);\n    }\n  },\n};\n'},
        ),
    )

    def lenders_wanted(self, project) -> Wanted:
        return handler_lenders(self, project)

    def check_project(self, project) -> Iterable[Diagnostic]:
        """Each file's servers with the connect handlers registered on them, here or in another
        module of the project (``from .addon import sio``; ``@sio.on("connect")``)."""
        travel = Travel.of(project)
        elsewhere = registered_elsewhere(project, travel)
        yield from project.per_file(lambda ctx: self.check(ctx, elsewhere, travel))

    def check(
        self, ctx, elsewhere: dict[tuple[str, int], list[ForeignConnectHandler]] | None = None, travel: Travel | None = None
    ) -> Iterable[Diagnostic]:
        evidence = next((fact for fact in ctx.facts.items if isinstance(fact, AUTH_EVIDENCE)), None)
        if evidence is None:
            return
        for server in ctx.of(SocketIOServer):
            foreign = (elsewhere or {}).get((ctx.source.relpath, server.span.start), [])
            where = f"line {ctx.source.position(evidence.span.start)[0]}"
            if not server.handlers and not foreign:
                yield self.report(ctx, server.span, NoConnectHandler(where))
                continue
            # (handler, the file it is written in): imported middlewares read where they are written
            handlers = [*(handler_in_project(travel, server, handler, ctx.source) for handler in server.handlers),
                        *((fact.handler, fact.source) for fact in foreign)]
            if any(handler.reads or handler.refuses or handler.opaque for handler, _ in handlers):
                continue  # an opaque middleware (imported, `authorize({...})`) may well be the check
            shown = f"{ctx.source.relpath}:{ctx.source.position(evidence.span.start)[0]}"
            for handler, source in handlers:
                if source.relpath == ctx.source.relpath:
                    yield self.report(ctx, handler.head or handler.span, HandlerAcceptsAnyone(where))
                else:
                    yield self.report(source, handler.head or handler.span,
                                      ForeignHandlerAcceptsAnyone(ctx.source.relpath, shown))


def handler_in_project(travel: Travel | None, server: SocketIOServer, handler: ConnectHandler, source: Source):
    """(travel) ``(handler, source)``: an opaque handler imported from a module of the project is
    read there (``io.use(authenticate)`` with ``authenticate`` exported by ``./middleware/auth``)."""
    if travel is not None and handler.opaque and handler.imported:
        found = travel.handler(server, handler.imported)
        if found is not None:
            return found
    return handler, source


def registered_elsewhere(project, travel: Travel) -> dict[tuple[str, int], list[ForeignConnectHandler]]:
    """(travel) Connect handlers registered in one module on a server another module creates, by
    that server's (relpath, span start)."""
    found: dict[tuple[str, int], list[ForeignConnectHandler]] = {}
    facts = list(project.facts(ForeignConnectHandler))
    if not facts:
        return found
    for fact in facts:
        server = travel.server(fact, fact.server)
        if server is not None:
            found.setdefault(server, []).append(fact)
    return found
