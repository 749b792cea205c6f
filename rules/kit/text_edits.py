"""Text-level edits around one element of a list, call, dict or object, for the sources edited as
text (JS/TS through tree-sitter spans, YAML, one-line Python): where a line ends, the comma after
an element, and removing an element with its comma (its whole line when it stands alone there).
"""

from __future__ import annotations

from authlint.diagnostics.diagnostic import Edit
from authlint.files.source import Span


def line_end(text: str, start: int) -> int:
    """Where the line holding ``start`` ends: its ``\\r`` or ``\\n`` (the end of the text when none)."""
    end = len(text)
    for ending in ("\r", "\n"):
        found = text.find(ending, start)
        if found != -1:
            end = min(end, found)
    return end


def comma_after(text: str, end: int) -> int | None:
    """Where the comma following an element is, if one does (spaces between)."""
    at = end
    while at < len(text) and text[at] in " \t":
        at += 1
    return at if at < len(text) and text[at] == "," else None


def remove_element(text: str, span: Span) -> Edit:
    """Delete the element at ``span`` and its separating comma; an element alone on its line (no
    comment after its comma) goes with the whole line, so the layout stays tidy."""
    start, end = span.start, span.end
    comma = comma_after(text, end)
    if comma is not None:
        end = comma + 1
        line_start = text.rfind("\n", 0, start) + 1
        newline = text.find("\n", end)
        if newline != -1 and not text[line_start:start].strip() and not text[end:newline].strip():
            return Edit(line_start, newline + 1, "")
        while end < len(text) and text[end] in " \t":
            end += 1
        return Edit(start, end, "")
    before = start - 1
    while before >= 0 and text[before] in " \t\r\n":
        before -= 1
    if before >= 0 and text[before] == ",":
        return Edit(before, end, "")
    return Edit(start, end, "")
