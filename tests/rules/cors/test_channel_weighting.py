"""COR001 and SIO003 weigh a wildcard by the channel that carries the project's credentials: an error
with cookies or no evidence, a note (info) with bearer tokens only. Whole projects, several files."""

from __future__ import annotations

import pytest

from authlint.diagnostics.diagnostic import Severity
from authlint.testing import lint_files

WILDCARD_PY = "from flask_cors import CORS\nCORS(app)\n"
WILDCARD_JS = 'const cors = require("cors");\napp.use(cors());\n'
SIO_SERVER = "import socketio\nsio = socketio.AsyncServer(cors_allowed_origins='*')\n"

BEARER = {
    "fastapi": ("deps.py", "from fastapi.security import OAuth2PasswordBearer\nscheme = OAuth2PasswordBearer(tokenUrl='token')\n"),
    "header-read": ("auth.py", "def user(request):\n    return decode(request.headers['Authorization'])\n"),
    "passport": ("auth.js", "const { ExtractJwt } = require('passport-jwt');\nconst f = ExtractJwt.fromAuthHeaderAsBearerToken();\n"),
    "axios-header": ("api.ts", "export const get = (t: string) => fetch('/api', { headers: { Authorization: `Bearer ${t}` } });\n"),
    "storage": ("login.js", "localStorage.setItem('accessToken', data.token);\n"),
    "socketio-auth": ("client.js", 'import { io } from "socket.io-client";\nio("https://api.example.com", { auth: { token } });\n'),
    "jwt-headers": ("config.py", "JWT_TOKEN_LOCATION = ['headers']\n"),
    "drf-jwt": ("settings.py", "REST_FRAMEWORK = {'DEFAULT_AUTHENTICATION_CLASSES': "
                "['rest_framework_simplejwt.authentication.JWTAuthentication']}\n"),
}
AMBIENT = {
    "flask-session": ("views.py", "from flask import session\n\ndef login():\n    session['user'] = 'alice'\n"),
    "set-cookie": ("views.py", "def login(response):\n    response.set_cookie('sid', new_sid(), httponly=True)\n"),
    "jwt-cookies": ("config.py", "JWT_TOKEN_LOCATION = ['headers', 'cookies']\n"),
    "express-session": ("session.js", "const session = require('express-session');\napp.use(session({ secret }));\n"),
    "with-credentials": ("api.js", "axios.defaults.withCredentials = true;\n"),
    "fetch-include": ("api.ts", "fetch('/api/me', { credentials: 'include' });\n"),
    "drf-session": ("settings.py", "REST_FRAMEWORK = {'DEFAULT_AUTHENTICATION_CLASSES': "
                    "['rest_framework.authentication.SessionAuthentication']}\n"),
}


def severities(files: dict[str, str], code: str) -> list[Severity]:
    result = lint_files(files, select=[code])
    assert not result.errors, result.errors
    return [d.severity for d in result.diagnostics if d.code == code]


@pytest.mark.parametrize("wildcard", [("app.py", WILDCARD_PY), ("app.js", WILDCARD_JS)], ids=["python", "javascript"])
def test_no_evidence_keeps_the_error(wildcard: tuple[str, str]) -> None:
    assert severities(dict([wildcard]), "COR001") == [Severity.ERROR]


@pytest.mark.parametrize("evidence", BEARER.values(), ids=BEARER.keys())
@pytest.mark.parametrize("wildcard", [("app.py", WILDCARD_PY), ("app.js", WILDCARD_JS)], ids=["python", "javascript"])
def test_bearer_only_makes_a_note(wildcard: tuple[str, str], evidence: tuple[str, str]) -> None:
    assert severities(dict([wildcard, evidence]), "COR001") == [Severity.INFO]


@pytest.mark.parametrize("cookie", AMBIENT.values(), ids=AMBIENT.keys())
def test_any_cookie_evidence_keeps_the_error(cookie: tuple[str, str]) -> None:
    files = dict([("app.py", WILDCARD_PY), BEARER["fastapi"], cookie])
    assert severities(files, "COR001") == [Severity.ERROR]


def test_socketio_wildcard_with_an_auth_payload_client_is_a_note() -> None:
    files = dict([("server.py", SIO_SERVER), BEARER["socketio-auth"]])
    assert severities(files, "SIO003") == [Severity.INFO]
    files["web.py"] = AMBIENT["flask-session"][1]
    assert severities(files, "SIO003") == [Severity.ERROR]


def test_socketio_handler_reading_the_cookie_keeps_the_error() -> None:
    server = SIO_SERVER + "\n@sio.event\nasync def connect(sid, environ, auth):\n    return check(environ.get('HTTP_COOKIE'))\n"
    assert severities({"server.py": server, "client.js": BEARER["socketio-auth"][1]}, "SIO003") == [Severity.ERROR]


def test_commented_evidence_is_no_evidence() -> None:
    files = {"app.js": WILDCARD_JS, "api.js": "// axios.defaults.withCredentials = true\n" + BEARER["passport"][1]}
    assert severities(files, "COR001") == [Severity.INFO]
