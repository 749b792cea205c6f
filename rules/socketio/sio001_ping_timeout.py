from __future__ import annotations

from typing import Iterable

from authlint.diagnostics.diagnostic import Diagnostic, Fix, FixAvailability
from authlint.facts.model import SocketIOServer, TimedOption
from authlint.files.kinds import CODE_KINDS
from authlint.rule import FixOffer, Invalid, Rule, RuleOption, Valid, Violation
from authlint.rules import kit
from authlint.rules.socketio.timers import misread_unit, scale

UNIT_NAMES = {"s": "seconds", "ms": "milliseconds"}


class MillisecondsReadAsSeconds(Violation):
    written: str  # the option as written: `ping_timeout=20000`
    read_by: str
    seconds: float
    meant: str  # the value converted to the library's unit

    def message(self) -> str:
        return (f"`{self.written}` is in seconds in {self.read_by}: that is {kit.human(self.seconds)}, "
                f"probably milliseconds pasted from JavaScript (meant {self.meant} s)")


class SecondsReadAsMilliseconds(Violation):
    written: str  # `pingTimeout: 20`
    read_by: str
    value: str
    meant: str

    def message(self) -> str:
        return (f"`{self.written}` is in milliseconds in {self.read_by}: that is {self.value} ms, "
                f"probably seconds (meant {self.meant} ms)")


class TimeoutTooLow(Violation):
    seconds: float
    minimum: float

    def message(self) -> str:
        return (f"ping timeout of {kit.human(self.seconds)} is too low (under {kit.human(self.minimum)}): healthy "
                "clients on slow links or a busy server are dropped and reconnect over and over")


