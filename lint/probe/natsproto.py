"""The few lines of the NATS client protocol a probe needs, over a plain socket with timeouts.

The server speaks first: ``INFO {json}\\r\\n`` (its version, id, ``auth_required``,
``tls_required``, ``max_payload``, a ``nonce`` to sign in nkey/JWT mode, ``ldm`` in lame-duck mode).
A client that wants TLS upgrades the same socket after INFO (nats-server before 2.10 has no
TLS-first handshake). It then sends ``CONNECT {json}\\r\\n`` and ``PING\\r\\n``; the server answers
``PONG`` when it took the credentials, or ``-ERR '<reason>'`` and closes. Nothing is retried.
"""

from __future__ import annotations

import json
import socket
import ssl
import time
from typing import Any

MAX_LINE = 64 * 1024  # nats-server's max_control_line is 4 KiB by default; INFO may carry connect_urls


class ProtocolError(Exception):
    """The peer did not answer as a NATS server does (no INFO, a closed socket, a timeout)."""


class Wire:
    """One client connection: line reads bounded by ``timeout`` seconds each, and plain writes."""

    def __init__(self, sock: socket.socket, timeout: float) -> None:
        self.sock = sock
        self.timeout = timeout
        self.buffer = b""
        sock.settimeout(timeout)

    @classmethod
    def open(cls, host: str, port: int, timeout: float) -> Wire:
        return cls(socket.create_connection((host, port), timeout=timeout), timeout)

    def close(self) -> None:
        try:
            self.sock.close()
        except OSError:
            pass

    def send(self, data: bytes) -> None:
        self.sock.sendall(data)

    def read_line(self, deadline: float | None = None) -> str:
        """The next line without its CRLF; ``ProtocolError`` on EOF, a timeout or an endless line."""
        while b"\n" not in self.buffer:
            if len(self.buffer) > MAX_LINE:
                raise ProtocolError(f"a line longer than {MAX_LINE} bytes: {self.buffer[:60]!r}…")
            if deadline is not None:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise TimeoutError("deadline")
                self.sock.settimeout(min(left, self.timeout))
            chunk = self.sock.recv(4096)
            if not chunk:
                raise ConnectionClosed(self.buffer.decode("utf-8", "replace"))
            self.buffer += chunk
        line, _, self.buffer = self.buffer.partition(b"\n")
        return line.rstrip(b"\r").decode("utf-8", "replace")

    def read_info(self) -> dict[str, Any]:
        """The server's INFO; ``ProtocolError`` naming what came instead."""
        try:
            line = self.read_line()
        except TimeoutError:
            raise ProtocolError(
                f"no INFO within {self.timeout:g} s: not a NATS client port (an HTTP or websocket port waits for "
                "the client to speak; a TLS-first port waits for a handshake)"
            ) from None
        except ConnectionClosed as exc:
            said = f" after {shown(exc.partial)!s}" if exc.partial else ""
            raise ProtocolError(f"the server closed the connection before sending INFO{said}") from None
        verb, _, payload = line.partition(" ")
        if verb.upper() != "INFO":
            raise ProtocolError(f"not a NATS server: the first line was {shown(line)} (a NATS server starts with INFO)")
        try:
            info = json.loads(payload)
        except ValueError:
            raise ProtocolError(f"the INFO line is not JSON: {shown(payload)}") from None
        if not isinstance(info, dict):
            raise ProtocolError(f"the INFO line is not a JSON object: {shown(payload)}")
        return info

    def start_tls(self, context: ssl.SSLContext, hostname: str) -> ssl.SSLSocket:
        """Upgrade the connection after INFO (the handshake bounded by the same timeout)."""
        wrapped = context.wrap_socket(self.sock, server_hostname=hostname)
        self.sock = wrapped
        return wrapped

    def answer(self, deadline: float) -> str:
        """The server's answer to CONNECT + PING: ``PONG`` or the ``-ERR`` line. An INFO update is
        skipped, a server PING answered; ``socket.timeout`` when ``deadline`` passes first."""
        while True:
            line = self.read_line(deadline)
            verb = line.split(" ", 1)[0].upper()
            if verb in ("PONG", "-ERR"):
                return line
            if verb == "PING":
                self.send(b"PONG\r\n")
            # +OK (verbose), INFO (cluster updates): not the answer


class ConnectionClosed(ProtocolError):
    """The server closed the socket; ``partial`` is whatever it sent without a line end."""

    def __init__(self, partial: str) -> None:
        super().__init__("connection closed")
        self.partial = partial


def shown(text: str, limit: int = 80) -> str:
    """A peer's bytes for a message: quoted, control characters escaped, cut at ``limit``."""
    text = text if len(text) <= limit else text[:limit] + "…"
    return repr(text)


def connect_line(fields: dict[str, Any]) -> bytes:
    return b"CONNECT " + json.dumps(fields, separators=(",", ":")).encode() + b"\r\nPING\r\n"
