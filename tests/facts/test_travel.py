"""Values that travel: ``ModuleValues`` per file (Python and JS/TS) and their join in the project
phase (``facts.travel``), from facts alone."""

from __future__ import annotations

from authlint.facts.javascript.modules import imported_module, module_name
from authlint.facts.model import JwtMint, JwtVerify, ModuleValues
from authlint.facts.python.modules import package_of
from authlint.facts.travel import Travel
from authlint.files.classify import classify
from authlint.files.source import Source
from authlint.run.context import FileContext, Project


def project(files: dict[str, str]) -> Project:
    contexts = [FileContext(Source.from_text(text, relpath, classify(relpath, text.encode()) or "python"))
                for relpath, text in files.items()]
    return Project(contexts)


def offered(relpath: str, text: str) -> ModuleValues | None:
    found = list(project({relpath: text}).facts(ModuleValues))
    return found[0] if found else None


def followed(files: dict[str, str], kind=JwtMint) -> list[tuple[str, str, object]]:
    """(name, where, value or ref) of what each key of ``kind`` reads elsewhere."""
    built = project(files)
    travel = Travel.of(built)
    out = []
    for fact in built.facts(kind):
        for definition in travel.follow(fact.key, fact):
            expr = definition.expr
            out.append((definition.name, definition.where, expr.value if expr.known else expr.ref))
    return out


# -- Python: what a module offers ------------------------------------------------------------------

def test_python_module_offers_reads_and_secret_literals_only() -> None:
    fact = offered("app/config.py", "import os\nJWT_SECRET = os.getenv('JWT_SECRET', 'dev')\nSECRET_KEY = 'random'\n"
                                    "TIMEOUT = 30\nNAME = 'service'\nPASSWORD = ''\n")
    assert fact is not None and fact.module == "app.config"
    assert set(fact.values) == {"JWT_SECRET", "SECRET_KEY"}
    assert fact.values["JWT_SECRET"].ref == "env:JWT_SECRET" and fact.values["JWT_SECRET"].fallback == "dev"


def test_python_module_with_nothing_to_offer_has_no_fact() -> None:
    assert offered("app/util.py", "import math\nTIMEOUT = 30\n") is None


def test_python_class_attributes_bases_and_from_object() -> None:
    fact = offered("app/config.py", "import os\nclass Config:\n    SECRET_KEY = os.environ['SECRET_KEY']\n"
                                    "class Dev(Config):\n    SECRET_KEY = 'dev-key'\nclass Prod(Config):\n    DEBUG = False\n")
    assert fact is not None
    assert set(fact.values) == {"Config.SECRET_KEY", "Dev.SECRET_KEY"}
    assert fact.bases == {"Dev": ["Config"], "Prod": ["Config"]}
    loader = offered("app/__init__.py", "from flask import Flask\nfrom .config import Prod\napp = Flask(__name__)\n"
                                        "app.config.from_object(Prod)\napp.config.from_object('app.config.Dev')\n"
                                        "app.secret_key = 'flask-session-key'\n")
    assert loader is not None and loader.loads == ["app.config.Prod", "app.config.Dev"]
    assert [e.value for e in loader.settings["SECRET_KEY"]] == ["flask-session-key"]


def test_python_flask_config_writes_are_settings() -> None:
    fact = offered("app.py", "import os\nfrom flask import Flask\napp = Flask(__name__)\n"
                             "def create():\n    app.config['JWT_SECRET'] = 'dev'\n"
                             "    app.config.update(API_TOKEN=os.environ['API_TOKEN'], PORT=80)\n")
    assert fact is not None
    assert [e.value for e in fact.settings["JWT_SECRET"]] == ["dev"]
    assert [e.ref for e in fact.settings["API_TOKEN"]] == ["env:API_TOKEN"]
    assert "PORT" not in fact.settings


