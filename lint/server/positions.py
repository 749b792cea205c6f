"""Offsets <-> LSP positions.

authlint spans are offsets in a file's characters (Python code points); LSP positions are 0-based
lines and columns counted in UTF-16 code units (the protocol's default ``positionEncoding``). They
differ on every character outside the Basic Multilingual Plane (an emoji counts 1 here, 2 there),
so a finding after one on the same line would be underlined one column early without this.
"""

from __future__ import annotations

from bisect import bisect_right

from lsprotocol import types

from authlint.files.source import Source, Span


def _utf16_len(text: str) -> int:
    return len(text) + sum(1 for ch in text if ord(ch) > 0xFFFF)


def position(source: Source, offset: int) -> types.Position:
    """The LSP position of a char offset of ``source``."""
    offset = max(0, min(offset, len(source.text)))
    starts = source.line_starts
    line = bisect_right(starts, offset) - 1
    return types.Position(line=line, character=_utf16_len(source.text[starts[line] : offset]))


def lsp_range(source: Source, span: Span) -> types.Range:
    return types.Range(start=position(source, span.start), end=position(source, span.end))


def offset(source: Source, where: types.Position) -> int:
    """The char offset of an LSP position (a column past the line's end clamps to it)."""
    starts = source.line_starts
    if where.line >= len(starts):
        return len(source.text)
    start = starts[where.line]
    end = starts[where.line + 1] if where.line + 1 < len(starts) else len(source.text)
    units = 0
    for index in range(start, end):
        if units >= where.character or source.text[index] in "\r\n":
            return index
        units += 2 if ord(source.text[index]) > 0xFFFF else 1
    return end
