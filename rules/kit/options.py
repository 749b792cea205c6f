"""Edits to options: insert, set, replace, remove and rename an option in a call, dict or object.

Each function returns text edits over the file, built from the spans the extractors recorded in an
``OptionBag``, with values rendered by ``render``; the bag says where a new option goes and in which
form (keywords, dict entry, object property), so the same call works for every language.
"""

from __future__ import annotations

from typing import Any

from authlint.diagnostics.diagnostic import Edit
from authlint.facts.model import Expr, Option, OptionBag
from authlint.files.source import Source, Span
from authlint.rules.kit import render


def insert_option(source: Source, bag: OptionBag, name: str, value: Any,
                  like: Expr | Option | str | None = None) -> Edit | None:
    """Add ``name`` with ``value`` at the bag's insertion point; None when the options are not a
    literal authlint can edit."""
    if bag.insert_at is None:
        return None
    return Edit.insert(bag.insert_at, bag.insert_prefix + render.entry(source, bag, name, value, like) + bag.insert_suffix)


def set_option(source: Source, bag: OptionBag, name: str, value: Any,
               like: Expr | Option | str | None = None) -> Edit | None:
    """Give ``name`` this value: its value replaced when written, inserted otherwise."""
    present = bag.get(name)
    if present is not None:
        return replace_value(source, present.value, value, like if like is not None else present)
    return insert_option(source, bag, name, value, like)


def replace_value(source: Source, expr: Expr | Span, value: Any, like: Expr | Option | str | None = None) -> Edit:
    """Replace an expression with the literal of ``value`` (quote style of ``like``, else of ``expr``)."""
    span = expr if isinstance(expr, Span) else expr.span
    if like is None and isinstance(expr, Expr):
        like = expr
    return Edit.replace(span, render.literal(source, value, like))


def remove_option(source: Source, option: Option) -> Edit:
    """Delete one option and its separating comma; an option alone on its line(s) goes with its
    whole lines, so the layout stays tidy."""
    text = source.text
    start, end = option.span.start, option.span.end
    after = end
    while after < len(text) and text[after] in " \t":
        after += 1
    if after < len(text) and text[after] == ",":
        end = after + 1
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


def rename_option(source: Source, option: Option, new_name: str, scale: float | None = None) -> list[Edit] | None:
    """Rename an option, converting a number written in another unit (``scale``: new units per old
    unit, e.g. 0.001 from milliseconds to seconds). None when the value needs converting but is
    not a number literal (the rename alone would change its meaning)."""
    edits = [Edit.replace(option.name_span, new_name)]
    if scale is None or scale == 1:
        return edits
    value = option.value.value
    if isinstance(value, bool) or not isinstance(value, (int, float)) or option.value.origin is not None:
        return None
    edits.append(Edit.replace(option.value.span, render.number(value * scale)))
    return edits
