"""nats-py clients: ``nats.connect(...)`` and ``NATS().connect(...)`` with the servers they name and
the credentials they present (``token``, ``user``, ``password`` keywords)."""

from __future__ import annotations

import ast

from authlint.facts.knowledge.nats_client_pings import DEFAULT_INTERVAL, DEFAULT_MAX_OUT, NATS_PY, client_pings
from authlint.facts.model import NatsClient, Option
from authlint.facts.python.resolve import Resolver, positional

NATS_CONNECT = frozenset({"nats.connect", "nats.aio.client.Client.connect"})
NATS_CLASSES = frozenset({"nats.NATS", "nats.aio.client.Client", "nats.aio.client.NATS"})


def nats_client(resolver: Resolver, call: ast.Call, source, lang: str) -> NatsClient:
    """``nats.connect(...)`` / ``NATS().connect(...)``; a positional server list becomes ``servers``."""
    bag = resolver.kwargs(call)
    servers_node = positional(call, 0, "servers")
    servers = resolver.expr(servers_node) if servers_node is not None else None
    if servers is not None and "servers" not in bag:
        bag.items = {"servers": Option("servers", servers, servers.span, servers.span), **bag.items}
    ping_interval, max_pings_out = client_pings(bag, NATS_PY)
    return NatsClient(
        source=source, span=resolver.span(call), lang=lang, library="nats-py", servers=servers, options=bag,
        token=bag.get("token"), user=bag.get("user"), password=bag.get("password"),
        ping_interval=ping_interval, max_pings_out=max_pings_out,
        default_ping_interval=DEFAULT_INTERVAL, default_max_pings_out=DEFAULT_MAX_OUT,
    )
