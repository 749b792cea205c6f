"""nats.js clients: ``connect``/``wsconnect`` from any of the nats.js packages."""

from __future__ import annotations

from typing import Any

from authlint.facts.javascript.model import JsModel
from authlint.facts.model import NatsClient

NATS_MODULES = frozenset({"nats", "nats.ws", "@nats-io/transport-node", "@nats-io/nats-core", "@nats-io/transport-deno", "nats.deno"})
NATS_CONNECTS = frozenset({"connect", "wsconnect"})


def nats_connect(model: JsModel, call: Any) -> NatsClient:
    """nats.js / nats.ws ``connect({servers, token, user, pass, pingInterval, maxPingOut})``."""
    args = model.args(call)
    paren = call.child_by_field_name("arguments")
    bag = model.option_bag(args[0] if args else None, open_paren=paren.start_byte + 1 if paren is not None else None)
    servers = bag.get("servers")
    return NatsClient(
        model.source, model.span(call), model.lang, library="nats.js", servers=servers.value if servers else None,
        options=bag, token=bag.get("token"), user=bag.get("user"), password=bag.get("pass"),
    )
