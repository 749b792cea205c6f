"""Cookies (``set_cookie``), nats-py clients and framework JWT settings."""

from __future__ import annotations

import ast

from authlint.extract.python.resolve import Resolver, positional
from authlint.facts import CookieSet, JwtConfig, NatsClient, Option, OptionBag
from authlint.source import Span

NATS_CONNECT = frozenset({"nats.connect", "nats.aio.client.Client.connect"})
NATS_CLASSES = frozenset({"nats.NATS", "nats.aio.client.Client", "nats.aio.client.NATS"})
JWT_SETTINGS_PREFIX = "JWT_"
SIMPLE_JWT = "SIMPLE_JWT"
COOKIE_POSITIONAL = ("key", "value", "max_age", "expires", "path", "domain", "secure", "httponly", "samesite")


def cookie_framework(resolver: Resolver) -> str:
    """Which framework's ``set_cookie`` this is, from the file's imports (defaults differ)."""
    if resolver.imported("starlette", "fastapi"):
        return "starlette"
    if resolver.imported("django"):
        return "django"
    if resolver.imported("aiohttp"):
        return "aiohttp"
    if resolver.imported("flask", "werkzeug", "quart"):
        return "flask"
    return "unknown"


def cookie(resolver: Resolver, call: ast.Call, source, lang: str) -> CookieSet:
    bag = resolver.kwargs(call)
    args = list(call.args)
    plain = [index for index, arg in enumerate(args) if not isinstance(arg, ast.Starred)]
    for position, index in enumerate(plain[2:], start=2):  # Werkzeug, Django and Starlette share the order
        if position < len(COOKIE_POSITIONAL):
            name = COOKIE_POSITIONAL[position]
            span = resolver.arg_span(call, args, index)  # parentheses included: the option as written
            bag.items.setdefault(name, Option(name, resolver.expr(args[index]), span, span))
    if len(plain) < len(args) or any(arg.arg is None for arg in call.keywords):
        bag.spread = True
    name = positional(call, 0, "key") or positional(call, 0, "name")
    value = positional(call, 1, "value")
    return CookieSet(
        source=source, span=resolver.span(call), lang=lang, framework=cookie_framework(resolver),
        name=resolver.expr(name) if name is not None else None,
        value=resolver.expr(value) if value is not None else None, options=bag,
    )


def nats_client(resolver: Resolver, call: ast.Call, source, lang: str) -> NatsClient:
    """``nats.connect(...)`` / ``NATS().connect(...)``; a positional server list becomes ``servers``."""
    bag = resolver.kwargs(call)
    servers_node = positional(call, 0, "servers")
    servers = resolver.expr(servers_node) if servers_node is not None else None
    if servers is not None and "servers" not in bag:
        bag.items = {"servers": Option("servers", servers, servers.span, servers.span), **bag.items}
    return NatsClient(source=source, span=resolver.span(call), lang=lang, servers=servers, options=bag)


def jwt_config(options: dict[str, Option], framework: str, source, lang: str) -> JwtConfig | None:
    if not options:
        return None
    start = min(option.span.start for option in options.values())
    end = max(option.span.end for option in options.values())
    return JwtConfig(source=source, span=Span(start, end), lang=lang, framework=framework,
                     settings=OptionBag(items=dict(options)))
