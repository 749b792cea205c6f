from __future__ import annotations

from typing import Iterable

from authlint.diagnostics.diagnostic import Diagnostic, Edit, Fix, FixAvailability
from authlint.facts.model import CorsPolicy, SocketIOServer
from authlint.files.kinds import CODE_KINDS
from authlint.rule import FixOffer, Invalid, Rule, Valid, Violation, Wanted
from authlint.rules import kit
from authlint.rules.cors.channels import CHANNEL_TRIGGERS, channel_lenders, project_channels, weighed_diagnostic
from authlint.rules.cors.policy import PLACEHOLDER, list_edits
from authlint.rules.socketio.origin_versions import Running, origin_setting_ignored, version_allows_any
from authlint.versions.example_files import package_json, package_lock, poetry_lock, requirements


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


class AnyOriginByRelease(Violation):
    """Every origin may connect because of the release the project runs, not of what is written."""

    release: str  # "socket.io before 3.0.0 (package.json:9)"
    ignored: str  # the written origin setting that release ignores ("cors.origin"), or ""
    setting: str  # the setting that release reads, as the code names it
    legacy: bool  # the release reads a setting of its own (socket.io 2 `origins`, '*:*' by default)

    def message(self) -> str:
        text = f"any origin may connect: {self.release} "
        if self.ignored:
            text += f"ignores `{self.ignored}` and "
        if self.legacy:
            return text + "allows every origin unless `origins` lists them ('*:*' by default), with credentials"
        return (text + f"allows every origin when `{self.setting}` is not given, and reflects it with "
                "`Access-Control-Allow-Credentials: true`")


LEGACY_ORIGINS = "origins"  # socket.io 2's setting, in the `scheme://host:port` form it compares
DEFAULT_PORTS = {"https": 443, "http": 80}


def _with_port(origin: str) -> str:
    """``https://app.example.com`` -> ``https://app.example.com:443``: socket.io 2 compares with a port."""
    scheme, sep, rest = origin.partition("://")
    if not sep or ":" in rest or scheme not in DEFAULT_PORTS:
        return origin
    return f"{origin}:{DEFAULT_PORTS[scheme]}"


