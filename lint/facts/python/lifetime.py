"""Token lifetimes from ``exp`` expressions: ``now + timedelta(...)``, ``time.time() + N``.

Returns the lifetime in seconds and the node of the duration, so a fix can rewrite just the
``timedelta(...)`` or the number. Absolute timestamps give no lifetime (it depends on when the code
runs, which authlint cannot know).
"""

from __future__ import annotations

import ast

from authlint.facts.knowledge.durations import TIMEDELTA_POSITIONAL, TIMEDELTA_UNITS
from authlint.facts.python.resolve import (
    Bound,
    Resolver,
    arg_keyword,
    arg_star,
    arg_value,
    bool_operands,
    dotted,
    first_value,
)
from authlint.facts.python.walk import ordered_args

NOW_CALLS = frozenset({
    "datetime.datetime.now", "datetime.datetime.utcnow", "datetime.datetime.today",
    "time.time", "time.monotonic", "django.utils.timezone.now", "arrow.utcnow", "arrow.now",
    "pendulum.now", "pendulum.today",
})
TIMEDELTA = frozenset({"datetime.timedelta"})
WRAPPERS = frozenset({"int", "round", "float", "math.floor", "math.ceil"})
# ``calendar.timegm(dt.utctimetuple())`` / ``time.mktime(dt.timetuple())``: a datetime as epoch seconds
EPOCH_OF_TUPLE = frozenset({"calendar.timegm", "time.mktime"})
EPOCH_FORMATS = frozenset({"%s"})  # ``dt.strftime('%s')``: epoch seconds (glibc), then ``int(...)``


def duration(resolver: Resolver, node: Bound, depth: int = 0) -> tuple[float, Bound] | None:
    """Seconds of a ``timedelta(...)`` or a plain number (followed through names)."""
    if depth > 6:
        return None
    target = resolver.follow(node)
    if isinstance(target, ast.Call) and _qual(resolver, target.func) in TIMEDELTA:
        total = 0.0
        for index, arg in enumerate(ordered_args(target)):
            if arg_star(arg):
                return None
            unit = arg_keyword(arg)
            if unit is None and index < len(TIMEDELTA_POSITIONAL):
                unit = TIMEDELTA_POSITIONAL[index]
            amount = resolver.value(arg_value(arg))
            if unit not in TIMEDELTA_UNITS or not _number(amount):
                return None
            total += amount * TIMEDELTA_UNITS[unit]
        return total, target
    if isinstance(target, ast.BinOp) and isinstance(target.op, ast.Mult):
        # timedelta(minutes=1) * 5, 5 * timedelta(...)
        for td, factor in ((target.left, target.right), (target.right, target.left)):
            inner = duration(resolver, td, depth + 1)
            amount = resolver.value(factor)
            if inner and _number(amount) and not _is_number_node(resolver, td):
                return inner[0] * amount, target
    value = resolver.value(target)
    if _number(value):
        return float(value), target
    return None


def is_now(resolver: Resolver, node: Bound, depth: int = 0) -> bool:
    """Whether an expression is the current time (``datetime.now(tz)``, ``time.time()``, wrappers)."""
    if depth > 6:
        return False
    target = resolver.follow(node)
    if isinstance(target, ast.BoolOp):  # ``now = now or datetime.now(timezone.utc)``
        left, right = bool_operands(target)
        return is_now(resolver, left, depth + 1) or is_now(resolver, right, depth + 1)
    if not isinstance(target, ast.Call):
        return False
    qual = _qual(resolver, target.func)
    if qual in NOW_CALLS:
        return True
    first = first_value(target)
    if qual in WRAPPERS and first is not None:
        return is_now(resolver, first, depth + 1)
    if isinstance(target.func, ast.Attribute) and target.func.attr in ("timestamp", "replace", "astimezone"):
        return is_now(resolver, target.func.value, depth + 1)
    converted = _epoch_of(resolver, target, qual, first)
    return converted is not None and is_now(resolver, converted, depth + 1)


def lifetime(resolver: Resolver, exp: Bound, depth: int = 0) -> tuple[float, Bound] | None:
    """``(seconds, duration node)`` when ``exp`` is "now plus a duration", else None."""
    if depth > 6:
        return None
    target = resolver.follow(exp)
    if isinstance(target, ast.Call):
        qual = _qual(resolver, target.func)
        first = first_value(target)
        if qual in WRAPPERS and first is not None:
            return lifetime(resolver, first, depth + 1)
        converted = _epoch_of(resolver, target, qual, first)
        return lifetime(resolver, converted, depth + 1) if converted is not None else None
    if isinstance(target, ast.BinOp) and isinstance(target.op, ast.Add):
        for now, delta in ((target.left, target.right), (target.right, target.left)):
            if is_now(resolver, now):
                return duration(resolver, delta)
    return None


def _epoch_of(resolver: Resolver, call: ast.Call, qual: str, first: Bound | None) -> Bound | None:
    """The datetime a timestamp conversion reads, else None: ``dt.timestamp()``,
    ``dt.strftime('%s')``, ``calendar.timegm(dt.utctimetuple())``, ``time.mktime(dt.timetuple())``.
    The datetime may be a local (``dt = datetime.now() + timedelta(days=60)``): callers follow it."""
    func = call.func
    if isinstance(func, ast.Attribute) and func.attr == "timestamp":
        return func.value
    if isinstance(func, ast.Attribute) and func.attr == "strftime" and first is not None:
        return func.value if resolver.value(first) in EPOCH_FORMATS else None
    if qual in EPOCH_OF_TUPLE and isinstance(first, ast.Call) and isinstance(first.func, ast.Attribute):
        if first.func.attr in ("timetuple", "utctimetuple"):
            return first.func.value
    return None


def _qual(resolver: Resolver, func: ast.expr) -> str:
    qual = resolver.qualname(func)
    if qual:
        return qual
    name = dotted(func) or ""
    return name


def _number(value: object) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _is_number_node(resolver: Resolver, node: ast.expr) -> bool:
    return _number(resolver.value(node))
