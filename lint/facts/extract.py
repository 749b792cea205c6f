"""Fact extractors per file kind, imported lazily (tree-sitter only when needed)."""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING

from authlint.facts.model import FileFacts

if TYPE_CHECKING:
    from authlint.run.context import FileContext

# kind -> "module:function"s; each takes a FileContext and returns an iterable of facts.
EXTRACTORS: dict[str, tuple[str, ...]] = {
    "python": ("authlint.facts.python:extract",),
    "javascript": ("authlint.facts.javascript:extract",),
    "typescript": ("authlint.facts.javascript:extract",),
    "yaml": ("authlint.facts.yaml.extract:extract",),
    "natsconf": ("authlint.facts.natsconf.extract:extract",),
}


def extract(ctx: FileContext) -> FileFacts:
    facts = FileFacts()
    for target in EXTRACTORS.get(ctx.kind, ()):
        module, _, function = target.partition(":")
        try:
            extractor = getattr(import_module(module), function)
        except ModuleNotFoundError as exc:
            if exc.name and exc.name.startswith("authlint."):
                continue  # that language's extractor has not landed yet
            raise
        for fact in extractor(ctx):
            facts.add(fact)
    facts.items.sort(key=lambda fact: (fact.span.start, fact.span.end))
    return facts
