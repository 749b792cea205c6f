"""CORS helpers shared by COR001-COR003 and SIO002/SIO003: reading the allowed-origins model and
the fix that writes a list of origins.

Every behaviour difference between libraries (any origin by default, ``*`` sent literally or
echoed, credentials on by default, which setting a fix edits and how) is a field of
``CorsPolicy`` / ``AllowedOrigins`` set by the extractors; nothing here asks which library it is.
"""

from __future__ import annotations

from typing import Any

from authlint.diagnostics.diagnostic import Edit, Fix
from authlint.facts.model import CorsPolicy
from authlint.rules import kit

PLACEHOLDER = ["https://app.example.com"]


def allows_any(policy: CorsPolicy) -> bool:
    """Every origin allowed: ``*`` (written or by default), a configured reflection (``origin:
    true``), or a hand-written echo of the request's Origin that nothing in its function compares
    with an allow-list first (a checked echo is kind "unknown": the extractors decide it)."""
    allowed = policy.allowed
    if allowed.kind == "any":
        return True
    return allowed.kind == "reflect" and not allowed.default


def reflects(policy: CorsPolicy) -> bool:
    """The request's own Origin echoed back (``origin: true``, a hand-set header, @koa/cors default)."""
    return policy.allowed.kind == "reflect"


def credentials_on(policy: CorsPolicy) -> bool:
    return policy.allows_credentials is True


def origins_fix(ctx: Any, policy: CorsPolicy) -> Fix | None:
    """Replace the wildcard with ``allowed-origins`` (unsafe), or show a placeholder (display-only).

    The origins the setting lists besides ``*`` stay (a working front end keeps working); the
    configured ones take the wildcard's place. Where settings authlint does not read may decide
    the origins (``decided_elsewhere``), the edit is shown, never applied."""
    configured = list(ctx.settings.allowed_origins)
    if not policy.allowed.written_as:
        return one_origin_fix(policy, configured) or echo_fix(policy, configured)
    kept = [value for value in policy.allowed.values if value != "*"]
    edits = list_edits(policy, [*kept, *(configured or PLACEHOLDER)])
    if not edits:
        return None
    if configured and not policy.allowed.decided_elsewhere:
        return Fix.unsafe("Allow only the configured origins", *edits)
    if configured:
        return Fix.display_only("List your real origins where the app's config sets them", *edits)
    return Fix.display_only("List your real origins (set `allowed-origins` to apply this)", *edits)


def one_origin_fix(policy: CorsPolicy, configured: list[str]) -> Fix | None:
    """Where one value answers one origin (a hand-set header, an aiohttp-cors key), a written ``*``
    becomes the configured origin when exactly one is configured (unsafe: other origins are refused),
    a placeholder when none is (display-only). None with several: picking the caller's among them is
    an allow-list check in code, which authlint does not write."""
    entries = policy.allowed.entries
    if len(entries) != 1 or entries[0].value != "*" or not entries[0].located or len(configured) > 1:
        return None
    edit = Edit.replace(entries[0].span, (configured or PLACEHOLDER)[0])
    if configured and not policy.allowed.decided_elsewhere:
        return Fix.unsafe("Answer with the configured origin", edit)
    return Fix.display_only("Answer with your front end's origin (set `allowed-origins` to apply this)", edit)


def echo_fix(policy: CorsPolicy, configured: list[str]) -> Fix | None:
    """An echo of the request's Origin written as one value (``allowed.echo``: nginx's
    ``$http_origin``) answers the one configured origin instead (unsafe: other origins are refused),
    a placeholder when none is configured (display-only); None with several, as ``one_origin_fix``."""
    echo = policy.allowed.echo
    if echo is None or not echo.located or len(configured) > 1:
        return None
    edit = Edit.replace(echo.span, (configured or PLACEHOLDER)[0])
    if configured and not policy.allowed.decided_elsewhere:
        return Fix.unsafe("Answer with the configured origin instead of echoing every origin", edit)
    return Fix.display_only("Answer with your front end's origin (set `allowed-origins` to apply this)", edit)


def list_edits(policy: CorsPolicy, origins: list[str]) -> list[Edit]:
    """Edits that make the policy allow exactly ``origins`` (each once), in the form its setting
    takes: a list literal is edited entry by entry, its layout and comments kept (``kit.set_origins``),
    also where a module constant defines it; [] when the policy cannot hold a list (hand-set headers,
    one key per origin) or its value is built elsewhere."""
    allowed = policy.allowed
    source = policy.source
    if not allowed.written_as:
        return []
    origins = list(dict.fromkeys(origins))
    value: Any = allowed.joiner.join(origins) if allowed.written_as == "joined" else origins
    like = allowed.quote or None
    if allowed.switch is not None:  # CORS_ALLOW_ALL_ORIGINS = True -> CORS_ALLOWED_ORIGINS = [...]
        renamed = kit.rename_option(source, allowed.switch, allowed.setting) or []
        return [*renamed, kit.replace_value(source, allowed.switch.value, value, like)]
    expr = allowed.expr
    if expr is not None:
        if allowed.written_as == "list" and expr.known and isinstance(expr.value, (list, str)):
            if expr.origin is not None and not isinstance(expr.value, list):
                return []  # a constant string: other code may read it as one
            return kit.set_origins(source, expr, origins, like, at=expr.origin)
        if expr.origin is not None:
            return []  # a shared constant: edit it where it is defined, by hand
        return [kit.replace_value(source, expr, value, like)]
    bag = allowed.bag
    if bag is None or bag.spread:
        return []
    edit = kit.insert_option(source, bag, allowed.setting, value, like)
    return [edit] if edit is not None else []
