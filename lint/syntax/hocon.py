"""HOCON files (Lightbend config: Play's and akka-http's ``application.conf``), read with pyhocon and
given character spans.

pyhocon is a real HOCON parser: it merges duplicate keys and dotted paths the way Typesafe Config
does (the last assignment wins, ``a.b = 1`` and ``a { b = 1 }`` are one key), so the *values* are
taken from its tree. It keeps no positions, so a small scanner (``scan``) walks the text and records
where each key path is assigned: the key, its last segment, its value and each list element, and
where each object's body is, whatever the spelling (dotted paths, nested blocks, ``=`` / ``:`` / no
separator before ``{``, quoted keys, ``#`` and ``//`` comments, triple-quoted strings).

authlint never executes anything and reads only the file it is given: ``include`` statements are
blanked before pyhocon sees the text (pyhocon would read the file, glob or URL they name), and
substitutions (``${X}``, ``${?ENV}``) are left unresolved (pyhocon would read the environment), so a
value built from one is unknown (``UNRESOLVED``).

A file chosen as HOCON by its content alone (an ``application.conf`` with CORS settings) that pyhocon
rejects raises a *foreign* ``ParseError``: it is not reported, as before HOCON was read.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from authlint.files.source import Source, Span
from authlint.syntax.errors import ParseError

if TYPE_CHECKING:
    from authlint.run.context import FileContext


class _Unresolved:
    """A value pyhocon left as a substitution or a concatenation holding one (``${?CORS_ORIGINS}``)."""

    def __repr__(self) -> str:
        return "UNRESOLVED"


UNRESOLVED: Any = _Unresolved()

# ``include "x"``, ``include required(file("x"))``, ``include url("http://...")`` (caseless, as pyhocon)
INCLUDE = re.compile(
    r"""(?i)(?<![\w.-])include[ \t]+(?:required[ \t]*\([ \t]*)?(?:(?:url|file|package|classpath)[ \t]*\([ \t]*)?"""
    r""""(?:[^"\\\n]|\\.)*"[ \t]*\)?[ \t]*\)?"""
)
# characters that end an unquoted key or value (HOCON's forbidden characters, plus whitespace)
KEY_END = set(" \t\r\n=:{}[],#+\"")
VALUE_END = set("\r\n,}]#")


@dataclass
class Element:
    """One element of a list value as written."""

    span: Span  # the element, quotes included
    quoted: bool
    text: str  # its text as written (a quoted string: without the quotes, escapes kept)


@dataclass
class Field:
    """One assignment of a non-object value to a key path (``a.b.c = v``, or ``c = v`` inside ``a { b {``)."""

    path: tuple[str, ...]
    key: Span  # the whole key as written (``play.filters.cors.allowedOrigins``)
    name: Span  # its last segment (``allowedOrigins``), quotes included
    value: Span  # the value as written, up to the end of its line / the next ``,`` ``}`` ``]`` / a comment
    span: Span  # key through value
    append: bool = False  # ``+=``: the value is added to the list already there
    elements: list[Element] | None = None  # the elements of a list literal, else None
    depth: int = 0  # how many segments of ``path`` the enclosing objects give (``a { b.c = 1 }``: 1)


@dataclass
class Block:
    """An object value ``{ ... }`` assigned to a key path (the root object has the path ``()``)."""

    path: tuple[str, ...]
    key: Span | None  # None for the root
    body: Span  # between the braces (the whole file for the root without braces)
    members_indent: str = ""  # the indentation of its members' lines ("" when they share a line)