def test_python_django_settings_module_and_pydantic_defaults() -> None:
    django = offered("proj/settings/base.py", "SECRET_KEY = 'django-insecure-x'\nDEBUG = True\n")
    assert django is not None and [e.value for e in django.settings["SECRET_KEY"]] == ["django-insecure-x"]
    assert offered("proj/views.py", "SECRET_KEY = 'x-y-z-w'\n").settings == {}  # type: ignore[union-attr]
    pydantic = offered("app/core/config.py", "from pydantic import Field\nfrom pydantic_settings import BaseSettings\n"
                                             "class Settings(BaseSettings):\n    jwt_secret: str = 'changeme'\n"
                                             "    api_key: str = Field(default='abc-def')\n    jwt_required: str\n")
    assert pydantic is not None
    secret = pydantic.settings["jwt_secret"][0]
    assert secret.ref == "settings:jwt_secret" and secret.fallback == "changeme" and not secret.known
    assert pydantic.settings["api_key"][0].fallback == "abc-def"
    assert "jwt_required" not in pydantic.settings


def test_python_relative_imports_resolve_against_the_package() -> None:
    assert package_of("app/auth/api.py", 1) == "app.auth"
    assert package_of("app/auth/api.py", 2) == "app"
    assert package_of("app/auth/__init__.py", 1) == "app.auth"
    assert package_of("api.py", 2) is None
    mint = list(project({"app/auth/api.py": "import jwt\nfrom ..config import KEY as K\nt = jwt.encode(p, K)\n"})
                .facts(JwtMint))[0]
    assert mint.key is not None and mint.key.imported == "app.config.KEY"


# -- JS/TS: what a module offers -------------------------------------------------------------------

def test_js_module_names_and_specifiers() -> None:
    assert module_name("src/config.ts") == "src/config"
    assert module_name("src/config/index.js") == "src/config"
    assert module_name("types.d.ts") == "types"
    assert imported_module("src/auth/mint.ts", "../config") == "src/config"
    assert imported_module("src/auth/mint.ts", "./keys.js") == "src/auth/keys"
    assert imported_module("mint.ts", "../outside") is None  # leaves the project
    assert imported_module("src/mint.ts", "jsonwebtoken") is None  # a package


def test_js_module_offers_constants_objects_and_exports() -> None:
    fact = offered("src/config.ts", 'export const ENV = {\n  JWT_SECRET: process.env.JWT_SECRET || "dev",\n  PORT: 3000,\n};\n'
                                    'export const API_TOKEN = "tok-123";\nconst LABEL = "x";\n')
    assert fact is not None and fact.module == "src/config"
    assert set(fact.values) == {"ENV.JWT_SECRET", "API_TOKEN"}
    cjs = offered("keys.js", 'const SECRET = process.env.S;\nmodule.exports = { SECRET, jwtSecret: "abc-def", port: 1 };\n'
                             'exports.PASSWORD = process.env.PW;\n')
    assert cjs is not None and set(cjs.values) >= {"SECRET", "jwtSecret", "PASSWORD"} and "port" not in cjs.values
    again = offered("src/index.ts", 'export { JWT_SECRET as SECRET } from "./config";\nexport { x } from "lodash";\n')
    assert again is not None and again.values["SECRET"].imported == "src/config:JWT_SECRET" and "x" not in again.values


# -- the join ---------------------------------------------------------------------------------------

def test_flask_from_object_in_another_module_reaches_current_app_config() -> None:
    files = {
        "app/__init__.py": "from flask import Flask\nfrom .config import Prod\napp = Flask(__name__)\napp.config.from_object(Prod)\n",
        "app/config.py": "class Base:\n    SECRET_KEY = 'random'\nclass Prod(Base):\n    DEBUG = False\n",
        "app/auth.py": "import jwt\nfrom flask import current_app\ndef mint(p):\n"
                       "    return jwt.encode(p, current_app.config['SECRET_KEY'])\n",
    }
    assert followed(files) == [("Base.SECRET_KEY", "app/config.py:2", "random")]


def test_settings_not_written_in_the_project_lead_nowhere() -> None:
    files = {"api.py": "import jwt\nfrom django.conf import settings\nt = jwt.encode(p, settings.SECRET_KEY)\n"}
    assert followed(files) == []


