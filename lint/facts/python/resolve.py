"""Name resolution and static evaluation for the Python extractor.

Tracks imports and aliases (``import socketio as sio``, ``from jwt import decode as d``), constants
at module and function level (``SECRET = "x"``, ``payload = {...}; payload["exp"] = ...``), and turns
expressions into ``Expr`` facts: literal values, followed constants (with their origin span), and
references (``env:JWT_SECRET``, ``settings:SECRET_KEY``, ``name:key``, ``call:...``). Nothing from the
scanned code is ever executed.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from authlint.facts.model import UNKNOWN, Expr, Option, OptionBag
from authlint.facts.python.positions import Positions, skip_space
from authlint.facts.python.walk import ordered_args
from authlint.files.source import Source, Span

MAX_DEPTH = 8
ENV_MAPPINGS = frozenset({"os.environ", "os.environb"})
ENV_GETTERS = frozenset({"os.getenv", "os.environ.get", "os.environ.setdefault", "os.getenvb"})
TIMEDELTA_POSITIONAL = ("days", "seconds", "microseconds", "milliseconds", "minutes", "hours", "weeks")
SETTINGS_OBJECTS = frozenset({"settings", "config", "conf", "cfg", "app.config", "current_app.config"})
Argument = ast.expr | ast.keyword  # a positional expression, ``*x`` (Starred) or ``k=v`` / ``**x`` (keyword)
Bound = ast.expr | ast.arg  # what a name is bound to: a value, or a parameter (its value is the caller's)


@dataclass
class Scope:
    """Assignments visible in one function (or the module): name -> value node."""

    bindings: dict[str, Bound] = field(default_factory=dict)
    # name -> {key: value node} for ``name["key"] = value`` after a dict binding
    item_sets: dict[str, dict[str, ast.expr]] = field(default_factory=dict)


def dotted(node: ast.AST | None) -> str | None:
    """``a.b.c`` for a Name/Attribute chain, else None."""
    parts: list[str] = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if isinstance(node, ast.Name):
        parts.append(node.id)
        return ".".join(reversed(parts))
    return None


def string_value(node: ast.AST | None) -> str | None:
    """The value of a plain (non-f) string literal, bytes read as Latin-1, else None."""
    if isinstance(node, ast.Constant):
        value = node.value
        if isinstance(value, str):
            return value
        if isinstance(value, bytes):
            return value.decode("latin-1")
    return None


def arg_value(arg: Argument) -> ast.expr:
    """The expression an argument passes (``x`` of ``k=x``, ``*x`` and ``**x``)."""
    return arg.value if isinstance(arg, (ast.keyword, ast.Starred)) else arg


def arg_keyword(arg: Argument) -> str | None:
    return arg.arg if isinstance(arg, ast.keyword) else None


def arg_star(arg: Argument) -> str:
    """``"*"``, ``"**"`` or ``""``."""
    if isinstance(arg, ast.Starred):
        return "*"
    return "**" if isinstance(arg, ast.keyword) and arg.arg is None else ""


def first_value(call: ast.Call) -> ast.expr | None:
    """The expression of the call's first argument in source order, whatever its kind."""
    args = ordered_args(call)
    return arg_value(args[0]) if args else None


def bool_operands(node: ast.BoolOp) -> tuple[ast.expr, ast.expr]:
    """``(left, right)`` with ``a or b or c`` read as ``(a or b) or c`` (ast keeps one n-ary node)."""
    values = node.values
    if len(values) == 2:
        return values[0], values[1]
    left = ast.BoolOp(op=node.op, values=values[:-1])
    first, last = values[0], values[-2]
    left.lineno, left.col_offset = first.lineno, first.col_offset
    left.end_lineno, left.end_col_offset = last.end_lineno, last.end_col_offset
    return left, values[-1]


def _number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


