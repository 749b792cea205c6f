"""One parser per file kind, imported lazily so a run only pays for the formats it meets."""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

from authlint.source import Source

if TYPE_CHECKING:
    from authlint.context import FileContext

# kind -> "module:function"; the function takes (source, ctx) and returns a tree or raises ParseError.
PARSERS: dict[str, str] = {
    "natsconf": "authlint.parsers.natsconf:parse_source",
    "python": "authlint.parsers.python:parse_source",
    "javascript": "authlint.parsers.javascript:parse_source",
    "typescript": "authlint.parsers.javascript:parse_source",
    "yaml": "authlint.parsers.yamlfile:parse_source",
    "jwt": "authlint.parsers.natsjwt:parse_source",
    "creds": "authlint.parsers.natsjwt:parse_source",
}


def parse(source: Source, ctx: FileContext) -> Any:
    target = PARSERS.get(source.kind)
    if target is None:
        return None
    module, _, function = target.partition(":")
    return getattr(import_module(module), function)(source, ctx)

