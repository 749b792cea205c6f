from __future__ import annotations

import re
from typing import Iterable

from authlint import codegen
from authlint.diagnostic import Diagnostic, Edit, Fix, FixAvailability
from authlint.facts import CookieSet, JwtConfig
from authlint.rule import CODE_KINDS, Invalid, Rule, Valid
from authlint.rules._common import quote_of

TOKEN_NAME = re.compile(r"token|jwt|session|sess|auth|access|refresh|remember|sid\b|credential", re.IGNORECASE)
FLAGS = {  # flag -> (python name, JS name, value that makes it safe)
    "HttpOnly": ("httponly", "httpOnly", True),
    "Secure": ("secure", "secure", True),
    "SameSite": ("samesite", "sameSite", "Lax"),
}
SAMESITE_BY_DEFAULT = frozenset({"starlette"})  # Starlette's set_cookie defaults to samesite="lax"


class InsecureTokenCookie(Rule):
    """
    ## What it does
    Finds cookies that carry a token or session (by name, or by a token-like value) set without
    `HttpOnly`, `Secure` or `SameSite`: Flask/Werkzeug, Django, Starlette/FastAPI and aiohttp
    `set_cookie(...)`, express `res.cookie(...)`, and Flask-JWT-Extended `JWT_COOKIE_SECURE = False`.

    ## Why is this bad?
    Without `HttpOnly` any injected script reads the token; without `Secure` it is sent over plain
    HTTP where anyone on the path can copy it; without `SameSite` other sites' requests carry it
    (CSRF). Flask, Django and aiohttp default all three to off.

    ## Example
    ```python
    resp.set_cookie("access_token", token)
    ```
    Use instead:
    ```python
    resp.set_cookie("access_token", token, httponly=True, secure=True, samesite="Lax")
    ```

    ## Fix safety
    Unsafe: `Secure` cookies are not sent over plain-HTTP development servers, `HttpOnly` hides the
    cookie from front-end code that may read it, and `SameSite=Lax` drops it from cross-site POSTs.
    """

    code = "TOK002"
    name = "insecure-token-cookie"
    summary = "token cookie without HttpOnly, Secure or SameSite"
    kinds = CODE_KINDS
    triggers = ("cookie",)
    fix_availability = FixAvailability.SOMETIMES
    languages = "Python"
    examples = (
        Valid("resp.set_cookie('access_token', tok, httponly=True, secure=True, samesite='Lax')\n"),
        Valid("from fastapi import Response\nresp.set_cookie('session', sid, httponly=True, secure=True)\n"),
        Valid("resp.set_cookie('theme', 'dark')\n"),
        Invalid(
            "from flask import make_response\nresp = make_response()\nresp.set_cookie('access_token', token)\n",
            fixed="from flask import make_response\nresp = make_response()\n"
            "resp.set_cookie('access_token', token, httponly=True, secure=True, samesite='Lax')\n",
            message="HttpOnly, Secure, SameSite",
        ),
        Invalid(
            "from django.http import JsonResponse\nr = JsonResponse({})\nr.set_cookie('jwt', tok, secure=False, httponly=True, samesite='Strict')\n",
            fixed="from django.http import JsonResponse\nr = JsonResponse({})\nr.set_cookie('jwt', tok, secure=True, httponly=True, samesite='Strict')\n",
            message="Secure",
        ),
        Invalid(
            "JWT_TOKEN_LOCATION = ['cookies']\nJWT_COOKIE_SECURE = False\n",
            fixed="JWT_TOKEN_LOCATION = ['cookies']\nJWT_COOKIE_SECURE = True\n",
        ),
        Invalid("resp.set_cookie(name, access_token, 3600, None, '/', None, False)\n", count=1),
    )

    def check(self, ctx) -> Iterable[Diagnostic]:
        for cookie in ctx.of(CookieSet):
            if self._carries_token(cookie):
                diag = self._cookie(ctx, cookie)
                if diag is not None:
                    yield diag
        for config in ctx.of(JwtConfig):
            secure = config.settings.get("JWT_COOKIE_SECURE")
            if secure is not None and secure.value.value is False:
                yield self.diagnostic(ctx, secure.value.span, "`JWT_COOKIE_SECURE = False`: JWT cookies are sent over "
                                      "plain HTTP", Fix.unsafe("Send JWT cookies over HTTPS only",
                                                               Edit.replace(secure.value.span, "True")))

    @staticmethod
    def _carries_token(cookie: CookieSet) -> bool:
        name = cookie.name
        if name is not None and isinstance(name.value, str):
            return bool(TOKEN_NAME.search(name.value))
        value = cookie.value
        return value is not None and bool(TOKEN_NAME.search(value.text))

    def _cookie(self, ctx, cookie: CookieSet) -> Diagnostic | None:
        python = cookie.lang == "python"
        missing: list[str] = []
        edits: list[Edit] = []
        inserts: list[str] = []
        quote = quote_of(ctx.source)
        for flag, (py_name, js_name, safe) in FLAGS.items():
            name = py_name if python else js_name
            option = cookie.options.get(name)
            if option is None:
                if cookie.options.spread or (flag == "SameSite" and cookie.framework in SAMESITE_BY_DEFAULT):
                    continue
                missing.append(flag)
                inserts.append(codegen.option(cookie.lang, name, codegen.literal(cookie.lang, safe, quote)))
            elif option.value.value is False or option.value.value is None:
                missing.append(flag)
                edits.append(Edit.replace(option.value.span, codegen.literal(cookie.lang, safe, quote)))
        if not missing:
            return None
        fix = None
        if inserts and cookie.options.insert_at is not None:
            edits.append(Edit.insert(cookie.options.insert_at, cookie.options.insert_prefix + ", ".join(inserts)))
        if edits and (not inserts or cookie.options.insert_at is not None):
            fix = Fix.unsafe("Set " + ", ".join(missing), *edits)
        what = cookie.name.text if cookie.name is not None else "cookie"
        return self.diagnostic(ctx, cookie.span, f"token cookie {what} is set without {', '.join(missing)}: "
                               "scripts can read it, plain HTTP can leak it, other sites can send it", fix)
