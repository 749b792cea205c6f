from __future__ import annotations

import math
from typing import Iterable, Iterator

from authlint.diagnostics.diagnostic import Diagnostic, Fix, FixAvailability, Severity
from authlint.diagnostics.mask import Quoted
from authlint.facts.model import NatsServerPings, NginxProxy, SocketIOServer, TimedOption
from authlint.files.kinds import CODE_KINDS, JAVASCRIPT, NATSCONF, NGINX, PYTHON, TYPESCRIPT
from authlint.files.source import Source, Span
from authlint.rule import FixOffer, Invalid, Rule, Valid, Violation
from authlint.rules import kit
from authlint.rules.proxy.carriers import carriers
from authlint.rules.proxy.idle import IDLE_DIRECTIVE, IdleTimeout, idle_timeout, target_ports
from authlint.rules.socketio.timers import misread_unit, scale

# how much longer than Engine.IO's own deadline a fixed timeout is, and never below nginx's default
SOCKETIO_MARGIN = 2.0
NATS_SILENCE = 2.0  # a NATS connection may be silent for up to two ping intervals (see the docs)


class CutsSocketIO(Violation):
    directive: Quoted  # ``proxy_read_timeout 20s`` or ``proxy_read_timeout`` (nginx's default 60s)
    where: str  # where it is written, when not on this line ("" here; ``snippets/ws.conf:3``; "nginx's default")
    timeout: str
    interval: str
    deadline: str  # ping interval + ping timeout
    server: str  # ``app.py:4``: the Socket.IO server whose timers decide

    def message(self) -> str:
        said = f"`{self.directive}`" + (f" ({self.where})" if self.where else "")
        return (f"{said} closes a proxied Socket.IO connection after {self.timeout} without data from the app, but "
                f"the server ({self.server}) sends a ping only every {self.interval}: nginx cuts every idle "
                "connection and clients disconnect and reconnect in a loop")


class UnderDeadline(Violation):
    directive: Quoted
    where: str
    timeout: str
    interval: str
    deadline: str
    server: str

    def message(self) -> str:
        said = f"`{self.directive}`" + (f" ({self.where})" if self.where else "")
        return (f"{said} gives a proxied Socket.IO connection {self.timeout} of silence, less than Engine.IO's own "
                f"deadline of {self.deadline} (ping interval {self.interval} + ping timeout, {self.server}): a ping "
                "that arrives late finds the connection already cut by nginx")


class CutsNats(Violation):
    directive: Quoted
    where: str
    timeout: str
    interval: str
    listener: str  # "client port 4222" | "websocket port 8080"
    server: str  # ``nats-server.conf`` (``ping_interval`` line, or "default")

    def message(self) -> str:
        said = f"`{self.directive}`" + (f" ({self.where})" if self.where else "")
        return (f"{said} closes a proxied NATS connection ({self.listener}) after {self.timeout} without traffic, but "
                f"an idle NATS connection carries only pings, every {self.interval} ({self.server}), and the server "
                "skips a ping after recent traffic: nginx cuts idle clients, which reconnect in a loop")


def _where(source: Source, span: Span) -> str:
    return f"{source.relpath}:{source.position(span.start)[0]}"


def _seconds(value: float) -> str:
    return kit.human(value)


def _said(project, proxy: NginxProxy, idle: IdleTimeout) -> tuple[str, str, Span]:
    """The directive as messages quote it, where it is written when that is not the finding's
    line (``conf.d/app.conf:2``, a snippet's ``snippets/timeouts.conf:1``), and the finding's span:
    the value when written in this block, else the location."""
    at = proxy.location_span or proxy.span
    if idle.written is None:
        return idle.name, f"not set: nginx's default {_seconds(idle.seconds)}", at
    text = f"{idle.name} {' '.join(idle.written.args)}"
    if idle.own:
        return text, "", idle.written.arg_spans[0]
    relpath = idle.written.relpath or proxy.source.relpath
    source = next((ctx.source for ctx in project.files if ctx.source.relpath == relpath), None)
    if source is None:
        return text, f"set in {relpath}", at
    return text, _where(source, idle.written.span), at


