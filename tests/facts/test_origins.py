"""One allowed-origins model: equivalent Python and JavaScript servers and CORS policies produce the
same ``AllowedOrigins``; where the libraries really behave differently, a named field says so."""

from __future__ import annotations

import json

import pytest

from authlint.facts.model import CorsPolicy, SocketIOServer
from authlint.run.serialize import decode, encode
from authlint.testing import contexts_for, make_settings
from tests.facts import jsfacts
from tests.facts.helpers import facts_of


def python_policy(code: str, relpath: str = "app.py") -> CorsPolicy:
    (policy,) = facts_of(code, CorsPolicy, relpath=relpath)
    return policy


def js_policy(code: str) -> CorsPolicy:
    return jsfacts.one("app.ts", code, CorsPolicy)


def yaml_policy(code: str) -> CorsPolicy:
    (ctx,) = contexts_for({"ingress.yaml": code}, make_settings())
    (policy,) = [fact for fact in ctx.facts.items if isinstance(fact, CorsPolicy)]
    return policy


def shape(policy: CorsPolicy) -> tuple:
    """What a rule reads about the origins, independent of how the code spelt them."""
    allowed = policy.allowed
    return (allowed.kind, allowed.values, [entry.value for entry in allowed.patterns], allowed.default,
            allowed.exact, policy.allows_credentials)


@pytest.mark.parametrize(
    "python, javascript, expected",
    [
        (
            "import socketio\nsio = socketio.Server(cors_allowed_origins=['https://a.example'], cors_credentials=False)\n",
            'import { Server } from "socket.io";\nnew Server(srv, { cors: { origin: ["https://a.example"] } });\n',
            ("list", ["https://a.example"], [], False, True, False),
        ),
        (
            "import socketio\nsio = socketio.AsyncServer(cors_allowed_origins='*')\n",
            'import { Server } from "socket.io";\nnew Server(srv, { cors: { origin: "*", credentials: true } });\n',
            ("any", ["*"], [], False, True, True),
        ),
        (
            "from flask_cors import CORS\nCORS(app, origins=['https://a.example'], supports_credentials=True)\n",
            'import cors from "cors";\napp.use(cors({ origin: ["https://a.example"], credentials: true }));\n',
            ("list", ["https://a.example"], [], False, False, True),
        ),
        (
            "from flask_cors import CORS\nCORS(app)\n",
            'import cors from "cors";\napp.use(cors());\n',
            ("any", [], [], True, False, False),
        ),
        (
            "from flask import request\n@app.after_request\ndef cors(resp):\n"
            "    resp.headers['Access-Control-Allow-Origin'] = request.headers.get('Origin')\n"
            "    resp.headers['Access-Control-Allow-Credentials'] = 'true'\n    return resp\n",
            "app.use((req, res, next) => {\n  res.header('Access-Control-Allow-Origin', req.headers.origin);\n"
            "  res.header('Access-Control-Allow-Credentials', 'true');\n  next();\n});\n",
            ("reflect", [], [], False, False, True),
        ),
    ],
    ids=["socketio-list", "socketio-star", "cors-list", "cors-default", "header-echo"],
)
def test_equivalent_python_and_javascript_give_one_origins_fact(python: str, javascript: str, expected: tuple) -> None:
    py, js = python_policy(python), js_policy(javascript)
    got_py, got_js = shape(py), shape(js)
    # `exact` is a real difference between Flask-CORS (which also reads regexes) and the cors package
    assert got_py[:4] == got_js[:4] == expected[:4]
    assert got_py[5] == got_js[5] == expected[5]
    if py.socketio_server:
        assert got_py[4] == got_js[4] == expected[4]


def test_socketio_servers_differ_only_where_the_libraries_do() -> None:
    """python-engineio echoes the caller for `*`, refuses bad origins itself and defaults credentials on;
    the cors package behind socket.io sends `*` literally, leaves refusal to browsers, credentials off."""
    py = python_policy("import socketio\nsio = socketio.Server(cors_allowed_origins='*')\n")
    js = js_policy('import { Server } from "socket.io";\nnew Server(srv, { cors: { origin: "*" } });\n')
    assert py.socketio_server and js.socketio_server
    assert (py.allowed.literal_star, js.allowed.literal_star) == (False, True)
    assert (py.allowed.enforced_by_server, js.allowed.enforced_by_server) == (True, False)
    assert (py.allows_credentials, py.credentials_default) == (True, True)
    assert (js.allows_credentials, js.credentials_default) == (False, True)
    assert (py.allowed.setting, js.allowed.setting, js.allowed.shown_as) == ("cors_allowed_origins", "origin", "cors.origin")


def test_python_socketio_server_policy_is_a_cors_policy() -> None:
    code = "import socketio\nsio = socketio.Server(async_mode='threading')\n"
    (server,) = facts_of(code, SocketIOServer)
    (policy,) = facts_of(code, CorsPolicy)
    assert policy.socketio_server and policy.framework == "python-socketio"
    assert server.cors is not None and server.cors.allowed.kind == policy.allowed.kind == "same-origin"
    assert policy.allowed.default and policy.allowed.expr is None
    assert policy.allowed.bag is not None and policy.allowed.bag.insert_at is not None  # a fix can add the list


