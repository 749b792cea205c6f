"""The "peek, pick the key, then verify" pattern in JS/TS: ``jwt.decode(token, { complete: true })``
(or jose ``decodeJwt``) whose result chooses the key, issuer or audience of a ``jwt.verify`` /
``jwtVerify`` of the same token later in the same function. The look trusts nothing; the verify
does, so the pattern is secure as a whole and its look is marked ``selects_verification``.
See ``authlint.facts.python.jwt_peeks``.

The reverse order, "verify, then read": ``jwt.decode(token)`` after a synchronous ``jwt.verify`` (or
an awaited ``jwtVerify``) of the same token that runs on every path to it is marked
``verified_before`` (same dominance rules as the Python side; a verify with a callback reports its
failure to the callback and dominates nothing).
"""

from __future__ import annotations

from typing import Any, Iterable

from authlint.facts.javascript.model import FUNCTIONS, JsModel
from authlint.facts.model import DECODE_ONLY, PEEK, VERIFY, Fact, JwtVerify

BINDINGS = ("variable_declarator", "assignment_expression")


def mark(model: JsModel, facts: Iterable[Fact]) -> None:
    verifies = [fact for fact in facts if isinstance(fact, JwtVerify) and fact.token is not None]
    looks = [v for v in verifies if v.intent in (PEEK, DECODE_ONLY)]
    checks = [v for v in verifies if v.intent == VERIFY and v.verifies_signature]
    if not looks or not checks:
        return
    _mark_verified_before(model, looks, checks)
    for look in looks:
        node = model.node_at(look.span)
        scope = _scope(node)
        if scope is None:
            continue
        scope_span = model.span(scope)
        later = [c for c in checks if scope_span.contains(c.span) and c.span.end >= look.span.end
                 and c.token.text == look.token.text]  # type: ignore[union-attr]
        if later and _selects(model, scope, look, later):
            look.selects_verification = True


def _scope(node: Any) -> Any | None:
    while node is not None:
        if node.type in FUNCTIONS or node.type in ("method_definition", "program"):
            return node
        node = node.parent
    return None


def _walk(node: Any) -> list[Any]:
    """The scope's nodes in source order, nested functions left out."""
    found = []
    stack = list(reversed(node.named_children))
    while stack:
        current = stack.pop()
        if current.type in FUNCTIONS or current.type in ("method_definition", "class_declaration"):
            continue
        found.append(current)
        stack.extend(reversed(current.named_children))
    return found


def _identifiers(model: JsModel, node: Any) -> set[str]:
    names = set()
    stack = [node]
    while stack:
        current = stack.pop()
        if current.type in ("identifier", "shorthand_property_identifier_pattern", "shorthand_property_identifier"):
            names.add(model.text(current))
        stack.extend(current.named_children)
    return names


def _selects(model: JsModel, scope: Any, look: JwtVerify, later: list[JwtVerify]) -> bool:
    nodes = _walk(scope)
    tainted: set[str] = set()
    for node in nodes:  # names bound from the look's result, then from those names, in order
        if node.type not in BINDINGS:
            continue
        target = node.child_by_field_name("name" if node.type == "variable_declarator" else "left")
        value = node.child_by_field_name("value" if node.type == "variable_declarator" else "right")
        if target is None or value is None:
            continue
        span = model.span(value)
        if span.contains(look.span) or (span.start > look.span.start and _identifiers(model, value) & tainted):
            tainted |= _identifiers(model, target)
    calls = {model.span(node): node for node in nodes if node.type == "call_expression"}
    for check in later:
        call = calls.get(check.span)
        if call is None:
            continue
        for argument in model.args(call):
            span = model.span(argument)
            if span == check.token.span:  # type: ignore[union-attr]
                continue
            if span.contains(look.span) or _identifiers(model, argument) & tainted:
                return True
    return False


# -- verify, then read ------------------------------------------------------------------------------
BLOCK_TYPES = ("statement_block", "program")
# Expressions whose later operands may not run: a verify there does not dominate anything.
CONDITIONAL = ("ternary_expression", "binary_expression", "optional_chain")
SHORT_CIRCUIT = ("&&", "||", "??")
CALLS = ("call_expression", "new_expression")


