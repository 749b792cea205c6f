"""The "peek, pick the key, then verify" pattern in JS/TS: ``jwt.decode(token, { complete: true })``
(or jose ``decodeJwt``) whose result chooses the key, issuer or audience of a ``jwt.verify`` /
``jwtVerify`` of the same token later in the same function. The look trusts nothing; the verify
does, so the pattern is secure as a whole and its look is marked ``selects_verification``.
See ``authlint.facts.python.jwt_peeks``.
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
