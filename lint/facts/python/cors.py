"""CORS policies: Flask-CORS, Starlette/FastAPI ``CORSMiddleware``, Django ``CORS_*``, raw headers."""

from __future__ import annotations

import ast

from authlint.facts.model import CorsPolicy, Expr, Option, OptionBag
from authlint.facts.origins import settle
from authlint.facts.python.resolve import Resolver, dotted, keyword, string_value
from authlint.files.source import Span

FLASK_CORS = frozenset({"flask_cors.CORS", "flask_cors.cross_origin", "flask_cors.extension.CORS"})
AIOHTTP_CORS_SETUP = "aiohttp_cors.setup"
CORS_MIDDLEWARE_SUFFIX = "CORSMiddleware"
ALLOW_ORIGIN = "access-control-allow-origin"
ALLOW_CREDENTIALS = "access-control-allow-credentials"
DJANGO_ORIGIN_LISTS = ("CORS_ALLOWED_ORIGINS", "CORS_ORIGIN_WHITELIST")
DJANGO_REGEXES = ("CORS_ALLOWED_ORIGIN_REGEXES", "CORS_ORIGIN_REGEX_WHITELIST")
DJANGO_ALLOW_ALL = ("CORS_ALLOW_ALL_ORIGINS", "CORS_ORIGIN_ALLOW_ALL")


def flask_cors(resolver: Resolver, call: ast.Call, source, lang: str) -> list[CorsPolicy]:
    bag = resolver.kwargs(call)
    span = resolver.span(call)
    policies = []
    resources = bag.get("resources")
    if resources is not None and "origins" not in bag:
        for entry_span, _, value in _dict_entries(resolver, keyword(call, "resources")):
            inner = resolver.dict_bag(value)
            if inner is None:
                continue
            merged = OptionBag(items={**{k: v for k, v in bag.items.items() if k != "resources"}, **inner.items},
                               span=inner.span, insert_at=inner.insert_at, insert_prefix=inner.insert_prefix,
                               spread=inner.spread, form=inner.form)
            policies.append(_flask_policy(source, entry_span, lang, merged, dict_options=True))
    if not policies:
        policies.append(_flask_policy(source, span, lang, bag))
    return policies


def _flask_policy(source, span, lang: str, bag: OptionBag, dict_options: bool = False) -> CorsPolicy:
    origins = bag.get("origins")
    credentials = bag.get("supports_credentials")
    return settle(CorsPolicy(
        source=source, span=span, lang=lang, framework="flask-cors" if not dict_options else "flask-cors-resource",
        origins=origins.value if origins else None, credentials=credentials.value if credentials else None,
        options=bag,
    ))


def is_cors_middleware(resolver: Resolver, node: ast.expr | None) -> bool:
    if node is None:
        return False
    qual = resolver.qualname(node) or dotted(node) or ""
    return qual.endswith(CORS_MIDDLEWARE_SUFFIX)


def starlette(resolver: Resolver, call: ast.Call, source, lang: str) -> CorsPolicy:
    """``app.add_middleware(CORSMiddleware, ...)`` or ``Middleware(CORSMiddleware, ...)``."""
    bag = resolver.kwargs(call)
    origins = bag.get("allow_origins")
    regex = bag.get("allow_origin_regex")
    credentials = bag.get("allow_credentials")
    return settle(CorsPolicy(
        source=source, span=resolver.span(call), lang=lang, framework="starlette",
        origins=origins.value if origins else None, credentials=credentials.value if credentials else None,
        origin_regex=regex.value if regex else None, options=bag,
    ))


def django(settings: dict[str, Option], source, lang: str) -> CorsPolicy | None:
    """One policy for a Django settings module's ``CORS_*`` assignments."""
    if not settings:
        return None
    first = min(option.span.start for option in settings.values())
    last = max(option.span.end for option in settings.values())
    origins = next((settings[k].value for k in DJANGO_ORIGIN_LISTS if k in settings), None)
    allow_all = next((settings[k] for k in DJANGO_ALLOW_ALL if k in settings), None)
    if allow_all is not None and allow_all.value.value is True:
        origins = Expr(span=allow_all.value.span, text=allow_all.value.text, value="*")
    regex = next((settings[k].value for k in DJANGO_REGEXES if k in settings), None)
    credentials = settings.get("CORS_ALLOW_CREDENTIALS")
    policy = CorsPolicy(
        source=source, span=Span(first, last), lang=lang, framework="django", origins=origins,
        credentials=credentials.value if credentials else None, origin_regex=regex,
        options=OptionBag(items=dict(settings)),
    )
    switch = allow_all if allow_all is not None and allow_all.value.value is True else None
    return settle(policy, switch=switch)


def header_name(node: ast.expr | None) -> str | None:
    value = string_value(node)
    if value is None:
        return None
    lowered = value.lower()
    return lowered if lowered in (ALLOW_ORIGIN, ALLOW_CREDENTIALS) else None


def reflected(resolver: Resolver, node: ast.expr) -> bool:
    """Whether a header value echoes the request's ``Origin`` header."""
    target = resolver.follow(node)
    text = resolver.text(target).lower()
    return "origin" in text and ("header" in text or "http_origin" in text or "request" in text)


def header_policy(
    resolver: Resolver, span: Span, origin: tuple[Span, ast.expr] | None,
    credentials: tuple[Span, ast.expr] | None, source, lang: str,
) -> CorsPolicy:
    origins = None
    if origin is not None:
        origins = resolver.expr(origin[1])
        if not origins.known and reflected(resolver, origin[1]):
            origins.ref = "request:origin"
    creds = None
    if credentials is not None:
        creds = resolver.expr(credentials[1])
        if isinstance(creds.value, str):
            creds.value = creds.value.strip().lower() == "true"
    return settle(CorsPolicy(source=source, span=span, lang=lang, framework="header", origins=origins,
                             credentials=creds))


def _dict_entries(resolver: Resolver, node: ast.expr | None) -> list[tuple[Span, ast.expr, ast.expr]]:
    """``(entry span, key, value)`` of a dict literal (followed through names), ``**spread`` left out."""
    target = resolver.follow(node) if node is not None else None
    if not isinstance(target, ast.Dict):
        return []
    return [(resolver.entry_span(target, index), key, target.values[index])
            for index, key in enumerate(target.keys) if key is not None]


def aiohttp_cors(resolver: Resolver, call: ast.Call, source, lang: str) -> list[CorsPolicy]:
    """``aiohttp_cors.setup(app, defaults={"*": ResourceOptions(allow_credentials=True)})``: one policy
    per origin key (``"*"`` reflects the request's origin)."""
    defaults = keyword(call, "defaults")
    policies = []
    for entry_span, key, value in _dict_entries(resolver, defaults):
        options = resolver.follow(value)
        bag = resolver.kwargs(options) if isinstance(options, ast.Call) else OptionBag()
        credentials = bag.get("allow_credentials")
        policies.append(settle(CorsPolicy(
            source=source, span=entry_span, lang=lang, framework="aiohttp-cors",
            origins=resolver.expr(key), credentials=credentials.value if credentials else None, options=bag,
        )))
    return policies
