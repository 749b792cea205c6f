"""Which nginx locations carry the project's Socket.IO traffic: the join PRX002-PRX005 start from.

A location carries Socket.IO when nginx would pick it for the server's path (``/socket.io/`` by
default, or the ``path``/``socketio_path`` the server sets): the most specific matching prefix
location of its server block, or a matching regex location (nginx tries regexes after prefixes and
takes the first that matches, unless the prefix is ``^~`` or ``=``). Only projects that run
Socket.IO (a server, or a client when the server lives elsewhere) have carriers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from authlint.facts.model import NginxProxy, SocketIOClient, SocketIOServer

if TYPE_CHECKING:
    from authlint.run.context import Project

DEFAULT_PATH = "/socket.io/"
PATH_OPTIONS = ("path", "socketio_path", "resource")


@dataclass
class Carrier:
    """A proxied location that Socket.IO requests reach, and the servers they are meant for."""

    proxy: NginxProxy
    path: str  # the Socket.IO path it carries (``/socket.io/``)
    servers: list[SocketIOServer] = field(default_factory=list)  # empty: the server is not in the project


def socketio_path(server: SocketIOServer) -> str | None:
    """The URL path a server answers on, as ``/path/``; None when it is computed at run time."""
    for name in PATH_OPTIONS:
        option = server.options.get(name)
        if option is None:
            continue
        value = option.value.value
        if not isinstance(value, str):
            return None
        return "/" + value.strip("/") + "/"
    return DEFAULT_PATH


def _prefix_length(proxy: NginxProxy, path: str) -> int | None:
    """How long a prefix of ``path`` the location matches (its rank among prefixes); None when it
    does not match. Exact (``=``) locations match the path itself."""
    location = proxy.location
    if proxy.modifier == "=":
        return len(location) + 10_000 if location in (path, path.rstrip("/")) else None
    if proxy.modifier in ("", "^~"):
        if path.startswith(location) or path.rstrip("/") == location:
            return len(location)
        return None
    return None


def _regex_matches(proxy: NginxProxy, path: str) -> bool:
    if proxy.modifier not in ("~", "~*"):
        return False
    try:
        return re.search(proxy.location, path, re.IGNORECASE if proxy.modifier == "~*" else 0) is not None
    except re.error:
        return False


def picked(proxies: list[NginxProxy], path: str) -> NginxProxy | None:
    """The location nginx picks for ``path`` among one server block's proxied locations."""
    best: NginxProxy | None = None
    best_length = -1
    for proxy in proxies:
        length = _prefix_length(proxy, path)
        if length is not None and length > best_length:
            best, best_length = proxy, length
    if best is not None and (best.modifier in ("=", "^~")):
        return best
    for proxy in proxies:
        if _regex_matches(proxy, path):
            return proxy
    return best


def carriers(project: Project) -> list[Carrier]:
    """Every proxied location that carries the project's Socket.IO path, with its servers."""
    servers = list(project.facts(SocketIOServer))
    if not servers and next(project.facts(SocketIOClient), None) is None:
        return []
    paths: dict[str, list[SocketIOServer]] = {}
    for server in servers:
        path = socketio_path(server)
        if path is not None:
            paths.setdefault(path, []).append(server)
    if not paths:
        paths[DEFAULT_PATH] = []
    blocks: dict[tuple[str, object], list[NginxProxy]] = {}
    for proxy in project.facts(NginxProxy):
        if proxy.context == "http":
            blocks.setdefault((proxy.source.relpath, proxy.server), []).append(proxy)
    found: list[Carrier] = []
    for proxies in blocks.values():
        for path, serving in paths.items():
            proxy = picked(proxies, path)
            if proxy is not None:
                found.append(Carrier(proxy, path, serving))
    return found