class PingTimeout(Rule):
    """
    ## What it does
    Checks the Engine.IO `ping_timeout` (python-socketio, Flask-SocketIO: seconds) and `pingTimeout`
    (Node socket.io: milliseconds) of Socket.IO servers: too low to survive a slow link or a busy
    server, or written in the other language's unit (`ping_timeout=20000` in Python is five and a half
    hours; `pingTimeout: 20` in JavaScript is 20 ms). `ping_interval` values in the wrong unit are
    reported too.

    ## Why is this bad?
    A server that waits only a second or two for the client's pong drops healthy clients on every
    hiccup: constant "ping timeout" disconnects and reconnect storms (OpenTAKServer#355 set
    `ping_timeout=1`). A millisecond value pasted into Python keeps dead clients "connected" for hours.

    ## Example
    ```python
    sio = socketio.AsyncServer(ping_timeout=2)
    ```
    Use instead:
    ```python
    sio = socketio.AsyncServer(ping_timeout=20)
    ```

    In JavaScript (milliseconds): `new Server(httpServer, { pingTimeout: 2000 })` -> `pingTimeout: 20000`.

    ## Fix safety
    A value in the wrong unit is converted (`20000` -> `20`): safe, it keeps what the author meant.
    A value that is merely too low is replaced with the library default (20 s / 20000 ms): unsafe,
    because it lengthens how long a dead client takes to be noticed. The server announces its
    timers in the handshake, so clients follow the new values without any change of their own.

    Only the spelling the library reads is judged: `pingInterval=30000` in Python is not read by
    python-engineio at all, and is SIO004's (unknown option) to rename and convert.

    ## References
    - python-engineio `Server(ping_interval=25, ping_timeout=20)`, in seconds:
      https://python-engineio.readthedocs.io/en/latest/api.html#engineio.Server
    - engine.io `pingTimeout: 20000`, `pingInterval: 25000`, in milliseconds:
      https://socket.io/docs/v4/server-options/#pingtimeout
    - OpenTAKServer#355 (`ping_timeout=1`: constant reconnects); socket.io#3421 (huge timeouts hiding a
      blocked server)
    """

    code = "SIO001"
    name = "ping-timeout"
    summary = "Socket.IO ping timeout too low or in the wrong unit"
    kinds = CODE_KINDS
    triggers = ("ping_timeout", "pingtimeout", "ping_interval", "pinginterval")
    fix_availability = FixAvailability.ALWAYS
    fix_offers = (
        FixOffer.safe(
            "Converts a value written in the other library's unit (`20000` → `20`)."
        ),
        FixOffer.unsafe(
            "Raises a too-low value to the library default: dead clients are noticed later."
        ),
    )
    languages = "Python, JS/TS"
    rule_options = (
        RuleOption("min-timeout", 5.0, "lowest acceptable ping timeout, in seconds", kit.parse_duration),
    )
    examples = (
        Valid("import socketio\nsio = socketio.Server(ping_timeout=20)\n"),
        Valid("import socketio\nsio = socketio.AsyncServer(ping_timeout=60, ping_interval=25)\n"),
        Valid("import socketio\nsio = socketio.Server()\n"),
        Valid("import socketio\nsio = socketio.Server(ping_timeout=float(os.environ['PING_TIMEOUT']))\n"),
        Valid("import socketio\nsio = socketio.Server(ping_interval=(25, 5))\n"),
        Valid("def configure(ping_timeout=2):\n    return ping_timeout\n"),  # not a Socket.IO server
        # python-engineio never reads engine.io's spellings: they are SIO004's to rename and convert
        Valid("import socketio\nsio = socketio.Server(pingInterval=30000, pingTimeout=2)\n"),
        Valid('const { Server } = require("socket.io");\nconst io = new Server(3000, { ping_timeout: 1 });\n', path="server.js"),
        Valid(
            "import socketio\nsio = socketio.Server(ping_timeout=3)\n",
            options={"min-timeout": "2s"},
        ),
        Invalid(
            "import socketio\nsio = socketio.AsyncServer(async_mode='aiohttp', ping_timeout=2)\n",
            fixed="import socketio\nsio = socketio.AsyncServer(async_mode='aiohttp', ping_timeout=20)\n",
            message="too low",
            count=1,
            span=(2, 63, 2, 64),
        ),
        Invalid(
            "from flask_socketio import SocketIO\nsocketio = SocketIO()\nsocketio.init_app(app, ping_timeout=1)\n",
            fixed="from flask_socketio import SocketIO\nsocketio = SocketIO()\nsocketio.init_app(app, ping_timeout=20)\n",
        ),
        Invalid(
            "import socketio as sio_lib\nsio = sio_lib.Server(ping_timeout=20000, ping_interval=25000)\n",
            fixed="import socketio as sio_lib\nsio = sio_lib.Server(ping_timeout=20, ping_interval=25)\n",
            message="milliseconds",
            count=2,
        ),
        Invalid(
            "from socketio import AsyncServer\nPING_TIMEOUT = 0.5\nsio = AsyncServer(ping_timeout=PING_TIMEOUT)\n",
            fixed="from socketio import AsyncServer\nPING_TIMEOUT = 0.5\nsio = AsyncServer(ping_timeout=20)\n",
        ),
        # JavaScript / TypeScript: engine.io takes milliseconds.
        Valid('import { Server } from "socket.io";\nconst io = new Server(httpServer, { pingTimeout: 20000 });\n', path="server.mjs"),
        Valid('const io = require("socket.io")(srv, { pingTimeout: Number(process.env.PING_TIMEOUT) });\n', path="server.js"),
        Valid("const opts = { pingTimeout: 2000 };\nmqttClient.configure(opts);\n", path="other.js"),
        Invalid(
            'import { Server } from "socket.io";\nconst io = new Server(httpServer, {\n  cors: { origin: "https://app.example.com" },\n  pingTimeout: 2000,\n});\n',
            path="server.ts",
            fixed='import { Server } from "socket.io";\nconst io = new Server(httpServer, {\n  cors: { origin: "https://app.example.com" },\n  pingTimeout: 20000,\n});\n',
            message="too low",
            count=1,
            span=(4, 16, 4, 20),
        ),
        Invalid(
            'const { Server } = require("socket.io");\nconst io = new Server(3000, { pingTimeout: 20, pingInterval: 25 });\n',
            path="server.js",
            fixed='const { Server } = require("socket.io");\nconst io = new Server(3000, { pingTimeout: 20000, pingInterval: 25000 });\n',
            message="milliseconds",
            count=2,
        ),
        Invalid(
            'import { WebSocketGateway } from "@nestjs/websockets";\n\n@WebSocketGateway({ pingTimeout: 1000 })\nexport class EventsGateway {}\n',
            path="events.gateway.ts",
            fixed='import { WebSocketGateway } from "@nestjs/websockets";\n\n@WebSocketGateway({ pingTimeout: 20000 })\nexport class EventsGateway {}\n',
        ),
    )

    def check(self, ctx) -> Iterable[Diagnostic]:
        for server in ctx.of(SocketIOServer):
            for timer, judge_low in ((server.ping_timeout, True), (server.ping_interval, False)):
                if timer is None or timer.seconds is None:
                    continue
                diag = self._check_value(ctx, timer, judge_low)
                if diag is not None:
                    yield diag

    def _check_value(self, ctx, timer: TimedOption, judge_low: bool) -> Diagnostic | None:
        value = timer.option.value.value
        expr = timer.option.value
        written = ctx.source.slice(timer.option.span)
        meant_unit = misread_unit(value, timer.unit)
        if meant_unit is not None:
            converted = value * scale(meant_unit, timer.unit)
            fix = Fix.safe(f"Convert to {UNIT_NAMES[timer.unit]} ({kit.number(converted)})",
                           kit.replace_value(ctx.source, expr, converted))
            if meant_unit == "ms":
                violation: Violation = MillisecondsReadAsSeconds(written, timer.read_by, timer.seconds, kit.number(converted))
            else:
                violation = SecondsReadAsMilliseconds(written, timer.read_by, kit.number(value), kit.number(converted))
            return self.report(ctx, expr.span, violation, fix)
        minimum = self.options["min-timeout"]
        if judge_low and timer.seconds < minimum:
            default = timer.default * scale("s", timer.unit)
            fix = Fix.unsafe(f"Use the library default ({kit.number(default)})", kit.replace_value(ctx.source, expr, default))
            return self.report(ctx, expr.span, TimeoutTooLow(timer.seconds, minimum), fix)
        return None
