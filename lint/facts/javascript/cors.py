"""CORS from JavaScript: express/koa ``cors`` middlewares, the fastify plugin, and hand-set
``Access-Control-Allow-*`` headers."""

from __future__ import annotations

from typing import Any

from authlint.facts.javascript import cors_echo
from authlint.facts.javascript.model import JsModel
from authlint.facts.model import UNKNOWN, CorsPolicy, Expr, OptionBag
from authlint.facts.origins import settle

ACAO = "access-control-allow-origin"
ACAC = "access-control-allow-credentials"
HEADER_METHODS = frozenset({"header", "setHeader", "set", "append", "writeHead"})
# Middleware packages by the framework name their CorsPolicy carries. express `cors` and
# @fastify/cors allow "*" when no origin is given; @koa/cors reflects the request's Origin.
CORS_MIDDLEWARES = {"cors": "express-cors", "@koa/cors": "koa-cors", "koa2-cors": "koa-cors"}
FASTIFY_CORS = {"@fastify/cors": "fastify-cors", "fastify-cors": "fastify-cors"}


def cors_plugin(model: JsModel, call: Any, args: list[Any]) -> CorsPolicy:
    """``fastify.register(cors, opts)``: the options are the second argument."""
    options_node = args[1] if len(args) > 1 else None
    resolved = model.resolve(options_node) if options_node is not None else None
    if options_node is not None and (resolved is None or resolved.type != "object"):
        origins = model.expr(options_node)
        origins.ref = origins.ref or "function"
        return settle(CorsPolicy(model.source, model.span(call), model.lang, framework="fastify-cors", origins=origins,
                                 options=OptionBag(spread=True)))
    bag = model.option_bag(options_node, after=args[0])
    origin = bag.get("origin")
    credentials = bag.get("credentials")
    return settle(CorsPolicy(
        model.source, model.span(call), model.lang, framework="fastify-cors",
        origins=origin.value if origin else None, credentials=credentials.value if credentials else None, options=bag,
    ))


def cors_middleware(model: JsModel, call: Any, framework: str = "express-cors") -> CorsPolicy:
    """``cors()`` / ``cors({origin, credentials})`` / NestJS ``app.enableCors(...)``."""
    args = model.args(call)
    options_node = args[0] if args else None
    resolved = model.resolve(options_node) if options_node is not None else None
    paren = call.child_by_field_name("arguments")
    if options_node is not None and (resolved is None or resolved.type != "object"):
        # cors(delegate) decides per request: the origin policy is code authlint cannot read.
        origins = model.expr(options_node)
        if origins.ref is None:
            origins.ref = "function"
        return settle(CorsPolicy(model.source, model.span(call), model.lang, framework=framework, origins=origins,
                                 options=OptionBag(spread=True)))
    bag = model.option_bag(options_node, open_paren=paren.start_byte + 1 if paren is not None else None)
    origin = bag.get("origin")
    credentials = bag.get("credentials")
    return settle(CorsPolicy(
        model.source,
        model.span(call),
        model.lang,
        framework=framework,
        origins=origin.value if origin else None,
        credentials=credentials.value if credentials else None,
        options=bag,
    ))


def header_values(model: JsModel, call: Any, method: str) -> list[tuple[str, Any, Any]]:
    """(lower-cased header name, name node, value node) pairs a header call sets."""
    args = model.args(call)
    pairs: list[tuple[str, Any, Any]] = []
    if method == "writeHead":
        objects = [a for a in args[1:] if (model.resolve(a) or a).type == "object"]
    elif len(args) == 1:
        objects = [args[0]]
    else:
        objects = []
        if len(args) >= 2:
            name = model.string_value(model.resolve(args[0]))  # not model.value: Map#set(bigObject, ...) is common
            if name is not None:
                pairs.append((name.lower(), args[0], args[1]))
    for obj_node in objects:
        obj = model.resolve(obj_node)
        if obj is not None and obj.type == "object":
            pairs.extend(object_headers(model, obj))
    return pairs