def test_imports_through_module_attributes_and_re_exports() -> None:
    files = {
        "pkg/config.py": "import os\nJWT_SECRET = os.environ['JWT_SECRET']\n",
        "pkg/keys.py": "from .config import JWT_SECRET\n",
        "pkg/auth.py": "import jwt\nfrom pkg import keys\nt = jwt.encode(p, keys.JWT_SECRET)\n",
    }
    assert followed(files) == [("JWT_SECRET", "pkg/config.py:2", "env:JWT_SECRET")]


def test_a_package_under_src_is_found_by_its_import_name() -> None:
    files = {
        "src/app/config.py": "JWT_SECRET = 'committed-secret'\n",
        "src/app/auth.py": "import jwt\nfrom app.config import JWT_SECRET\nt = jwt.encode(p, JWT_SECRET)\n",
    }
    assert followed(files) == [("JWT_SECRET", "src/app/config.py:1", "committed-secret")]


def test_an_ambiguous_module_is_not_followed() -> None:
    files = {
        "a/app/config.py": "JWT_SECRET = 'one-secret'\n",
        "b/app/config.py": "JWT_SECRET = 'two-secret'\n",
        "svc/auth.py": "import jwt\nfrom app.config import JWT_SECRET\nt = jwt.encode(p, JWT_SECRET)\n",
    }
    assert followed(files) == []


def test_a_rebound_name_is_not_the_imported_one() -> None:
    files = {
        "pkg/config.py": "JWT_SECRET = 'committed-secret'\n",
        "pkg/auth.py": "import jwt\nfrom .config import JWT_SECRET\ndef mint(p, JWT_SECRET):\n    return jwt.encode(p, JWT_SECRET)\n",
    }
    assert followed(files) == []


def test_js_imports_follow_object_properties_and_requires() -> None:
    files = {
        "src/config.ts": 'export const ENV = { JWT_SECRET: process.env.JWT_SECRET || "dev-secret" };\n',
        "src/verify.ts": 'import jwt from "jsonwebtoken";\nimport * as config from "./config";\n'
                         'export const check = (t: string) => jwt.verify(t, config.ENV.JWT_SECRET, { algorithms: ["HS256"] });\n',
        "lib/use.js": 'const jwt = require("jsonwebtoken");\nconst key = require("../src/config").ENV.JWT_SECRET;\n'
                      'jwt.verify(t, key, { algorithms: ["HS256"] });\n',
    }
    assert followed(files, JwtVerify) == [("ENV.JWT_SECRET", "src/config.ts:1", "env:JWT_SECRET")] * 2


def test_python_and_js_modules_never_meet() -> None:
    files = {
        "config.js": 'exports.JWT_SECRET = "from-javascript";\n',
        "auth.py": "import jwt\nfrom config import JWT_SECRET\nt = jwt.encode(p, JWT_SECRET)\n",
    }
    assert followed(files) == []


# -- Socket.IO servers shared between modules --------------------------------------------------------

ADDON = "from flask_socketio import SocketIO\nsio = SocketIO()\n"


def findings(files: dict[str, str], code: str) -> list[tuple[str, int, str]]:
    from authlint.testing import lint_files

    result = lint_files(files, select=[code])
    assert not result.errors, result.errors
    return [(d.path, d.start[0], d.message) for d in result.diagnostics if d.code == code]


def test_init_app_on_a_server_made_in_another_module_sets_its_origins_here() -> None:
    app = "from flask import Flask\nfrom .addon import sio\napp = Flask(__name__)\nsio.init_app(app, cors_allowed_origins='*')\n"
    found = findings({"pkg/addon.py": ADDON, "pkg/app.py": app}, "SIO003")
    assert [(path, line) for path, line, _ in found] == [("pkg/app.py", 4)]
    twin = app.replace("'*'", "['https://app.example.com']")
    assert findings({"pkg/addon.py": ADDON, "pkg/app.py": twin}, "SIO003") == []


