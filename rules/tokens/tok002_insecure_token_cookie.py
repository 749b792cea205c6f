from __future__ import annotations

import re
from typing import Iterable

from authlint.diagnostics.diagnostic import Diagnostic, Edit, Fix, FixAvailability
from authlint.facts.model import CookieSet, JwtConfig
from authlint.files.kinds import CODE_KINDS
from authlint.rule import Invalid, Rule, Valid
from authlint.rules.kit import legacy_codegen as codegen
from authlint.rules.kit.common import quote_of

TOKEN_NAME = re.compile(r"token|jwt|session|sess|auth|access|refresh|remember|sid\b|credential", re.IGNORECASE)
FLAGS = {  # flag -> (python name, JS name, value that makes it safe)
    "HttpOnly": ("httponly", "httpOnly", True),
    "Secure": ("secure", "secure", True),
    "SameSite": ("samesite", "sameSite", "Lax"),
}
SCRIPT_SET = frozenset({"document.cookie", "js-cookie"})  # cookies written by page script
SAMESITE_BY_DEFAULT = frozenset({"starlette"})  # Starlette's set_cookie defaults to samesite="lax"


def _values(value) -> list:
    return value if isinstance(value, list) else [value]


class InsecureTokenCookie(Rule):
    """
    ## What it does
    Finds cookies that carry a token or session (by name, or by a token-like value) set without
    `HttpOnly`, `Secure` or `SameSite`: Flask/Werkzeug, Django, Starlette/FastAPI and aiohttp
    `set_cookie(...)`, express `res.cookie(...)`, and Flask-JWT-Extended `JWT_COOKIE_SECURE = False` or
    `JWT_TOKEN_LOCATION` with cookies and no `JWT_COOKIE_SECURE` (its default is False).

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

    In JavaScript: `res.cookie("token", t)` -> `res.cookie("token", t, { httpOnly: true, secure: true, sameSite: "Lax" })`;
    a cookie written by page script (`document.cookie`, js-cookie) can never be HttpOnly.

    ## Fix safety
    Unsafe: `Secure` cookies are not sent over plain-HTTP development servers, `HttpOnly` hides the
    cookie from front-end code that may read it, and `SameSite=Lax` drops it from cross-site POSTs.
    """

    code = "TOK002"
    name = "insecure-token-cookie"
    summary = "token cookie without HttpOnly, Secure or SameSite"
    kinds = CODE_KINDS
    triggers = ("cookie", "jwt_token_location")
    kind_triggers = {"python": ("set_cookie", "jwt")}  # CookieSet: set_cookie(); JwtConfig: JWT_* settings
    fix_availability = FixAvailability.SOMETIMES
    languages = "Python, JS/TS"
    examples = (
        Valid("resp.set_cookie('access_token', tok, httponly=True, secure=True, samesite='Lax')\n"),
        Valid("from fastapi import Response\nresp.set_cookie('session', sid, httponly=True, secure=True)\n"),
        Valid("resp.set_cookie('theme', 'dark')\n"),
        Valid("JWT_TOKEN_LOCATION = ['cookies']\nJWT_COOKIE_SECURE = True\n"),
        Valid("JWT_TOKEN_LOCATION = ['headers']\n"),
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
        Invalid(
            "class Config:\n    JWT_TOKEN_LOCATION = ['headers', 'cookies']\n    DEBUG = False\n",
            fixed="class Config:\n    JWT_TOKEN_LOCATION = ['headers', 'cookies']\n    JWT_COOKIE_SECURE = True\n    DEBUG = False\n",
            message="not set",
        ),
        Invalid(
            "app.config['JWT_TOKEN_LOCATION'] = ['cookies']\n",
            fixed="app.config['JWT_TOKEN_LOCATION'] = ['cookies']\napp.config['JWT_COOKIE_SECURE'] = True\n",
        ),
        # JavaScript / TypeScript: express `res.cookie` and `document.cookie`.
        Valid("res.cookie('token', jwt, { httpOnly: true, secure: true, sameSite: 'strict' });\n", path="auth.js"),
        Valid("res.cookie('theme', 'dark');\n", path="prefs.js"),
        Valid("res.cookie('session', sid, { ...secureCookieDefaults });\n", path="auth.ts"),
        Invalid(
            "app.post('/login', (req, res) => {\n  res.cookie('token', signToken(req.user));\n  res.sendStatus(204);\n});\n",
            path="auth.js",
            fixed="app.post('/login', (req, res) => {\n  res.cookie('token', signToken(req.user), { httpOnly: true, secure: true, sameSite: 'Lax' });\n  res.sendStatus(204);\n});\n",
            message="HttpOnly, Secure, SameSite",
            count=1,
        ),
        Invalid(
            'res.cookie("access_token", token, {\n  maxAge: 15 * 60 * 1000,\n  secure: false,\n});\n',
            path="auth.ts",
            fixed='res.cookie("access_token", token, {\n  maxAge: 15 * 60 * 1000,\n  secure: true,\n  httpOnly: true, sameSite: "Lax",\n});\n',
        ),
        Invalid('document.cookie = `jwt=${token}; path=/; Secure; SameSite=Strict`;\n', path="client.ts", message="never be HttpOnly"),
        Invalid(
            'import Cookies from "js-cookie";\nCookies.set("access_token", token, { secure: true, sameSite: "strict" });\n',
            path="session.ts",
            message="js-cookie",
            count=1,
        ),
        Valid('import Cookies from "js-cookie";\nCookies.set("theme", "dark");\n', path="prefs.ts"),
        Invalid(
            "fastify.post('/login', async (req, reply) => {\n  reply.setCookie('token', await issue(req.body));\n});\n",
            path="server.mjs",
            fixed="fastify.post('/login', async (req, reply) => {\n  reply.setCookie('token', await issue(req.body), { httpOnly: true, secure: true, sameSite: 'Lax' });\n});\n",
        ),
        Invalid(
            'import { cookies } from "next/headers";\n\nexport async function login(token: string) {\n'
            '  (await cookies()).set("session", token, { httpOnly: true });\n}\n',
            path="app/actions.ts",
            fixed='import { cookies } from "next/headers";\n\nexport async function login(token: string) {\n'
            '  (await cookies()).set("session", token, { httpOnly: true, secure: true, sameSite: "Lax" });\n}\n',
            message="Secure, SameSite",
        ),
        Valid('import { cookies } from "next/headers";\ncookies().set({ name: "jwt", value: t, httpOnly: true, secure: true, sameSite: "strict" });\n', path="route.ts"),
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
            location = config.settings.get("JWT_TOKEN_LOCATION")
            if secure is None and location is not None and "cookies" in _values(location.value.value):
                yield self.diagnostic(
                    ctx, location.span,
                    "JWTs travel in cookies but `JWT_COOKIE_SECURE` is not set: Flask-JWT-Extended defaults it to "
                    "False, so they are sent over plain HTTP",
                    self._add_secure(ctx, location.span),
                )

    @staticmethod
    def _add_secure(ctx, statement) -> Fix | None:
        """Add ``JWT_COOKIE_SECURE = True`` next to ``JWT_TOKEN_LOCATION``, written the same way."""
        text = ctx.source.slice(statement)
        line_start = ctx.source.text.rfind("\n", 0, statement.start) + 1
        indent = ctx.source.text[line_start : statement.start]
        if indent.strip():
            return None
        if text.startswith("JWT_TOKEN_LOCATION"):
            line = "JWT_COOKIE_SECURE = True"
        else:
            key = text.find("JWT_TOKEN_LOCATION")
            close = text.find("]", key)
            if key <= 1 or close == -1 or text[key - 1] not in "'\"":
                return None
            line = text[: key] + "JWT_COOKIE_SECURE" + text[key + len("JWT_TOKEN_LOCATION") : close + 1] + " = True"
        newline = ctx.source.newline
        return Fix.unsafe("Set JWT_COOKIE_SECURE = True", Edit.insert(statement.end, newline + indent + line))

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
            bag = cookie.options
            edits.append(Edit.insert(bag.insert_at, bag.insert_prefix + ", ".join(inserts) + bag.insert_suffix))
        if edits and (not inserts or cookie.options.insert_at is not None):
            fix = Fix.unsafe("Set " + ", ".join(missing), *edits)
        what = cookie.name.text if cookie.name is not None else "cookie"
        if cookie.framework in SCRIPT_SET:  # scripts wrote it, so scripts can read it: HttpOnly is impossible
            rest = [flag for flag in missing if flag != "HttpOnly"]
            also = f" (and it lacks {', '.join(rest)})" if rest else ""
            how = "`document.cookie`" if cookie.framework == "document.cookie" else cookie.framework
            return self.diagnostic(ctx, cookie.span, f"token cookie {what} is written by page JavaScript ({how}): "
                                   f"it can never be HttpOnly, so any script on the page can read it{also}; let the "
                                   "server set it", None)
        return self.diagnostic(ctx, cookie.span, f"token cookie {what} is set without {', '.join(missing)}: "
                               "scripts can read it, plain HTTP can leak it, other sites can send it", fix)
