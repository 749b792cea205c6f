"""Name resolution and static evaluation for the Python extractor.

Tracks imports and aliases (``import socketio as sio``, ``from jwt import decode as d``), constants
at module and function level (``SECRET = "x"``, ``payload = {...}; payload["exp"] = ...``), and turns
expressions into ``Expr`` facts: literal values, followed constants (with their origin span), and
references (``env:JWT_SECRET``, ``settings:SECRET_KEY``, ``name:key``, ``call:...``). Nothing from the
scanned code is ever executed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any, Mapping

import libcst as cst

from authlint.facts import UNKNOWN, Expr, Option, OptionBag
from authlint.source import Source, Span

MAX_DEPTH = 8
ENV_MAPPINGS = frozenset({"os.environ", "os.environb"})
ENV_GETTERS = frozenset({"os.getenv", "os.environ.get", "os.environ.setdefault", "os.getenvb"})
TIMEDELTA_POSITIONAL = ("days", "seconds", "microseconds", "milliseconds", "minutes", "hours", "weeks")
SETTINGS_OBJECTS = frozenset({"settings", "config", "conf", "cfg", "app.config", "current_app.config"})


@dataclass
class Scope:
    """Assignments visible in one function (or the module): name -> value node."""

    bindings: dict[str, cst.BaseExpression] = field(default_factory=dict)
    # name -> {key: value node} for ``name["key"] = value`` after a dict binding
    item_sets: dict[str, dict[str, cst.BaseExpression]] = field(default_factory=dict)


def dotted(node: cst.CSTNode) -> str | None:
    """``a.b.c`` for a Name/Attribute chain, else None."""
    parts: list[str] = []
    while isinstance(node, cst.Attribute):
        parts.append(node.attr.value)
        node = node.value
    if isinstance(node, cst.Name):
        parts.append(node.value)
        return ".".join(reversed(parts))
    return None


def string_value(node: cst.CSTNode) -> str | None:
    """The value of a plain (non-f) string literal, else None."""
    if isinstance(node, (cst.SimpleString, cst.ConcatenatedString)):
        try:
            value = node.evaluated_value
        except Exception:  # libcst raises on odd prefixes; treat as unknown
            return None
        if isinstance(value, bytes):
            return value.decode("latin-1")
        return value if isinstance(value, str) else None
    return None


class Resolver:
    """Resolves names and evaluates expressions for one file."""

    def __init__(self, source: Source, positions: Mapping[cst.CSTNode, Any]) -> None:
        self.source = source
        self.positions = positions
        self.imports: dict[str, str] = {}  # local name -> qualified name
        self.scopes: list[Scope] = [Scope()]

    # -- positions ------------------------------------------------------------------------
    def span(self, node: cst.CSTNode) -> Span:
        pos = self.positions[node]
        char = self.source.char_offset
        return Span(char(pos.start), char(pos.start + pos.length))

    def text(self, node: cst.CSTNode) -> str:
        return self.source.slice(self.span(node))

    # -- imports --------------------------------------------------------------------------
    def add_import(self, node: cst.Import | cst.ImportFrom) -> None:
        if isinstance(node, cst.Import):
            for alias in node.names:
                full = dotted(alias.name)
                if not full:
                    continue
                if alias.asname is not None and isinstance(alias.asname.name, cst.Name):
                    self.imports[alias.asname.name.value] = full
                else:
                    head = full.split(".", 1)[0]
                    self.imports[head] = head
            return
        if node.relative or node.module is None or isinstance(node.names, cst.ImportStar):
            return
        module = dotted(node.module)
        if not module:
            return
        for alias in node.names:
            name = dotted(alias.name)
            if not name:
                continue
            local = name
            if alias.asname is not None and isinstance(alias.asname.name, cst.Name):
                local = alias.asname.name.value
            self.imports[local] = f"{module}.{name}"

    def qualname(self, node: cst.CSTNode) -> str | None:
        """The imported, fully qualified name an expression refers to (``sio.Server`` -> ``socketio.Server``)."""
        name = dotted(node)
        if name is None:
            return None
        head, _, rest = name.partition(".")
        base = self.imports.get(head)
        if base is None:
            return None
        return f"{base}.{rest}" if rest else base

    def imported(self, *prefixes: str) -> bool:
        return any(q == p or q.startswith(p + ".") for q in self.imports.values() for p in prefixes)

    # -- scopes ---------------------------------------------------------------------------
    def push(self) -> None:
        self.scopes.append(Scope())

    def pop(self) -> None:
        if len(self.scopes) > 1:
            self.scopes.pop()

    def bind(self, name: str, value: cst.BaseExpression) -> None:
        scope = self.scopes[-1]
        scope.bindings[name] = value
        scope.item_sets.pop(name, None)

    def bind_item(self, name: str, key: str, value: cst.BaseExpression) -> None:
        for scope in reversed(self.scopes):
            if name in scope.bindings:
                scope.item_sets.setdefault(name, {})[key] = value
                return

    def lookup(self, name: str) -> tuple[cst.BaseExpression, dict[str, cst.BaseExpression]] | None:
        for scope in reversed(self.scopes):
            if name in scope.bindings:
                return scope.bindings[name], scope.item_sets.get(name, {})
        return None

    def follow(self, node: cst.BaseExpression, depth: int = 0) -> cst.BaseExpression:
        """The expression a name is bound to (through chains of names), else the node itself."""
        while isinstance(node, cst.Name) and depth < MAX_DEPTH:
            found = self.lookup(node.value)
            if found is None or found[0] is node:
                break
            node = found[0]
            depth += 1
        return node

    # -- evaluation -----------------------------------------------------------------------
    def expr(self, node: cst.BaseExpression) -> Expr:
        """An ``Expr`` for ``node`` at its own span, with its value, ref and origin resolved."""
        value, ref, origin = self._eval(node, 0)
        span = self.span(node)
        return Expr(span=span, text=self.source.slice(span), value=value, ref=ref, origin=origin)

    def value(self, node: cst.BaseExpression) -> Any:
        return self._eval(node, 0)[0]

    def _eval(self, node: cst.BaseExpression, depth: int) -> tuple[Any, str | None, Span | None]:
        if depth > MAX_DEPTH:
            return UNKNOWN, None, None
        text = string_value(node)
        if text is not None:
            return text, None, None
        if isinstance(node, (cst.Integer, cst.Float)):
            return node.evaluated_value, None, None
        if isinstance(node, cst.Name):
            if node.value in ("True", "False", "None"):
                return {"True": True, "False": False, "None": None}[node.value], None, None
            found = self.lookup(node.value)
            if found is None or found[0] is node:
                return UNKNOWN, f"name:{node.value}", None
            bound, item_sets = found
            value, ref, _ = self._eval(bound, depth + 1)
            if isinstance(value, dict) and item_sets:
                value = dict(value)
                for key, item in item_sets.items():
                    value[key] = self._eval(item, depth + 1)[0]
            origin = self.span(bound) if value is not UNKNOWN else None
            return value, ref or (f"name:{node.value}" if value is UNKNOWN else None), origin
        if isinstance(node, cst.UnaryOperation):
            inner, _, _ = self._eval(node.expression, depth + 1)
            if isinstance(node.operator, cst.Minus) and isinstance(inner, (int, float)) and not isinstance(inner, bool):
                return -inner, None, None
            if isinstance(node.operator, cst.Not) and inner is not UNKNOWN:
                return not inner, None, None
            return UNKNOWN, None, None
        if isinstance(node, cst.BinaryOperation):
            return self._binary(node, depth), None, None
        if isinstance(node, (cst.List, cst.Tuple, cst.Set)):
            items: list[Any] = []
            for element in node.elements:
                if isinstance(element, cst.StarredElement):
                    items.append(UNKNOWN)
                else:
                    items.append(self._eval(element.value, depth + 1)[0])
            return items, None, None
        if isinstance(node, cst.Dict):
            mapping: dict[Any, Any] = {}
            for element in node.elements:
                if isinstance(element, cst.DictElement):
                    key = self._eval(element.key, depth + 1)[0]
                    if key is not UNKNOWN and not isinstance(key, (list, dict)):
                        mapping[key] = self._eval(element.value, depth + 1)[0]
            return mapping, None, None
        if isinstance(node, cst.Call):
            delta = self._timedelta(node, depth)
            if delta is not None:
                return delta, None, None
        ref = self.reference(node)
        return UNKNOWN, ref, None

    def _timedelta(self, node: cst.Call, depth: int) -> timedelta | None:
        """``timedelta(minutes=15)`` with known numbers -> a ``datetime.timedelta`` value."""
        if self.qualname(node.func) != "datetime.timedelta":
            return None
        kwargs: dict[str, float] = {}
        for index, arg in enumerate(node.args):
            unit = arg.keyword.value if arg.keyword is not None else (
                TIMEDELTA_POSITIONAL[index] if index < len(TIMEDELTA_POSITIONAL) and not arg.star else None
            )
            amount = self._eval(arg.value, depth + 1)[0]
            if unit not in TIMEDELTA_POSITIONAL or isinstance(amount, bool) or not isinstance(amount, (int, float)):
                return None
            kwargs[unit] = amount
        try:
            return timedelta(**kwargs)
        except (OverflowError, TypeError):
            return None

    def _binary(self, node: cst.BinaryOperation, depth: int) -> Any:
        left = self._eval(node.left, depth + 1)[0]
        right = self._eval(node.right, depth + 1)[0]
        numbers = all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in (left, right))
        op = node.operator
        if isinstance(op, cst.Add) and isinstance(left, str) and isinstance(right, str):
            return left + right
        if not numbers:
            return UNKNOWN
        try:
            if isinstance(op, cst.Add):
                return left + right
            if isinstance(op, cst.Subtract):
                return left - right
            if isinstance(op, cst.Multiply):
                return left * right
            if isinstance(op, cst.Divide):
                return left / right
            if isinstance(op, cst.FloorDivide):
                return left // right
            if isinstance(op, cst.Power) and abs(right) < 64:
                return left**right
        except (ZeroDivisionError, OverflowError):
            return UNKNOWN
        return UNKNOWN

    def reference(self, node: cst.BaseExpression) -> str | None:
        """``env:X`` / ``settings:X`` / ``call:qual`` / ``name:x`` for a non-literal expression."""
        if isinstance(node, cst.Subscript) and len(node.slice) == 1:
            index = node.slice[0].slice
            key = string_value(index.value) if isinstance(index, cst.Index) else None
            base = self.qualname(node.value) or dotted(node.value)
            if key is not None and base is not None:
                if base in ENV_MAPPINGS or base == "environ" and self.imports.get("environ") == "os.environ":
                    return f"env:{key}"
                if base in SETTINGS_OBJECTS or base.endswith(".config"):
                    return f"settings:{key}"
            return None
        if isinstance(node, cst.Call):
            qual = self.qualname(node.func) or dotted(node.func) or ""
            if qual in ENV_GETTERS and node.args:
                key = string_value(node.args[0].value)
                return f"env:{key}" if key is not None else "env:?"
            if qual.endswith((".config.get", "settings.get")) and node.args:
                key = string_value(node.args[0].value)
                if key is not None:
                    return f"settings:{key}"
            return f"call:{qual}" if qual else None
        if isinstance(node, cst.Attribute):
            base = dotted(node.value)
            qual = self.qualname(node.value) or base
            if qual in ("django.conf.settings",) or base in SETTINGS_OBJECTS:
                return f"settings:{node.attr.value}"
            name = dotted(node)
            return f"name:{name}" if name else None
        return None

    # -- option bags ----------------------------------------------------------------------
    def kwargs(self, call: cst.Call) -> OptionBag:
        """The keyword arguments of a call, with where a new one can be inserted."""
        bag = OptionBag(span=self.span(call))
        for arg in call.args:
            if arg.star == "**":
                bag.spread = True
            elif arg.keyword is not None:
                name = arg.keyword.value
                bag.items[name] = Option(
                    name=name,
                    value=self.expr(arg.value),
                    span=self.span(arg),
                    name_span=self.span(arg.keyword),
                )
        self._insertion(call, bag)
        return bag

    def _insertion(self, call: cst.Call, bag: OptionBag) -> None:
        if not call.args:
            func_end = self.span(call.func).end
            paren = self.source.text.find("(", func_end)
            if paren != -1:
                bag.insert_at = paren + 1
                bag.insert_prefix = ""
            return
        last = call.args[-1]
        bag.insert_at = self.span(last).end
        comma = last.comma
        if isinstance(comma, cst.Comma) and isinstance(comma.whitespace_after, cst.ParenthesizedWhitespace):
            line_start = self.source.text.rfind("\n", 0, self.span(last).start) + 1
            indent = self.source.text[line_start : self.span(last).start]
            bag.insert_prefix = ",\n" + (indent if not indent.strip() else "    ")
        else:
            bag.insert_prefix = ", "

    def dict_bag(self, node: cst.BaseExpression) -> OptionBag | None:
        """A dict literal (``{"a": 1}`` or ``dict(a=1)``, followed through names) as options."""
        target = self.follow(node)
        if isinstance(target, cst.Call) and dotted(target.func) == "dict" and not any(a.keyword is None for a in target.args if a.star != "**"):
            return self.kwargs(target)
        if not isinstance(target, cst.Dict):
            return None
        bag = OptionBag(span=self.span(target))
        for element in target.elements:
            if not isinstance(element, cst.DictElement):
                bag.spread = True
                continue
            key = string_value(element.key)
            if key is None:
                bag.spread = True
                continue
            bag.items[key] = Option(
                name=key,
                value=self.expr(element.value),
                span=Span(self.span(element.key).start, self.span(element.value).end),
                name_span=self.span(element.key),
            )
        if target.elements:
            bag.insert_at = self.span(target.elements[-1].value).end
            bag.insert_prefix = ", "
        else:
            bag.insert_at = self.span(target).start + 1
            bag.insert_prefix = ""
        if isinstance(node, cst.Name) and node.value in self._item_names():
            found = self.lookup(node.value)
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


def positional(call: cst.Call, index: int, keyword: str | None = None) -> cst.BaseExpression | None:
    """The argument at a position (or given by keyword), ignoring ``*``/``**`` spreads."""
    if keyword is not None:
        for arg in call.args:
            if arg.keyword is not None and arg.keyword.value == keyword:
                return arg.value
    plain = [arg for arg in call.args if arg.keyword is None and not arg.star]
    if index < len(plain) and not any(arg.star == "*" for arg in call.args[: call.args.index(plain[index])]):
        return plain[index].value
    return None
