"""Python parsing with libcst (imported lazily: only files that pass the prefilter pay for it)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from authlint.context import ParseError
from authlint.source import Source

if TYPE_CHECKING:
    import libcst

    from authlint.context import FileContext


def parse_source(source: Source, ctx: FileContext | None = None) -> libcst.Module:
    import libcst

    try:
        return libcst.parse_module(source.text)
    except libcst.ParserSyntaxError as exc:
        line = max(1, min(exc.raw_line, len(source.line_starts)))
        column = max(0, exc.raw_column)
        offset = min(source.line_starts[line - 1] + column, len(source.text))
        message = str(exc.message).splitlines()[0] if exc.message else "syntax error"
        raise ParseError(f"Python syntax error: {message}", offset) from None
    except (RecursionError, MemoryError, ValueError) as exc:
        raise ParseError(f"Python source too deeply nested or invalid: {exc.__class__.__name__}") from None
