"""One JS/TS file as the extractors see it: node text and spans, bindings, and static values.

Bindings are file-wide and flow-insensitive on purpose (last declaration seen wins): a linter needs
``const TOKEN_KEY = "token"`` and ``import { Server } from "socket.io"`` resolved, not a full scope
analysis, and one pass in source order keeps extraction fast.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from authlint.facts.model import UNKNOWN, Expr, Option, OptionBag
from authlint.files.source import Source, Span

# TypeScript / grouping wrappers that do not change a value.
TRANSPARENT = frozenset(
    {"parenthesized_expression", "as_expression", "satisfies_expression", "non_null_expression", "type_assertion"}
)
FUNCTIONS = frozenset({"arrow_function", "function_expression", "function", "function_declaration", "generator_function"})
ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "b": "\b", "f": "\f", "v": "\v", "0": "\0"}
ESCAPE_RE = re.compile(r"\\(u\{[0-9a-fA-F]+\}|u[0-9a-fA-F]{4}|x[0-9a-fA-F]{2}|\r\n|[\s\S])")
MAX_DEPTH = 8
# Calls that only turn a string into bytes: a key built with them is still that string.
BYTES_OF = frozenset({"newTextEncoder().encode", "Buffer.from", "Buffer.from.call"})
NON_ASCII_RE = re.compile(r"[^\x00-\x7f]+")


@dataclass(frozen=True)
class ModuleRef:
    """A name bound to something imported: ``("jsonwebtoken", "*")`` is the module object itself."""

    module: str
    export: str  # "*" (namespace / default / CommonJS module), or the named export


def unescape(body: str) -> str:
    """Decode JS string escapes (``\\n``, ``\\x41``, ``\\u{1F600}``, line continuations)."""
    if "\\" not in body:
        return body

    def one(match: re.Match[str]) -> str:
        esc = match.group(1)
        if esc[0] == "u":
            digits = esc[2:-1] if esc[1] == "{" else esc[1:]
            return chr(int(digits, 16))
        if esc[0] == "x":
            return chr(int(esc[1:], 16))
        if esc in ("\n", "\r\n", "\r", "\u2028", "\u2029"):
            return ""
        return ESCAPES.get(esc, esc)

    return ESCAPE_RE.sub(one, body)


def number_value(text: str) -> int | float | Any:
    """A JS numeric literal's value (``20_000``, ``0x1F``, ``1e6``, ``10n``)."""
    raw = text.replace("_", "").rstrip("n")
    try:
        if raw[:2].lower() in ("0x", "0o", "0b"):
            return int(raw, 0)
        if any(ch in raw for ch in ".eE"):
            return float(raw)
        return int(raw, 10)
    except ValueError:
        return UNKNOWN


def arithmetic(op: str, left: Any, right: Any) -> Any:
    """Constant-fold ``+ - * / %`` on known numbers, and ``+`` on strings."""
    numbers = (int, float)
    if op == "+" and isinstance(left, str) and isinstance(right, (str, int, float)) and not isinstance(right, bool):
        return left + (right if isinstance(right, str) else _js_number_text(right))
    if op == "+" and isinstance(right, str) and isinstance(left, numbers) and not isinstance(left, bool):
        return _js_number_text(left) + right
    if not (isinstance(left, numbers) and isinstance(right, numbers)) or isinstance(left, bool) or isinstance(right, bool):
        return UNKNOWN
    try:
        if op == "+":
            return left + right
        if op == "-":
            return left - right
        if op == "*":
            return left * right
        if op == "/":
            result = left / right
            return int(result) if result == int(result) and isinstance(left, int) and isinstance(right, int) else result
        if op == "%":
            return left % right
        if op == "**":
            return left**right
    except (ZeroDivisionError, OverflowError):
        return UNKNOWN
    return UNKNOWN


def _js_number_text(value: int | float) -> str:
    if isinstance(value, float) and value == int(value):
        return str(int(value))
    return str(value)


