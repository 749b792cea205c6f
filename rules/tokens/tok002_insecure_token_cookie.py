"""TOK002: cookies that carry a token without HttpOnly, Secure or SameSite."""

from __future__ import annotations

from typing import Iterable

from authlint.diagnostics.diagnostic import Diagnostic, Edit, Fix, FixAvailability
from authlint.facts.knowledge.token_names import cookie_carries_token
from authlint.facts.model import COOKIE_FLAGS, CookieSet, JwtConfig
from authlint.files.kinds import CODE_KINDS
from authlint.rule import Invalid, Rule, Valid, Violation
from authlint.rules import kit

SAFE_VALUES = {"HttpOnly": True, "Secure": True, "SameSite": "Lax"}  # what each flag is set to by the fix


class UnprotectedTokenCookie(Violation):
    cookie: str  # the cookie's name as written (or "cookie")
    missing: tuple[str, ...]  # COOKIE_FLAGS not set, or set off

    def message(self) -> str:
        return (f"token cookie {self.cookie} is set without {', '.join(self.missing)}: scripts can read it, "
                "plain HTTP can leak it, other sites can send it")


class ScriptWrittenTokenCookie(Violation):
    cookie: str
    writer: str  # "`document.cookie`", "js-cookie"
    also_missing: tuple[str, ...]  # Secure / SameSite not set either

    def message(self) -> str:
        also = f" (and it lacks {', '.join(self.also_missing)})" if self.also_missing else ""
        return (f"token cookie {self.cookie} is written by page JavaScript ({self.writer}): it can never be "
                f"HttpOnly, so any script on the page can read it{also}; let the server set it")


class JwtCookiesOverHttp(Violation):
    def message(self) -> str:
        return "`JWT_COOKIE_SECURE = False`: JWT cookies are sent over plain HTTP"


