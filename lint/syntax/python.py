"""Python parsing with the stdlib ``ast`` (C speed, no import cost).

libcst is imported only to explain a syntax error: a file this interpreter rejects but libcst
parses may use syntax newer than the running Python (libcst is also laxer in places, hence "may").
"""

from __future__ import annotations

import ast
import sys
import threading
import warnings
from typing import TYPE_CHECKING

from authlint.files.source import Source
from authlint.run.gc_pause import paused
from authlint.syntax.errors import ParseError

if TYPE_CHECKING:
    from authlint.run.context import FileContext

# Before 3.11, ast.parse turns its C tree into Python objects with unchecked C recursion: a chain
# like ``a.b.b...`` over ~100,000 levels deep overflows an 8 MiB stack and kills the process. Each
# level takes at least two characters, so shorter texts are safe; longer ones parse on a thread
# whose stack fits the deepest tree the text could hold.
UNCHECKED_AST_RECURSION = sys.version_info < (3, 11)
SAFE_DEPTH_CHARS = 150_000


# the trees of the last few texts parsed: a fix built for a finding in the file just checked (the
# kit's ``python_cst.enclosing_container``) reads the same text again, and parsing a large module
# twice per edit is what the language server would wait for
RECENT_TREES = 8
_recent: dict[str, ast.Module] = {}


def recent_tree(text: str) -> ast.Module | None:
    """The tree of ``text`` when it was one of the last few parsed (trees are never modified)."""
    return _recent.get(text)


def parse_source(source: Source, ctx: FileContext | None = None) -> ast.Module:
    tree = parse_text(source)
    if len(_recent) >= RECENT_TREES:
        del _recent[next(iter(_recent))]  # the oldest
    _recent[source.text] = tree
    return tree


def parse_text(source: Source) -> ast.Module:
    try:
        # the tree is acyclic; collections triggered by its allocations cost ~40 % of the parse
        with paused(), warnings.catch_warnings():
            warnings.simplefilter("ignore")  # invalid escapes warn (SyntaxWarning on 3.12+): not our findings
            if UNCHECKED_AST_RECURSION and len(source.text) > SAFE_DEPTH_CHARS:
                return _parse_on_big_stack(source.text)
            return ast.parse(source.text)
    except SyntaxError as exc:
        raise _syntax_error(source, exc) from None
    except (RecursionError, MemoryError) as exc:
        raise ParseError(f"Python source too deeply nested to analyse ({exc.__class__.__name__})") from None
    except ValueError as exc:  # null bytes (SyntaxError from 3.12), unencodable surrogates
        raise ParseError(f"Python source invalid: {exc}") from None


def _syntax_error(source: Source, exc: SyntaxError) -> ParseError:
    message = (exc.msg or "syntax error").splitlines()[0]
    error = f"Python syntax error: {message}"
    if _newer_syntax(source.text):
        version = f"{sys.version_info.major}.{sys.version_info.minor}"
        error += (f" under Python {version}, which runs authlint; libcst parses the file, so it may use newer "
                  "syntax: run authlint under a newer Python")
    return ParseError(error, _offset(source, exc))


def _offset(source: Source, exc: SyntaxError) -> int:
    """Char offset of a SyntaxError's 1-based line and 1-based (character) column."""
    starts = source.line_starts
    line = max(1, min(exc.lineno or 1, len(starts)))
    column = max(0, (exc.offset or 1) - 1)
    line_end = starts[line] if line < len(starts) else len(source.text)
    return min(starts[line - 1] + column, line_end, len(source.text))


def _newer_syntax(text: str) -> bool:
    """Whether libcst (which knows newer grammars) accepts what this interpreter's parser rejects."""
    try:
        import libcst

        libcst.parse_module(text)
    except Exception:  # a real syntax error (or libcst itself failing): say nothing more
        return False
    return True


def _parse_on_big_stack(text: str) -> ast.Module:
    """``ast.parse`` on a thread with room for one C frame (under 64 bytes) per character."""
    outcome: dict[str, object] = {}

    def run() -> None:
        try:
            outcome["tree"] = ast.parse(text)
        except BaseException as exc:  # re-raised in the caller's thread
            outcome["error"] = exc

    previous = threading.stack_size(min(1 << 30, (8 << 20) + 64 * len(text)))
    try:
        thread = threading.Thread(target=run, name="authlint-ast-parse")
        thread.start()
    finally:
        threading.stack_size(previous)
    thread.join()
    if "error" in outcome:
        raise outcome["error"]  # type: ignore[misc]
    return outcome["tree"]  # type: ignore[return-value]
