"""The one error every parser raises for input its format rejects.

It lives with the parsers (not with the engine that catches it) so a parser imports nothing from
the stages after it; the engine turns it into an ``E001`` diagnostic at ``offset``.
"""

from __future__ import annotations


class ParseError(Exception):
    """A file its format's parser rejects; becomes an ``E001`` diagnostic at ``offset``."""

    def __init__(self, message: str, offset: int = 0) -> None:
        super().__init__(message)
        self.message = message
        self.offset = offset
        # the file was taken for this format by its content alone (a ``.conf`` that looked like
        # nginx) and this parser rejects it: it is not the format's, and is not reported (no E001)
        self.foreign = False
