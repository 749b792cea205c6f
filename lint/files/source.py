"""A file as authlint sees it: bytes, decoded text, kind, and offset <-> line/column mapping.

Every position in authlint is a character offset into ``Source.text`` (a ``Span``). Parsers that
report UTF-8 byte offsets (tree-sitter) convert with ``Source.char_offset``; Python's ``ast`` gives
byte columns per line, which ``extract.python.positions`` converts. People, SARIF and GitHub get
1-based lines and columns from ``position``.
"""

from __future__ import annotations

import codecs
import re
from bisect import bisect_right
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

LINE_END = re.compile(r"\r\n?|\n")  # CRLF, lone CR and LF all end a line
BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


class DecodeError(ValueError):
    """The bytes are not text authlint can decode (binary, or an unknown encoding)."""


@dataclass(frozen=True, order=True)
class Span:
    """A half-open range ``[start, end)`` of character offsets into a Source's text."""

    start: int
    end: int

    def __post_init__(self) -> None:
        if self.start < 0 or self.end < self.start:
            raise ValueError(f"bad span {self.start}..{self.end}")

    def contains(self, other: Span) -> bool:
        return self.start <= other.start and other.end <= self.end

    def overlaps(self, other: Span) -> bool:
        return self.start < other.end and other.start < self.end


def decode(raw: bytes) -> tuple[str, str]:
    """Decode file bytes to text; return ``(text, encoding)``.

    UTF-8 (with or without BOM) and UTF-16 with a BOM are accepted; anything else falls back to
    Latin-1 only when it has no NUL bytes, so that binary files are refused rather than misread.
    """
    for bom, encoding in BOMS:
        if raw.startswith(bom):
            try:
                return raw.decode(encoding), encoding
            except UnicodeDecodeError as exc:
                raise DecodeError(f"invalid {encoding}: {exc.reason} at byte {exc.start}") from exc
    if b"\x00" in raw[:8192]:
        raise DecodeError("binary file (contains NUL bytes)")
    try:
        return raw.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as exc:
        raise DecodeError(f"not valid UTF-8: {exc.reason} at byte {exc.start}") from exc


def detect_newline(text: str) -> str:
    """The file's dominant line ending, so fixes keep CRLF files CRLF."""
    crlf = text.count("\r\n")
    lf = text.count("\n") - crlf
    cr = text.count("\r") - crlf
    if crlf and crlf >= lf and crlf >= cr:
        return "\r\n"
    if cr > lf:
        return "\r"
    return "\n"


@dataclass
class Source:
    """One file's content and where it lives. ``relpath`` is what reports show (posix, root-relative)."""

    path: Path
    relpath: str
    text: str
    kind: str = "unknown"
    encoding: str = "utf-8"
    raw: bytes | None = field(default=None, repr=False)
    bom: bytes = b""  # the byte-order mark the file started with, written back by ``encode``
    # the secret values' spans (``facts.secrets``), sorted and disjoint; None until the engine
    # looked (a Source built elsewhere): every output masks exactly these characters
    secret_spans: tuple[Span, ...] | None = field(default=None, repr=False, compare=False)

    @classmethod
    def from_bytes(cls, path: Path, relpath: str, raw: bytes, kind: str = "unknown") -> Source:
        text, encoding = decode(raw)
        bom = next((mark for mark, _ in BOMS if raw.startswith(mark)), b"")
        return cls(path=path, relpath=relpath, text=text, kind=kind, encoding=encoding, raw=raw, bom=bom)

    @classmethod
    def from_text(cls, text: str, relpath: str = "<string>", kind: str = "unknown") -> Source:
        return cls(path=Path(relpath), relpath=relpath, text=text, kind=kind)

    @cached_property
    def line_starts(self) -> list[int]:
        """Offsets where each line begins (``\\n``, ``\\r\\n`` and lone ``\\r`` all end a line)."""
        return [0, *(m.end() for m in LINE_END.finditer(self.text))]

    @cached_property
    def newline(self) -> str:
        return detect_newline(self.text)

    @cached_property
    def utf8(self) -> bytes:
        return self.text.encode("utf-8", "surrogatepass")

    @property
    def scan_bytes(self) -> bytes:
        """Bytes for the prefilter: the file's own when they are UTF-8, else the text re-encoded."""
        if self.raw is not None and self.encoding in ("utf-8", "utf-8-sig"):
            return self.raw
        return self.utf8

    @cached_property
    def _byte_to_char(self) -> list[int] | None:
        """Byte offset -> char offset table, or None when the text is pure ASCII (identity)."""
        if len(self.utf8) == len(self.text):
            return None
        table = [0] * (len(self.utf8) + 1)
        b = 0
        for c, ch in enumerate(self.text):
            width = len(ch.encode("utf-8", "surrogatepass"))
            for k in range(width):
                table[b + k] = c
            b += width
        table[b] = len(self.text)
        return table

    def char_offset(self, byte_offset: int) -> int:
        """Convert a UTF-8 byte offset (tree-sitter) to a char offset."""
        table = self._byte_to_char
        return byte_offset if table is None else table[byte_offset]

    def offset(self, line: int, column: int) -> int:
        """Char offset of a 1-based line and 1-based column."""
        return self.line_starts[line - 1] + column - 1

    def position(self, offset: int) -> tuple[int, int]:
        """1-based ``(line, column)`` of a char offset."""
        index = bisect_right(self.line_starts, offset) - 1
        return index + 1, offset - self.line_starts[index] + 1

    def line_text(self, line: int) -> str:
        """The 1-based line's text without its line ending."""
        starts = self.line_starts
        start = starts[line - 1]
        end = starts[line] if line < len(starts) else len(self.text)
        return self.text[start:end].rstrip("\r\n")

    def slice(self, span: Span) -> str:
        return self.text[span.start : span.end]

    def encode(self, text: str) -> bytes:
        """Encode new text the way this file was encoded (BOM included)."""
        if self.encoding == "utf-16":
            codec = "utf-16-be" if self.bom == codecs.BOM_UTF16_BE else "utf-16-le"
            return (self.bom or codecs.BOM_UTF16_LE) + text.encode(codec)
        return text.encode(self.encoding)  # utf-8-sig writes its BOM itself
