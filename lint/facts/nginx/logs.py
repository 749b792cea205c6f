"""Facts about what nginx writes to its access logs: the ``log_format`` definitions (the line each
request leaves, with the variables in it), the ``access_log`` directives that use them, and where a
new ``log_format`` can be defined.

nginx concatenates a ``log_format``'s strings without a separator and expands ``$name`` /
``${name}`` in them when it writes a line; the variables are located in the file's own text (a
quoted string's escapes never touch a ``$``), so a fix can replace one in place. ``log_format`` is
an ``http``-level directive (``stream`` has its own), so a new one goes before the first ``server``
of an ``http {}`` block, or of a fragment whose top-level servers are included into one.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Iterator

from authlint.facts.model import Fact, NginxAccessLog, NginxLogFormat, NginxLogSlot, NginxLogVariable
from authlint.facts.nginx.extract import LANG, _guess_context
from authlint.facts.nginx.scopes import fact_directive
from authlint.files.source import Span
from authlint.syntax.nginx import Config, Directive

if TYPE_CHECKING:
    from authlint.run.context import FileContext

# nginx's log module: ``$`` then a name of letters, digits and ``_``, or the name in braces
VARIABLE = re.compile(r"\$(?:\{([A-Za-z0-9_]+)\}|([A-Za-z0-9_]+))")
DEFAULT_FORMAT = "combined"


def extract(ctx: FileContext) -> Iterator[Fact]:
    config: Config = ctx.tree
    text = ctx.source.text
    for directive, parents in config.walk():
        if directive.name == "log_format" and directive.args:
            yield log_format(ctx, text, directive, parents)
        elif directive.name == "access_log" and directive.args:
            yield access_log(ctx, directive, parents)
    yield from slots(ctx, text, config)


def _context(parents: tuple[Directive, ...]) -> str:
    if any(parent.name == "stream" for parent in parents):
        return "stream"
    if any(parent.name == "http" for parent in parents):
        return "http"
    server = next((parent for parent in parents if parent.name == "server"), None)
    return _guess_context(server.block or []) if server is not None else "http"


def _level(parents: tuple[Directive, ...]) -> str:
    return parents[-1].name if parents else "main"


def variables_in(text: str, span: Span) -> list[NginxLogVariable]:
    """The variables of one format argument as written at ``span`` (quotes included)."""
    start, end = span.start, span.end
    if end - start >= 2 and text[start] in "\"'" and text[end - 1] == text[start]:
        start, end = start + 1, end - 1
    return [
        NginxLogVariable(match.group(1) or match.group(2), Span(match.start(), match.end()))
        for match in VARIABLE.finditer(text, start, end)
    ]


def log_format(ctx: FileContext, text: str, directive: Directive, parents: tuple[Directive, ...]) -> NginxLogFormat:
    first = 1
    escape = ""
    if len(directive.args) > 1 and directive.args[1].startswith("escape="):
        escape = directive.args[1].split("=", 1)[1]
        first = 2
    found: list[NginxLogVariable] = []
    for span in directive.arg_spans[first:]:
        found.extend(variables_in(text, span))
    return NginxLogFormat(
        source=ctx.source, span=directive.arg_spans[0], lang=LANG, name=directive.args[0],
        format="".join(directive.args[first:]), escape=escape, variables=found, context=_context(parents),
        directive=fact_directive(directive, _level(parents)),
    )


def access_log(ctx: FileContext, directive: Directive, parents: tuple[Directive, ...]) -> NginxAccessLog:
    off = directive.args[0] == "off"
    return NginxAccessLog(
        source=ctx.source, span=directive.span, lang=LANG, path="" if off else directive.args[0],
        format="" if off else (directive.args[1] if len(directive.args) > 1 else DEFAULT_FORMAT), off=off,
        level=_level(parents), context=_context(parents), directive=fact_directive(directive, _level(parents)),
    )


def slots(ctx: FileContext, text: str, config: Config) -> Iterator[NginxLogSlot]:
    """One slot per ``http {}`` block with a server, and one for a fragment's top-level http servers."""
    for directive in config.directives:
        if directive.name == "http" and directive.block is not None:
            server = next((d for d in directive.block if d.name == "server" and d.block is not None), None)
            if server is not None:
                yield _slot(ctx, text, server, directive.span)
    top = next((d for d in config.directives if d.name == "server" and d.block is not None
                and _guess_context(d.block) == "http"), None)
    if top is not None:
        yield _slot(ctx, text, top, None)


def _slot(ctx: FileContext, text: str, server: Directive, block: Span | None) -> NginxLogSlot:
    line_start = text.rfind("\n", 0, server.span.start) + 1
    before = text[line_start : server.span.start]
    own_line = not before.strip()
    return NginxLogSlot(
        source=ctx.source, span=server.name_span, lang=LANG, block=block,
        insert_at=line_start if own_line else server.span.start, indent=before if own_line else "",
        own_line=own_line,
    )
