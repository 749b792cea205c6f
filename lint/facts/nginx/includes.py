"""What an nginx location has in effect once its includes are joined from the project.

Two joins, both only with files inside the project (an include of ``/etc/nginx/proxy_params``
that the repository does not ship stays unresolved, and rules are told so):

- a snippet included in the location or an enclosing block adds its top-level directives there
  (``location /ws { include snippets/websocket.conf; }``);
- a fragment (``conf.d/app.conf``, no ``http {}`` of its own) inherits what the block that
  includes it has in effect (``http { proxy_http_version 1.1; include conf.d/*.conf; }``).

An include pattern is matched against project paths by its last two components (``conf.d/*.conf``
matches ``deploy/nginx/conf.d/app.conf``), since nginx resolves it against a prefix the repository
lays out its own way; a bare name (``proxy_params``) matches files of that name.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fnmatch import fnmatchcase
from typing import TYPE_CHECKING

from authlint.facts.model import NginxDirective, NginxInclude, NginxProxy, NginxSnippet

if TYPE_CHECKING:
    from authlint.run.context import Project

# how deep a level is: an inner level's copies of a directive replace an outer level's
RANK = {"main": 0, "http": 1, "stream": 1, "server": 2, "location": 3, "if": 4}


@dataclass
class InEffect:
    """A proxy's directives with its includes joined: ``settings`` by name as in ``NginxProxy``;
    ``unresolved``: include patterns no project file matches (they may set anything)."""

    settings: dict[str, list[NginxDirective]] = field(default_factory=dict)
    unresolved: list[str] = field(default_factory=list)

    def setting(self, name: str) -> NginxDirective | None:
        found = self.settings.get(name)
        return found[-1] if found else None


def matches(pattern: str, relpath: str) -> bool:
    """Whether an include pattern names a project file (by its last two path components)."""
    wanted = [part for part in pattern.replace("\\", "/").split("/") if part not in ("", ".")]
    have = relpath.split("/")
    if not wanted:
        return False
    tail = wanted[-2:] if len(wanted) > 1 else wanted[-1:]
    if len(have) < len(tail):
        return False
    return all(fnmatchcase(name, want) for name, want in zip(have[-len(tail):], tail))


def _snippets(project: Project, pattern: str, own: str) -> list[NginxSnippet]:
    return [s for s in project.facts(NginxSnippet) if s.source.relpath != own and matches(pattern, s.source.relpath)]


def _merge(settings: dict[str, list[NginxDirective]], added: dict[str, list[NginxDirective]], level: str,
           relpath: str) -> None:
    """Directives an include adds at ``level``: they replace outer levels' copies, join the same
    level's, and leave inner levels' alone."""
    rank = RANK.get(level, 3)
    for name, directives in added.items():
        placed = [_at(d, level, relpath) for d in directives]
        current = settings.get(name)
        if not current:
            settings[name] = placed
            continue
        have = RANK.get(current[-1].level, 3)
        if have < rank:
            settings[name] = placed
        elif have == rank:
            settings[name] = [*current, *placed]


def _at(directive: NginxDirective, level: str, relpath: str) -> NginxDirective:
    """A directive of another file, placed at ``level`` of this one (its spans stay that file's)."""
    return NginxDirective(directive.name, list(directive.args), directive.span, list(directive.arg_spans), level,
                          inherited=True, relpath=relpath)


def in_effect(project: Project, proxy: NginxProxy) -> InEffect:
    """``proxy.settings`` with the snippets its includes pull in, and, for a fragment, what the
    including block has in effect."""
    settings = {name: list(found) for name, found in proxy.settings.items() if name != "include"}
    unresolved: list[str] = []
    own = proxy.source.relpath
    for include in sorted(proxy.includes, key=lambda d: RANK.get(d.level, 3)):
        found = _snippets(project, include.args[0], own)
        if not found:
            unresolved.append(include.args[0])
        for snippet in found:
            _merge(settings, snippet.settings, include.level, snippet.source.relpath)
    if proxy.fragment:
        for include in project.facts(NginxInclude):
            if include.source.relpath != own and matches(include.pattern, own):
                for name, directives in include.settings.items():
                    if name != "include" and name not in settings:
                        settings[name] = [_at(d, d.level, include.source.relpath) for d in directives]
    return InEffect(settings, unresolved)
