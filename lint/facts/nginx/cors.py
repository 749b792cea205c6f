"""CORS set by nginx itself: ``add_header Access-Control-Allow-Origin ...`` in a server, location
or ``if`` block, read as the same ``CorsPolicy`` the code extractors make, so COR001-COR003 judge it.

What the header's value lets in, as nginx computes it per request:

- ``*``: every origin, sent literally (browsers refuse it with credentials);
- ``$http_origin`` written directly, outside an ``if`` that tests it: the caller's origin echoed
  back ("reflect");
- ``$http_origin`` inside ``if ($http_origin ~* "regex") { ... }``, or a variable ``set`` from it
  there, or a variable a ``map $http_origin $var { ~regex $http_origin; ... }`` computes: the
  patterns, which nginx applies with PCRE *search* (``~`` is unanchored: ``example\\.com`` matches
  ``https://example.com.evil.net``), so a pattern needs ``^`` and ``$``; ``if ($http_origin =
  "https://a.example")`` and plain map keys are exact origins; an echo after ``if ($http_origin !~*
  "regex") { return 403; }`` in its server or location answers what the pattern lets through;
- a literal (``https://app.example.com``, ``null``): that one origin.

Credentials come from ``add_header Access-Control-Allow-Credentials true`` in the *same* block:
nginx's ``add_header`` inheritance takes every header from the innermost block that writes any
(``facts.nginx.scopes``), so an ``Access-Control-Allow-Credentials`` of an enclosing block is not
sent where the origin header is written in an inner one. One header answers one origin, so a fix
never writes a list here (``written_as=""``). Headers added by an included snippet are not followed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Iterator

from authlint.facts.model import CorsPolicy, Expr, Fact, OriginEntry
from authlint.facts.origins import settle
from authlint.files.source import Source, Span
from authlint.syntax.nginx import Config, Directive

if TYPE_CHECKING:
    from authlint.run.context import FileContext

LANG = "nginx"
FRAMEWORK = "nginx"
ORIGIN_HEADER = "access-control-allow-origin"
CREDENTIALS_HEADER = "access-control-allow-credentials"
REQUEST_ORIGIN = "$http_origin"
BLOCKS = frozenset({"http", "server", "location", "if"})
MATCHER = "nginx's `~`"
NEGATED = {"!~": "~", "!~*": "~*", "!=": "="}  # an if that refuses the other origins: what lets one pass


@dataclass
class Guard:
    """An ``if`` on the request's Origin: ``($http_origin ~* "re")`` or ``($http_origin = "x")``."""

    operator: str  # "~", "~*", "=", or "" when the if tests something else
    value: str
    span: Span  # the compared value as written (quotes included)


@dataclass
class Assignment:
    """``set $var value;`` and the ``if`` it is written in, if any."""

    value: str
    span: Span
    quoted: bool
    guard: Guard | None


def extract(ctx: FileContext) -> Iterator[Fact]:
    config: Config = ctx.tree
    text = ctx.source.text.lower()
    if ORIGIN_HEADER not in text:
        return
    sets = _assignments(config)
    maps = {d.args[1]: d for d, _ in config.walk() if d.name == "map" and len(d.args) >= 2 and d.block is not None
            and d.args[0] == REQUEST_ORIGIN}
    # the file's top level too: a snippet (``snippets/cors.conf``) adds its headers where it is included
    blocks = [(None, config.directives, ()), *((d, d.block, parents) for d, parents in config.walk()
                                               if d.block is not None and d.name in BLOCKS)]
    for directive, block, parents in blocks:
        guard = _guard(directive) if directive is not None and directive.name == "if" else None
        scope = [*(p.block or [] for p in parents), block] if directive is None or directive.name != "if" else [
            *(p.block or [] for p in parents)]
        rejects = [found for inner in scope for found in _rejections(inner)]
        headers = [d for d in block if d.name == "add_header" and len(d.args) >= 2]
        credentials = [d for d in headers if d.args[0].lower() == CREDENTIALS_HEADER]
        for header in headers:
            if header.args[0].lower() == ORIGIN_HEADER:
                yield _policy(ctx.source, header, guard, credentials[-1] if credentials else None, sets, maps,
                              rejects)


def _assignments(config: Config) -> dict[str, list[Assignment]]:
    found: dict[str, list[Assignment]] = {}
    for directive, parents in config.walk():
        if directive.name != "set" or len(directive.args) < 2:
            continue
        guard = _guard(parents[-1]) if parents and parents[-1].name == "if" else None
        found.setdefault(directive.args[0], []).append(
            Assignment(directive.args[1], directive.arg_spans[1], directive.quoted[1], guard))
    return found


def _rejections(block: list[Directive]) -> list[Guard]:
    """``if ($http_origin !~* "re") { return 403; }`` in a block: only origins the pattern matches
    go on, so an echo after it answers those (as if guarded by ``~*``)."""
    found = []
    for directive in block:
        args = directive.args
        if (directive.name == "if" and directive.block is not None and len(args) == 3 and args[0] == REQUEST_ORIGIN
                and args[1] in NEGATED and any(d.name == "return" for d in directive.block)):
            found.append(Guard(NEGATED[args[1]], args[2], directive.arg_spans[2]))
    return found


