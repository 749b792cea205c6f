"""Durations in fixes and messages: rule options such as ``"60s"``, how a span of time is shown to a
person (``1m30s``), and a lifetime rewritten in the form the code already uses (``timedelta(...)``,
``"15m"``, a number of seconds).

How a *library* reads a duration (Go durations in nats-server, the ``ms`` strings of jsonwebtoken,
jose time spans, ``timedelta``) is fact knowledge and lives in ``authlint.facts.knowledge.durations``;
this module only writes (and parses the rules' own options).
"""

from __future__ import annotations

import re
from typing import Any

from authlint.facts.model import Expr
from authlint.files.source import Source
from authlint.rules.kit.render import Code, string

OPTION_RE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h|d|w)?\s*$", re.IGNORECASE)
UNIT = {"ms": 0.001, "s": 1.0, "m": 60.0, "h": 3600.0, "d": 86400.0, "w": 604800.0, None: 1.0}


def parse_duration(value: Any) -> float:
    """``60``, ``"60s"``, ``"15m"``, ``"24h"`` -> seconds (a rule option parser: raises ValueError)."""
    if isinstance(value, bool):
        raise ValueError(f"not a duration: {value!r}")
    if isinstance(value, (int, float)):
        return float(value)
    match = OPTION_RE.match(str(value))
    if not match:
        raise ValueError(f"not a duration: {value!r} (use e.g. 60, \"60s\", \"15m\", \"24h\")")
    unit = match.group(2).lower() if match.group(2) else None
    return float(match.group(1)) * UNIT[unit]


def human(seconds: float, largest: int | None = None) -> str:
    """``90`` -> ``1m30s``, ``86400`` -> ``1d``: how lifetimes are shown in messages.

    ``largest`` keeps only that many of the largest units, in whole seconds (``90061`` -> ``1d1h``
    with 2): enough to judge a lifetime at a glance, as ``authlint jwt inspect`` prints it."""
    if largest is not None:
        return _summary(seconds, largest)
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


def _summary(seconds: float, largest: int) -> str:
    remaining = int(round(seconds))
    parts: list[str] = []
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60), ("s", 1)):
        if remaining >= size or (unit == "s" and not parts):
            count, remaining = divmod(remaining, size)
            parts.append(f"{count}{unit}")
        if len(parts) == largest:
            break
    return "".join(parts)


def approximate(seconds: float) -> str:
    """``172800`` -> ``~2 days``, ``9000`` -> ``~2.5 hours``, ``300`` -> ``5 minutes``, ``30`` ->
    ``30 s``: an order of magnitude in words, for values people tend to misread (nats-server
    durations written as bare numbers)."""
    if seconds >= 86400 * 2:
        return f"~{seconds / 86400:,.0f} days"
    if seconds >= 7200:
        return f"~{seconds / 3600:,.1f} hours"
    if seconds >= 120:
        return f"{seconds / 60:g} minutes"
    return f"{seconds:g} s"


def render_lifetime(source: Source, expr: Expr, seconds: float) -> Code | str | None:
    """The replacement for a lifetime expression, in the form it is written in: a ``timedelta``
    call (same callee), a duration string (same quote), or a number of seconds."""
    whole = int(seconds)
    text = expr.text
    if "timedelta(" in text:
        callee = text[: text.index("timedelta(") + len("timedelta")]
        for unit, size in (("days", 86400), ("hours", 3600), ("minutes", 60)):
            if whole % size == 0 and whole >= size:
                return Code(f"{callee}({unit}={whole // size})")
        return Code(f"{callee}(seconds={whole})")
    if isinstance(expr.value, str):
        for unit, size in (("d", 86400), ("h", 3600), ("m", 60)):
            if whole % size == 0 and whole >= size:
                return string(source, f"{whole // size}{unit}", expr if text[:1] in "'\"" else None)
        return string(source, f"{whole}s", expr if text[:1] in "'\"" else None)
    if isinstance(expr.value, (int, float)) and not isinstance(expr.value, bool):
        return Code(str(whole))
    return None
