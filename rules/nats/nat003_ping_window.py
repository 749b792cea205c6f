from __future__ import annotations

from typing import Iterable

from authlint.diagnostics.diagnostic import Diagnostic, Fix, FixAvailability, Severity
from authlint.files.kinds import NATSCONF
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
    Unsafe: the fix sets the values the file writes back to nats-server's defaults (`"2m"`, `2`),
    which changes how quickly dead clients are detected (a silent client the old window dropped as
    "Stale Connection" now stays; checked against a running server). Safe where a zero is the only
    finding: writing the default the server already uses changes nothing. A value set through a
    variable or in another file is not edited (an included file is fixed where it sets the value).

    ## References
    - nats-server [server/const.go](https://github.com/nats-io/nats-server/blob/main/server/const.go) (`DEFAULT_PING_INTERVAL = 2 * time.Minute`, `DEFAULT_PING_MAX_OUT = 2`)
    - [server/client.go](https://github.com/nats-io/nats-server/blob/main/server/client.go): `Stale Connection` when `ping.out+1 > maxPingsOut`
    - [Configuring NATS Server](https://docs.nats.io/running-a-nats-service/configuration): `ping_interval`, `ping_max`
    - [nats-server#1399](https://github.com/nats-io/nats-server/issues/1399): maintainers on tuning `ping_interval` / `ping_max` behind load balancers
    """

    code = "NAT003"
    name = "ping-window"
    summary = "client keep-alive so short that clients flap, or so long that dead ones linger"
    kinds = frozenset({NATSCONF})
    languages = "nats-server.conf"
    triggers = ("ping_interval", "ping_max")
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
    )

    def check(self, ctx) -> Iterable[Diagnostic]:
        from authlint.facts.knowledge.durations import go_seconds
        from authlint.rules.kit.durations import approximate

        root = ctx.tree.root
        interval_entry = root.get("ping_interval")
        max_entry = root.get("ping_max")
        interval = DEFAULT_INTERVAL
        zeros: list[tuple[str, str]] = []  # (key, default) written as 0: the server uses its default
        if interval_entry is not None:
            node = interval_entry.value
            if node.kind == "integer" and node.raw.lstrip("-").isdigit():
                interval = float(node.value)
            elif node.kind == "string" and isinstance(node.value, str):
                parsed = go_seconds(node.value)
                if parsed is None:
                    return
                interval = parsed
            else:
                return  # suffixed integers (NAT002), unresolved variables, wrong types
            if interval == 0:
                zeros.append(("ping_interval", '"2m"'))
                interval = DEFAULT_INTERVAL
        written_interval = interval
        ping_max = DEFAULT_MAX
        if max_entry is not None:
            if max_entry.value.kind != "integer":
                return
            ping_max = int(max_entry.value.value)
            if ping_max == 0:
                zeros.append(("ping_max", "2"))
                ping_max = DEFAULT_MAX
        window = (ping_max + 1) * interval
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
        if problem is None and zeros:
            problem = ZeroIsDefault(*zeros[0])
        if problem is None:
            return
        zero_interval = any(key == "ping_interval" for key, _ in zeros)
        zero_max = any(key == "ping_max" for key, _ in zeros)
        # a window finding resets both values; a zero alone only writes the default it stands for
        change_interval = zero_interval if zero_only else written_interval != DEFAULT_INTERVAL or zero_interval
        change_max = zero_max if zero_only else max_entry is not None and int(max_entry.value.value) != DEFAULT_MAX
        edits = []
        if change_interval and interval_entry.source is ctx.source and interval_entry.value.is_literal:
            edits.append(kit.replace_value(ctx.source, interval_entry.value.span, "2m"))
        if change_max and max_entry.source is ctx.source and max_entry.value.is_literal:
            edits.append(kit.replace_value(ctx.source, max_entry.value.span, 2))
        anchor = interval_entry if interval_entry is not None else max_entry
        if zero_only:
            anchor = interval_entry if zero_interval else max_entry
        if anchor is None or anchor.source is not ctx.source:
            return  # set by an included file: reported there
        span = anchor.value.span
        fix = None
        if edits and zero_only:
            fix = Fix.safe("Write the default nats-server uses for 0", *edits)
        elif edits:
            fix = Fix.unsafe('Use the defaults ping_interval "2m", ping_max 2', *edits)
        yield self.report(ctx, span, problem, fix=fix)
