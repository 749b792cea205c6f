from __future__ import annotations

from typing import Iterable

from authlint.diagnostics.diagnostic import Diagnostic, Fix, FixAvailability
from authlint.facts.knowledge import socketio_options
from authlint.facts.knowledge.socketio_versions import JS_CORS_OPTION_SINCE
from authlint.facts.model import OptionBag, SocketIOClient, SocketIOServer
from authlint.facts.model import UnknownOption as Unknown
from authlint.files.kinds import CODE_KINDS
from authlint.rule import FixOffer, Invalid, Rule, Valid, Violation
from authlint.rules import kit
from authlint.rules.kit.values import number as is_number
from authlint.rules.socketio.timers import plausible, scale, seconds
from authlint.versions import ranges
from authlint.versions.example_files import package_json
from authlint.versions.model import ProjectVersions


class RemovedOption(Violation):
    name: str
    instead: str  # what took its place

    def message(self) -> str:
        return f"`{self.name}` was removed in socket.io v3 and is silently ignored: {self.instead}"


class IgnoredOption(Violation):
    name: str
    meant: str | None
    held: str = ""  # why the rename is not offered ("" when it is, or there is none)

    def message(self) -> str:
        text = f"`{self.name}` is not a Socket.IO option and is silently ignored"
        text = f"{text}; did you mean `{self.meant}`?" if self.meant else text
        return f"{text} ({self.held})" if self.held else text


