"""Engine.IO and Socket.IO packets as the polling transport carries them (enough for a probe).

Engine.IO v4 (socket.io 3+, python-engineio 4+): a polling body holds packets separated by the
record separator ``\\x1e``; the handshake answer is the open packet ``0{"sid":…,"upgrades":[…],
"pingInterval":25000,"pingTimeout":20000,"maxPayload":1000000}``. Engine.IO v3 (socket.io 2)
frames each packet as ``<length>:<packet>`` and has no ``maxPayload``. A Socket.IO packet rides in
an Engine.IO message packet (``4``): ``40{auth}`` asks to join the main namespace, the server answers
``40{"sid":…}`` or ``44{"message":…}`` (the client's ``connect_error``).

A refusing server answers the HTTP request itself: python-engineio with HTTP 400 and a JSON string
(``"https://x.example is not an accepted origin."``), Node's engine.io with 400/403 and
``{"code":4,"message":"Forbidden"}`` (``allowRequest``) or ``{"code":5,"message":"Unsupported
protocol version"}``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

SEPARATOR = "\x1e"
UNSUPPORTED_VERSION = "unsupported protocol version"
MAX_SAID = 500  # characters of a server's refusal kept in the report


def engine_path(path: str, eio: int, transport: str = "polling", sid: str | None = None,
                query: dict[str, str] | None = None) -> str:
    """The request path of an Engine.IO request (user query parameters first, as clients send them)."""
    path = "/" + path.lstrip("/") if path else "/socket.io/"
    params: dict[str, str] = dict(query or {})
    params.update({"EIO": str(eio), "transport": transport})
    if eio == 3:
        params["b64"] = "1"  # text framing, never the binary payload encoding
    if sid:
        params["sid"] = sid
    return path + ("&" if "?" in path else "?") + urlencode(params)


def packets(body: str, eio: int) -> list[str]:
    """The Engine.IO packets of a polling body."""
    if eio >= 4:
        return [packet for packet in body.split(SEPARATOR) if packet]
    found: list[str] = []
    rest = body
    while rest:
        length, colon, tail = rest.partition(":")
        if not colon or not length.isdigit():
            return found + [rest]  # not v3 framing: keep what remains as one packet
        size = int(length)
        found.append(tail[:size])
        rest = tail[size:]
    return found


@dataclass(frozen=True)
class OpenPacket:
    """The handshake's open packet, as the server announced it."""

    sid: str
    upgrades: list[str]
    ping_interval: int | None
    ping_timeout: int | None
    max_payload: int | None
    raw: dict[str, Any]

    @property
    def short_sid(self) -> str:
        """The session id shortened (not a secret, but nothing a report needs whole)."""
        return self.sid[:6] + "…" if len(self.sid) > 8 else self.sid


def open_packet(body: str, eio: int) -> OpenPacket | None:
    """The open packet that starts a handshake answer; None when the body is not one."""
    found = packets(body, eio)
    if not found or not found[0].startswith("0"):
        return None
    try:
        data = json.loads(found[0][1:])
    except ValueError:
        return None
    if not isinstance(data, dict) or not isinstance(data.get("sid"), str):
        return None

    def number(key: str) -> int | None:
        value = data.get(key)
        return value if isinstance(value, int) and not isinstance(value, bool) else None

    upgrades = data.get("upgrades")
    return OpenPacket(
        sid=data["sid"],
        upgrades=[str(u) for u in upgrades] if isinstance(upgrades, list) else [],
        ping_interval=number("pingInterval"),
        ping_timeout=number("pingTimeout"),
        max_payload=number("maxPayload"),
        raw=data,
    )


def refusal(body: str) -> tuple[str, str] | None:
    """(the body as sent, its message) when a non-2xx body is an Engine.IO refusal, else None.

    python-engineio sends a JSON string, Node's engine.io ``{"code": N, "message": "…"}``."""
    said = body.strip()[:MAX_SAID]
    try:
        data = json.loads(said)
    except ValueError:
        return None
    if isinstance(data, str) and data:
        return said, data
    if isinstance(data, dict) and isinstance(data.get("message"), str):
        return said, data["message"]
    return None


def connect_packet(auth: dict[str, str], namespace: str = "/") -> str:
    """The Engine.IO message carrying the Socket.IO CONNECT for ``namespace`` with ``auth``."""
    prefix = "" if namespace == "/" else namespace + ","
    return "40" + prefix + (json.dumps(auth, separators=(",", ":")) if auth else "")


@dataclass(frozen=True)
class ConnectAnswer:
    accepted: bool
    packet: str  # the Socket.IO packet as received (``0{"sid":…}`` / ``4{"message":…}``)
    message: str | None  # the connect_error message
    data: Any = None  # anything else a connect_error carries (socket.io's ``err.data``)


def connect_answer(found: list[str], namespace: str = "/") -> ConnectAnswer | None:
    """The server's answer to CONNECT among the Engine.IO packets of a poll, if it is there."""
    for packet in found:
        if not packet.startswith("4") or packet[1:2] not in ("0", "4"):
            continue
        body = packet[2:]
        if namespace != "/":
            if not body.startswith(namespace):
                continue
            body = body[len(namespace):].lstrip(",")
        elif body.startswith("/") and not body.startswith("/,"):
            continue  # another namespace's answer
        if packet[1] == "0":
            return ConnectAnswer(True, packet[1:], None)
        try:
            data = json.loads(body) if body else None
        except ValueError:
            return ConnectAnswer(False, packet[1:], body)
        if isinstance(data, dict):
            message = data.get("message")
            return ConnectAnswer(False, packet[1:], str(message) if message is not None else body, data.get("data"))
        return ConnectAnswer(False, packet[1:], str(data) if data is not None else "")
    return None
