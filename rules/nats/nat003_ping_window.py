from __future__ import annotations

from typing import Iterable

from authlint.diagnostics.diagnostic import Diagnostic, Fix, FixAvailability, Severity
from authlint.facts.model import NatsClient, NatsServerPings
from authlint.files.kinds import CODE_KINDS, JAVASCRIPT, NATSCONF, PYTHON, TYPESCRIPT
from authlint.files.source import Span
from authlint.rule import FixOffer, Invalid, Rule, RuleOption, Valid, Violation
from authlint.rules import kit

DEFAULT_INTERVAL = 120.0
DEFAULT_MAX = 2


class NoTolerance(Violation):
    """``ping_max`` below 0: the first ping tick closes the connection (0 is the default, 2)."""

    ping_max: int
    interval: str  # human text of ping_interval

    def message(self) -> str:
        return (
            f"ping_max {self.ping_max} closes every idle client as stale at its first ping tick "
            f"(after {self.interval}), before it can answer"
        )


class ZeroIsDefault(Violation):
    """``ping_max: 0`` / ``ping_interval: "0s"``: nats-server replaces a zero with its default."""

    key: str
    default: str

    def message(self) -> str:
        return (
            f"`{self.key}` 0 does not turn the keep-alive off or make it strict: nats-server replaces "
            f"0 with its default {self.default}"
        )


class WindowTooShort(Violation):
    window: str
    least: str  # min-window

    def message(self) -> str:
        return (
            f"clients are dropped as stale after (ping_max+1) × ping_interval = {self.window}: "
            f"below {self.least}, slow links and busy clients flap"
        )


class IntervalTooShort(Violation):
    interval: str
    least: str  # min-interval

    def message(self) -> str:
        return f"ping_interval of {self.interval} pings every client more than once per {self.least}"


class WindowTooLong(Violation):
    window: str
    most: str  # max-window

    def message(self) -> str:
        return (
            f"dead clients linger for (ping_max+1) × ping_interval = {self.window} "
            f"(more than {self.most}) holding subscriptions and slots"
        )


class ClientIntervalTooShort(Violation):
    option: str  # the interval as written (``pingInterval: 20``)
    interval: str
    least: str  # min-interval
    in_milliseconds: bool  # the library reads the number in milliseconds

    def message(self) -> str:
        unit = " (the number is milliseconds)" if self.in_milliseconds else ""
        return (f"`{self.option}` makes this NATS client ping the server every {self.interval}{unit}: "
                f"more than once per {self.least}, on every connection")


class ClientWindowTooShort(Violation):
    window: str
    least: str  # min-window

    def message(self) -> str:
        return (f"this NATS client closes its connection as stale after (max pings out + 1) × ping interval = "
                f"{self.window}: below {self.least}, a busy event loop or a slow link makes it reconnect in a loop")


class ClientLooserThanServer(Violation):
    window: str
    server_window: str
    server: str  # the config that sets the server's window (``nats-server.conf:3``)

    def message(self) -> str:
        return (f"this NATS client allows {self.window} of silence, but the server ({self.server}) closes a silent "
                f"client as stale after {self.server_window}: the server's window decides, the client's tolerance "
                "is never reached")


def _seconds(value) -> float:
    from authlint.facts.knowledge.durations import go_seconds

    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value)
    seconds = go_seconds(str(value))
    if seconds is None:
        raise ValueError(f"not a duration: {value!r}")
    return seconds


