"""The "peek, pick the key, then verify" pattern: ``jwt.get_unverified_header(token)`` (or a decode
with ``verify_signature`` off) whose result chooses the key, issuer or audience of a verified decode
of the same token later in the same function. The look itself trusts nothing; the verified decode
does, so the pattern is secure as a whole and its look is marked ``selects_verification``.

Found by following names assigned in the function from the look's result (``header`` ->
``kid = header["kid"]`` -> ``key = keys[kid]``) into the key and options of the later decode.

The reverse order, "verify, then read": a look at a token that a verified decode of the same token
earlier in the same function has already checked is marked ``verified_before`` (it reads claims
that passed verification). Only where the verification dominates the look: it runs unconditionally
in a statement before the look in the same block, or in one the look's block nests in; leaving a
``try`` counts only when every handler returns or raises, ``if``/loop bodies never.
"""

from __future__ import annotations

import ast
from typing import Iterable

from authlint.facts.model import DECODE_ONLY, PEEK, VERIFY, Fact, JwtVerify
from authlint.facts.python.resolve import Resolver
from authlint.files.source import Span

Function = ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda


def mark(resolver: Resolver, module: ast.Module, facts: Iterable[Fact]) -> None:
    verifies = [fact for fact in facts if isinstance(fact, JwtVerify)]
    looks = [v for v in verifies if v.token is not None and (v.intent == PEEK or v.verifies_signature is False)]
    checks = [v for v in verifies if v.intent == VERIFY and v.verifies_signature and v.token is not None]
    if not looks or not checks:
        return
    calls, parents = _index(resolver, module)
    _mark_verified_before(calls, parents, looks, checks)
    whole = Span(0, len(resolver.source.text))
    for look in looks:
        scope, span = _function_of(resolver, module, whole, look, calls, parents)
        later = [c for c in checks if span.contains(c.span) and c.span.end >= look.span.end
                 and c is not look and c.token.text == look.token.text]  # type: ignore[union-attr]
        if later and _selects(resolver, scope, look, later):
            look.selects_verification = True


def _index(resolver: Resolver, module: ast.Module) -> tuple[dict[Span, ast.Call], dict[int, ast.AST]]:
    """Every call by its span, and every node's parent: one walk of the module (on a large module
    the walks were most of the extraction's cost)."""
    calls: dict[Span, ast.Call] = {}
    parents: dict[int, ast.AST] = {}
    pending: list[ast.AST] = [module]
    while pending:
        node = pending.pop()
        if isinstance(node, ast.Call):
            calls[resolver.span(node)] = node
        for child in ast.iter_child_nodes(node):
            parents[id(child)] = node
            pending.append(child)
    return calls, parents


def _function_of(resolver: Resolver, module: ast.Module, whole: Span, look: JwtVerify,
                 calls: dict[Span, ast.Call], parents: dict[int, ast.AST]) -> tuple[ast.AST, Span]:
    """The innermost function (or the module) whose span holds the look, and that span: the
    look's call's nearest enclosing ``def`` that holds it (an enclosing scope is an ancestor)."""
    current = parents.get(id(calls[look.span])) if look.span in calls else None
    if current is None:  # not a call authlint can place: every function is a candidate
        holding = [(span, node) for node in ast.walk(module) if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))
                   if (span := resolver.span(node)).contains(look.span)]
        if not holding:
            return module, whole
        span, node = min(holding, key=lambda pair: pair[0].end - pair[0].start)
        return node, span
    while current is not None:
        if isinstance(current, (ast.FunctionDef, ast.AsyncFunctionDef)):
            span = resolver.span(current)
            if span.contains(look.span):
                return current, span
        current = parents.get(id(current))
    return module, whole


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


# -- verify, then read ------------------------------------------------------------------------------
# Expressions whose operands after the first may not run: a verify there does not dominate anything.
CONDITIONAL = (ast.IfExp, ast.BoolOp, ast.Lambda, ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp)
BLOCKS = ("body", "orelse", "finalbody")
TRIES = tuple(getattr(ast, name) for name in ("Try", "TryStar") if hasattr(ast, name))
SCOPES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.Module)


