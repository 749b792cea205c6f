"""``CredentialChannel`` facts of a Python file: cookie sessions (Flask ``session``, Flask-Login,
``request.cookies``, DRF ``SessionAuthentication``) and bearer tokens (the ``Authorization``
header read, FastAPI ``HTTPBearer``, DRF token classes). One fact per kind of evidence and file:
rules want to know that, and where it is first seen, not every read."""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING, Iterable

from authlint.facts.knowledge.credential_channels import (
    PYTHON_IMPORT_WORDS,
    PYTHON_IMPORTS,
    PYTHON_PROBE,
    PYTHON_READ_WORDS,
    PYTHON_STRING_WORDS,
    PYTHON_STRINGS,
)
from authlint.facts.model import AMBIENT, EXPLICIT, CredentialChannel, Fact
from authlint.facts.python.lines import lines_with, nodes_on
from authlint.facts.python.positions import Positions
from authlint.facts.python.resolve import Resolver, dotted, string_value

if TYPE_CHECKING:
    from authlint.run.context import FileContext

HEADER_MAPS = ("headers", "meta", "environ")
AUTHORIZATION_KEYS = frozenset({"authorization", "http_authorization"})
REQUESTS = frozenset({"request", "req", "self.request"})


def _named(resolver: Resolver, node: ast.AST) -> str | None:
    """The qualified name an import or a use refers to, when it is one the knowledge table lists."""
    qual = resolver.qualname(node) if isinstance(node, (ast.Name, ast.Attribute)) else None
    if qual is None:
        return None
    for name in (qual, qual.split(".", 1)[0]):
        if name in PYTHON_IMPORTS:
            return name
    return None


def _header_key(node: ast.AST) -> str | None:
    """``X.headers.get("K")`` / ``X.headers["K"]`` / ``X.META.get("K")``: the key, lower-cased."""
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.args:
        holder, key = node.func.value, string_value(node.args[0])
        if node.func.attr not in ("get", "getone", "getall"):
            return None
    elif isinstance(node, ast.Subscript):
        holder, key = node.value, string_value(node.slice)
    else:
        return None
    if key is None or (dotted(holder) or "").lower().rsplit(".", 1)[-1] not in HEADER_MAPS:
        return None
    return key.lower()


def _evidence(resolver: Resolver, node: ast.AST, names: bool, reads: bool, strings: bool) -> tuple[str, str] | None:
    """The evidence ``node`` shows, looking only for the kinds the file's words allow."""
    if isinstance(node, (ast.Name, ast.Attribute)):
        if not isinstance(getattr(node, "ctx", None), ast.Load):
            return None
        name = _named(resolver, node) if names else None
        if name is not None:
            return PYTHON_IMPORTS[name]
        if reads and isinstance(node, ast.Attribute) and node.attr in ("cookies", "COOKIES") and (dotted(node.value) or "") in REQUESTS:
            return AMBIENT, f"`{dotted(node)}`"
        return None
    if reads and isinstance(node, (ast.Call, ast.Subscript)):
        key = _header_key(node)
        if key in AUTHORIZATION_KEYS:
            return EXPLICIT, "the `Authorization` header"
        if key in ("cookie", "http_cookie"):
            return AMBIENT, "the `Cookie` header"
        return None
    if strings and isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value in PYTHON_STRINGS:
        return PYTHON_STRINGS[node.value]
    return None


def extract(ctx: FileContext) -> Iterable[Fact]:
    text = ctx.source.text
    if not any(word in text for word in PYTHON_PROBE):
        return []
    names = any(word in text for word in PYTHON_IMPORT_WORDS)
    reads = any(word in text for word in PYTHON_READ_WORDS)
    strings = any(word in text for word in PYTHON_STRING_WORDS)
    if not (names or reads or strings):
        return []
    lines = text.splitlines()
    resolver = Resolver(ctx.source, Positions(ctx.source))
    words: list[str] = []
    if names:
        for node in nodes_on(ctx.tree, lines_with(lines, ("import",))):
            if isinstance(node, (ast.Import, ast.ImportFrom)):
                resolver.add_import(node)
        # the local names bound to a module the table lists (``from flask import session as s``: ``s``)
        words = [local for local, qual in resolver.imports.items() if _listed(qual)]
        names = bool(words)
    if reads:
        words.extend((*PYTHON_READ_WORDS, "cookies", "COOKIES"))
    if strings:
        words.extend(PYTHON_STRING_WORDS)
    found: dict[tuple[str, str], CredentialChannel] = {}
    for node in nodes_on(ctx.tree, lines_with(lines, words)):
        seen = _evidence(resolver, node, names, reads, strings)
        if seen is None:
            continue
        span = resolver.span(node)
        if seen not in found or span.start < found[seen].span.start:  # where it is first seen in the file
            channel, via = seen
            found[seen] = CredentialChannel(ctx.source, span, "python", channel=channel, via=via)
    return sorted(found.values(), key=lambda fact: fact.span.start)


def _listed(qual: str) -> bool:
    """Whether an imported name is, or leads to, a name ``PYTHON_IMPORTS`` lists."""
    return any(key == qual or key.startswith(qual + ".") or qual.startswith(key + ".") for key in PYTHON_IMPORTS)