@pytest.mark.parametrize(
    "value, kind",
    [("[]", "check-off"), ("['*']", "any"), ("lambda origin: True", "unknown"),
     ("os.environ['ORIGINS'].split(',')", "unknown"), ("['https://a.example']", "list")],
)
def test_python_socketio_origin_kinds(value: str, kind: str) -> None:
    policy = python_policy(f"import os, socketio\nsio = socketio.Server(cors_allowed_origins={value})\n")
    assert policy.allowed.kind == kind and not policy.allowed.default


def test_javascript_empty_origin_list_allows_nothing_and_true_reflects() -> None:
    empty = js_policy('import { Server } from "socket.io";\nnew Server(srv, { cors: { origin: [] } });\n')
    assert (empty.allowed.kind, empty.allowed.values) == ("list", [])
    reflect = js_policy('import { Server } from "socket.io";\nnew Server(srv, { cors: { origin: true } });\n')
    assert reflect.allowed.kind == "reflect" and not reflect.allowed.echo_in_code


def test_flask_socketio_init_app_updates_the_one_policy() -> None:
    code = ("from flask_socketio import SocketIO\nsocketio = SocketIO()\n"
            "socketio.init_app(app, cors_allowed_origins='*', cors_credentials=False)\n")
    (server,) = facts_of(code, SocketIOServer)
    (policy,) = facts_of(code, CorsPolicy)
    assert policy.allowed.kind == "any" and policy.allows_credentials is False
    assert server.cors is not None and server.cors.allowed.kind == "any"


def test_regex_entries_carry_how_they_are_matched() -> None:
    django = python_policy("CORS_ALLOWED_ORIGIN_REGEXES = [r'^https://\\w+\\.example\\.com']\n", relpath="settings.py")
    starlette = python_policy("from starlette.middleware.cors import CORSMiddleware\n"
                              "app.add_middleware(CORSMiddleware, allow_origin_regex='https://.*')\n")
    js = js_policy('import cors from "cors";\napp.use(cors({ origin: /^https:\\/\\/a\\.example$/ }));\n')
    flask = python_policy("from flask_cors import CORS\nCORS(app, origins=['https://*.example.com', 'https://b.example'])\n")
    assert [(e.anchoring, e.raw, e.located) for e in django.allowed.patterns] == [("start", True, True)]
    assert [e.anchoring for e in starlette.allowed.patterns] == ["full"] and starlette.allowed.kind == "regex"
    assert [(e.anchoring, e.raw) for e in js.allowed.patterns] == [("search", True)] and js.allowed.kind == "regex"
    assert flask.allowed.kind == "list" and flask.allowed.values == ["https://b.example"]
    assert [(e.value, e.anchoring) for e in flask.allowed.patterns] == [("https://*.example.com", "start")]


def test_yaml_policies() -> None:
    nginx = yaml_policy("metadata:\n  annotations:\n    nginx.ingress.kubernetes.io/enable-cors: 'true'\n")
    assert (nginx.allowed.kind, nginx.allowed.default, nginx.allows_credentials, nginx.credentials_default) == (
        "any", True, True, True)
    assert nginx.allowed.written_as == "joined" and nginx.allowed.bag is not None
    assert nginx.allowed.bag.insert_at == len("metadata:\n  annotations:\n    nginx.ingress.kubernetes.io/enable-cors: 'true'")
    traefik = yaml_policy("spec:\n  headers:\n    accessControlAllowOriginListRegex: ['^https://a\\.example$']\n")
    assert traefik.allowed.kind == "regex" and [e.value for e in traefik.allowed.patterns] == ["^https://a\\.example$"]


def test_django_allow_all_is_a_switch_a_fix_replaces() -> None:
    policy = python_policy("CORS_ALLOW_ALL_ORIGINS = True\nCORS_ALLOW_CREDENTIALS = True\n", relpath="settings.py")
    assert policy.allowed.kind == "any" and policy.allows_credentials is True
    assert policy.allowed.switch is not None and policy.allowed.switch.name == "CORS_ALLOW_ALL_ORIGINS"
    assert policy.allowed.setting == "CORS_ALLOWED_ORIGINS"


def test_origins_model_survives_the_cache_codec() -> None:
    """Warm runs join cached facts: the model (and a server's link to its policy) must round-trip."""
    code = 'import { Server } from "socket.io";\nnew Server(srv, { cors: { origin: [/a\\.example$/, "https://b.example"] } });\n'
    (ctx,) = contexts_for({"io.ts": code}, make_settings())
    facts = list(ctx.facts.items)
    back = decode(json.loads(json.dumps(encode(facts, ctx.source))), ctx.source)
    assert back == facts
    server = next(fact for fact in back if isinstance(fact, SocketIOServer))
    assert server.cors is not None and server.cors.allowed.kind == "list"
    assert [entry.anchoring for entry in server.cors.allowed.patterns] == ["search"]
