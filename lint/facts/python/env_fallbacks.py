"""``EnvFallback`` facts of Python files: a ``NATS_*`` environment read with a literal default.

``os.environ.get("NATS_TOKEN", "dev")``, ``os.getenv("NATS_TOKEN", "dev")`` (also
``default="dev"``), ``os.environ.setdefault("NATS_TOKEN", "dev")`` and
``os.environ.get("NATS_TOKEN") or "dev"``. Only variables named ``NATS_...`` are read (what NAT004,
NAT005 and NAT014 judge); a file that never writes ``NATS`` is not walked at all.
"""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING, Iterator

from authlint.facts.model import EnvFallback, Fact
from authlint.facts.python.lines import lines_with, nodes_on
from authlint.facts.python.positions import Positions
from authlint.files.source import Span

if TYPE_CHECKING:
    from authlint.run.context import FileContext

PREFIX = "NATS"


def _variable(node: ast.expr) -> str | None:
    """The variable an environment read names, when ``node`` is one (any default aside)."""
    if not isinstance(node, ast.Call) or not node.args:
        return None
    first = node.args[0]
    if not isinstance(first, ast.Constant) or not isinstance(first.value, str):
        return None
    func = node.func
    if isinstance(func, ast.Attribute) and func.attr in ("get", "setdefault"):
        owner = func.value
        named = owner.attr if isinstance(owner, ast.Attribute) else owner.id if isinstance(owner, ast.Name) else ""
        if named != "environ":
            return None
    elif not (isinstance(func, ast.Attribute) and func.attr == "getenv" or isinstance(func, ast.Name) and func.id == "getenv"):
        return None
    return first.value if first.value.upper().startswith(PREFIX) else None


def _default(call: ast.Call) -> ast.expr | None:
    if len(call.args) > 1:
        return call.args[1]
    return next((k.value for k in call.keywords if k.arg in ("default", "value")), None)


def _literal(node: ast.expr | None) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def extract(ctx: FileContext) -> Iterator[Fact]:
    lowered = ctx.source.text.lower()
    if PREFIX.lower() not in lowered:
        return
    positions = Positions(ctx.source)
    # a read naming ``NATS_...`` lies on a line holding it (the tree is walked there only)
    for node in nodes_on(ctx.tree, lines_with(lowered.splitlines(), (PREFIX.lower(),))):
        found: tuple[ast.expr, str, ast.expr, ast.expr | None] | None = None  # read, variable, default, kept
        if isinstance(node, ast.Call):
            variable = _variable(node)
            default = _default(node) if variable is not None else None
            if variable is not None and _literal(default) is not None:
                plain = isinstance(node.func, ast.Attribute) and node.func.attr == "setdefault" or len(node.args) + len(node.keywords) != 2
                found = (node, variable, default, None if plain else node.args[0])  # type: ignore[assignment]
        elif isinstance(node, ast.BoolOp) and isinstance(node.op, ast.Or) and len(node.values) >= 2:
            variable = _variable(node.values[0])
            default = node.values[-1]
            if variable is not None and _literal(default) is not None:
                found = (node, variable, default, node.values[0] if len(node.values) == 2 else None)
        if found is None:
            continue
        read, variable, default, kept = found
        value = _literal(default) or ""
        span = positions.span(read)
        default_span = positions.span(default)
        value_span = _inside_quotes(ctx.source.text, default_span, value)
        drop = Span(positions.span(kept).end, default_span.end) if kept is not None else None
        yield EnvFallback(source=ctx.source, span=span, lang="python", variable=variable, value=value,
                          value_span=value_span, drop=drop)


def _inside_quotes(text: str, span: Span, value: str) -> Span:
    """The characters of a string literal's value (after its prefix and opening quotes)."""
    literal = text[span.start : span.end]
    at = literal.find(value) if value else -1
    if at == -1:
        quote = next((i for i, c in enumerate(literal) if c in "'\""), 0)
        return Span(span.start + quote + 1, span.start + quote + 1)
    return Span(span.start + at, span.start + at + len(value))
