"""Token lifetimes kept in a ``Date`` local and converted to epoch seconds for ``exp``.

The JavaScript twin of Python's ``dt = datetime.now() + timedelta(days=60)`` then
``int(dt.strftime('%s'))``::

    const exp = new Date(Date.now() + 60 * 86400 * 1000);       // or
    const today = new Date(); const exp = new Date(today);
    exp.setDate(today.getDate() + 60);
    jwt.sign({ id, exp: parseInt(exp.getTime() / 1000) }, secret);

The lifetime is what the ``Date`` adds to now (milliseconds in the constructor, days/hours/minutes/
seconds through ``setDate``/``setHours``/...). It is returned without an expression to rewrite: the
amount is in the setter's unit, not the seconds a lifetime fix writes.
"""

from __future__ import annotations

import re
from typing import Any, Iterator

from authlint.facts.javascript.model import JsModel

# ``parseInt(exp.getTime() / 1000)``, ``Math.floor(exp.valueOf() / 1000)``, ``exp.getTime() / 1000 | 0``
EPOCH_SECONDS = re.compile(
    r"(?:Math\.(?:floor|round|trunc|ceil)|parseInt|Number)?\(?\(?(?P<name>[A-Za-z_$][\w$]*)\.(?:getTime|valueOf)\(\)\)?"
    r"/1000\)?(?:\|0)?"
)
NOW_MS = frozenset({"Date.now()", "newDate().getTime()", "+newDate()", "newDate().valueOf()"})
# ``d.setDate(base.getDate() + n)``: the unit of n in seconds, per setter
SETTER_SECONDS = {"Date": 86400.0, "Hours": 3600.0, "Minutes": 60.0, "Seconds": 1.0, "Time": 0.001,
                  "Milliseconds": 0.001, "UTCDate": 86400.0, "UTCHours": 3600.0, "UTCMinutes": 60.0,
                  "UTCSeconds": 1.0, "UTCMilliseconds": 0.001}
SETTER = re.compile(r"^(?P<name>[A-Za-z_$][\w$]*)\.set(?P<unit>[A-Za-z]+)$")
FUNCTIONS = ("arrow_function", "function_expression", "function_declaration", "method_definition",
             "generator_function", "generator_function_declaration")


def _compact(model: JsModel, node: Any) -> str:
    return re.sub(r"\s", "", model.text(node))


def _number(value: object) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _walk(node: Any) -> Iterator[Any]:
    stack = [node]
    while stack:
        current = stack.pop()
        yield current
        stack.extend(reversed(current.named_children))


def _scope(node: Any) -> Any:
    current = node
    while current.parent is not None and current.type not in FUNCTIONS:
        current = current.parent
    return current


def _date_local(model: JsModel, exp: Any) -> tuple[str, Any] | None:
    """The ``Date`` local an ``exp`` value converts to epoch seconds, and its ``new Date(...)``."""
    match = EPOCH_SECONDS.fullmatch(_compact(model, exp))
    if match is None:
        return None
    name = match.group("name")
    ident = next((n for n in _walk(exp) if n.type == "identifier" and model.text(n) == name), None)
    target = model.resolve(ident) if ident is not None else None
    if target is None or target.type != "new_expression":
        return None
    constructor = target.child_by_field_name("constructor")
    if constructor is None or model.text(constructor) != "Date":
        return None
    return name, target


def _constructor_offset(model: JsModel, new_date: Any) -> float | None:
    """``new Date(Date.now() + ms)`` -> seconds."""
    args = model.args(new_date)
    if len(args) != 1 or args[0].type != "binary_expression":
        return None
    operator = args[0].child_by_field_name("operator")
    left, right = args[0].child_by_field_name("left"), args[0].child_by_field_name("right")
    if operator is None or model.text(operator) != "+" or left is None or right is None:
        return None
    for now, delta in ((left, right), (right, left)):
        amount = model.value(delta)
        if _compact(model, now) in NOW_MS and _number(amount):
            return float(amount) / 1000
    return None


def _setter_offset(model: JsModel, name: str, scope: Any) -> float | None:
    """``name.setDate(base.getDate() + n)`` (any unit setter) in the function -> seconds."""
    for node in _walk(scope):
        if node.type != "call_expression":
            continue
        fn = node.child_by_field_name("function")
        match = SETTER.match(_compact(model, fn)) if fn is not None else None
        if match is None or match.group("name") != name or match.group("unit") not in SETTER_SECONDS:
            continue
        args = model.args(node)
        if len(args) != 1 or args[0].type != "binary_expression":
            continue
        operator = args[0].child_by_field_name("operator")
        left, right = args[0].child_by_field_name("left"), args[0].child_by_field_name("right")
        if operator is None or model.text(operator) != "+" or left is None or right is None:
            continue
        getter = f".get{match.group('unit')}()"
        for base, delta in ((left, right), (right, left)):
            amount = model.value(delta)
            if _compact(model, base).endswith(getter) and _number(amount):
                return float(amount) * SETTER_SECONDS[match.group("unit")]
    return None


def date_local_lifetime(model: JsModel, exp: Any) -> float | None:
    """Seconds an ``exp`` lies after now when it converts a ``Date`` local built as now plus an
    amount, else None (a ``Date`` of a fixed or unknown time gives no lifetime)."""
    found = _date_local(model, exp)
    if found is None:
        return None
    name, new_date = found
    offset = _constructor_offset(model, new_date)
    if offset is not None:
        return offset
    return _setter_offset(model, name, _scope(exp))
