"""CORS from JavaScript: express/koa ``cors`` middlewares, the fastify plugin, and hand-set
``Access-Control-Allow-*`` headers."""

from __future__ import annotations

import re
from typing import Any

from authlint.facts.javascript.model import JsModel
from authlint.facts.model import UNKNOWN, CorsPolicy, Expr, OptionBag
from authlint.facts.origins import settle

ACAO = "access-control-allow-origin"
ACAC = "access-control-allow-credentials"
HEADER_METHODS = frozenset({"header", "setHeader", "set", "append", "writeHead"})
ORIGIN_SOURCES = re.compile(r"^(?:req|request|ctx\.request|ctx|event)\.(?:headers\.origin|headers\[['\"]origin['\"]\]|header\(['\"]origin['\"]\)|get\(['\"]origin['\"]\))$", re.IGNORECASE)
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
        if obj is None or obj.type != "object":
            continue
        for child in obj.named_children:
            if child.type == "pair":
                key = child.child_by_field_name("key")
                name = model.property_name(key)
                if name:
                    pairs.append((name.lower(), key, child.child_by_field_name("value")))
    return pairs


def origin_expr(model: JsModel, node: Any) -> Expr:
    """The ACAO value; ``req.headers.origin`` (reflection) gets ``ref="request:origin"``."""
    expr = model.expr(node)
    compact = re.sub(r"\s|\?", "", model.text(model.unwrap(node)))
    if expr.value is UNKNOWN and ORIGIN_SOURCES.match(compact):
        expr.ref = "request:origin"
    return expr


def enclosing_function(node: Any) -> Any:
    """The nearest function (or the program) around a node: headers set there form one policy."""
    current = node.parent
    while current is not None and current.type not in (
        "arrow_function",
        "function_expression",
        "function_declaration",
        "method_definition",
        "program",
    ):
        current = current.parent
    return current