class JwtCookieSecureUnset(Violation):
    def message(self) -> str:
        return ("JWTs travel in cookies but `JWT_COOKIE_SECURE` is not set: Flask-JWT-Extended defaults it to "
                "False, so they are sent over plain HTTP")


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

    ## References
    - MDN, `Set-Cookie` (`HttpOnly`, `Secure`, `SameSite`): https://developer.mozilla.org/en-US/docs/Web/HTTP/Headers/Set-Cookie
    - OWASP Session Management Cheat Sheet, cookies: https://cheatsheetseries.owasp.org/cheatsheets/Session_Management_Cheat_Sheet.html#cookies
    - Werkzeug `Response.set_cookie` (all three off by default): https://werkzeug.palletsprojects.com/en/stable/wrappers/#werkzeug.wrappers.Response.set_cookie
    - Django `HttpResponse.set_cookie`: https://docs.djangoproject.com/en/stable/ref/request-response/#django.http.HttpResponse.set_cookie
    - Starlette `set_cookie` (`samesite="lax"` by default): https://www.starlette.io/responses/#set-cookie
    - Express `res.cookie`: https://expressjs.com/en/api.html#res.cookie
    - Flask-JWT-Extended `JWT_COOKIE_SECURE` (default False): https://flask-jwt-extended.readthedocs.io/en/stable/options.html#JWT_COOKIE_SECURE
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
            span=(3, 1, 3, 39),
        ),
        Invalid(
            "from django.http import JsonResponse\nr = JsonResponse({})\nr.set_cookie('jwt', tok, secure=False, httponly=True, samesite='Strict')\n",
            fixed="from django.http import JsonResponse\nr = JsonResponse({})\nr.set_cookie('jwt', tok, secure=True, httponly=True, samesite='Strict')\n",
            message="Secure",
            span=(3, 1, 3, 73),
        ),
        Invalid(
            "JWT_TOKEN_LOCATION = ['cookies']\nJWT_COOKIE_SECURE = False\n",
            fixed="JWT_TOKEN_LOCATION = ['cookies']\nJWT_COOKIE_SECURE = True\n",
            span=(2, 21, 2, 26),
        ),
        Invalid("resp.set_cookie(name, access_token, 3600, None, '/', None, False)\n", count=1, span=(1, 1, 1, 66)),
        Invalid(
            "class Config:\n    JWT_TOKEN_LOCATION = ['headers', 'cookies']\n    DEBUG = False\n",
            fixed="class Config:\n    JWT_TOKEN_LOCATION = ['headers', 'cookies']\n    JWT_COOKIE_SECURE = True\n    DEBUG = False\n",
            message="not set",
            span=(2, 5, 2, 48),
        ),
        Invalid(
            "app.config['JWT_TOKEN_LOCATION'] = ['cookies']\n",
            fixed="app.config['JWT_TOKEN_LOCATION'] = ['cookies']\napp.config['JWT_COOKIE_SECURE'] = True\n",
            span=(1, 1, 1, 47),
        ),
        Invalid(
            'from flask import make_response\nresp = make_response()\nresp.set_cookie(\n    "refresh_token",\n    token,\n'
            '    max_age=3600,  # one hour\n)\n',
            fixed='from flask import make_response\nresp = make_response()\nresp.set_cookie(\n    "refresh_token",\n    token,\n'
            '    max_age=3600,  # one hour\n    httponly=True,\n    secure=True,\n    samesite="Lax",\n)\n',
            message="HttpOnly, Secure, SameSite",
            span=(3, 1, 7, 2),
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
            span=(2, 3, 2, 43),
        ),
        Invalid(
            'res.cookie("access_token", token, {\n  maxAge: 15 * 60 * 1000,\n  secure: false,\n});\n',
            path="auth.ts",
            fixed='res.cookie("access_token", token, {\n  maxAge: 15 * 60 * 1000,\n  secure: true,\n  httpOnly: true,\n  sameSite: "Lax",\n});\n',
            span=(1, 1, 4, 3),
        ),
        Invalid('document.cookie = `jwt=${token}; path=/; Secure; SameSite=Strict`;\n', path="client.ts", message="never be HttpOnly", span=(1, 1, 1, 66)),
        Invalid(
            'import Cookies from "js-cookie";\nCookies.set("access_token", token, { secure: true, sameSite: "strict" });\n',
            path="session.ts",
            message="js-cookie",
            count=1,
            span=(2, 1, 2, 73),
        ),
        Valid('import Cookies from "js-cookie";\nCookies.set("theme", "dark");\n', path="prefs.ts"),
        Invalid(
            "fastify.post('/login', async (req, reply) => {\n  reply.setCookie('token', await issue(req.body));\n});\n",
            path="server.mjs",
            fixed="fastify.post('/login', async (req, reply) => {\n  reply.setCookie('token', await issue(req.body), { httpOnly: true, secure: true, sameSite: 'Lax' });\n});\n",
            span=(2, 3, 2, 50),
        ),
        Invalid(
            'import { cookies } from "next/headers";\n\nexport async function login(token: string) {\n'
            '  (await cookies()).set("session", token, { httpOnly: true });\n}\n',
            path="app/actions.ts",
            fixed='import { cookies } from "next/headers";\n\nexport async function login(token: string) {\n'
            '  (await cookies()).set("session", token, { httpOnly: true, secure: true, sameSite: "Lax" });\n}\n',
            message="Secure, SameSite",
            span=(4, 3, 4, 62),
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
                fix = Fix.unsafe("Send JWT cookies over HTTPS only", kit.replace_value(ctx.source, secure.value, True))
                yield self.report(ctx, secure.value.span, JwtCookiesOverHttp(), fix)
            location = config.settings.get("JWT_TOKEN_LOCATION")
            if secure is None and location is not None and "cookies" in _values(location.value.value):
                edit = kit.add_setting(ctx.source, location.span, "JWT_TOKEN_LOCATION", "JWT_COOKIE_SECURE", True)
                fix = Fix.unsafe("Set JWT_COOKIE_SECURE = True", edit) if edit is not None else None
                yield self.report(ctx, location.span, JwtCookieSecureUnset(), fix)

    @staticmethod
    def _carries_token(cookie: CookieSet) -> bool:
        name = cookie.name
        if name is not None and isinstance(name.value, str):
            return cookie_carries_token(name.value)
        value = cookie.value
        return value is not None and cookie_carries_token(value.text)

    def _cookie(self, ctx, cookie: CookieSet) -> Diagnostic | None:
        missing: list[str] = []
        edits: list[Edit] = []
        inserts: list[tuple[str, object]] = []
        for flag in COOKIE_FLAGS:
            option = cookie.flag(flag)
            if option is None:
                if cookie.options.spread or (flag == "SameSite" and cookie.samesite_default is not None):
                    continue
                missing.append(flag)
                inserts.append((cookie.flag_options[flag], SAFE_VALUES[flag]))
            elif option.value.value is False or option.value.value is None:
                missing.append(flag)
                edits.append(Edit.replace(option.value.span, kit.literal(ctx.source, SAFE_VALUES[flag])))
        if not missing:
            return None
        what = cookie.name.text if cookie.name is not None else "cookie"
        if cookie.script_writer:  # scripts wrote it, so scripts can read it: HttpOnly is impossible
            rest = tuple(flag for flag in missing if flag != "HttpOnly")
            return self.report(ctx, cookie.span, ScriptWrittenTokenCookie(what, cookie.script_writer, rest))
        fix = None
        insert = kit.insert_options(ctx.source, cookie.options, inserts) if inserts else None
        if insert is not None:
            edits.append(insert)
        if edits and (not inserts or insert is not None):
            fix = Fix.unsafe("Set " + ", ".join(missing), *edits)
        return self.report(ctx, cookie.span, UnprotectedTokenCookie(what, tuple(missing)), fix)