class PingWindow(Rule):
    """
    ## What it does
    Checks the client keep-alive of nats-server: a connection is closed as stale after about
    `(ping_max + 1) × ping_interval` without a PONG (6 minutes with the defaults `"2m"` and `2`).
    Reports a window below `min-window` (default 30 s), a `ping_interval` below `min-interval`
    (default 1 s), or a window above `max-window` (default 1 h).

    A zero is not what it looks like: nats-server replaces `ping_max: 0` and `ping_interval: "0s"`
    with its defaults (2 and 2 minutes; verified with 2.9.10's `/varz`), so the window is computed
    with those, and a zero is reported for saying something the server does not do. A negative
    `ping_max` is kept and closes every idle client at the first ping tick.

    NATS clients keep the same kind of window, by the same rule: nats-py `connect(ping_interval=,
    max_outstanding_pings=)` (seconds; defaults 120 and 2) and nats.js `connect({ pingInterval,
    maxPingOut })` (**milliseconds**; defaults 120000 and 2) close their connection as stale after
    about `(max + 1) × interval` without a PONG. Where a client writes either setting, it is
    reported when it pings more often than `min-interval` (the classic slip: nats.js
    `pingInterval: 20` meaning seconds is 20 ms), when its window is below `min-window` (the same
    options as the server's), and when its window is longer than the window of the project's
    nats-server config (the shortest one, when there are several; a config without ping keys has
    the default 6 minutes): the server closes a silent client first, so the tolerance the client
    asks for is never reached.

    Not reported: a client stricter than the server. It notices a dead connection and reconnects
    before the server drops the old one, which is what the NATS docs recommend (`20s` × 5); the
    stale server-side connection lingers at most the server's window, which this rule bounds with
    `max-window`. Clients that write no ping setting use the defaults, the server's own.

    ## Why is this bad?
    Too short, and clients behind slow links, busy event loops or load balancers are dropped as
    "Stale Connection" and reconnect in a loop. Too long, and dead clients keep their
    subscriptions, queue-group slots and connection count for hours.

    ## Example
    ```
    ping_interval: "100ms"
    ping_max: 1
    ```
    Use instead the defaults (or values whose window fits your network):
    ```
    ping_interval: "2m"
    ping_max: 2
    ```

    ## Fix safety
    Client findings have no fix: which window a client needs depends on its network and on the
    server it talks to. For server configs: unsafe: the fix sets the values the file writes back to nats-server's defaults (`"2m"`, `2`),
    which changes how quickly dead clients are detected (a silent client the old window dropped as
    "Stale Connection" now stays; checked against a running server). Safe where a zero is the only
    finding: writing the default the server already uses changes nothing. A value set through a
    variable or in another file is not edited (an included file is fixed where it sets the value).

    ## References
    - nats-server [server/const.go](https://github.com/nats-io/nats-server/blob/main/server/const.go) (`DEFAULT_PING_INTERVAL = 2 * time.Minute`, `DEFAULT_PING_MAX_OUT = 2`)
    - [server/client.go](https://github.com/nats-io/nats-server/blob/main/server/client.go): `Stale Connection` when `ping.out+1 > maxPingsOut`
    - [Configuring NATS Server](https://docs.nats.io/running-a-nats-service/configuration): `ping_interval`, `ping_max`
    - [nats-server#1399](https://github.com/nats-io/nats-server/issues/1399): maintainers on tuning `ping_interval` / `ping_max` behind load balancers
    - [NATS docs, Ping/Pong protocol](https://docs.nats.io/using-nats/developer/connecting/pingpong): client ping interval and maximum pings outstanding
    - nats-py [nats/aio/client.py](https://github.com/nats-io/nats.py/blob/main/nats/aio/client.py): `DEFAULT_PING_INTERVAL = 120  # in seconds`, `DEFAULT_MAX_OUTSTANDING_PINGS = 2`
    - nats.js [ConnectionOptions](https://nats-io.github.io/nats.js/core/interfaces/ConnectionOptions.html) (`pingInterval` in milliseconds, `maxPingOut`; `DEFAULT_PING_INTERVAL = 2 * 60 * 1000`)
    """

    code = "NAT003"
    name = "ping-window"
    summary = "client keep-alive so short that clients flap, or so long that dead ones linger"
    kinds = frozenset({NATSCONF}) | CODE_KINDS
    languages = "nats-server.conf, Python, JS/TS"
    triggers = ("ping_interval", "ping_max")
    # every server config (its window applies even when it writes no ping key); clients by library name
    kind_triggers = {NATSCONF: (), PYTHON: ("nats",), JAVASCRIPT: ("nats",), TYPESCRIPT: ("nats",)}
    project_rule = True  # clients in code are weighed against the project's server configs
    severity = Severity.WARNING
    fix_availability = FixAvailability.SOMETIMES
    fix_offers = (
        FixOffer.safe("Writes out the default nats-server already uses for a 0 (`ping_max: 0` → `2`, `0s` → `2m`)."),
        FixOffer.unsafe(
            "Sets the values outside the window back to nats-server's defaults: dead clients are detected at another pace."
        ),
    )
    rule_options = (
        RuleOption("min-window", "30s", "shortest acceptable (ping_max+1) × ping_interval", _seconds),
        RuleOption("max-window", "1h", "longest acceptable (ping_max+1) × ping_interval", _seconds),
        RuleOption("min-interval", "1s", "shortest acceptable ping_interval", _seconds),
    )
    examples = (
        Valid('ping_interval: "2m"\nping_max: 2\n', path="nats-server.conf"),
        Valid('ping_interval: "20s"\nping_max: 3\n', path="nats-server.conf"),
        Valid("ping_max: 5\n", path="nats-server.conf"),
        Valid("ping_interval: 2m\n", path="nats-server.conf"),  # NAT002's finding, not this rule's
        Valid('ping_interval: "5s"\nping_max: 2\n', path="nats-server.conf", options={"min-window": "10s"}),
        Invalid(
            'ping_interval: "100ms"\nping_max: 1\n',
            path="nats-server.conf",
            fixed='ping_interval: "2m"\nping_max: 2\n',
            message="0.2 s",
            span=(1, 16, 1, 23),
        ),
        Invalid(
            "ping_max: 0 # no tolerance\n",
            path="nats-server.conf",
            fixed="ping_max: 2 # no tolerance\n",
            message="replaces 0 with its default 2",
        ),
        Invalid("ping_max: -1\n", path="nats-server.conf", fixed="ping_max: 2\n", message="first ping tick"),
        # 0 is the default (2): the window is 3 × 5 s, too short
        Invalid(
            'ping_interval: "5s"\nping_max: 0\n',
            path="nats-server.conf",
            fixed='ping_interval: "2m"\nping_max: 2\n',
            message="15 s",
        ),
        Invalid('ping_interval: "0s"\n', path="nats-server.conf", fixed='ping_interval: "2m"\n', message="default \"2m\""),
        # the window (3 × 20 s) is fine: only the zero is written out, the interval stays
        Invalid(
            'ping_interval: "20s"\nping_max: 0\n',
            path="nats-server.conf",
            fixed='ping_interval: "20s"\nping_max: 2\n',
            span=(2, 11, 2, 12),
        ),
        Invalid(
            'ping_interval: "1h"\n', path="nats-server.conf", fixed='ping_interval: "2m"\n', message="dead clients"
        ),
        Invalid("ping_interval: 5\nping_max: 2\n", path="nats-server.conf", fixed='ping_interval: "2m"\nping_max: 2\n'),
        Invalid(
            'ping_interval: "30m"\nping_max: 10\n',
            path="nats-server.conf",
            fixed='ping_interval: "2m"\nping_max: 2\n',
            count=1,
        ),
        # NATS clients: their own window, and against the project's server config
        Valid("import nats\n\nasync def main():\n    nc = await nats.connect(SERVERS, ping_interval=20, max_outstanding_pings=5)\n",
              path="worker.py"),
        Valid('import { connect } from "nats";\nconst nc = await connect({ servers: SERVERS, pingInterval: 20000, maxPingOut: 5 });\n',
              path="bus.ts"),
        Valid(  # defaults on the client: the server's window decides, as it should
            "import nats\n\nasync def main():\n    nc = await nats.connect(SERVERS)\n",
            path="worker.py",
            files={"nats-server.conf": 'ping_interval: "20s"\nping_max: 2\n'},
        ),
        Valid(  # a client stricter than the server reconnects sooner: not reported
            "import nats\n\nasync def main():\n    nc = await nats.connect(SERVERS, ping_interval=20, max_outstanding_pings=5)\n",
            path="worker.py",
            files={"nats-server.conf": "port: 4222\n"},
        ),
        Invalid(  # 2 s of silence and the client reconnects: a blocked event loop flaps (no fix for clients)
            "import nats\n\nasync def main():\n    nc = await nats.connect(SERVERS, ping_interval=1, max_outstanding_pings=1)\n",
            path="worker.py",
            fixed="import nats\n\nasync def main():\n    nc = await nats.connect(SERVERS, ping_interval=1, max_outstanding_pings=1)\n",
            message="2 s",
            span=(4, 52, 4, 53),
        ),
        Invalid(  # nats.js reads milliseconds: 20 is 20 ms, not 20 s
            'import { connect } from "nats";\nconst nc = await connect({ servers: SERVERS, pingInterval: 20 });\n',
            path="bus.ts",
            fixed='import { connect } from "nats";\nconst nc = await connect({ servers: SERVERS, pingInterval: 20 });\n',
            message="milliseconds",
            span=(2, 60, 2, 62),
        ),
        Invalid(  # the client tolerates 11 minutes, the server drops a silent client after 1
            "import nats\n\nasync def main():\n    nc = await nats.connect(SERVERS, ping_interval=60, max_outstanding_pings=10)\n",
            path="worker.py",
            files={"nats-server.conf": 'ping_interval: "20s"\nping_max: 2\n'},
            message="nats-server.conf:1",
        ),
        Invalid(  # 3 × 5 minutes against the default 6 minutes of a config that writes no ping key
            'import { connect } from "nats";\nconst nc = await connect({ servers: SERVERS, pingInterval: 300000 });\n',
            path="bus.ts",
            files={"nats-server.conf": "port: 4222\n"},
            message="server's window decides",
        ),
    )

    def check_project(self, project) -> Iterable[Diagnostic]:
        included = project.included_relpaths()
        servers: list[tuple[float, str]] = []  # (window, where) of each config that is a server's own
        for pings in project.facts(NatsServerPings):
            yield from self._check_server(pings)
            if pings.source.relpath not in included:
                servers.append((pings.window, _where(pings)))
        for client in project.facts(NatsClient):
            diag = self._check_client(client, min(servers) if servers else None)
            if diag is not None:
                yield diag

    # -- clients ------------------------------------------------------------------------------------
    def _check_client(self, client: NatsClient, server: tuple[float, str] | None) -> Diagnostic | None:
        """A client's written keep-alive: too frequent, too short a window, or looser than the server's."""
        from authlint.rules.kit.durations import approximate

        slot, max_out = client.ping_interval, client.max_pings_out
        if slot is None and max_out is None:
            return None  # the library's defaults (2 minutes, 2): the server's own
        if client.options.spread and (slot is None or max_out is None):
            return None  # the other may be set where authlint cannot see
        interval = client.default_ping_interval if slot is None else slot.seconds
        pings = client.default_max_pings_out if max_out is None else max_out.value.value
        if interval is None or not isinstance(pings, int) or isinstance(pings, bool):
            return None  # not a number authlint can read
        window = (max(pings, 0) + 1) * interval
        anchor: Span = slot.option.value.span if slot is not None else max_out.value.span  # type: ignore[union-attr]
        min_interval = _seconds(self.options["min-interval"])
        if slot is not None and 0 < interval < min_interval:
            written = client.source.slice(slot.option.span)
            problem: Violation = ClientIntervalTooShort(written, approximate(interval), approximate(min_interval),
                                                        slot.unit == "ms")
        elif window < _seconds(self.options["min-window"]):
            problem = ClientWindowTooShort(approximate(window), approximate(_seconds(self.options["min-window"])))
        elif server is not None and window > server[0]:
            problem = ClientLooserThanServer(approximate(window), approximate(server[0]), server[1])
        else:
            return None
        return self.report(client.source, anchor, problem)

    # -- server configs -----------------------------------------------------------------------------
    def _check_server(self, pings: NatsServerPings) -> Iterable[Diagnostic]:
        from authlint.rules.kit.durations import approximate

        source = pings.source
        interval, ping_max, window = pings.interval, pings.ping_max, pings.window
        min_window = _seconds(self.options["min-window"])
        max_window = _seconds(self.options["max-window"])
        min_interval = _seconds(self.options["min-interval"])
        problem: Violation | None = None
        if ping_max < 0:
            problem = NoTolerance(ping_max, approximate(interval))
        elif window < min_window:
            problem = WindowTooShort(approximate(window), approximate(min_window))
        elif interval < min_interval:
            problem = IntervalTooShort(approximate(interval), approximate(min_interval))
        elif window > max_window:
            problem = WindowTooLong(approximate(window), approximate(max_window))
        zero_only = problem is None
        if problem is None and (pings.interval_zero or pings.max_zero):
            problem = ZeroIsDefault(*(("ping_interval", '"2m"') if pings.interval_zero else ("ping_max", "2")))
        if problem is None:
            return
        # a window finding resets both values; a zero alone only writes the default it stands for
        if zero_only:
            change_interval, change_max = pings.interval_zero, pings.max_zero
        else:
            change_interval = pings.interval_written and (pings.written_interval != DEFAULT_INTERVAL or pings.interval_zero)
            change_max = pings.max_written and pings.written_max != DEFAULT_MAX
        edits = []
        if change_interval and pings.interval_span is not None and pings.interval_literal:
            edits.append(kit.replace_value(source, pings.interval_span, "2m"))
        if change_max and pings.max_span is not None and pings.max_literal:
            edits.append(kit.replace_value(source, pings.max_span, 2))
        if zero_only:
            written, span = (True, pings.interval_span) if pings.interval_zero else (True, pings.max_span)
        elif pings.interval_written:
            written, span = True, pings.interval_span
        else:
            written, span = pings.max_written, pings.max_span
        if not written or span is None:
            return  # set by an included file: reported there
        fix = None
        if edits and zero_only:
            fix = Fix.safe("Write the default nats-server uses for 0", *edits)
        elif edits:
            fix = Fix.unsafe('Use the defaults ping_interval "2m", ping_max 2', *edits)
        yield self.report(source, span, problem, fix=fix)


def _where(pings: NatsServerPings) -> str:
    """``nats-server.conf:3`` (the line setting the interval, else the max), or the file alone."""
    span = pings.interval_span or pings.max_span
    if span is None:
        return pings.source.relpath
    return f"{pings.source.relpath}:{pings.source.position(span.start)[0]}"