class _Offsets:
    """UTF-8 byte <-> char offsets of a text with non-ASCII characters: a bisect over just those.

    (``Source.char_offset`` builds a table entry per byte: too slow for megabyte bundles.)
    """

    def __init__(self, text: str) -> None:
        self.byte_starts: list[int] = []  # byte offset of each non-ASCII character
        self.char_starts: list[int] = []  # its char offset
        self.extra: list[int] = []  # extra bytes up to and including it
        total = 0
        for match in NON_ASCII_RE.finditer(text):
            for index in range(match.start(), match.end()):
                code = ord(text[index])
                self.byte_starts.append(index + total)
                self.char_starts.append(index)
                total += (2 if code < 0x800 else 3 if code < 0x10000 else 4) - 1
                self.extra.append(total)

    def char(self, byte_offset: int) -> int:
        index = bisect_right(self.byte_starts, byte_offset - 1)
        return byte_offset - (self.extra[index - 1] if index else 0)

    def byte(self, char_offset: int) -> int:
        index = bisect_right(self.char_starts, char_offset - 1)
        return char_offset + (self.extra[index - 1] if index else 0)


class JsModel:
    """Source text, node helpers and file-wide bindings of one parsed JS/TS file."""

    def __init__(self, source: Source, tree: Any, lang: str | None = None) -> None:
        self.source = source
        self.data: bytes = source.utf8
        self.tree = tree
        self.lang = lang or (source.kind if source.kind in ("javascript", "typescript") else "javascript")
        self.modules: dict[str, ModuleRef] = {}  # local name -> imported thing
        self.values: dict[str, Any] = {}  # name / "this.x" / "Class.x" -> value node
        self.objects: dict[str, Any] = {}  # name / "this.x" -> fact made by the value (a server, ...)
        self.functions: dict[str, Any] = {}  # function name -> function node
        # names destructured from the environment: ``const { JWT_SECRET: k } = process.env`` (k -> JWT_SECRET)
        self.env_names: dict[str, str] = {}

    # -- nodes ---------------------------------------------------------------------------------
    def text(self, node: Any) -> str:
        return self.data[node.start_byte : node.end_byte].decode("utf-8", "surrogatepass")

    def span(self, node: Any) -> Span:
        return Span(self.char(node.start_byte), self.char(node.end_byte))

    def char(self, byte_offset: int) -> int:
        """``Source.char_offset`` without its per-byte table (identity for ASCII files)."""
        offsets = self._offsets
        return byte_offset if offsets is None else offsets.char(byte_offset)

    def byte(self, char_offset: int) -> int:
        """The inverse of ``char``: the UTF-8 byte offset of a char offset."""
        offsets = self._offsets
        return char_offset if offsets is None else offsets.byte(char_offset)

    @cached_property
    def _offsets(self) -> _Offsets | None:
        return None if len(self.data) == len(self.source.text) else _Offsets(self.source.text)

    def node_at(self, span: Span) -> Any:
        """The outermost node exactly covering a span (to re-enter an Expr's syntax)."""
        start, end = self.byte(span.start), self.byte(span.end)
        node = self.tree.root_node.descendant_for_byte_range(start, end)
        while node is not None and node.parent is not None and (node.parent.start_byte, node.parent.end_byte) == (start, end):
            node = node.parent
        return node

    @staticmethod
    def unwrap(node: Any) -> Any:
        """Strip parentheses, ``as``/``satisfies`` casts, ``!`` and ``<T>x`` assertions."""
        while node is not None and node.type in TRANSPARENT:
            inner = node.named_children
            if not inner:
                break
            node = inner[-1] if node.type == "type_assertion" else inner[0]
        return node

    @staticmethod
    def args(call: Any) -> list[Any]:
        """Argument nodes of a call or ``new`` (comments skipped)."""
        arguments = call.child_by_field_name("arguments")
        if arguments is None or arguments.type != "arguments":
            return []
        return [child for child in arguments.named_children if child.type != "comment"]

    def key_of(self, node: Any) -> str | None:
        """A stable text key for a receiver: ``io``, ``this.io``, ``Auth.KEY``; None when dynamic."""
        node = self.unwrap(node)
        if node is None:
            return None
        if node.type in ("identifier", "this", "shorthand_property_identifier"):
            return self.text(node)
        if node.type == "member_expression":
            obj = self.key_of(node.child_by_field_name("object"))
            prop = node.child_by_field_name("property")
            if obj is None or prop is None:
                return None
            return f"{obj}.{self.text(prop)}"
        return None

    def string_value(self, node: Any) -> str | None:
        """The value of a string literal or a template without substitutions."""
        node = self.unwrap(node)
        if node is None:
            return None
        if node.type == "string":
            return unescape(self.text(node)[1:-1])
        if node.type == "template_string" and not any(c.type == "template_substitution" for c in node.named_children):
            return unescape(self.text(node)[1:-1])
        return None

    def property_name(self, node: Any) -> str | None:
        """The name of an object key / member property (``a``, ``"x-y"``, ``1``); None when computed."""
        if node is None:
            return None
        if node.type in ("property_identifier", "identifier", "shorthand_property_identifier", "private_property_identifier"):
            return self.text(node)
        if node.type == "string":
            return unescape(self.text(node)[1:-1])
        if node.type == "number":
            return self.text(node)
        if node.type == "computed_property_name":
            inner = node.named_children
            if inner:
                value = self.value(inner[0])
                return value if isinstance(value, str) else None
        return None

    # -- bindings -------------------------------------------------------------------------------
    def module_of(self, node: Any) -> ModuleRef | None:
        """What an expression refers to when it is an import: ``jwt`` -> jsonwebtoken module, ``Server``."""
        node = self.unwrap(node)
        if node is None:
            return None
        if node.type == "identifier":
            return self.modules.get(self.text(node))
        if node.type == "member_expression":
            base = self.module_of(node.child_by_field_name("object"))
            prop = node.child_by_field_name("property")
            if base is None or prop is None:
                return None
            name = self.text(prop)  # `jwt.sign` -> "sign"; `JwtModule.register` -> "JwtModule.register"
            return ModuleRef(base.module, name if base.export == "*" else f"{base.export}.{name}")
        if node.type == "call_expression":
            return self.require_of(node)
        if node.type == "await_expression" and node.named_children:
            inner = self.unwrap(node.named_children[0])
            return self.require_of(inner) if inner is not None and inner.type == "call_expression" else None
        return None

    def require_of(self, call: Any) -> ModuleRef | None:
        """``require("m")`` / ``import("m")`` -> the module object of ``m``."""
        fn = call.child_by_field_name("function")
        if fn is None or not (fn.type == "import" or (fn.type == "identifier" and self.text(fn) == "require")):
            return None
        args = self.args(call)
        name = self.string_value(args[0]) if args else None
        return ModuleRef(name, "*") if name else None

    def resolve(self, node: Any, depth: int = 0) -> Any:
        """Follow identifiers (and ``this.X`` / ``Obj.key`` of literal objects) to their value node."""
        node = self.unwrap(node)
        while node is not None and depth < MAX_DEPTH:
            depth += 1
            if node.type == "identifier" or node.type == "shorthand_property_identifier":
                target = self.values.get(self.text(node))
            elif node.type == "member_expression":
                target = self._member_value(node, depth)
            else:
                return node
            if target is None:
                return node
            node = self.unwrap(target)
        return node

    def _member_value(self, node: Any, depth: int) -> Any:
        key = self.key_of(node)
        if key is not None and key in self.values:
            return self.values[key]
        obj = node.child_by_field_name("object")
        prop = node.child_by_field_name("property")
        if obj is None or prop is None or prop.type != "property_identifier":
            return None
        base = self.resolve(obj, depth + 1)
        if base is None or base.type != "object":
            return None
        name = self.text(prop)
        for child in base.named_children:
            if child.type == "pair" and self.property_name(child.child_by_field_name("key")) == name:
                return child.child_by_field_name("value")
        return None

    # -- values ---------------------------------------------------------------------------------
    def expr(self, node: Any, depth: int = 0) -> Expr:
        """An Expr for a node: its static value, or what it refers to (``env:X``, ``name:x``).

        Array and object literals (also behind a constant) carry their elements / properties, so
        rules can see a regex inside an origin list or the keys of ``query: { token }``.
        """
        span = self.span(node)
        text = self.text(node)
        value, ref, origin, is_regex = self._evaluate(node, depth)
        expr = Expr(span=span, text=text, value=value, ref=ref, origin=origin, is_regex=is_regex)
        if ref is not None and ref.startswith("env:"):
            expr.fallback_span = self.fallback_span(node)
        elif value is UNKNOWN and self.modules:  # (travel) another module's value, read through an import
            from authlint.facts.javascript.modules import imported_name

            expr.imported = imported_name(self, node)
        if depth < MAX_DEPTH:
            target = self.resolve(node)
            if target is not None and target.type == "array":
                expr.items = [self.expr(child, depth + 1) for child in target.named_children if child.type != "comment"]
            elif target is not None and target.type == "object":
                expr.entries = self.object_bag(target, depth + 1)
        return expr

    def value(self, node: Any, depth: int = 0) -> Any:
        return self._evaluate(node, depth)[0]

    def fallback_span(self, node: Any) -> Span | None:
        """Where the literal default of an env read is written (``process.env.K || "dev"``, also
        behind a constant or inside ``new TextEncoder().encode(...)``), or None."""
        target = self.resolve(node)
        for _ in range(MAX_DEPTH):
            if target is None or target.type != "call_expression":
                break
            fn = target.child_by_field_name("function")
            args = self.args(target)
            if fn is None or self.text(fn).replace(" ", "") not in BYTES_OF or not args:
                break
            target = self.resolve(args[0])
        if target is None or target.type != "binary_expression":
            return None
        op = target.child_by_field_name("operator")
        right = self.unwrap(target.child_by_field_name("right"))
        if op is None or self.text(op) not in ("||", "??") or right is None or self.string_value(right) is None:
            return None
        return self.span(right)

    def _evaluate(self, node: Any, depth: int) -> tuple[Any, str | None, Span | None, bool]:
        node = self.unwrap(node)
        if node is None or depth > MAX_DEPTH:
            return UNKNOWN, None, None, False
        kind = node.type
        if kind in ("string", "template_string"):
            value = self.string_value(node)
            return (UNKNOWN if value is None else value), None, None, False
        if kind == "number":
            return number_value(self.text(node)), None, None, False
        if kind == "true":
            return True, None, None, False
        if kind == "false":
            return False, None, None, False
        if kind in ("null", "undefined"):
            return None, None, None, False
        if kind == "regex":
            pattern = node.child_by_field_name("pattern")
            return (self.text(pattern) if pattern is not None else ""), None, None, True
        if kind == "array":
            items = [self.value(child, depth + 1) for child in node.named_children if child.type != "comment"]
            known = all(item is not UNKNOWN for item in items)
            return (items if known else UNKNOWN), None, None, False
        if kind == "object":
            return self._object_value(node, depth), None, None, False
        if kind == "unary_expression":
            return self._unary(node, depth), None, None, False
        if kind == "binary_expression":
            return self._binary(node, depth)
        if kind in FUNCTIONS:
            return UNKNOWN, "function", None, False
        if kind in ("identifier", "member_expression", "subscript_expression", "shorthand_property_identifier"):
            return self._reference(node, depth)
        if kind == "call_expression":
            fn = node.child_by_field_name("function")
            callee = self.text(fn).replace(" ", "") if fn is not None else "?"
            if callee in BYTES_OF:  # `new TextEncoder().encode(s)`, `Buffer.from(s)`: the key is that text
                args = self.args(node)
                if args:
                    value, ref, origin, _ = self._evaluate(args[0], depth + 1)
                    if isinstance(value, str):
                        return value.encode("utf-8"), None, origin, False
                    if ref is not None and ref.startswith("env:"):
                        return UNKNOWN, ref, origin, False
            return UNKNOWN, f"call:{callee}", None, False
        if kind == "new_expression":
            ctor = node.child_by_field_name("constructor")
            return UNKNOWN, f"call:new {self.text(ctor) if ctor is not None else '?'}", None, False
        return UNKNOWN, None, None, False

    def _object_value(self, node: Any, depth: int) -> Any:
        result: dict[str, Any] = {}
        for child in node.named_children:
            if child.type == "comment":
                continue
            if child.type != "pair":
                return UNKNOWN
            name = self.property_name(child.child_by_field_name("key"))
            value = self.value(child.child_by_field_name("value"), depth + 1)
            if name is None or value is UNKNOWN:
                return UNKNOWN
            result[name] = value
        return result

    def _unary(self, node: Any, depth: int) -> Any:
        op = node.child_by_field_name("operator")
        arg = node.child_by_field_name("argument")
        value = self.value(arg, depth + 1) if arg is not None else UNKNOWN
        op_text = self.text(op) if op is not None else ""
        if op_text == "-" and isinstance(value, (int, float)) and not isinstance(value, bool):
            return -value
        if op_text == "+" and isinstance(value, (int, float)) and not isinstance(value, bool):
            return value
        if op_text == "!" and value is not UNKNOWN:
            return not value
        return UNKNOWN

    def _binary(self, node: Any, depth: int) -> tuple[Any, str | None, Span | None, bool]:
        op_node = node.child_by_field_name("operator")
        op = self.text(op_node) if op_node is not None else ""
        left = node.child_by_field_name("left")
        right = node.child_by_field_name("right")
        lval, lref, _, _ = self._evaluate(left, depth + 1)
        if op in ("||", "??"):
            # `process.env.SECRET || "dev"` refers to the environment; its fallback is not its value.
            if lref is not None or lval is UNKNOWN:
                return UNKNOWN, lref, None, False
            falsy = lval is None if op == "??" else lval in (None, "", 0, False)
            return (self.value(right, depth + 1) if falsy else lval), None, None, False
        rval = self.value(right, depth + 1)
        return arithmetic(op, lval, rval), None, None, False

    def _reference(self, node: Any, depth: int) -> tuple[Any, str | None, Span | None, bool]:
        env = self.env_name(node)
        if env is not None:
            return UNKNOWN, f"env:{env}", None, False
        if node.type == "identifier" and self.text(node) in self.env_names and self.text(node) not in self.values:
            return UNKNOWN, f"env:{self.env_names[self.text(node)]}", None, False
        if node.type == "subscript_expression":
            return UNKNOWN, None, None, False
        target = self.resolve(node)
        if target is not None and target != node and (target.type != "identifier" or depth < MAX_DEPTH):
            value, ref, _, is_regex = self._evaluate(target, depth + 1)
            if value is not UNKNOWN or ref is not None:  # `origin`: where the followed constant is defined
                return value, ref, self.span(target), is_regex
        if node.type == "identifier":
            return UNKNOWN, f"name:{self.text(node)}", None, False
        key = self.key_of(node)
        return UNKNOWN, (f"name:{key}" if key else None), None, False

    def is_env(self, node: Any) -> bool:
        """``process.env`` (or Vite's ``import.meta.env``, Deno's ``Deno.env``): the environment object."""
        return node is not None and self.text(node).replace(" ", "") in ("process.env", "import.meta.env", "Deno.env")

    def env_name(self, node: Any) -> str | None:
        """``process.env.X`` / ``process.env["X"]`` / ``import.meta.env.X`` -> ``X``."""
        node = self.unwrap(node)
        if node is None or node.type not in ("member_expression", "subscript_expression"):
            return None
        obj = node.child_by_field_name("object")
        if obj is None or not self.is_env(obj):
            return None
        if node.type == "member_expression":
            prop = node.child_by_field_name("property")
            return self.text(prop) if prop is not None else None
        index = node.child_by_field_name("index")
        return self.string_value(index) if index is not None else None

    # -- options --------------------------------------------------------------------------------
    def option_bag(self, node: Any | None, after: Any | None = None, open_paren: int | None = None) -> OptionBag:
        """The options object at ``node`` (followed through a ``const``), ready for edits.

        Without an options argument (``node`` None) the bag is empty and new options are inserted
        as a fresh object literal after the ``after`` argument (or inside empty parentheses).
        """
        if node is None:
            if after is not None:
                return OptionBag(insert_at=self.char(after.end_byte), insert_prefix=", { ", insert_suffix=" }", form="object")
            if open_paren is not None:
                return OptionBag(insert_at=self.char(open_paren), insert_prefix="{ ", insert_suffix=" }", form="object")
            return OptionBag()
        obj = self.resolve(node)
        if obj is None or obj.type != "object":
            return OptionBag(spread=True)
        return self.object_bag(obj)

    def object_bag(self, obj: Any, depth: int = 0) -> OptionBag:
        items: dict[str, Option] = {}
        spread = False
        members = [child for child in obj.named_children if child.type != "comment"]
        for child in members:
            if child.type == "pair":
                key = child.child_by_field_name("key")
                value = child.child_by_field_name("value")
                name = self.property_name(key)
                if name is None or value is None:
                    spread = True  # a computed key may set anything
                    continue
                items[name] = Option(name, self.expr(value, depth), self.span(child), self.span(key))
            elif child.type == "shorthand_property_identifier":
                name = self.text(child)
                items[name] = Option(name, self.expr(child, depth), self.span(child), self.span(child))
            elif child.type == "method_definition":
                key = child.child_by_field_name("name")
                name = self.property_name(key)
                if name is not None:
                    value = Expr(self.span(child), self.text(child), UNKNOWN, "function")
                    items[name] = Option(name, value, self.span(child), self.span(key))
            elif child.type == "spread_element":
                spread = self._spread_into(child, items, depth) or spread
        bag = OptionBag(items=items, span=self.span(obj), spread=spread, form="object")
        self._insertion_point(obj, members, bag)
        return bag

    def _spread_into(self, element: Any, items: dict[str, Option], depth: int) -> bool:
        """(travel) ``{ ...baseOptions, algorithms }``: the properties of a spread object literal of
        this file (followed through constants) take their place in order; True when what is spread
        cannot be read here (another module's object, a call), so absent options may still be set."""
        inner = next((c for c in element.named_children if c.type != "comment"), None)
        target = self.resolve(inner) if inner is not None and depth < MAX_DEPTH else None
        if target is None or target.type != "object":
            return True
        spread = self.object_bag(target, depth + 1)
        items.update(spread.items)
        return spread.spread

    def _insertion_point(self, obj: Any, members: list[Any], bag: OptionBag) -> None:
        """Where a new property goes: after the last one, keeping the object's layout."""
        if not members:  # `{}` -> `{ name: value }`; `{ }` / `{  }` keep their own closing space
            inner = self.data[obj.start_byte + 1 : obj.end_byte - 1]
            if b"\n" in inner and not inner.strip():  # `{\n}` -> one property on its own line
                line_start = self.data.rfind(b"\n", 0, obj.start_byte) + 1
                line = self.data[line_start : obj.start_byte]
                indent = line[: len(line) - len(line.lstrip())].decode("utf-8", "replace")
                bag.insert_at = self.char(obj.start_byte + 1)
                bag.insert_prefix, bag.insert_suffix = self.source.newline + indent + "  ", ","
                return
            spaces = len(inner) if not inner.strip() else 0
            bag.insert_at = self.char(obj.start_byte + 1 + max(spaces - 1, 0))
            bag.insert_prefix, bag.insert_suffix = ("" if spaces > 1 else " "), ("" if spaces else " ")
            return
        last = members[-1]
        trailing_comma = False
        sibling = last.next_sibling
        while sibling is not None and sibling.type == "comment":
            sibling = sibling.next_sibling
        if sibling is not None and sibling.type == ",":
            trailing_comma = True
        multiline = self.data.count(b"\n", obj.start_byte, obj.end_byte) > 0
        if not multiline:
            bag.insert_at = self.char(last.end_byte)
            bag.insert_prefix, bag.insert_suffix = ", ", ""
            return
        line_start = self.data.rfind(b"\n", 0, last.start_byte) + 1
        indent = self.data[line_start : last.start_byte]
        indent_text = indent.decode("utf-8", "replace") if not indent.strip() else "  "
        newline = self.source.newline
        if trailing_comma:
            bag.insert_at = self.char(sibling.end_byte)
            bag.insert_prefix, bag.insert_suffix = newline + indent_text, ","
        else:
            bag.insert_at = self.char(last.end_byte)
            bag.insert_prefix, bag.insert_suffix = "," + newline + indent_text, ""

    # -- functions ------------------------------------------------------------------------------
    def function_node(self, node: Any) -> Any | None:
        """The function a callback argument denotes (inline, or a named function / const arrow)."""
        node = self.unwrap(node)
        if node is None:
            return None
        if node.type in FUNCTIONS:
            return node
        if node.type == "identifier":
            name = self.text(node)
            if name in self.functions:
                return self.functions[name]
            target = self.resolve(node)
            if target is not None and target.type in FUNCTIONS:
                return target
        return None

    def params(self, fn: Any) -> list[str | None]:
        """Parameter names of a function (None for patterns); ``x => ...`` included."""
        single = fn.child_by_field_name("parameter")
        if single is not None:
            return [self.text(single) if single.type == "identifier" else None]
        params = fn.child_by_field_name("parameters")
        names: list[str | None] = []
        if params is None:
            return names
        for param in params.named_children:
            if param.type == "comment":
                continue
            if param.type in ("required_parameter", "optional_parameter"):
                param = param.child_by_field_name("pattern")
            if param is not None and param.type == "assignment_pattern":
                param = param.child_by_field_name("left")
            names.append(self.text(param) if param is not None and param.type == "identifier" else None)
        return names