def _guard(directive: Directive) -> Guard | None:
    args = directive.args
    if len(args) == 3 and args[0] == REQUEST_ORIGIN and args[1] in ("~", "~*", "="):
        return Guard(args[1], args[2], directive.arg_spans[2])
    return None


def _inside(source: Source, span: Span) -> Span:
    """An argument's text without its quotes."""
    written = source.slice(span)
    if len(written) >= 2 and written[0] in "\"'" and written[-1] == written[0]:
        return Span(span.start + 1, span.end - 1)
    return span


class _Origins:
    """What a header's value lets in, gathered from the places nginx computes it."""

    def __init__(self, source: Source, rejects: list[Guard]) -> None:
        self.source = source
        self.rejects = rejects  # the ifs that refuse other origins before the header is added
        self.plain: list[OriginEntry] = []
        self.patterns: list[OriginEntry] = []
        self.reflects = False
        self.unknown = False

    def origin(self, value: str, span: Span) -> None:
        if value:
            self.plain.append(OriginEntry(value=value, span=_inside(self.source, span), located=True))

    def pattern(self, value: str, span: Span) -> None:
        self.patterns.append(OriginEntry(value=value, span=span, located=True, pattern=True, raw=True,
                                         anchoring="search", anchor_start=True, matcher=MATCHER))

    def echo(self, guard: Guard | None) -> None:
        """The request's Origin, echoed where ``guard`` lets it through."""
        if guard is None and self.rejects:
            for reject in self.rejects:
                self.echo(reject)
        elif guard is None:
            self.reflects = True
        elif guard.operator == "=":
            self.origin(guard.value, guard.span)
        else:
            self.pattern(guard.value, _inside(self.source, guard.span))

    def value(self, value: str, span: Span, guard: Guard | None, sets: dict[str, list[Assignment]],
              maps: dict[str, Directive], depth: int = 0) -> None:
        if value == REQUEST_ORIGIN:
            self.echo(guard)
        elif not value.startswith("$"):
            self.origin(value, span)
        elif depth < 3 and value in maps:
            self._map(maps[value])
        elif depth < 3 and value in sets:
            for assignment in sets[value]:
                self.value(assignment.value, assignment.span, assignment.guard or guard, sets, maps, depth + 1)
        else:
            self.unknown = True

    def _map(self, directive: Directive) -> None:
        for entry in directive.block or []:
            if entry.name in ("hostnames", "volatile", "include") or not entry.args:
                if entry.name == "include":
                    self.unknown = True
                continue
            key, result, result_span = entry.name, entry.args[0], entry.arg_spans[0]
            echoes = result == REQUEST_ORIGIN
            if key == "default":
                if echoes:
                    self.reflects = True
                else:
                    self._result(result, result_span)
            elif key.startswith("~"):
                if echoes:
                    skip = 2 if key.startswith("~*") else 1
                    inside = _inside(self.source, entry.name_span)
                    self.pattern(key[skip:], Span(inside.start + skip, inside.end))
                else:
                    self._result(result, result_span)
            elif echoes:
                self.origin(key, entry.name_span)
            else:
                self._result(result, result_span)

    def _result(self, value: str, span: Span) -> None:
        if value.startswith("$"):
            self.unknown = True
        else:
            self.origin(value, span)


def _policy(source: Source, header: Directive, guard: Guard | None, credentials: Directive | None,
            sets: dict[str, list[Assignment]], maps: dict[str, Directive], rejects: list[Guard]) -> CorsPolicy:
    value, span = header.args[1], header.arg_spans[1]
    found = _Origins(source, rejects)
    found.value(value, span, guard, sets, maps)
    written = source.slice(span)
    if found.unknown:
        origins = Expr(span, written)
    elif found.reflects:
        origins = Expr(span, written, ref="request:origin")
    elif found.plain or not found.patterns:
        values = [entry.value for entry in found.plain]
        origins = Expr(span, written, values[0] if len(values) == 1 else values)
    else:
        origins = None
    regex = None
    if found.patterns and not found.unknown and not found.reflects:
        regex = Expr(span, written, [entry.value for entry in found.patterns], is_regex=True)
    creds = None
    if credentials is not None:
        creds = Expr(credentials.arg_spans[1], source.slice(credentials.arg_spans[1]), credentials.args[1])
    policy = settle(CorsPolicy(source=source, span=header.span, lang=LANG, framework=FRAMEWORK, origins=origins,
                               credentials=creds, origin_regex=regex))
    if not found.unknown and not found.reflects:  # the entries with the spans nginx's arguments give
        policy.allowed.entries = [*found.plain, *found.patterns]
    elif found.reflects and value == REQUEST_ORIGIN and guard is None:
        policy.allowed.echo = OriginEntry(value=value, span=_inside(source, span), located=True)
    return policy