def origin_expr(model: JsModel, node: Any, at: Any) -> Expr:
    """The ACAO value set by the call ``at``; an echo of the request's Origin gets ``ref``
    ``request:origin`` (unchecked) or ``request:origin-checked`` (see ``cors_echo``)."""
    expr = model.expr(node)
    echo = cors_echo.echo_of(model, node, at)
    if echo is not None:
        expr.ref = echo
        expr.value = UNKNOWN  # ``req.headers.origin || "*"``: the fallback is not the answer
    return expr


class HeaderPolicies:
    """Hand-set ``Access-Control-Allow-Origin`` / ``-Credentials`` of one file: one policy per origin
    a function answers with (a branch may send ``*``, another the caller's origin), each with the
    ``-Credentials`` the same function sends; a function that sends only ``-Credentials`` gets one
    policy without origins."""

    def __init__(self, model: JsModel) -> None:
        self.model = model
        # function (start, end) -> (ACAO (value, set at), ACAC values), in the order they are set
        self.by_function: dict[tuple[int, int], tuple[list[tuple[Any, Any]], list[tuple[Any, Any]]]] = {}
        self.seen: set[tuple[int, int]] = set()  # value nodes already read (a call's object literal)

    def add(self, at: Any, pairs: list[tuple[str, Any, Any]]) -> None:
        """The ACAO/ACAC ``pairs`` set at ``at`` (a call, or an object literal of headers)."""
        for name, _, value in pairs:
            if name not in (ACAO, ACAC) or value is None or (value.start_byte, value.end_byte) in self.seen:
                continue
            self.seen.add((value.start_byte, value.end_byte))
            scope = cors_echo.enclosing_function(at)
            key = (scope.start_byte, scope.end_byte) if scope is not None else (0, 0)
            origins, credentials = self.by_function.setdefault(key, ([], []))
            (origins if name == ACAO else credentials).append((value, at))

    def policies(self) -> list[CorsPolicy]:
        model = self.model
        found = []
        for origins, credentials in self.by_function.values():
            creds = model.expr(cors_echo.truthy_binding(model, *credentials[0])) if credentials else None
            for value, at in origins or [(None, credentials[0][1])]:
                policy = CorsPolicy(model.source, model.span(at), model.lang, framework="header",
                                    origins=origin_expr(model, value, at) if value is not None else None,
                                    credentials=creds)
                found.append(settle(policy))
        return found


def object_headers(model: JsModel, obj: Any) -> list[tuple[str, Any, Any]]:
    """(lower-cased header name, key node, value node) of an object literal's string-keyed pairs."""
    pairs = []
    for child in obj.named_children:
        if child.type == "pair":
            key = child.child_by_field_name("key")
            name = model.property_name(key)
            if name:
                pairs.append((name.lower(), key, child.child_by_field_name("value")))
    return pairs


def written_headers(model: JsModel, headers: HeaderPolicies) -> None:
    """ACAO/ACAC written as a string anywhere else: an object literal of headers (``new Response(body,
    { headers: {...} })``, a Lambda ``return { headers: {...} }``, ``new Headers({...})``) or the first
    argument of a setter the call hook does not know (``response.headers.set(...)``)."""
    lower = model.data.lower()
    for name in (ACAO.encode(), ACAC.encode()):
        start = lower.find(name)
        while start != -1:
            _written_at(model, headers, start, start + len(name))
            start = lower.find(name, start + 1)


def _written_at(model: JsModel, headers: HeaderPolicies, start: int, end: int) -> None:
    node = model.tree.root_node.descendant_for_byte_range(start, end)
    while node is not None and node.type in ("string_fragment", "property_identifier"):
        node = node.parent
    if node is None or node.type != "string" or model.string_value(node) is None:
        return
    parent = node.parent
    if parent is not None and parent.type == "pair" and parent.child_by_field_name("key") == node:
        obj = parent.parent
        if obj is not None and obj.type == "object":
            name = (model.string_value(node) or "").lower()
            headers.add(obj, [(name, node, parent.child_by_field_name("value"))])
        return
    if parent is not None and parent.type == "arguments":
        call = parent.parent
        args = model.args(call) if call is not None and call.type == "call_expression" else []
        if len(args) >= 2 and args[0] == node:
            headers.add(call, [((model.string_value(node) or "").lower(), node, args[1])])
