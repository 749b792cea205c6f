"""The "peek, pick the key, then verify" pattern: ``jwt.get_unverified_header(token)`` (or a decode
with ``verify_signature`` off) whose result chooses the key, issuer or audience of a verified decode
of the same token later in the same function. The look itself trusts nothing; the verified decode
does, so the pattern is secure as a whole and its look is marked ``selects_verification``.

Found by following names assigned in the function from the look's result (``header`` ->
``kid = header["kid"]`` -> ``key = keys[kid]``) into the key and options of the later decode.
"""

from __future__ import annotations

import ast
from typing import Iterable

from authlint.facts.model import PEEK, VERIFY, Fact, JwtVerify
from authlint.facts.python.resolve import Resolver
from authlint.files.source import Span

Function = ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda


def mark(resolver: Resolver, module: ast.Module, facts: Iterable[Fact]) -> None:
    verifies = [fact for fact in facts if isinstance(fact, JwtVerify)]
    looks = [v for v in verifies if v.token is not None and (v.intent == PEEK or v.verifies_signature is False)]
    checks = [v for v in verifies if v.intent == VERIFY and v.verifies_signature and v.token is not None]
    if not looks or not checks:
        return
    scopes = [module, *(node for node in ast.walk(module) if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)))]
    spans = {id(scope): resolver.span(scope) if scope is not module else Span(0, len(resolver.source.text))
             for scope in scopes}
    for look in looks:
        scope = min((s for s in scopes if spans[id(s)].contains(look.span)), key=lambda s: spans[id(s)].end - spans[id(s)].start)
        later = [c for c in checks if spans[id(scope)].contains(c.span) and c.span.end >= look.span.end
                 and c is not look and c.token.text == look.token.text]  # type: ignore[union-attr]
        if later and _selects(resolver, scope, look, later):
            look.selects_verification = True


def _own_nodes(scope: ast.AST) -> list[ast.AST]:
    """The scope's nodes in source order, nested functions and classes left out."""
    found: list[ast.AST] = []
    stack = list(reversed(list(ast.iter_child_nodes(scope))))
    while stack:
        node = stack.pop()
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)):
            continue
        found.append(node)
        stack.extend(reversed(list(ast.iter_child_nodes(node))))
    return found


def _targets(node: ast.AST) -> set[str]:
    if isinstance(node, ast.Assign):
        targets = node.targets
    elif isinstance(node, (ast.AnnAssign, ast.AugAssign, ast.NamedExpr)):
        targets = [node.target]
    elif isinstance(node, (ast.For, ast.AsyncFor)):
        targets = [node.target]
    else:
        return set()
    return {n.id for target in targets for n in ast.walk(target) if isinstance(n, ast.Name)}


def _value(node: ast.AST) -> ast.AST | None:
    if isinstance(node, (ast.For, ast.AsyncFor)):
        return node.iter
    return getattr(node, "value", None)


def _names(node: ast.AST) -> set[str]:
    return {n.id for n in ast.walk(node) if isinstance(n, ast.Name)}


def _selects(resolver: Resolver, scope: ast.AST, look: JwtVerify, later: list[JwtVerify]) -> bool:
    nodes = _own_nodes(scope)
    tainted: set[str] = set()
    for node in nodes:  # names assigned from the look's result, then from those names, in order
        value = _value(node)
        targets = _targets(node)
        if value is None or not targets:
            continue
        span = resolver.span(value)
        if span.contains(look.span) or (span.start > look.span.start and _names(value) & tainted):
            tainted |= targets
    calls = {resolver.span(node): node for node in nodes if isinstance(node, ast.Call)}
    for check in later:
        call = calls.get(check.span)
        if call is None:
            continue
        token = check.token.span  # type: ignore[union-attr]
        arguments = [*call.args, *(keyword.value for keyword in call.keywords)]
        for argument in arguments:
            span = resolver.span(argument)
            if span == token:
                continue
            if span.contains(look.span) or _names(argument) & tainted:
                return True
    return False
