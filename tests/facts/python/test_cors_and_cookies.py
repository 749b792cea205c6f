"""CORS policies, cookies and nats-py clients."""

from __future__ import annotations

from authlint.facts.model import CookieSet, CorsPolicy, NatsClient
from tests.facts.helpers import facts_of


def test_flask_cors_forms() -> None:
    code = (
        "from flask_cors import CORS, cross_origin\n"
        "CORS(app, supports_credentials=True)\n"
        "CORS(api, resources={r'/api/*': {'origins': ['https://a.example']}})\n"
        "@cross_origin(origins='*')\ndef view():\n    pass\n"
    )
    plain, resource, decorator = facts_of(code, CorsPolicy)
    assert plain.origins is None and plain.credentials.value is True
    assert resource.origins.value == ["https://a.example"]
    assert decorator.origins.value == "*"


def test_starlette_middleware_forms() -> None:
    code = (
        "from fastapi.middleware.cors import CORSMiddleware\nfrom starlette.middleware import Middleware\n"
        "app.add_middleware(CORSMiddleware, allow_origins=['*'], allow_credentials=True)\n"
        "mw = [Middleware(CORSMiddleware, allow_origin_regex='https://.*\\\\.example\\\\.com')]\n"
    )
    first, second = facts_of(code, CorsPolicy)
    assert first.framework == "starlette" and first.origins.value == ["*"] and first.credentials.value is True
    assert second.origin_regex.value == "https://.*\\.example\\.com"


def test_django_settings_and_raw_headers() -> None:
    code = "CORS_ALLOW_ALL_ORIGINS = True\nCORS_ALLOW_CREDENTIALS = True\n"
    (policy,) = facts_of(code, CorsPolicy, relpath="settings.py")
    assert policy.framework == "django" and policy.origins.value == "*" and policy.credentials.value is True
    code = (
        "def after(resp):\n"
        "    resp.headers['Access-Control-Allow-Origin'] = request.headers.get('Origin')\n"
        "    resp.headers['Access-Control-Allow-Credentials'] = 'true'\n    return resp\n"
    )
    (policy,) = facts_of(code, CorsPolicy)
    assert policy.framework == "header" and policy.origins.ref == "request:origin"
    assert policy.credentials.value is True


def test_cookies_by_framework() -> None:
    code = "from fastapi import Response\nresp.set_cookie('access_token', tok, secure=True)\n"
    (cookie,) = facts_of(code, CookieSet)
    assert cookie.framework == "starlette" and cookie.name.value == "access_token"
    assert cookie.options.value("secure") is True and "httponly" not in cookie.options
    code = "from flask import make_response\nresp.set_cookie('session', tok, 3600, None, '/', None, True)\n"
    (cookie,) = facts_of(code, CookieSet)
    assert cookie.framework == "flask" and cookie.options.value("secure") is True
    assert cookie.options.value("path") == "/" and "httponly" not in cookie.options


def test_nats_clients() -> None:
    code = (
        "import nats\nfrom nats.aio.client import Client as NATS\n"
        "async def main():\n"
        "    a = await nats.connect('nats://127.0.0.1:4222', token='t0k3n', ping_interval=20)\n"
        "    nc = NATS()\n"
        "    await nc.connect(servers=['nats://h:4222'], user='app', password=os.environ['NATS_PASS'])\n"
    )
    first, second = facts_of(code, NatsClient)
    assert first.servers.value == "nats://127.0.0.1:4222"
    assert first.options.value("servers") == "nats://127.0.0.1:4222"
    assert first.options.value("token") == "t0k3n" and first.options.value("ping_interval") == 20
    assert second.options.value("user") == "app" and second.options.get("password").value.ref == "env:NATS_PASS"


def test_aiohttp_cors_and_wrapping_cors_middleware() -> None:
    code = (
        "import aiohttp_cors\nfrom starlette.middleware.cors import CORSMiddleware\n"
        "cors = aiohttp_cors.setup(app, defaults={\n"
        "    '*': aiohttp_cors.ResourceOptions(allow_credentials=True, allow_headers='*'),\n"
        "    'https://a.example': aiohttp_cors.ResourceOptions(),\n"
        "})\n"
        "asgi = CORSMiddleware(sio_app, allow_origins=['https://a.example'])\n"
    )
    star, exact, wrapped = facts_of(code, CorsPolicy)
    assert (star.framework, star.origins.value, star.credentials.value) == ("aiohttp-cors", "*", True)
    assert exact.origins.value == "https://a.example" and exact.credentials is None
    assert wrapped.framework == "starlette" and wrapped.origins.value == ["https://a.example"]


def test_engineio_server_is_a_server() -> None:
    from authlint.facts.model import SocketIOServer

    code = "import engineio\neio = engineio.AsyncServer(ping_timeout=1, client_manager=None)\n"
    (server,) = facts_of(code, SocketIOServer)
    assert server.library == "python-engineio"
    assert [o.name for o in server.unknown_options] == ["client_manager"]
