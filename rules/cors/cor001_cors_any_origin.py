from __future__ import annotations

from typing import Iterable

from authlint.diagnostics.diagnostic import Diagnostic, FixAvailability
from authlint.facts.model import CorsPolicy
from authlint.files.kinds import CODE_KINDS, YAML
from authlint.rule import FixOffer, Invalid, Rule, Valid, Violation
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
    `CORS_ALLOW_ALL_ORIGINS = True`, a hand-set `Access-Control-Allow-Origin: *`, express `cors()`.
    Policies that also allow credentials are reported by COR002 instead.

    ## Why is this bad?
    Any website can read your API's responses from a visitor's browser. For a public, read-only API
    that is intended; for anything behind a login or on an intranet it leaks data across sites.

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
    never reported.

    ## Fix safety
    Unsafe, and only when `allowed-origins` is configured: the `*` entry (or string) at the setting
    that decides is replaced by the configured origins, or, when nothing sets the origins, the
    setting is added to the call / resource dict. Other origins listed there stay, each origin is
    written once, and a multi-line list keeps its line breaks, comments and trailing comma. It is
    unsafe because origins that used to work are refused. Display-only when `allowed-origins` is
    not configured (a placeholder list), and when settings authlint does not read may decide the
    origins (a Flask config loaded with `from_object`/`from_pyfile`, a `CORS()` / `init_app` pair
    split over two files): the edit is shown, never applied.

    ## References
    - Flask-CORS `origins` (default `*`): https://flask-cors.readthedocs.io/en/latest/api.html
    - Starlette `CORSMiddleware`: https://www.starlette.io/middleware/#corsmiddleware
    - django-cors-headers settings: https://github.com/adamchainz/django-cors-headers#configuration
    - the `cors` package (express, NestJS): https://github.com/expressjs/cors#configuration-options
    - ingress-nginx CORS annotations: https://kubernetes.github.io/ingress-nginx/user-guide/nginx-configuration/annotations/#enable-cors
    - MDN, `Access-Control-Allow-Origin`: https://developer.mozilla.org/en-US/docs/Web/HTTP/Headers/Access-Control-Allow-Origin
    """

    code = "COR001"
    name = "cors-any-origin"
    summary = "CORS allows any origin"
    kinds = CODE_KINDS | {YAML}
    triggers = ("cors", "access-control-allow-origin", "accesscontrolalloworigin")
    fix_availability = FixAvailability.SOMETIMES
    fix_offers = (
        FixOffer.unsafe(
            "Replaces the wildcard (where the policy is really decided: a Flask-CORS resource, `init_app`, the config) with the configured `allowed-origins`, keeping the other origins: origins that used to work are refused."
        ),
        FixOffer.display_only(
            "Without `allowed-origins`, or where the policy is decided in another file (a Flask config loaded with `from_object`), suggests the change: authlint cannot know or reach the right value."
        ),
    )
    languages = "Python, JS/TS, YAML"
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
    )

    def check(self, ctx) -> Iterable[Diagnostic]:
        for policy in ctx.of(CorsPolicy):
            if not allows_any(policy) or credentials_on(policy) or policy.socketio_server:
                continue  # with credentials COR002 reports it; a Socket.IO server's policy is SIO003's
            expr = policy.allowed.expr
            span = expr.span if expr is not None else policy.span
            yield self.report(ctx, span, AnyOrigin(policy.label), origins_fix(ctx, policy))
