"""What PRX003 reads off nginx: the idle timeout in effect on a proxied location or stream server,
and the ports a ``proxy_pass`` reaches (to tell which app or NATS listener a proxy fronts).

nginx closes a proxied connection when nothing arrives from the app for ``proxy_read_timeout``
(http, default 60 s; an upgraded WebSocket too) or when nothing passes either way for
``proxy_timeout`` (stream, default 10 min). ``proxy_send_timeout`` only runs while a write to the
app is blocked: an idle WebSocket never meets it (checked against nginx 1.22), so it is not read.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from authlint.facts.knowledge.nginx_time import PROXY_READ_TIMEOUT, STREAM_PROXY_TIMEOUT, nginx_seconds
from authlint.facts.model import NginxDirective, NginxProxy, NginxUpstream
from authlint.facts.nginx.includes import in_effect

if TYPE_CHECKING:
    from authlint.run.context import Project

# the directive that times an idle connection out, and nginx's default, per context
IDLE_DIRECTIVE = {"http": ("proxy_read_timeout", PROXY_READ_TIMEOUT), "stream": ("proxy_timeout", STREAM_PROXY_TIMEOUT)}
DEFAULT_PORTS = {"http": 80, "https": 443, "ws": 80, "wss": 443}


@dataclass
class IdleTimeout:
    """The idle timeout a proxy applies: ``written`` is the directive in effect (None: nginx's
    default), ``own``: written in the proxy's own block of its own file, so a fix edits it in place;
    ``shared``: written at the proxy's own level by a snippet it includes (a second copy there would
    be a duplicate nginx refuses, and the snippet serves others: no fix)."""

    name: str
    seconds: float
    written: NginxDirective | None
    own: bool
    shared: bool


def idle_timeout(project: Project, proxy: NginxProxy) -> IdleTimeout | None:
    """The timeout in effect; None when it cannot be known (a variable, a value nginx refuses, or
    an include the project does not ship that may set it)."""
    name, default = IDLE_DIRECTIVE.get(proxy.context, IDLE_DIRECTIVE["http"])
    effect = in_effect(project, proxy)
    written = effect.setting(name)
    if written is None:
        if effect.unresolved:
            return None
        return IdleTimeout(name, default, None, own=False, shared=False)
    if not written.args:
        return None
    seconds = nginx_seconds(written.args[0])
    if seconds is None:
        return None
    own = not written.inherited and not written.relpath
    own_level = "location" if proxy.location_span is not None else "server"
    shared = bool(written.relpath) and written.level == own_level
    return IdleTimeout(name, seconds, written, own, shared)


def _port_of(address: str, default: int | None) -> int | None:
    """``nats:4222`` -> 4222; ``[::1]:8080`` -> 8080; ``app`` -> ``default``; a variable -> None."""
    if "$" in address or address.startswith("unix:"):
        return None
    host, sep, port = address.rpartition(":")
    if sep and host and not host.endswith(":") and port.isdigit():
        return int(port)
    if address.startswith("[") and address.endswith("]"):
        return default
    return default if ":" not in address else None


def target_ports(project: Project, proxy: NginxProxy) -> set[int]:
    """The ports ``proxy_pass`` reaches: its own ``host:port``, or the servers of the ``upstream``
    it names (in any file of the project, of the same context)."""
    if not proxy.target or "$" in proxy.target:
        return set()
    scheme = proxy.target.split("://", 1)[0].lower() if "://" in proxy.target else ""
    default = DEFAULT_PORTS.get(scheme) if proxy.context == "http" else None
    upstreams = [u for u in project.facts(NginxUpstream) if u.name == proxy.upstream and u.context == proxy.context]
    if upstreams:
        ports = set()
        for upstream in upstreams:
            for server in upstream.servers:
                if server.args:
                    port = _port_of(server.args[0], 80 if proxy.context == "http" else None)
                    if port is not None:
                        ports.add(port)
        return ports
    port = _port_of(proxy.upstream, default)
    return {port} if port is not None else set()