@dataclass
class Document:
    """A parsed HOCON file: pyhocon's tree (values) and where each key path is written (spans)."""

    tree: Any  # pyhocon ConfigTree
    fields: list[Field] = field(default_factory=list)
    blocks: list[Block] = field(default_factory=list)

    def value(self, path: tuple[str, ...], default: Any = None) -> Any:
        """The value pyhocon gives ``path`` (UNRESOLVED for a substitution), ``default`` when unset."""
        return plain(_get(self.tree, path, default))

    def has(self, path: tuple[str, ...]) -> bool:
        marker = object()
        return _get(self.tree, path, marker) is not marker

    def assigned(self, path: tuple[str, ...]) -> Field | None:
        """The assignment that decides ``path``: its last one in the file (HOCON's later-wins)."""
        found = [f for f in self.fields if f.path == path]
        return found[-1] if found else None

    def assignments(self, path: tuple[str, ...]) -> list[Field]:
        return [f for f in self.fields if f.path == path]

    def blocks_at(self, path: tuple[str, ...]) -> list[Block]:
        return [b for b in self.blocks if b.path == path]

    def under(self, prefix: tuple[str, ...]) -> list[Field]:
        """Every assignment to a key below ``prefix``."""
        size = len(prefix)
        return [f for f in self.fields if len(f.path) > size and f.path[:size] == prefix]


def _get(tree: Any, path: tuple[str, ...], default: Any) -> Any:
    """``path`` looked up segment by segment as plain dict keys: pyhocon's own ``[]`` splits a key
    at its dots, and it keeps a quoted key holding a dot with its quotes (``"a.b#c"``)."""
    node = tree
    for part in path:
        if not isinstance(node, dict):
            return default
        for spelled in (part, f'"{part}"'):
            if dict.__contains__(node, spelled):
                node = dict.__getitem__(node, spelled)  # never resolves substitutions
                break
        else:
            return default
    return node


