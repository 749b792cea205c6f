"""The Python fact extractor (stdlib ``ast``): one parse, one traversal per file.

Families live in their own modules (``socketio``, ``cors``, ``jwt``, ``cookies``, ``nats``); ``resolve`` follows
imports, aliases and constants; ``collect`` is the single visitor that ties them together;
``positions`` turns ``ast``'s byte columns into the character spans facts carry.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Iterable

from authlint.facts.model import Fact
from authlint.facts.python import jwt_peeks, modules
from authlint.facts.python.collect import Collector
from authlint.facts.python.positions import Positions
from authlint.facts.python.resolve import Resolver
from authlint.syntax.errors import ParseError

if TYPE_CHECKING:
    from authlint.run.context import FileContext


def extract(ctx: FileContext) -> Iterable[Fact]:
    module = ctx.tree
    try:
        collector = Collector(ctx.source, Resolver(ctx.source, Positions(ctx.source)))
        collector.walk(module)  # iterative: deeply nested generated code needs no recursion limit
        facts = collector.finish()
        jwt_peeks.mark(collector.r, module, facts)  # needs every JWT fact of the file
        offered = modules.module_values(  # after the walk: every module binding known
            collector.r, module, ctx.source, collector.servers(), collector.config_writes, collector.config_calls)
        if offered is not None:
            facts.append(offered)
        return facts
    except RecursionError:  # a safety net only: evaluation recursion is depth-bounded
        raise ParseError("Python source nested too deeply to analyse") from None
