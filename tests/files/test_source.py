from __future__ import annotations

import codecs

import pytest

from authlint.files.source import DecodeError, Source, Span, decode, detect_newline


def test_positions_are_one_based_across_line_endings() -> None:
    source = Source.from_text("ab\r\ncd\ref\ngh")
    assert source.line_starts == [0, 4, 7, 10]
    assert source.position(0) == (1, 1)
    assert source.position(5) == (2, 2)
    assert source.position(7) == (3, 1)
    assert source.line_text(2) == "cd"
    assert source.offset(4, 2) == 11


def test_char_offset_maps_utf8_bytes() -> None:
    source = Source.from_text('é = "ü"\nx')
    byte = source.utf8.index(b"x")
    assert source.char_offset(byte) == source.text.index("x")


@pytest.mark.parametrize(
    "raw, encoding",
    [
        (b"a = 1\n", "utf-8"),
        (codecs.BOM_UTF8 + b"a = 1\n", "utf-8-sig"),
        (codecs.BOM_UTF16_LE + "a = 1\n".encode("utf-16-le"), "utf-16"),
    ],
)
def test_decode_and_encode_round_trip(raw: bytes, encoding: str) -> None:
    text, found = decode(raw)
    assert text == "a = 1\n" and found == encoding
    source = Source.from_bytes(__import__("pathlib").Path("x.py"), "x.py", raw)
    assert source.encode(source.text) == raw


@pytest.mark.parametrize("raw", [b"\x00\x01\x02binary", b"caf\xe9 = 1\n"])
def test_binary_and_bad_utf8_are_refused(raw: bytes) -> None:
    with pytest.raises(DecodeError):
        decode(raw)


def test_newline_detection() -> None:
    assert detect_newline("a\r\nb\r\n") == "\r\n"
    assert detect_newline("a\nb\n") == "\n"
    assert detect_newline("a\rb\r") == "\r"


def test_span_validation() -> None:
    with pytest.raises(ValueError):
        Span(3, 2)
    assert Span(1, 5).contains(Span(2, 3)) and Span(1, 5).overlaps(Span(4, 9))
