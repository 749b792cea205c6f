"""How each library reads a duration, in seconds: the one place that knows the grammars.

Extractors translate what the code wrote into seconds with these functions, so facts carry one unit
and rules never parse a library's spelling. Writing durations (messages, fixes) is the fix kit's
job (``authlint.rules.kit.durations``).

- ``go_seconds``: Go's ``time.ParseDuration`` (nats-server config values such as ``"2m30s"``).
- ``ms_seconds``: jsonwebtoken ``expiresIn`` (numbers are seconds, strings follow vercel/ms).
- ``jose_seconds``: jose's relative time spans (``setExpirationTime("2h")``, ``clockTolerance``).
- ``TIMEDELTA_UNITS`` / ``TIMEDELTA_POSITIONAL``: ``datetime.timedelta`` keywords and argument order.
- ``setting_seconds``: a lifetime setting's value (``timedelta``, seconds, ``"15m"``).
"""

from __future__ import annotations

import re
from datetime import timedelta
from functools import lru_cache
from typing import Any

# -- Go time.ParseDuration (nats-server) ---------------------------------------------------------
_GO_PART = re.compile(r"([0-9]*(?:\.[0-9]*)?)(ns|us|µs|μs|ms|s|m|h)")
_GO_UNITS = {"ns": 1e-9, "us": 1e-6, "µs": 1e-6, "μs": 1e-6, "ms": 1e-3, "s": 1.0, "m": 60.0, "h": 3600.0}


@lru_cache(maxsize=1024)  # a pure function of a short string, asked for the same options on every config
def go_seconds(text: str) -> float | None:
    """Go's ``time.ParseDuration`` in seconds; None when Go would reject the string."""
    s = text.strip() if text != text.strip() else text
    if s in ("0", "+0", "-0"):
        return 0.0
    if not s:
        return None
    sign = 1.0
    if s[0] in "+-":
        sign = -1.0 if s[0] == "-" else 1.0
        s = s[1:]
    total = 0.0
    pos = 0
    while pos < len(s):
        m = _GO_PART.match(s, pos)
        if not m or m.group(1) in ("", "."):
            return None
        total += float(m.group(1)) * _GO_UNITS[m.group(2)]
        pos = m.end()
    return sign * total


# -- vercel/ms (jsonwebtoken expiresIn / notBefore) ------------------------------------------------
# A bare number string is milliseconds in ms; jsonwebtoken passes numbers through as seconds.
MS_RE = re.compile(
    r"^(-?(?:\d+)?\.?\d+) *(milliseconds?|msecs?|ms|seconds?|secs?|s|minutes?|mins?|m|hours?|hrs?|h|days?|d|weeks?|w|years?|yrs?|y)?$",
    re.IGNORECASE,
)
MS_UNITS = {"y": 31557600.0, "w": 604800.0, "d": 86400.0, "h": 3600.0, "m": 60.0, "s": 1.0, "ms": 0.001}


def ms_seconds(value: Any) -> float | None:
    """Seconds of a jsonwebtoken ``expiresIn``: numbers are seconds, strings follow ``ms``."""
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return float(value)
    if not isinstance(value, str) or len(value) > 100:
        return None
    match = MS_RE.match(value.strip())
    if match is None:
        return None
    amount = float(match.group(1))
    unit = (match.group(2) or "ms").lower()
    if unit.startswith(("ms", "msec", "millisecond")):
        factor = MS_UNITS["ms"]
    elif unit.startswith(("y", "yr", "year")):
        factor = MS_UNITS["y"]
    elif unit.startswith("w"):
        factor = MS_UNITS["w"]
    elif unit.startswith("d"):
        factor = MS_UNITS["d"]
    elif unit.startswith("h"):
        factor = MS_UNITS["h"]
    elif unit.startswith("m"):
        factor = MS_UNITS["m"]
    else:
        factor = MS_UNITS["s"]
    return amount * factor


# -- jose (lib/secs.ts) ------------------------------------------------------------------------
# A unit is required; "+2h" and "2h from now" are in the future, "-2h" and "2h ago" in the past.
JOSE_SPAN_RE = re.compile(
    r"^(\+|-)? ?(\d+|\d+\.\d+) ?(seconds?|secs?|s|minutes?|mins?|m|hours?|hrs?|h|days?|d|weeks?|w|years?|yrs?|y)(?: (ago|from now))?$",
    re.IGNORECASE,
)


def jose_seconds(value: Any) -> float | None:
    """Seconds of a jose relative timespan (``"2h"``, ``"30 min"``); numbers are absolute times."""
    if not isinstance(value, str):
        return None
    match = JOSE_SPAN_RE.match(value.strip())
    if match is None or match.group(1) == "-" or (match.group(4) or "").lower() == "ago":
        return None
    unit = match.group(3).lower()
    amount = float(match.group(2))
    if unit.startswith(("y", "yr")):
        return amount * MS_UNITS["y"]
    for prefix in ("w", "d", "h", "m"):
        if unit.startswith(prefix):
            return amount * MS_UNITS[prefix]
    return amount


def jose_tolerance_seconds(value: Any) -> float | None:
    """jose ``clockTolerance``: a number of seconds or a time span string."""
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return float(value)
    return jose_seconds(value)


def number_seconds(value: Any) -> float | None:
    """A plain number of seconds (jsonwebtoken ``clockTolerance``); None for anything else."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return float(value)


# -- datetime.timedelta ------------------------------------------------------------------------
TIMEDELTA_UNITS = {"weeks": 604800.0, "days": 86400.0, "hours": 3600.0, "minutes": 60.0, "seconds": 1.0,
                   "milliseconds": 0.001, "microseconds": 0.000001}
TIMEDELTA_POSITIONAL = ("days", "seconds", "microseconds", "milliseconds", "minutes", "hours", "weeks")

# -- lifetime settings (Flask-JWT-Extended, SimpleJWT) and PyJWT leeway --------------------------------
_SETTING_RE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h|d|w|y)?\s*$", re.IGNORECASE)
_SETTING_UNITS = {"ms": 0.001, "s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800, "y": 31557600, None: 1}


def setting_seconds(value: Any) -> float | None:
    """Seconds of a known lifetime or leeway value: a ``timedelta``, a number of seconds, or a
    ``"15m"`` string (a bare number string is seconds)."""
    if isinstance(value, timedelta):
        return value.total_seconds()
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, (int, float)):
        return float(value)
    if isinstance(value, str):
        match = _SETTING_RE.match(value)
        if match:
            unit = match.group(2).lower() if match.group(2) else None
            return float(match.group(1)) * _SETTING_UNITS[unit]
    return None
