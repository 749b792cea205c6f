from __future__ import annotations

from typing import Iterable

from authlint import codegen
from authlint.diagnostic import Diagnostic, Edit, Fix, FixAvailability
from authlint.facts import Option, SocketIOServer
from authlint.rule import CODE_KINDS, Invalid, Rule, Valid
from authlint.rules._common import option

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

    ## Fix safety
    Unsafe, and only when `allowed-origins` is configured: the wildcard is replaced with that list,
    which refuses origins that used to work. Without it the suggestion is display-only (authlint
    cannot know your origins), and `[]` is never suggested.
    """

    code = "SIO003"
    name = "cors-wildcard"
    summary = "Socket.IO server accepts any origin"
    kinds = CODE_KINDS
    triggers = ("cors_allowed_origins", "origin")
    fix_availability = FixAvailability.ALWAYS
    languages = "Python"
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
    )

    def check(self, ctx) -> Iterable[Diagnostic]:
        for server in ctx.of(SocketIOServer):
            if server.lang == "python":
                found = server.options.get("cors_allowed_origins")
                credentials = server.options.value("cors_credentials", True) is not False
            else:
                found, credentials = self._js(server)
            if found is None or not found.value.known:
                continue
            value = found.value.value
            values = value if isinstance(value, list) else [value]
            if value == []:
                message = ("`cors_allowed_origins=[]` switches the Origin check off, for WebSocket too: any site "
                           "can connect unless a proxy enforces Origin")
            elif "*" in values or value is True:
                message = "any origin may connect"
                if credentials:
                    message += (" and the reflected origin is sent with `Access-Control-Allow-Credentials: true`: "
                                "any site can use your users' cookies")
            else:
                continue
            yield self.diagnostic(ctx, found.value.span, message, self._fix(ctx, server, found))

    @staticmethod
    def _js(server: SocketIOServer) -> tuple[Option | None, bool]:
        cors = option(server.options, "cors")
        if cors is None or not isinstance(cors.value.value, dict):
            return None, False
        origin = cors.value.value.get("origin")
        if origin is True or origin == "*" or (isinstance(origin, list) and "*" in origin):
            return cors, bool(cors.value.value.get("credentials"))
        return None, False

    def _fix(self, ctx, server: SocketIOServer, found: Option) -> Fix:
        origins = list(ctx.settings.allowed_origins)
        if server.lang != "python":
            return Fix.display_only("List the allowed origins explicitly", Edit.replace(found.value.span, found.value.text))
        like = found.value.text.lstrip("[(")[:1] if found.value.text.lstrip("[(")[:1] in "'\"" else None
        if origins:
            return Fix.unsafe("Allow only the configured origins",
                              Edit.replace(found.value.span, codegen.literal(server.lang, origins, like)))
        return Fix.display_only("List your real origins (set `allowed-origins` to apply this)",
                                Edit.replace(found.value.span, codegen.literal(server.lang, PLACEHOLDER, like)))
