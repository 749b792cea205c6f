"""nats.js clients: ``connect``/``wsconnect`` from any of the nats.js packages."""

from __future__ import annotations

from typing import Any

from authlint.facts.javascript.model import JsModel
from authlint.facts.knowledge.nats_client_pings import DEFAULT_INTERVAL, DEFAULT_MAX_OUT, NATS_JS, client_pings
from authlint.facts.model import NatsClient

NATS_MODULES = frozenset({"nats", "nats.ws", "@nats-io/transport-node", "@nats-io/nats-core", "@nats-io/transport-deno", "nats.deno"})
NATS_CONNECTS = frozenset({"connect", "wsconnect"})


def nats_connect(model: JsModel, call: Any) -> NatsClient:
    """nats.js / nats.ws ``connect({servers, token, user, pass, pingInterval, maxPingOut})``."""
    args = model.args(call)
    paren = call.child_by_field_name("arguments")
    bag = model.option_bag(args[0] if args else None, open_paren=paren.start_byte + 1 if paren is not None else None)
    servers = bag.get("servers")
    ping_interval, max_pings_out = client_pings(bag, NATS_JS)
    return NatsClient(
        model.source, model.span(call), model.lang, library="nats.js", servers=servers.value if servers else None,
        options=bag, token=bag.get("token"), user=bag.get("user"), password=bag.get("pass"),
        ping_interval=ping_interval, max_pings_out=max_pings_out,
        default_ping_interval=DEFAULT_INTERVAL, default_max_pings_out=DEFAULT_MAX_OUT,
    )
