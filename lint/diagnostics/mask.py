"""Masking: a file's text as authlint shows it, with exactly its secret spans hidden.

Every place that prints a file's text (code frames, diffs, SARIF snippets, JSON fix contents,
annotations) goes through a ``Masker`` built from ``Source.secret_spans`` (``facts.secrets``: what
the extractors know plus the documented pattern set). Characters outside the spans are never
touched, so ordinary code is shown byte for byte; characters inside are never shown, except the
first two of a long secret.

The mask of one secret, on one line (``mask_piece``):

- 8 characters or more: the first 2 characters, then one ``*`` per hidden character up to 12, then
  ``(+N)`` for the N more (``T0pS3cr3t`` -> ``T0*******``; a JWT -> ``ey************(+158)``):
  enough to recognise which secret it is, never enough to use it;
- shorter: only stars, at least 3 (``abc`` -> ``***``), so a short secret gives nothing away;
- a secret spanning lines (a PEM key's body) is masked line by line: the line ends stay where
  they are, and every line after the secret's first shows stars only (no two characters per line);
- a JWT takes the same form (``ey************(+158)``): its header would say the algorithm, but
  one form everywhere (frames, diffs, messages, ``jwt inspect``) keeps every output's promise the
  same, and the findings about a token say what its header and claims hold.

Messages are masked when they are made: a Violation field declared ``Masked`` masks the value a
rule passes (``mask_value``), one declared ``Quoted`` holds file text masked by its spans
(``quote``); reports only run the pattern set over messages and titles as a last resort
(``scrub_patterns``), which no word matches.

A mask changes a line's length; ``MaskedLine.column`` maps a column of the original line to the
masked one, so a caret range computed on the original lands on the masked text: a range starting
or ending inside a secret covers its whole mask, one after it is shifted by the length change.

A Source the engine did not look at (``secret_spans`` None: built by a test, an API caller) is
masked by the pattern set alone (``patterns.pattern_spans``).
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass
from functools import lru_cache
from typing import Iterable, Sequence

from authlint.files.source import LINE_END, Source, Span

KEEP = 2  # characters a long secret's mask keeps
LONG = 8  # from this length on a secret keeps its first KEEP characters
STARS = 12  # at most this many stars; the rest is counted as (+N)


class Masked(str):
    """A secret already masked (``mask_value``): what a Violation field declared ``Masked`` holds,
    and the only way a secret's value may enter a message."""

    __slots__ = ()


def mask_piece(piece: str, first: bool = True, whole: int | None = None) -> str:
    """The mask of ``piece``, one line's part of a secret. ``first``: the piece starts the secret
    (only then are KEEP characters kept); ``whole``: the secret's full length (default the piece's)."""
    size = len(piece)
    if not size:
        return ""
    if (whole if whole is not None else size) < LONG:
        return "*" * max(size, 3)
    keep = KEEP if first and size > KEEP else 0
    hidden = size - keep
    stars = "*" * (min(hidden, STARS) if keep else max(min(hidden, STARS), 3))
    return piece[:keep] + stars + (f"(+{hidden - STARS})" if hidden > STARS else "")


def mask_value(value: object) -> Masked:
    """A secret value masked for a message (each line of a multi-line value masked on its own)."""
    if isinstance(value, Masked):
        return value
    text = "" if value is None else str(value)
    return Masked(Masker(text, (Span(0, len(text)),) if text else ()).text(0, len(text)))


@lru_cache(maxsize=64)
def _pattern_spans(text: str) -> tuple[Span, ...]:
    """``facts.secrets.pattern_set``, remembered for the few texts a report masks again and again."""
    from authlint.facts.secrets import pattern_set

    return pattern_set(text)


def spans_of(source: Source) -> tuple[Span, ...]:
    """The spans to mask in ``source``: the engine's, else the pattern set's."""
    if source.secret_spans is not None:
        return source.secret_spans
    return _pattern_spans(source.text)


def scrub_patterns(text: str) -> str:
    """``text`` (a message, an error line) with what the pattern set recognises masked: the last
    resort for text no Source describes. Shapes no word has (a JWT, a PEM body, an nkey seed, a
    URL password): prose is never touched."""
    spans = _pattern_spans(text)
    return Masker(text, spans).text(0, len(text)) if spans else text


@dataclass(frozen=True)
class MaskedLine:
    """One line's masked text and where its masks lie, to map the original columns onto it."""

    text: str
    # (original start, original end, masked start, masked end) per masked piece, 0-based in the line
    pieces: tuple[tuple[int, int, int, int], ...] = ()

    def column(self, offset: int, end: bool = False) -> int:
        """The 0-based masked column of the original 0-based ``offset`` in the line. ``end``: the
        offset ends a range (exclusive), so one that falls inside or at the end of a mask maps past
        the mask; a start inside a mask maps to the mask's start."""
        shift = 0
        for start, stop, m_start, m_stop in self.pieces:
            if offset < start or (end and offset == start):
                return offset + shift
            if offset < stop or (end and offset == stop):
                return m_stop if end else m_start
            shift = m_stop - stop
        return offset + shift

    def underline(self, start: int, stop: int) -> tuple[int, int]:
        """The masked ``[start, stop)`` of the original ``[start, stop)`` (0-based, in the line)."""
        return self.column(start), max(self.column(stop, end=True), self.column(start))


