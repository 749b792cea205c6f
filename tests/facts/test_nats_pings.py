"""Keep-alive facts: NATS clients in each library's unit (nats-py seconds, nats.js milliseconds) and
nats-server configs as the server applies them (a written 0 is the default)."""

from __future__ import annotations

from authlint.facts.model import NatsClient, NatsServerPings
from authlint.testing import contexts_for, make_settings


def _facts(files: dict[str, str], kind: type) -> list:
    return [fact for ctx in contexts_for(files, make_settings()) for fact in ctx.of(kind)]


def test_nats_py_reads_seconds() -> None:
    (client,) = _facts({"a.py": "import nats\n\nasync def main():\n"
                        "    nc = await nats.connect('nats://x:4222', ping_interval=20, max_outstanding_pings=5)\n"}, NatsClient)
    assert client.ping_interval.seconds == 20 and client.ping_interval.unit == "s"
    assert client.max_pings_out.value.value == 5
    assert (client.default_ping_interval, client.default_max_pings_out) == (120.0, 2)


def test_nats_js_reads_milliseconds() -> None:
    (client,) = _facts({"a.ts": 'import { connect } from "nats";\n'
                        'const nc = await connect({ servers: "x:4222", pingInterval: 20000, maxPingOut: 3 });\n'}, NatsClient)
    assert client.ping_interval.seconds == 20 and client.ping_interval.unit == "ms"
    assert client.max_pings_out.value.value == 3


def test_a_client_without_ping_settings_has_none() -> None:
    (client,) = _facts({"a.py": "import nats\n\nasync def main():\n    nc = await nats.connect('nats://x:4222')\n"}, NatsClient)
    assert client.ping_interval is None and client.max_pings_out is None


def test_server_pings_apply_defaults_for_zero_and_absence() -> None:
    (pings,) = _facts({"nats-server.conf": 'ping_interval: "20s"\nping_max: 0\n'}, NatsServerPings)
    assert (pings.interval, pings.ping_max, pings.max_zero, pings.window) == (20.0, 2, True, 60.0)
    assert pings.interval_span is not None and pings.interval_literal
    (default,) = _facts({"nats-server.conf": "port: 4222\n"}, NatsServerPings)
    assert default.window == 360.0 and not default.interval_written and default.interval_span is None


def test_server_pings_that_cannot_be_read_give_no_fact() -> None:
    assert _facts({"nats-server.conf": "ping_interval: $PING\n"}, NatsServerPings) == []
