"""Character spans of ``ast`` nodes.

``ast`` positions are 1-based lines and UTF-8 *byte* columns; authlint spans are character offsets
into ``Source.text``. A pure-ASCII file (the common case) needs one addition per position; other
files decode only the non-ASCII lines, once each.

Spans keep the conventions facts had before the extractor moved to ``ast`` (fixes rely on them),
which differ from ``ast``'s in three places: a parenthesised tuple or generator expression runs
from its first token to its last inside the parentheses (``ast`` includes them, and gives a
generator passed as the only argument the call's); a parameter is just its name (``ast.arg`` also
covers the annotation); an argument or dict entry written in parentheses includes them (``ast``
has no node for it, so ``widen`` finds them in the text).
"""

from __future__ import annotations

import ast
import re
from typing import Any

from authlint.files.source import Source, Span

_NAME = re.compile(r"[^\W\d]\w*")
_SPACE = " \t\f\r\n"
_BEFORE_PAREN = "(" + _SPACE + "\\"  # what may precede an expression that has parentheses around it
_OPEN = ("(", "[", "{")
_CLOSE = (")", "]", "}")
_UNSEEN: Any = object()


class Positions:
    """Converts ``ast`` (line, byte column) positions of one file to character offsets."""

    def __init__(self, source: Source) -> None:
        self.text = source.text
        self.starts = source.line_starts
        self.ascii = self.text.isascii()
        self._lines: dict[int, Any] = {}  # line -> its UTF-8 bytes, None when ASCII

    def offset(self, line: int, column: int) -> int:
        """Char offset of a 1-based line and a UTF-8 byte column."""
        start = self.starts[line - 1]
        if self.ascii:
            return start + column
        encoded = self._lines.get(line, _UNSEEN)
        if encoded is _UNSEEN:
            encoded = self._line_bytes(line)
        if encoded is None:
            return start + column
        return start + len(encoded[:column].decode("utf-8", "ignore"))

    def _line_bytes(self, line: int) -> bytes | None:
        starts = self.starts
        end = starts[line] if line < len(starts) else len(self.text)
        chunk = self.text[starts[line - 1] : end]
        encoded = None if chunk.isascii() else chunk.encode("utf-8", "surrogatepass")
        self._lines[line] = encoded
        return encoded

    def span(self, node: ast.AST) -> Span:
        """The node's span, by the conventions above."""
        start = self.offset(node.lineno, node.col_offset)  # type: ignore[attr-defined]
        end = self.offset(node.end_lineno, node.end_col_offset)  # type: ignore[attr-defined]
        cls = node.__class__
        if cls is ast.Tuple or cls is ast.GeneratorExp:
            inner = self.inside_parens(start, end)
            if inner is not None:
                start, end = inner
        elif cls is ast.arg:
            end = self.name_end(start)
        return Span(start, end)

    def name_end(self, start: int) -> int:
        """End of the identifier written at ``start`` (ast keeps names NFKC-normalised, not as written)."""
        text = self.text
        match = _NAME.match(text, start)
        end = match.end() if match else start
        while end < len(text) and not text[end].isascii() and text[start : end + 1].isidentifier():
            end += 1  # combining marks that ``\w`` does not match
        return end

    def inside_parens(self, start: int, end: int) -> tuple[int, int] | None:
        """What a ``(...)`` spanning ``[start, end)`` holds, from its first token to its last (the
        whitespace and comments next to the parentheses left out); None unless the ``(`` at
        ``start`` closes just before ``end`` (``(a, b)``, not ``(a), (b)``).

        Only parenthesised tuples and generators ask, rarely, so the tokenizer may do it.
        """
        text = self.text
        if text[start : start + 1] != "(" or text[end - 1 : end] != ")":
            return None
        import io
        import tokenize  # imported here: most runs never need it

        layout = (tokenize.NL, tokenize.NEWLINE, tokenize.COMMENT, tokenize.INDENT, tokenize.DEDENT, tokenize.ENDMARKER)
        fragment = text[start:end]
        try:
            found = [t for t in tokenize.generate_tokens(io.StringIO(fragment).readline) if t.type not in layout]
        except (tokenize.TokenError, SyntaxError):
            return None
        depth = 0
        for index, token in enumerate(found):
            if token.type == tokenize.OP and token.string in _OPEN:
                depth += 1
            elif token.type == tokenize.OP and token.string in _CLOSE:
                depth -= 1
                if depth == 0 and index != len(found) - 1:
                    return None  # the first group closes early: ``(a), (b)``
        if len(found) < 3:
            return start + 1, start + 1  # ``()``
        lines = [0]
        for line in fragment.split("\n")[:-1]:
            lines.append(lines[-1] + len(line) + 1)  # StringIO.readline splits at "\n" only
        first, last = found[1].start, found[-2].end
        return start + lines[first[0] - 1] + first[1], start + lines[last[0] - 1] + last[1]

    def widen(self, start: int, end: int, gap_start: int) -> tuple[int, int]:
        """``(start, end)`` grown over the parentheses written around an expression.

        ``gap_start`` is where the text before it can only hold punctuation, whitespace and comments
        (the previous argument's end, the call's ``(``+1, the dict's ``{``+1): the ``(`` in that gap
        that no ``,``/``:`` follows open around the expression, and as many ``)`` close after it.
        """
        text = self.text
        if start == gap_start or text[start - 1] not in _BEFORE_PAREN:
            return start, end
        opened: list[int] = []
        i = gap_start
        while i < start:
            char = text[i]
            if char == "#":
                i = _line_end(text, i)
                continue
            if char == "(":
                opened.append(i)
            elif char not in _SPACE and char != "\\":
                opened.clear()
            i += 1
        if not opened:
            return start, end
        new_end = end
        for _ in opened:
            close = skip_space(text, new_end)
            if text[close : close + 1] != ")":
                return start, end
            new_end = close + 1
        return opened[0], new_end


def _line_end(text: str, i: int) -> int:
    """Offset of the line ending after ``i`` (``\n``, ``\r\n`` or a lone ``\r``), or the text's end."""
    newline = text.find("\n", i)
    if newline == -1:
        newline = len(text)
    carriage = text.find("\r", i, newline)
    return newline if carriage == -1 else carriage


def skip_space(text: str, i: int) -> int:
    """The next offset from ``i`` that is not whitespace, a line continuation or a comment."""
    n = len(text)
    while i < n:
        char = text[i]
        if char in _SPACE or char == "\\":
            i += 1
        elif char == "#":
            i = _line_end(text, i)
        else:
            break
    return i