class Masker:
    """Masked views of one text: a line, or any range, with its secret spans hidden."""

    def __init__(self, text: str, spans: Sequence[Span] = ()) -> None:
        self.source_text = text
        self.spans = tuple(s for s in spans if s.end > s.start)
        self._starts = [s.start for s in self.spans]

    @classmethod
    def of(cls, source: Source) -> Masker:
        return cls(source.text, spans_of(source))

    def _overlapping(self, start: int, end: int) -> Iterable[Span]:
        index = max(bisect_right(self._starts, start) - 1, 0)
        for span in self.spans[index:]:
            if span.start >= end:
                break
            if span.end > start:
                yield span

    def pieces(self, start: int, end: int) -> list[tuple[int, int, str]]:
        """``(start, end, mask)`` of every piece of a secret inside ``[start, end)``: each span
        clipped to the range and cut at line ends (which are never masked)."""
        out: list[tuple[int, int, str]] = []
        text = self.source_text
        for span in self._overlapping(start, end):
            lo, hi = max(span.start, start), min(span.end, end)
            cursor = lo
            for brk in LINE_END.finditer(text, lo, hi):
                if brk.start() > cursor:
                    out.append((cursor, brk.start(), self._mask(span, cursor, brk.start())))
                cursor = brk.end()
            if hi > cursor:
                out.append((cursor, hi, self._mask(span, cursor, hi)))
        return out

    def _mask(self, span: Span, lo: int, hi: int) -> str:
        return mask_piece(self.source_text[lo:hi], first=lo == span.start, whole=span.end - span.start)

    def text(self, start: int, end: int) -> str:
        """The masked text of ``[start, end)``; unchanged when no secret lies in it."""
        pieces = self.pieces(start, end)
        if not pieces:
            return self.source_text[start:end]
        out, cursor = [], start
        for lo, hi, mask in pieces:
            out.append(self.source_text[cursor:lo])
            out.append(mask)
            cursor = hi
        out.append(self.source_text[cursor:end])
        return "".join(out)

    def line(self, start: int, end: int) -> MaskedLine:
        """The masked text of one line ``[start, end)`` (no line end inside) with its column map."""
        pieces = self.pieces(start, end)
        if not pieces:
            return MaskedLine(self.source_text[start:end])
        out, mapped, cursor, length = [], [], start, 0
        for lo, hi, mask in pieces:
            plain = self.source_text[cursor:lo]
            out.append(plain)
            length += len(plain)
            mapped.append((lo - start, hi - start, length, length + len(mask)))
            out.append(mask)
            length += len(mask)
            cursor = hi
        out.append(self.source_text[cursor:end])
        return MaskedLine("".join(out), tuple(mapped))

    def values(self) -> tuple[str, ...]:
        """The secrets' plaintexts (to find them again in new text a fix inserts)."""
        return tuple(self.source_text[s.start : s.end] for s in self.spans)


def source_line(source: Source, line: int) -> MaskedLine:
    """The 1-based ``line`` of ``source`` without its line end, masked."""
    starts = source.line_starts
    start = starts[line - 1]
    end = starts[line] if line < len(starts) else len(source.text)
    text = source.text[start:end]
    stripped = len(text.rstrip("\r\n"))
    return Masker.of(source).line(start, start + stripped)


def values_in(text: str, values: Iterable[str], minimum: int = 3) -> tuple[Span, ...]:
    """The spans of every occurrence of the secret ``values`` in ``text`` (new text a fix writes:
    the plaintext it moves or copies is still a secret). Values under ``minimum`` characters are
    not searched: they would hide ordinary code."""
    from authlint.facts.secrets import merged

    found: list[Span] = []
    for value in set(values):
        if len(value) < minimum:
            continue
        at = text.find(value)
        while at >= 0:
            found.append(Span(at, at + len(value)))
            at = text.find(value, at + 1)
    return merged(found)


def mask_new_text(text: str, values: Iterable[str]) -> str:
    """``text`` a fix inserts, with the secret ``values`` it contains and the pattern set masked."""
    from authlint.facts.secrets import merged

    spans = merged((*values_in(text, values), *_pattern_spans(text)))
    return Masker(text, spans).text(0, len(text)) if spans else text


class Quoted(str):
    """Text of a file quoted in a message (``quote``), its secret spans masked; ``masks`` says
    whether it holds a mask (the message then names a secret)."""

    masks: bool = False


def quote_text(text: str) -> Quoted:
    """File text a rule holds without its span (a key name): the pattern set masks it."""
    spans = _pattern_spans(text)
    shown = Quoted(Masker(text, spans).text(0, len(text)) if spans else text)
    shown.masks = bool(spans)
    return shown


def quote(ctx_or_source: object, span: Span) -> Quoted:
    """``span`` of a file as a message quotes it, masked at creation. The engine finds the spans
    after the rules ran: with a FileContext they are found here (its kind's finders and the
    pattern set), with a bare Source by the pattern set when the engine has not looked yet."""
    source: Source = getattr(ctx_or_source, "source", ctx_or_source)  # type: ignore[assignment]
    spans = source.secret_spans
    if spans is None and hasattr(ctx_or_source, "kind") and hasattr(ctx_or_source, "source"):
        from authlint.facts.secrets import secret_spans

        try:
            spans = secret_spans(ctx_or_source)  # type: ignore[arg-type]
        except Exception:  # noqa: BLE001 - a finder's crash is the engine's to report: the patterns still mask
            spans = None
    masker = Masker(source.text, spans if spans is not None else _pattern_spans(source.text))
    shown = Quoted(masker.text(span.start, span.end))
    shown.masks = bool(masker.pieces(span.start, span.end))
    return shown