def _mark_verified_before(calls: dict[Span, ast.Call], parents: dict[int, ast.AST], looks: list[JwtVerify],
                          checks: list[JwtVerify]) -> None:
    for look in looks:
        if look.intent not in (PEEK, DECODE_ONLY) and look.verifies_signature is not False:
            continue
        target = calls.get(look.span)
        if target is None:
            continue
        for check in checks:
            if check.span.start >= look.span.start or check.token.text != look.token.text:  # type: ignore[union-attr]
                continue
            call = calls.get(check.span)
            if call is None or _scope_of(call, parents) is not _scope_of(target, parents):
                continue
            if _dominates(call, target, parents) and not _rebound(look, call, target, parents):
                look.verified_before = True
                break


def _scope_of(node: ast.AST, parents: dict[int, ast.AST]) -> ast.AST | None:
    current = parents.get(id(node))
    while current is not None and not isinstance(current, SCOPES):
        current = parents.get(id(current))
    return current


def _statement(node: ast.AST, parents: dict[int, ast.AST]) -> ast.stmt | None:
    """The innermost statement that evaluates ``node`` unconditionally, or None (a conditional
    operand, a lambda or a comprehension lies between)."""
    current = node
    while not isinstance(current, ast.stmt):
        parent = parents.get(id(current))
        if parent is None or isinstance(parent, CONDITIONAL) and not _first_operand(parent, current):
            return None
        current = parent
    return current


def _first_operand(parent: ast.AST, child: ast.AST) -> bool:
    """Whether ``child`` is the operand of ``parent`` that always runs (a boolean's first value)."""
    return isinstance(parent, ast.BoolOp) and parent.values[0] is child or isinstance(parent, ast.IfExp) and parent.test is child


def _block_of(statement: ast.stmt, parents: dict[int, ast.AST]) -> tuple[ast.AST, str, int] | None:
    parent = parents.get(id(statement))
    if parent is None:
        return None
    for name in (*BLOCKS, "handlers"):
        block = getattr(parent, name, None)
        if isinstance(block, list):
            for index, item in enumerate(block):
                if item is statement:
                    return parent, name, index
    return None


def _contains(outer: ast.AST, inner: ast.AST, parents: dict[int, ast.AST]) -> bool:
    current: ast.AST | None = inner
    while current is not None:
        if current is outer:
            return True
        current = parents.get(id(current))
    return False


def _exits(handler: ast.excepthandler) -> bool:
    body = getattr(handler, "body", [])
    return bool(body) and isinstance(body[-1], (ast.Return, ast.Raise))


def _dominates(check: ast.Call, look: ast.Call, parents: dict[int, ast.AST]) -> bool:
    """Whether every path to ``look`` ran ``check`` to completion first (conservatively)."""
    statement = _statement(check, parents)
    while statement is not None:
        where = _block_of(statement, parents)
        if where is None:
            return False
        owner, name, index = where
        if isinstance(owner, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) and name != "body":
            return False
        block = getattr(owner, name)
        if any(_contains(later, look, parents) for later in block[index + 1:]):
            return True
        if isinstance(owner, TRIES) and name == "body":
            if any(_contains(later, look, parents) for later in owner.orelse):
                return True  # ``else`` runs only when the body completed
            if not all(_exits(handler) for handler in owner.handlers):
                return False
            statement = owner
        elif isinstance(owner, (ast.With, ast.AsyncWith)):
            statement = owner
        else:
            return False  # leaving an ``if``/loop body, a handler or the function: the check may not have run
    return False


def _rebound(look: JwtVerify, check_call: ast.Call, look_call: ast.Call, parents: dict[int, ast.AST]) -> bool:
    """Whether a name the token is read from is assigned between the check and the look."""
    root = look.token.text.split(".")[0].split("[")[0].strip()  # type: ignore[union-attr]
    scope = _scope_of(look_call, parents)
    if scope is None:
        return True
    start, end = check_call.end_lineno or 0, look_call.lineno
    for node in _own_nodes(scope):
        if root in _targets(node) and start <= getattr(node, "lineno", 0) <= end and node is not parents.get(id(check_call)):
            return True
    return False
