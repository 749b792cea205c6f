"""Char offsets <-> LSP positions (UTF-16 columns), around characters outside the BMP."""

from __future__ import annotations

from lsprotocol import types

from authlint.files.source import Source, Span
from authlint.server.positions import lsp_range, offset, position

TEXT = 'a = "\U0001F600"; b = 1\r\nsecond \U0001F600\U0001F600 line\nlast'


def test_a_character_outside_the_bmp_counts_two_utf16_units() -> None:
    source = Source.from_text(TEXT)
    b = TEXT.index("b = 1")
    assert position(source, b) == types.Position(line=0, character=b + 1)
    assert position(source, TEXT.index("line")) == types.Position(line=1, character=len("second ") + 4 + 1)
    assert position(source, TEXT.index("last")) == types.Position(line=2, character=0)


def test_offsets_and_positions_round_trip_at_every_character() -> None:
    source = Source.from_text(TEXT)
    for at in range(len(TEXT) + 1):
        if TEXT[at - 1 : at + 1] == "\r\n":
            continue  # between CR and LF: not a position an editor can name
        assert offset(source, position(source, at)) == at


def test_positions_past_a_line_or_the_text_clamp() -> None:
    source = Source.from_text(TEXT)
    assert offset(source, types.Position(line=0, character=500)) == TEXT.index("\r\n")
    assert offset(source, types.Position(line=9, character=0)) == len(TEXT)
    assert position(source, len(TEXT) + 3) == position(source, len(TEXT))


def test_a_range_spans_lines() -> None:
    source = Source.from_text(TEXT)
    got = lsp_range(source, Span(TEXT.index("b"), TEXT.index("line")))
    assert (got.start.line, got.end.line) == (0, 1)
