from __future__ import annotations

from typing import Iterable

from authlint.diagnostics.diagnostic import Diagnostic, FixAvailability
from authlint.facts.travel import travelled_policies
from authlint.files.kinds import CODE_KINDS, HOCON, NGINX, YAML
from authlint.rule import FixOffer, Invalid, Rule, Valid, Violation, Wanted
from authlint.rules.cors.channels import CHANNEL_TRIGGERS, channel_lenders, project_channels, weighed
from authlint.rules.cors.policy import allows_any, credentials_on, origins_fix


class AnyOrigin(Violation):
    where: str  # the library or mechanism, as messages name it

    def message(self) -> str:
        return (f"CORS allows any origin ({self.where}): every website can read these responses from your "
                "users' browsers")


class CorsAnyOrigin(Rule):
    """
    ## What it does
    Finds CORS policies that allow every origin: Flask-CORS `CORS(app)` / `@cross_origin()` without
    `origins` (its default is `*`), `origins="*"`, Starlette/FastAPI `allow_origins=["*"]`, Django
    `CORS_ALLOW_ALL_ORIGINS = True`, express `cors()`, and headers set by hand in every family:
    express `res.setHeader / res.header / res.set` (also `res.set({...})`) and `res.writeHead(status,
    {...})`, fastify `reply.header`, koa `ctx.set` / `ctx.response.set`, Node `http` responses,
    response objects (`new Response(body, {headers})`, a Lambda's `{ headers }`), Flask
    `@app.after_request`, Django views and middleware classes (`response["Access-Control-Allow-Origin"]`),
    Starlette/FastAPI middleware classes and aiohttp `web.Response(headers=...)`. A hand-set header
    allows any origin when it is `*`, or when it echoes the request's Origin (`req.headers.origin`,
    `req.get('origin')`, `req.header('Origin')`, `ctx.get('Origin')`, `ctx.request.header.origin`,
    `request.headers.get("Origin")`, `request.META["HTTP_ORIGIN"]`, directly or through a local,
    also `origin || '*'`) and nothing in the function that sets it compares that origin with
    something first: `if origin in ALLOWED`, `allowed.includes(origin)`, `origin === FRONTEND`,
    `isAllowed(origin)`, `/re/.test(origin)` make it an allow-list written in code, which stays
    silent (a presence test such as `if origin:` is no check). Policies that also allow credentials
    are reported by COR002 instead.

    nginx in front of the app counts too: `add_header Access-Control-Allow-Origin *` (sent as a
    literal `*`) and `add_header Access-Control-Allow-Origin $http_origin` where no `if
    ($http_origin ~ ...)` or `map $http_origin ...` decides which origins get it (the caller's
    origin echoed back), in a `server`, `location` or `if` block.

    HOCON (`application.conf` of JVM services): Play's CORS filter when the file enables it
    (`play.filters.enabled += "play.filters.cors.CORSFilter"`) or configures it (any
    `play.filters.cors` setting), with `allowedOrigins` unset or `null` (every origin) or listing
    `"*"`; akka-http-cors (`akka-http-cors { }`, Akka HTTP's `akka.http.cors`, Pekko HTTP's
    `pekko.http.cors`) with `allowed-origins = "*"`, its default. Both allow credentials by default,
    which makes these COR002's unless `supportsCredentials` / `allow-credentials` is off.

    The severity weighs the channel that carries the project's credentials (`rules/cors/channels.py`):
    an error where the browser attaches them itself (cookies set anywhere in the project, Flask
    `session`, Flask-Login, express-session / cookie-session / cookie-parser, `req.cookies`,
    Flask-JWT-Extended `JWT_TOKEN_LOCATION` with `"cookies"`, DRF `SessionAuthentication`,
    `withCredentials: true` / `credentials: "include"` clients) or where the project shows no
    channel at all; a note (info) where every credential it shows is a bearer token that page
    script attaches (an `Authorization` header read or sent, FastAPI `HTTPBearer`, passport-jwt
    `fromAuthHeaderAsBearerToken`, express-jwt, a token kept in web storage, the Socket.IO `auth`
    payload).

    ## Why is this bad?
    Any website can read your API's responses from a visitor's browser. For a public, read-only API
    that is intended; for anything behind a login or on an intranet it leaks data across sites.

    Why the channel matters: browsers attach cookies (and HTTP authentication) by themselves, so in
    a cookie-authenticated project a wildcard sits one setting (`supports_credentials`,
    `credentials: true`, `Access-Control-Allow-Credentials`) away from COR002, the setting people
    add when the front end's cookies do not arrive; Flask-CORS, Starlette, Django and
    python-engineio then echo every origin with credentials. A bearer token, by contrast, lives in
    the page's own script state (memory, web storage of its origin) and is attached by that script:
    another site's script never holds it, so a wildcard hands it only what an anonymous caller
    could fetch. That is the documented setup of token APIs (GitHub's REST API answers
    `Access-Control-Allow-Origin: *`), hence a note rather than an error; it still deserves a look
    when the server sits behind a network perimeter (an intranet, `localhost`), where the visitor's
    browser reaches what the attacker cannot.

    ## Example
    ```python
    CORS(app)
    ```
    Use instead:
    ```python
    CORS(app, origins=["https://app.example.com"])
    ```

    Flask-CORS takes `origins` from the first place that sets it: the resource's dict in
    `resources={...}`, then the `init_app(...)` / `CORS(...)` keywords, then `app.config["CORS_ORIGINS"]`
    (also `app.config.update(CORS_ORIGINS=...)`), then its default `*`. Each resource is its own
    policy, reported (and fixed) where its origins are decided; a non-wildcard config origin is
    never reported. The app config includes the classes loaded by `app.config.from_object(...)` in
    another module of the project (an app factory's `create_app(config_class=Config)` loads its
    default): `CORS_ORIGINS = "*"` in such a class is reported where it is written, a list of real
    origins there keeps `cors.init_app(app)` silent, and `CORS_SUPPORTS_CREDENTIALS = True` there
    makes it COR002's. A setting the project writes more than once, or builds at run time, is not taken.

    ## Fix safety
    Unsafe, and only when `allowed-origins` is configured: the `*` entry (or string) at the setting
    that decides is replaced by the configured origins, or, when nothing sets the origins, the
    setting is added to the call / resource dict. Other origins listed there stay, each origin is
    written once, and a multi-line list keeps its line breaks, comments and trailing comma. It is
    unsafe because origins that used to work are refused. Display-only when `allowed-origins` is
    not configured (a placeholder list), and when settings authlint does not read may decide the
    origins (a Flask config loaded with `from_object`/`from_pyfile`, a `CORS()` / `init_app` pair
    split over two files): the edit is shown, never applied. A header set by hand (or an
    aiohttp-cors key) answers one origin: its written `*` becomes the configured origin when exactly
    one is configured (unsafe), a placeholder otherwise (display-only); with several configured
    origins, and for an echo of the request's Origin, no fix is offered, since choosing the caller's
    origin among several is an allow-list check in code that authlint does not write. nginx's
    `add_header Access-Control-Allow-Origin` is one such header: its `*`, and a bare `$http_origin`
    echo, become the one configured origin (unsafe) or a placeholder (display-only). In HOCON the
    `null` / `"*"` value becomes the configured list (`["https://app.example.com"]`), or, when
    nothing sets the origins, `allowedOrigins` / `allowed-origins` is added to the `cors { }` block
    (or as a dotted line, `play.filters.cors.allowedOrigins = [...]`, after the line that enables or
    configures it).

    ## References
    - Flask-CORS `origins` (default `*`): https://flask-cors.readthedocs.io/en/latest/api.html
    - Flask-CORS reads `CORS_*` from the app config (option precedence): https://flask-cors.readthedocs.io/en/latest/configuration.html
    - Flask `config.from_object`: https://flask.palletsprojects.com/en/stable/api/#flask.Config.from_object
    - Starlette `CORSMiddleware`: https://www.starlette.io/middleware/#corsmiddleware
    - django-cors-headers settings: https://github.com/adamchainz/django-cors-headers#configuration
    - the `cors` package (express, NestJS): https://github.com/expressjs/cors#configuration-options
    - ingress-nginx CORS annotations: https://kubernetes.github.io/ingress-nginx/user-guide/nginx-configuration/annotations/#enable-cors
    - Play CORS filter (`play.filters.cors`, `allowedOrigins` null = every origin, `supportsCredentials` default true): https://www.playframework.com/documentation/latest/CorsFilter
    - akka-http-cors `reference.conf` (`allowed-origins = "*"`, `allow-credentials = yes`): https://github.com/lomigmegard/akka-http-cors/blob/HEAD/akka-http-cors/src/main/resources/reference.conf ; Pekko HTTP `pekko.http.cors`: https://github.com/apache/pekko-http/blob/HEAD/http-cors/src/main/resources/reference.conf
    - MDN, `Access-Control-Allow-Origin`: https://developer.mozilla.org/en-US/docs/Web/HTTP/Headers/Access-Control-Allow-Origin
    - MDN, requests with credentials (cookies are attached by the browser, only with credentials mode "include"): https://developer.mozilla.org/en-US/docs/Web/HTTP/CORS#requests_with_credentials
    - Fetch standard, the CORS protocol and credentials: https://fetch.spec.whatwg.org/#cors-protocol-and-credentials
    - GitHub REST API, CORS for any origin with token authentication: https://docs.github.com/en/rest/using-the-rest-api/using-cors-and-jsonp-to-make-cross-origin-requests
    - PortSwigger, CORS vulnerabilities (reflected origins, intranets and CORS without credentials): https://portswigger.net/web-security/cors
    - express `res.set` / `res.header`: https://expressjs.com/en/api.html#res.set ; fastify `reply.header`: https://fastify.dev/docs/latest/Reference/Reply/#headerkey-value ; koa `ctx.set`: https://koajs.com/#response-set-field-value
    - Flask `after_request`: https://flask.palletsprojects.com/en/stable/api/#flask.Flask.after_request ; Django middleware: https://docs.djangoproject.com/en/stable/topics/http/middleware/
    """

    code = "COR001"
    name = "cors-any-origin"
    summary = "CORS allows any origin"
    kinds = CODE_KINDS | {HOCON, NGINX, YAML}
    # the policies' words, and those of the files that show which channel carries credentials
    triggers = ("cors", "access-control-allow-origin", "accesscontrolalloworigin", "from_object")
    lend_triggers = CHANNEL_TRIGGERS  # the credential channel, weighed only when there is a finding
    project_rule = True  # the severity weighs the credential channel the whole project uses
    fix_availability = FixAvailability.SOMETIMES
    fix_offers = (
        FixOffer.unsafe(
            "Replaces the wildcard (where the policy is really decided: a Flask-CORS resource, `init_app`, the config) with the configured `allowed-origins`, keeping the other origins: origins that used to work are refused."
        ),
        FixOffer.display_only(
            "Without `allowed-origins`, or where the policy is decided in another file (a Flask config loaded with `from_object`), suggests the change: authlint cannot know or reach the right value."
        ),
    )
    languages = "Python, JS/TS, YAML, nginx, HOCON"
    examples = (
        Valid("from flask_cors import CORS\nCORS(app, origins=['https://app.example.com'])\n"),
        Valid("from fastapi.middleware.cors import CORSMiddleware\napp.add_middleware(CORSMiddleware, allow_origins=['https://a.example'])\n"),
        Valid("CORS_ALLOWED_ORIGINS = ['https://app.example.com']\nCORS_ALLOW_ALL_ORIGINS = False\n", path="settings.py"),
        Valid("import os\nfrom flask_cors import CORS\nCORS(app, origins=os.environ['ORIGINS'].split(','))\n"),
        Invalid(
            "from flask_cors import CORS\nCORS(app)\n",
            settings={"allowed-origins": ["https://app.example.com"]},
            fixed='from flask_cors import CORS\nCORS(app, origins=["https://app.example.com"])\n',
            message="any origin",
            span=(2, 1, 2, 10),
        ),
        Invalid(
            "from fastapi.middleware.cors import CORSMiddleware\n"
            "app.add_middleware(CORSMiddleware, allow_origins=['*'], allow_methods=['*'])\n",
            settings={"allowed-origins": ["https://app.example.com"]},
            fixed="from fastapi.middleware.cors import CORSMiddleware\n"
            "app.add_middleware(CORSMiddleware, allow_origins=['https://app.example.com'], allow_methods=['*'])\n",
        ),
        Invalid(
            "INSTALLED_APPS = ['corsheaders']\nCORS_ALLOW_ALL_ORIGINS = True\n",
            path="settings.py",
            settings={"allowed-origins": ["https://app.example.com"]},
            fixed="INSTALLED_APPS = ['corsheaders']\nCORS_ALLOWED_ORIGINS = ['https://app.example.com']\n",
        ),
        Invalid(
            "from flask_cors import cross_origin\n@cross_origin(origins='*')\ndef view():\n    return 'x'\n",
            fixed="from flask_cors import cross_origin\n@cross_origin(origins='*')\ndef view():\n    return 'x'\n",
        ),
        Invalid(
            "def add_headers(response):\n    response.headers['Access-Control-Allow-Origin'] = '*'\n    return response\n",
        ),
        # (travel) the app config of cors.init_app(app) includes a class another module defines and
        # from_object loads: its CORS_ORIGINS is reported where it is written ...
        Invalid(
            "from flask import Flask\nfrom flask_cors import CORS\nfrom config import Config\n\ncors = CORS()\n\n"
            "def create_app(config_class=Config):\n    app = Flask(__name__)\n    app.config.from_object(config_class)\n"
            "    cors.init_app(app)\n    return app\n",
            path="api/app.py",
            files={"config.py": "class Config:\n    CORS_ORIGINS = '*'\n"},
            message="any origin",
            count=1,
            span=(2, 20, 2, 23),
        ),
        Valid(
            "from flask import Flask\nfrom flask_cors import CORS\nfrom config import Config\n\ncors = CORS()\n\n"
            "def create_app(config_class=Config):\n    app = Flask(__name__)\n    app.config.from_object(config_class)\n"
            "    cors.init_app(app)\n    return app\n",
            path="api/app.py",
            files={"config.py": "class Config:\n    CORS_ORIGINS = ['https://app.example.com']\n"},
        ),
        # ... and with its CORS_SUPPORTS_CREDENTIALS = True the default '*' is COR002's, not this rule's
        Valid(
            "from flask import Flask\nfrom flask_cors import CORS\nfrom config import Config\n\ncors = CORS()\n\n"
            "def create_app(config_class=Config):\n    app = Flask(__name__)\n    app.config.from_object(config_class)\n"
            "    cors.init_app(app)\n    return app\n",
            path="api/app.py",
            files={"config.py": "class Config:\n    CORS_SUPPORTS_CREDENTIALS = True\n"},
        ),
        # Flask-CORS precedence: resource dict > init_app/CORS() keywords > app.config > default `*`.
        Valid("from flask_cors import CORS\napp.config['CORS_ORIGINS'] = ['https://admin.example.com']\nCORS(app)\n"),
        Valid("from flask_cors import CORS\napp.config.update(CORS_ORIGINS=['https://admin.example.com'])\n"
              "CORS(app, resources={r'/admin/*': {}})\n"),
        Valid("from flask_cors import CORS\ncors = CORS()\n", path="extensions.py"),  # init_app decides
        Invalid(
            "from flask_cors import CORS\ncors = CORS()\n"
            "cors.init_app(app, resources={r'/api/*': {'origins': '*'}, r'/admin/*': {}}, origins=['https://a.example'])\n",
            settings={"allowed-origins": ["https://app.example.com"]},
            fixed="from flask_cors import CORS\ncors = CORS()\n"
            "cors.init_app(app, resources={r'/api/*': {'origins': ['https://app.example.com']}, r'/admin/*': {}}, "
            "origins=['https://a.example'])\n",
            count=1,
            span=(3, 54, 3, 57),
        ),
        Invalid(
            "from flask_cors import CORS\napp.config['CORS_ORIGINS'] = '*'\nCORS(app)\n",
            settings={"allowed-origins": ["https://app.example.com"]},
            fixed="from flask_cors import CORS\napp.config['CORS_ORIGINS'] = ['https://app.example.com']\nCORS(app)\n",
            span=(2, 30, 2, 33),
        ),
        Invalid(  # the config may set the origins in a file authlint does not read: shown, not applied
            "from flask_cors import CORS\napp.config.from_object('config.Production')\nCORS(app)\n",
            settings={"allowed-origins": ["https://app.example.com"]},
            fixed="from flask_cors import CORS\napp.config.from_object('config.Production')\nCORS(app)\n",
        ),
        Invalid(  # a multi-line list keeps its layout; the working origin stays
            "from flask_cors import CORS\nCORS(\n    app,\n    origins=[\n        'https://admin.example.com',  # back office\n"
            "        '*',  # everyone else\n    ],\n)\n",
            settings={"allowed-origins": ["https://app.example.com", "https://www.example.com"]},
            fixed="from flask_cors import CORS\nCORS(\n    app,\n    origins=[\n        'https://admin.example.com',  # back office\n"
            "        'https://app.example.com',  # everyone else\n        'https://www.example.com',\n    ],\n)\n",
        ),
        # Headers set by hand, by family. An echo of the request's Origin that nothing in its function
        # compares with an allow-list answers every origin; compared first, it is an allow-list in code.
        Invalid(
            "from flask import request\n\n@app.after_request\ndef cors(response):\n"
            "    origin = request.headers.get('Origin')\n    if origin:\n"
            "        response.headers['Access-Control-Allow-Origin'] = origin\n    return response\n",
            message="any origin (header)",
            span=(7, 59, 7, 65),
        ),
        Valid(
            "from flask import request\n\n@app.after_request\ndef cors(response):\n"
            "    origin = request.headers.get('Origin')\n    if origin in ALLOWED_ORIGINS:\n"
            "        response.headers['Access-Control-Allow-Origin'] = origin\n    return response\n",
        ),
        Invalid(  # a Django middleware class; one configured origin replaces the `*` (unsafe)
            "class CorsMiddleware:\n    def __init__(self, get_response):\n        self.get_response = get_response\n\n"
            "    def __call__(self, request):\n        response = self.get_response(request)\n"
            "        response['Access-Control-Allow-Origin'] = '*'\n        return response\n",
            path="middleware.py",
            settings={"allowed-origins": ["https://app.example.com"]},
            fixed="class CorsMiddleware:\n    def __init__(self, get_response):\n        self.get_response = get_response\n\n"
            "    def __call__(self, request):\n        response = self.get_response(request)\n"
            "        response['Access-Control-Allow-Origin'] = 'https://app.example.com'\n        return response\n",
        ),
        Valid(
            "class CorsMiddleware:\n    def __init__(self, get_response):\n        self.get_response = get_response\n\n"
            "    def __call__(self, request):\n        response = self.get_response(request)\n"
            "        response['Access-Control-Allow-Origin'] = 'https://app.example.com'\n        return response\n",
            path="middleware.py",
        ),
        Invalid(
            "def api(request):\n    response = JsonResponse({})\n"
            "    response['Access-Control-Allow-Origin'] = request.META.get('HTTP_ORIGIN', '*')\n    return response\n",
            path="views.py",
            message="any origin",
        ),
        Valid(
            "def api(request):\n    response = JsonResponse({})\n    origin = request.META.get('HTTP_ORIGIN')\n"
            "    if origin == settings.FRONTEND_ORIGIN:\n        response['Access-Control-Allow-Origin'] = origin\n"
            "    return response\n",
            path="views.py",
        ),
        Invalid(
            "from starlette.middleware.base import BaseHTTPMiddleware\n\nclass Cors(BaseHTTPMiddleware):\n"
            "    async def dispatch(self, request, call_next):\n        response = await call_next(request)\n"
            "        response.headers['access-control-allow-origin'] = request.headers['origin']\n        return response\n",
        ),
        Valid(
            "from starlette.middleware.base import BaseHTTPMiddleware\n\nclass Cors(BaseHTTPMiddleware):\n"
            "    async def dispatch(self, request, call_next):\n        response = await call_next(request)\n"
            "        if request.headers.get('origin') in ALLOWED:\n"
            "            response.headers['access-control-allow-origin'] = request.headers['origin']\n        return response\n",
        ),
        Invalid(  # several configured origins: one header cannot hold them, so no fix is offered
            "from aiohttp import web\n\nasync def handler(request):\n"
            "    return web.json_response({}, headers={'Access-Control-Allow-Origin': '*'})\n",
            settings={"allowed-origins": ["https://a.example", "https://b.example"]},
            fixed="from aiohttp import web\n\nasync def handler(request):\n"
            "    return web.json_response({}, headers={'Access-Control-Allow-Origin': '*'})\n",
        ),
        Valid(
            "from aiohttp import web\n\nasync def handler(request):\n"
            "    return web.json_response({}, headers={'Access-Control-Allow-Origin': 'https://a.example'})\n",
        ),
        # JavaScript / TypeScript.
        # the cors package compares array entries exactly: a '*' entry never matches anything
        Valid('import cors from "cors";\napp.use(cors({ origin: ["https://app.example.com", "*"] }));\n', path="app.mjs"),
        Invalid(
            "const cors = require('cors');\napp.use(cors({\n  origin: '*', // for now\n  maxAge: 600,\n}));\n",
            path="app.js",
            settings={"allowed-origins": ["https://app.example.com"]},
            fixed="const cors = require('cors');\napp.use(cors({\n  origin: ['https://app.example.com'], // for now\n  maxAge: 600,\n}));\n",
        ),
        Valid('import cors from "cors";\napp.use(cors({ origin: ["https://app.example.com"] }));\n', path="app.mjs"),
        Valid('const cors = require("cors");\napp.use(cors({ origin: process.env.CORS_ORIGIN }));\n', path="app.js"),
        Valid('import { Server } from "socket.io";\nnew Server(srv, { cors: { origin: "*" } });\n', path="io.ts"),  # SIO003's
        Valid("from flask_socketio import SocketIO\nsocketio = SocketIO(app, cors_allowed_origins='*', cors_credentials=False)\n"),  # SIO003's
        Invalid(
            'const cors = require("cors");\napp.use(cors());\n',
            path="app.js",
            settings={"allowed-origins": ["https://app.example.com"]},
            fixed='const cors = require("cors");\napp.use(cors({ origin: ["https://app.example.com"] }));\n',
            message="express-cors",
            count=1,
            span=(2, 9, 2, 15),
        ),
        Invalid(
            "import cors from 'cors';\napp.use(cors({ origin: '*', maxAge: 600 }));\n",
            path="app.ts",
            settings={"allowed-origins": ["https://app.example.com"]},
            fixed="import cors from 'cors';\napp.use(cors({ origin: ['https://app.example.com'], maxAge: 600 }));\n",
        ),
        Invalid(
            'const app = await NestFactory.create(AppModule);\napp.enableCors();\n',
            path="main.ts",
            fixed='const app = await NestFactory.create(AppModule);\napp.enableCors();\n',  # display-only placeholder
        ),
        Invalid('await fastify.register(import("@fastify/cors"));\n', path="server.mjs"),
        Invalid('export default function handler(req, res) {\n  res.setHeader("Access-Control-Allow-Origin", "*");\n}\n', path="pages/api/data.js"),
        # The credential channel: bearer tokens only makes the wildcard a note; any cookie keeps it an error.
        Invalid(
            "from flask_cors import CORS\nCORS(app)\n",
            path="app.py",
            files={"auth.py": "from fastapi.security import HTTPBearer\nbearer = HTTPBearer()\n"},
            message="bearer tokens, FastAPI `HTTPBearer` at auth.py:2",
        ),
        Invalid(
            "from flask_cors import CORS\nCORS(app)\n",
            path="app.py",
            files={"auth.py": "from flask import request, session\n\ndef user():\n"
                   "    return session.get('user') or request.headers.get('Authorization')\n"},
            message="every website can read these responses from your users' browsers",
        ),
        Invalid(
            'const cors = require("cors");\napp.use(cors());\n',
            path="app.js",
            files={"auth.js": "const { ExtractJwt } = require('passport-jwt');\n"
                   "module.exports = { jwtFromRequest: ExtractJwt.fromAuthHeaderAsBearerToken() };\n"},
            message="bearer tokens",
        ),
        # JavaScript / TypeScript headers set by hand, by family.
        Invalid(
            "app.use((req, res, next) => {\n  res.set({ 'Access-Control-Allow-Origin': req.get('origin') });\n  next();\n});\n",
            path="server.js",
            message="any origin (header)",
            span=(2, 44, 2, 61),
        ),
        Valid(
            "app.use((req, res, next) => {\n  const origin = req.get('origin');\n"
            "  if (ALLOWED.includes(origin)) res.set({ 'Access-Control-Allow-Origin': origin });\n  next();\n});\n",
            path="server.js",
        ),
        Invalid(
            "fastify.addHook('onSend', async (request, reply) => {\n"
            "  reply.header('Access-Control-Allow-Origin', request.headers.origin);\n});\n",
            path="server.ts",
        ),
        Valid(
            "fastify.addHook('onSend', async (request, reply) => {\n  const { origin } = request.headers;\n"
            "  if (allowedOrigins.has(origin)) reply.header('Access-Control-Allow-Origin', origin);\n});\n",
            path="server.ts",
        ),
        Invalid(
            "app.use(async (ctx, next) => {\n  ctx.set('Access-Control-Allow-Origin', ctx.get('Origin') || '*');\n  await next();\n});\n",
            path="koa.js",
        ),
        Invalid(
            "app.use(async (ctx, next) => {\n  ctx.response.set('Access-Control-Allow-Origin', ctx.request.header.origin);\n"
            "  await next();\n});\n",
            path="koa.js",
        ),
        Valid(
            "app.use(async (ctx, next) => {\n  const origin = ctx.request.header.origin;\n"
            "  ctx.response.set('Access-Control-Allow-Origin', origin === FRONTEND ? origin : FRONTEND);\n  await next();\n});\n",
            path="koa.js",
        ),
        Invalid(  # Node http; the one configured origin replaces the `*` (unsafe)
            "const http = require('http');\nhttp.createServer((req, res) => {\n"
            "  res.writeHead(200, { 'content-type': 'application/json', 'access-control-allow-origin': '*' });\n"
            "  res.end('{}');\n}).listen(8080);\n",
            path="server.js",
            settings={"allowed-origins": ["https://app.example.com"]},
            fixed="const http = require('http');\nhttp.createServer((req, res) => {\n"
            "  res.writeHead(200, { 'content-type': 'application/json', 'access-control-allow-origin': 'https://app.example.com' });\n"
            "  res.end('{}');\n}).listen(8080);\n",
        ),
        Invalid(  # a Lambda / fetch-style response object
            "export const handler = async (event) => ({\n  statusCode: 200,\n"
            "  headers: { 'Access-Control-Allow-Origin': event.headers.origin },\n  body: '{}',\n});\n",
            path="handler.mjs",
        ),
        Valid(
            "export const handler = async (event) => ({\n  statusCode: 200,\n"
            "  headers: { 'Access-Control-Allow-Origin': 'https://app.example.com' },\n  body: '{}',\n});\n",
            path="handler.mjs",
        ),
        Invalid(
            "export async function GET(request: Request) {\n"
            "  return new Response('{}', { headers: { 'Access-Control-Allow-Origin': '*' } });\n}\n",
            path="app/api/route.ts",
        ),
        # YAML: ingress-nginx annotations and Traefik middlewares.
        Invalid(
            "metadata:\n  annotations:\n    nginx.ingress.kubernetes.io/enable-cors: 'true'\n    nginx.ingress.kubernetes.io/cors-allow-credentials: 'false'\n",
            path="ingress.yaml",
            settings={"allowed-origins": ["https://app.example.com"]},
            fixed="metadata:\n  annotations:\n    nginx.ingress.kubernetes.io/enable-cors: 'true'\n    nginx.ingress.kubernetes.io/cors-allow-origin: \"https://app.example.com\"\n    nginx.ingress.kubernetes.io/cors-allow-credentials: 'false'\n",
            span=(3, 5, 3, 52),
        ),
        Invalid("spec:\n  headers:\n    accessControlAllowOriginList:\n      - '*'\n", path="middleware.yml", message="traefik"),
        Valid("spec:\n  headers:\n    accessControlAllowOriginList:\n      - https://app.example.com\n", path="middleware.yml"),
        Valid("metadata:\n  annotations:\n    nginx.ingress.kubernetes.io/enable-cors: 'true'\n    nginx.ingress.kubernetes.io/cors-allow-origin: https://app.example.com\n    nginx.ingress.kubernetes.io/cors-allow-credentials: 'false'\n", path="ingress.yaml"),
        # nginx: `add_header Access-Control-Allow-Origin` in a server, location or `if` block.
        Invalid(  # `*` answers one origin: the one configured origin takes its place (unsafe)
            "server {\n    location /api/ {\n        add_header Access-Control-Allow-Origin * always;\n"
            "        proxy_pass http://app:5000;\n    }\n}\n",
            path="nginx.conf",
            settings={"allowed-origins": ["https://app.example.com"]},
            fixed="server {\n    location /api/ {\n        add_header Access-Control-Allow-Origin https://app.example.com always;\n"
            "        proxy_pass http://app:5000;\n    }\n}\n",
            message="any origin (nginx)",
            span=(3, 48, 3, 49),
        ),
        Invalid(  # the request's Origin echoed without an `if` or `map` checking it
            "server {\n    add_header Access-Control-Allow-Origin $http_origin;\n"
            "    location / { proxy_pass http://127.0.0.1:8000; }\n}\n",
            path="sites-enabled/api.conf",
            message="any origin (nginx)",
            span=(2, 44, 2, 56),
        ),
        Valid(
            "server {\n    location / {\n        if ($http_origin ~* \"^https://(app|admin)\\.example\\.com$\") {\n"
            "            add_header Access-Control-Allow-Origin $http_origin;\n        }\n"
            "        proxy_pass http://app:5000;\n    }\n}\n",
            path="nginx.conf",
        ),
        Valid(
            "server {\n    location / {\n        add_header Access-Control-Allow-Origin https://app.example.com;\n"
            "        proxy_pass http://app:5000;\n    }\n}\n",
            path="conf.d/app.conf",
        ),
        # HOCON: Play's CORS filter and akka-http-cors in `application.conf` (credentials switched off
        # here: with them on, their default, COR002 reports instead).
        Invalid(
            'play.filters.enabled += "play.filters.cors.CORSFilter"\nplay.filters.cors {\n  supportsCredentials = false\n}\n',
            path="conf/application.conf",
            settings={"allowed-origins": ["https://app.example.com"]},
            fixed='play.filters.enabled += "play.filters.cors.CORSFilter"\nplay.filters.cors {\n  supportsCredentials = false\n'
            '  allowedOrigins = ["https://app.example.com"]\n}\n',
            message="play-cors",
            span=(2, 1, 2, 18),
        ),
        Invalid(
            "akka-http-cors {\n  allowed-origins = \"*\"  # for now\n  allow-credentials = no\n}\n",
            path="src/main/resources/application.conf",
            settings={"allowed-origins": ["https://app.example.com"]},
            fixed="akka-http-cors {\n  allowed-origins = [\"https://app.example.com\"]  # for now\n  allow-credentials = no\n}\n",
            message="akka-http-cors",
            span=(2, 21, 2, 24),
        ),
        Invalid(  # without `allowed-origins` configured the list is a placeholder, shown, never applied
            "pekko.http.cors.allow-credentials = off\n",
            path="service.hocon",
            fixed="pekko.http.cors.allow-credentials = off\n",
        ),
        Valid('play.filters.cors {\n  allowedOrigins = ["https://app.example.com"]\n  supportsCredentials = false\n}\n',
              path="conf/application.conf"),
        # Play runs no CORS filter unless it is enabled: a config that neither enables nor configures it is silent
        Valid('play.filters.enabled += "play.filters.csrf.CSRFFilter"\nplay.http.secret.key = ${?APP_SECRET}\n',
              path="conf/application.conf"),
        Valid('play.filters.disabled += "play.filters.cors.CORSFilter"\nplay.filters.cors.supportsCredentials = false\n',
              path="conf/application.conf"),
    )

    def lenders_wanted(self, project) -> Wanted:
        return channel_lenders(self, project)

    def check_project(self, project) -> Iterable[Diagnostic]:
        channels = None
        for policy in travelled_policies(project):  # (travel) completed from settings written elsewhere
            if not allows_any(policy) or credentials_on(policy) or policy.socketio_server:
                continue  # with credentials COR002 reports it; a Socket.IO server's policy is SIO003's
            if channels is None:
                channels = project_channels(project.facts)
            expr = policy.allowed.expr
            span = expr.span if expr is not None else policy.span
            violation, severity = weighed(AnyOrigin(policy.label), channels)
            yield self.report(policy.source, span, violation, origins_fix(project, policy), severity=severity)