class CorsWildcard(Rule):
    """
    ## What it does
    Finds Socket.IO servers that accept any origin: python-socketio / Flask-SocketIO
    `cors_allowed_origins='*'` or `['*']`, and `cors_allowed_origins=[]`, which switches the Origin
    check off altogether (also for WebSocket); in JavaScript, `cors: {origin: true}` or `origin: "*"`.

    The release the project runs (its lock file, else what a fresh install of the declared range
    gets) counts too: socket.io before 3.0 allowed every origin unless `origins` listed them
    (`origins: '*:*'` by default) and ignores the `cors` option, and python-engineio before 3.9
    (python-socketio before 4.3) allowed every origin when `cors_allowed_origins` was not given,
    reflecting it with credentials (CVE-2019-13611). Such a server is reported even when nothing is
    written; with socket.io 3 and later or python-engineio 3.9 and later the default is closed and
    nothing is said. An unknown version keeps the version-independent findings.

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
    A server open because of an old python-engineio default gets `cors_allowed_origins` with the
    configured list (unsafe), or a placeholder list (display-only); a socket.io 2 server is shown the `origins` list
    that release reads (`scheme://host:port` entries), never applied: upgrading to 3+ and `cors` is
    the better way out.

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
    - socket.io v2 to v3 migration ("CORS handling", `origins` removed): https://socket.io/docs/v4/migrating-from-2-x-to-3-0/#cors-handling
    - python-engineio 3.9.0 changelog ("Address potential websocket cross-origin attacks"): https://github.com/miguelgrinberg/python-engineio/blob/main/CHANGES.md
    - CVE-2019-13611, python-engineio before 3.9.0 (cross-site WebSocket hijacking): https://nvd.nist.gov/vuln/detail/CVE-2019-13611
    """

    code = "SIO003"
    name = "cors-wildcard"
    summary = "Socket.IO server accepts any origin"
    kinds = CODE_KINDS
    # the servers' words, and those of the files that show which channel carries credentials;
    # (versions) "socketio", "socket.io", "engineio": a server that writes no origin setting is
    # checked too, for the releases whose default allowed every origin
    triggers = ("cors_allowed_origins", "cors", "socketio", "socket.io", "engineio")
    lend_triggers = CHANNEL_TRIGGERS  # the credential channel, weighed only when there is a finding
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
        # (versions) the release the project runs decides what an unwritten setting means
        Invalid(  # python-engineio 3.8: no setting written, every origin allowed
            "import socketio\nsio = socketio.Server(async_mode='eventlet')\n",
            files={"poetry.lock": poetry_lock({"python-engineio": "3.8.2", "python-socketio": "4.2.1"})},
            settings={"allowed-origins": ["https://app.example.com"]},
            fixed="import socketio\nsio = socketio.Server(async_mode='eventlet', cors_allowed_origins=['https://app.example.com'])\n",
            message="python-engineio before 3.9.0 (poetry.lock:2) allows every origin", count=1, span=(2, 7, 2, 45),
        ),
        Valid("import socketio\nsio = socketio.Server(async_mode='eventlet')\n",
              files={"poetry.lock": poetry_lock({"python-engineio": "3.9.0", "python-socketio": "4.3.0"})}),
        Invalid(
            "from flask_socketio import SocketIO\nsocketio = SocketIO(app)\n",
            files={"requirements.txt": requirements("python-socketio<4.3", "Flask-SocketIO<4.2")},
            fixed="from flask_socketio import SocketIO\nsocketio = SocketIO(app)\n",
            message="python-socketio before 4.3.0 (requirements.txt:3)",
        ),
        Invalid(  # socket.io 2: `origins` defaults to '*:*'
            'const io = require("socket.io")(server);\n', path="server.js",
            files={"package.json": package_json({"socket.io": "^2.3.0"})},
            message="socket.io before 3.0.0 (package.json:5) allows every origin unless `origins` lists them", count=1,
        ),
        Valid('const io = require("socket.io")(server);\n', path="server.js",
              files={"package.json": package_json({"socket.io": "^4.7.2"})}),
        Valid('const io = require("socket.io")(server, { origins: ["https://app.example.com:443"] });\n', path="server.js",
              files={"package.json": package_json({"socket.io": "^2.3.0"})}),
        Invalid(  # socket.io 2 ignores `cors`
            'const io = require("socket.io")(server, { cors: { origin: "https://app.example.com" } });\n', path="server.js",
            files={"package.json": package_json({"socket.io": "^2.3.0"}), "package-lock.json": package_lock({"socket.io": "2.5.0"})},
            message="socket.io before 3.0.0 (package-lock.json:12) ignores `cors.origin`", count=1,
        ),
        Valid('const io = require("socket.io")(server, { cors: { origin: "https://app.example.com" } });\n', path="server.js",
              files={"package.json": package_json({"socket.io": "^4.8.1"}), "package-lock.json": package_lock({"socket.io": "4.8.1"})}),
    )

    def check(self, ctx) -> Iterable[Diagnostic]:
        yield from self._by_release(ctx)
        for policy in ctx.of(CorsPolicy):
            if self._ignored_by_release(ctx, policy):
                continue  # the running release does not read this setting: ``_by_release`` says so
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

    def lenders_wanted(self, project) -> Wanted:
        return channel_lenders(self, project)

    def check_project(self, project) -> Iterable[Diagnostic]:
        """``check`` on every file, each finding weighed by the project's credential channel: a note
        (INFO) where credentials are bearer tokens only (see ``rules/cors/channels.py``)."""
        channels = None
        for diagnostic in project.per_file(self.check):
            if channels is None:
                channels = project_channels(project.facts)
            yield weighed_diagnostic(diagnostic, channels)

    # -- (versions) what the release the project runs allows -----------------------------------------
    def _by_release(self, ctx) -> Iterable[Diagnostic]:
        """Servers that allow every origin because of the release the project runs: socket.io 2 (which
        ignores `cors` and defaults `origins` to '*:*'), python-engineio < 3.9 with no origin setting."""
        versions = ctx.settings.versions
        for server in ctx.of(SocketIOServer):
            running = version_allows_any(server, versions)
            if running is None:
                continue
            ignored = origin_setting_ignored(server, versions) is not None
            policy = server.cors
            setting = policy.allowed.setting if policy is not None and policy.allowed.setting else "cors_allowed_origins"
            if ignored and server.legacy_origins is not None:
                span = server.legacy_origins.span
            elif ignored and policy is not None:
                span = policy.span
            else:
                span = server.span
            written = (policy.allowed.shown_as or policy.allowed.setting) if ignored and policy is not None else ""
            violation = AnyOriginByRelease(running.described, written, setting, ignored)
            fix = self._legacy_fix(ctx, server) if ignored else self._default_fix(ctx, server, running)
            yield self.report(ctx, span, violation, fix)

    @staticmethod
    def _legacy_fix(ctx, server: SocketIOServer) -> Fix | None:
        """socket.io 2: show the `origins` list that release reads (`scheme://host:port` entries), from
        the configured origins or a placeholder; never applied (upgrading to 3+ and `cors` is better)."""
        origins = [_with_port(origin) for origin in (list(ctx.settings.allowed_origins) or PLACEHOLDER)]
        legacy = server.legacy_origins
        if legacy is not None:
            edit = kit.replace_value(ctx.source, legacy, origins)
        else:
            edit = kit.insert_option(ctx.source, server.options, LEGACY_ORIGINS, origins)
        if edit is None:
            return None
        return Fix.display_only("List the allowed origins in `origins`, which socket.io 2 reads (or upgrade to 3+ and `cors`)", edit)

    @staticmethod
    def _default_fix(ctx, server: SocketIOServer, running: Running) -> Fix | None:
        """Write the origin setting the old default left out: the configured origins (unsafe), or a
        placeholder list to replace (display-only)."""
        policy = server.cors
        if policy is None or policy.allowed.bag is None or not policy.allowed.setting:
            return None
        configured = list(ctx.settings.allowed_origins)
        edit = kit.insert_option(ctx.source, policy.allowed.bag, policy.allowed.setting, configured or PLACEHOLDER)
        if edit is None:
            return None
        if configured:
            return Fix.unsafe("Allow only the configured origins", edit)
        return Fix.display_only("List your real origins (set `allowed-origins` to apply this)", edit)

    @staticmethod
    def _ignored_by_release(ctx, policy: CorsPolicy) -> bool:
        versions = ctx.settings.versions
        return any(server.cors is policy and origin_setting_ignored(server, versions) is not None
                   for server in ctx.of(SocketIOServer))

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
