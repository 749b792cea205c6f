"""JWT lifetime helpers shared by JWT001/JWT002: seconds of settings values and rendering fixes."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

from authlint.facts.model import Expr, JwtConfig

# Settings whose value is an access-token lifetime (refresh tokens are meant to live long).
ACCESS_LIFETIME_SETTINGS = ("JWT_ACCESS_TOKEN_EXPIRES", "ACCESS_TOKEN_LIFETIME", "JWT_EXPIRATION_DELTA")
ALL_LIFETIME_SETTINGS = ACCESS_LIFETIME_SETTINGS + ("JWT_REFRESH_TOKEN_EXPIRES", "REFRESH_TOKEN_LIFETIME")
JS_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h|d|w|y)?\s*$", re.IGNORECASE)
JS_UNITS = {"ms": 0.001, "s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800, "y": 31557600, None: 1}


def seconds_of(value: Any) -> float | None:
    """Seconds of a known lifetime value: ``timedelta``, a number of seconds, a ``"15m"`` string."""
    if isinstance(value, timedelta):
        return value.total_seconds()
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, (int, float)):
        return float(value)
    if isinstance(value, str):
        match = JS_DURATION.match(value)
        if match:
            unit = match.group(2).lower() if match.group(2) else None
            return float(match.group(1)) * JS_UNITS[unit]
    return None


def config_lifetimes(config: JwtConfig, names: tuple[str, ...]):
    """``(option, seconds | None, never_expires)`` for each lifetime setting present."""
    for name in names:
        option = config.settings.get(name)
        if option is None:
            continue
        never = option.value.value is False
        yield option, seconds_of(option.value.value), never


def render_duration(lang: str, expr: Expr, seconds: float) -> str | None:
    """The replacement text for a lifetime expression, in the same form (timedelta, number, string)."""
    whole = int(seconds)
    text = expr.text
    if "timedelta(" in text:
        callee = text[: text.index("timedelta(") + len("timedelta")]
        for unit, size in (("days", 86400), ("hours", 3600), ("minutes", 60)):
            if whole % size == 0 and whole >= size:
                return f"{callee}({unit}={whole // size})"
        return f"{callee}(seconds={whole})"
    if isinstance(expr.value, str):
        quote = text[:1] if text[:1] in "'\"`" else '"'
        for unit, size in (("d", 86400), ("h", 3600), ("m", 60)):
            if whole % size == 0 and whole >= size:
                return f"{quote}{whole // size}{unit}{quote}"
        return f"{quote}{whole}s{quote}"
    if isinstance(expr.value, (int, float)) and not isinstance(expr.value, bool):
        return str(whole)
    return None
