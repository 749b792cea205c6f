"""The Python fact extractor (libcst): one parse, one position pass, one traversal per file.

Families live in their own modules (``socketio``, ``cors``, ``pyjwt``, ``small``); ``resolve`` follows
imports, aliases and constants; ``collect`` is the single visitor that ties them together.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Iterable

from authlint.extract.python.collect import Collector
from authlint.extract.python.positions import node_spans
from authlint.extract.python.resolve import Resolver
from authlint.facts import Fact

if TYPE_CHECKING:
    from authlint.context import FileContext


def extract(ctx: FileContext) -> Iterable[Fact]:
    module = ctx.tree
    positions, in_bytes = node_spans(module)  # keyed by the very nodes we walk (no copy)
    collector = Collector(ctx.source, Resolver(ctx.source, positions, in_bytes))
    collector.walk(module)
    return collector.finish()
