"""``EnvFallback`` facts of JavaScript/TypeScript files: a ``NATS_*`` environment read with a
literal fallback: ``process.env.NATS_TOKEN || "dev"``, ``process.env["NATS_TOKEN"] ?? 'dev'``,
``import.meta.env.NATS_TOKEN || "dev"``, ``Deno.env.get("NATS_TOKEN") ?? "dev"``.

Found on the file's bytes (a file that never writes ``NATS`` costs one substring test), then
checked on its tree: a match inside a comment or a string is no read.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Iterator

from authlint.facts.model import EnvFallback, Fact
from authlint.files.source import Span

if TYPE_CHECKING:
    from authlint.run.context import FileContext

READ = re.compile(
    rb"""(?:process\.env|import\.meta\.env)(?:\.(?P<dot>NATS_\w*)|\[\s*(?P<q>["'])(?P<key>NATS_\w*)(?P=q)\s*\])"""
    rb"""|Deno\.env\.get\(\s*(?P<dq>["'])(?P<deno>NATS_\w*)(?P=dq)\s*\)"""
)
FALLBACK = re.compile(rb"""\s*(?:\|\||\?\?)\s*(?P<quote>["'`])(?P<value>(?:(?!(?P=quote))[^\\$\r\n])*)(?P=quote)""")
NOT_CODE = frozenset({"comment", "string", "template_string", "string_fragment", "regex"})


def extract(ctx: FileContext) -> Iterator[Fact]:
    data = ctx.source.utf8
    if b"NATS_" not in data:
        return
    root = ctx.tree.root_node  # a page's tree too (its scripts parsed in place, offsets the file's)
    for read in READ.finditer(data):
        fallback = FALLBACK.match(data, read.end())
        if fallback is None or _not_code(root, read.start()):
            continue
        variable = (read.group("dot") or read.group("key") or read.group("deno")).decode()
        char = ctx.source.char_offset
        span = Span(char(read.start()), char(fallback.end()))
        value_span = Span(char(fallback.start("value")), char(fallback.end("value")))
        yield EnvFallback(
            source=ctx.source, span=span, lang=ctx.source.kind, variable=variable,
            value=fallback.group("value").decode("utf-8", "replace"), value_span=value_span,
            drop=Span(char(read.end()), char(fallback.end())),
        )


def _not_code(root, at: int) -> bool:
    """Whether the byte at ``at`` sits in a comment, a string or a regex literal."""
    node = root.descendant_for_byte_range(at, at + 1)
    while node is not None:
        if node.type in NOT_CODE:
            return True
        node = node.parent
    return False
