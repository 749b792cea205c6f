"""What nginx writes to the access log at a proxied location: the ``access_log`` directives in
effect there (nginx's default when none is) and the formats they name, resolved in the project.

Shared vocabulary of PRX005: which variables put the query string in a log line, which put a
credential there, and the format line a location can log instead of the request line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from authlint.facts.knowledge.token_names import cookie_carries_token, query_key_carries_token
from authlint.facts.model import NginxAccessLog, NginxDirective, NginxLogFormat, NginxProxy
from authlint.facts.nginx.includes import in_effect
from authlint.facts.nginx.logs import DEFAULT_FORMAT, VARIABLE

if TYPE_CHECKING:
    from authlint.run.context import Project

# nginx's predefined format (ngx_http_log_module): its "$request" is the request line, query included
COMBINED = ('$remote_addr - $remote_user [$time_local] "$request" $status $body_bytes_sent '
            '"$http_referer" "$http_user_agent"')
COMBINED_VARIABLES = tuple(match.group(2) for match in VARIABLE.finditer(COMBINED))
DEFAULT_PATH = "logs/access.log"  # relative to nginx's prefix; packaged builds compile in their own

# variables holding the whole query string, and what a line logs instead: the request line without
# its query (method, path, protocol: the shape log parsers expect), the path, or nginx's "-"
QUERY_VARIABLES = {
    "request": "$request_method $uri $server_protocol",
    "request_uri": "$uri",
    "args": "-",
    "query_string": "-",
}
# headers that carry a credential by name: Authorization, cookies, API keys, tokens
CREDENTIAL_HEADERS = frozenset({"authorization", "proxy_authorization", "cookie"})
CREDENTIAL_HEADER_WORDS = re.compile(r"token|jwt|bearer|api_?key|secret|password|session|authorization", re.IGNORECASE)
SET_COOKIE = frozenset({"sent_http_set_cookie", "upstream_http_set_cookie"})


def credential_variable(name: str) -> bool:
    """A variable whose value is a credential: the Authorization or Cookie header, a session or
    token cookie, a token-like query argument, a token-like header, a Set-Cookie header."""
    lowered = name.lower()
    if lowered in SET_COOKIE:
        return True
    for prefix in ("cookie_", "upstream_cookie_"):
        if lowered.startswith(prefix):
            return cookie_carries_token(lowered[len(prefix):])
    if lowered.startswith("arg_"):
        return query_key_carries_token(lowered[4:])
    if lowered.startswith("http_"):
        header = lowered[5:]
        return header in CREDENTIAL_HEADERS or bool(CREDENTIAL_HEADER_WORDS.search(header))
    return False


@dataclass
class LogUse:
    """One access log written at a location: the directive (None: nginx's default), the format it
    names and, when the project defines it, its definition (None for ``combined``)."""

    written: NginxDirective | None
    format: str
    definition: NginxLogFormat | None
    variables: tuple[str, ...] = ()

    @property
    def path(self) -> str:
        return self.written.args[0] if self.written is not None else DEFAULT_PATH

    @property
    def params(self) -> list[str]:
        return self.written.args[2:] if self.written is not None else []


@dataclass
class LocationLogs:
    """The access logs in effect at a location; ``known`` is False when one names a format the
    project does not define (what it writes is unknown)."""

    uses: list[LogUse] = field(default_factory=list)
    known: bool = True


def definition(project: Project, name: str, near: str) -> NginxLogFormat | None:
    """The project's ``log_format`` of that name (http context), the one in ``near`` first."""
    found = [f for f in project.facts(NginxLogFormat) if f.name == name and f.context == "http"]
    same = [f for f in found if f.source.relpath == near]
    return (same or found or [None])[0]


def location_logs(project: Project, proxy: NginxProxy) -> LocationLogs:
    """The access logs a location writes (none when ``access_log off`` is in effect)."""
    written = in_effect(project, proxy).settings.get("access_log") or []
    if any(d.args and d.args[0] == "off" for d in written):
        return LocationLogs()
    if not written:
        return LocationLogs([LogUse(None, DEFAULT_FORMAT, None, COMBINED_VARIABLES)])
    logs = LocationLogs()
    for directive in written:
        name = directive.args[1] if len(directive.args) > 1 else DEFAULT_FORMAT
        if name == DEFAULT_FORMAT:
            logs.uses.append(LogUse(directive, name, None, COMBINED_VARIABLES))
            continue
        found = definition(project, name, directive.relpath or proxy.source.relpath)
        if found is None:
            logs.known = False
            continue
        logs.uses.append(LogUse(directive, name, found, tuple(found.names)))
    return logs


def used_formats(project: Project) -> dict[str, list[NginxAccessLog]]:
    """Format name -> the ``access_log`` directives of the project that write with it."""
    used: dict[str, list[NginxAccessLog]] = {}
    for log in project.facts(NginxAccessLog):
        if not log.off and log.context == "http":
            used.setdefault(log.format, []).append(log)
    return used


def without(format_text: str, names: set[str], replacement: dict[str, str]) -> str:
    """``format_text`` with each variable of ``names`` replaced (``replacement``, else ``-``)."""
    def swap(match: re.Match[str]) -> str:
        name = match.group(1) or match.group(2)
        return replacement.get(name, "-") if name in names else match.group(0)

    return VARIABLE.sub(swap, format_text)
