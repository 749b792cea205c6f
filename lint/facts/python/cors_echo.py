"""Whether a hand-set ``Access-Control-Allow-Origin`` echoes the request's ``Origin``, and whether the
function that sets it checks that origin first.

The families read the Origin header differently (Flask/Starlette ``request.headers.get("Origin")``
and ``request.headers["origin"]``, Werkzeug ``request.origin``, Django ``request.META["HTTP_ORIGIN"]``,
WSGI ``environ["HTTP_ORIGIN"]``, aiohttp ``request.headers.getone("Origin")``), and code usually
keeps it in a local first (``origin = request.headers.get("Origin")``). An echo is "reflected any"
only when nothing in the setting function compares that origin with something: an allow-list test
(``if origin in ALLOWED``, ``origin == settings.FRONTEND``, ``is_allowed(origin)``,
``origin.endswith(...)``, ``re.match(p, origin)``) makes it an origin decided in code authlint does
not read. A bare truthiness or ``None`` test is no check.
"""

from __future__ import annotations

import ast

from authlint.facts.python.resolve import Resolver, dotted, string_value

ECHOED = "request:origin"  # Expr.ref of a value that is the request's Origin, unchecked
CHECKED = "request:origin-checked"  # the same, compared with something first in the same function
ORIGIN_KEYS = frozenset({"origin", "http_origin"})
HEADER_MAPS = ("headers", "meta", "environ")  # what a request keeps the Origin header in
REQUEST_NAMES = frozenset({"request", "req", "self.request", "r"})
NOTHING = (None, "")  # comparing with these tests presence, not an allow-list


def _is_header_map(node: ast.expr) -> bool:
    name = (dotted(node) or "").lower()
    return name.rsplit(".", 1)[-1] in HEADER_MAPS


def origin_source(resolver: Resolver, node: ast.expr | None, depth: int = 0) -> bool:
    """``node`` evaluates to the request's Origin header (through locals and ``or`` fallbacks)."""
    if node is None or depth > 4:
        return False
    if isinstance(node, ast.Name):
        target = resolver.follow(node)
        return target is not node and isinstance(target, ast.expr) and origin_source(resolver, target, depth + 1)
    if isinstance(node, ast.BoolOp) and isinstance(node.op, ast.Or):  # ``origin or "*"`` echoes when sent
        return origin_source(resolver, node.values[0], depth + 1)
    if isinstance(node, ast.Subscript):
        key = string_value(resolver.index(node))
        return key is not None and key.lower() in ORIGIN_KEYS and _is_header_map(node.value)
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.args:
        key = string_value(node.args[0])
        return (node.func.attr in ("get", "getone", "getall", "get_first")
                and key is not None and key.lower() in ORIGIN_KEYS and _is_header_map(node.func.value))
    if isinstance(node, ast.Attribute) and node.attr == "origin":  # Werkzeug ``request.origin``
        return (dotted(node.value) or "") in REQUEST_NAMES
    return False


def _origin_locals(resolver: Resolver, function: ast.AST) -> set[str]:
    """Names the function binds to the request's Origin (``origin = request.headers.get("Origin")``)."""
    names: set[str] = set()
    for node in ast.walk(function):
        if isinstance(node, (ast.Assign, ast.AnnAssign)) and node.value is not None:
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            if origin_source(resolver, node.value):
                names.update(t.id for t in targets if isinstance(t, ast.Name))
        elif isinstance(node, ast.NamedExpr) and origin_source(resolver, node.value):
            names.add(node.target.id)
    return names


def _mentions(resolver: Resolver, node: ast.AST, names: set[str]) -> bool:
    if isinstance(node, ast.Name):
        return node.id in names
    return isinstance(node, ast.expr) and origin_source(resolver, node)


def _holds_origin(resolver: Resolver, node: ast.AST, names: set[str]) -> bool:
    return any(_mentions(resolver, inner, names) for inner in ast.walk(node))


def _compares(resolver: Resolver, test: ast.AST, names: set[str]) -> bool:
    """``test`` compares the origin with something: membership, equality with a real value, a call
    taking it (``is_allowed(origin)``, ``re.match(p, origin)``) or made on it (``origin.endswith``),
    an index by it (``ALLOWED[origin]``)."""
    for node in ast.walk(test):
        if isinstance(node, ast.Compare):
            sides = [node.left, *node.comparators]
            if not any(_mentions(resolver, side, names) for side in sides):
                continue
            if any(isinstance(op, (ast.In, ast.NotIn)) for op in node.ops):
                return True
            others = [side for side in sides if not _mentions(resolver, side, names)]
            if any(isinstance(op, (ast.Eq, ast.NotEq)) for op in node.ops) and any(
                not (isinstance(side, ast.Constant) and side.value in NOTHING) for side in others
            ):
                return True
        elif isinstance(node, ast.Call):
            if any(_mentions(resolver, arg, names) for arg in [*node.args, *(k.value for k in node.keywords)]):
                return True
            if isinstance(node.func, ast.Attribute) and _mentions(resolver, node.func.value, names):
                return True
        elif isinstance(node, ast.Subscript) and _mentions(resolver, node.slice, names):
            return True
    return False


def _tests(function: ast.AST) -> list[ast.AST]:
    found: list[ast.AST] = []
    for node in ast.walk(function):
        if isinstance(node, (ast.If, ast.While, ast.IfExp, ast.Assert)):
            found.append(node.test)
        elif isinstance(node, ast.comprehension):
            found.extend(node.ifs)
        elif isinstance(node, ast.Match):
            found.append(node.subject)
    return found


def echo_of(resolver: Resolver, value: ast.expr, function: ast.AST | None) -> str | None:
    """ECHOED, CHECKED, or None when the header value is not the request's Origin.

    A local bound in several branches (``try: origin = request.headers["Origin"]`` / ``except:
    origin = "*"``) echoes when any of its bindings in the function is the Origin."""
    names = _origin_locals(resolver, function) if function is not None else set()
    if not (origin_source(resolver, value) or (isinstance(value, ast.Name) and value.id in names)):
        return None
    if function is None:
        return ECHOED
    if isinstance(value, ast.Name):
        names.add(value.id)
    for test in _tests(function):
        if _holds_origin(resolver, test, names) and _compares(resolver, test, names):
            return CHECKED
    return ECHOED


def truthy_binding(value: ast.expr, function: ast.AST | None) -> ast.expr:
    """For ``Access-Control-Allow-Credentials``: a local the function binds in several branches
    (``cred = "true"`` where it echoes the Origin, ``cred = "false"`` in the fallback) may send
    credentials, so its ``"true"`` / ``True`` binding is the value to weigh; else ``value`` itself."""
    if not isinstance(value, ast.Name) or function is None:
        return value
    for node in ast.walk(function):
        if isinstance(node, (ast.Assign, ast.AnnAssign)) and node.value is not None:
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            bound = any(isinstance(t, ast.Name) and t.id == value.id for t in targets)
            literal = node.value.value if isinstance(node.value, ast.Constant) else None
            if bound and (literal is True or (isinstance(literal, str) and literal.strip().lower() == "true")):
                return node.value
    return value
