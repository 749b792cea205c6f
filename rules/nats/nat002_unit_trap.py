from __future__ import annotations

import re
from typing import Iterable

from authlint.diagnostics.diagnostic import Diagnostic, Fix, FixAvailability
from authlint.files.kinds import NATSCONF
from authlint.rule import FixOffer, Invalid, Rule, Valid, Violation
from authlint.rules import kit


class SuffixedInteger(Violation):
    """``2m`` unquoted: the lexer's size suffix makes it the integer 2000000, read as seconds."""

    key: str
    raw: str
    value: int
    reads: str  # the seconds nats-server reads, for humans ("~23 days")

    def message(self) -> str:
        return (
            f"`{self.key}: {self.raw}` is the integer {self.value} (a size suffix, not a unit): "
            f"nats-server reads {self.reads}; quote it to mean a duration"
        )


class BareInteger(Violation):
    """A plain integer where a duration string is expected."""

    key: str
    raw: str
    value: int
    refused: bool  # True: only a string is accepted (config error); False: seconds plus a warning

    def message(self) -> str:
        consequence = (
            "nats-server accepts only a duration string here and refuses the config"
            if self.refused
            else "nats-server reads it as seconds and warns (`nats-server -t` fails)"
        )
        return f'`{self.key}: {self.raw}` is a bare integer: {consequence}; write "{self.value}s"'


class NotADuration(Violation):
    """A string Go's ``time.ParseDuration`` rejects where nats-server takes durations."""

    key: str
    raw: str
    days: int | None = None  # ``7d``: Go has no days unit
    strict: bool = True  # False: the auth timeout of nats-server ≥ 2.12 (no consequence named)

    def message(self) -> str:
        if not self.strict:
            return f"`{self.key}: {self.raw}` is not a Go duration"
        hint = f' (Go has no days: write "{self.days * 24}h")' if self.days is not None else ""
        return f"`{self.key}: {self.raw}` is not a Go duration (units ns us ms s m h){hint}: nats-server refuses it"


class StringSeconds(Violation):
    """A duration string where this server takes only a number of seconds."""

    key: str
    raw: str
    # where the target version of the auth timeout comes from ("target-nats-version is 2.9.10",
    # "target 2.9.25 from Dockerfile:1"); None: websocket/mqtt (numbers only)
    target: str | None

    def message(self) -> str:
        why = (
            f"nats-server < 2.12 ignores a string here and uses an auth timeout of 1 second "
            f"({self.target})"
            if self.target is not None
            else "websocket/mqtt authorization takes a number of seconds only"
        )
        return f"`{self.key}: {self.raw}`: {why}"

# (block, canonical key) -> how nats-server reads the value
#   duration: a Go duration string; an integer is seconds plus a warning (`-t` fails)
#   string:   a Go duration string only (an integer is a config error)
#   seconds:  int/float seconds or a duration string (tls timeout)
#   auth:     int/float seconds; a duration string only from v2.12 (ignored before: 1 s)
#   numbers:  int/float seconds only (websocket/mqtt authorization)
DURATIONS: dict[tuple[str, str], str] = {
    ("top", "ping_interval"): "duration",
    ("top", "write_deadline"): "duration",
    ("top", "lame_duck_duration"): "string",
    ("top", "lame_duck_grace_period"): "string",
    ("cluster", "ping_interval"): "duration",
    ("mqtt", "ack_wait"): "duration",
    ("tls", "timeout"): "seconds",
    ("authorization", "timeout"): "auth",
    ("simple_auth", "timeout"): "numbers",
}
RESOLVER_DURATIONS = ("interval", "ttl", "timeout")  # resolver {} keys, exact case, strings only
AUTH_STRINGS_SINCE = (2, 12, 0)
_MINUTES = re.compile(r"^[0-9]+m$")


