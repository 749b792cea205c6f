from __future__ import annotations

from typing import Iterable

from authlint.diagnostics.diagnostic import Diagnostic, Edit, Fix, FixAvailability
from authlint.facts.model import SocketIOServer
from authlint.files.kinds import CODE_KINDS
from authlint.rule import Invalid, Rule, RuleOption, Valid
from authlint.rules.kit.common import human, number, option, parse_duration

# Engine.IO defaults: python-engineio seconds, Node engine.io milliseconds.
DEFAULTS = {"timeout": 20, "interval": 25}
NAMES = {"timeout": ("ping_timeout", "pingTimeout"), "interval": ("ping_interval", "pingInterval")}
MS_LOOKING = 1000  # a python value this large is milliseconds pasted from JS (20000 s = 5.5 h)


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
    because it lengthens how long a dead client takes to be noticed.
    """

    code = "SIO001"
    name = "ping-timeout"
    summary = "Socket.IO ping timeout too low or in the wrong unit"
    kinds = CODE_KINDS
    triggers = ("ping_timeout", "pingtimeout", "ping_interval", "pinginterval")
    fix_availability = FixAvailability.ALWAYS
    languages = "Python, JS/TS"
    rule_options = (
        RuleOption("min-timeout", 5.0, "lowest acceptable ping timeout, in seconds", parse_duration),
    )
    examples = (
        Valid("import socketio\nsio = socketio.Server(ping_timeout=20)\n"),
        Valid("import socketio\nsio = socketio.AsyncServer(ping_timeout=60, ping_interval=25)\n"),
        Valid("import socketio\nsio = socketio.Server()\n"),
        Valid("import socketio\nsio = socketio.Server(ping_timeout=float(os.environ['PING_TIMEOUT']))\n"),
        Valid("import socketio\nsio = socketio.Server(ping_interval=(25, 5))\n"),
        Valid("def configure(ping_timeout=2):\n    return ping_timeout\n"),  # not a Socket.IO server
        Valid(
            "import socketio\nsio = socketio.Server(ping_timeout=3)\n",
            options={"min-timeout": "2s"},
        ),
        Invalid(
            "import socketio\nsio = socketio.AsyncServer(async_mode='aiohttp', ping_timeout=2)\n",
            fixed="import socketio\nsio = socketio.AsyncServer(async_mode='aiohttp', ping_timeout=20)\n",
            message="too low",
            count=1,
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
            python = server.lang == "python"
            for which in ("timeout", "interval"):
                found = option(server.options, *NAMES[which])
                if found is None or not number(found.value.value):
                    continue
                diag = self._check_value(ctx, found, which, python)
                if diag is not None:
                    yield diag

    def _check_value(self, ctx, found, which: str, python: bool) -> Diagnostic | None:
        value = found.value.value
        seconds = value if python else value / 1000
        minimum = self.options["min-timeout"]
        default = DEFAULTS[which] if python else DEFAULTS[which] * 1000
        span = found.value.span
        if python and value >= MS_LOOKING:
            converted = _render_number(value / 1000)
            return self.diagnostic(
                ctx, span,
                f"`{found.name}={found.value.text}` is in seconds in python-engineio: that is "
                f"{human(value)}, probably milliseconds pasted from JavaScript (meant {converted} s)",
                Fix.safe(f"Convert to seconds ({converted})", Edit.replace(span, converted)),
            )
        if not python and 0 < value < MS_LOOKING / 10:
            converted = _render_number(value * 1000)
            return self.diagnostic(
                ctx, span,
                f"`{found.name}: {found.value.text}` is in milliseconds in engine.io: that is {value} ms, "
                f"probably seconds (meant {converted} ms)",
                Fix.safe(f"Convert to milliseconds ({converted})", Edit.replace(span, converted)),
            )
        if which == "timeout" and seconds < minimum:
            return self.diagnostic(
                ctx, span,
                f"ping timeout of {human(seconds)} is too low (under {human(minimum)}): healthy clients on "
                f"slow links or a busy server are dropped and reconnect over and over",
                Fix.unsafe(f"Use the library default ({default})", Edit.replace(span, str(default))),
            )
        return None


def _render_number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else repr(round(value, 3))
