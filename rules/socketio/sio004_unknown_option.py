from __future__ import annotations

from typing import Iterable

from authlint.diagnostics.diagnostic import Diagnostic, Fix, FixAvailability
from authlint.facts.model import OptionBag, SocketIOClient, SocketIOServer
from authlint.facts.model import UnknownOption as Unknown
from authlint.files.kinds import CODE_KINDS
from authlint.rule import Invalid, Rule, Valid, Violation
from authlint.rules import kit
from authlint.rules.kit.values import number as is_number
from authlint.rules.socketio.timers import plausible, scale, seconds


class RemovedOption(Violation):
    name: str
    instead: str  # what took its place

    def message(self) -> str:
        return f"`{self.name}` was removed in socket.io v3 and is silently ignored: {self.instead}"


class IgnoredOption(Violation):
    name: str
    meant: str | None

    def message(self) -> str:
        text = f"`{self.name}` is not a Socket.IO option and is silently ignored"
        return f"{text}; did you mean `{self.meant}`?" if self.meant else text


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
    wrong spelling, or another library's spelling of it) and the call does not already set it: the
    rename applies what the author wrote. A time written for another unit is converted with it
    (`pingInterval=30000` in Python is engine.io's milliseconds: `ping_interval=30`), unless the
    number only makes sense in the new unit as written (`pingTimeout=20`: `ping_timeout=20`). When
    the value cannot be converted (a name, a constant shared elsewhere) there is no fix: a plain
    rename would change its meaning.

    ## References
    - python-engineio `Server(**kwargs)`: "any additional parameters given as keyword arguments will
      be silently ignored": https://python-engineio.readthedocs.io/en/latest/api.html#engineio.Server
    - python-socketio#330 (`cors_allow_origins='*'`: "is not an accepted origin")
    - socket.io v3 migration (`origins`, `handlePreflightRequest` removed):
      https://socket.io/docs/v4/migrating-from-2-x-to-3-0/#cors-handling
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
            span=(2, 23, 2, 41),
        ),
        # engine.io's spelling in Python: renamed, and milliseconds converted to python-engineio's seconds
        Invalid(
            "import socketio\nsio = socketio.Server(pingInterval=30000)\n",
            fixed="import socketio\nsio = socketio.Server(ping_interval=30)\n",
            message="did you mean `ping_interval`",
            span=(2, 23, 2, 35),
        ),
        Invalid(
            "from flask_socketio import SocketIO\nsocketio = SocketIO(app, pingTimeout=25000.0, pingInterval=2500)\n",
            fixed="from flask_socketio import SocketIO\nsocketio = SocketIO(app, ping_timeout=25, ping_interval=2.5)\n",
            count=2,
        ),
        # 20 ms makes no sense, 20 s does: the number was already written in seconds
        Invalid(
            "import socketio\nsio = socketio.Server(pingTimeout=20)\n",
            fixed="import socketio\nsio = socketio.Server(ping_timeout=20)\n",
        ),
        # the value cannot be converted where it stands (a shared constant, a name): no plain rename
        Invalid(
            "import socketio\nPING = 30000\nsio = socketio.Server(pingInterval=PING)\n",
            fixed="import socketio\nPING = 30000\nsio = socketio.Server(pingInterval=PING)\n",
            message="did you mean `ping_interval`",
        ),
        Invalid(
            "import os, socketio\nsio = socketio.Server(pingInterval=int(os.environ['PING_MS']))\n",
            fixed="import os, socketio\nsio = socketio.Server(pingInterval=int(os.environ['PING_MS']))\n",
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
            span=(1, 40, 1, 50),
        ),
        # python-engineio's spelling in JavaScript: renamed, and seconds converted to engine.io's milliseconds
        Invalid(
            'import { Server } from "socket.io";\nnew Server(srv, { ping_timeout: 20, ping_interval: 25 });\n',
            path="server.ts",
            fixed='import { Server } from "socket.io";\nnew Server(srv, { pingTimeout: 20000, pingInterval: 25000 });\n',
            count=2,
        ),
        Invalid(
            'import { io } from "socket.io-client";\nio(URL, { reconnection_delay: 2 });\n',
            path="client.ts",
            fixed='import { io } from "socket.io-client";\nio(URL, { reconnectionDelay: 2000 });\n',
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
            if isinstance(fact, (SocketIOServer, SocketIOClient)):
                for unknown in fact.unknown_options:
                    yield self._report(ctx, unknown, fact.options)

    def _report(self, ctx, unknown: Unknown, bag: OptionBag) -> Diagnostic:
        if unknown.removed is not None:
            return self.report(ctx, unknown.name_span, RemovedOption(unknown.name, unknown.removed))
        fix = None
        if unknown.meant is not None and unknown.meant not in bag:
            edits = _rename(ctx.source, unknown)
            if edits:
                fix = Fix.safe(f"Rename to `{unknown.meant}`", *edits)
        return self.report(ctx, unknown.name_span, IgnoredOption(unknown.name, unknown.meant), fix)


def _rename(source, unknown: Unknown):
    """The rename, converting a time written for another unit; None when it cannot be done safely."""
    meant = unknown.meant
    if unknown.unit is None or unknown.meant_unit is None or unknown.unit == unknown.meant_unit:
        return kit.rename_option(source, unknown, meant)
    value = unknown.value.value
    if not is_number(value):
        return None
    if plausible(seconds(value, unknown.unit)):  # as written for its spelling: convert
        return kit.rename_option(source, unknown, meant, scale=scale(unknown.unit, unknown.meant_unit))
    if plausible(seconds(value, unknown.meant_unit)):  # already in the unit of the option meant
        return kit.rename_option(source, unknown, meant)
    return None
