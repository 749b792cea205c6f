"""Facts from one nginx file: proxied locations, upstreams, maps and includes.

Every fact keeps the spans a fix needs: the directive to edit, and where a new directive line goes
inside a block (after its last line, at its indent), so rules build edits without the tree.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Iterator

from authlint.facts.model import (
    Fact,
    NginxInclude,
    NginxMap,
    NginxMapEntry,
    NginxProxy,
    NginxSnippet,
    NginxUpstream,
)
from authlint.facts.nginx.scopes import conditional, effective, fact_directive, own_settings
from authlint.files.source import Span
from authlint.syntax.nginx import Config, Directive

if TYPE_CHECKING:
    from authlint.run.context import FileContext

LANG = "nginx"
CONTEXTS = ("http", "stream")
# what picks an upstream server for a request: anything but plain round-robin
BALANCING = frozenset({"ip_hash", "hash", "sticky", "least_conn", "random", "least_time", "ntlm"})
INDENT = "    "


def extract(ctx: FileContext) -> Iterator[Fact]:
    config: Config = ctx.tree
    top = own_settings(config.directives, "main", inherited=False)
    if top:
        yield NginxSnippet(source=ctx.source, span=Span(0, 0), lang=LANG, settings=top)
    yield from _walk(ctx, config.directives, [("main", config.directives)], "", [], [], fragment=True)


def _walk(
    ctx: FileContext,
    block: list[Directive],
    chain: list[tuple[str, list[Directive]]],
    context: str,
    names: list[str],
    listens: list[str],
    fragment: bool = False,
    server: Span | None = None,
) -> Iterator[Fact]:
    """Facts of ``block``, whose enclosing blocks are ``chain`` (itself last). ``context``: the
    http/stream block it is in (guessed for a fragment, which has none in this file)."""
    level = chain[-1][0]
    for directive in block:
        name = directive.name
        inner = directive.block
        if name == "include" and directive.args:
            yield _include(ctx, directive, chain, level, names, listens)
        if inner is None:
            continue
        if name in CONTEXTS and level == "main":
            yield from _walk(ctx, inner, [*chain, (name, inner)], name, [], [], fragment=False)
        elif name == "server" and level in ("http", "stream", "main"):
            here = context or _guess_context(inner)
            server_names = [arg for d in inner if d.name == "server_name" for arg in d.args]
            server_listens = [" ".join(d.args) for d in inner if d.name == "listen"]
            sub = [*chain, ("server", inner)]
            if any(d.name == "proxy_pass" for d in inner):
                yield _proxy(ctx, directive, sub, here, server_names, server_listens, fragment, directive.span)
            yield from _walk(ctx, inner, sub, here, server_names, server_listens, fragment, directive.span)
        elif name == "location":
            sub = [*chain, ("location", inner)]
            if _passes(inner):
                yield _proxy(ctx, directive, sub, context or "http", names, listens, fragment, server)
            yield from _walk(ctx, inner, sub, context or "http", names, listens, fragment, server)
        elif name == "upstream" and directive.args:
            yield _upstream(ctx, directive, context or "http")
        elif name == "map" and len(directive.args) >= 2:
            yield _map(ctx, directive, context or "http")


def _passes(block: list[Directive]) -> bool:
    """Whether the location passes requests on: ``proxy_pass`` in it or in one of its ``if`` blocks."""
    for directive in block:
        if directive.name == "proxy_pass":
            return True
        if directive.name == "if" and directive.block is not None and _passes(directive.block):
            return True
    return False


def _guess_context(block: list[Directive]) -> str:
    """A fragment's server block: a TCP proxy (stream) has ``proxy_pass`` and no locations."""
    has_pass = any(d.name == "proxy_pass" for d in block)
    has_location = any(d.name == "location" for d in block)
    return "stream" if has_pass and not has_location else "http"