class Resolver:
    """Resolves names and evaluates expressions for one file."""

    def __init__(self, source: Source, positions: Positions | None = None) -> None:
        self.source = source
        self.positions = positions or Positions(source)
        self.imports: dict[str, str] = {}  # local name -> qualified name
        # (travel) ``from .config import X`` / ``from . import config``: local name -> absolute dotted
        # name, resolved against this file's module; kept apart so library lookups stay as they were
        self.relative_imports: dict[str, str] = {}
        self.scopes: list[Scope] = [Scope()]

    # -- positions ------------------------------------------------------------------------
    def span(self, node: ast.AST) -> Span:
        return self.positions.span(node)

    def text(self, node: ast.AST) -> str:
        return self.source.slice(self.span(node))

    def arg_span(self, call: ast.Call, args: list[Argument], index: int) -> Span:
        """One argument as written, parentheses included (``f((a))``: ``(a)``); keywords and
        ``*x`` already cover theirs."""
        node = args[index]
        span = self.span(node)
        if isinstance(node, (ast.keyword, ast.Starred)):
            return span
        gap = self.span(args[index - 1]).end if index else self._call_open(call) + 1
        return Span(*self.positions.widen(span.start, span.end, gap))

    def _call_open(self, call: ast.Call) -> int:
        """Offset of the call's ``(`` (after the callee and any parentheses closing around it)."""
        text = self.source.text
        i = skip_space(text, self.span(call.func).end)
        while text[i : i + 1] == ")":
            i = skip_space(text, i + 1)
        return i

    def entry_span(self, node: ast.Dict, index: int) -> Span:
        """A dict's ``key: value`` entry, parentheses written around either included."""
        gap = self.span(node.values[index - 1]).end if index else self.span(node).start + 1
        key = self.span(node.keys[index])  # type: ignore[arg-type]
        key_start, key_end = self.positions.widen(key.start, key.end, gap)
        value = self.span(node.values[index])
        return Span(key_start, self.positions.widen(value.start, value.end, key_end)[1])

    def index(self, node: ast.Subscript) -> ast.expr | None:
        """The one index of ``x[i]``; None for a slice or several indices (``x[a, b]``)."""
        index = node.slice
        if isinstance(index, ast.Slice):
            return None
        if isinstance(index, ast.Tuple):
            positions = self.positions
            start = positions.offset(index.lineno, index.col_offset)
            if positions.text[start] == "(" and positions.inside_parens(  # ``x[(a, b)]``: one index, a tuple
                start, positions.offset(index.end_lineno, index.end_col_offset)  # type: ignore[arg-type]
            ):
                return index
            if len(index.elts) != 1:
                return None
            only = index.elts[0]  # ``x["a",]``
            return only.value if isinstance(only, ast.Starred) else only
        return index

    # -- imports --------------------------------------------------------------------------
    def add_import(self, node: ast.Import | ast.ImportFrom) -> None:
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.asname is not None:
                    self.imports[alias.asname] = alias.name
                else:
                    head = alias.name.split(".", 1)[0]
                    self.imports[head] = head
            return
        if node.level:
            self._relative_import(node)
            return
        if node.module is None:
            return
        for alias in node.names:
            if alias.name == "*":
                return
            self.imports[alias.asname or alias.name] = f"{node.module}.{alias.name}"

    def _relative_import(self, node: ast.ImportFrom) -> None:
        """``from ..config import X`` in ``pkg/sub/api.py`` -> ``X`` is ``pkg.config.X``."""
        from authlint.facts.python.modules import package_of

        package = package_of(self.source.relpath, node.level)
        if package is None:
            return
        base = ".".join(part for part in (package, node.module or "") if part)
        for alias in node.names:
            if alias.name == "*":
                return
            self.relative_imports[alias.asname or alias.name] = f"{base}.{alias.name}" if base else alias.name

    def imported_name(self, node: ast.AST) -> str | None:
        """(travel) The absolute dotted name of another module's value ``node`` reads (``JWT_SECRET``
        from ``from .config import JWT_SECRET``, ``config.JWT_SECRET`` after ``import config``),
        followed through local aliases; None for anything else or a name rebound here."""
        if isinstance(node, ast.Name):
            node = self.follow(node)
        parts: list[str] = []
        while isinstance(node, ast.Attribute):
            parts.append(node.attr)
            node = node.value
        if not isinstance(node, ast.Name) or self.lookup(node.id) is not None:
            return None
        base = self.relative_imports.get(node.id) or self.imports.get(node.id)
        if base is None:
            return None
        return ".".join([base, *reversed(parts)])

    def qualname(self, node: ast.AST | None) -> str | None:
        """The imported, fully qualified name an expression refers to (``sio.Server`` -> ``socketio.Server``)."""
        parts: list[str] = []
        while isinstance(node, ast.Attribute):
            parts.append(node.attr)
            node = node.value
        if not isinstance(node, ast.Name):
            return None
        base = self.imports.get(node.id)  # most calls (``self.x.y()``) stop here, no string built
        if base is None:
            return None
        parts.append(base)
        return ".".join(reversed(parts))

    def imported(self, *prefixes: str) -> bool:
        return any(q == p or q.startswith(p + ".") for q in self.imports.values() for p in prefixes)

    # -- scopes ---------------------------------------------------------------------------
    def push(self) -> None:
        self.scopes.append(Scope())

    def pop(self) -> None:
        if len(self.scopes) > 1:
            self.scopes.pop()

    def bind(self, name: str, value: Bound) -> None:
        scope = self.scopes[-1]
        scope.bindings[name] = value
        scope.item_sets.pop(name, None)

    def bind_item(self, name: str, key: str, value: ast.expr) -> None:
        for scope in reversed(self.scopes):
            if name in scope.bindings:
                scope.item_sets.setdefault(name, {})[key] = value
                return

    def lookup(self, name: str) -> tuple[Bound, dict[str, ast.expr]] | None:
        for scope in reversed(self.scopes):
            if name in scope.bindings:
                return scope.bindings[name], scope.item_sets.get(name, {})
        return None

    def follow(self, node: Bound, depth: int = 0) -> Bound:
        """The expression a name is bound to (through chains of names), else the node itself."""
        while isinstance(node, ast.Name) and depth < MAX_DEPTH:
            found = self.lookup(node.id)
            if found is None or found[0] is node:
                break
            node = found[0]
            depth += 1
        return node

    # -- evaluation -----------------------------------------------------------------------
    def expr(self, node: ast.expr) -> Expr:
        """An ``Expr`` for ``node`` at its own span, with its value, ref and origin resolved."""
        value, ref, origin = self._eval(node, 0)
        span = self.span(node)
        expr = Expr(span=span, text=self.source.slice(span), value=value, ref=ref, origin=origin)
        if ref is not None and ref.startswith(("env:", "settings:")):
            expr.fallback, expr.fallback_span = self._fallback(node)
        if value is UNKNOWN and not expr.from_env and (self.relative_imports or self.imports):
            expr.imported = self.imported_name(node)
        return expr

    def _fallback(self, node: ast.expr) -> tuple[Any, Span | None]:
        """``os.getenv("K", "dev")`` / ``os.environ.get("K") or "dev"`` -> ``"dev"`` (followed through
        names) and where that literal is written."""
        target = self.follow(node)
        default: ast.expr | None = None
        if isinstance(target, ast.BoolOp) and isinstance(target.op, ast.Or):
            default = target.values[-1]
        elif isinstance(target, ast.Call):
            default = positional(target, 1, "default")
        if default is None:
            return UNKNOWN, None
        value, _, origin = self._eval(default, 0)
        return value, (origin or self.span(default)) if value is not UNKNOWN else None

    def value(self, node: Bound) -> Any:
        return self._eval(node, 0)[0]

    def _eval(self, node: Bound, depth: int) -> tuple[Any, str | None, Span | None]:
        if depth > MAX_DEPTH:
            return UNKNOWN, None, None
        cls = node.__class__
        if cls is ast.Constant:
            return _constant(node.value), None, None  # type: ignore[union-attr]
        if cls is ast.Name:
            return self._name(node, depth)  # type: ignore[arg-type]
        if cls is ast.arg:  # a parameter: its value is the caller's
            return UNKNOWN, f"name:{node.arg}", None  # type: ignore[union-attr]
        if cls is ast.UnaryOp:
            inner, _, _ = self._eval(node.operand, depth + 1)  # type: ignore[union-attr]
            op = node.op  # type: ignore[union-attr]
            if isinstance(op, ast.USub) and _number(inner):
                return -inner, None, None
            if isinstance(op, ast.Not) and inner is not UNKNOWN:
                return not inner, None, None
            return UNKNOWN, None, None
        if cls is ast.BinOp:
            return self._binary(node, depth), None, None  # type: ignore[arg-type]
        if cls is ast.List or cls is ast.Tuple or cls is ast.Set:
            items = [UNKNOWN if isinstance(element, ast.Starred) else self._eval(element, depth + 1)[0]
                     for element in node.elts]  # type: ignore[union-attr]
            return items, None, None
        if cls is ast.Dict:
            mapping: dict[Any, Any] = {}
            for key_node, value_node in zip(node.keys, node.values):  # type: ignore[union-attr]
                if key_node is not None:
                    key = self._eval(key_node, depth + 1)[0]
                    if key is not UNKNOWN and not isinstance(key, (list, dict)):
                        mapping[key] = self._eval(value_node, depth + 1)[0]
            return mapping, None, None
        if cls is ast.Call:
            delta = self._timedelta(node, depth)  # type: ignore[arg-type]
            if delta is not None:
                return delta, None, None
        if cls is ast.BoolOp and isinstance(node.op, ast.Or):  # type: ignore[union-attr]
            # ``os.environ.get("K") or "dev"``; ``a or b or c`` nests as ``(a or b) or c``, one level each
            values = node.values  # type: ignore[union-attr]
            ref = self._eval(values[0], depth + len(values) - 1)[1]
            if ref is not None and ref.startswith(("env:", "settings:")):
                return UNKNOWN, ref, None
        return UNKNOWN, self.reference(node), None

    def _name(self, node: ast.Name, depth: int) -> tuple[Any, str | None, Span | None]:
        found = self.lookup(node.id)
        if found is None or found[0] is node:
            return UNKNOWN, f"name:{node.id}", None
        bound, item_sets = found
        value, ref, _ = self._eval(bound, depth + 1)
        if isinstance(value, dict) and item_sets:
            value = dict(value)
            for key, item in item_sets.items():
                value[key] = self._eval(item, depth + 1)[0]
        origin = self.span(bound) if value is not UNKNOWN else None
        return value, ref or (f"name:{node.id}" if value is UNKNOWN else None), origin

    def _timedelta(self, node: ast.Call, depth: int) -> timedelta | None:
        """``timedelta(minutes=15)`` with known numbers -> a ``datetime.timedelta`` value."""
        if self.qualname(node.func) != "datetime.timedelta":
            return None
        kwargs: dict[str, float] = {}
        for index, arg in enumerate(ordered_args(node)):
            unit = arg_keyword(arg)
            if unit is None and not arg_star(arg) and index < len(TIMEDELTA_POSITIONAL):
                unit = TIMEDELTA_POSITIONAL[index]
            amount = self._eval(arg_value(arg), depth + 1)[0]
            if unit not in TIMEDELTA_POSITIONAL or not _number(amount):
                return None
            kwargs[unit] = amount
        try:
            return timedelta(**kwargs)
        except (OverflowError, TypeError):
            return None

    def _binary(self, node: ast.BinOp, depth: int) -> Any:
        left = self._eval(node.left, depth + 1)[0]
        right = self._eval(node.right, depth + 1)[0]
        op = node.op
        if isinstance(op, ast.Add) and isinstance(left, str) and isinstance(right, str):
            return left + right
        if not (_number(left) and _number(right)):
            return UNKNOWN
        try:
            if isinstance(op, ast.Add):
                return left + right
            if isinstance(op, ast.Sub):
                return left - right
            if isinstance(op, ast.Mult):
                return left * right
            if isinstance(op, ast.Div):
                return left / right
            if isinstance(op, ast.FloorDiv):
                return left // right
            if isinstance(op, ast.Pow) and abs(right) < 64:
                return left**right
        except (ZeroDivisionError, OverflowError):
            return UNKNOWN
        return UNKNOWN

    def reference(self, node: Bound) -> str | None:
        """``env:X`` / ``settings:X`` / ``call:qual`` / ``name:x`` for a non-literal expression."""
        if isinstance(node, ast.Subscript):
            index = self.index(node)
            if index is None:
                return None
            key = string_value(index)
            base = self.qualname(node.value) or dotted(node.value)
            if key is not None and base is not None:
                if base in ENV_MAPPINGS or base == "environ" and self.imports.get("environ") == "os.environ":
                    return f"env:{key}"
                if base in SETTINGS_OBJECTS or base.endswith(".config"):
                    return f"settings:{key}"
            return None
        if isinstance(node, ast.Call):
            qual = self.qualname(node.func) or dotted(node.func) or ""
            first = first_value(node)
            if qual in ENV_GETTERS and first is not None:
                key = string_value(first)
                return f"env:{key}" if key is not None else "env:?"
            if qual.endswith((".config.get", "settings.get")) and first is not None:
                key = string_value(first)
                if key is not None:
                    return f"settings:{key}"
            return f"call:{qual}" if qual else None
        if isinstance(node, ast.Attribute):
            base = dotted(node.value)
            qual = self.qualname(node.value) or base
            if qual in ("django.conf.settings",) or base in SETTINGS_OBJECTS:
                return f"settings:{node.attr}"
            name = dotted(node)
            return f"name:{name}" if name else None
        return None

    # -- option bags ----------------------------------------------------------------------
    def kwargs(self, call: ast.Call) -> OptionBag:
        """The keyword arguments of a call, with where a new one can be inserted."""
        bag = OptionBag(span=self.span(call), form="kwargs")
        for arg in call.keywords:
            if arg.arg is None:
                bag.spread = True
                continue
            span = self.span(arg)
            name, name_span = self.keyword_name(arg, span)
            bag.items[name] = Option(name=name, value=self.expr(arg.value), span=span, name_span=name_span)
        self._insertion(call, bag)
        return bag

    def keyword_name(self, arg: ast.keyword, span: Span) -> tuple[str, Span]:
        """The keyword as written and its span (``arg.arg`` is NFKC-normalised)."""
        text = self.source.text
        name = arg.arg or ""
        if text.startswith(name, span.start):
            return name, Span(span.start, span.start + len(name))
        end = self.positions.name_end(span.start)
        return text[span.start : end], Span(span.start, end)

    def _insertion(self, call: ast.Call, bag: OptionBag) -> None:
        text = self.source.text
        args = ordered_args(call)
        if not args:
            func_end = self.span(call.func).end
            paren = text.find("(", func_end)
            if paren != -1:
                bag.insert_at = paren + 1
                bag.insert_prefix = ""
            return
        last = self.arg_span(call, args, len(args) - 1)
        bag.insert_at = last.end
        after = skip_space(text, last.end)
        if text[after : after + 1] == "," and _line_follows(text, after + 1):  # a trailing comma, then a new line
            line_start = text.rfind("\n", 0, last.start) + 1
            indent = text[line_start : last.start]
            bag.insert_prefix = ",\n" + (indent if not indent.strip() else "    ")
        else:
            bag.insert_prefix = ", "

    def _after_parens(self, end: int) -> int:
        """Past the ``)`` of parentheses wrapping an expression that ends at ``end`` (ast's span
        leaves them out: ``{"a": (1)}`` must grow after ``(1)``, not inside it)."""
        text = self.source.text
        while True:
            probe = end
            while probe < len(text) and text[probe] in " \t\r\n\\":
                probe += 1
            if probe < len(text) and text[probe] == ")":
                end = probe + 1
            else:
                return end

    def dict_bag(self, node: ast.expr) -> OptionBag | None:
        """A dict literal (``{"a": 1}`` or ``dict(a=1)``, followed through names) as options."""
        target = self.follow(node)
        if isinstance(target, ast.Call) and dotted(target.func) == "dict" and not target.args:
            return self.kwargs(target)
        if not isinstance(target, ast.Dict):
            return None
        bag = OptionBag(span=self.span(target), form="dict")
        for key_node, value_node in zip(target.keys, target.values):
            key = string_value(key_node)
            if key is None:  # ``**spread`` or a computed key
                bag.spread = True
                continue
            key_span = self.span(key_node)  # type: ignore[arg-type]
            bag.items[key] = Option(
                name=key,
                value=self.expr(value_node),
                span=Span(key_span.start, self.span(value_node).end),
                name_span=key_span,
            )
        if target.keys:
            bag.insert_at = self._after_parens(self.span(target.values[-1]).end)
            bag.insert_prefix = ", "
        else:
            bag.insert_at = self.span(target).start + 1
            bag.insert_prefix = ""
        if isinstance(node, ast.Name) and node.id in self._item_names():
            found = self.lookup(node.id)
            if found:
                for key, value in found[1].items():
                    span = self.span(value)
                    bag.items.setdefault(key, Option(key, self.expr(value), span, span))
        return bag

    def _item_names(self) -> set[str]:
        names: set[str] = set()
        for scope in self.scopes:
            names.update(scope.item_sets)
        return names