def _value(seconds: float) -> str:
    """A timeout as nginx reads it, in whole seconds rounded up (``90s``, ``2m``, ``6m``)."""
    whole = math.ceil(seconds)
    for unit, size in (("h", 3600), ("m", 60)):
        if whole % size == 0:
            return f"{whole // size}{unit}"
    return f"{whole}s"


def _fix(proxy: NginxProxy, idle: IdleTimeout, seconds: float, dedicated: bool) -> Fix | None:
    """Raise the timeout where the location decides it: the value in place when written here, a
    directive of its own in the block otherwise (it then overrides the inherited one for this
    location alone)."""
    value = _value(seconds)
    if idle.shared:
        return None
    if idle.own and idle.written is not None:
        edit = kit.replace_argument(proxy.source, idle.written, 0, value)
    else:
        edit = kit.insert_directives(proxy.source, proxy, [(idle.name, [value])])
    if edit is None:
        return None
    title = f"Set `{idle.name} {value}` on this {'location' if proxy.location_span is not None else 'server'}"
    return Fix.safe(title, edit) if dedicated else Fix.unsafe(title, edit)


def _meant(timer: TimedOption | None, default: float | None) -> float | None:
    """The duration a ping option is meant to have: as its library reads it, or, for a number
    written in the wrong unit (SIO001's finding: `ping_timeout=20000` read as 20000 s), in the unit
    it was written in, the value SIO001's fix gives it (the two fixes apply in the same run, so
    the proxy's timeout must fit the server as fixed, not 2 × 20025 s)."""
    if timer is None:
        return default
    if timer.seconds is None:
        return None
    written = timer.seconds / scale(timer.unit, "s")
    meant = misread_unit(written, timer.unit)
    return timer.seconds if meant is None else written * scale(meant, "s")


def _deadline(server: SocketIOServer) -> tuple[float, float] | None:
    """(ping interval, interval + ping timeout) the server applies; None when a value is not a number."""
    interval = _meant(server.ping_interval, server.ping_interval_default)
    timeout = _meant(server.ping_timeout, server.ping_timeout_default)
    if interval is None or timeout is None:
        return None
    return interval, interval + timeout


PY_APP = "import socketio\nsio = socketio.AsyncServer(async_mode='aiohttp', ping_interval=25, ping_timeout=20)\n"
PY_SLOW_PING = "import socketio\nsio = socketio.AsyncServer(async_mode='aiohttp', ping_interval=90, ping_timeout=30)\n"
JS_APP = ('const { Server } = require("socket.io");\n'
          "const io = new Server(3000, { pingInterval: 50000, pingTimeout: 20000 });\n")


NATS_CONF = "port: 4222\nping_interval: \"2m\"\nwebsocket {\n  port: 8080\n  no_tls: true\n}\n"


