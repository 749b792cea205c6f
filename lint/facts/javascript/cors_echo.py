"""Hand-set CORS headers in JavaScript: which value answers the request's Origin, and whether the
function that sets it checks that origin first.

Every family reads the Origin header its own way (express ``req.headers.origin`` / ``req.get("origin")``
/ ``req.header("Origin")``, fastify ``request.headers.origin``, koa ``ctx.get("Origin")`` /
``ctx.request.header.origin``, Node ``http`` ``req.headers["origin"]``, fetch-style
``request.headers.get("origin")``, Lambda ``event.headers.origin``), often through a local
(``const origin = req.headers.origin``) and with a fallback (``origin || "*"``). The echo is
reflected-any only when nothing in the setting function compares that origin with something: an
allow-list test (``ALLOWED.includes(origin)``, ``allowed.has(origin)``, ``origin === FRONTEND``,
``/\\.example\\.com$/.test(origin)``, ``isAllowed(origin)``) decides it in code authlint does not read.
A presence test (``if (origin)``, ``origin !== undefined``) is no check.
"""

from __future__ import annotations

import re
from typing import Any, Iterator

from authlint.facts.javascript.model import JsModel

ECHOED = "request:origin"  # Expr.ref of a value that is the request's Origin, unchecked
CHECKED = "request:origin-checked"  # the same, compared with something first in the same function
_QUOTED = r"""['"`]origin['"`]"""
# the request objects of express, fastify, koa, Node http, Hono (``c.req``), Next.js and Lambda handlers
_RECEIVER = r"(?:req|request|ctx|context|event|c\.req|ctx\.request|ctx\.req|context\.request|event\.request)"
ORIGIN_SOURCE = re.compile(
    rf"^(?:this\.)?{_RECEIVER}\.(?:headers?\.origin|headers?\[{_QUOTED}\]|header\({_QUOTED}\)|get\({_QUOTED}\)"
    rf"|headers\.get\({_QUOTED}\)|getHeader\({_QUOTED}\))$",
    re.IGNORECASE,
)
FUNCTIONS = ("arrow_function", "function_expression", "function_declaration", "method_definition",
             "generator_function", "generator_function_declaration")
NOTHING = frozenset({"undefined", "null", "''", '""', "``", "void 0"})  # presence tests, not allow-lists
EQUALITY = frozenset({"==", "===", "!=", "!==", "in", "instanceof"})
SHORT_CIRCUIT = frozenset({"&&", "||", "??"})


def compact(model: JsModel, node: Any) -> str:
    return re.sub(r"\s|\?(?=\.)|!(?=\.)", "", model.text(node))


def origin_source(model: JsModel, node: Any, depth: int = 0) -> bool:
    """``node`` evaluates to the request's Origin header (through a local, ``|| "*"`` / ``?? "*"``)."""
    node = model.unwrap(node)
    if node is None or depth > 4:
        return False
    if node.type == "binary_expression":
        operator = node.child_by_field_name("operator")
        if operator is not None and model.text(operator) in ("||", "??"):
            return origin_source(model, node.child_by_field_name("left"), depth + 1)
        return False
    if node.type == "identifier":
        target = model.resolve(node)
        return target is not None and target is not node and target.type != "identifier" and origin_source(
            model, target, depth + 1
        )
    return node.type in ("member_expression", "subscript_expression", "call_expression") and bool(
        ORIGIN_SOURCE.match(compact(model, node))
    )


def enclosing_function(node: Any) -> Any:
    current = node.parent
    while current is not None and current.type not in (*FUNCTIONS, "program"):
        current = current.parent
    return current


def _walk(node: Any) -> Iterator[Any]:
    stack = [node]
    while stack:
        current = stack.pop()
        yield current
        stack.extend(reversed(current.named_children))


def _origin_names(model: JsModel, function: Any) -> set[str]:
    """Locals the function binds to the request's Origin (``const origin = req.headers.origin``,
    ``const { origin } = req.headers``)."""
    names: set[str] = set()
    for node in _walk(function):
        if node.type == "variable_declarator":
            name, value = node.child_by_field_name("name"), node.child_by_field_name("value")
            if name is None or value is None:
                continue
            if name.type == "identifier" and origin_source(model, value):
                names.add(model.text(name))
            elif name.type == "object_pattern" and re.match(rf"^{_RECEIVER}\.headers?$", compact(model, value), re.I):
                names.update(model.text(child) for child in name.named_children
                             if child.type == "shorthand_property_identifier_pattern" and model.text(child).lower() == "origin")
        elif node.type == "assignment_expression":
            left, right = node.child_by_field_name("left"), node.child_by_field_name("right")
            if left is not None and left.type == "identifier" and right is not None and origin_source(model, right):
                names.add(model.text(left))
    return names


