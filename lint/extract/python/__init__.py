"""The Python fact extractor (libcst): one parse, one position pass, one traversal per file.

Families live in their own modules (``socketio``, ``cors``, ``pyjwt``, ``small``); ``resolve`` follows
imports, aliases and constants; ``collect`` is the single visitor that ties them together.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Iterable

from libcst.metadata import ByteSpanPositionProvider, MetadataWrapper

from authlint.extract.python.collect import Collector
from authlint.extract.python.resolve import Resolver
from authlint.facts import Fact

if TYPE_CHECKING:
    from authlint.context import FileContext


def extract(ctx: FileContext) -> Iterable[Fact]:
    module = ctx.tree
    # unsafe_skip_copy: positions are keyed by the very nodes we walk; copying doubles the cost.
    wrapper = MetadataWrapper(module, unsafe_skip_copy=True)
    positions = wrapper.resolve(ByteSpanPositionProvider)
    collector = Collector(ctx.source, Resolver(ctx.source, positions))
    module.visit(collector)
    return collector.finish()
