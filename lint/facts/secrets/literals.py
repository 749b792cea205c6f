"""Spans of the characters inside string literals, for the finders of every kind.

A finder knows from the facts *which* expression holds a secret (a key, a password, a fallback);
these helpers turn that expression's span into the spans of what the secret is made of: the text
inside each literal's quotes (prefixes, quotes and the code around them are shown), cut at line
ends so a masked multi-line literal keeps its lines and indentation.
"""

from __future__ import annotations

import re
from typing import Callable, Iterator

from authlint.facts.model import Expr
from authlint.files.source import Span

ARMOUR = re.compile(r"-{5}(?:BEGIN|END) [A-Z0-9 ]+-{5}")  # a PEM marker line: says what it is, shown
PREFIX = re.compile(r"[rRbBuUfF]{1,2}(?=['\"])")  # Python string prefixes (``b'...'``, ``rb"..."``)
QUOTES = ("'", '"', "`")


def trimmed_lines(text: str, start: int, end: int) -> Iterator[Span]:
    """``text[start:end]`` line by line, each without its line end and surrounding blanks."""
    index = start
    while index < end:
        newline = index
        while newline < end and text[newline] not in "\r\n":
            newline += 1
        left, right = index, newline
        while left < right and text[left] in " \t":
            left += 1
        while right > left and text[right - 1] in " \t":
            right -= 1
        if right > left:
            yield Span(left, right)
        index = newline + 1


def string_bodies(text: str, start: int, end: int) -> list[Span]:
    """The inside of every string literal (Python or JS/TS syntax) in ``text[start:end]``, as the
    literals' body spans (one per literal, lines not yet cut). Comments are skipped."""
    found: list[Span] = []
    index = start
    while index < end:
        char = text[index]
        if char == "#" or text.startswith("//", index):  # a comment to the end of the line
            while index < end and text[index] not in "\r\n":
                index += 1
            continue
        if text.startswith("/*", index):
            close = text.find("*/", index + 2, end)
            index = end if close == -1 else close + 2
            continue
        prefix = PREFIX.match(text, index, end) if char in "rRbBuUfF" else None
        if prefix is not None and (index == start or not (text[index - 1].isalnum() or text[index - 1] == "_")):
            index = prefix.end()
            char = text[index]
        if char not in QUOTES:
            index += 1
            continue
        quote = text[index : index + 3] if text.startswith(char * 3, index) and char != "`" else char
        body = index + len(quote)
        close = body
        while close < end and not text.startswith(quote, close):
            close += 2 if text[close] == "\\" else 1
        found.append(Span(body, min(close, end)))
        index = close + len(quote)
    return found


def literal_spans(text: str, span: Span) -> Iterator[Span]:
    """The characters of the string literals written at ``span``, line by line.

    When the span holds code around literals (``new TextEncoder().encode("k")``, ``Buffer.from("k",
    "base64")``) only the first literal is the value; a plain literal or a concatenation of
    literals is all value.
    """
    bodies = string_bodies(text, span.start, span.end)
    if not bodies:
        return
    if _has_call(text, span, bodies):
        bodies = bodies[:1]
    for body in bodies:
        for line in trimmed_lines(text, body.start, body.end):
            if not ARMOUR.fullmatch(text, line.start, line.end):
                yield line


def _has_call(text: str, span: Span, bodies: list[Span]) -> bool:
    """Whether the code outside the literals calls something (an opening parenthesis)."""
    position = span.start
    for body in bodies:
        if "(" in text[position : body.start]:
            return True
        position = body.end
    return "(" in text[position : span.end]


# Follows a constant whose origin is another name to the literal the chain ends at (Python's
# ``Expr.origin`` is the span of the bound value: ``KEY = SECRET`` gives the ``SECRET`` there).
Follow = Callable[[Expr], Iterator[Span]]


def literal_of(text: str, expr: Expr | None, follow: Follow | None = None) -> Iterator[Span]:
    """The literal characters of a value written into code: the literal itself, or the one a
    followed constant came from (``Expr.origin``); nothing for a value read at run time."""
    if expr is None or not expr.known or not isinstance(expr.value, (str, bytes)):
        return
    if (expr.ref or "").startswith(("env:", "settings:")):
        return
    found = list(literal_spans(text, expr.origin or expr.span))
    if not found and expr.origin is not None and follow is not None:
        found = list(follow(expr))
    yield from found


def fallback_of(text: str, expr: Expr | None) -> Iterator[Span]:
    """The literal an env/settings read falls back to (``os.getenv("K", "dev")``)."""
    if expr is not None and expr.fallback_span is not None:
        yield from literal_spans(text, expr.fallback_span)


def secret_value_of(text: str, expr: Expr | None, follow: Follow | None = None) -> Iterator[Span]:
    """A secret's literal characters, written directly or as an env read's fallback."""
    yield from literal_of(text, expr, follow)
    yield from fallback_of(text, expr)
