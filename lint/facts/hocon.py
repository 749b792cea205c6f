"""Facts from HOCON files: the CORS policies of Play's CORS filter and of akka-http-cors (and its
successors, Akka HTTP's and Pekko HTTP's cors modules), as ``CorsPolicy`` facts settled like every
other library's (``facts.origins.settle``), so COR001-COR003 read them unchanged.

Values come from pyhocon's tree (HOCON's merging: the last assignment wins); spans from the text
(``syntax.hocon``). What each library does with a value it is not given is its ``reference.conf``
default (``knowledge.cors_origins``).

Play's filter is reported only when this file enables it (``play.filters.enabled`` lists
``play.filters.cors.CORSFilter``) or configures it (writes any ``play.filters.cors`` setting), and
never when it disables it (``play.filters.disabled``): Play does not run the CORS filter by default,
and an app that turns it on in code (an ``HttpFilters`` class) configures it here when it changes a
default. akka-http-cors is reported when the file configures it: it runs only where code calls its
``cors()`` directive, and its settings are read from here.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Iterator

from authlint.facts.model import UNKNOWN, CorsPolicy, Expr, Fact, Option, OptionBag
from authlint.facts.origins import settle
from authlint.files.source import Span
from authlint.syntax.hocon import UNRESOLVED, Document, Field

if TYPE_CHECKING:
    from authlint.run.context import FileContext

LANG = "hocon"
PLAY = ("play", "filters", "cors")
PLAY_ENABLED = ("play", "filters", "enabled")
PLAY_DISABLED = ("play", "filters", "disabled")
CORS_FILTER = "play.filters.cors.CORSFilter"
# the block each akka-http-cors generation reads, and the name messages give it
AKKA = {
    ("akka-http-cors",): "akka-http-cors",
    ("akka", "http", "cors"): "akka-http",
    ("pekko", "http", "cors"): "pekko-http",
}
TRUE = frozenset({"true", "yes", "on"})
FALSE = frozenset({"false", "no", "off"})


def extract(ctx: FileContext) -> Iterator[Fact]:
    document: Document = ctx.tree
    play = _play(ctx, document)
    if play is not None:
        yield play
    for prefix, name in AKKA.items():
        policy = _akka(ctx, document, prefix, name)
        if policy is not None:
            yield policy


# -- Play ------------------------------------------------------------------------------------------


def _play(ctx: FileContext, document: Document) -> CorsPolicy | None:
    enabling = _listing(ctx, document, PLAY_ENABLED)
    configured = document.under(PLAY)
    if _listing(ctx, document, PLAY_DISABLED) is not None or (enabling is None and not configured):
        return None
    origins_path = (*PLAY, "allowedOrigins")
    written = document.assigned(origins_path)
    value = document.value(origins_path, default=_UNSET)
    origins: Expr | None = None
    switch: Option | None = None
    if written is not None and value is None:  # `allowedOrigins = null`: every origin, as unset
        switch = _option(ctx, written, None)
    elif written is not None and value is not _UNSET:
        origins = _origins(ctx, written, value)
    library = "play-cors-star-entry" if isinstance(value, list) and "*" in value else "play-cors"
    anchor = written or (configured[-1] if configured else None) or enabling
    span = written.value if written is not None else _where(document, PLAY, anchor)
    policy = CorsPolicy(
        source=ctx.source, span=span, lang=LANG, framework="play-cors", origins=origins,
        credentials=_credentials(ctx, document, (*PLAY, "supportsCredentials")),
        options=_bag(ctx, document, PLAY, configured, enabling),
    )
    return settle(policy, library=library, switch=switch)


def _listing(ctx: FileContext, document: Document, path: tuple[str, ...]) -> Field | None:
    """The assignment of ``path`` that lists Play's CORS filter (``+= "…CORSFilter"`` or a list)."""
    for assigned in reversed(document.assignments(path)):
        if CORS_FILTER in _strings(ctx, assigned):
            return assigned
    value = document.value(path)
    if isinstance(value, list) and CORS_FILTER in value:
        return document.assigned(path)
    return None


def _strings(ctx: FileContext, assigned: Field) -> list[str]:
    """The strings an assignment writes: a list's elements, or its one string."""
    if assigned.elements is not None:
        return [element.text for element in assigned.elements]
    return [_unquoted(ctx.source.slice(assigned.value))]


def _where(document: Document, prefix: tuple[str, ...], anchor: Field | None) -> Span:
    """Where a policy nothing sets the origins of is reported: the key of its block (``cors {``),
    else the setting that configures or enables it."""
    blocks = [block.key for block in document.blocks_at(prefix) if block.key is not None]
    if blocks:
        return blocks[-1]
    assert anchor is not None  # a policy is read only where a block or a setting shows it
    return anchor.span


# -- akka-http-cors --------------------------------------------------------------------------------


