from __future__ import annotations

from typing import Iterable

from authlint.diagnostics.diagnostic import Diagnostic, FixAvailability
from authlint.facts.model import CorsPolicy
from authlint.facts.travel import travelled_policies
from authlint.files.kinds import CODE_KINDS, HOCON, NGINX, YAML
from authlint.rule import FixOffer, Invalid, Rule, Valid, Violation
from authlint.rules.cors.policy import allows_any, credentials_on, echo_fix, origins_fix, reflects

BROAD_REGEXES = frozenset({".*", ".+", "^.*$", "^.+$", "https?://.*", "https://.*", "http://.*"})


class EchoedOrigin(Violation):
    def message(self) -> str:
        return ("`Access-Control-Allow-Origin` echoes the request's Origin with credentials allowed: any site can "
                "make authenticated requests and read the answers")


class LiteralStarWithCredentials(Violation):
    where: str

    def message(self) -> str:
        return (f"credentials allowed with origin `*` ({self.where}): the header is sent as a literal `*`, which "
                "browsers refuse with credentials, so every credentialed cross-origin call fails; list the real "
                "origins")


class ReflectedStarWithCredentials(Violation):
    where: str

    def message(self) -> str:
        return (f"credentials allowed for any origin ({self.where}): the caller's origin is reflected, so any "
                "site can use your users' cookies")


class BroadRegexWithCredentials(Violation):
    pattern: str  # as written

    def message(self) -> str:
        return f"origin regex {self.pattern} matches every origin and credentials are allowed"