def _proxy(
    ctx: FileContext,
    directive: Directive,
    chain: list[tuple[str, list[Directive]]],
    context: str,
    names: list[str],
    listens: list[str],
    fragment: bool,
    server: Span | None,
) -> NginxProxy:
    block = directive.block or []
    target = _find_pass(block)
    insert_at, indent = insertion(ctx.source.text, directive)
    fact = NginxProxy(
        source=ctx.source, span=directive.name_span if target is None else target.span, lang=LANG,
        context=context, server_names=list(names), listens=list(listens), server=server,
        settings=effective([(level, inner) for level, inner in chain]), conditional=conditional(block),
        block=directive.body, insert_at=insert_at, indent=indent, fragment=fragment,
        includes=[fact_directive(d, level, inherited=index != len(chain) - 1)
                  for index, (level, inner) in enumerate(chain) for d in inner if d.name == "include" and d.args],
    )
    if directive.name == "location" and directive.args:
        fact.modifier = directive.args[0] if len(directive.args) > 1 else ""
        fact.location = directive.args[-1]
        first, last = directive.arg_spans[0], directive.arg_spans[-1]
        fact.location_span = Span(first.start, last.end)
    if target is not None and target.args:
        fact.target = target.args[0]
        fact.target_span = target.arg_spans[0]
        fact.upstream = upstream_name(target.args[0])
    return fact


def _find_pass(block: list[Directive]) -> Directive | None:
    for directive in block:
        if directive.name == "proxy_pass":
            return directive
    for directive in block:
        if directive.name == "if" and directive.block is not None:
            found = _find_pass(directive.block)
            if found is not None:
                return found
    return None


def upstream_name(target: str) -> str:
    """``http://app/`` -> ``app``; ``http://127.0.0.1:5000`` -> ``127.0.0.1:5000``; ``nats:4222``
    (stream) -> ``nats:4222``; ``unix:/run/app.sock`` -> ``unix:/run/app.sock``."""
    rest = target.split("://", 1)[1] if "://" in target else target
    if rest.startswith("unix:"):
        return rest
    return rest.split("/", 1)[0]


def insertion(text: str, directive: Directive) -> tuple[int | None, str]:
    """Where a new directive line goes in ``directive``'s block and its indent: after the block's
    last directive (or comment) line at that directive's indent; an empty block gets the block's
    own indent plus four spaces on a line after its ``{``. A block written on one line gets the
    new directive after its last one, on the same line (indent " ")."""
    body = directive.body
    if body is None:
        return None, ""
    own_indent = _indent_of(text, directive.span.start)
    inner = directive.block or []
    if not inner:
        if "\n" in text[body.start : body.end]:
            return body.start, (own_indent or "") + INDENT
        return body.start, " "
    last = inner[-1]
    indent = _indent_of(text, last.span.start)
    if indent is None:
        return last.span.end, " "
    line_end = text.find("\n", last.span.end)
    if line_end == -1 or line_end > body.end:
        return last.span.end, " "
    if line_end > 0 and text[line_end - 1] == "\r":
        line_end -= 1
    return line_end, indent


def _indent_of(text: str, at: int) -> str | None:
    """The blanks before ``at`` on its line; None when something else comes first on that line."""
    line_start = text.rfind("\n", 0, at) + 1
    before = text[line_start:at]
    return before if not before.strip() else None


def _upstream(ctx: FileContext, directive: Directive, context: str) -> NginxUpstream:
    block = directive.block or []
    insert_at, indent = insertion(ctx.source.text, directive)
    return NginxUpstream(
        source=ctx.source, span=directive.arg_spans[0], lang=LANG, name=directive.args[0], context=context,
        servers=[fact_directive(d, "upstream") for d in block if d.name == "server"],
        balancing=[fact_directive(d, "upstream") for d in block if d.name in BALANCING],
        block=directive.body, insert_at=insert_at, indent=indent,
    )


def _map(ctx: FileContext, directive: Directive, context: str) -> NginxMap:
    entries = [
        NginxMapEntry(d.name, d.args[0] if d.args else "", d.name_span, d.arg_spans[0] if d.arg_spans else d.name_span)
        for d in directive.block or []
    ]
    return NginxMap(
        source=ctx.source, span=directive.arg_spans[1], lang=LANG, source_var=directive.args[0],
        variable=directive.args[1], entries=entries, context=context,
    )


def _include(
    ctx: FileContext,
    directive: Directive,
    chain: list[tuple[str, list[Directive]]],
    level: str,
    names: list[str],
    listens: list[str],
) -> NginxInclude:
    return NginxInclude(
        source=ctx.source, span=directive.span, lang=LANG, pattern=directive.args[0], context=level,
        settings=effective(chain), server_names=list(names), listens=list(listens),
    )
