"""Cookies set from Python: Werkzeug/Flask, Django, Starlette and aiohttp ``set_cookie`` calls."""

from __future__ import annotations

import ast

from authlint.facts.model import CookieSet, Option
from authlint.facts.python.resolve import Resolver, positional

COOKIE_POSITIONAL = ("key", "value", "max_age", "expires", "path", "domain", "secure", "httponly", "samesite")
# Werkzeug/Flask, Django, Starlette and aiohttp all spell the protecting attributes the same way.
FLAG_OPTIONS = {"HttpOnly": "httponly", "Secure": "secure", "SameSite": "samesite"}
# The SameSite each framework's set_cookie sends when none is given (Starlette: samesite="lax").
SAMESITE_DEFAULTS = {"starlette": "lax"}


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
    framework = cookie_framework(resolver)
    return CookieSet(
        source=source, span=resolver.span(call), lang=lang, framework=framework,
        name=resolver.expr(name) if name is not None else None,
        value=resolver.expr(value) if value is not None else None, options=bag,
        flag_options=dict(FLAG_OPTIONS), samesite_default=SAMESITE_DEFAULTS.get(framework),
    )