def _call(model: JsModel, span: Any) -> Any | None:
    node = model.node_at(span)
    stack = [node]
    while stack:  # node_at gives the outermost node of the span: the call may lie inside it
        current = stack.pop()
        if current.type in CALLS and model.span(current) == span:
            return current
        stack.extend(current.named_children)
    return None


def _mark_verified_before(model: JsModel, looks: list[JwtVerify], checks: list[JwtVerify]) -> None:
    for look in looks:
        target = _call(model, look.span)
        if target is None:
            continue
        for check in checks:
            if check.span.start >= look.span.start or check.token.text != look.token.text:  # type: ignore[union-attr]
                continue
            call = _call(model, check.span)
            if call is None or not _completes(model, check, call) or _scope(call.parent) != _scope(target.parent):
                continue
            if _dominates(call, target) and not _rebound(model, look, call, target):
                look.verified_before = True
                break


def _completes(model: JsModel, check: JwtVerify, call: Any) -> bool:
    """Whether the check has finished (or thrown) when the next statement runs: no callback, and
    an asynchronous verifier (jose) awaited."""
    if any(argument.type in FUNCTIONS or argument.type == "identifier" and index >= 2 and check.library == "jsonwebtoken"
           for index, argument in enumerate(model.args(call))):
        return False  # jsonwebtoken hands the result (and the failure) to a callback
    if check.library == "jose":
        return call.parent is not None and call.parent.type == "await_expression"
    return True


def _statement(node: Any) -> Any | None:
    """The statement of a block that evaluates ``node`` unconditionally, or None."""
    current = node
    while current.parent is not None and current.parent.type not in BLOCK_TYPES:
        parent = current.parent
        if parent.type in FUNCTIONS or parent.type in ("method_definition", "class_body"):
            return None
        if parent.type in CONDITIONAL and not _always_runs(parent, current):
            return None
        current = parent
    return current if current.parent is not None else None


def _always_runs(parent: Any, child: Any) -> bool:
    if parent.type == "ternary_expression":
        return parent.child_by_field_name("condition") == child
    if parent.type == "binary_expression":
        operator = parent.child_by_field_name("operator")
        return operator is None or operator.type not in SHORT_CIRCUIT or parent.child_by_field_name("left") == child
    return False


def _inside(outer: Any, inner: Any) -> bool:
    return outer.start_byte <= inner.start_byte and inner.end_byte <= outer.end_byte


def _exits(handler: Any) -> bool:
    body = handler.child_by_field_name("body")
    statements = [child for child in body.named_children if child.type != "comment"] if body is not None else []
    return bool(statements) and statements[-1].type in ("return_statement", "throw_statement")


def _dominates(check: Any, look: Any) -> bool:
    """Whether every path to ``look`` ran ``check`` to completion first (conservatively)."""
    statement = _statement(check)
    while statement is not None:
        block = statement.parent
        later = [child for child in block.named_children if child.start_byte >= statement.end_byte]
        if any(_inside(child, look) for child in later):
            return True
        owner = block.parent
        if owner is not None and owner.type == "try_statement" and owner.child_by_field_name("body") == block:
            handler = owner.child_by_field_name("handler")
            if handler is not None and not _exits(handler):
                return False
            statement = _statement(owner)
        elif owner is not None and owner.type == "statement_block":
            statement = _statement(block)  # a bare nested block
        else:
            return False  # leaving an ``if``/loop body, a catch or the function: the check may not have run
    return False


def _rebound(model: JsModel, look: JwtVerify, check: Any, target: Any) -> bool:
    """Whether a name the token is read from is assigned between the check and the look."""
    root = look.token.text.split(".")[0].split("[")[0].strip()  # type: ignore[union-attr]
    scope = _scope(target.parent)
    if scope is None:
        return True
    for node in _walk(scope):
        if node.type != "assignment_expression" and node.type != "augmented_assignment_expression":
            continue
        if check.end_byte <= node.start_byte <= target.start_byte:
            left = node.child_by_field_name("left")
            if left is not None and root in _identifiers(model, left):
                return True
    return False