def _mentions(model: JsModel, node: Any, names: set[str]) -> bool:
    node = model.unwrap(node)
    if node is None:
        return False
    if node.type == "identifier":
        return model.text(node) in names
    return node.type in ("member_expression", "subscript_expression", "call_expression") and bool(
        ORIGIN_SOURCE.match(compact(model, node))
    )


def _compares(model: JsModel, test: Any, names: set[str]) -> bool:
    """``test`` compares the origin with something: equality with a real value, a call taking it
    (``ALLOWED.includes(origin)``, ``re.test(origin)``) or made on it (``origin.endsWith(...)``), an
    index by it (``ALLOWED_MAP[origin]``)."""
    for node in _walk(test):
        if node.type == "binary_expression":
            operator = node.child_by_field_name("operator")
            left, right = node.child_by_field_name("left"), node.child_by_field_name("right")
            if operator is None or model.text(operator) not in EQUALITY:
                continue
            for one, other in ((left, right), (right, left)):
                if _mentions(model, one, names) and other is not None and model.text(other) not in NOTHING:
                    return True
        elif node.type in ("call_expression", "new_expression"):
            if any(_mentions(model, arg, names) for arg in model.args(node)):
                return True
            fn = node.child_by_field_name("function")
            if fn is not None and fn.type == "member_expression" and _mentions(model, fn.child_by_field_name("object"), names):
                return True
        elif node.type == "subscript_expression" and _mentions(model, node.child_by_field_name("index"), names):
            return True
    return False


def _tests(model: JsModel, function: Any) -> Iterator[Any]:
    """Conditions that decide what runs: ``if``/loop/ternary/``switch`` tests, the left side of
    ``&&``/``||``, and the values of locals holding a test (``const ok = ALLOWED.includes(o)``)."""
    for node in _walk(function):
        if node.type in ("if_statement", "while_statement", "do_statement", "ternary_expression"):
            condition = node.child_by_field_name("condition")
            if condition is not None:
                yield condition
        elif node.type == "switch_statement":
            value = node.child_by_field_name("value")
            if value is not None:
                yield value
        elif node.type == "binary_expression":
            operator = node.child_by_field_name("operator")
            if operator is not None and model.text(operator) in SHORT_CIRCUIT:
                left = node.child_by_field_name("left")
                if left is not None:
                    yield left
        elif node.type == "variable_declarator":
            value = node.child_by_field_name("value")
            if value is not None and value.type not in FUNCTIONS:
                yield value


def echo_of(model: JsModel, value: Any, at: Any) -> str | None:
    """ECHOED, CHECKED, or None when the header value ``value`` (set by the call ``at``) is not the
    request's Origin. A local bound in several branches (``let origin; if (...) origin =
    req.headers.origin; else origin = "*"``) echoes when any of its bindings in the function is."""
    function = enclosing_function(at)
    names = _origin_names(model, function) if function is not None else set()
    bare = model.unwrap(value)
    branch_bound = bare is not None and bare.type == "identifier" and model.text(bare) in names
    if not (origin_source(model, value) or branch_bound):
        return None
    if function is None or function.type == "program":
        return ECHOED
    unwrapped = model.unwrap(value)
    if unwrapped is not None and unwrapped.type == "identifier":
        names.add(model.text(unwrapped))
    for test in _tests(model, function):
        if _compares(model, test, names):
            return CHECKED
    return ECHOED


def truthy_binding(model: JsModel, value: Any, at: Any) -> Any:
    """For ``Access-Control-Allow-Credentials``: a local the function binds in several branches
    (``cred = "true"`` where it echoes the Origin, ``cred = "false"`` in the fallback) may send
    credentials, so its ``"true"`` / ``true`` binding is the value to weigh; else ``value`` itself."""
    bare = model.unwrap(value)
    function = enclosing_function(at)
    if bare is None or bare.type != "identifier" or function is None:
        return value
    name = model.text(bare)
    for node in _walk(function):
        if node.type == "variable_declarator":
            target, bound = node.child_by_field_name("name"), node.child_by_field_name("value")
        elif node.type == "assignment_expression":
            target, bound = node.child_by_field_name("left"), node.child_by_field_name("right")
        else:
            continue
        if target is None or bound is None or target.type != "identifier" or model.text(target) != name:
            continue
        literal = model.value(bound)
        if literal is True or (isinstance(literal, str) and literal.strip().lower() == "true"):
            return bound
    return value
