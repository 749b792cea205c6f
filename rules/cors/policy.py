"""CORS helpers shared by COR001-COR003: framework defaults and the origin-list fix."""

from __future__ import annotations

from authlint.diagnostics.diagnostic import Edit, Fix
from authlint.facts.model import CorsPolicy, Expr
from authlint.rules.kit import legacy_codegen as codegen
from authlint.rules.kit.common import quote_of

PLACEHOLDER = ["https://app.example.com"]
ANY_BY_DEFAULT = frozenset({"flask-cors", "flask-cors-resource", "express-cors", "fastify-cors", "ingress-nginx"})  # no origins = "*"
REFLECT_BY_DEFAULT = frozenset({"koa-cors"})  # @koa/cors echoes the request's Origin when none is given


def origins_expr(policy: CorsPolicy) -> Expr | None:
    if policy.origins is not None:
        return policy.origins
    found = policy.options.get("origin") or policy.options.get("origins")
    return found.value if found else None


def allows_any(policy: CorsPolicy) -> bool:
    """Whether every origin is allowed (``*``, ``['*']``, ``origin: true``, or the framework default)."""
    origins = origins_expr(policy)
    if origins is None:
        return policy.framework in ANY_BY_DEFAULT
    value = origins.value
    if value is True or value == "*":
        return True
    return isinstance(value, list) and "*" in value


def reflects(policy: CorsPolicy) -> bool:
    """The request's own Origin echoed back (hand-written headers, ``origin: true``, @koa/cors default)."""
    origins = origins_expr(policy)
    if origins is None:
        return policy.framework in REFLECT_BY_DEFAULT
    return origins.ref == "request:origin" or origins.value is True


def credentials_on(policy: CorsPolicy) -> bool:
    """Credentials allowed: ``True``, or the header text ``"true"`` (hand-set header, any case)."""
    if policy.credentials is None:
        return False
    value = policy.credentials.value
    return value is True or (policy.framework == "header" and isinstance(value, str) and value.strip().lower() == "true")


def owned_by_socketio_rules(policy: CorsPolicy) -> bool:
    """A socket.io server's ``cors`` option: SIO003 reports its wildcards with Socket.IO advice."""
    return policy.framework == "socket.io"


def origins_fix(ctx, policy: CorsPolicy) -> Fix | None:
    """Replace the wildcard with ``allowed-origins`` (unsafe), or show a placeholder (display-only)."""
    configured = list(ctx.settings.allowed_origins)
    origins = configured or PLACEHOLDER
    edit = _edit(policy, origins, quote_of(ctx.source))
    if edit is None:
        return None
    if configured:
        return Fix.unsafe("Allow only the configured origins", edit)
    return Fix.display_only("List your real origins (set `allowed-origins` to apply this)", edit)


def _edit(policy: CorsPolicy, origins: list[str], quote: str) -> Edit | None:
    lang = policy.lang
    if policy.framework == "django":
        for name in ("CORS_ALLOW_ALL_ORIGINS", "CORS_ORIGIN_ALLOW_ALL"):
            option = policy.options.get(name)
            if option is not None and option.value.value is True:
                return Edit.replace(option.span, f"CORS_ALLOWED_ORIGINS = {codegen.literal(lang, origins, quote)}")
        return None
    if policy.framework in ("header", "aiohttp-cors"):
        return None  # one header per request / one dict key per origin: not a list authlint can swap in
    if policy.framework == "ingress-nginx":
        return _ingress_edit(policy, origins)
    expr = origins_expr(policy)
    if expr is not None:
        if expr.origin is not None:
            return None  # a shared constant: edit it where it is defined, by hand
        like = expr.text.lstrip("[(")[:1]
        return Edit.replace(expr.span, codegen.literal(lang, origins, like if like in "'\"" else quote))
    if policy.options.insert_at is None or policy.options.spread:
        return None
    rendered = codegen.literal(lang, origins, quote)
    if policy.framework == "flask-cors-resource":
        entry = f"{codegen.string(lang, 'origins', quote)}: {rendered}"
    else:
        entry = codegen.option(lang, "origins" if lang == "python" else "origin", rendered)
    return Edit.insert(policy.options.insert_at, policy.options.insert_prefix + entry + policy.options.insert_suffix)


INGRESS_ORIGIN_KEY = "nginx.ingress.kubernetes.io/cors-allow-origin"


def _ingress_edit(policy: CorsPolicy, origins: list[str]) -> Edit | None:
    """ingress-nginx takes one comma-separated string: replace it, or add the annotation under enable-cors."""
    value = codegen.string("yaml", ", ".join(origins))
    if policy.origins is not None:
        return Edit.replace(policy.origins.span, value)
    text = policy.source.text
    line_start = text.rfind("\n", 0, policy.span.start) + 1
    indent = text[line_start : policy.span.start]
    if indent.strip():
        return None  # flow-style mapping: no line to add below
    line_end = text.find("\n", policy.span.end)
    line_end = len(text) if line_end == -1 else line_end
    return Edit.insert(line_end, f"\n{indent}{INGRESS_ORIGIN_KEY}: {value}")
