"""The ports a nats-server config listens on for clients: what a proxy in front of it passes to.

The client port is ``port`` or the port part of ``listen`` (``listen: 0.0.0.0:4222``, or
``listen: 4222``), nats-server's ``DEFAULT_PORT`` 4222 when neither is written; the websocket port
is ``websocket { port }`` (or its ``listen``), and only exists when written: nats-server opens no
websocket listener otherwise. A port given through a variable or as ``-1`` (random) is unknown.
"""

from __future__ import annotations

from authlint.syntax.natsconf import MapNode

DEFAULT_CLIENT_PORT = 4222


def _port(block: MapNode) -> tuple[bool, int | None]:
    """(written, port) of a listener block: ``port`` wins over ``listen``'s port, as in nats-server."""
    entry = block.get("port")
    if entry is not None:
        value = entry.value.value
        if entry.value.kind == "integer" and isinstance(value, int) and value > 0:
            return True, value
        return True, None
    listen = block.get("listen")
    if listen is not None:
        value = listen.value.value
        text = str(value) if isinstance(value, (int, str)) and not isinstance(value, bool) else ""
        port = text.rpartition(":")[2]
        return True, int(port) if port.isdigit() and int(port) > 0 else None
    return False, None


def client_port(root: MapNode) -> int | None:
    written, port = _port(root)
    return port if written else DEFAULT_CLIENT_PORT


def websocket_port(root: MapNode) -> int | None:
    entry = root.get("websocket", "ws")
    if entry is None or not isinstance(entry.value, MapNode):
        return None
    return _port(entry.value)[1]
