"""Cases written with their secrets marked: ``⟦`` and ``⟧`` around every character a finder must
report, so a case reads as the file it is and says exactly what is masked."""

from __future__ import annotations

from pathlib import Path

from authlint.facts.secrets import secret_spans
from authlint.files.classify import classify
from authlint.files.source import Source, Span
from authlint.run.context import FileContext
from authlint.syntax.errors import ParseError

OPEN, CLOSE = "⟦", "⟧"


def unmark(marked: str) -> tuple[str, tuple[Span, ...]]:
    """The text without its marks, and the marked spans (offsets into that text)."""
    text: list[str] = []
    spans: list[Span] = []
    start = None
    length = 0
    for char in marked:
        if char == OPEN:
            assert start is None, "nested mark"
            start = length
        elif char == CLOSE:
            assert start is not None, "unopened mark"
            spans.append(Span(start, length))
            start = None
        else:
            text.append(char)
            length += 1
    assert start is None, "unclosed mark"
    return "".join(text), tuple(spans)


def mark(text: str, spans: tuple[Span, ...]) -> str:
    """``text`` with ``spans`` marked: how a failing case shows what was found."""
    out, position = [], 0
    for span in spans:
        out += [text[position : span.start], OPEN, text[span.start : span.end], CLOSE]
        position = span.end
    return "".join([*out, text[position:]])


def context(relpath: str, text: str) -> FileContext:
    kind = classify(Path(relpath).name, text.encode("utf-8"))
    assert kind is not None, relpath
    return FileContext(Source.from_text(text, relpath, kind))


def parses(relpath: str, text: str) -> bool:
    """Whether the file parses: a negative case that does not would pass without a finder."""
    try:
        return context(relpath, text).tree is not None
    except ParseError:
        return False


def found(relpath: str, text: str) -> tuple[Span, ...]:
    """The secret spans authlint finds in a file of that name."""
    return secret_spans(context(relpath, text))


def check(relpath: str, marked: str) -> None:
    """The finders report exactly the marked characters."""
    text, expected = unmark(marked)
    got, wanted = mark(text, found(relpath, text)), mark(text, expected)
    assert got == wanted, f"\nfound:    {got!r}\nexpected: {wanted!r}"
