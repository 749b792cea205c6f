"""What a proxied location passes on for a WebSocket upgrade, once its includes are joined.

nginx speaks HTTP/1.0 to the upstream unless ``proxy_http_version 1.1`` says otherwise, and it
never forwards the hop-by-hop ``Upgrade`` and ``Connection`` headers by itself: a WebSocket
handshake reaches the app only when the location sets all three. This module reads them from
``facts.nginx.includes.in_effect`` (the location's settings with the project's snippets and, for a
fragment, its includer joined), and from includes the project does not ship but whose content is
known (Debian's ``proxy_params``); an include that is neither may set anything, and says so.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from authlint.facts.model import NginxDirective, NginxInclude, NginxMap, NginxProxy
from authlint.facts.nginx.includes import RANK, in_effect, matches

if TYPE_CHECKING:
    from authlint.run.context import Project

WEBSOCKET_VERSION = "1.1"
HTTP_UPGRADE = "$http_upgrade"
CONNECTION_UPGRADE = "upgrade"
# Includes nginx installs ship outside the project, by file name, with the ``proxy_set_header``
# headers they set (Debian's ``/etc/nginx/proxy_params``; the others set no proxy directive).
KNOWN_INCLUDES: dict[str, tuple[str, ...]] = {
    "proxy_params": ("Host", "X-Real-IP", "X-Forwarded-For", "X-Forwarded-Proto"),
    "mime.types": (),
    "fastcgi_params": (),
    "fastcgi.conf": (),
    "uwsgi_params": (),
    "scgi_params": (),
    "koi-utf": (),
    "koi-win": (),
    "win-utf": (),
}
GLOB = frozenset("*?[")


@dataclass
class Header:
    """A ``proxy_set_header`` in effect: written (``directive``), or set by a known include the
    project does not ship (``include``: its pattern, as written)."""

    name: str
    value: str
    level: str
    directive: NginxDirective | None = None
    include: str = ""


@dataclass
class Upgrade:
    """What a location passes on for a WebSocket upgrade."""

    version: NginxDirective | None  # the ``proxy_http_version`` in effect
    headers: list[Header] = field(default_factory=list)  # the ``proxy_set_header``s in effect
    unknown: list[str] = field(default_factory=list)  # includes that may set anything

    def header(self, name: str) -> Header | None:
        found = [h for h in self.headers if h.name.lower() == name.lower()]
        return found[-1] if found else None


def _known(pattern: str) -> tuple[str, ...] | None:
    return KNOWN_INCLUDES.get(pattern.replace("\\", "/").rsplit("/", 1)[-1])


def _site_files(pattern: str, level: str) -> bool:
    """An ``include /etc/nginx/conf.d/*.conf`` in the main or http block pulls in site files of
    server blocks, not settings of the locations it already holds."""
    return level in ("main", "http") and any(c in GLOB for c in pattern)


def read(project: Project, proxy: NginxProxy) -> Upgrade:
    effect = in_effect(project, proxy)
    shipped = [ctx.source.relpath for ctx in project.files]
    levels = {d.args[0]: d.level for d in proxy.includes if d.args}
    unknown: list[str] = []
    known: list[Header] = []
    for pattern in effect.unresolved:
        level = levels.get(pattern, "http")
        if any(matches(pattern, relpath) for relpath in shipped) or _site_files(pattern, level):
            continue
        names = _known(pattern)
        if names is None:
            unknown.append(pattern)
        else:
            known.extend(Header(name, "", level, include=pattern) for name in names)
    written = [Header(d.args[0], d.args[1] if len(d.args) > 1 else "", d.level, directive=d)
               for d in effect.settings.get("proxy_set_header", []) if d.args]
    deepest = max((RANK.get(h.level, 3) for h in [*written, *known]), default=-1)
    # nginx takes the headers of the innermost level that sets any: an outer level's are dropped
    headers = [h for h in [*written, *known] if RANK.get(h.level, 3) == deepest]
    return Upgrade(effect.setting("proxy_http_version"), headers, unknown)


def own_level(proxy: NginxProxy) -> str:
    """The block the proxy's directives are written in."""
    return "location" if proxy.location_span is not None else "server"


def sets_upgrade(header: Header | None) -> bool:
    return header is not None and header.value != ""


def connection_upgrades(project: Project, header: Header | None) -> bool | None:
    """Whether the ``Connection`` header asks for the upgrade: its value names ``upgrade``, or it
    is a variable a ``map`` of the project computes as ``upgrade`` for a request that has an
    ``Upgrade`` header. None: a variable the project does not define (set where it cannot be seen)."""
    if header is None:
        return False
    value = header.value.strip()
    if value.startswith("$"):
        maps = [m for m in project.facts(NginxMap) if m.variable == value]
        if not maps:
            return None
        return any(upgrading(m) for m in maps)
    return any(part.strip().lower() == CONNECTION_UPGRADE for part in value.split(","))


def upgrading(found: NginxMap) -> bool:
    """A map that yields ``upgrade`` for some non-empty ``Upgrade`` header (``default upgrade;``)."""
    return any(e.key != "" and CONNECTION_UPGRADE in e.value.lower() for e in found.entries)


def connection_variable(project: Project, proxy: NginxProxy) -> str | None:
    """A map variable this location can use for ``Connection``: computed from ``$http_upgrade`` as
    ``upgrade``, in the location's own file or in a file that includes it (the same nginx)."""
    own = proxy.source.relpath
    includers = {i.source.relpath for i in project.facts(NginxInclude) if matches(i.pattern, own)}
    for found in project.facts(NginxMap):
        if found.source_var == HTTP_UPGRADE and upgrading(found) and found.source.relpath in {own, *includers}:
            return found.variable
    return None