class WildcardCredentials(Rule):
    """
    ## What it does
    Finds CORS policies that allow credentials for any origin: Flask-CORS `supports_credentials=True`
    with the default or `*` origins, Starlette `allow_origins=["*"]` or `allow_origin_regex=".*"` with
    `allow_credentials=True`, aiohttp-cors `defaults={"*": ResourceOptions(allow_credentials=True)}`,
    Django `CORS_ALLOW_ALL_ORIGINS` with `CORS_ALLOW_CREDENTIALS`, a
    hand-written `Access-Control-Allow-Origin` that echoes the request's `Origin` next to
    `Access-Control-Allow-Credentials: true`, in every family COR001 lists (express, fastify, koa,
    Node `http`, Flask, Django, Starlette, aiohttp), or sends `*` with it. An echo that the function
    setting it compares with an allow-list first (`if origin in ALLOWED`, `allowed.includes(origin)`,
    `whitelist.indexOf(origin) !== -1`, `isTrusted(origin)`, an early return) is not reported:
    what it lets in is decided in code authlint does not read.

    In nginx: `add_header Access-Control-Allow-Origin` with `*` or an unchecked `$http_origin` (also
    through a `map $http_origin` whose `default` is `$http_origin`) next to `add_header
    Access-Control-Allow-Credentials true` in the same block (nginx sends the `add_header`s of the
    innermost block that writes any, so a credentials header of the enclosing server does not
    count where a location adds its own).

    In HOCON: Play's CORS filter (enabled or configured in the file) with `allowedOrigins` unset or
    `null` (it then echoes every origin, with `supportsCredentials` on by default) or listing `"*"`
    (sent as a literal `*` with the credentials header); akka-http-cors / `akka.http.cors` /
    `pekko.http.cors` with `allowed-origins = "*"` (the default) and `allow-credentials` on (the
    default): the caller's origin is echoed.

    ## Why is this bad?
    These frameworks then reflect the caller's origin, so any website can make authenticated requests
    with your users' cookies and read the answers: the cross-site request forgery CORS exists to stop
    (socket.io#3637 is the same DAST finding). A literal `*` with credentials is refused by browsers,
    so that combination is simply broken.

    ## Example
    ```python
    CORS(app, supports_credentials=True)
    ```
    Use instead:
    ```python
    CORS(app, origins=["https://app.example.com"], supports_credentials=True)
    ```

    In JavaScript: `cors({ origin: true, credentials: true })` reflects every origin with credentials.

    Flask-CORS settings are read the way Flask-CORS merges them (resource dict, then `init_app` /
    `CORS()` keywords, then `app.config["CORS_*"]`, then the defaults): each resource is reported
    while its origins stay open, at the setting that decides them. The app config includes the
    classes loaded by `app.config.from_object(...)` in another module of the project (an app
    factory's `create_app(config_class=Config)` loads its default): `cors.init_app(app)` with
    `CORS_SUPPORTS_CREDENTIALS = True` in such a class and no `CORS_ORIGINS` is reported at the
    `init_app` call; a `CORS_ORIGINS = "*"` written there is reported where it is written. A setting
    the project writes more than once, or builds at run time, is not taken.

    ## Fix safety
    Unsafe, and only when `allowed-origins` is configured: the `*` at the setting that decides the
    origins (a resource's `origins`, the keyword, `CORS_ORIGINS` in the app config, Django's
    allow-all switch) becomes the configured origins; other listed origins stay, each origin is
    written once, and multi-line lists keep their layout and comments. Credentials then go only to
    those origins; origins that used to work are refused, hence unsafe. Display-only when
    `allowed-origins` is not configured, or when settings authlint does not read may decide the
    origins (a config loaded from another file). Echoed origins, broad regexes and hand-written
    headers have no fix, except a hand-set `*`, which becomes the one configured origin when exactly
    one is configured (unsafe), a placeholder otherwise (display-only). The same goes for nginx's
    `add_header Access-Control-Allow-Origin *` and for a bare `$http_origin` echo there (one
    header, one value: the configured origin replaces it); an echo computed through `set` or `map`
    has no fix. HOCON settings are fixed the same way: the `null` / `"*"` value or entry becomes the
    configured origins, a missing `allowedOrigins` / `allowed-origins` is added to the block (or as
    a dotted line after the one that enables the filter).

    ## References
    - MDN, credentialed requests and wildcards: https://developer.mozilla.org/en-US/docs/Web/HTTP/CORS#credentialed_requests_and_wildcards
    - Flask-CORS `supports_credentials`: https://flask-cors.readthedocs.io/en/latest/api.html
    - Flask-CORS reads `CORS_*` from the app config (option precedence): https://flask-cors.readthedocs.io/en/latest/configuration.html
    - Flask `config.from_object`: https://flask.palletsprojects.com/en/stable/api/#flask.Config.from_object
    - Starlette `CORSMiddleware` (`allow_credentials`, `allow_origin_regex`): https://www.starlette.io/middleware/#corsmiddleware
    - the `cors` package (`origin: true` reflects): https://github.com/expressjs/cors#configuration-options
    - ingress-nginx `cors-allow-credentials` (default `true`): https://kubernetes.github.io/ingress-nginx/user-guide/nginx-configuration/annotations/#enable-cors
    - Play CORS filter (`play.filters.cors`, `allowedOrigins` null = every origin, `supportsCredentials` default true): https://www.playframework.com/documentation/latest/CorsFilter
    - akka-http-cors `reference.conf` (`allowed-origins = "*"`, `allow-credentials = yes`): https://github.com/lomigmegard/akka-http-cors/blob/HEAD/akka-http-cors/src/main/resources/reference.conf ; Pekko HTTP `pekko.http.cors`: https://github.com/apache/pekko-http/blob/HEAD/http-cors/src/main/resources/reference.conf
    - socket.io#3637, a DAST report of a reflected origin with credentials: https://github.com/socketio/socket.io/issues/3637
    - PortSwigger, server-generated ACAO from the client's Origin header: https://portswigger.net/web-security/cors#server-generated-acao-header-from-client-specified-origin-header
    """

    code = "COR002"
    name = "wildcard-credentials"
    summary = "CORS allows credentials from any origin"
    kinds = CODE_KINDS | {HOCON, NGINX, YAML}
    # ``from_object``: the module loading a config class joins the project phase (travel)
    triggers = ("cors", "access-control-allow", "accesscontrolalloworigin", "from_object")
    project_rule = True  # (travel) Flask-CORS options a config class in another module sets
    fix_availability = FixAvailability.SOMETIMES
    fix_offers = (
        FixOffer.unsafe(
            "Replaces the wildcard with the configured `allowed-origins`, so credentials go only to them."
        ),
        FixOffer.display_only(
            "Without `allowed-origins`, or where the policy is decided in another file (a Flask config loaded with `from_object`), suggests the change: authlint cannot know or reach the right value."
        ),
    )
    languages = "Python, JS/TS, YAML, nginx, HOCON"
    examples = (
        Valid("from flask_cors import CORS\nCORS(app, origins=['https://app.example.com'], supports_credentials=True)\n"),
        Valid("from flask_cors import CORS\nCORS(app, supports_credentials=False)\n"),
        Valid(
            "from starlette.middleware.cors import CORSMiddleware\n"
            "app.add_middleware(CORSMiddleware, allow_origin_regex=r'https://[a-z]+\\.example\\.com', allow_credentials=True)\n"
        ),
        Invalid(
            "from flask_cors import CORS\nCORS(app, supports_credentials=True)\n",
            settings={"allowed-origins": ["https://app.example.com"]},
            fixed='from flask_cors import CORS\nCORS(app, supports_credentials=True, origins=["https://app.example.com"])\n',
            message="credentials",
            span=(2, 1, 2, 37),
        ),
        Invalid(
            "from fastapi.middleware.cors import CORSMiddleware\n"
            "app.add_middleware(CORSMiddleware, allow_origin_regex='.*', allow_credentials=True)\n",
        ),
        # Flask-CORS: the resource's origins decide, whatever the keywords or the config say.
        Invalid(
            "from flask_cors import CORS\ncors = CORS()\ncors.init_app(app, resources={r'/api/*': {'origins': '*'}}, "
            "supports_credentials=True)\n",
            settings={"allowed-origins": ["https://app.example.com"]},
            fixed="from flask_cors import CORS\ncors = CORS()\ncors.init_app(app, resources={r'/api/*': "
            "{'origins': ['https://app.example.com']}}, supports_credentials=True)\n",
            span=(3, 54, 3, 57),
        ),
        Invalid(
            "from flask_cors import CORS\napp.config.update(CORS_ORIGINS='*', CORS_SUPPORTS_CREDENTIALS=True)\nCORS(app)\n",
            settings={"allowed-origins": ["https://app.example.com"]},
            fixed="from flask_cors import CORS\napp.config.update(CORS_ORIGINS=['https://app.example.com'], "
            "CORS_SUPPORTS_CREDENTIALS=True)\nCORS(app)\n",
        ),
        Valid("from flask_cors import CORS\napp.config['CORS_ORIGINS'] = ['https://admin.example.com']\n"
              "app.config['CORS_SUPPORTS_CREDENTIALS'] = True\nCORS(app)\n"),
        Invalid(
            "import aiohttp_cors\ncors = aiohttp_cors.setup(app, defaults={\n"
            "    '*': aiohttp_cors.ResourceOptions(allow_credentials=True, expose_headers='*', allow_headers='*'),\n})\n",
            message="aiohttp-cors",
        ),
        Invalid(
            "CORS_ORIGIN_ALLOW_ALL = True\nCORS_ALLOW_CREDENTIALS = True\n",
            path="settings.py",
            settings={"allowed-origins": ["https://a.example"]},
            fixed="CORS_ALLOWED_ORIGINS = [\"https://a.example\"]\nCORS_ALLOW_CREDENTIALS = True\n",
        ),
        Invalid(
            "from flask import request\n\n@app.after_request\ndef cors(resp):\n"
            "    resp.headers['Access-Control-Allow-Origin'] = request.headers.get('Origin', '')\n"
            "    resp.headers['Access-Control-Allow-Credentials'] = 'true'\n    return resp\n",
            message="echoes",
        ),
        # Echoes by family: Django middleware (`request.META`), Starlette middleware, aiohttp responses.
        Invalid(
            "class Cors:\n    def __init__(self, get_response):\n        self.get_response = get_response\n\n"
            "    def __call__(self, request):\n        response = self.get_response(request)\n"
            "        response['Access-Control-Allow-Origin'] = request.META['HTTP_ORIGIN']\n"
            "        response['Access-Control-Allow-Credentials'] = 'true'\n        return response\n",
            path="middleware.py",
            message="echoes",
        ),
        Invalid(
            "from aiohttp import web\n\nasync def me(request):\n    origin = request.headers.get('Origin')\n"
            "    return web.json_response({}, headers={'Access-Control-Allow-Origin': origin,\n"
            "                                          'Access-Control-Allow-Credentials': 'true'})\n",
            message="echoes",
        ),
        # a helper's header list, its Origin local bound in branches (echo with credentials, else `*`)
        Invalid(
            "from flask import request\n\ndef get_headers(response):\n    try:\n"
            "        origin = request.headers['Origin']\n        cred = 'true'\n    except KeyError:\n"
            "        origin = '*'\n        cred = 'false'\n"
            "    return [('Access-Control-Allow-Origin', origin), ('Access-Control-Allow-Credentials', cred)]\n",
            path="utils.py",
            message="echoes",
            count=1,
            span=(10, 45, 10, 51),
        ),
        Valid(
            "from flask import request\n\ndef get_headers(response):\n"
            "    if request.headers.get('Origin') in ALLOWED_ORIGINS:\n"
            "        origin = request.headers['Origin']\n        cred = 'true'\n    else:\n"
            "        origin = 'https://app.example.com'\n        cred = 'false'\n"
            "    return [('Access-Control-Allow-Origin', origin), ('Access-Control-Allow-Credentials', cred)]\n",
            path="utils.py",
        ),
        Invalid(
            "export function corsHeaders(req) {\n  let origin = '*';\n  let cred = 'false';\n"
            "  if (req.headers.origin) {\n    origin = req.headers.origin;\n    cred = 'true';\n  }\n"
            "  return { 'Access-Control-Allow-Origin': origin, 'Access-Control-Allow-Credentials': cred };\n}\n",
            path="headers.ts",
            message="echoes",
            count=1,
        ),
        Valid(
            "export function corsHeaders(req) {\n  let origin = 'https://app.example.com';\n  let cred = 'false';\n"
            "  if (ALLOWED.includes(req.headers.origin)) {\n    origin = req.headers.origin;\n    cred = 'true';\n  }\n"
            "  return { 'Access-Control-Allow-Origin': origin, 'Access-Control-Allow-Credentials': cred };\n}\n",
            path="headers.ts",
        ),
        # the same echo behind an allow-list check is an allow-list written in code: silent
        Valid(
            "class Cors:\n    def __init__(self, get_response):\n        self.get_response = get_response\n\n"
            "    def __call__(self, request):\n        response = self.get_response(request)\n"
            "        origin = request.META.get('HTTP_ORIGIN')\n        if origin in settings.CORS_ORIGINS:\n"
            "            response['Access-Control-Allow-Origin'] = origin\n"
            "            response['Access-Control-Allow-Credentials'] = 'true'\n        return response\n",
            path="middleware.py",
        ),
        Valid(
            "from aiohttp import web\n\nasync def me(request):\n    origin = request.headers.get('Origin')\n"
            "    if not is_trusted(origin):\n        raise web.HTTPForbidden()\n"
            "    return web.json_response({}, headers={'Access-Control-Allow-Origin': origin,\n"
            "                                          'Access-Control-Allow-Credentials': 'true'})\n",
        ),
        # A hand-set `*` is sent literally: browsers refuse it with credentials (it is not reflected).
        Invalid(
            "@app.after_request\ndef cors(resp):\n    resp.headers['Access-Control-Allow-Origin'] = '*'\n"
            "    resp.headers['Access-Control-Allow-Credentials'] = 'true'\n    return resp\n",
            message="literal `*`",
            span=(3, 51, 3, 54),
        ),
        # Django regexes are a list: a match-all one with credentials is reported (it used to crash).
        Invalid(
            "CORS_ALLOWED_ORIGIN_REGEXES = ['.*']\nCORS_ALLOW_CREDENTIALS = True\n",
            path="settings.py",
            message="matches every origin",
        ),
        # (travel) Flask-CORS's init_app reads CORS_* from app.config: a class loaded by from_object
        # in another module turns credentials on while the origins stay the default '*'.
        Invalid(
            "from flask import Flask\nfrom flask_cors import CORS\nfrom config import Config\n\ncors = CORS()\n\n"
            "def create_app(config_class=Config):\n    app = Flask(__name__)\n    app.config.from_object(config_class)\n"
            "    cors.init_app(app)\n    return app\n",
            path="api/app.py",
            files={"config.py": "import os\n\nclass Config:\n    SECRET_KEY = os.environ['SECRET_KEY']\n"
                                "    CORS_SUPPORTS_CREDENTIALS = True\n"},
            message="credentials",
            count=1,
            span=(10, 5, 10, 23),
        ),
        Valid(
            "from flask import Flask\nfrom flask_cors import CORS\nfrom config import Config\n\ncors = CORS()\n\n"
            "def create_app(config_class=Config):\n    app = Flask(__name__)\n    app.config.from_object(config_class)\n"
            "    cors.init_app(app)\n    return app\n",
            path="api/app.py",
            files={"config.py": "import os\n\nclass Config:\n    SECRET_KEY = os.environ['SECRET_KEY']\n"
                                "    CORS_SUPPORTS_CREDENTIALS = True\n    CORS_ORIGINS = ['https://app.example.com']\n"},
        ),
        # A Socket.IO server's policy is SIO003's, also in Python (python-engineio: credentials on by default).
        Valid("import socketio\nsio = socketio.Server(cors_allowed_origins='*')\n"),
        Valid('import { Server } from "socket.io";\nnew Server(srv, { cors: { origin: true, credentials: true } });\n',
              path="io.ts"),
        # JavaScript / TypeScript.
        Valid('import cors from "cors";\napp.use(cors({ origin: ["https://a.example", "*"], credentials: true }));\n',
                              path="app.ts"),  # the cors package: a '*' array entry matches nothing
        Invalid(
            'import cors from "cors";\napp.use(\n  cors({\n    origin: "*", // the beta\n    credentials: true,\n  }),\n);\n',
            path="app.ts",
            settings={"allowed-origins": ["https://app.example.com"]},
            fixed='import cors from "cors";\napp.use(\n  cors({\n    origin: ["https://app.example.com"], // the beta\n'
            '    credentials: true,\n  }),\n);\n',
            message="literal `*`",
        ),
        Valid('import cors from "cors";\napp.use(cors({ origin: "https://app.example.com", credentials: true }));\n', path="app.ts"),
        Valid('import cors from "cors";\napp.use(cors({ origin: "*" }));\n', path="app.ts"),
        Invalid(
            'import cors from "cors";\napp.use(cors({ origin: true, credentials: true }));\n',
            path="app.ts",
            message="echoes",
            count=1,
            span=(2, 24, 2, 28),
        ),
        Invalid(
            'const cors = require("cors");\napp.use(cors({ origin: "*", credentials: true }));\n',
            path="app.js",
            settings={"allowed-origins": ["https://app.example.com"]},
            fixed='const cors = require("cors");\napp.use(cors({ origin: ["https://app.example.com"], credentials: true }));\n',
            message="literal `*`",
        ),
        Invalid(
            "app.use((req, res, next) => {\n  res.header('Access-Control-Allow-Origin', req.headers.origin);\n"
            "  res.header('Access-Control-Allow-Credentials', 'true');\n  next();\n});\n",
            path="server.js",
            message="echoes",
        ),
        Invalid(
            'export default function handler(req, res) {\n  res.setHeader("Access-Control-Allow-Origin", "*");\n'
            '  res.setHeader("Access-Control-Allow-Credentials", "true");\n}\n',
            path="pages/api/data.js",
            message="literal `*`",
        ),
        Invalid('import cors from "@koa/cors";\napp.use(cors({ credentials: true }));\n', path="server.ts", message="echoes"),
        # Echoes by family: express through a local, fastify, koa, Node http.
        Invalid(
            "app.use((req, res, next) => {\n  const origin = req.header('Origin');\n"
            "  res.setHeader('Access-Control-Allow-Origin', origin);\n  res.setHeader('Access-Control-Allow-Credentials', 'true');\n"
            "  next();\n});\n",
            path="server.js",
            message="echoes",
            span=(3, 48, 3, 54),
        ),
        Valid(
            "app.use((req, res, next) => {\n  const origin = req.header('Origin');\n  if (whitelist.indexOf(origin) !== -1) {\n"
            "    res.setHeader('Access-Control-Allow-Origin', origin);\n    res.setHeader('Access-Control-Allow-Credentials', 'true');\n"
            "  }\n  next();\n});\n",
            path="server.js",
        ),
        Invalid(
            "fastify.addHook('onRequest', async (request, reply) => {\n"
            "  reply.header('Access-Control-Allow-Origin', request.headers.origin);\n"
            "  reply.header('Access-Control-Allow-Credentials', true);\n});\n",
            path="server.ts",
            message="echoes",
        ),
        Invalid(
            "app.use(async (ctx, next) => {\n  ctx.set('Access-Control-Allow-Origin', ctx.get('Origin'));\n"
            "  ctx.set('Access-Control-Allow-Credentials', 'true');\n  await next();\n});\n",
            path="koa.ts",
            message="echoes",
        ),
        Valid(
            "app.use(async (ctx, next) => {\n  const origin = ctx.get('Origin');\n"
            "  if (!/^https:\\/\\/[a-z]+\\.example\\.com$/.test(origin)) return next();\n"
            "  ctx.set('Access-Control-Allow-Origin', origin);\n  ctx.set('Access-Control-Allow-Credentials', 'true');\n"
            "  await next();\n});\n",
            path="koa.ts",
        ),
        Invalid(
            "require('http').createServer((req, res) => {\n  res.writeHead(200, {\n"
            "    'Access-Control-Allow-Origin': req.headers['origin'],\n    'Access-Control-Allow-Credentials': 'true',\n"
            "  });\n  res.end();\n});\n",
            path="server.js",
            message="echoes",
        ),

        # YAML: ingress-nginx annotations (credentials default to "true") and Traefik middlewares.
        Invalid(
            "metadata:\n  annotations:\n    nginx.ingress.kubernetes.io/enable-cors: 'true'\n",
            path="ingress.yaml",
            settings={"allowed-origins": ["https://app.example.com"]},
            fixed="metadata:\n  annotations:\n    nginx.ingress.kubernetes.io/enable-cors: 'true'\n    nginx.ingress.kubernetes.io/cors-allow-origin: \"https://app.example.com\"\n",
            message="ingress-nginx",
            span=(3, 5, 3, 52),
        ),
        Invalid(
            "metadata:\n  annotations:\n    nginx.ingress.kubernetes.io/enable-cors: 'true'\n    nginx.ingress.kubernetes.io/cors-allow-origin: '*'\n    nginx.ingress.kubernetes.io/cors-allow-credentials: 'true'\n",
            path="values.yaml",
            settings={"allowed-origins": ["https://a.example", "https://b.example"]},
            fixed="metadata:\n  annotations:\n    nginx.ingress.kubernetes.io/enable-cors: 'true'\n    nginx.ingress.kubernetes.io/cors-allow-origin: \"https://a.example, https://b.example\"\n    nginx.ingress.kubernetes.io/cors-allow-credentials: 'true'\n",
        ),
        Valid("metadata:\n  annotations:\n    nginx.ingress.kubernetes.io/enable-cors: 'true'\n    nginx.ingress.kubernetes.io/cors-allow-origin: https://app.example.com\n", path="ingress.yaml"),
        Valid('metadata:\n  annotations:\n    nginx.ingress.kubernetes.io/enable-cors: "false"\n', path="ingress.yaml"),
        Invalid(
            "spec:\n  headers:\n    accessControlAllowOriginList: ['*']\n    accessControlAllowCredentials: true\n",
            path="middleware.yml",
            message="traefik",
        ),
        # nginx: the credentials header is the one the same block adds (nginx takes every `add_header`
        # from the innermost block that writes any).
        Invalid(
            "server {\n    location / {\n        add_header Access-Control-Allow-Origin *;\n"
            "        add_header Access-Control-Allow-Credentials true;\n        proxy_pass http://app:5000;\n    }\n}\n",
            path="nginx.conf",
            settings={"allowed-origins": ["https://app.example.com"]},
            fixed="server {\n    location / {\n        add_header Access-Control-Allow-Origin https://app.example.com;\n"
            "        add_header Access-Control-Allow-Credentials true;\n        proxy_pass http://app:5000;\n    }\n}\n",
            message="literal `*`",
            span=(3, 48, 3, 49),
        ),
        Invalid(
            "server {\n    location / {\n        add_header Access-Control-Allow-Origin $http_origin always;\n"
            "        add_header Access-Control-Allow-Credentials true always;\n        proxy_pass http://app:5000;\n    }\n}\n",
            path="nginx.conf",
            settings={"allowed-origins": ["https://app.example.com"]},
            fixed="server {\n    location / {\n        add_header Access-Control-Allow-Origin https://app.example.com always;\n"
            "        add_header Access-Control-Allow-Credentials true always;\n        proxy_pass http://app:5000;\n    }\n}\n",
            message="echoes",
            span=(3, 48, 3, 60),
        ),
        Invalid(  # a map whose default echoes the Origin lets every origin through
            "map $http_origin $cors_origin {\n    default $http_origin;\n    \"~^https://app\\.example\\.com$\" $http_origin;\n}\n"
            "server {\n    add_header Access-Control-Allow-Origin $cors_origin;\n"
            "    add_header Access-Control-Allow-Credentials true;\n}\n",
            path="conf.d/cors.conf",
            message="echoes",
        ),
        Valid(
            "map $http_origin $cors_origin {\n    default \"\";\n    \"~^https://app\\.example\\.com$\" $http_origin;\n}\n"
            "server {\n    add_header Access-Control-Allow-Origin $cors_origin;\n"
            "    add_header Access-Control-Allow-Credentials true;\n}\n",
            path="conf.d/cors.conf",
        ),
        Valid(  # the credentials header of the server is not sent where the location adds its own headers
            "server {\n    add_header Access-Control-Allow-Credentials true;\n"
            "    location /public/ {\n        add_header Access-Control-Allow-Origin *;\n    }\n}\n",
            path="nginx.conf",
        ),
        # HOCON: Play's CORS filter (`allowedOrigins = null` or unset: every origin; `supportsCredentials`
        # defaults to true) and akka-http-cors (`allowed-origins = "*"`, `allow-credentials = yes` by default).
        Invalid(
            'play.filters.enabled += "play.filters.cors.CORSFilter"\nplay.filters.cors {\n  allowedOrigins = null\n}\n',
            path="conf/application.conf",
            settings={"allowed-origins": ["https://app.example.com"]},
            fixed='play.filters.enabled += "play.filters.cors.CORSFilter"\nplay.filters.cors {\n'
            '  allowedOrigins = ["https://app.example.com"]\n}\n',
            message="the caller's origin is reflected",
            span=(3, 20, 3, 24),
        ),
        Invalid(  # enabled and nothing configured: the new setting goes on a line of its own
            '# filters\nplay.filters.enabled += "play.filters.cors.CORSFilter"\n',
            path="conf/application.conf",
            settings={"allowed-origins": ["https://app.example.com"]},
            fixed='# filters\nplay.filters.enabled += "play.filters.cors.CORSFilter"\n'
            'play.filters.cors.allowedOrigins = ["https://app.example.com"]\n',
            span=(2, 1, 2, 55),
        ),
        Invalid(  # a "*" entry answers `*` with the credentials header: browsers refuse it
            'play {\n  filters {\n    cors {\n      allowedOrigins = ["https://admin.example.com", "*"]\n    }\n  }\n}\n',
            path="conf/application.conf",
            settings={"allowed-origins": ["https://app.example.com"]},
            fixed='play {\n  filters {\n    cors {\n      allowedOrigins = ["https://admin.example.com", "https://app.example.com"]\n'
            '    }\n  }\n}\n',
            message="literal `*`",
        ),
        Invalid(
            "akka-http-cors {\n  allowed-origins: \"*\"\n}\n",
            path="src/main/resources/application.conf",
            settings={"allowed-origins": ["https://a.example", "https://b.example"]},
            fixed="akka-http-cors {\n  allowed-origins: [\"https://a.example\", \"https://b.example\"]\n}\n",
            message="akka-http-cors",
            span=(2, 20, 2, 23),
        ),
        Invalid(  # only the credentials written: the default `*` is echoed with them
            "akka.http.cors {\n  allow-credentials = true\n  max-age = 10 minutes\n}\n",
            path="reference-app.hocon",
            settings={"allowed-origins": ["https://app.example.com"]},
            fixed="akka.http.cors {\n  allow-credentials = true\n  max-age = 10 minutes\n"
            "  allowed-origins = [\"https://app.example.com\"]\n}\n",
        ),
        Valid('play.filters.cors {\n  allowedOrigins = ["https://app.example.com"]\n}\n', path="conf/application.conf"),
        Valid("akka-http-cors {\n  allowed-origins = [\"https://app.example.com\"]\n}\n", path="src/main/resources/application.conf"),
        Valid('play.filters.cors {\n  allowedOrigins = ${?CORS_ORIGINS}\n}\n', path="conf/application.conf"),  # set at run time
    )

    def check_project(self, project) -> Iterable[Diagnostic]:
        """(travel) Each policy completed from the settings its library reads where the code leaves
        an option out (Flask-CORS ``CORS_SUPPORTS_CREDENTIALS`` in a class loaded by ``from_object``)."""
        for policy in travelled_policies(project):
            yield from self.judge(project, policy)

    def check(self, ctx) -> Iterable[Diagnostic]:
        for policy in ctx.of(CorsPolicy):
            yield from self.judge(ctx, policy)

    def judge(self, ctx, policy: CorsPolicy) -> Iterable[Diagnostic]:
        """One policy's finding; ``ctx`` gives the settings (a file's or the project's)."""
        if not credentials_on(policy) or policy.socketio_server:
            return  # a Socket.IO server's policy is SIO003's
        allowed = policy.allowed
        at = policy.source
        span = allowed.expr.span if allowed.expr is not None else policy.span
        if reflects(policy):
            yield self.report(at, span, EchoedOrigin(), echo_fix(policy, list(ctx.settings.allowed_origins)))
        elif allows_any(policy) and allowed.literal_star:
            yield self.report(at, span, LiteralStarWithCredentials(policy.label), origins_fix(ctx, policy))
        elif allows_any(policy):
            yield self.report(at, span, ReflectedStarWithCredentials(policy.label), origins_fix(ctx, policy))
        elif policy.origin_regex is not None and any(
            entry.value in BROAD_REGEXES for entry in allowed.patterns
        ):
            yield self.report(at, policy.origin_regex.span, BroadRegexWithCredentials(policy.origin_regex.text))