def _constant(value: Any) -> Any:
    """A literal's value: str, bytes as Latin-1 str, number, bool, None; UNKNOWN for ``...`` and ``1j``."""
    if isinstance(value, bytes):
        return value.decode("latin-1")
    if value is Ellipsis or isinstance(value, complex):
        return UNKNOWN
    return value


def _line_follows(text: str, i: int) -> bool:
    """Whether only blanks (and line continuations) separate ``i`` from a comment or a line end."""
    n = len(text)
    while i < n:
        char = text[i]
        if char in " \t\f":
            i += 1
        elif char == "\\" and text[i + 1 : i + 2] in ("\n", "\r"):
            i += 3 if text.startswith("\r\n", i + 1) else 2
        else:
            return char in "#\r\n"
    return False


def positional(call: ast.Call, index: int, keyword: str | None = None) -> ast.expr | None:
    """The argument at a position (or given by keyword); None past a ``*spread``."""
    if keyword is not None:
        for arg in call.keywords:
            if arg.arg == keyword:
                return arg.value
    for position, arg in enumerate(call.args):
        if isinstance(arg, ast.Starred):
            return None
        if position == index:
            return arg
    return None


def keyword(call: ast.Call, name: str) -> ast.expr | None:
    """The value of the ``name=`` keyword argument, if given."""
    for arg in call.keywords:
        if arg.arg == name:
            return arg.value
    return None