class UnitTrap(Rule):
    """
    ## What it does
    Finds durations nats-server will read in a unit you did not mean:
    unquoted values with a size suffix (`ping_interval: 2m` is the *integer* 2,000,000, i.e.
    2,000,000 seconds, about 23 days), bare integers where a duration string is expected
    (`ping_interval: 60`), strings that are not Go durations (`"30d"`, `"2min"`), integers in
    `resolver {}` and `lame_duck_*` durations (strings only), and `authorization { timeout: "5s" }`
    on nats-server older than 2.12, which silently ignores the string and uses 1 second. That last
    one depends on the server version: `target-nats-version`, else the version the project's
    Dockerfile, compose file, Kubernetes manifest, Helm values or `.tool-versions` pins; with
    neither it is not reported, and `timeout: 2m` is fixed to `120`, which every version reads alike.

    ## Why is this bad?
    The server starts with a ping interval of weeks (dead clients are never detected) or an auth
    timeout of one second; `nats-server -t` fails on the warning for a bare integer duration.

    ## Example
    ```
    ping_interval: 2m
    authorization { token: $TOKEN, timeout: "5s" }
    ```
    Use instead:
    ```
    ping_interval: "2m"
    authorization { token: $TOKEN, timeout: 5 }
    ```

    ## Fix safety
    The value is rewritten to what the author evidently meant (`2m` → `"2m"`, `60` → `"60s"`,
    `"5s"` → `5`); nothing else on the line changes. The class follows what the server did with
    the old value (each checked against a running nats-server 2.9.10 and its `/varz`):

    - Safe where the server already used the value or refused the file: a bare integer duration
      (`60` is read as 60 seconds; `"60s"` is the same value without the warning that fails
      `nats-server -t`), and integers where only a string is accepted (`lame_duck_duration: 30`,
      `resolver { interval: 2m }`: the server did not start).
    - Unsafe where the running value changes: a size-suffixed integer (`ping_interval: 2m` ran as
      2,000,000 seconds, about 23 days, and becomes two minutes; `timeout: 2m` in `authorization`
      becomes 120), and a duration string in an auth timeout (ignored before 2.12, so the server
      used 1 second; `5` makes it 5).

    Suffixes that are no duration unit (`1g`, `5k`) and strings Go cannot parse are reported
    without a fix.

    ## References
    - nats-server [server/opts.go](https://github.com/nats-io/nats-server/blob/main/server/opts.go) (`parseDuration`: a string goes through `time.ParseDuration`, an integer is seconds plus a warning)
    - [conf/lex.go](https://github.com/nats-io/nats-server/blob/main/conf/lex.go): `2m`, `1g` unquoted are integers with size suffixes
    - [Go `time.ParseDuration`](https://pkg.go.dev/time#ParseDuration): units ns us µs ms s m h, no days
    - [Authentication timeout](https://docs.nats.io/running-a-nats-service/configuration/securing_nats/auth_intro/auth_timeout): seconds; duration strings only from v2.12
    """

    code = "NAT002"
    name = "unit-trap"
    summary = "duration nats-server reads in another unit than written"
    kinds = frozenset({NATSCONF})
    languages = "nats-server.conf"
    triggers = ("interval", "timeout", "deadline", "lame_duck", "ack_wait", "ttl")
    fix_availability = FixAvailability.SOMETIMES
    fix_offers = (
        FixOffer.safe(
            'Writes a bare integer duration as the same seconds (`60` → `"60s"`), or as the string a '
            "strings-only key needs (`lame_duck_duration: 30`, refused before): the value the server uses does not change."
        ),
        FixOffer.unsafe(
            'Rewrites a size-suffixed integer or an ignored auth-timeout string to what the author meant '
            '(`2m` → `"2m"`, `"5s"` → `5`): the running value changes (about 23 days → 2 minutes, 1 s → 5 s).'
        ),
    )
    examples = (
        Valid('ping_interval: "2m"\nwrite_deadline: "10s"\n', path="nats-server.conf"),
        Valid("authorization { token: $T, timeout: 5 }\ntls { timeout: 2.5 }\n", path="nats-server.conf"),
        Valid('authorization { timeout: "5s" }\n', path="nats-server.conf", settings={"target-nats-version": "2.12.0"}),
        Valid('authorization { timeout: "5s" }\n', path="nats-server.conf", settings={"target-nats-version": "v2.12"}),
        Valid("max_payload: 2m\nping_max: 2\n", path="nats-server.conf"),
        Valid('resolver { type: full, dir: \'./jwt\', interval: "2m", timeout: "1s" }\n', path="nats-server.conf"),
        Invalid(
            "port: 4222\nping_interval: 2m  # two minutes\n",
            path="nats-server.conf",
            fixed='port: 4222\nping_interval: "2m"  # two minutes\n',
            message="2000000",
            span=(2, 16, 2, 18),
        ),
        Invalid(
            "ping_interval = 60; ping_max = 3\n", path="nats-server.conf", fixed='ping_interval = "60s"; ping_max = 3\n'
        ),
        Invalid(
            'authorization {\n  token: $TOKEN\n  timeout: "5s"\n}\n',
            path="nats-server.conf",
            fixed="authorization {\n  token: $TOKEN\n  timeout: 5\n}\n",
            message="1 second",
            settings={"target-nats-version": "2.9.10"},
        ),
        Invalid("authorization { timeout: 2m }\n", path="nats-server.conf", fixed="authorization { timeout: 120 }\n"),
        Invalid(
            "authorization { timeout: 2m }\n",
            path="nats-server.conf",
            fixed='authorization { timeout: "2m" }\n',
            settings={"target-nats-version": "2.12.0"},
        ),
        Invalid(
            "tls { cert_file: a, key_file: b, timeout: 3m }\n",
            path="nats-server.conf",
            fixed='tls { cert_file: a, key_file: b, timeout: "3m" }\n',
        ),
        Invalid('write_deadline: "30d"\n', path="nats-server.conf", message="not a Go duration"),
        Invalid("ping_interval: 1g\n", path="nats-server.conf", message="integer"),
        Invalid(
            "resolver {\n  type: full\n  interval: 2m\n}\n",
            path="nats-server.conf",
            fixed='resolver {\n  type: full\n  interval: "2m"\n}\n',
        ),
        Invalid("lame_duck_duration: 30\n", path="nats-server.conf", fixed='lame_duck_duration: "30s"\n'),
        Invalid(
            'websocket { no_tls: true, authorization { token: $T, timeout: "2s" } }\n',
            path="nats-server.conf",
            fixed="websocket { no_tls: true, authorization { token: $T, timeout: 2 } }\n",
            settings={"target-nats-version": "2.14.0"},
        ),
        # no target configured or pinned: a string is right from 2.12, so nothing is reported
        Valid('authorization {\n  token: $TOKEN\n  timeout: "5s"\n}\n', path="nats-server.conf"),
        # the target from the project's compose file, named in the message
        Invalid(
            'authorization {\n  token: $TOKEN\n  timeout: "5s"\n}\n',
            path="nats-server.conf",
            files={"compose.yaml": "services:\n  broker:\n    image: \"nats:2.10-alpine\"\n"},
            fixed="authorization {\n  token: $TOKEN\n  timeout: 5\n}\n",
            message="(target 2.10 from compose.yaml:3)",
            span=(3, 12, 3, 16),
        ),
        Valid(
            'authorization {\n  token: $TOKEN\n  timeout: "5s"\n}\n',
            path="nats-server.conf",
            files={"Dockerfile": "FROM --platform=linux/amd64 nats:2.12.1 AS nats\n"},
        ),
    )

    def check(self, ctx) -> Iterable[Diagnostic]:
        from authlint.facts.knowledge import nats_keys
        from authlint.facts.natsconf.blocks import walk_blocks
        from authlint.versions.nats_target import nats_target

        known = nats_target(ctx.settings)
        target = known.version if known is not None else None
        config = ctx.tree
        for placed in walk_blocks(config):
            entry = placed.entry
            if entry.source is not ctx.source or not entry.value.is_literal:
                continue
            if placed.block == "top" and entry.lower in ("resolver", "account_resolver", "accounts_resolver"):
                yield from self._resolver(ctx, entry.value)
                continue
            if placed.block is None:
                continue
            info = nats_keys.block_keys(placed.block).get(entry.lower)
            if info is None:
                continue
            mode = DURATIONS.get((placed.block, info.canonical))
            if mode is not None:
                yield from self._check(ctx, entry, mode, target)

    def _resolver(self, ctx, node) -> Iterable[Diagnostic]:
        from authlint.facts.knowledge import nats_keys
        from authlint.syntax.natsconf import MapNode

        if not isinstance(node, MapNode):
            return
        for entry in node.entries:
            if entry.key in RESOLVER_DURATIONS and entry.source is ctx.source and entry.value.is_literal:
                yield from self._check(ctx, entry, "string", nats_keys.target_version(ctx.settings))

    def _check(self, ctx, entry, mode: str, target: tuple[int, ...] | None) -> Iterable[Diagnostic]:
        """``target``: the target nats-server, None when unknown. Unknown reports nothing that only
        some versions do wrong (an auth-timeout string is right from 2.12), and fixes to what
        every version reads alike (``timeout: 2m`` becomes ``120``, not ``"2m"``)."""
        from authlint.facts.knowledge.durations import go_seconds
        from authlint.rules.kit.durations import approximate

        node = entry.value
        key = entry.key
        if node.kind == "integer":
            suffixed = not node.raw.lstrip("-").isdigit()
            if suffixed:
                if mode in ("numbers",):
                    return
                seconds = float(node.value)
                quoted = _MINUTES.match(node.raw) is not None
                fix = None
                # the server refused the integer (strings only): the fix only makes it load; anywhere
                # else it ran with the integer as seconds (2m: ~23 days) and the fix changes that
                make = Fix.safe if mode == "string" else Fix.unsafe
                if quoted:
                    if mode == "auth" and (target is None or target < AUTH_STRINGS_SINCE):
                        minutes = int(node.raw[:-1])
                        fix = make(f"Write {minutes * 60} seconds", kit.replace_value(ctx.source, node.span, minutes * 60))
                    else:
                        fix = make(f"Quote `{node.raw}` as a duration", kit.replace_value(ctx.source, node.span, node.raw))
                violation = SuffixedInteger(key, node.raw, node.value, approximate(seconds))
                yield self.report(ctx, node.span, violation, fix=fix)
                return
            if mode in ("duration", "string"):
                yield self.report(
                    ctx,
                    node.span,
                    BareInteger(key, node.raw, node.value, refused=mode == "string"),
                    fix=Fix.safe(f'Write "{node.value}s"', kit.replace_value(ctx.source, node.span, f"{node.value}s")),
                )
            return
        if node.kind != "string" or not isinstance(node.value, str):
            return
        seconds = go_seconds(node.value)
        if mode in ("auth", "numbers"):
            if mode == "auth" and (target is None or target >= AUTH_STRINGS_SINCE):
                if seconds is None:
                    yield self.report(ctx, node.span, NotADuration(key, node.raw, strict=False))
                return
            from authlint.versions.nats_target import nats_target

            known = nats_target(ctx.settings) if mode == "auth" else None
            target_text = known.source if known is not None else None
            number = None if seconds is None else (int(seconds) if seconds == int(seconds) else seconds)
            fix = None
            if number is not None and number > 0:
                # the server ignored the string and used its default (1 s before 2.12): the fix changes that
                fix = Fix.unsafe(f"Write {number} seconds", kit.replace_value(ctx.source, node.span, number))
            yield self.report(ctx, node.span, StringSeconds(key, node.raw, target_text), fix=fix)
            return
        if seconds is None:
            days = int(node.value[:-1]) if re.fullmatch(r"[0-9]+d", node.value) else None
            yield self.report(ctx, node.span, NotADuration(key, node.raw, days))