def plain(value: Any) -> Any:
    """pyhocon's value as plain Python: ConfigTree -> dict, lists kept, substitutions -> UNRESOLVED."""
    from pyhocon.config_tree import ConfigTree, ConfigValues, NoneValue

    if isinstance(value, NoneValue):  # how pyhocon keeps `null` inside its tree
        return None
    if isinstance(value, ConfigValues):
        return UNRESOLVED
    if isinstance(value, ConfigTree):
        return {key: plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [plain(item) for item in value]
    return value if not type(value).__name__.startswith("Config") else UNRESOLVED


def without_includes(text: str) -> str:
    """``text`` with every ``include`` statement blanked (same length, so offsets hold)."""
    return INCLUDE.sub(lambda match: " " * len(match.group(0)), text)


def parse(text: str) -> Document:
    """The tree and the key positions of a HOCON file; ParseError where pyhocon rejects it."""
    from pyhocon import ConfigFactory

    safe = without_includes(text)
    try:
        tree = ConfigFactory.parse_string(safe, resolve=False)
    except RecursionError:
        raise ParseError("HOCON: nested too deeply", 0) from None
    except Exception as exc:  # pyparsing's ParseException family and pyhocon's ConfigException
        raise ParseError(f"HOCON: {_message(exc)}", _offset(text, exc)) from None
    try:
        fields, blocks = scan(safe)
    except RecursionError:
        raise ParseError("HOCON: nested too deeply", 0) from None
    return Document(tree=tree, fields=fields, blocks=blocks)


def _message(exc: Exception) -> str:
    text = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    return text[:200]


def _offset(text: str, exc: Exception) -> int:
    loc = getattr(exc, "loc", None)
    return loc if isinstance(loc, int) and 0 <= loc <= len(text) else 0


def parse_source(source: Source, ctx: FileContext | None = None) -> Document:
    try:
        return parse(source.text)
    except ParseError as exc:
        if not hocon_by_name(source.relpath):
            exc.foreign = True  # an `application.conf` that only looked like HOCON: not reported
        raise


def hocon_by_name(relpath: str) -> bool:
    """``*.hocon``: the name says HOCON (a rejected file is reported, E001)."""
    return relpath.lower().endswith(".hocon")


# -- the scanner: where each key path is written -------------------------------------------------


class _Scanner:
    """Walks HOCON text the way its grammar nests (objects, arrays, values), recording spans only;
    pyhocon has already accepted the text, so the scanner may be lenient."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.size = len(text)
        self.at = 0
        self.fields: list[Field] = []
        self.blocks: list[Block] = []

    # -- characters --------------------------------------------------------------------------
    def skip_blank(self, newlines: bool = True) -> None:
        """Whitespace and comments (and newlines and commas when ``newlines``)."""
        text, size = self.text, self.size
        while self.at < size:
            char = text[self.at]
            if char in " \t\ufeff" or (newlines and char in "\r\n,"):
                self.at += 1
            elif char == "#" or text.startswith("//", self.at):
                end = text.find("\n", self.at)
                self.at = size if end == -1 else end
            else:
                return

    def quoted_end(self, start: int) -> int:
        """The end of the quoted string opening at ``start`` (``"..."`` or ``\"\"\"...\"\"\"``)."""
        text = self.text
        if text.startswith('"""', start):
            end = text.find('"""', start + 3)
            if end == -1:
                return self.size
            while end + 3 < self.size and text[end + 3] == '"':  # `""""` ends with its last three quotes
                end += 1
            return end + 3
        at = start + 1
        while at < self.size and text[at] not in '"\n':
            at += 2 if text[at] == "\\" else 1
        return min(at + 1, self.size)

    # -- keys ----------------------------------------------------------------------------------
    def key(self) -> tuple[list[str], Span, Span] | None:
        """A key path at ``at``: its segments, whole span and last segment's span."""
        text = self.text
        start = self.at
        segments: list[str] = []
        current = ""
        segment_start = start
        last = Span(start, start)
        while self.at < self.size:
            char = text[self.at]
            if char == '"':
                end = self.quoted_end(self.at)
                current += text[self.at + 1 : end - 1]
                self.at = end
            elif char == ".":
                segments.append(current.strip())
                last = Span(segment_start, self.at)
                current = ""
                self.at += 1
                segment_start = self.at
            elif char in KEY_END or text.startswith("//", self.at):
                break
            else:
                current += char
                self.at += 1
        if self.at == start:
            return None
        segments.append(current.strip())
        last = Span(segment_start, self.at)
        return segments, Span(start, self.at), last

    # -- values --------------------------------------------------------------------------------
    def members(self, prefix: tuple[str, ...], closing: str | None) -> None:
        """Members of an object up to its ``closing`` brace (None: the end of the file)."""
        text = self.text
        while True:
            self.skip_blank()
            if self.at >= self.size:
                return
            char = text[self.at]
            if closing is not None and char == closing:
                self.at += 1
                return
            if char in "}]":  # stray closer (the root's own braces): step over
                self.at += 1
                continue
            if char == "{" and closing is None and not prefix and not self.blocks:
                self.at += 1
                self.members(prefix, "}")  # a root object written in braces
                continue
            if text[self.at : self.at + 7].lower() == "include" and text[self.at + 7 : self.at + 8] in " \t":
                self.skip_line()
                continue
            found = self.key()
            if found is None:
                self.at += 1
                continue
            segments, key_span, name_span = found
            path = (*prefix, *segments)
            self.skip_blank(newlines=False)
            append = False
            if text.startswith("+=", self.at):
                append = True
                self.at += 2
            elif self.at < self.size and text[self.at] in "=:":
                self.at += 1
            self.skip_blank(newlines=False)
            if self.at < self.size and text[self.at] == "\n":  # `key =` then the value on the next line
                self.skip_blank()
            self.assignment(path, key_span, name_span, append, len(prefix))

    def assignment(self, path: tuple[str, ...], key_span: Span, name_span: Span, append: bool, depth: int) -> None:
        text = self.text
        if self.at < self.size and text[self.at] == "{":
            self.at += 1
            body_start = self.at
            indent = self.indent_after(body_start)
            self.members(path, "}")
            body_end = self.at - 1 if self.at > body_start and text[self.at - 1] == "}" else self.at
            self.blocks.append(Block(path=path, key=key_span, body=Span(body_start, max(body_start, body_end)),
                                     members_indent=indent))
            self.rest_of_value()
            return
        start = self.at
        elements = None
        if self.at < self.size and text[self.at] == "[":
            elements = self.array()
        self.rest_of_value()
        end = self.value_end(start)
        self.fields.append(Field(path=path, key=key_span, name=name_span, value=Span(start, end),
                                 span=Span(key_span.start, end), append=append, elements=elements, depth=depth))

    def array(self) -> list[Element]:
        """The elements of ``[ ... ]`` at ``at`` (nested arrays and objects skipped whole)."""
        text = self.text
        self.at += 1
        elements: list[Element] = []
        while True:
            self.skip_blank()
            if self.at >= self.size:
                return elements
            char = text[self.at]
            if char == "]":
                self.at += 1
                return elements
            start = self.at
            if char == '"':
                end = self.quoted_end(start)
                self.at = end
                elements.append(Element(Span(start, end), True, text[start + 1 : end - 1]))
            elif char in "[{":
                self.skip_balanced()
                elements.append(Element(Span(start, self.at), False, text[start : self.at]))
            else:
                while self.at < self.size and text[self.at] not in "\r\n,]#" and not text.startswith("//", self.at):
                    if text[self.at] == '"':
                        self.at = self.quoted_end(self.at)
                    else:
                        self.at += 1
                written = text[start : self.at].rstrip()
                elements.append(Element(Span(start, start + len(written)), False, written))

    def skip_balanced(self) -> None:
        """Step over a ``{...}`` or ``[...]`` at ``at``, strings and comments inside included."""
        text = self.text
        depth = 0
        while self.at < self.size:
            char = text[self.at]
            if char == '"':
                self.at = self.quoted_end(self.at)
                continue
            if char == "#" or text.startswith("//", self.at):
                self.skip_line()
                continue
            if char in "[{":
                depth += 1
            elif char in "]}":
                depth -= 1
                if depth == 0:
                    self.at += 1
                    return
            self.at += 1

    def rest_of_value(self) -> None:
        """The remainder of a value on its line: concatenations (``"a" ${b}``), up to ``,`` ``}`` ``]``,
        a comment or the line's end."""
        text = self.text
        while self.at < self.size:
            char = text[self.at]
            if char in VALUE_END or text.startswith("//", self.at):
                return
            if char == '"':
                self.at = self.quoted_end(self.at)
            elif char in "[{":
                self.skip_balanced()
            else:
                self.at += 1

    def value_end(self, start: int) -> int:
        end = self.at
        while end > start and self.text[end - 1] in " \t":
            end -= 1
        return end

    def skip_line(self) -> None:
        end = self.text.find("\n", self.at)
        self.at = self.size if end == -1 else end

    def indent_after(self, body_start: int) -> str:
        """The indentation of the first member line after ``{`` (``""`` when the member shares its line)."""
        text = self.text
        line_end = text.find("\n", body_start)
        if line_end == -1:
            return ""
        between = text[body_start:line_end].strip()
        if between and not between.startswith(("#", "//")):
            return ""
        at = line_end + 1
        while at < self.size:
            next_end = text.find("\n", at)
            line = text[at : self.size if next_end == -1 else next_end]
            stripped = line.strip()
            if stripped and not stripped.startswith(("#", "//")):
                return line[: len(line) - len(line.lstrip(" \t"))]
            if next_end == -1:
                return ""
            at = next_end + 1
        return ""


def scan(text: str) -> tuple[list[Field], list[Block]]:
    """Where each key path is assigned (fields) and each object is written (blocks), in file order."""
    scanner = _Scanner(text)
    scanner.members((), None)
    scanner.blocks.append(Block(path=(), key=None, body=Span(0, len(text))))
    return scanner.fields, scanner.blocks

