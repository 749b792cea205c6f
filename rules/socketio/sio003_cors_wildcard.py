from __future__ import annotations

from typing import Iterable

from authlint.diagnostics.diagnostic import Diagnostic, Edit, Fix, FixAvailability
from authlint.facts.model import CorsPolicy, SocketIOServer
from authlint.files.kinds import CODE_KINDS
from authlint.rule import FixOffer, Invalid, Rule, Valid, Violation
from authlint.rules import kit
from authlint.rules.cors.channels import CHANNEL_TRIGGERS, project_channels, weighed_diagnostic
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

    The severity weighs the channel that carries the project's credentials (as COR001 does, see
    `rules/cors/channels.py`): an error when the browser attaches them itself (a connect handler
    reading the cookie, Flask `session` / Flask-Login, cookies set anywhere in the project, a client
    with `withCredentials: true`) or when the project shows no channel; a note (info) when every
    credential it shows is one that script sends: the handshake `auth` payload (`auth` in the
    client's options, a connect handler reading `auth`), an `Authorization` header. A site's script
    never holds another origin's token, so the connection it opens from a visitor's browser is an
    anonymous one, which any non-browser client could open too (SIO005 reports servers that let
    anonymous connections through).

    ## Example
    ```python
    sio = socketio.AsyncServer(cors_allowed_origins="*")
    ```
    Use instead:
    ```python
    sio = socketio.AsyncServer(cors_allowed_origins=["https://app.example.com"])
    ```

    In JavaScript: `new Server(httpServer, { cors: { origin: "*" } })` -> `origin: ["https://app.example.com"]`
    and an `allowRequest` that checks `req.headers.origin` (socket.io itself checks no Origin).

    ## Fix safety
    Unsafe, and only when `allowed-origins` is configured: the wildcard is replaced with that list,
    which refuses origins that used to work. python-socketio / Flask-SocketIO then refuse any other
    Origin themselves, on polling and WebSocket alike. socket.io (JS) checks no Origin: its `cors`
    option only sets response headers, which a browser's WebSocket never reads, so the fix also adds
    `allowRequest: (req, callback) => callback(null, !req.headers.origin || [list].includes(req.headers.origin))`,
    run by engine.io on every handshake (polling and WebSocket): a request whose `Origin` is present
    and not listed is refused with 403, one without `Origin` (a Node or mobile client) is let in as
    before. When the server already has an `allowRequest` (or its options are spread from elsewhere)
    the list is display-only: what that function admits cannot be known. Without `allowed-origins`
    the suggestion is display-only (authlint cannot know your origins), and `[]` is never suggested.

    ## References
    - python-engineio `cors_allowed_origins` / `cors_credentials`: https://python-engineio.readthedocs.io/en/latest/api.html#engineio.Server
    - python-socketio server options: https://python-socketio.readthedocs.io/en/latest/api.html#socketio.Server
    - socket.io, Handling CORS (`cors`, `allowRequest`): https://socket.io/docs/v4/handling-cors/
    - engine.io `Server.verify` (lib/server.ts): `allowRequest` on every handshake, no Origin check of its own:
      https://github.com/socketio/socket.io/blob/main/packages/engine.io/lib/server.ts
    - python-engineio checks `Origin` against `cors_allowed_origins` on every transport
      (`Server.handle_request`: "Not an accepted origin."): https://python-engineio.readthedocs.io/en/latest/server.html#cross-origin-controls
    - the `cors` package options: https://github.com/expressjs/cors#configuration-options
    - Flask-SocketIO#1093 ("`cors_allowed_origins='*'` allows any clients to connect"): https://github.com/miguelgrinberg/Flask-SocketIO/issues/1093
    - socket.io#3637, a reflected origin with credentials: https://github.com/socketio/socket.io/issues/3637
    - socket.io client `auth` option (credentials sent by script in the handshake): https://socket.io/docs/v4/client-options/#auth
    - Cross-site WebSocket hijacking (cookies ride along on a cross-site handshake): https://portswigger.net/web-security/websockets/cross-site-websocket-hijacking
    """

    code = "SIO003"
    name = "cors-wildcard"
    summary = "Socket.IO server accepts any origin"
    kinds = CODE_KINDS
    # the servers' words, and those of the files that show which channel carries credentials
    triggers = ("cors_allowed_origins", "cors", *CHANNEL_TRIGGERS)
    project_rule = True  # the severity weighs the credential channel the whole project uses (check_project)
    fix_availability = FixAvailability.ALWAYS
    fix_offers = (
        FixOffer.unsafe(
            "Replaces the wildcard with the configured `allowed-origins` and, in JavaScript, adds an `allowRequest`"
            " that refuses other origins on polling and WebSocket (socket.io checks no Origin itself):"
            " origins that used to work are refused."
        ),
        FixOffer.display_only(
            "Without `allowed-origins` (authlint cannot know your origins), or when a JavaScript server has"
            " its own `allowRequest` or spread options, suggests the change."
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
        # The credential channel: a server whose connect handler reads the `auth` payload, with no
        # cookie anywhere in the project, gets a note; a handler reading the cookie keeps the error.
        Invalid(
            "import socketio\nsio = socketio.AsyncServer(cors_allowed_origins='*')\n\n@sio.event\n"
            "async def connect(sid, environ, auth):\n    if not valid(auth.get('token')):\n        return False\n",
            message="bearer tokens, a Socket.IO connect handler reading the auth",
        ),
        Invalid(
            "import socketio\nsio = socketio.AsyncServer(cors_allowed_origins='*')\n\n@sio.event\n"
            "async def connect(sid, environ, auth):\n    if not valid(auth.get('token')):\n        return False\n",
            files={"web.py": "from flask import session\n\ndef login():\n    session['user'] = 'alice'\n"},
            message="Credentials: true`: any site can use your users' cookies",
        ),
        # JavaScript / TypeScript: the `cors` option is handed to the cors package.
        Valid('import { Server } from "socket.io";\nconst io = new Server(srv, { cors: { origin: "https://app.example.com" } });\n', path="server.mjs"),
        Valid('const io = require("socket.io")(srv, { cors: { origin: process.env.ORIGINS.split(",") } });\n', path="server.js"),
        Valid('import { Server } from "socket.io";\nconst io = new Server(srv, { cors: { origin: [] } });\n', path="server.ts"),  # cors: no origin at all
        Invalid(
            'import { Server } from "socket.io";\nconst io = new Server(httpServer, {\n  cors: { origin: "*", credentials: true },\n});\n',
            path="server.ts",
            settings={"allowed-origins": ["https://app.example.com"]},
            # the list alone only withholds headers (browsers read them; a WebSocket is never refused):
            # `allowRequest` refuses another Origin on every transport
            fixed='import { Server } from "socket.io";\nconst io = new Server(httpServer, {\n  cors: { origin: ["https://app.example.com"], credentials: true },\n'
            '  allowRequest: (req, callback) => callback(null, !req.headers.origin || ["https://app.example.com"].includes(req.headers.origin)),\n});\n',
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
            fixed='import { WebSocketGateway } from "@nestjs/websockets";\n\n@WebSocketGateway({ cors: { origin: ["https://app.example.com", "http://localhost:4200"] }, '
            'allowRequest: (req, callback) => callback(null, !req.headers.origin || ["https://app.example.com", "http://localhost:4200"].includes(req.headers.origin)) })\nexport class ChatGateway {}\n',
        ),
        Invalid(  # its own `allowRequest`: what it lets in is unknown, so the list is only suggested
            "const { Server } = require('socket.io');\nconst io = new Server(3000, {\n  cors: { origin: '*' },\n"
            "  allowRequest: (req, cb) => cb(null, true),\n});\n",
            path="server.js",
            settings={"allowed-origins": ["https://app.example.com"]},
            fixed="const { Server } = require('socket.io');\nconst io = new Server(3000, {\n  cors: { origin: '*' },\n"
            "  allowRequest: (req, cb) => cb(null, true),\n});\n",
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

    def check_project(self, project) -> Iterable[Diagnostic]:
        """``check`` on every file, each finding weighed by the project's credential channel: a note
        (INFO) where credentials are bearer tokens only (see ``rules/cors/channels.py``)."""
        channels = None
        for ctx in project.files:
            for diagnostic in self.check(ctx):
                if channels is None:
                    channels = project_channels(project.facts)
                yield weighed_diagnostic(diagnostic, channels)

    @staticmethod
    def _fix(ctx, policy: CorsPolicy) -> Fix | None:
        configured = list(ctx.settings.allowed_origins)
        shown = policy.allowed.expr
        if configured:
            edits = list_edits(policy, configured)
            gate = _gate(ctx, policy, configured)
            if edits and gate is not None:
                return Fix.unsafe("Allow only the configured origins" + (", on every transport" if gate else ""),
                                  *edits, *gate)
            if edits:  # the server has a request check of its own: what it lets in is not known
                return Fix.display_only("Allow only the configured origins (and have your `allowRequest` refuse "
                                        "the others: socket.io checks no Origin on WebSocket)", *edits)
        if shown is None:
            return None
        return Fix.display_only("List your real origins (set `allowed-origins` to apply this)",
                                kit.replace_value(policy.source, shown, configured or PLACEHOLDER))


def _gate(ctx, policy: CorsPolicy, origins: list[str]) -> list[Edit] | None:
    """What closes the WebSocket side too: [] where the server checks Origin itself; the inserted
    request check (``allowRequest``) of the same list where it does not; None when one cannot be
    added (the server has its own, or its options cannot take one)."""
    if policy.allowed.enforced_by_server:
        return []
    server = next((s for s in ctx.of(SocketIOServer) if s.cors is not None and s.cors.span == policy.span), None)
    gate = kit.origin_gate(ctx.source, origins)
    if server is None or gate is None:
        return None
    name, check = gate
    if name in server.options or server.options.spread:
        return None
    edit = kit.insert_option(ctx.source, server.options, name, check)
    return [edit] if edit is not None else None
