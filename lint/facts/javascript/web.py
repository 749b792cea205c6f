"""Browser and HTTP facts: express ``cors``, hand-set CORS headers, cookies, web storage writes."""

from __future__ import annotations

import re
from typing import Any

from authlint.facts.javascript.model import JsModel
from authlint.facts.model import UNKNOWN, CookieSet, CorsPolicy, Expr, Option, OptionBag
from authlint.files.source import Span

STORAGES = ("localStorage", "sessionStorage")
GLOBALS = frozenset({"window", "globalThis", "self", "global"})
ACAO = "access-control-allow-origin"
ACAC = "access-control-allow-credentials"
SCRIPT_COOKIE_MODULES = {"js-cookie": "js-cookie"}  # cookies set by page script: never HttpOnly
HEADER_METHODS = frozenset({"header", "setHeader", "set", "append", "writeHead"})
ORIGIN_SOURCES = re.compile(r"^(?:req|request|ctx\.request|ctx|event)\.(?:headers\.origin|headers\[['\"]origin['\"]\]|header\(['\"]origin['\"]\)|get\(['\"]origin['\"]\))$", re.IGNORECASE)
COOKIE_ATTR_RE = re.compile(r";\s*(secure|httponly|samesite|path|domain|max-age|expires)\b(?:\s*=\s*([^;\"'`$]*))?", re.IGNORECASE)
COOKIE_ATTR_NAMES = {
    "secure": "secure",
    "httponly": "httpOnly",
    "samesite": "sameSite",
    "path": "path",
    "domain": "domain",
    "max-age": "maxAge",
    "expires": "expires",
}


# -- CORS -----------------------------------------------------------------------------------------
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
        return CorsPolicy(model.source, model.span(call), model.lang, framework="fastify-cors", origins=origins, options=OptionBag(spread=True))
    bag = model.option_bag(options_node, after=args[0])
    origin = bag.get("origin")
    credentials = bag.get("credentials")
    return CorsPolicy(
        model.source, model.span(call), model.lang, framework="fastify-cors",
        origins=origin.value if origin else None, credentials=credentials.value if credentials else None, options=bag,
    )


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
        return CorsPolicy(model.source, model.span(call), model.lang, framework=framework, origins=origins, options=OptionBag(spread=True))
    bag = model.option_bag(options_node, open_paren=paren.start_byte + 1 if paren is not None else None)
    origin = bag.get("origin")
    credentials = bag.get("credentials")
    return CorsPolicy(
        model.source,
        model.span(call),
        model.lang,
        framework=framework,
        origins=origin.value if origin else None,
        credentials=credentials.value if credentials else None,
        options=bag,
    )


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


# -- cookies --------------------------------------------------------------------------------------
def express_cookie(model: JsModel, call: Any, framework: str = "express") -> CookieSet | None:
    """``res.cookie(name, value, {httpOnly, secure, sameSite})`` (also fastify ``reply.setCookie``,
    Next.js ``cookies().set``, whose options have the same names and no secure defaults)."""
    args = model.args(call)
    if len(args) == 1 and framework == "next":  # cookies().set({ name, value, httpOnly, ... })
        bag = model.option_bag(args[0])
        name, value = bag.get("name"), bag.get("value")
        return CookieSet(model.source, model.span(call), model.lang, framework=framework,
                         name=name.value if name else None, value=value.value if value else None, options=bag)
    if len(args) < 2:
        return None
    bag = model.option_bag(args[2] if len(args) > 2 else None, after=args[1])
    return CookieSet(model.source, model.span(call), model.lang, framework=framework, name=model.expr(args[0]), value=model.expr(args[1]), options=bag)


def is_next_cookies(model: JsModel, receiver: Any) -> bool:
    """``cookies()`` / ``(await cookies())`` from ``next/headers``."""
    node = model.unwrap(receiver)
    if node is not None and node.type == "await_expression" and node.named_children:
        node = model.unwrap(node.named_children[0])
    if node is None or node.type != "call_expression":
        return False
    ref = model.module_of(node.child_by_field_name("function"))
    return ref is not None and ref.module == "next/headers" and ref.export == "cookies"


