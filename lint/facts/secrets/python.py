"""Secret values in Python files: what the facts locate (``code.code_secrets``), plus the Flask and
Django ``SECRET_KEY`` settings, which sign sessions and, unless ``JWT_SECRET_KEY`` is set, the
tokens of Flask-JWT-Extended and SimpleJWT, but are no fact of their own.

Beyond those, a string literal bound to any name that says it holds a secret (``JWT_SECRET =
"..."``, ``connect(password="...")``, ``{"api_key": "..."}``; not ``TOKEN_TTL``, ``SECRET_NAME``:
``names.secret_name``) is one: in a config module the author wrote it there, whatever reads it.

The settings are read from the parsed module (the tree the extractor already built): a module or
class assignment ``SECRET_KEY = "..."``, ``app.config["SECRET_KEY"] = "..."``, ``app.secret_key =
"..."``, ``config.update(SECRET_KEY="...")`` and a dict entry ``"SECRET_KEY": "..."``.
"""

from __future__ import annotations

import ast
import re
from bisect import bisect_left
from typing import TYPE_CHECKING, Iterator

from authlint.facts.model import Expr
from authlint.facts.secrets.code import KEY_SETTINGS, code_secrets, known_names, without
from authlint.facts.secrets.literals import literal_spans
from authlint.facts.secrets.names import binds_named_literal, secret_name, secret_text
from authlint.files.source import Span

if TYPE_CHECKING:
    from authlint.run.context import FileContext

SECRET_WORD = re.compile(r"pass|token|secret|api|private|seed|credential|signing", re.IGNORECASE)
SECRET_ATTRIBUTES = frozenset({"secret_key"})  # Flask ``app.secret_key``
MAX_CHAIN = 8  # names followed from a use to its literal, as the extractor's own depth


def find(ctx: FileContext) -> Iterator[Span]:
    yield from code_secrets(ctx, ConstantChains(ctx))
    text = ctx.source.text
    if "SECRET_KEY" in text or "SIGNING_KEY" in text or "secret_key" in text or binds_named_literal(text):
        yield from without(settings_secrets(ctx), known_names(ctx))


class ConstantChains:
    """Follows ``KEY = SECRET`` / ``SECRET = "x"`` to the literal: the extractor's ``Expr.origin``
    is the bound value, here the name ``SECRET``. Every assignment of the name in the module is a
    candidate, and a literal counts only when its value is the one the extractor computed, so a
    same-named variable elsewhere is never taken for the secret."""

    def __init__(self, ctx: FileContext) -> None:
        self.ctx = ctx
        self._bindings: dict[str, list[ast.expr]] | None = None

    def __call__(self, expr: Expr) -> Iterator[Span]:
        from authlint.facts.python.positions import Positions

        if expr.origin is None:
            return
        text = self.ctx.source.text
        wanted = expr.value.decode("latin-1") if isinstance(expr.value, bytes) else expr.value
        names, seen = [text[expr.origin.start : expr.origin.end].strip()], set()
        positions = None
        while names and len(seen) < MAX_CHAIN:
            name = names.pop()
            if not name.isidentifier() or name in seen:
                continue
            seen.add(name)
            for value in self.bindings.get(name, ()):
                if isinstance(value, ast.Name):
                    names.append(value.id)
                elif isinstance(value, ast.Constant) and _text(value.value) == wanted:
                    positions = positions or Positions(self.ctx.source)
                    yield from literal_spans(text, positions.span(value))

    @property
    def bindings(self) -> dict[str, list[ast.expr]]:
        """Name -> every value assigned to it anywhere in the module (built once, on first need)."""
        if self._bindings is None:
            self._bindings = {}
            for node in ast.walk(self.ctx.tree):
                targets = node.targets if isinstance(node, ast.Assign) else (
                    [node.target] if isinstance(node, ast.AnnAssign) and node.value is not None else [])
                for target in targets:
                    if isinstance(target, ast.Name):
                        self._bindings.setdefault(target.id, []).append(node.value)  # type: ignore[union-attr, arg-type]
        return self._bindings


def _text(value: object) -> object:
    return value.decode("latin-1") if isinstance(value, bytes) else value


def settings_secrets(ctx: FileContext) -> Iterator[Span]:
    """The literal values of key settings written anywhere in the module."""
    from authlint.facts.python.positions import Positions

    positions = Positions(ctx.source)
    text = ctx.source.text
    for value in _setting_values(ctx.tree, _secret_word_lines(text)):
        if isinstance(value, ast.Constant) and (
            isinstance(value.value, bytes) or isinstance(value.value, str) and secret_text(value.value)
        ):
            yield from literal_spans(text, positions.span(value))


def _secret_word_lines(text: str) -> list[int]:
    """The 1-based lines holding a secret word: only statements spanning one are looked at."""
    lines, line, last = [], 1, 0
    for match in SECRET_WORD.finditer(text):
        line += text.count("\n", last, match.start())
        last = match.start()
        if not lines or lines[-1] != line:
            lines.append(line)
    return lines


def _pruned_walk(module: ast.Module, lines: list[int]) -> Iterator[ast.AST]:
    """``ast.walk`` without the subtrees whose lines hold no secret word (most of a big module)."""
    stack: list[ast.AST] = [module]
    while stack:
        node = stack.pop()
        first = getattr(node, "lineno", None)
        if first is not None:
            last = getattr(node, "end_lineno", None) or first
            at = bisect_left(lines, first)
            if at == len(lines) or lines[at] > last:
                continue
        yield node
        stack.extend(ast.iter_child_nodes(node))


def _setting_values(module: ast.Module, lines: list[int]) -> Iterator[ast.expr]:
    for node in _pruned_walk(module, lines):
        if isinstance(node, ast.Assign):
            if any(_names_setting(target) for target in node.targets):
                yield node.value
        elif isinstance(node, ast.AnnAssign):
            if node.value is not None and _names_setting(node.target):
                yield node.value
        elif isinstance(node, ast.Call):
            for keyword in node.keywords:
                if keyword.arg is not None and _secret_key(keyword.arg):
                    yield keyword.value
        elif isinstance(node, ast.Dict):
            for key, value in zip(node.keys, node.values):
                if isinstance(key, ast.Constant) and isinstance(key.value, str) and _secret_key(key.value):
                    yield value


def _names_setting(target: ast.expr) -> bool:
    """``SECRET_KEY``, ``x.config["SECRET_KEY"]``, ``app.secret_key``, ``self.password``."""
    if isinstance(target, ast.Name):
        return _secret_key(target.id)
    if isinstance(target, ast.Subscript):
        index = target.slice
        return isinstance(index, ast.Constant) and isinstance(index.value, str) and _secret_key(index.value)
    if isinstance(target, ast.Attribute):
        return target.attr in SECRET_ATTRIBUTES or secret_name(target.attr)
    return False


def _secret_key(name: str) -> bool:
    """A setting that signs (``SECRET_KEY``) or any name that says it holds a secret (``JWT_SECRET``,
    ``password``, ``NATS_TOKEN``; not ``TOKEN_TTL``): a string literal bound to it is one."""
    return name in KEY_SETTINGS or secret_name(name)
