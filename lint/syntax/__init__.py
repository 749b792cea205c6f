"""One parser per file kind, imported lazily so a run only pays for the formats it meets."""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

from authlint.files.source import Source

if TYPE_CHECKING:
    from authlint.run.context import FileContext

# kind -> "module:function"; the function takes (source, ctx) and returns a tree or raises ParseError.
PARSERS: dict[str, str] = {
    "natsconf": "authlint.syntax.natsconf:parse_source",
    "python": "authlint.syntax.python:parse_source",
    "javascript": "authlint.syntax.javascript:parse_source",
    "typescript": "authlint.syntax.javascript:parse_source",
    "yaml": "authlint.syntax.yamlfile:parse_source",
    "jwt": "authlint.syntax.natsjwt:parse_source",
    "creds": "authlint.syntax.natsjwt:parse_source",
    "dotenv": "authlint.syntax.dotenv:parse_source",
    "dockerfile": "authlint.syntax.dockerfile:parse_source",
    "procfile": "authlint.syntax.procfile:parse_source",
    "json": "authlint.syntax.jsonfile:parse_source",
    "nginx": "authlint.syntax.nginx:parse_source",
    "hocon": "authlint.syntax.hocon:parse_source",
}


def parse(source: Source, ctx: FileContext) -> Any:
    target = PARSERS.get(source.kind)
    if target is None:
        return None
    module, _, function = target.partition(":")
    return getattr(import_module(module), function)(source, ctx)