def test_init_app_of_a_library_object_is_no_socketio_server() -> None:
    app = "from flask import Flask\nfrom .extensions import db\napp = Flask(__name__)\ndb.init_app(app)\n"
    assert findings({"pkg/extensions.py": "db = SQLAlchemy()\n", "pkg/app.py": app}, "SIO003") == []
    facts = list(project({"pkg/app.py": app}).facts(ModuleValues))
    assert all(not fact.servers for fact in facts)


def test_a_server_module_names_its_servers_for_other_modules() -> None:
    fact = offered("pkg/addon.py", ADDON)
    assert fact is not None and set(fact.servers) == {"sio"}


def test_connect_handler_on_an_imported_server_is_joined_to_it() -> None:
    from authlint.facts.model import ForeignConnectHandler

    events = "from .addon import sio\n\n@sio.on('connect')\ndef connect(auth):\n    print('hi')\n"
    built = project({"pkg/addon.py": ADDON, "pkg/events.py": events})
    (handler,) = built.facts(ForeignConnectHandler)
    assert handler.server == "pkg.addon.sio" and not handler.handler.reads and handler.handler.takes_auth
    assert Travel.of(built).server(handler, handler.server) == ("pkg/addon.py", ADDON.index("SocketIO()"))


def test_js_middleware_exported_by_another_module_is_read_there() -> None:
    from authlint.facts.model import SocketIOServer

    middleware = ('export const authenticate = (socket, next) => {\n'
                  '  if (!check(socket.handshake.query.token)) return next(new Error("no"));\n  next();\n};\n')
    server = ('import { Server } from "socket.io";\nimport { authenticate } from "./auth";\n'
              'const io = new Server(3000);\nio.use(authenticate);\n')
    built = project({"src/auth.ts": middleware, "src/server.ts": server})
    (io,) = built.facts(SocketIOServer)
    (opaque,) = io.handlers
    assert opaque.opaque and opaque.imported == "src/auth:authenticate"
    found = Travel.of(built).handler(io, opaque.imported)
    assert found is not None
    handler, source = found
    assert source.relpath == "src/auth.ts" and handler.refuses
    assert [(read.channel, read.key) for read in handler.reads] == [("query", "token")]


# -- Python: app factories load their parameter's default class (travel2) --------------------------

def test_python_factory_parameter_default_is_the_loaded_class() -> None:
    fact = offered("api/app.py", "from flask import Flask\nfrom config import Config\n\n"
                                 "def create_app(config_class=Config):\n    app = Flask(__name__)\n"
                                 "    app.config.from_object(config_class)\n    return app\n")
    assert fact is not None and fact.loads == ["config.Config"]
    keyword_only = offered("api/app.py", "from flask import Flask\n\n"
                                         "def create_app(*, cfg='api.settings.Prod'):\n    app = Flask(__name__)\n"
                                         "    app.config.from_object(cfg)\n")
    assert keyword_only is not None and keyword_only.loads == ["api.settings.Prod"]


def test_python_factory_parameter_without_default_names_no_class_of_the_project() -> None:
    fact = offered("api/app.py", "from flask import Flask\n\ndef create_app(config_class):\n"
                                 "    app = Flask(__name__)\n    app.config.from_object(config_class)\n")
    assert fact is not None and fact.loads == ["api.app.config_class"]
    built = project({"api/app.py": "from flask import Flask\n\ndef create_app(config_class):\n"
                                   "    app = Flask(__name__)\n    app.config.from_object(config_class)\n",
                     "api/config.py": "import os\nclass Config:\n    SECRET_KEY = os.environ.get('SECRET_KEY', 'dev')\n"})
    assert Travel.of(built).setting("python", "SECRET_KEY") == []


