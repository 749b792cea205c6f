"""nats-server's configuration language, parsed the way ``conf/lex.go`` + ``conf/parse.go`` do.

Not HOCON: separators may be whitespace, ``2m`` is the integer 2000000, ``pa#ss`` is one value,
``$name`` looks up earlier keys of the enclosing maps and then the environment, unquoted ``$2a$`` is
a bcrypt literal, ``( ... )`` is a block string. Every key and value keeps its span (char offsets
into its own file), its raw text and its typed value, so a fix can rewrite exactly one of them.

Two modes: *strict* (what nats-server does: an unknown variable or a missing include is a
``ParseError``) and the default *lint* mode, where those become ``Problem`` records (reported by a
rule) and the rest of the file is still checked. Includes are read only inside ``root`` and never
over the network; a loop, a missing file or a path leaving the root is a problem, never a crash.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterator, Mapping

from authlint.files.paths import within
from authlint.files.source import DecodeError, Source, Span
from authlint.syntax.errors import ParseError

if TYPE_CHECKING:
    from authlint.run.context import FileContext

BOOLS = {"true": True, "yes": True, "on": True, "false": False, "no": False, "off": False}
SUFFIX_LETTERS = frozenset("kKmMgGtTpPeE")
SUFFIXES: dict[str, int] = {"": 1}
for _i, _letter in enumerate("kmgtpe", start=1):
    SUFFIXES[_letter] = 1000**_i
    for _bin in ("b", "i", "ib"):
        SUFFIXES[_letter + _bin] = 1024**_i
MAX_INCLUDE_DEPTH = 16
MAX_INCLUDES = 256  # per top-level parse: a diamond of includes must not explode
MAX_INCLUDE_BYTES = 2 * 1024 * 1024

_WS = " \t"
_NL = "\n\r"
_UNQUOTED_RUN = re.compile(r"[^\n\r;,\]\}\t '\\]*")
_KEY_RUN = re.compile(r"[^\s=:]*")
_SPACE_RUN = re.compile(r"\s*")
_LINE_REST = re.compile(r"[^\n\r]*")
_BLANK_RUN = re.compile(r"[ \t]*")
_DIGITS = re.compile(r"[0-9]*")
_IP_RUN = re.compile(r"[0-9.:\-]*")
_DATE_REST = re.compile(r"[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z")
_NUM_END = frozenset("\n\r};,\t ")
BCRYPT_RE = re.compile(r"^\$2[abxy]\$\d{2}\$")


# --------------------------------------------------------------------------------------- tree


@dataclass(eq=False)
class Comment:
    span: Span
    text: str  # including the leading ``#`` or ``//``


@dataclass(eq=False)
class Node:
    """A value. ``kind``: string, integer, float, bool, datetime, map, array or unresolved.

    ``value`` is the typed value as nats-server sees it (for a variable: the value it resolved to).
    ``variable`` names the ``$variable`` when the value was written as one; ``target`` is then the
    node it resolved to in the config (None when it came from the environment or was not found).
    """

    kind: str
    span: Span
    raw: str
    source: Source = field(repr=False)
    value: Any = None
    style: str = ""  # strings: unquoted | double | single | block
    variable: str | None = None
    target: Node | None = field(default=None, repr=False)
    from_env: bool = False

    @property
    def is_literal(self) -> bool:
        """Written in the config itself (not a variable reference, not from the environment)."""
        return self.variable is None

    @property
    def origin(self) -> Node | None:
        """The node whose text holds this value in some file (follows variables); None if from env."""
        node: Node | None = self
        seen = 0
        while node is not None and node.variable is not None and seen < 64:
            node = node.target
            seen += 1
        return node

    def py(self) -> Any:
        """Plain Python value (maps: last key wins, as in nats-server)."""
        return self.value


@dataclass(eq=False)
class Entry:
    """``key <sep> value`` inside a map. ``key_span`` covers the key without its quotes."""

    key: str
    key_span: Span
    key_raw: str
    value: Node
    source: Source = field(repr=False)
    include: Include | None = field(default=None, repr=False)  # set when merged in from an include
    used_as_variable: bool = False

    @property
    def lower(self) -> str:
        return self.key.lower()

    @property
    def span(self) -> Span:
        start = self.key_span.start - (1 if self.key_raw[:1] in "\"'" else 0)
        return Span(start, max(self.value.span.end, self.key_span.end))


@dataclass(eq=False)
class MapNode(Node):
    entries: list[Entry] = field(default_factory=list)

    def get(self, *names: str) -> Entry | None:
        """The last entry whose lower-cased key is one of ``names`` (nats-server lower-cases keys)."""
        wanted = {n.lower() for n in names}
        for entry in reversed(self.entries):
            if entry.lower in wanted:
                return entry
        return None

    def all(self, *names: str) -> list[Entry]:
        wanted = {n.lower() for n in names}
        return [e for e in self.entries if e.lower in wanted]

    def py(self) -> dict[str, Any]:
        return {e.key: e.value.py() for e in self.entries}


@dataclass(eq=False)
class ArrayNode(Node):
    items: list[Node] = field(default_factory=list)

    def py(self) -> list[Any]:
        return [item.py() for item in self.items]


@dataclass(eq=False)
class Include:
    span: Span  # the path's span (without quotes)
    path: str
    source: Source = field(repr=False)
    resolved: Path | None = None
    status: str = "ok"  # ok | missing | outside-root | loop | error | too-deep | unreadable
    detail: str = ""


@dataclass(eq=False)
class Problem:
    """Something nats-server would refuse that lint mode keeps going past."""

    kind: str  # variable | include
    message: str
    span: Span
    source: Source = field(repr=False)
    name: str = ""


@dataclass(eq=False)
class NatsConfig:
    source: Source
    root: MapNode
    comments: list[Comment] = field(default_factory=list)
    includes: list[Include] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    wrapped: bool = False  # the whole file sits in one ``{ ... }``

    def py(self) -> dict[str, Any]:
        return self.root.py()


# ------------------------------------------------------------------------------------- parser


class _Loader:
    """Reads included files: only inside ``root``, never twice in one chain, bounded depth."""

    def __init__(self, root: Path | None, env: Mapping[str, str], strict: bool) -> None:
        self.root = Path(os.path.realpath(root)) if root is not None else None
        self.env = env
        self.strict = strict
        self.reads = 0

    def inside_root(self, path: Path) -> bool:
        if self.root is None:
            return False
        return within(os.path.realpath(path), str(self.root))

    def relpath(self, path: Path) -> str:
        try:
            return Path(os.path.realpath(path)).relative_to(self.root).as_posix()  # type: ignore[arg-type]
        except ValueError:
            return path.as_posix()


class _Parser:
    def __init__(self, source: Source, loader: _Loader, chain: tuple[str, ...] = ()) -> None:
        self.src = source
        self.text = source.text
        self.n = len(self.text)
        self.pos = 0
        self.loader = loader
        self.chain = chain
        self.stack: list[MapNode] = []  # enclosing maps, for $variable lookup
        self.comments: list[Comment] = []
        self.includes: list[Include] = []
        self.problems: list[Problem] = []
        self.wrapped = False

    # -- helpers ---------------------------------------------------------------------------
    def error(self, message: str, offset: int | None = None) -> ParseError:
        at = self.pos if offset is None else offset
        return ParseError(message, min(at, self.n))

    def peek(self, k: int = 0) -> str:
        i = self.pos + k
        return self.text[i : i + 1]

    def _got(self) -> str:
        c = self.peek()
        return "EOF" if c == "" else c

    def comment(self) -> None:
        """At ``#`` or ``//``: consume to end of line (the newline stays)."""
        end = _LINE_REST.match(self.text, self.pos).end()  # type: ignore[union-attr]
        self.comments.append(Comment(Span(self.pos, end), self.text[self.pos : end]))
        self.pos = end

    def at_comment(self) -> bool:
        c = self.peek()
        return c == "#" or (c == "/" and self.peek(1) == "/")

    def skip_space(self) -> None:
        pos = self.pos
        if pos < self.n and self.text[pos].isspace():
            self.pos = _SPACE_RUN.match(self.text, pos).end()  # type: ignore[union-attr]

    def skip_blank(self) -> None:
        pos = self.pos
        if pos < self.n and self.text[pos] in _WS:
            self.pos = _BLANK_RUN.match(self.text, pos).end()  # type: ignore[union-attr]

    # -- top level -------------------------------------------------------------------------
    def parse(self) -> NatsConfig:
        root = MapNode("map", Span(0, self.n), self.text, self.src, value=None)
        self.stack.append(root)
        while True:
            self.skip_space()
            c = self.peek()
            if c == "":
                break
            if self.at_comment():
                self.comment()
                continue
            if c == "{":  # a whole-file wrapper; its "}" ends a value like "," does
                self.pos += 1
                self.wrapped = True
                continue
            if c == "/":
                raise self.error("Unexpected EOF.")
            if not self.entry(root, top=True):
                break
            self.top_value_end()
        root.value = root
        return NatsConfig(self.src, root, self.comments, self.includes, self.problems, self.wrapped)

    def top_value_end(self) -> None:
        while True:
            self.skip_blank()
            c = self.peek()
            if c == "#" or (c == "/" and self.peek(1) == "/"):
                self.comment()
                return
            if c == "/":
                self.pos += 1
                continue
            if c == "" or c in _NL or c in ";,}":
                if c:
                    self.pos += 1
                return
            raise self.error(
                f"Expected a top-level value to end with a new line, comment or EOF, but got '{c}' instead."
            )

    # -- keys ------------------------------------------------------------------------------
    def entry(self, owner: MapNode, top: bool) -> bool:
        """Parse ``key sep value`` (or an include) into ``owner``; False at a dangling key + EOF."""
        c = self.peek()
        if c in ("=", ":"):
            raise self.error(f"Unexpected key separator '{c}'")
        if c in ('"', "'"):
            close = self.text.find(c, self.pos + 1)
            if close < 0:
                raise self.error("Unexpected EOF.")
            key_span = Span(self.pos + 1, close)
            key_raw = self.text[self.pos : close + 1]
            self.pos = close + 1
        else:
            start = self.pos
            self.pos = _KEY_RUN.match(self.text, self.pos + 1).end()  # type: ignore[union-attr]
            key_span = Span(start, self.pos)
            key_raw = self.text[start : self.pos]
            if self.pos >= self.n and not top:
                raise self.error("Unexpected EOF processing map.")
            if self.peek().isspace() and key_raw.lower() == "include":
                self.include(owner)
                return True
        key = self.text[key_span.start : key_span.end]
        # key end: any whitespace (newlines too), then an optional separator
        self.skip_space()
        c = self.peek()
        if c in ("=", ":"):
            self.pos += 1
        elif c == "":
            if top:
                return False  # nats-server ignores a dangling key at EOF
            raise self.error("Unexpected EOF processing map.")
        if not top:
            self.skip_space()
            c = self.peek()
            if c == ",":
                raise self.error("Unexpected map value terminator ','.")
            if c == "}":
                # nats-server accepts this and then files the enclosing map under the wrong key
                self.problems.append(
                    Problem(
                        "dangling",
                        f"key '{key}' has no value; nats-server mis-files this block",
                        key_span,
                        self.src,
                        key,
                    )
                )
                return True
        value = self.value()
        owner.entries.append(Entry(key, key_span, key_raw, value, self.src))
        return True

    def include(self, owner: MapNode) -> None:
        self.skip_blank()
        c = self.peek()
        if c in ('"', "'"):
            close = self.text.find(c, self.pos + 1)
            if close < 0:
                raise self.error("Unexpected EOF.")
            span = Span(self.pos + 1, close)
            self.pos = close + 1
        else:
            if c == "[" or c == "{" or c == "(" or c.isdigit() or c == "-" or c == "\\":
                raise self.error(f"Expected include value but found '{c}'")
            if c in _NL:
                raise self.error("Expected include value but found new line")
            start = self.pos
            while self.pos < self.n and self.text[self.pos] not in "\n\r;}\t '":
                self.pos += 1
            span = Span(start, self.pos)
        path = self.text[span.start : span.end]
        inc = Include(span, path, self.src)
        self.includes.append(inc)
        self._load_include(inc, owner)

    def _load_include(self, inc: Include, owner: MapNode) -> None:
        loader = self.loader
        base = self.src.path.parent
        target = Path(os.path.normpath(os.path.join(str(base), inc.path.lstrip("/"))))
        inc.resolved = target
        real = os.path.realpath(target)
        if len(self.chain) >= MAX_INCLUDE_DEPTH:
            self._include_problem(inc, "too-deep", f"include '{inc.path}' is nested too deeply")
            return
        if real in self.chain or real == os.path.realpath(self.src.path):
            self._include_problem(inc, "loop", f"include '{inc.path}' includes itself (loop)")
            return
        if not loader.inside_root(target):
            self._include_problem(inc, "outside-root", f"include '{inc.path}' points outside the project root")
            return
        loader.reads += 1
        if loader.reads > MAX_INCLUDES:
            self._include_problem(inc, "too-deep", f"include '{inc.path}': more than {MAX_INCLUDES} includes")
            return
        if os.path.exists(real) and not os.path.isfile(real):
            self._include_problem(inc, "unreadable", f"include '{inc.path}' is not a regular file")
            return
        try:
            if os.path.getsize(real) > MAX_INCLUDE_BYTES:
                self._include_problem(inc, "unreadable", f"include '{inc.path}' is too large")
                return
            with open(real, "rb") as handle:
                raw = handle.read()
        except FileNotFoundError:
            self._include_problem(inc, "missing", f"error parsing include file '{inc.path}': no such file")
            return
        except OSError as exc:
            self._include_problem(inc, "unreadable", f"include '{inc.path}' cannot be read: {exc.strerror}")
            return
        try:
            sub_source = Source.from_bytes(target, loader.relpath(target), raw, "natsconf")
        except DecodeError as exc:
            self._include_problem(inc, "unreadable", f"include '{inc.path}' cannot be decoded: {exc}")
            return
        sub = _Parser(sub_source, loader, self.chain + (os.path.realpath(self.src.path),))
        try:
            sub_config = sub.parse()
        except ParseError as exc:
            line, _ = sub_source.position(exc.offset)
            self._include_problem(inc, "error", f"error parsing include file '{inc.path}': line {line}: {exc.message}")
            return
        self.includes.extend(sub.includes)
        self.problems.extend(sub.problems)
        for entry in sub_config.root.entries:
            entry.include = entry.include or inc
            owner.entries.append(entry)

    def _include_problem(self, inc: Include, status: str, message: str) -> None:
        inc.status = status
        inc.detail = message
        if self.loader.strict:
            raise self.error(message, inc.span.start)
        self.problems.append(Problem("include", message, inc.span, self.src, inc.path))

    # -- values ----------------------------------------------------------------------------
    def value(self) -> Node:
        self.skip_blank()
        c = self.peek()
        if c == "[":
            return self.array()
        if c == "{":
            return self.map()
        if c == "'":
            return self.single_quoted()
        if c == '"':
            return self.double_quoted()
        if c == "-":
            return self.negative()
        if c == "(":
            return self.block()
        if c.isdigit() and c.isascii():
            return self.number()
        if c == ".":
            raise self.error("Floats must start with a digit")
        if c and c in _NL:
            raise self.error("Expected value but found new line")
        return self.unquoted(self.pos)

    def _string(self, start: int, value: str, style: str) -> Node:
        return Node("string", Span(start, self.pos), self.text[start : self.pos], self.src, value, style)

    def single_quoted(self) -> Node:
        start = self.pos
        close = self.text.find("'", start + 1)
        if close < 0:
            raise self.error("Unexpected EOF.")
        self.pos = close + 1
        return self._string(start, self.text[start + 1 : close], "single")

    def double_quoted(self) -> Node:
        start = self.pos
        self.pos += 1
        parts: list[str] = []
        text = self.text
        while True:
            j = self.pos
            while j < self.n and text[j] != '"' and text[j] != "\\":
                j += 1
            parts.append(text[self.pos : j])
            self.pos = j
            if j >= self.n:
                raise self.error("Unexpected EOF.")
            if text[j] == '"':
                self.pos = j + 1
                return self._string(start, "".join(parts), "double")
            parts.append(self.escape())

    def escape(self) -> str:
        """At a backslash: decode ``\\t \\n \\r \\" \\\\ \\xHH`` (anything else is an error)."""
        self.pos += 1
        c = self.peek()
        simple = {"t": "\t", "n": "\n", "r": "\r", '"': '"', "\\": "\\"}
        if c in simple and c:
            self.pos += 1
            return simple[c]
        if c == "x":
            digits = self.text[self.pos + 1 : self.pos + 3]
            if len(digits) < 2 or any(ch in _NL for ch in digits):
                raise self.error("Expected two hexadecimal digits after '\\x', but hit end of line")
            try:
                value = int(digits, 16)
            except ValueError:
                raise self.error(f"Expected two hexadecimal digits after '\\x', but got '{digits}'") from None
            self.pos += 3
            return chr(value)
        raise self.error(
            f"Invalid escape character '{c}'. Only the following escape characters are allowed: "
            '\\xXX, \\t, \\n, \\r, \\", \\\\.'
        )

    def unquoted(self, start: int) -> Node:
        """An unquoted string from ``start`` (the lexer may already be past its first chars)."""
        parts: list[str] = [self.text[start : self.pos]]
        escaped = False
        text = self.text
        while True:
            end = _UNQUOTED_RUN.match(text, self.pos).end()  # type: ignore[union-attr]
            parts.append(text[self.pos : end])
            self.pos = end
            if end < self.n and text[end] == "\\":
                escaped = True
                parts.append(self.escape())
                continue
            break
        raw = text[start : self.pos]
        span = Span(start, self.pos)
        if self.pos < self.n and text[self.pos] == "'":
            self.pos += 1  # nats-server ends the string at a quote and drops the quote
            return Node("string", span, raw, self.src, "".join(parts), "unquoted")
        if escaped:
            return Node("string", span, raw, self.src, "".join(parts), "unquoted")
        lower = raw.lower()
        if lower in BOOLS:
            return Node("bool", span, raw, self.src, BOOLS[lower], "unquoted")
        if raw.startswith("$"):
            if raw[1:4] == "2a$":
                return Node("string", span, raw, self.src, raw, "unquoted")
            return self.variable(raw[1:], span)
        return Node("string", span, raw, self.src, raw, "unquoted")

    def block(self) -> Node:
        start = self.pos
        text = self.text
        i = start + 1
        while True:
            j = text.find("\n)", i)
            if j < 0:
                raise self.error("Unexpected EOF processing block.")
            after = j + 2
            if after >= self.n or text[after] == "\n":
                self.pos = after
                return self._string(start, text[start + 1 : j + 1], "block")
            i = j + 1

    def number(self) -> Node:
        start = self.pos
        text = self.text
        self.pos = _DIGITS.match(text, self.pos).end()  # type: ignore[union-attr]
        c = self.peek()
        if c == "-":
            if self.pos - start != 4:
                raise self.error("All ISO8601 dates must be in full Zulu form.")
            m = _DATE_REST.match(text, self.pos + 1)
            if not m:
                raise self.error("Expected an ISO8601 datetime in full Zulu form (2006-01-02T15:04:05Z).")
            self.pos = m.end()
            raw = text[start : self.pos]
            try:
                value = datetime.strptime(raw, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=timezone.utc)
            except ValueError:
                raise self.error(f"invalid datetime '{raw}'", start) from None
            return Node("datetime", Span(start, self.pos), raw, self.src, value)
        if c == ".":
            return self.float_or_ip(start)
        if c in SUFFIX_LETTERS:
            return self.convenient(start)
        if c == "" or c in _NUM_END:
            return self.integer(start)
        self.pos += 1  # nats-server's lexer swallows this character into a string (even ']')
        return self.unquoted(start)

    def float_or_ip(self, start: int) -> Node:
        self.pos += 1
        if not self.peek().isdigit():
            raise self.error(f"Floats must have a digit after the '.', but got '{self._got()}' instead.")
        self.pos = _DIGITS.match(self.text, self.pos).end()  # type: ignore[union-attr]
        if self.peek() == ".":
            self.pos = _IP_RUN.match(self.text, self.pos).end()  # type: ignore[union-attr]
            return self._string(start, self.text[start : self.pos], "unquoted")
        raw = self.text[start : self.pos]
        return Node("float", Span(start, self.pos), raw, self.src, float(raw))

    def convenient(self, start: int) -> Node:
        self.pos += 1
        while self.peek() in ("b", "B", "i", "I") and self.peek():
            self.pos += 1
        c = self.peek()
        if c == "" or c in _NUM_END or c.isdigit():
            return self.integer(start)
        return self.unquoted(start)

    def integer(self, start: int) -> Node:
        raw = self.text[start : self.pos]
        digits = raw.lstrip("-")
        k = 0
        while k < len(digits) and digits[k].isdigit():
            k += 1
        number_text = raw[: len(raw) - len(digits) + k]
        suffix = digits[k:].lower()
        number = int(number_text)
        if not -(2**63) <= number < 2**63:
            # the digits may be a numeric password: say how long, never what
            raise self.error(f"integer of {len(digits)} digits is out of the range of int64", start)
        if suffix not in SUFFIXES:
            raise self.error(f"unknown suffix '{suffix}'", start)
        value = number * SUFFIXES[suffix]
        value = (value + 2**63) % 2**64 - 2**63  # int64 overflow wraps, as in Go
        return Node("integer", Span(start, self.pos), raw, self.src, value)

    def negative(self) -> Node:
        start = self.pos
        self.pos += 1
        if not self.peek().isdigit():
            raise self.error(f"Expected a digit after '-', but got '{self._got()}' instead.")
        self.pos = _DIGITS.match(self.text, self.pos).end()  # type: ignore[union-attr]
        c = self.peek()
        if c == ".":
            return self.float_or_ip(start)  # -1.5, or -0.0.0.0 which nats-server takes as a string
        if c in SUFFIX_LETTERS and c:
            return self.convenient(start)  # like a positive number: a string if more follows
        return self.integer(start)

    # -- containers ------------------------------------------------------------------------
    def array(self) -> ArrayNode:
        start = self.pos
        self.pos += 1
        node = ArrayNode("array", Span(start, start), "", self.src)
        while True:  # value start
            self.skip_space()
            c = self.peek()
            if c == "":
                raise self.error("Unexpected EOF processing array.")
            if self.at_comment():
                self.comment()
                continue
            if c in (",", "/"):
                raise self.error("Unexpected array value terminator ','.")
            if c == "]":
                self.pos += 1
                break
            node.items.append(self.value())
            if self._array_value_end():
                break
        node.span = Span(start, self.pos)
        node.raw = self.text[start : self.pos]
        node.value = node.items
        return node

    def _array_value_end(self) -> bool:
        """True when the array closed."""
        while True:
            self.skip_blank()
            c = self.peek()
            if c == "#" or (c == "/" and self.peek(1) == "/"):
                self.comment()
                continue
            if c == "/" or c == "," or (c and c in _NL):
                self.pos += 1
                return False
            if c == "]":
                self.pos += 1
                return True
            raise self.error(
                f"Expected an array value terminator ',' or an array terminator ']', but got '{self._got()}' instead."
            )

    def map(self) -> MapNode:
        start = self.pos
        self.pos += 1
        node = MapNode("map", Span(start, start), "", self.src)
        self.stack.append(node)
        try:
            while True:  # key start
                self.skip_space()
                c = self.peek()
                if c == "":
                    raise self.error("Unexpected EOF processing map.")
                if c == "}":
                    self.pos += 1
                    break
                if self.at_comment():
                    self.comment()
                    continue
                if c == "/":
                    self.pos += 1
                    continue
                if c == "]":
                    raise self.error("Unexpected array end ']' processing map.")
                self.entry(node, top=False)
                if self._map_value_end():
                    break
        finally:
            self.stack.pop()
        node.span = Span(start, self.pos)
        node.raw = self.text[start : self.pos]
        node.value = node
        return node

    def _map_value_end(self) -> bool:
        while True:
            self.skip_blank()
            c = self.peek()
            if c == "#" or (c == "/" and self.peek(1) == "/"):
                self.comment()
                return False
            if c == "/" or (c and c in ";,\n\r"):
                self.pos += 1
                return False
            if c == "}":
                self.pos += 1
                return True
            raise self.error(
                f"Expected a map value terminator ',' or a map terminator '}}', but got '{self._got()}' instead."
            )

    # -- variables -------------------------------------------------------------------------
    def variable(self, name: str, span: Span) -> Node:
        raw = self.text[span.start : span.end]
        for scope in reversed(self.stack):
            for entry in reversed(scope.entries):
                if entry.key == name:
                    entry.used_as_variable = True
                    target = entry.value
                    return Node(
                        target.kind,
                        span,
                        raw,
                        self.src,
                        target.value,
                        "variable",
                        name,
                        target,
                        target.from_env,
                    )
        env_value = self.loader.env.get(name)
        if env_value is not None and name not in self.chain_env():
            parsed = _parse_env_value(name, env_value, self.loader, self.chain)
            if parsed is not None:
                return Node(parsed.kind, span, raw, self.src, parsed.value, "variable", name, None, True)
        message = f"variable reference for '{name}' on line {self.src.position(span.start)[0]} can not be found"
        if self.loader.strict:
            raise self.error(message, span.start)
        self.problems.append(Problem("variable", message, span, self.src, name))
        return Node("unresolved", span, raw, self.src, None, "variable", name)

    def chain_env(self) -> tuple[str, ...]:
        return tuple(c[4:] for c in self.chain if c.startswith("env:"))