class UnknownOption(Rule):
    """
    ## What it does
    Reports keyword arguments of Socket.IO servers and clients that the library does not know, such
    as `cors_allow_origins` for `cors_allowed_origins`, with a did-you-mean. socket.io 2's
    `origins` and `handlePreflightRequest` are reported as removed unless the project's pins say
    it runs socket.io 2 (every pin before 3.0.0), where they are read; SIO002/SIO003 weigh them there.

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
    A rename is offered when exactly one known option is within two edits of the name (or the name
    is a well-known wrong spelling, or another library's spelling of it). The ignored option had no
    effect, so renaming it switches a setting on: the fix is safe only when the option it becomes
    cannot open anything, namely the timers (`ping_timeout`, `pingInterval`, `reconnection_delay`,
    `wait_timeout`, ...), reconnection counts and loggers (`CANNOT_OPEN` in
    `knowledge/socketio_options`): they decide when a peer is given up, never who may connect.
    Every other rename is unsafe: `cors_allowed_origin="https://a"` becoming
    `cors_allowed_origins="https://a"` lets that origin in, `auht` becoming `auth` starts
    sending a credential, `transports`, `cookie`, `path` change what the server accepts.

    A rename that would switch on a wildcard origin list (`cors_allowed_origin="*"`: the typo kept
    the server same-origin, the renamed option accepts every origin, the hole SIO003 reports) is
    display-only.

    No rename is offered when the call already sets the option it would become, or another ignored
    option of the call would become it too: the rename would write a duplicate keyword (a
    SyntaxError in Python, a silent override in JavaScript); the message says so.

    A time written for another unit is converted with it
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
    fix_offers = (
        FixOffer.safe(
            "Renames an ignored option into a timer, retry count or logger: it decides when a peer is given up, never who may connect."
        ),
        FixOffer.unsafe(
            "Renames an ignored option into one that decides who may connect or what is sent (CORS, auth, transports, cookie, path): it switches that on."
        ),
        FixOffer.display_only(
            "Shows the rename of an ignored origin option whose value is a wildcard (`cors_allowed_origin='*'`):"
            " applied, the same-origin server would accept every origin."
        ),
    )
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
        # the typo was ignored (same-origin only); renamed as written, every origin would be accepted:
        # the rename is display-only (an origin list that is no wildcard is an unsafe rename, below)
        Invalid(
            "import socketio\nsio = socketio.Server(cors_allowed_origin='*')\n",
            fixed="import socketio\nsio = socketio.Server(cors_allowed_origin='*')\n",
            message="did you mean `cors_allowed_origins`",
            span=(2, 23, 2, 42),
        ),
        # two ignored spellings of one option: renaming either would write a duplicate keyword
        Invalid(
            "import socketio\nsio = socketio.Server(cors_allow_origins='*', cors_origins=['https://a'])\n",
            fixed="import socketio\nsio = socketio.Server(cors_allow_origins='*', cors_origins=['https://a'])\n",
            message="would become `cors_allowed_origins` too",
            count=2,
        ),
        Invalid(
            "import socketio\nsio = socketio.Server(ping_timeout=20, pingTimeout=5000)\n",
            fixed="import socketio\nsio = socketio.Server(ping_timeout=20, pingTimeout=5000)\n",
            message="the call already sets `ping_timeout`",
            span=(2, 40, 2, 51),
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
        # already set: renaming would be a silent override in JavaScript (the later key wins)
        Invalid(
            'import { Server } from "socket.io";\nnew Server(srv, { pingTimeout: 5000, pingTimout: 60000 });\n',
            path="server.ts",
            fixed='import { Server } from "socket.io";\nnew Server(srv, { pingTimeout: 5000, pingTimout: 60000 });\n',
            message="the call already sets `pingTimeout`",
            span=(2, 38, 2, 48),
        ),
        Invalid(
            'import { io } from "socket.io-client";\nio(URL, { auht: { token } });\n',
            path="client.ts",
            fixed='import { io } from "socket.io-client";\nio(URL, { auth: { token } });\n',
            message="did you mean `auth`",
        ),
        Invalid('const io = require("socket.io")(srv, { origins: "*:*" });\n', path="server.js", message="removed in socket.io v3"),
        # the project runs socket.io 2, which reads `origins` (SIO002/SIO003 weigh the policy); on 3+ it is ignored
        Valid(
            'const io = require("socket.io")(srv, { origins: ["https://app.example.com:443"] });\n',
            path="server.js",
            files={"package.json": package_json({"socket.io": "^2.3.0"})},
        ),
        Invalid(
            'const io = require("socket.io")(srv, { origins: ["https://app.example.com:443"] });\n',
            path="server.js",
            files={"package.json": package_json({"socket.io": "^4.7.2"})},
            message="removed in socket.io v3",
            count=1,
        ),
        Valid(
            "import { Server } from 'socket.io';\nnew Server(srv, { handlePreflightRequest: (req, res) => res.end() });\n",
            path="server.ts",
            files={"package.json": package_json({"socket.io": "2.4.1"})},
        ),
    )

    def check(self, ctx) -> Iterable[Diagnostic]:
        for fact in ctx.facts.items:
            if isinstance(fact, (SocketIOServer, SocketIOClient)):
                for unknown in fact.unknown_options:
                    if unknown.removed is not None and _runs_only_before_removal(ctx.settings.versions):
                        continue  # socket.io 2 reads `origins`: SIO002/SIO003 weigh what it allows
                    yield self._report(ctx, unknown, fact.options, fact.unknown_options)

    def _report(self, ctx, unknown: Unknown, bag: OptionBag, unknowns: list[Unknown]) -> Diagnostic:
        if unknown.removed is not None:
            return self.report(ctx, unknown.name_span, RemovedOption(unknown.name, unknown.removed))
        if unknown.meant is None:
            return self.report(ctx, unknown.name_span, IgnoredOption(unknown.name, None))
        held = _held(unknown, bag, unknowns)
        if held:
            return self.report(ctx, unknown.name_span, IgnoredOption(unknown.name, unknown.meant, held))
        fix = None
        edits = _rename(ctx.source, unknown)
        if edits:
            opens = socketio_options.renaming_opens(unknown.meant)
            if _opens_to_every_origin(unknown):
                fix = Fix.display_only(
                    f"Rename to `{unknown.meant}` only with your real origins: as written it accepts every origin", *edits
                )
            elif opens is None:
                fix = Fix.safe(f"Rename to `{unknown.meant}`", *edits)
            else:
                fix = Fix.unsafe(f"Rename to `{unknown.meant}` (switches on {opens})", *edits)
        return self.report(ctx, unknown.name_span, IgnoredOption(unknown.name, unknown.meant), fix)


def _runs_only_before_removal(versions: ProjectVersions) -> bool:
    """Every pin of socket.io says the project runs a release before 3.0.0, which removed `origins`
    and `handlePreflightRequest` (and brought `cors`): there the options are read, not ignored.
    Unknown versions, or one pin on 3+, keep the report."""
    gate = JS_CORS_OPTION_SINCE
    limit = ranges.parse_version(gate.dependency.ecosystem, gate.before)
    runs = ranges.running(versions, gate.dependency.ecosystem, gate.dependency.package)
    return bool(runs) and all(run.below(limit) is True for run in runs)


def _opens_to_every_origin(unknown: Unknown) -> bool:
    """The rename would switch on an origin list that is a wildcard: the ignored typo kept the server
    same-origin, the renamed option would let every origin in (the hole SIO003 reports), so the
    rename is shown, never applied."""
    if unknown.meant not in socketio_options.ORIGIN_OPTIONS:
        return False
    value = unknown.value.value
    if isinstance(value, (list, tuple)):
        return "*" in value
    return value == "*" or value is True


def _held(unknown: Unknown, bag: OptionBag, unknowns: list[Unknown]) -> str:
    """Why the rename would write a duplicate option ("" when it would not)."""
    if unknown.meant in bag:
        return f"not renamed: the call already sets `{unknown.meant}`"
    twin = next((u.name for u in unknowns if u is not unknown and u.meant == unknown.meant and u.removed is None), None)
    if twin is not None:
        return f"not renamed: `{twin}` would become `{unknown.meant}` too"
    return ""


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
