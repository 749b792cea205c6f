from __future__ import annotations

from typing import Iterable

from authlint.diagnostics.diagnostic import Diagnostic, Edit, Fix, FixAvailability
from authlint.facts.model import Expr, SocketIOServer
from authlint.files.kinds import CODE_KINDS
from authlint.rule import Invalid, Rule, Valid
from authlint.rules.kit import legacy_codegen as codegen
from authlint.rules.kit.common import option, quote_of

PLACEHOLDER = ["https://app.example.com"]


class CorsWildcard(Rule):
    """
    ## What it does
    Finds Socket.IO servers that accept any origin: python-socketio / Flask-SocketIO
    `cors_allowed_origins='*'` or `['*']`, and `cors_allowed_origins=[]`, which switches the Origin
    check off altogether (also for WebSocket); in JavaScript, `cors: {origin: true}` or `origin: "*"`.

    ## Why is this bad?
    With `'*'` python-engineio reflects whatever `Origin` a request carries and, because
    `cors_credentials` defaults to `True`, adds `Access-Control-Allow-Credentials: true`: any website a
    logged-in user visits can open a Socket.IO connection with the user's cookies. `[]` is worse: it
    disables the WebSocket origin check too, which is only safe behind a proxy that enforces Origin.

    ## Example
    ```python
    sio = socketio.AsyncServer(cors_allowed_origins="*")
    ```
    Use instead:
    ```python
    sio = socketio.AsyncServer(cors_allowed_origins=["https://app.example.com"])
    ```

    In JavaScript: `new Server(httpServer, { cors: { origin: "*" } })` -> `origin: ["https://app.example.com"]`
    (and an `allowRequest` that checks `req.headers.origin`: socket.io itself checks no Origin).

    ## Fix safety
    Unsafe, and only when `allowed-origins` is configured: the wildcard is replaced with that list,
    which refuses origins that used to work. Without it the suggestion is display-only (authlint
    cannot know your origins), and `[]` is never suggested.
    """

    code = "SIO003"
    name = "cors-wildcard"
    summary = "Socket.IO server accepts any origin"
    kinds = CODE_KINDS
    triggers = ("cors_allowed_origins", "cors")
    fix_availability = FixAvailability.ALWAYS
    languages = "Python, JS/TS"
    examples = (
        Valid("import socketio\nsio = socketio.Server(cors_allowed_origins=['https://app.example.com'])\n"),
        Valid("import socketio\nsio = socketio.AsyncServer()\n"),
        Valid("import os, socketio\nsio = socketio.Server(cors_allowed_origins=os.environ['ORIGINS'].split(','))\n"),
        Valid("import socketio\nsio = socketio.Server(cors_allowed_origins=lambda origin: origin.endswith('.corp'))\n"),
        Invalid(
            "import socketio\nsio = socketio.AsyncServer(cors_allowed_origins='*')\n",
            settings={"allowed-origins": ["https://app.example.com"]},
            fixed="import socketio\nsio = socketio.AsyncServer(cors_allowed_origins=['https://app.example.com'])\n",
            message="Credentials: true",
        ),
        Invalid(
            "import socketio\nsio = socketio.Server(cors_allowed_origins=['*'], cors_credentials=False)\n",
            fixed="import socketio\nsio = socketio.Server(cors_allowed_origins=['*'], cors_credentials=False)\n",
            message="any origin",
        ),
        Invalid(
            "from flask_socketio import SocketIO\nORIGINS = []\nsocketio = SocketIO(app, cors_allowed_origins=ORIGINS)\n",
            message="off",
        ),
        # JavaScript / TypeScript: the `cors` option is handed to the cors package.
        Valid('import { Server } from "socket.io";\nconst io = new Server(srv, { cors: { origin: "https://app.example.com" } });\n', path="server.mjs"),
        Valid('const io = require("socket.io")(srv, { cors: { origin: process.env.ORIGINS.split(",") } });\n', path="server.js"),
        Valid('import { Server } from "socket.io";\nconst io = new Server(srv, { cors: { origin: [] } });\n', path="server.ts"),  # cors: no origin at all
        Invalid(
            'import { Server } from "socket.io";\nconst io = new Server(httpServer, {\n  cors: { origin: "*", credentials: true },\n});\n',
            path="server.ts",
            settings={"allowed-origins": ["https://app.example.com"]},
            fixed='import { Server } from "socket.io";\nconst io = new Server(httpServer, {\n  cors: { origin: ["https://app.example.com"], credentials: true },\n});\n',
            message="browsers refuse every credentialed request",
            count=1,
        ),
        Invalid(
            "const { Server } = require('socket.io');\nconst io = new Server(3000, { cors: { origin: true, credentials: true } });\n",
            path="server.js",
            message="reflected origin",
        ),
        Invalid(
            "const { Server } = require('socket.io');\nconst io = new Server(3000, { cors: { origin: true } });\n",
            path="server.js",
            fixed="const { Server } = require('socket.io');\nconst io = new Server(3000, { cors: { origin: true } });\n",
            message="allowRequest",
        ),
        Invalid(
            'import { WebSocketGateway } from "@nestjs/websockets";\n\n@WebSocketGateway({ cors: { origin: ["*"] } })\nexport class ChatGateway {}\n',
            path="chat.gateway.ts",
            settings={"allowed-origins": ["https://app.example.com", "http://localhost:4200"]},
            fixed='import { WebSocketGateway } from "@nestjs/websockets";\n\n@WebSocketGateway({ cors: { origin: ["https://app.example.com", "http://localhost:4200"] } })\nexport class ChatGateway {}\n',
        ),
    )

    def check(self, ctx) -> Iterable[Diagnostic]:
        for server in ctx.of(SocketIOServer):
            if server.lang == "python":
                found = server.options.get("cors_allowed_origins")
                credentials = server.options.value("cors_credentials", True) is not False
                value_expr = found.value if found is not None else None
            else:
                value_expr, credentials = self._js(server)
            if value_expr is None or not value_expr.known:
                continue
            value = value_expr.value
            values = value if isinstance(value, list) else [value]
            if value == [] and server.lang == "python":
                message = ("`cors_allowed_origins=[]` switches the Origin check off, for WebSocket too: any site "
                           "can connect unless a proxy enforces Origin")
            elif "*" in values or value is True:
                message = "any origin may connect"
                if credentials and (server.lang == "python" or value is True):
                    message += (" and the reflected origin is sent with `Access-Control-Allow-Credentials: true`: "
                                "any site can use your users' cookies")
                elif credentials:  # the cors package sends a literal `*`, which browsers refuse with credentials
                    message += (" (and `*` with `credentials: true` makes browsers refuse every credentialed "
                                "request)")
                if server.lang != "python":
                    message += "; socket.io checks no Origin itself unless `allowRequest` does"
            else:
                continue
            yield self.diagnostic(ctx, value_expr.span, message, self._fix(ctx, server, value_expr))

    @staticmethod
    def _js(server: SocketIOServer) -> tuple[Expr | None, bool]:
        """The ``cors.origin`` value of a socket.io server (``origin: "*"`` / ``true`` / ``["*"]``)."""
        cors = option(server.options, "cors")
        entries = cors.value.entries if cors is not None else None
        if entries is None:
            return None, False
        origin = entries.get("origin")
        credentials = entries.value("credentials", False) is True
        return (origin.value if origin is not None else None), credentials

    def _fix(self, ctx, server: SocketIOServer, found: Expr) -> Fix:
        origins = list(ctx.settings.allowed_origins)
        like = found.text.lstrip("[(")[:1] if found.text.lstrip("[(")[:1] in "'\"" else None
        if server.lang != "python":
            like = like or quote_of(ctx.source)
            if origins and found.origin is None:
                return Fix.unsafe("Allow only the configured origins",
                                  Edit.replace(found.span, codegen.literal(server.lang, origins, like)))
            return Fix.display_only("List your real origins (set `allowed-origins` to apply this)",
                                    Edit.replace(found.span, codegen.literal(server.lang, origins or PLACEHOLDER, like)))
        if origins:
            return Fix.unsafe("Allow only the configured origins",
                              Edit.replace(found.span, codegen.literal(server.lang, origins, like)))
        return Fix.display_only("List your real origins (set `allowed-origins` to apply this)",
                                Edit.replace(found.span, codegen.literal(server.lang, PLACEHOLDER, like)))
