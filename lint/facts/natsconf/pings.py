"""A nats-server config's client keep-alive (``ping_interval``, ``ping_max``) as a fact.

Read once at extraction, so NAT003 weighs the project's NATS clients against the server's window in
the project phase without parsing configs again (a warm run reads facts from the cache).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from authlint.facts.model import NatsServerPings
from authlint.files.source import Span

if TYPE_CHECKING:
    from authlint.run.context import FileContext

LANG = "natsconf"
DEFAULT_INTERVAL = 120.0  # nats-server DEFAULT_PING_INTERVAL, 2 minutes
DEFAULT_MAX = 2  # DEFAULT_PING_MAX_OUT


def server_pings(ctx: FileContext) -> NatsServerPings | None:
    """None when a value cannot be read: a suffixed integer (NAT002's), a variable, a wrong type."""
    from authlint.facts.knowledge.durations import go_seconds

    root = ctx.tree.root
    interval_entry = root.get("ping_interval")
    max_entry = root.get("ping_max")
    fact = NatsServerPings(source=ctx.source, span=Span(0, 0), lang=LANG)
    from authlint.facts.natsconf.ports import client_port, websocket_port

    fact.client_port, fact.websocket_port = client_port(root), websocket_port(root)
    if interval_entry is not None:
        node = interval_entry.value
        if node.kind == "integer" and node.raw.lstrip("-").isdigit():
            seconds = float(node.value)
        elif node.kind == "string" and isinstance(node.value, str):
            parsed = go_seconds(node.value)
            if parsed is None:
                return None
            seconds = parsed
        else:
            return None
        fact.interval_written = True
        fact.written_interval = seconds
        fact.interval_zero = seconds == 0
        fact.interval = DEFAULT_INTERVAL if seconds == 0 else seconds
        if interval_entry.source is ctx.source:
            fact.interval_span = node.span
            fact.interval_literal = bool(node.is_literal)
    if max_entry is not None:
        if max_entry.value.kind != "integer":
            return None
        written = int(max_entry.value.value)
        fact.max_written = True
        fact.written_max = written
        fact.max_zero = written == 0
        fact.ping_max = DEFAULT_MAX if written == 0 else written
        if max_entry.source is ctx.source:
            fact.max_span = max_entry.value.span
            fact.max_literal = bool(max_entry.value.is_literal)
    return fact
