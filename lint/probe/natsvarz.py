"""``--monitor``: one GET of nats-server's ``/varz`` for the values it really runs with.

``now`` is the server's clock (RFC 3339 with nanoseconds): against this machine's clock it tells
the skew behind "expired" JWTs that are not (and valid ones the server calls expired).
``ping_interval`` is a Go duration in nanoseconds, ``ping_max`` a count, ``auth_timeout`` seconds:
a client that misses ``ping_max`` PONGs in a row is closed as a Stale Connection; one that has not
sent CONNECT within ``auth_timeout`` gets ``Authentication Timeout``.
"""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from authlint.probe.clock import Skew, from_rfc3339

NS = 10**9
SHOWN = ("server_id", "server_name", "version", "now", "ping_interval", "ping_max", "auth_timeout",
         "tls_timeout", "max_payload", "max_connections", "connections", "auth_required", "tls_required")


class VarzError(Exception):
    """The monitoring URL gave no /varz (refused, a timeout, an HTTP error, not JSON)."""


@dataclass
class Varz:
    fields: dict[str, Any]
    skew: Skew | None


def varz_url(monitor: str) -> str:
    """``http://h:8222`` -> ``http://h:8222/varz``; a URL already naming ``/varz`` is kept."""
    parts = urlsplit(monitor if "://" in monitor else "http://" + monitor)
    path = parts.path.rstrip("/")
    if not path.endswith("/varz"):
        path += "/varz"
    return urlunsplit((parts.scheme, parts.netloc, path, "", ""))


def read_varz(monitor: str, timeout: float, cafile: str | None = None) -> Varz:
    url = varz_url(monitor)
    if urlsplit(url).scheme not in ("http", "https"):
        raise VarzError(f"--monitor must be an http:// or https:// URL, not {urlsplit(url).scheme}://")
    context = None
    if url.startswith("https:"):
        import ssl

        context = ssl.create_default_context(cafile=cafile)
    sent = time.time()
    try:
        with urllib.request.urlopen(url, timeout=timeout, context=context) as response:  # noqa: S310 (http(s) only)
            body = response.read(4 * 1024 * 1024)
    except urllib.error.HTTPError as exc:
        raise VarzError(f"GET {url} answered HTTP {exc.code} {exc.reason}") from None
    except (urllib.error.URLError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        raise VarzError(f"GET {url} failed: {reason}") from None
    received = time.time()
    try:
        fields = json.loads(body)
    except ValueError:
        raise VarzError(f"GET {url} did not answer JSON: not a nats-server monitoring port") from None
    if not isinstance(fields, dict) or "server_id" not in fields:
        raise VarzError(f"GET {url} answered JSON without server_id: not nats-server's /varz")
    now = fields.get("now")
    return Varz(fields, from_rfc3339(now, sent, received) if isinstance(now, str) else None)


def duration(nanoseconds: Any) -> str:
    """A Go duration from /varz (nanoseconds) as a person reads it."""
    if not isinstance(nanoseconds, (int, float)):
        return str(nanoseconds)
    seconds = nanoseconds / NS
    if seconds >= 60 and seconds % 60 == 0:
        return f"{seconds / 60:g} min"
    return f"{seconds:g} s"


def summary(varz: Varz) -> str:
    f = varz.fields
    auth_timeout = f.get("auth_timeout")
    return (
        f"nats-server {f.get('version', '?')}: ping_interval {duration(f.get('ping_interval'))}, "
        f"ping_max {f.get('ping_max', '?')}, auth_timeout {auth_timeout if auth_timeout is not None else '?'} s"
    )


def shown_fields(varz: Varz) -> dict[str, Any]:
    return {key: varz.fields[key] for key in SHOWN if key in varz.fields}