def script_cookie(model: JsModel, call: Any, framework: str) -> CookieSet | None:
    """js-cookie ``Cookies.set(name, value, {secure, sameSite, expires})``: written by page script."""
    args = model.args(call)
    if len(args) < 2:
        return None
    bag = model.option_bag(args[2] if len(args) > 2 else None, after=args[1])
    return CookieSet(model.source, model.span(call), model.lang, framework=framework, name=model.expr(args[0]), value=model.expr(args[1]), options=bag)


def document_cookie(model: JsModel, assignment: Any, right: Any) -> CookieSet:
    """``document.cookie = "token=" + t + "; Secure"``: name, value and attributes from the text."""
    fact = CookieSet(model.source, model.span(assignment), model.lang, framework="document.cookie", options=OptionBag())
    pieces = _pieces(model, right)
    if not pieces:
        fact.value = model.expr(right)
        return fact
    first_node, first_text = pieces[0]
    if first_text is not None and "=" in first_text:
        name = first_text.split("=", 1)[0].strip()
        if "\x00" in name:  # `${name}=...`: the cookie's name is code, not text
            name = ""
        start = model.char(first_node.start_byte) + 1 + first_text.index(name) if name else None
        if name and start is not None:
            fact.name = Expr(Span(start, start + len(name)), name, name)
    fact.value = model.expr(right)
    for node, text in pieces:
        if text is None:
            continue
        base = model.char(node.start_byte) + 1
        for match in COOKIE_ATTR_RE.finditer(text):
            attr = COOKIE_ATTR_NAMES[match.group(1).lower()]
            raw = (match.group(2) or "").strip()
            span = Span(base + match.start(), base + match.end())
            value: Any = raw if raw else True
            value_span = Span(base + match.start(2), base + match.start(2) + len(raw)) if raw else span
            fact.options.items[attr] = Option(attr, Expr(value_span, raw or match.group(0), value), span, Span(base + match.start(1), base + match.end(1)))
    return fact


def _pieces(model: JsModel, node: Any) -> list[tuple[Any, str | None]]:
    """The literal pieces of a string concatenation or template, in order (None for code)."""
    node = model.resolve(node)
    if node is None:
        return []
    if node.type == "binary_expression":
        left = node.child_by_field_name("left")
        right = node.child_by_field_name("right")
        return (_pieces(model, left) if left is not None else []) + (_pieces(model, right) if right is not None else [])
    if node.type == "string":
        return [(node, model.text(node)[1:-1])]
    if node.type == "template_string":
        return [(node, re.sub(r"\$\{[^}]*\}", lambda m: "\x00" * len(m.group(0)), model.text(node)[1:-1]))]
    return [(node, None)]


# -- web storage ----------------------------------------------------------------------------------
def storage_name(model: JsModel, node: Any) -> str | None:
    """``localStorage`` / ``window.sessionStorage`` / ``globalThis["localStorage"]`` / an alias of them."""
    node = model.unwrap(node)
    for _ in range(3):
        if node is None:
            return None
        if node.type == "identifier":
            name = model.text(node)
            if name in STORAGES and name not in model.values:
                return name
            target = model.values.get(name)
            node = model.unwrap(target) if target is not None else None
            continue
        if node.type == "member_expression":
            obj = model.unwrap(node.child_by_field_name("object"))
            prop = node.child_by_field_name("property")
            if obj is not None and prop is not None and model.text(prop) in STORAGES and _is_global(model, obj):
                return model.text(prop)
            return None
        if node.type == "subscript_expression":
            obj = model.unwrap(node.child_by_field_name("object"))
            index = node.child_by_field_name("index")
            name = model.string_value(index) if index is not None else None
            if name in STORAGES and obj is not None and _is_global(model, obj):
                return name
            return None
        return None
    return None


def _is_global(model: JsModel, node: Any) -> bool:
    return node.type in ("identifier", "this") and model.text(node) in GLOBALS


def storage_key_expr(model: JsModel, target: Any) -> Expr | None:
    """The key of ``localStorage.token = v`` (a property name) or ``localStorage[k] = v``."""
    if target.type == "member_expression":
        prop = target.child_by_field_name("property")
        if prop is None:
            return None
        name = model.text(prop)
        return Expr(model.span(prop), name, name)
    index = target.child_by_field_name("index")
    return model.expr(index) if index is not None else None
