"""The Python fact extractor (libcst): one parse, one position pass, one traversal per file.

Families live in their own modules (``socketio``, ``cors``, ``pyjwt``, ``small``); ``resolve`` follows
imports, aliases and constants; ``collect`` is the single visitor that ties them together.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Iterable

from authlint.context import ParseError
from authlint.extract.python.collect import Collector
from authlint.extract.python.positions import node_spans
from authlint.extract.python.resolve import Resolver
from authlint.facts import Fact

if TYPE_CHECKING:
    from authlint.context import FileContext

# libcst's code generation and our walker recurse once per nesting level (a 500-term string
# concatenation is 500 levels deep); Python 3.11+ frames are cheap, so allow generated code.
RECURSION_LIMIT = 12000 if sys.version_info >= (3, 11) else 4000


def extract(ctx: FileContext) -> Iterable[Fact]:
    module = ctx.tree
    previous = sys.getrecursionlimit()
    sys.setrecursionlimit(max(previous, RECURSION_LIMIT))
    try:
        positions, in_bytes = node_spans(module)  # keyed by the very nodes we walk (no copy)
        collector = Collector(ctx.source, Resolver(ctx.source, positions, in_bytes))
        collector.walk(module)
        return collector.finish()
    except RecursionError:
        raise ParseError("Python source nested too deeply to analyse") from None
    finally:
        sys.setrecursionlimit(previous)