def _parse_env_value(name: str, value: str, loader: _Loader, chain: tuple[str, ...]) -> Node | None:
    """An environment value is itself parsed as a value (``FOO=2m`` is the integer 2000000)."""
    if f"env:{name}" in chain or len(chain) > MAX_INCLUDE_DEPTH:
        return None
    source = Source.from_text(f"{name}={value}", f"<env {name}>", "natsconf")
    parser = _Parser(source, loader, chain + (f"env:{name}",))
    try:
        config = parser.parse()
    except ParseError:
        return None
    entry = config.root.get(name)
    return entry.value if entry is not None else None


# ------------------------------------------------------------------------------------ entry points


def parse_text(
    text: str,
    path: str | Path = "nats-server.conf",
    root: str | Path | None = None,
    env: Mapping[str, str] | None = None,
    strict: bool = False,
    relpath: str | None = None,
) -> NatsConfig:
    """Parse config text as if it were the file ``path`` (includes resolve next to it, inside root)."""
    path = Path(path)
    source = Source(path=path, relpath=relpath or path.as_posix(), text=text, kind="natsconf")
    return parse_config(source, root=root, env=env, strict=strict)


def parse_config(
    source: Source,
    root: str | Path | None = None,
    env: Mapping[str, str] | None = None,
    strict: bool = False,
) -> NatsConfig:
    loader = _Loader(Path(root) if root is not None else None, os.environ if env is None else env, strict)
    try:
        return _Parser(source, loader).parse()
    except RecursionError:
        raise ParseError("config nested too deeply", 0) from None


def parse_source(source: Source, ctx: FileContext | None = None) -> NatsConfig:
    """The ``natsconf`` parser of the registry (lint mode; includes only inside the project root)."""
    root = ctx.settings.root if ctx is not None else None
    return parse_config(source, root=root)


# ------------------------------------------------------------------------------------ walking


def iter_nodes(node: Node) -> Iterator[Node]:
    """Every value node (scalars and containers) under and including ``node``."""
    yield node
    if node.variable is not None:
        return
    if isinstance(node, MapNode):
        for entry in node.entries:
            yield from iter_nodes(entry.value)
    elif isinstance(node, ArrayNode):
        for item in node.items:
            yield from iter_nodes(item)


def is_bcrypt(value: Any) -> bool:
    return isinstance(value, str) and BCRYPT_RE.match(value) is not None
