from __future__ import annotations

from typing import Iterable

from authlint.diagnostics.diagnostic import Diagnostic, Edit, Fix, FixAvailability
from authlint.facts.knowledge.socketio_options import ALIASES, known_names
from authlint.facts.model import Option, OptionBag, SocketIOClient, SocketIOServer
from authlint.files.kinds import CODE_KINDS
from authlint.rule import Invalid, Rule, Valid

MAX_DISTANCE = 2
# socket.io v2 server options that v3+ ignores (CORS has been off by default since v3).
REMOVED_IN_V3 = {
    "origins": "CORS is now the `cors: { origin: [...] }` option",
    "handlePreflightRequest": "preflight requests are answered by the `cors` option",
}


def distance(a: str, b: str) -> int:
    """Optimal-string-alignment edit distance (a swap of neighbours counts once)."""
    rows = [[0] * (len(b) + 1) for _ in range(len(a) + 1)]
    for i in range(len(a) + 1):
        rows[i][0] = i
    for j in range(len(b) + 1):
        rows[0][j] = j
    for i in range(1, len(a) + 1):
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            rows[i][j] = min(rows[i - 1][j] + 1, rows[i][j - 1] + 1, rows[i - 1][j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                rows[i][j] = min(rows[i][j], rows[i - 2][j - 2] + 1)
    return rows[-1][-1]


def suggestion(name: str, known: frozenset[str]) -> str | None:
    """The one known name this is a typo of (or a well-known wrong spelling of), else None."""
    alias = ALIASES.get(name) or ALIASES.get(name.lower())
    if alias in known:
        return alias
    scored = sorted((distance(name.lower(), k.lower()), k) for k in known)
    if not scored or scored[0][0] > MAX_DISTANCE:
        return None
    if len(scored) > 1 and scored[1][0] == scored[0][0]:
        return None  # ambiguous
    return scored[0][1]


class UnknownOption(Rule):
    """
    ## What it does
    Reports keyword arguments of Socket.IO servers and clients that the library does not know, such
    as `cors_allow_origins` for `cors_allowed_origins`, with a did-you-mean.

    ## Why is this bad?
    python-socketio passes every unknown keyword on to python-engineio, which "silently ignores" it
    (its docstring). The setting the author meant is simply not applied: python-socketio#330 ended in
    "is not an accepted origin" because of `cors_allow_origins='*'`.

    ## Example
    ```python
    sio = socketio.Server(cors_allow_origins=["https://app.example.com"])
    ```
    Use instead:
    ```python
    sio = socketio.Server(cors_allowed_origins=["https://app.example.com"])
    ```

    ## Fix safety
    Safe when exactly one known option is within two edits of the name (or the name is a well-known
    wrong spelling) and the call does not already set it: the rename applies what the author wrote.
    Otherwise there is no fix.
    """

    code = "SIO004"
    name = "unknown-option"
    summary = "unknown Socket.IO option is silently ignored"
    kinds = CODE_KINDS
    triggers = ("socketio", "socket.io", "engineio")
    fix_availability = FixAvailability.SOMETIMES
    languages = "Python, JS/TS"
    examples = (
        Valid("import socketio\nsio = socketio.Server(cors_allowed_origins=['https://a.example'], ping_timeout=20)\n"),
        Valid("from flask_socketio import SocketIO\nsocketio = SocketIO(app, message_queue='redis://', manage_session=False)\n"),
        Valid("import socketio\nc = socketio.Client(reconnection_attempts=3)\nc.connect('http://x', auth={'token': t}, wait_timeout=5)\n"),
        Invalid(
            "import socketio\nsio = socketio.Server(cors_allow_origins='https://a.example')\n",
            fixed="import socketio\nsio = socketio.Server(cors_allowed_origins='https://a.example')\n",
            message="cors_allowed_origins",
        ),
        Invalid(
            "from flask_socketio import SocketIO\nsocketio = SocketIO()\nsocketio.init_app(app, ping_timout=30)\n",
            fixed="from flask_socketio import SocketIO\nsocketio = SocketIO()\nsocketio.init_app(app, ping_timeout=30)\n",
        ),
        Invalid(
            "import socketio\nc = socketio.AsyncClient(reconection=False)\n\nasync def go():\n"
            "    await c.connect('http://x', auht={'token': 't'})\n",
            fixed="import socketio\nc = socketio.AsyncClient(reconnection=False)\n\nasync def go():\n"
            "    await c.connect('http://x', auth={'token': 't'})\n",
            count=2,
        ),
        Invalid(
            "import socketio\nsio = socketio.Server(cors_allowed_origins=['https://a'], cors_allow_origins='*')\n",
            fixed="import socketio\nsio = socketio.Server(cors_allowed_origins=['https://a'], cors_allow_origins='*')\n",
        ),
        Invalid("import socketio\nsio = socketio.Server(max_connections=100)\n", message="silently ignored"),
        Invalid(
            "import engineio\neio = engineio.AsyncServer(cors_allowed_origin='https://a.example')\n",
            fixed="import engineio\neio = engineio.AsyncServer(cors_allowed_origins='https://a.example')\n",
        ),
        # JavaScript / TypeScript: socket.io 4 ServerOptions, socket.io-client options.
        Valid('import { Server } from "socket.io";\nnew Server(srv, { pingTimeout: 20000, cors: { origin: "https://a.example" } });\n', path="server.ts"),
        Valid('import { io } from "socket.io-client";\nio(URL, { auth: { token }, reconnectionAttempts: 5 });\n', path="client.ts"),
        Invalid(
            'const io = require("socket.io")(srv, { pingTimout: 5000 });\n',
            path="server.js",
            fixed='const io = require("socket.io")(srv, { pingTimeout: 5000 });\n',
            message="did you mean `pingTimeout`",
            count=1,
        ),
        Invalid(
            'import { io } from "socket.io-client";\nio(URL, { reconection: false });\n',
            path="client.mjs",
            fixed='import { io } from "socket.io-client";\nio(URL, { reconnection: false });\n',
        ),
        Invalid('const io = require("socket.io")(srv, { origins: "*:*" });\n', path="server.js", message="removed in socket.io v3"),
    )

    def check(self, ctx) -> Iterable[Diagnostic]:
        for fact in ctx.facts.items:
            if isinstance(fact, SocketIOServer):
                known = known_names(fact.lang, "server", fact.library)
            elif isinstance(fact, SocketIOClient):
                known = known_names(fact.lang, "client", fact.library)
            else:
                continue
            for unknown in fact.unknown_options:
                yield self._report(ctx, unknown, known, fact.options)

    def _report(self, ctx, unknown: Option, known: frozenset[str], bag: OptionBag) -> Diagnostic:
        if unknown.name in REMOVED_IN_V3 and "cors" in known:
            return self.diagnostic(ctx, unknown.name_span, f"`{unknown.name}` was removed in socket.io v3 and is "
                                   f"silently ignored: {REMOVED_IN_V3[unknown.name]}")
        target = suggestion(unknown.name, known)
        message = f"`{unknown.name}` is not a Socket.IO option and is silently ignored"
        fix = None
        if target is not None:
            message += f"; did you mean `{target}`?"
            if target not in bag:
                fix = Fix.safe(f"Rename to `{target}`", Edit.replace(unknown.name_span, target))
        return self.diagnostic(ctx, unknown.name_span, message, fix)
