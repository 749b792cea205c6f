"""Helpers shared by rule modules: durations, option edits, language-dependent names and units.

Cheap to import (no parsers): rules import this at module level.
"""

from __future__ import annotations

import re
from typing import Any

from authlint.diagnostics.diagnostic import Edit
from authlint.facts.model import Expr, Fact, Option, OptionBag
from authlint.files.source import Source

PY = "python"
DURATION_RE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h|d|w)?\s*$", re.IGNORECASE)
UNIT = {"ms": 0.001, "s": 1.0, "m": 60.0, "h": 3600.0, "d": 86400.0, "w": 604800.0, None: 1.0}


def parse_duration(value: Any) -> float:
    """``60``, ``"60s"``, ``"15m"``, ``"24h"`` -> seconds (a rule option parser: raises ValueError)."""
    if isinstance(value, bool):
        raise ValueError(f"not a duration: {value!r}")
    if isinstance(value, (int, float)):
        return float(value)
    match = DURATION_RE.match(str(value))
    if not match:
        raise ValueError(f"not a duration: {value!r} (use e.g. 60, \"60s\", \"15m\", \"24h\")")
    unit = match.group(2).lower() if match.group(2) else None
    return float(match.group(1)) * UNIT[unit]


def human(seconds: float) -> str:
    """``90`` -> ``1m30s``, ``86400`` -> ``1d``: how lifetimes are shown in messages."""
    if seconds < 0:
        return "-" + human(-seconds)
    if seconds < 1:
        return f"{seconds * 1000:g}ms"
    whole = int(round(seconds))
    parts = []
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60), ("s", 1)):
        if whole >= size:
            count, whole = divmod(whole, size)
            parts.append(f"{count}{unit}")
    return "".join(parts) or "0s"


def is_python(fact: Fact) -> bool:
    return fact.lang == PY


def number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def option(bag: OptionBag, *names: str) -> Option | None:
    """The first of several spellings present (python ``ping_timeout`` / JS ``pingTimeout``)."""
    for name in names:
        found = bag.get(name)
        if found is not None:
            return found
    return None


def remove_option(source: Source, option: Option) -> Edit:
    """Delete one ``name=value`` / ``"name": value`` entry and its separating comma.

    An entry alone on its line(s) is deleted with its whole lines, so the layout stays tidy.
    """
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


def insert_option(lang: str, bag: OptionBag, name: str, value_code: str) -> Edit | None:
    """Insert ``name=value`` (python kwargs) / ``name: value`` at the bag's insertion point."""
    if bag.insert_at is None:
        return None
    from authlint.rules.kit import render as codegen

    return Edit.insert(bag.insert_at, bag.insert_prefix + codegen.option(lang, name, value_code) + bag.insert_suffix)


def literal_values(expr: Expr | None) -> list[Any]:
    """A known value as a list (a single string becomes a one-item list); [] when unknown."""
    if expr is None or not expr.known:
        return []
    value = expr.value
    if isinstance(value, (list, tuple, set)):
        return list(value)
    return [value]


def hardcoded(expr: Expr | None) -> bool:
    """A value written into the code (a literal, or a constant followed to one), not env/settings."""
    return expr is not None and expr.known and not (expr.ref or "").startswith(("env:", "settings:"))


def quote_of(source: Source) -> str:
    """The file's dominant string quote, so inserted literals look like their neighbours."""
    return "'" if source.text.count("'") > source.text.count('"') else '"'
