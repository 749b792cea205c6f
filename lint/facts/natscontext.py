"""nats CLI contexts committed to a project: ``context/NAME.json`` (the layout ``nats context save``
writes under ``~/.config/nats/context/``; a dotfiles repository commits ``.config/nats/context``).

The CLI's context file is one JSON object; the keys read here are the connection settings it
connects with: ``url`` (one or more comma-separated servers), ``token``, ``user``, ``password``,
``creds`` and ``nkey`` (paths to a credentials or seed file). Other keys (``description``, TLS
files, JetStream domain, ...) are not about who connects. A file counts as a context by its place
(a ``context`` folder) and shape (an object whose settings are strings, holding ``url`` or a
credential); any other JSON is left alone.
"""

from __future__ import annotations

import json
import posixpath
import re
from typing import TYPE_CHECKING, Iterator

from authlint.facts.model import EnvSetting, Fact, NatsContext
from authlint.files.source import Span

if TYPE_CHECKING:
    from authlint.run.context import FileContext

CONNECTION_KEYS = ("url", "token", "user", "password", "creds", "nkey")
SECRET_KEYS = frozenset({"token", "password"})
CONTEXT_PATH = re.compile(r"(?:^|/)context/[^/]+\.json$")


def is_context_path(relpath: str) -> bool:
    return CONTEXT_PATH.search(relpath) is not None


def _value_span(text: str, key: str, value: str) -> Span:
    """Where the key's string value is written (inside its quotes): the first ``"key": "..."``
    whose decoded value is ``value``; the whole match when the escapes differ."""
    for match in re.finditer(r'"' + re.escape(key) + r'"\s*:\s*"((?:[^"\\]|\\.)*)"', text):
        try:
            if json.loads('"' + match.group(1) + '"') == value:
                return Span(match.start(1), match.end(1))
        except ValueError:
            continue
    return Span(0, 0)


def settings(ctx: FileContext) -> list[EnvSetting]:
    """The context's connection settings, in key order; [] when the file is no nats context."""
    if not is_context_path(ctx.source.relpath):
        return []
    tree = ctx.tree
    if not isinstance(tree, dict) or not any(key in tree for key in CONNECTION_KEYS):
        return []
    text = ctx.source.text
    found = []
    for key in CONNECTION_KEYS:
        value = tree.get(key)
        if isinstance(value, str) and value:
            found.append(EnvSetting(key, value, _value_span(text, key, value)))
    return found


def extract(ctx: FileContext) -> Iterator[Fact]:
    found = settings(ctx)
    if found:
        name = posixpath.splitext(posixpath.basename(ctx.source.relpath))[0]
        yield NatsContext(source=ctx.source, span=found[0].span, lang="json", name=name, settings=found)


def find(ctx: FileContext) -> Iterator[Span]:
    """The secret finder of JSON files: a context's ``token`` and ``password`` values (a seed or a
    URL password anywhere in JSON is the pattern set's)."""
    for setting in settings(ctx):
        if setting.name in SECRET_KEYS and setting.span.end > setting.span.start:
            yield setting.span
