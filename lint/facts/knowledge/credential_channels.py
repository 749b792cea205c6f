"""Which code shows the channel a project's credentials travel in, per language.

AMBIENT credentials are attached by the browser itself (cookies, server sessions, requests sent
with ``withCredentials`` / ``credentials: "include"``): a wildcard or reflected origin policy hands
them to any site. EXPLICIT credentials are attached by page script (a bearer token in the
``Authorization`` header, the Socket.IO ``auth`` payload): another site's script never holds them,
so a wildcard exposes only what an anonymous caller could read. Sources: MDN "CORS: requests with
credentials"; the Fetch standard's credentials mode; express-session, cookie-session, cookie-parser,
Flask ``session`` and Flask-Login (cookie sessions); FastAPI ``fastapi.security``; passport-jwt
``ExtractJwt``; express-jwt (``Authorization: Bearer`` by default); Django REST framework's
authentication classes; Flask-JWT-Extended ``JWT_TOKEN_LOCATION`` (default ``["headers"]``).
"""

from __future__ import annotations

from authlint.facts.model import AMBIENT, EXPLICIT

# -- Python: imported names (qualified) --------------------------------------------------------------
PYTHON_IMPORTS: dict[str, tuple[str, str]] = {
    "flask.session": (AMBIENT, "Flask `session`"),
    "flask_login": (AMBIENT, "Flask-Login"),
    "flask_session": (AMBIENT, "Flask-Session"),
    "django.contrib.auth.login": (AMBIENT, "Django `login()`"),
    "fastapi.security.APIKeyCookie": (AMBIENT, "FastAPI `APIKeyCookie`"),
    "starlette.middleware.sessions.SessionMiddleware": (AMBIENT, "Starlette `SessionMiddleware`"),
    "aiohttp_session": (AMBIENT, "aiohttp-session"),
    "fastapi.security.HTTPBearer": (EXPLICIT, "FastAPI `HTTPBearer`"),
    "fastapi.security.OAuth2PasswordBearer": (EXPLICIT, "FastAPI `OAuth2PasswordBearer`"),
    "fastapi.security.OAuth2AuthorizationCodeBearer": (EXPLICIT, "FastAPI `OAuth2AuthorizationCodeBearer`"),
    "fastapi.security.APIKeyHeader": (EXPLICIT, "FastAPI `APIKeyHeader`"),
    "flask_httpauth.HTTPTokenAuth": (EXPLICIT, "Flask-HTTPAuth `HTTPTokenAuth`"),
    # Flask-JWT-Extended reads tokens from headers unless JWT_TOKEN_LOCATION says cookies (a JwtConfig fact)
    "flask_jwt_extended.JWTManager": (EXPLICIT, "Flask-JWT-Extended (headers by default)"),
}
# Django REST framework authentication classes, named in settings as strings
PYTHON_STRINGS: dict[str, tuple[str, str]] = {
    "rest_framework.authentication.SessionAuthentication": (AMBIENT, "DRF `SessionAuthentication`"),
    "rest_framework.authentication.TokenAuthentication": (EXPLICIT, "DRF `TokenAuthentication`"),
    "rest_framework_simplejwt.authentication.JWTAuthentication": (EXPLICIT, "SimpleJWT `JWTAuthentication`"),
    "knox.auth.TokenAuthentication": (EXPLICIT, "Knox `TokenAuthentication`"),
}
# A file that holds none of these words holds no Python evidence (a cheap probe before the walk)
PYTHON_PROBE = (
    "session", "login", "cookies", "COOKIES", "uthorization", "AUTHORIZATION", "fastapi.security",
    "Authentication", "JWTManager", "HTTPTokenAuth",
)
# ... and, for each kind of evidence, the words without which the file cannot show it, so the walk
# looks only for what may be there: an import of a PYTHON_IMPORTS module (``from django.contrib
# import auth`` names no ``django.contrib.auth``, hence the package words), a header or cookie read,
# a DRF class named in a string
PYTHON_IMPORT_WORDS = ("flask", "django.contrib", "fastapi", "starlette", "aiohttp_session")
PYTHON_READ_WORDS = ("uthorization", "AUTHORIZATION", "ookie", "OOKIE")
PYTHON_STRING_WORDS = ("Authentication",)

# -- JavaScript: packages whose use means a cookie session, or a bearer token read from the header ---
JS_PACKAGES: dict[str, tuple[str, str]] = {
    "express-session": (AMBIENT, "express-session"),
    "cookie-session": (AMBIENT, "cookie-session"),
    "cookie-parser": (AMBIENT, "cookie-parser"),
    "@fastify/session": (AMBIENT, "@fastify/session"),
    "@fastify/secure-session": (AMBIENT, "@fastify/secure-session"),
    "@fastify/cookie": (AMBIENT, "@fastify/cookie"),
    "koa-session": (AMBIENT, "koa-session"),
    "iron-session": (AMBIENT, "iron-session"),
    "next-auth": (AMBIENT, "NextAuth.js (session cookie)"),
    "express-jwt": (EXPLICIT, "express-jwt (`Authorization: Bearer`)"),
    "express-oauth2-jwt-bearer": (EXPLICIT, "express-oauth2-jwt-bearer"),
}