def _akka(ctx: FileContext, document: Document, prefix: tuple[str, ...], name: str) -> CorsPolicy | None:
    configured = document.under(prefix)
    if not configured and not document.blocks_at(prefix):
        return None
    origins_path = (*prefix, "allowed-origins")
    written = document.assigned(origins_path)
    value = document.value(origins_path, default=_UNSET)
    origins = _origins(ctx, written, value, split=True) if written is not None and value is not _UNSET else None
    anchor = written or (configured[-1] if configured else None)
    span = written.value if written is not None else _where(document, prefix, anchor)
    policy = CorsPolicy(
        source=ctx.source, span=span, lang=LANG, framework=name, origins=origins,
        credentials=_credentials(ctx, document, (*prefix, "allow-credentials")),
        options=_bag(ctx, document, prefix, configured, None),
    )
    return settle(policy)


# -- values ----------------------------------------------------------------------------------------


class _Unset:
    pass


_UNSET: Any = _Unset()


def _origins(ctx: FileContext, written: Field, value: Any, split: bool = False) -> Expr:
    """The origins setting as an ``Expr``: a list with its elements' spans, or one string
    (akka-http-cors reads a string as origins separated by spaces)."""
    text = ctx.source.slice(written.value)
    if value is UNRESOLVED or written.append:  # `${?CORS_ORIGINS}`, `+= "…"`: known only at run time
        return Expr(written.value, text, UNKNOWN, ref=f"hocon:{text}")
    if isinstance(value, list):
        items = None
        if written.elements is not None and len(written.elements) == len(value):
            items = [Expr(element.span, ctx.source.slice(element.span), item)
                     for element, item in zip(written.elements, value)]
        return Expr(written.value, text, value, items=items)
    if isinstance(value, str) and split and " " in value.strip():
        return Expr(written.value, text, value.split())
    return Expr(written.value, text, value if isinstance(value, str) else UNKNOWN)


def _credentials(ctx: FileContext, document: Document, path: tuple[str, ...]) -> Expr | None:
    """The credentials switch: HOCON booleans (``true``/``yes``/``on`` and their opposites); None
    when unset (the library default decides)."""
    written = document.assigned(path)
    if written is None:
        return None
    value = document.value(path)
    text = ctx.source.slice(written.value)
    if isinstance(value, str) and value.strip().lower() in TRUE | FALSE:
        value = value.strip().lower() in TRUE
    return Expr(written.value, text, value if isinstance(value, bool) else UNKNOWN)


def _option(ctx: FileContext, written: Field, value: Any) -> Option:
    expr = Expr(written.value, ctx.source.slice(written.value), value)
    return Option(ctx.source.slice(written.name).strip('"'), expr, written.span, written.name)


def _bag(ctx: FileContext, document: Document, prefix: tuple[str, ...], configured: list[Field],
         enabling: Field | None) -> OptionBag:
    """The policy's settings, and where a missing one is added: a new member line of its block
    (``cors {``), else a new line after the last line setting it (or enabling it), written with the
    dotted path the block would give (``play.filters.cors.allowedOrigins = …``)."""
    bag = OptionBag(form="hocon")
    for assigned in configured:
        if len(assigned.path) == len(prefix) + 1:
            bag.items[assigned.path[-1]] = _option(ctx, assigned, document.value(assigned.path))
    text = ctx.source.text
    blocks = [block for block in document.blocks_at(prefix) if block.key is not None]
    if blocks:
        block = blocks[-1]
        inside = [f for f in configured if block.body.start <= f.span.start < block.body.end]
        if block.members_indent and inside:
            bag.insert_at, bag.insert_prefix = inside[-1].value.end, "\n" + block.members_indent
        elif block.members_indent:
            bag.insert_at, bag.insert_prefix = _line_end(text, block.body.start), "\n" + block.members_indent
        else:
            content = text[block.body.start : block.body.end].rstrip()
            bag.insert_at = block.body.start + len(content)
            bag.insert_prefix = ", " if content.strip() else " "
        return bag
    after = configured[-1] if configured else enabling
    if after is None:
        return bag
    line_start = text.rfind("\n", 0, after.key.start) + 1
    indent = text[line_start : after.key.start]
    if indent.strip():  # shares its line with other settings: no new line can be placed safely
        return bag
    enclosing = after.path[: after.depth]
    if enclosing != prefix[: len(enclosing)]:
        return bag
    dotted = ".".join(prefix[len(enclosing) :])
    bag.insert_at = after.value.end
    bag.insert_prefix = "\n" + indent + (dotted + "." if dotted else "")
    return bag


def _line_end(text: str, at: int) -> int:
    end = text.find("\n", at)
    return len(text) if end == -1 else end


def _unquoted(text: str) -> str:
    text = text.strip()
    if len(text) >= 2 and text[0] == text[-1] == '"':
        return text[1:-1]
    return text
