"""Secret values in Python files: what the facts locate (``code.code_secrets``), plus the Flask and
Django ``SECRET_KEY`` settings, which sign sessions and, unless ``JWT_SECRET_KEY`` is set, the
tokens of Flask-JWT-Extended and SimpleJWT, but are no fact of their own.

The settings are read from the parsed module (the tree the extractor already built): a module or
class assignment ``SECRET_KEY = "..."``, ``app.config["SECRET_KEY"] = "..."``, ``app.secret_key =
"..."``, ``config.update(SECRET_KEY="...")`` and a dict entry ``"SECRET_KEY": "..."``.
"""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING, Iterator

from authlint.facts.secrets.code import KEY_SETTINGS, code_secrets
from authlint.facts.secrets.literals import literal_spans
from authlint.files.source import Span

if TYPE_CHECKING:
    from authlint.run.context import FileContext

SECRET_ATTRIBUTES = frozenset({"secret_key"})  # Flask ``app.secret_key``


def find(ctx: FileContext) -> Iterator[Span]:
    yield from code_secrets(ctx)
    text = ctx.source.text
    if "SECRET_KEY" in text or "SIGNING_KEY" in text or "secret_key" in text:
        yield from settings_secrets(ctx)


def settings_secrets(ctx: FileContext) -> Iterator[Span]:
    """The literal values of key settings written anywhere in the module."""
    from authlint.facts.python.positions import Positions

    positions = Positions(ctx.source)
    text = ctx.source.text
    for value in _setting_values(ctx.tree):
        if isinstance(value, ast.Constant) and isinstance(value.value, (str, bytes)):
            yield from literal_spans(text, positions.span(value))


def _setting_values(module: ast.Module) -> Iterator[ast.expr]:
    for node in ast.walk(module):
        if isinstance(node, ast.Assign):
            if any(_names_setting(target) for target in node.targets):
                yield node.value
        elif isinstance(node, ast.AnnAssign):
            if node.value is not None and _names_setting(node.target):
                yield node.value
        elif isinstance(node, ast.Call):
            for keyword in node.keywords:
                if keyword.arg in KEY_SETTINGS:
                    yield keyword.value
        elif isinstance(node, ast.Dict):
            for key, value in zip(node.keys, node.values):
                if isinstance(key, ast.Constant) and key.value in KEY_SETTINGS:
                    yield value


def _names_setting(target: ast.expr) -> bool:
    """``SECRET_KEY``, ``x.config["SECRET_KEY"]``, ``app.secret_key``."""
    if isinstance(target, ast.Name):
        return target.id in KEY_SETTINGS
    if isinstance(target, ast.Subscript):
        index = target.slice
        return isinstance(index, ast.Constant) and index.value in KEY_SETTINGS
    if isinstance(target, ast.Attribute):
        return target.attr in SECRET_ATTRIBUTES
    return False
