"""One bounded HTTP request, with the standard library only (the probe must stay light to import).

Each call opens one connection, sends one request, reads at most ``MAX_BODY`` bytes of the answer
within ``timeout`` seconds and closes; nothing is retried. The local clock is noted just before sending and just after the
answer arrives, so the server's ``Date`` header can be compared within that round trip.
"""

from __future__ import annotations

import contextlib
import http.client
import socket
import ssl
import threading
import time
from dataclasses import dataclass, field
from urllib.parse import urlencode, urlsplit

MAX_BODY = 64 * 1024  # an Engine.IO handshake or refusal is a few hundred bytes


class HttpFailure(Exception):
    """Nothing usable answered: refused port, timeout, TLS failure, a malformed response."""


@dataclass(frozen=True)
class Target:
    """Where the probe connects: ``http``/``https`` (``ws``/``wss`` map to them), host, port."""

    scheme: str
    host: str
    port: int
    path: str  # the URL's own path ("" or "/" when none was given)
    tls_ca: str | None = None

    @classmethod
    def from_url(cls, url: str, tls_ca: str | None = None) -> Target:
        parts = urlsplit(url)
        scheme = {"ws": "http", "wss": "https"}.get(parts.scheme.lower(), parts.scheme.lower())
        port = parts.port or (443 if scheme == "https" else 80)
        return cls(scheme, parts.hostname or "", port, parts.path, tls_ca)

    @property
    def tls(self) -> bool:
        return self.scheme == "https"

    @property
    def host_header(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        default = 443 if self.tls else 80
        return host if self.port == default else f"{host}:{self.port}"

    def origin(self) -> str:
        return f"{self.scheme}://{self.host_header}"

    def tls_context(self) -> ssl.SSLContext:
        return ssl.create_default_context(cafile=self.tls_ca)


@dataclass
class Response:
    status: int
    reason: str
    headers: list[tuple[str, str]]
    body: bytes
    sent: float  # local epoch seconds just before the request
    received: float  # ... and just after the response's headers and body
    truncated: bool = False

    def values(self, name: str) -> list[str]:
        """Every value of header ``name`` (a header may be repeated)."""
        return [value for key, value in self.headers if key.lower() == name.lower()]

    def header(self, name: str) -> str | None:
        found = self.values(name)
        return ", ".join(found) if found else None

    def text(self) -> str:
        return self.body.decode("utf-8", errors="replace")


@dataclass
class Request:
    method: str
    path: str  # path and query
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes | None = None


def with_query(path: str, query: dict[str, str]) -> str:
    if not query:
        return path
    return path + ("&" if "?" in path else "?") + urlencode(query)


def describe_failure(exc: BaseException) -> str:
    """A one-line reason a request got no usable answer (no traceback, no request data)."""
    if isinstance(exc, TimeoutError):
        return "timed out"
    if isinstance(exc, ConnectionRefusedError):
        return "connection refused"
    if isinstance(exc, ssl.SSLError):
        return f"TLS failed: {exc.reason or exc}"
    if isinstance(exc, socket.gaierror):
        return f"cannot resolve host: {exc.strerror}"
    if isinstance(exc, http.client.HTTPException):
        return f"not an HTTP answer ({type(exc).__name__})"
    if isinstance(exc, OSError):
        return exc.strerror or str(exc) or type(exc).__name__
    return str(exc) or type(exc).__name__


def send(target: Target, request: Request, timeout: float) -> Response:
    """Send ``request`` over a new connection; ``HttpFailure`` when nothing usable answered."""
    if target.tls:
        connection: http.client.HTTPConnection = http.client.HTTPSConnection(
            target.host, target.port, timeout=timeout, context=target.tls_context())
    else:
        connection = http.client.HTTPConnection(target.host, target.port, timeout=timeout)
    headers = {"Host": target.host_header, "User-Agent": "authlint-probe", **request.headers}
    if request.body is not None:
        headers.setdefault("Content-Type", "text/plain;charset=UTF-8")
    # the socket timeout bounds each read; the watchdog bounds the whole exchange (a server
    # trickling one byte at a time is not an answer in time)
    expired = threading.Event()

    def expire() -> None:
        expired.set()
        if connection.sock is not None:
            with contextlib.suppress(OSError):
                connection.sock.shutdown(socket.SHUT_RDWR)

    watchdog = threading.Timer(timeout, expire)
    watchdog.daemon = True
    watchdog.start()
    try:
        sent = time.time()
        connection.request(request.method, request.path, body=request.body, headers=headers)
        answer = connection.getresponse()
        body = answer.read(MAX_BODY) if request.method != "HEAD" else b""
        truncated = len(body) == MAX_BODY and bool(answer.read(1))
        received = time.time()
        if expired.is_set():
            raise TimeoutError
        return Response(answer.status, answer.reason, answer.getheaders(), body, sent, received, truncated)
    except (OSError, http.client.HTTPException, ValueError) as exc:
        raise HttpFailure("timed out" if expired.is_set() else describe_failure(exc)) from None
    finally:
        watchdog.cancel()
        connection.close()
