from __future__ import annotations

from typing import Iterable

from authlint.diagnostics.diagnostic import Diagnostic, Fix, FixAvailability
from authlint.facts.model import CorsPolicy
from authlint.files.kinds import CODE_KINDS
from authlint.rule import FixOffer, Invalid, Rule, Valid, Violation
from authlint.rules import kit
from authlint.rules.cors.policy import PLACEHOLDER, list_edits


class OriginCheckOff(Violation):
    setting: str  # as the code names it

    def message(self) -> str:
        return (f"`{self.setting}=[]` switches the Origin check off, for WebSocket too: any site can connect "
                "unless a proxy enforces Origin")


class AnyOriginMayConnect(Violation):
    # "reflected": the caller's origin is echoed with credentials; "literal": `*` with credentials,
    # which browsers refuse; "": credentials off
    credentials: str
    unchecked_websocket: bool  # the server checks no Origin itself (only browsers read CORS headers)

    def message(self) -> str:
        text = "any origin may connect"
        if self.credentials == "reflected":
            text += (" and the reflected origin is sent with `Access-Control-Allow-Credentials: true`: any site can "
                     "use your users' cookies")
        elif self.credentials == "literal":
            text += " (and `*` with `credentials: true` makes browsers refuse every credentialed request)"
        if self.unchecked_websocket:
            text += "; socket.io checks no Origin itself unless `allowRequest` does"
        return text


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

    ## References
    - python-engineio `cors_allowed_origins` / `cors_credentials`: https://python-engineio.readthedocs.io/en/latest/api.html#engineio.Server
    - python-socketio server options: https://python-socketio.readthedocs.io/en/latest/api.html#socketio.Server
    - socket.io, Handling CORS (`cors`, `allowRequest`): https://socket.io/docs/v4/handling-cors/
    - the `cors` package options: https://github.com/expressjs/cors#configuration-options
    - Flask-SocketIO#1093 ("`cors_allowed_origins='*'` allows any clients to connect"): https://github.com/miguelgrinberg/Flask-SocketIO/issues/1093
    - socket.io#3637, a reflected origin with credentials: https://github.com/socketio/socket.io/issues/3637
    """

    code = "SIO003"
    name = "cors-wildcard"
    summary = "Socket.IO server accepts any origin"
    kinds = CODE_KINDS
    triggers = ("cors_allowed_origins", "cors")
    fix_availability = FixAvailability.ALWAYS
    fix_offers = (
        FixOffer.unsafe(
            "Replaces the wildcard with the configured `allowed-origins`: origins that used to work are refused."
        ),
        FixOffer.display_only(
            "Without `allowed-origins`, suggests listing your real origins: authlint cannot know them."
        ),
    )
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
            span=(2, 49, 2, 52),
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
            span=(3, 19, 3, 22),
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
        for policy in ctx.of(CorsPolicy):
            allowed = policy.allowed
            if not policy.socketio_server or allowed.expr is None or not allowed.expr.known:
                continue  # nothing written (the library default), or unknown: nothing to say
            if allowed.kind == "check-off":
                violation: Violation = OriginCheckOff(allowed.setting)
            elif allowed.kind in ("any", "reflect"):
                credentials = ""
                if policy.allows_credentials is True:
                    echoed = allowed.kind == "reflect" or not allowed.literal_star
                    credentials = "reflected" if echoed else "literal"
                violation = AnyOriginMayConnect(credentials, not allowed.enforced_by_server)
            else:
                continue
            yield self.report(ctx, allowed.expr.span, violation, self._fix(ctx, policy))

    @staticmethod
    def _fix(ctx, policy: CorsPolicy) -> Fix | None:
        configured = list(ctx.settings.allowed_origins)
        if configured:
            edits = list_edits(policy, configured)
            if edits:
                return Fix.unsafe("Allow only the configured origins", *edits)
        shown = policy.allowed.expr
        if shown is None:
            return None
        return Fix.display_only("List your real origins (set `allowed-origins` to apply this)",
                                kit.replace_value(policy.source, shown, configured or PLACEHOLDER))
