"""Dotenv files (``.env``, ``.env.production``, ``service.env``): ``NAME=value`` lines, as the
dotenv loaders (python-dotenv, the npm ``dotenv`` package) and Compose ``env_file`` read them.

The syntax they share: blank lines and ``#`` comments; an optional ``export`` before the name;
an unquoted value ends at the line's end or at a `` #`` comment and is trimmed; a single-quoted
value is taken as written; a double-quoted value reads the escapes ``\\n``, ``\\t``, ``\\"`` and
``\\\\``; either quote may span lines. ``${VAR}`` and ``$VAR`` are expanded by some loaders (not
by others, nor by Compose in single quotes): authlint never expands them, so such a value is not
a literal (``literal`` False). A line that is none of these is skipped, as the loaders skip it:
a dotenv file never fails to parse.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from authlint.files.source import Source, Span

if TYPE_CHECKING:
    from authlint.run.context import FileContext

LINE = re.compile(r"[ \t]*(?:export[ \t]+)?(?P<name>[A-Za-z_][A-Za-z0-9_.-]*)[ \t]*=[ \t]*")
# a reference to another variable, expanded by some loaders: never a literal value
REFERENCE = re.compile(r"\$(?:\{[^}]*\}|[A-Za-z_])")
ESCAPES = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\", "$": "$"}


@dataclass(frozen=True)
class Assignment:
    """One ``NAME=value`` of a dotenv file: the value as the loaders read it and where it is written."""

    name: str
    name_span: Span
    value: str
    value_span: Span  # the characters of the value (inside its quotes)
    quote: str  # "'", '"' or "" (unquoted)
    literal: bool  # False when it refers to another variable (``${VAR}``, ``$VAR``) outside single quotes


def parse_source(source: Source, ctx: FileContext | None = None) -> list[Assignment]:
    return parse(source.text)


def parse(text: str) -> list[Assignment]:
    found: list[Assignment] = []
    at = 0
    size = len(text)
    while at < size:
        line_end = _line_end(text, at)
        match = LINE.match(text, at, line_end)
        if match is None:
            at = _next_line(text, line_end)
            continue
        name = match.group("name")
        start = match.end()
        quote = text[start] if start < size and text[start] in "'\"" else ""
        if quote:
            close = _closing(text, start + 1, quote)
            if close == -1:  # unterminated: the loaders read the rest of the line unquoted
                quote = ""
            else:
                raw = text[start + 1 : close]
                value = _unescape(raw) if quote == '"' else raw
                literal = quote == "'" or REFERENCE.search(raw) is None
                found.append(Assignment(name, Span(match.start("name"), match.end("name")), value,
                                        Span(start + 1, close), quote, literal))
                at = _next_line(text, _line_end(text, close))
                continue
        comment = re.search(r"[ \t]#", text[start:line_end])
        end = start + comment.start() if comment else line_end
        raw = text[start:end].rstrip(" \t")
        found.append(Assignment(name, Span(match.start("name"), match.end("name")), raw,
                                Span(start, start + len(raw)), "", REFERENCE.search(raw) is None))
        at = _next_line(text, line_end)
    return found


def _line_end(text: str, at: int) -> int:
    ends = [i for i in (text.find("\n", at), text.find("\r", at)) if i != -1]
    return min(ends) if ends else len(text)


def _next_line(text: str, line_end: int) -> int:
    if text.startswith("\r\n", line_end):
        return line_end + 2
    return line_end + 1


def _closing(text: str, at: int, quote: str) -> int:
    """The offset of the quote that closes a value opened just before ``at`` (-1: none)."""
    while at < len(text):
        char = text[at]
        if char == "\\" and quote == '"':
            at += 2
            continue
        if char == quote:
            return at
        at += 1
    return -1


def _unescape(raw: str) -> str:
    return re.sub(r"\\(.)", lambda m: ESCAPES.get(m.group(1), "\\" + m.group(1)), raw)
