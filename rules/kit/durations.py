"""Durations in fixes and messages: rule options such as ``"60s"``, how a span of time is shown to a
person (``1m30s``), and a lifetime rewritten in the form the code already uses (``timedelta(...)``,
``"15m"``, a number of seconds).

How a *library* reads a duration (Go durations in nats-server, the ``ms`` strings of jsonwebtoken,
python-engineio seconds) is fact knowledge and lives with the extractors; this module only writes.
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
