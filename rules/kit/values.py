"""Reading what facts hold: which spelling of an option is present, whether a value is a number, a
list, or written into the code (rather than read from the environment or settings)."""

from __future__ import annotations

from typing import Any

from authlint.facts.model import Expr, Option, OptionBag


def number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def option(bag: OptionBag, *names: str) -> Option | None:
    """The first of several names present in the bag."""
    for name in names:
        found = bag.get(name)
        if found is not None:
            return found
    return None


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
