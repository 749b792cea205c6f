"""Judging Engine.IO timers in the unit their library reads them: SIO001 (a value that makes sense
only in the other unit) and SIO004 (a timer spelled for another library, renamed with its value
converted) share one idea of what a person would set."""

from __future__ import annotations

from authlint.facts.knowledge.socketio_options import SECONDS_PER_UNIT

# A ping or reconnection timer a person would set, in seconds: from a tenth of a second up to (not
# including) 1000 s. Outside it, the number was most likely written for the other unit.
SHORTEST, LONGEST = 0.1, 1000.0


def seconds(value: float, unit: str) -> float:
    return value * SECONDS_PER_UNIT[unit]


def plausible(duration: float) -> bool:
    return SHORTEST <= duration < LONGEST


def misread_unit(value: float, unit: str) -> str | None:
    """The unit a number read in ``unit`` was most likely written in, when the library's reading
    is out of range and a smaller (too long) or larger (too short) unit reads it plausibly."""
    duration = seconds(value, unit)
    if duration >= LONGEST:
        candidates = [u for u, size in SECONDS_PER_UNIT.items() if size < SECONDS_PER_UNIT[unit]]
    elif 0 < duration < SHORTEST:
        candidates = [u for u, size in SECONDS_PER_UNIT.items() if size > SECONDS_PER_UNIT[unit]]
    else:
        return None
    return next((u for u in candidates if 0 < seconds(value, u) < LONGEST), None)


def scale(from_unit: str, to_unit: str) -> float:
    """How many ``to_unit`` one ``from_unit`` is (ms -> s: 0.001)."""
    return SECONDS_PER_UNIT[from_unit] / SECONDS_PER_UNIT[to_unit]