class ProxyTimeoutUnderPing(Rule):
    """
    ## What it does
    Weighs the idle timeout of nginx in front of a Socket.IO server or a NATS server against the
    keep-alive of that server, read from the same project.

    Socket.IO: on every location that carries the server's path (`/socket.io/`, or its `path`;
    see the other PRX rules), `proxy_read_timeout` in effect (nginx's inheritance and the
    project's includes applied; default 60 s) must be at least Engine.IO's own deadline: the ping
    interval plus the ping timeout of the server (python-socketio / Flask-SocketIO `ping_interval` /
    `ping_timeout` in seconds, socket.io `pingInterval` / `pingTimeout` in milliseconds; defaults
    25 s and 20 s). The server writes a ping every interval and the client waits up to interval +
    timeout for it; a proxy that gives up earlier decides, alone, that a healthy connection is
    dead. Below the interval itself every idle connection is cut.

    NATS: a `stream {}` server whose `proxy_pass` reaches the client port of the project's
    nats-server config (`port` / `listen`, default 4222), or an http location that reaches its
    `websocket { port }`, is checked the same way: its `proxy_timeout` (stream, default 10 min) or
    `proxy_read_timeout` (http, default 60 s) must be longer than two `ping_interval`s of that
    config (default 2 min), the longest an idle NATS connection can go without a byte: the server
    skips its ping when the client sent something during the last interval. An http location in
    front of a NATS websocket port with nginx's defaults is therefore reported (60 s < 4 min).

    Times are read as nginx reads them (`90s`, `1m30s`, `"1m 30s"`, `500ms`, a bare number in
    seconds). `proxy_send_timeout` is not read: it only runs while a write to the app is blocked,
    and an idle WebSocket never meets it (checked against nginx 1.22: a 1 s `proxy_send_timeout`
    left an idle Socket.IO WebSocket connected).

    ## Why is this bad?
    nginx closes a proxied connection when the app sends nothing for `proxy_read_timeout`. An idle
    Socket.IO WebSocket carries only the server's pings, so with a read timeout under the ping
    interval every quiet client is disconnected ("transport close") and reconnects, over and over;
    long-polling requests, which the server holds up to one ping interval, end in 504s. NATS
    clients behind such a proxy see "Stale Connection" / unexpected EOF and reconnect in a loop.

    ## Example
    ```nginx
    location /socket.io/ {
        proxy_pass http://app:5000;
        proxy_read_timeout 20s;   # the server pings every 25 s
    }
    ```
    Use instead a timeout longer than the ping cycle:
    ```nginx
    location /socket.io/ {
        proxy_pass http://app:5000;
        proxy_read_timeout 90s;
    }
    ```

    ## Fix safety
    The fix raises the timeout of that location or stream server alone: it replaces the value
    when it is written there, or adds the directive to the block when it is inherited or left at
    the default (a directive in the block overrides the inherited one for this location only). The
    value is, for Socket.IO, twice Engine.IO's deadline (interval + timeout), never less than
    nginx's default 60 s: Engine.IO then always notices a dead peer first, with room for a late
    ping; for NATS, the server's stale window `(ping_max + 1) × ping_interval`, at least three
    intervals: nginx then never closes a connection the server still counts as alive.

    Safe on a location or stream server that carries only this traffic; unsafe on `location /`
    (or a server-level proxy) that serves other requests too: they then wait longer for a hung
    app. No fix when the timeout comes from a snippet included into the same block (a second copy
    would be a duplicate nginx refuses, and the snippet serves other locations).

    ## References
    - Socket.IO, Behind a reverse proxy: https://socket.io/docs/v4/reverse-proxy/
    - Socket.IO, How it works (heartbeat: pingInterval, pingTimeout): https://socket.io/docs/v4/how-it-works/
    - Socket.IO server options `pingInterval` / `pingTimeout`: https://socket.io/docs/v4/server-options/#pinginterval
    - python-engineio server `ping_interval`, `ping_timeout`: https://python-engineio.readthedocs.io/en/latest/api.html
    - nginx `proxy_read_timeout` / `proxy_send_timeout`: https://nginx.org/en/docs/http/ngx_http_proxy_module.html#proxy_read_timeout
    - nginx, WebSocket proxying ("closed if the proxied server does not transmit any data within 60 seconds"): https://nginx.org/en/docs/http/websocket.html
    - nginx stream `proxy_timeout`: https://nginx.org/en/docs/stream/ngx_stream_proxy_module.html#proxy_timeout
    - nginx time units: https://nginx.org/en/docs/syntax.html
    - NATS, Ping/Pong protocol ("in the presence of traffic ... the server will not initiate the PING/PONG"): https://docs.nats.io/using-nats/developer/connecting/pingpong
    - nats-server `ping_interval`, `websocket { port }`: https://docs.nats.io/running-a-nats-service/configuration
    - authlint reference, versions-and-deployments.md "nginx in front of Socket.IO"
    """

    code = "PRX003"
    name = "proxy-timeout-under-ping"
    summary = "nginx idle timeout shorter than the Socket.IO or NATS ping cycle it carries"
    kinds = frozenset({NGINX, NATSCONF}) | CODE_KINDS
    languages = "nginx, Python, JS/TS, nats-server.conf"
    # nginx files that proxy, or set the timeout for a proxy elsewhere (a snippet it includes)
    triggers = ("proxy_pass", "proxy_read_timeout", "proxy_timeout", "upstream")
    kind_triggers = {NATSCONF: (), PYTHON: ("socketio", "socket.io"), JAVASCRIPT: ("socket.io",),
                     TYPESCRIPT: ("socket.io",)}
    project_rule = True
    severity = Severity.WARNING
    fix_availability = FixAvailability.SOMETIMES
    fix_offers = (
        FixOffer.safe("Raises the timeout on a location or stream server that carries only Socket.IO or NATS."),
        FixOffer.unsafe("Raises the timeout on `location /` (or a server-level proxy): other requests wait longer for a hung app."),
    )
    examples = (
        Invalid(  # the server pings every 25 s, nginx gives up after 20 s of silence
            "http {\n    server {\n        listen 80;\n        location /socket.io/ {\n"
            "            proxy_pass http://app:5000;\n            proxy_read_timeout 20s;\n        }\n    }\n}\n",
            path="deploy/nginx.conf", files={"app.py": PY_APP},
            message="`proxy_read_timeout 20s` closes a proxied Socket.IO connection after 20s without data from "
            "the app, but the server (app.py:2) sends a ping only every 25s",
            span=(6, 32, 6, 35), count=1,
            fixed="http {\n    server {\n        listen 80;\n        location /socket.io/ {\n"
            "            proxy_pass http://app:5000;\n            proxy_read_timeout 90s;\n        }\n    }\n}\n",
        ),
        Invalid(  # `ping_timeout=20000` is 20 s written in ms (SIO001 fixes it in the same run): the
            # timeout fits the server as fixed, 2 x (25 s + 20 s), not 2 x 20025 s
            "server {\n    location /socket.io/ {\n        proxy_pass http://app:5000;\n"
            "        proxy_read_timeout 20s;\n    }\n}\n",
            path="conf.d/app.conf",
            files={"app.py": "import socketio\nsio = socketio.Server(ping_timeout=20000)\n"},
            fixed="server {\n    location /socket.io/ {\n        proxy_pass http://app:5000;\n"
            "        proxy_read_timeout 90s;\n    }\n}\n",
        ),
        Valid(  # read as the library reads it, 20000 s would make nginx's default 60 s a finding
            "server {\n    location /socket.io/ {\n        proxy_pass http://app:5000;\n    }\n}\n",
            path="conf.d/app.conf",
            files={"app.py": "import socketio\nsio = socketio.Server(ping_timeout=20000)\n"},
        ),
        Valid(  # the corrected twin
            "http {\n    server {\n        listen 80;\n        location /socket.io/ {\n"
            "            proxy_pass http://app:5000;\n            proxy_read_timeout 90s;\n        }\n    }\n}\n",
            path="deploy/nginx.conf", files={"app.py": PY_APP},
        ),
        Valid(  # nginx's default 60 s outlasts the default ping cycle (25 s + 20 s)
            "http {\n    server {\n        location /socket.io/ {\n            proxy_pass http://app:5000;\n"
            "        }\n    }\n}\n",
            path="deploy/nginx.conf", files={"app.py": "import socketio\nsio = socketio.Server()\n"},
        ),
        Invalid(  # socket.io pings every 50 s, waits 20 s more: nginx's default 60 s is under the deadline
            "server {\n    listen 80;\n    location / {\n        proxy_pass http://app:3000;\n    }\n}\n",
            path="conf.d/app.conf", files={"server.js": JS_APP},
            message="less than Engine.IO's own deadline of 1m10s (ping interval 50s + ping timeout, server.js:2)",
            span=(3, 14, 3, 15),
            fixed="server {\n    listen 80;\n    location / {\n        proxy_pass http://app:3000;\n"
            "        proxy_read_timeout 140s;\n    }\n}\n",
        ),
        Invalid(  # inherited from the server block: the location gets its own, longer one
            "server {\n    proxy_read_timeout 30;\n    location /socket.io/ {\n        proxy_pass http://app:5000;\n"
            "    }\n    location / {\n        proxy_pass http://web:8000;\n    }\n}\n",
            path="conf.d/app.conf", files={"app.py": PY_SLOW_PING},
            message="`proxy_read_timeout 30` (conf.d/app.conf:2) closes",
            fixed="server {\n    proxy_read_timeout 30;\n    location /socket.io/ {\n        proxy_pass http://app:5000;\n"
            "        proxy_read_timeout 4m;\n    }\n    location / {\n        proxy_pass http://web:8000;\n    }\n}\n",
        ),
        Invalid(  # a snippet included into the location sets it: named, and no fix (a second copy there
            # would be a duplicate nginx refuses, and the snippet serves other locations)
            "server {\n    location /socket.io/ {\n        proxy_pass http://app:5000;\n"
            "        include snippets/timeouts.conf;\n    }\n}\n",
            path="conf.d/app.conf", files={"app.py": PY_APP, "snippets/timeouts.conf": "proxy_read_timeout 15s;\n"},
            message="`proxy_read_timeout 15s` (snippets/timeouts.conf:1) closes",
            fixed="server {\n    location /socket.io/ {\n        proxy_pass http://app:5000;\n"
            "        include snippets/timeouts.conf;\n    }\n}\n",
        ),
        Valid(  # a time in nginx's units: 2 minutes outlast 90 s + 30 s
            "server {\n    location /socket.io/ {\n        proxy_pass http://app:5000;\n"
            "        proxy_read_timeout \"1m 60s\";\n    }\n}\n",
            path="conf.d/app.conf", files={"app.py": PY_SLOW_PING},
        ),
        Valid(  # proxy_send_timeout never closes an idle connection
            "server {\n    location /socket.io/ {\n        proxy_pass http://app:5000;\n"
            "        proxy_send_timeout 5s;\n    }\n}\n",
            path="conf.d/app.conf", files={"app.py": PY_APP},
        ),
        Valid(  # no Socket.IO server in the project: no ping cycle to weigh
            "server {\n    location /socket.io/ {\n        proxy_pass http://app:5000;\n"
            "        proxy_read_timeout 5s;\n    }\n}\n",
            path="conf.d/app.conf", files={"client.py": "import socketio\nsio = socketio.Client()\n"},
        ),
        Valid(  # an include the project does not ship may set the timeout
            "server {\n    location /socket.io/ {\n        proxy_pass http://app:5000;\n"
            "        include /etc/nginx/timeouts.conf;\n    }\n}\n",
            path="conf.d/app.conf", files={"server.js": JS_APP},
        ),
        Invalid(  # NATS behind a stream proxy: 1 minute of silence, pings every 2 minutes
            "stream {\n    server {\n        listen 4222;\n        proxy_pass nats:4222;\n"
            "        proxy_timeout 1m;\n    }\n}\n",
            path="nginx.conf", files={"nats-server.conf": NATS_CONF},
            message="`proxy_timeout 1m` closes a proxied NATS connection (client port 4222) after 1m without "
            "traffic, but an idle NATS connection carries only pings, every 2m (nats-server.conf:2)",
            span=(5, 23, 5, 25),
            fixed="stream {\n    server {\n        listen 4222;\n        proxy_pass nats:4222;\n"
            "        proxy_timeout 6m;\n    }\n}\n",
        ),
        Valid(  # the stream default, 10 minutes, outlasts two 2-minute ping intervals
            "stream {\n    server {\n        listen 4222;\n        proxy_pass nats:4222;\n    }\n}\n",
            path="nginx.conf", files={"nats-server.conf": NATS_CONF},
        ),
        Invalid(  # NATS websocket behind an http location with nginx's default 60 s
            "http {\n    upstream nats_ws {\n        server nats:8080;\n    }\n    server {\n"
            "        location /nats {\n            proxy_pass http://nats_ws;\n        }\n    }\n}\n",
            path="nginx.conf", files={"nats-server.conf": NATS_CONF},
            message="(not set: nginx's default 1m) closes a proxied NATS connection (websocket port 8080)",
            fixed="http {\n    upstream nats_ws {\n        server nats:8080;\n    }\n    server {\n"
            "        location /nats {\n            proxy_pass http://nats_ws;\n            proxy_read_timeout 6m;\n"
            "        }\n    }\n}\n",
        ),
        Valid(  # a port the NATS config does not listen on
            "http {\n    server {\n        location /api {\n            proxy_pass http://api:8000;\n"
            "            proxy_read_timeout 10s;\n        }\n    }\n}\n",
            path="nginx.conf", files={"nats-server.conf": NATS_CONF},
        ),
    )

    def check_project(self, project) -> Iterable[Diagnostic]:
        seen: set[tuple[str, int]] = set()
        for diagnostic in [*self._socketio(project), *self._nats(project)]:
            key = (diagnostic.path, diagnostic.span.start)
            if key not in seen:
                seen.add(key)
                yield diagnostic

    def _socketio(self, project) -> Iterator[Diagnostic]:
        for carrier in carriers(project):
            timed = [(server, _deadline(server)) for server in carrier.servers]
            known = [(server, found) for server, found in timed if found is not None]
            if not known:
                continue
            server, (interval, deadline) = max(known, key=lambda pair: pair[1][1])
            proxy = carrier.proxy
            idle = idle_timeout(project, proxy)
            if idle is None or idle.seconds >= deadline:
                continue
            directive, where, span = _said(project, proxy, idle)
            kind = CutsSocketIO if idle.seconds <= interval else UnderDeadline
            violation = kind(directive, where, _seconds(idle.seconds), _seconds(interval), _seconds(deadline),
                             _where(server.source, server.span))
            dedicated = proxy.location not in ("", "/") or proxy.modifier in ("~", "~*")
            fix = _fix(proxy, idle, max(SOCKETIO_MARGIN * deadline, idle_default(proxy)), dedicated)
            diagnostic = self.report(proxy.source, span, violation, fix)
            diagnostic.related = [(server.source, server.span, "the Socket.IO server whose pings the proxy carries")]
            yield diagnostic

    def _nats(self, project) -> Iterator[Diagnostic]:
        included = project.included_relpaths()
        configs = [p for p in project.facts(NatsServerPings) if p.source.relpath not in included]
        if not configs:
            return
        for proxy in project.facts(NginxProxy):
            ports = target_ports(project, proxy)
            if not ports:
                continue
            matched = []
            for config in configs:
                if proxy.context == "stream" and config.client_port in ports:
                    matched.append((config, f"client port {config.client_port}"))
                elif proxy.context == "http" and config.websocket_port in ports:
                    matched.append((config, f"websocket port {config.websocket_port}"))
            if not matched:
                continue
            config, listener = max(matched, key=lambda pair: pair[0].interval)
            idle = idle_timeout(project, proxy)
            if idle is None or idle.seconds > NATS_SILENCE * config.interval:
                continue
            directive, where, span = _said(project, proxy, idle)
            server = (_where(config.source, config.interval_span) if config.interval_span is not None
                      else f"{config.source.relpath}, nats-server's default")
            violation = CutsNats(directive, where, _seconds(idle.seconds), _seconds(config.interval), listener, server)
            window = max(config.window, (NATS_SILENCE + 1) * config.interval)
            dedicated = proxy.context == "stream" or proxy.location not in ("", "/")
            diagnostic = self.report(proxy.source, span, violation, _fix(proxy, idle, window, dedicated))
            diagnostic.related = [(config.source, config.interval_span or Span(0, 0), "the NATS server's ping interval")]
            yield diagnostic


def idle_default(proxy: NginxProxy) -> float:
    """nginx's own default for the proxy's idle timeout: a fix never sets less."""
    return IDLE_DIRECTIVE.get(proxy.context, IDLE_DIRECTIVE["http"])[1]