def test_python_setting_from_a_factory_loaded_class_with_an_environment_fallback() -> None:
    found = followed({
        "api/models.py": "import jwt\nfrom flask import current_app\n\ndef mint(p):\n"
                         "    return jwt.encode(p, current_app.config['SECRET_KEY'], algorithm='HS256')\n",
        "api/app.py": "from flask import Flask\nfrom config import Config\n\ndef create_app(config_class=Config):\n"
                      "    app = Flask(__name__)\n    app.config.from_object(config_class)\n    return app\n",
        "config.py": "import os\n\nclass Config:\n    SECRET_KEY = os.environ.get('SECRET_KEY', 'top-secret!')\n",
    })
    assert found == [("Config.SECRET_KEY", "config.py:4", "env:SECRET_KEY")]


# -- Flask-CORS policies completed from settings that travel (travel2) ------------------------------

FACTORY = ("from flask import Flask\nfrom flask_cors import CORS\nfrom config import Config\n\ncors = CORS()\n\n"
           "def create_app(config_class=Config):\n    app = Flask(__name__)\n    app.config.from_object(config_class)\n"
           "    cors.init_app(app)\n    return app\n")


def _policies(files: dict[str, str]):
    from authlint.facts.model import CorsPolicy
    from authlint.facts.travel import travelled_policies

    built = project(files)
    return list(built.facts(CorsPolicy)), travelled_policies(built)


def test_flask_cors_policy_names_the_settings_it_leaves_to_the_app_config() -> None:
    (bare,), _ = _policies({"api/app.py": FACTORY})
    assert bare.reads_settings == {"origins": "CORS_ORIGINS", "credentials": "CORS_SUPPORTS_CREDENTIALS"}
    (written,), _ = _policies({"api/app.py": FACTORY.replace("cors.init_app(app)",
                                                            "cors.init_app(app, origins=['https://a.example'])")})
    assert written.reads_settings == {"credentials": "CORS_SUPPORTS_CREDENTIALS"}


def test_config_class_offers_flask_cors_literals_only() -> None:
    fact = offered("config.py", "import os\nclass Config:\n    CORS_SUPPORTS_CREDENTIALS = True\n"
                                "    CORS_ORIGINS = ['https://a.example']\n    CORS_RESOURCES = build()\n    DEBUG = True\n")
    assert fact is not None
    assert fact.values["Config.CORS_SUPPORTS_CREDENTIALS"].value is True
    assert fact.values["Config.CORS_ORIGINS"].value == ["https://a.example"]
    assert "Config.CORS_RESOURCES" not in fact.values and "Config.DEBUG" not in fact.values


def test_travelled_credentials_complete_the_policy_where_it_is_made() -> None:
    (bare,), (completed,) = _policies({"api/app.py": FACTORY,
                                       "config.py": "class Config:\n    CORS_SUPPORTS_CREDENTIALS = True\n"})
    assert bare.allows_credentials is False and bare.credentials_default
    assert completed.allows_credentials is True and not completed.credentials_default
    assert completed.source.relpath == "api/app.py" and completed.span == bare.span
    assert completed.allowed.kind == "any" and completed.allowed.default


def test_travelled_origins_move_the_policy_to_where_they_are_written() -> None:
    _, (completed,) = _policies({"api/app.py": FACTORY,
                                 "config.py": "class Config:\n    CORS_ORIGINS = ['https://a.example']\n"})
    assert completed.source.relpath == "config.py"
    assert completed.allowed.kind != "any" and [e.value for e in completed.allowed.entries] == ["https://a.example"]
    assert completed.allows_credentials is False


def test_settings_written_twice_or_not_loaded_leave_the_policy_as_it_is() -> None:
    _, (twice,) = _policies({"api/app.py": FACTORY,
                             "config.py": "class Config:\n    CORS_SUPPORTS_CREDENTIALS = True\n"
                                          "class Dev(Config):\n    CORS_SUPPORTS_CREDENTIALS = False\n",
                             "api/wsgi.py": "from flask import Flask\napp = Flask(__name__)\napp.config.from_object('config.Dev')\n"})
    assert twice.allows_credentials is False and twice.reads_settings
    _, (unloaded,) = _policies({"api/app.py": FACTORY.replace("config_class=Config", "config_class"),
                                "config.py": "class Config:\n    CORS_SUPPORTS_CREDENTIALS = True\n"})
    assert unloaded.allows_credentials is False
