"""The websocket upgrade, spoken by hand over one socket (RFC 6455; no dependency needed).

A proxy that drops the ``Upgrade``/``Connection`` headers (nginx without ``proxy_set_header
Upgrade``) leaves Socket.IO on long-polling, or fails clients that ask for websocket only; this
step shows it: the probe sends the HTTP/1.1 upgrade with a ``Sec-WebSocket-Key``, expects
``101 Switching Protocols`` with the matching ``Sec-WebSocket-Accept``, then reads the first
frame, which an Engine.IO server fills with its open packet, and closes.
"""

from __future__ import annotations

import base64
import hashlib
import os
import socket
import struct
import time
from dataclasses import dataclass

from authlint.probe.http import HttpFailure, Target, describe_failure

GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"
MAX_HEAD = 16 * 1024
MAX_FRAME = 64 * 1024


def accept_for(key: str) -> str:
    """The ``Sec-WebSocket-Accept`` a server must answer to ``key``."""
    return base64.b64encode(hashlib.sha1((key + GUID).encode("ascii")).digest()).decode("ascii")


@dataclass
class Upgrade:
    status: int
    reason: str
    headers: list[tuple[str, str]]
    body: str  # what followed a refusal's headers (its error body), or ""
    accept_ok: bool = False
    first_frame: str | None = None  # the first text frame after 101 (an Engine.IO open packet)
    frame_error: str | None = None

    def header(self, name: str) -> str | None:
        found = [v for k, v in self.headers if k.lower() == name.lower()]
        return ", ".join(found) if found else None


def _read_exact(sock: socket.socket, size: int, buffer: bytearray) -> bytes:
    while len(buffer) < size:
        chunk = sock.recv(max(4096, size - len(buffer)))
        if not chunk:
            raise ConnectionError("the server closed the connection")
        buffer.extend(chunk)
    data = bytes(buffer[:size])
    del buffer[:size]
    return data


def _close_frame() -> bytes:
    mask = os.urandom(4)
    payload = struct.pack("!H", 1000)
    return bytes([0x88, 0x80 | len(payload)]) + mask + bytes(b ^ mask[i % 4] for i, b in enumerate(payload))


def _read_frame(sock: socket.socket, buffer: bytearray) -> tuple[int, bytes]:
    first, second = _read_exact(sock, 2, buffer)
    size = second & 0x7F
    if size == 126:
        size = struct.unpack("!H", _read_exact(sock, 2, buffer))[0]
    elif size == 127:
        size = struct.unpack("!Q", _read_exact(sock, 8, buffer))[0]
    if size > MAX_FRAME:
        raise ValueError(f"a first frame of {size} bytes")
    mask = _read_exact(sock, 4, buffer) if second & 0x80 else b""
    data = _read_exact(sock, size, buffer)
    if mask:
        data = bytes(b ^ mask[i % 4] for i, b in enumerate(data))
    return first & 0x0F, data


def upgrade(target: Target, path: str, headers: dict[str, str], timeout: float) -> Upgrade:
    """Ask for a websocket at ``path``; ``HttpFailure`` when nothing answered over HTTP."""
    key = base64.b64encode(os.urandom(16)).decode("ascii")
    if any(ch in f"{name}{value}" for name, value in headers.items() for ch in "\r\n"):
        raise HttpFailure("a header holds a line break")
    host = next((value for name, value in headers.items() if name.lower() == "host"), target.host_header)
    lines = [f"GET {path} HTTP/1.1", f"Host: {host}", "Upgrade: websocket", "Connection: Upgrade",
             f"Sec-WebSocket-Key: {key}", "Sec-WebSocket-Version: 13", "User-Agent: authlint-probe"]
    lines += [f"{name}: {value}" for name, value in headers.items() if name.lower() != "host"]
    request = ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")
    deadline = time.monotonic() + timeout
    try:
        raw = socket.create_connection((target.host, target.port), timeout=timeout)
    except OSError as exc:
        raise HttpFailure(describe_failure(exc)) from None
    try:
        sock = target.tls_context().wrap_socket(raw, server_hostname=target.host) if target.tls else raw
        sock.settimeout(timeout)
        sock.sendall(request)
        buffer = bytearray()
        while b"\r\n\r\n" not in buffer:
            if len(buffer) > MAX_HEAD or time.monotonic() > deadline:
                raise HttpFailure("no complete HTTP answer to the upgrade request")
            chunk = sock.recv(4096)
            if not chunk:
                break
            buffer.extend(chunk)
        head, _, rest = bytes(buffer).partition(b"\r\n\r\n")
        status_line, *header_lines = head.decode("latin-1").split("\r\n")
        parts = status_line.split(" ", 2)
        if len(parts) < 2 or not parts[0].startswith("HTTP/") or not parts[1].isdigit():
            raise HttpFailure("not an HTTP answer to the upgrade request")
        answer_headers = [(k.strip(), v.strip()) for k, _, v in (line.partition(":") for line in header_lines) if k]
        found = Upgrade(int(parts[1]), parts[2] if len(parts) > 2 else "", answer_headers, "")
        if found.status != 101:
            found.body = _refusal_body(sock, rest, found, deadline)
            return found
        found.accept_ok = found.header("Sec-WebSocket-Accept") == accept_for(key)
        if not found.accept_ok:
            return found
        try:
            opcode, data = _read_frame(sock, bytearray(rest))
            if opcode == 0x1:
                found.first_frame = data.decode("utf-8", errors="replace")
            else:
                found.frame_error = f"the first frame has opcode {opcode:#x}, not text"
            sock.sendall(_close_frame())
        except (OSError, ValueError) as exc:
            found.frame_error = describe_failure(exc)
        return found
    except OSError as exc:
        raise HttpFailure(describe_failure(exc)) from None
    finally:
        raw.close()


def _refusal_body(sock: socket.socket, rest: bytes, found: Upgrade, deadline: float) -> str:
    """The error body after a refusal's headers (Content-Length bounded; what arrived in time otherwise)."""
    length = found.header("Content-Length")
    wanted = int(length) if length and length.isdigit() else MAX_FRAME
    body = bytearray(rest)
    try:
        chunked = "chunked" in (found.header("Transfer-Encoding") or "").lower()
        while len(body) < min(wanted, MAX_FRAME) and time.monotonic() < deadline:
            if chunked and body.endswith(b"0\r\n\r\n"):
                break
            chunk = sock.recv(4096)
            if not chunk:
                break
            body.extend(chunk)
    except OSError:
        pass
    text = bytes(body[:MAX_FRAME]).decode("utf-8", errors="replace")
    if chunked:  # keep the chunks' data, drop their size lines
        text = "".join(part for i, part in enumerate(text.split("\r\n")) if i % 2 == 1)
    return text.strip()
