from __future__ import annotations

import re
from typing import Iterable, Iterator

from authlint.diagnostics.diagnostic import Diagnostic
from authlint.diagnostics.mask import Masked
from authlint.facts.environment import Environments, Given, key_variable
from authlint.facts.model import VERIFY, EnvBlock, Expr, JwtConfig, JwtMint, JwtVerify
from authlint.facts.secrets.dotenv import env_secret_name
from authlint.facts.travel import TRAVEL_TRIGGERS, Travel
from authlint.files.kinds import CODE_KINDS, DOTENV, YAML
from authlint.files.source import Span
from authlint.rule import Invalid, Rule, RuleOption, Valid, Violation, Wanted
from authlint.rules import kit
from authlint.rules.jwt.key_lenders import key_lenders

# `process.env.X || "literal"` / `?? 'literal'` at the end of a JS key expression.
FALLBACK = re.compile(r"""(?:\|\||\?\?)\s*((["'`])([^"'`$\\]*)\2)\s*$""")
KEY_SETTINGS = ("JWT_SECRET_KEY", "JWT_PRIVATE_KEY", "SIGNING_KEY")
# the settings a mint that signs with framework settings reads its HMAC key from, in order, by the
# library that checks its tokens: Flask-JWT-Extended takes Flask's ``SECRET_KEY`` when
# ``JWT_SECRET_KEY`` is unset (``flask_jwt_extended/config.py``, ``_secret_key``)
SETTINGS_KEYS = {"Flask-JWT-Extended": ("JWT_SECRET_KEY", "SECRET_KEY")}
ASYMMETRIC = ("RS", "ES", "PS", "ED")


class EnvFallback(Violation):
    """An env/settings read that falls back to a literal key (``os.getenv("K", "dev")``)."""

    where: str  # "signing key" or the setting's name in backticks
    shown: Masked  # the fallback (masked when the violation is made)
    variable: str

    def message(self) -> str:
        return (f"{self.where} falls back to the hard-coded `{self.shown}` when `{self.variable}` is unset: a "
                "deployment that forgets the variable signs with a key everyone can read")


class JsFallback(Violation):
    """``process.env.JWT_SECRET || "dev-secret"``."""

    shown: Masked
    variable: str

    def message(self) -> str:
        return (f"signing key falls back to the hard-coded `{self.shown}` when {self.variable} is unset: a deployment "
                "that forgets the variable signs with a published secret")


class PrivateKeyInCode(Violation):
    where: str

    def message(self) -> str:
        return (f"{self.where} is a private key written into the code: anyone with the repository can sign tokens; "
                "load it from a secret store")


class ShortSecret(Violation):
    where: str
    shown: Masked
    size: int
    minimum: int

    def message(self) -> str:
        return (f"{self.where} `{self.shown}` is hard-coded and only {self.size} bytes (HMAC needs at least "
                f"{self.minimum}): it can be brute-forced from one token")


class HardcodedSecret(Violation):
    where: str
    shown: Masked

    def message(self) -> str:
        return (f"{self.where} `{self.shown}` is hard-coded: anyone with the repository can mint tokens; read it "
                "from the environment or a secret store")


class EnvValue(Violation):
    """A weak or published value a deployment file gives the variable a signing key is read from."""

    variable: str
    shown: Masked
    problem: str  # "only 6 bytes (HMAC needs at least 32)", "a published placeholder", ...
    use: str  # "auth/app.py:3 signs tokens"
    more: int = 0  # other places that read it

    def message(self) -> str:
        others = f" (and {self.more} more)" if self.more else ""
        return (f"`{self.variable}` is given `{self.shown}` here ({self.problem}), and {self.use}{others} "
                "with it: whoever reads this file or guesses the value can mint tokens; set a long random value "
                "kept out of the repository")


# Values from JWT tutorials, README files and framework templates (lower-cased): a key anyone can
# look up, however long. jwt.io's debugger shows ``your-256-bit-secret``.
PUBLISHED = frozenset(
    """secret secretkey secret_key secret-key jwt_secret jwt-secret jwtsecret mysecret my_secret my-secret
    supersecret super_secret super-secret topsecret changeme change_me change-me changeit password
    your-256-bit-secret your-secret-key your_secret_key yoursecretkey your-secret your_jwt_secret
    your-jwt-secret secretorprivatekey shhhhh shhhhhhared-secret keyboard-cat keyboard_cat test dev
    development default example""".split()
)
# placeholder words: a value built of them is meant to be replaced, and rarely is
PLACEHOLDER = re.compile(
    r"change[-_ ]?(?:me|this|it|in[-_ ]production)|replace[-_ ]?(?:me|this|with)|your[-_ ]?(?:own[-_ ]?)?(?:super[-_ ]?)?"
    r"(?:jwt[-_ ]?)?(?:secret|key)|placeholder|not[-_ ]?(?:so[-_ ]?)?secure|insecure|do[-_ ]?not[-_ ]?use|"
    r"example[-_ ]?(?:secret|key)|secret[-_ ]?goes[-_ ]?here|put[-_ ]?your",
    re.IGNORECASE,
)


def weakness(value: str, minimum: int, asymmetric: bool) -> str | None:
    """Why an environment value is no key to sign with, or None when nothing says it is weak."""
    if "PRIVATE KEY" in value:
        return "a private key written into a deployment file"
    if asymmetric:
        return None
    if value.strip().lower() in PUBLISHED or PLACEHOLDER.search(value):
        return "a published placeholder"
    size = len(value.encode("utf-8"))
    if size < minimum:
        return f"only {size} bytes, HMAC needs at least {minimum}"
    return None


def _algorithms(fact: JwtMint | JwtVerify) -> list[str]:
    if isinstance(fact, JwtMint):
        expr = fact.algorithm
        return [expr.value] if expr is not None and isinstance(expr.value, str) else []
    expr = fact.algorithms
    if expr is None or not expr.known:
        return []
    values = expr.value if isinstance(expr.value, list) else [expr.value]
    return [v for v in values if isinstance(v, str)]


class WeakSecret(Rule):
    """
    ## What it does
    Finds JWT signing keys written into the code (PyJWT `encode`/`decode` keys, including constants
    followed to their literal, Flask-JWT-Extended `JWT_SECRET_KEY`, SimpleJWT `SIGNING_KEY`),
    especially HMAC secrets shorter than `min-key-bytes` (default 32) and private keys in PEM form.
    Keys read from the environment or settings are fine unless they fall back to a literal
    (`os.getenv("JWT_SECRET", "dev")`); public keys are fine.

    It also reads the values deployment files give those variables: Compose `environment` and
    `env_file`, Kubernetes container `env` (`value:`; `valueFrom` is no literal), and `.env`
    files (`.env`, `.env.*`, `*.env`; templates such as `.env.example` are left out). A value that
    is a published placeholder (`secret`, `changeme`, `your-256-bit-secret`, …), shorter than
    `min-key-bytes` for an HMAC key, or a private key, given to a variable the code signs or
    verifies with, is reported where the value is written, naming the code that reads it. Which
    code a value reaches: a Compose service runs the code under its `build` context; a Kubernetes
    container the code of the Compose service building its image, or of the one folder named like
    the image; a `.env` file the code under its folder; a project with a single deployable, all
    its code. `${VAR}` interpolation is not expanded (such a value is not a literal).

    Keys are followed across the modules of the project: `from .config import JWT_SECRET`,
    `ENV.JWT_SECRET` imported from `./config`, Flask `app.config["JWT_SECRET"]` /
    `current_app.config[...]` with the classes loaded by `config.from_object(...)`, Django
    `settings.X` from the project's settings module, and pydantic `BaseSettings` defaults (a
    fallback of the environment variable). Such a key is reported once, where its literal is
    written, naming the mint or verification that uses it. An app factory's parameter handed to
    `from_object` (`def create_app(config_class=Config)`) loads its default class. Flask-JWT-Extended
    signs with Flask's `SECRET_KEY` when `JWT_SECRET_KEY` is unset: with no `JWT_SECRET_KEY` written
    anywhere in the project (and no asymmetric `JWT_ALGORITHM`), a weak `SECRET_KEY` signs its tokens
    (`create_access_token`) and is reported.

    ## Why is this bad?
    A key in the repository is known to everyone with read access and to every leak of it, and
    whoever knows an HMAC key can mint any token. Short HMAC secrets can be brute-forced offline from
    a single token (RFC 7518 requires keys at least as long as the hash: 32 bytes for HS256).

    ## Example
    ```python
    token = jwt.encode(payload, "secret", algorithm="HS256")
    ```
    Use instead:
    ```python
    token = jwt.encode(payload, os.environ["JWT_SECRET"], algorithm="HS256")
    ```
    ```yaml
    # docker-compose.yml: the service whose code reads os.environ["JWT_SECRET"]
    services:
      auth:
        build: ./auth
        environment:
          JWT_SECRET: secret   # reported: a published placeholder
    ```
    Use instead `JWT_SECRET: ${JWT_SECRET}` (set from a secret store) or a Compose/Kubernetes secret.

    ## Fix safety
    No fix: the secret has to move to your secret store, and the exposed one must be rotated (a
    value in a deployment file cannot be replaced by one authlint could know is right).

    ## References
    - RFC 7518 §3.2, HMAC keys at least as long as the hash output: https://www.rfc-editor.org/rfc/rfc7518#section-3.2
    - PyJWT `enforce_minimum_key_length` / `InsecureKeyLengthWarning`: https://pyjwt.readthedocs.io/en/stable/api.html
    - jsonwebtoken `secretOrPrivateKey`: https://github.com/auth0/node-jsonwebtoken#jwtsignpayload-secretorprivatekey-options-callback
    - CVE-2022-23539, jsonwebtoken insecure key types: https://github.com/auth0/node-jsonwebtoken/security/advisories/GHSA-8cf7-32gw-wr33
    - Flask-JWT-Extended `JWT_SECRET_KEY`: https://flask-jwt-extended.readthedocs.io/en/stable/options.html
    - Flask-JWT-Extended falls back to `SECRET_KEY` (`Config._secret_key`): https://github.com/vimalloc/flask-jwt-extended/blob/main/flask_jwt_extended/config.py
    - Flask `config.from_object`: https://flask.palletsprojects.com/en/stable/api/#flask.Config.from_object
    - Compose `environment` and `env_file`: https://docs.docker.com/reference/compose-file/services/#environment
    - Kubernetes container `env`: https://kubernetes.io/docs/tasks/inject-data-application/define-environment-variable-container/
    - python-dotenv file format: https://saurabh-kumar.com/python-dotenv/#file-format
    """

    code = "JWT004"
    name = "weak-secret"
    summary = "JWT signing key hard-coded or too short"
    kinds = CODE_KINDS | {YAML, DOTENV}
    triggers = ("jwt", "jsonwebtoken", "jose", "signing_key")
    lend_triggers = TRAVEL_TRIGGERS  # config modules the keys are imported from (``key_lenders``)
    # deployment files: those that may set a signing key's variable (a dotenv file is always read)
    kind_triggers = {YAML: ("jwt", "secret_key", "signing_key"), DOTENV: ()}
    # the project phase joins keys written in another module (travel) and the environment a
    # deployment file gives (env) with the code that reads them
    project_rule = True
    languages = "Python, JS/TS"
    rule_options = (RuleOption("min-key-bytes", 32, "shortest acceptable HMAC secret, in bytes", int),)
    examples = (
        Valid("import os, jwt\ntok = jwt.encode(p, os.environ['JWT_SECRET'], algorithm='HS256')\n"),
        Valid("import os, jwt\ntok = jwt.encode(p, os.environ.get('JWT_SECRET', ''), algorithm='HS256')\n"),
        Valid("import jwt\nfrom django.conf import settings\nc = jwt.decode(t, settings.SECRET_KEY, algorithms=['HS256'])\n"),
        Valid(
            "import jwt\nPUBLIC = '''-----BEGIN PUBLIC KEY-----\nMIIBIjANBg\n-----END PUBLIC KEY-----'''\n"
            "c = jwt.decode(t, PUBLIC, algorithms=['RS256'])\n"
        ),
        Valid("import jwt\n\ndef check(t, key):\n    return jwt.decode(t, key, algorithms=['HS256'])\n"),
        Invalid("import jwt\ntok = jwt.encode(payload, 'secret', algorithm='HS256')\n", message="6 bytes", count=1, span=(2, 27, 2, 35)),
        Invalid(
            "import jwt\nSECRET = 'a-very-long-but-still-committed-secret-0123456789'\n"
            "tok = jwt.encode(p, SECRET, algorithm='HS256')\nc = jwt.decode(tok, SECRET, algorithms=['HS256'])\n",
            message="hard-coded",
            count=1,
        ),
        Invalid("app.config['JWT_SECRET_KEY'] = 'super-secret'\n"),
        Invalid(
            "import os, jwt\nSECRET = os.getenv('JWT_SECRET', 'dev-secret-do-not-use')\n"
            "tok = jwt.encode(p, SECRET, algorithm='HS256')\n",
            message="falls back",
        ),
        Invalid("import os, jwt\nc = jwt.decode(t, os.environ.get('JWT_KEY') or 'changeme', algorithms=['HS256'])\n"),
        Invalid(
            "import jwt\nKEY = '''-----BEGIN PRIVATE KEY-----\nMIIEvQIBADAN\n-----END PRIVATE KEY-----'''\n"
            "tok = jwt.encode(p, KEY, algorithm='RS256')\n",
            message="private key",
        ),
        # JavaScript / TypeScript: jsonwebtoken and jose keys.
        Valid('const jwt = require("jsonwebtoken");\njwt.sign({ sub }, process.env.JWT_SECRET, { expiresIn: "1h" });\n', path="auth.js"),
        Valid('import jwt from "jsonwebtoken";\njwt.verify(token, fs.readFileSync("public.pem"), { algorithms: ["RS256"] });\n', path="auth.ts"),
        Invalid(
            'const jwt = require("jsonwebtoken");\nconst JWT_SECRET = "secret";\njwt.sign({ sub }, JWT_SECRET, { expiresIn: "1h" });\n',
            path="auth.js",
            message="only 6 bytes",
            count=1,
            span=(2, 20, 2, 28),
        ),
        Invalid(
            'import jwt from "jsonwebtoken";\nconst key = process.env.JWT_SECRET || "dev-secret";\njwt.verify(token, key, { algorithms: ["HS256"] });\n',
            path="auth.ts",
            message="falls back",
        ),
        Invalid(
            'import { SignJWT } from "jose";\nawait new SignJWT({ sub }).setExpirationTime("1h").sign(new TextEncoder().encode("x"));\n'
            'const k = "0123456789abcdef0123456789abcdef-long-enough";\nawait new SignJWT({ sub }).setExpirationTime("1h").sign(k);\n',
            path="mint.mjs",
            message="hard-coded",
        ),
        Invalid(
            'import { JwtModule } from "@nestjs/jwt";\nJwtModule.register({ secret: "secretKey", signOptions: { expiresIn: "60s" } });\n',
            path="auth.module.ts",
            message="only 9 bytes",
            count=1,
        ),
        Invalid('const { expressjwt } = require("express-jwt");\napp.use(expressjwt({ secret: "shhhhhhared-secret", algorithms: ["HS256"] }));\n', path="app.js", message="hard-coded"),
        Invalid(
            'import { SignJWT } from "jose";\nconst secret = new TextEncoder().encode("my-secret");\n'
            'export const mint = (sub) => new SignJWT({ sub }).setExpirationTime("1h").sign(secret);\n',
            path="mint.mjs",
            message="only 9 bytes",
            count=1,
        ),
        Valid(
            'import { SignJWT } from "jose";\nconst secret = new TextEncoder().encode(process.env.JWT_SECRET);\n'
            'export const mint = (sub) => new SignJWT({ sub }).setExpirationTime("1h").sign(secret);\n',
            path="mint.mjs",
        ),
        # Environment values given by deployment files, joined with the code that reads them.
        Invalid(
            "# local settings\nexport JWT_SECRET=secret  # TODO\n",
            path=".env",
            files={"auth.py": "import os, jwt\ntok = jwt.encode(p, os.environ['JWT_SECRET'], algorithm='HS256')\n"},
            message="auth.py:2 signs tokens",
            count=1,
            span=(2, 19, 2, 25),
        ),
        Invalid(
            "services:\n  api:\n    build: ./api\n    environment:\n      - JWT_SECRET=dev-key-42\n",
            path="docker-compose.yml",
            files={"api/server.js": 'const jwt = require("jsonwebtoken");\nconst { JWT_SECRET } = process.env;\n'
                   'module.exports = (t) => jwt.verify(t, JWT_SECRET, { algorithms: ["HS256"] });\n'},
            message="only 10 bytes",
            count=1,
            span=(5, 20, 5, 30),
        ),
        Invalid(
            "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api\nspec:\n  template:\n    spec:\n"
            "      containers:\n        - name: api\n          image: acme/api:1.4\n          env:\n"
            "            - name: JWT_SECRET\n              value: your-super-secret-jwt-key-change-me-in-production\n",
            path="deploy/api.yaml",
            files={"api/auth.ts": 'import jwt from "jsonwebtoken";\n'
                   'export const mint = (sub: string) => jwt.sign({ sub }, process.env["JWT_SECRET"]!, { expiresIn: "1h" });\n'},
            message="published placeholder",
        ),
        Valid(  # a long random value: nothing says it is weak
            "JWT_SECRET='t1Vq8ZkRj3Xw0LmP5sYc7NbF2dGh9QaE4uKoW6iTzSx'\n",
            path=".env",
            files={"auth.py": "import os, jwt\ntok = jwt.encode(p, os.environ['JWT_SECRET'], algorithm='HS256')\n"},
        ),
        Valid(  # a template: its values are meant to be replaced
            "JWT_SECRET=changeme\n",
            path=".env.example",
            files={"auth.py": "import os, jwt\ntok = jwt.encode(p, os.environ['JWT_SECRET'], algorithm='HS256')\n"},
        ),
        Valid(  # interpolated from the shell and a Kubernetes Secret: no value is written here
            "services:\n  api:\n    build: .\n    environment:\n      JWT_SECRET: ${JWT_SECRET}\n",
            path="docker-compose.yml",
            files={"server.js": 'const jwt = require("jsonwebtoken");\njwt.sign({ sub }, process.env.JWT_SECRET, { expiresIn: "1h" });\n',
                   "k8s.yaml": "kind: Pod\napiVersion: v1\nspec:\n  containers:\n    - name: api\n      image: api\n      env:\n"
                   "        - name: JWT_SECRET\n          valueFrom:\n            secretKeyRef: {name: jwt, key: secret}\n"},
        ),
        Valid(  # the code that reads the variable does not sign with it
            "SESSION_SECRET=dev\n",
            path=".env",
            files={"auth.py": "import os, jwt\ntok = jwt.encode(p, os.environ['JWT_SECRET'], algorithm='HS256')\n"},
        ),
        # (travel) keys written in another module or in the project's settings reach the mint.
        Invalid(
            "import jwt\nfrom flask import current_app\n\ndef mint(p):\n"
            "    return jwt.encode(p, current_app.config['SECRET_KEY'], algorithm='HS256')\n",
            path="app/auth.py",
            files={"app/__init__.py": "from flask import Flask\napp = Flask(__name__)\napp.config.from_object('app.config.Config')\n",
                   "app/config.py": "class Config:\n    SECRET_KEY = 'random'\n"},
            message="the signing key at app/auth.py:5",
            count=1,
            span=(2, 18, 2, 26),
        ),
        Valid(
            "import jwt\nfrom flask import current_app\n\ndef mint(p):\n"
            "    return jwt.encode(p, current_app.config['SECRET_KEY'], algorithm='HS256')\n",
            path="app/auth.py",
            files={"app/__init__.py": "from flask import Flask\nfrom .config import Config\napp = Flask(__name__)\napp.config.from_object(Config)\n",
                   "app/config.py": "import os\nclass Config:\n    SECRET_KEY = os.environ['SECRET_KEY']\n"},
        ),
        # (travel) an app factory loads its parameter's default class (``create_app(config_class=Config)``)
        Invalid(
            "import jwt\nfrom flask import current_app\n\ndef mint(p):\n"
            "    return jwt.encode(p, current_app.config['SECRET_KEY'], algorithm='HS256')\n",
            path="api/models.py",
            files={"api/app.py": "from flask import Flask\nfrom config import Config\n\ndef create_app(config_class=Config):\n"
                                 "    app = Flask(__name__)\n    app.config.from_object(config_class)\n    return app\n",
                   "config.py": "import os\n\nclass Config:\n    SECRET_KEY = os.environ.get('SECRET_KEY', 'top-secret!')\n"},
            message="falls back",
            count=1,
            span=(4, 18, 4, 61),
        ),
        Valid(
            "import jwt\nfrom flask import current_app\n\ndef mint(p):\n"
            "    return jwt.encode(p, current_app.config['SECRET_KEY'], algorithm='HS256')\n",
            path="api/models.py",
            files={"api/app.py": "from flask import Flask\nfrom config import Config\n\ndef create_app(config_class=Config):\n"
                                 "    app = Flask(__name__)\n    app.config.from_object(config_class)\n    return app\n",
                   "config.py": "import os\n\nclass Config:\n    SECRET_KEY = os.environ['SECRET_KEY']\n"},
        ),
        # (travel) Flask-JWT-Extended signs with Flask's SECRET_KEY when JWT_SECRET_KEY is unset
        Invalid(
            "from flask_jwt_extended import create_access_token\n\ndef login(user):\n"
            "    return create_access_token(identity=user.id)\n",
            path="conduit/user/views.py",
            files={"conduit/app.py": "from flask import Flask\nfrom flask_jwt_extended import JWTManager\n"
                                     "from conduit.settings import ProdConfig\n\n"
                                     "def create_app(config_object=ProdConfig):\n    app = Flask(__name__)\n"
                                     "    app.config.from_object(config_object)\n    JWTManager(app)\n    return app\n",
                   "conduit/settings.py": "import os\n\nclass Config(object):\n"
                                          "    SECRET_KEY = os.environ.get('CONDUIT_SECRET', 'secret-key')\n"
                                          "    JWT_AUTH_HEADER_PREFIX = 'Token'\n\nclass ProdConfig(Config):\n    DEBUG = False\n"},
            message="signs with `SECRET_KEY` when `JWT_SECRET_KEY` is unset",
            count=1,
            span=(4, 18, 4, 64),
        ),
        Valid(  # its own JWT_SECRET_KEY, read from the environment without a fallback, signs the tokens
            "from flask_jwt_extended import create_access_token\n\ndef login(user):\n"
            "    return create_access_token(identity=user.id)\n",
            path="conduit/user/views.py",
            files={"conduit/app.py": "from flask import Flask\nfrom flask_jwt_extended import JWTManager\n"
                                     "from conduit.settings import ProdConfig\n\n"
                                     "def create_app(config_object=ProdConfig):\n    app = Flask(__name__)\n"
                                     "    app.config.from_object(config_object)\n    JWTManager(app)\n    return app\n",
                   "conduit/settings.py": "import os\n\nclass Config(object):\n"
                                          "    SECRET_KEY = os.environ.get('CONDUIT_SECRET', 'secret-key')\n"
                                          "    JWT_SECRET_KEY = os.environ['JWT_SECRET_KEY']\n\nclass ProdConfig(Config):\n    DEBUG = False\n"},
        ),
        Invalid(
            "import jwt\nfrom flask import Flask\napp = Flask(__name__)\napp.config['JWT_SECRET'] = 'dev'\n",
            path="app.py",
            files={"views.py": "import jwt\nfrom flask import current_app\n\ndef mint(p):\n"
                               "    return jwt.encode(p, current_app.config['JWT_SECRET'], algorithm='HS256')\n"},
            message="only 3 bytes",
            count=1,
            span=(4, 28, 4, 33),
        ),
        Invalid(
            "import jwt\nfrom .config import JWT_SECRET\ntoken = jwt.encode(p, JWT_SECRET, algorithm='HS256')\n",
            path="app/auth.py",
            files={"app/config.py": "import os\nJWT_SECRET = os.getenv('JWT_SECRET', 'dev-secret')\n"},
            message="falls back",
            count=1,
        ),
        Valid(
            "import jwt\nfrom .config import JWT_SECRET\ntoken = jwt.encode(p, JWT_SECRET, algorithm='HS256')\n",
            path="app/auth.py",
            files={"app/config.py": "import os\nJWT_SECRET = os.environ['JWT_SECRET']\n"},
        ),
        Invalid(
            "import jwt\nfrom django.conf import settings\nc = jwt.decode(t, settings.SECRET_KEY, algorithms=['HS256'])\n",
            path="api/auth.py",
            files={"proj/settings.py": "DEBUG = True\nSECRET_KEY = 'django-insecure-0123'\n"},
            message="hard-coded",
            count=1,
            span=(2, 14, 2, 36),
        ),
        Invalid(
            "import jwt\nfrom app.core.config import settings\ntoken = jwt.encode(p, settings.jwt_secret, algorithm='HS256')\n",
            path="app/auth.py",
            files={"app/core/config.py": "from pydantic_settings import BaseSettings\n\nclass Settings(BaseSettings):\n"
                                         "    jwt_secret: str = 'changeme'\n\nsettings = Settings()\n"},
            message="falls back to the hard-coded",
            count=1,
        ),
        Valid(
            "import jwt\nfrom app.core.config import settings\ntoken = jwt.encode(p, settings.jwt_secret, algorithm='HS256')\n",
            path="app/auth.py",
            files={"app/core/config.py": "from pydantic_settings import BaseSettings\n\nclass Settings(BaseSettings):\n"
                                         "    jwt_secret: str\n\nsettings = Settings()\n"},
        ),
        Invalid(
            'import jwt from "jsonwebtoken";\nimport { ENV } from "./config";\n'
            'export const mint = (sub) => jwt.sign({ sub }, ENV.JWT_SECRET, { expiresIn: "1h" });\n',
            path="src/auth.ts",
            files={"src/config.ts": 'export const ENV = {\n  JWT_SECRET: process.env.JWT_SECRET || "dev-secret",\n  PORT: 3000,\n};\n'},
            message="falls back",
            count=1,
        ),
        Valid(
            'import jwt from "jsonwebtoken";\nimport { ENV } from "./config";\n'
            'export const mint = (sub) => jwt.sign({ sub }, ENV.JWT_SECRET, { expiresIn: "1h" });\n',
            path="src/auth.ts",
            files={"src/config.ts": 'export const ENV = {\n  JWT_SECRET: process.env.JWT_SECRET,\n  PORT: 3000,\n};\n'},
        ),
        Invalid(
            'const jwt = require("jsonwebtoken");\nconst { JWT_SECRET } = require("./keys");\n'
            'module.exports = { check: (t) => jwt.verify(t, JWT_SECRET, { algorithms: ["HS256"] }) };\n',
            path="lib/check.js",
            files={"lib/keys.js": 'module.exports = { JWT_SECRET: "shhh", PORT: 3000 };\n'},
            message="the signing key at lib/check.js:3",
            count=1,
            span=(1, 32, 1, 38),
        ),
        Valid(
            'const jwt = require("jsonwebtoken");\nconst { JWT_SECRET } = require("./keys");\n'
            'module.exports = { check: (t) => jwt.verify(t, JWT_SECRET, { algorithms: ["HS256"] }) };\n',
            path="lib/check.js",
            files={"lib/keys.js": 'module.exports = { JWT_SECRET: process.env.JWT_SECRET, PORT: 3000 };\n'},
        ),
    )

    def lenders_wanted(self, project) -> Wanted:
        return key_lenders(project)

    def check_project(self, project) -> Iterable[Diagnostic]:
        """Each file's own keys, then the keys that travel to a mint or verification from another
        module or the project's settings, then the values deployment files give the variables keys
        are read from (a project rule so that all see every file's facts)."""
        reported: set[tuple[str, int]] = set()
        for diag in project.per_file(self.check, *CODE_KINDS):
            reported.add((diag.source.relpath, diag.span.start))
            yield diag
        yield from self._travelled(project, reported)
        yield from self._environment(project)

    def check(self, ctx) -> Iterable[Diagnostic]:
        """The keys written into one code file."""
        for fact in ctx.facts.items:
            if isinstance(fact, (JwtMint, JwtVerify)) and fact.key is not None:
                algorithms = _algorithms(fact) or (["HS256"] if isinstance(fact, JwtMint) else [])
                diag = self._key(ctx, fact.key, algorithms)
                if diag is not None:
                    yield diag
            elif isinstance(fact, JwtConfig):
                for name in KEY_SETTINGS:
                    option = fact.settings.get(name)
                    if option is not None:
                        diag = self._key(ctx, option.value, ["HS256"], setting=name)
                        if diag is not None:
                            yield diag

    def _travelled(self, project, reported: set[tuple[str, int]]) -> Iterable[Diagnostic]:
        """(travel) Keys written in another module or in the project's settings: ``from .config
        import JWT_SECRET``, ``current_app.config["SECRET_KEY"]`` with ``class Config: SECRET_KEY =
        "random"`` loaded by ``from_object``, ``settings.jwt_secret`` of a pydantic ``BaseSettings``.
        Reported once, where the literal is written, naming the first use."""
        travel = Travel.of(project)
        if not travel:
            return
        for use in (*project.facts(JwtMint), *project.facts(JwtVerify)):
            if use.key is None:
                continue
            algorithms = _algorithms(use) or (["HS256"] if isinstance(use, JwtMint) else [])
            for definition in travel.follow(use.key, use):
                where = (f"`{definition.name}` (the signing key at {use.source.relpath}:"
                         f"{use.source.position(use.key.span.start)[0]})")
                diag = self._key(definition.source, definition.expr, algorithms, where=where)
                if diag is not None and (diag.source.relpath, diag.span.start) not in reported:
                    reported.add((diag.source.relpath, diag.span.start))
                    yield diag
        yield from self._settings_keys(project, travel, reported)

    def _settings_keys(self, project, travel: Travel, reported: set[tuple[str, int]]) -> Iterable[Diagnostic]:
        """(travel) Mints that sign with framework settings (``create_access_token``) and the settings
        their key falls back to: with no ``JWT_SECRET_KEY`` anywhere in the project, Flask-JWT-Extended
        signs with ``SECRET_KEY``, so a weak one written in a config class loaded by ``from_object``
        (or in ``app.config``) signs the project's tokens."""
        configs = list(project.facts(JwtConfig))
        algorithms = [str(option.value.value) for fact in configs
                      if (option := fact.settings.get("JWT_ALGORITHM")) is not None and isinstance(option.value.value, str)]
        if algorithms and all(a.upper().startswith(ASYMMETRIC) for a in algorithms):
            return  # an asymmetric algorithm signs with the private key, never with these
        for use in project.facts(JwtMint):
            names = SETTINGS_KEYS.get(use.verifier) if use.signs_with_settings else None
            if not names:
                continue
            first, *fallbacks = names
            if any(first in fact.settings or "JWT_PRIVATE_KEY" in fact.settings for fact in configs):
                continue  # the key setting is written: the file phase checks it where it is
            if travel.follow(Expr(span=use.span, text="", ref=f"settings:{first}"), use):
                continue  # the project writes the key setting (a config class, ``app.config``)
            for name in fallbacks:
                setting = Expr(span=use.span, text="", ref=f"settings:{name}")
                line = use.source.position(use.span.start)[0]
                for definition in travel.follow(setting, use):
                    where = (f"`{definition.name}` ({use.verifier} signs with `{name}` when `{first}` is unset:"
                             f" the mint at {use.source.relpath}:{line})")
                    diag = self._key(definition.source, definition.expr, algorithms or ["HS256"], where=where)
                    if diag is not None and (diag.source.relpath, diag.span.start) not in reported:
                        reported.add((diag.source.relpath, diag.span.start))
                        yield diag
                break  # the first fallback is the one the library takes

    def _key(self, ctx, key: Expr, algorithms: list[str], setting: str | None = None, where: str | None = None):
        where = where or (f"`{setting}`" if setting else "signing key")
        source = getattr(ctx, "source", ctx)
        if key.ref and key.ref.startswith(("env:", "settings:")) and isinstance(key.fallback, str) and key.fallback:
            name = key.ref.partition(":")[2]
            return self.report(ctx, key.origin or key.span, EnvFallback(where, key.fallback, name))
        if key.from_env and FALLBACK.search(source.slice(key.origin) if key.origin else key.text):
            return self._fallback(ctx, key)
        if not kit.hardcoded(key) or not isinstance(key.value, (str, bytes)):
            return None
        value = key.value if isinstance(key.value, str) else key.value.decode("latin-1")
        span = key.origin or key.span  # report once, where the literal is written
        if "BEGIN" in value and "PUBLIC KEY" in value:
            return None
        if "PRIVATE KEY" in value:
            return self.report(ctx, span, PrivateKeyInCode(where))
        asymmetric = algorithms and all(a.upper().startswith(ASYMMETRIC) for a in algorithms)
        if asymmetric:
            return None
        size = len(value.encode("utf-8"))
        minimum = self.options["min-key-bytes"]
        if size < minimum:
            return self.report(ctx, span, ShortSecret(where, value, size, minimum))
        return self.report(ctx, span, HardcodedSecret(where, value))

    # -- values given by deployment files (Compose, Kubernetes, dotenv) ------------------------------
    def _environment(self, project) -> Iterable[Diagnostic]:
        """A weak value a deployment file gives the variable the code reads its signing key from,
        reported where the value is written, naming the code that reads it."""
        blocks = list(project.facts(EnvBlock))
        if not blocks:
            return
        readers = list(key_readers(project))
        if not readers:
            return
        code = [ctx.source.relpath for ctx in project.of_kind(*CODE_KINDS)]
        environments = Environments(blocks, code, {name for name, *_ in readers})
        found: dict[tuple, tuple[Given, str, list[str]]] = {}
        for name, fact, _key, algorithms in readers:
            asymmetric = bool(algorithms) and all(a.upper().startswith(ASYMMETRIC) for a in algorithms)
            for given in environments.given(fact.source.relpath, name):
                value = given.setting.value
                if not value or not env_secret_name(given.setting.name):
                    continue  # a value not named like a secret is not masked: its line is never shown
                problem = weakness(value, self.options["min-key-bytes"], asymmetric)
                if problem is None:
                    continue
                use = f"{fact.source.relpath}:{fact.source.position(fact.span.start)[0]} {_role(fact)}"
                entry = found.setdefault(given.key, (given, problem, []))
                if use not in entry[2]:
                    entry[2].append(use)
        for given, problem, uses in found.values():
            setting = given.setting
            yield self.report(given.block.source, setting.span,
                              EnvValue(setting.name, setting.value, problem, uses[0], len(uses) - 1))

    def _fallback(self, ctx, key: Expr):
        """``process.env.JWT_SECRET || "dev-secret"``: the literal signs tokens wherever the variable is unset."""
        where = key.origin or key.span  # the constant's definition when the key was followed to one
        match = FALLBACK.search(getattr(ctx, "source", ctx).slice(where))
        assert match is not None
        start = where.start + match.start(2)
        span = Span(start, start + len(match.group(2)))
        variable = (key.ref or "env:").partition(":")[2]
        return self.report(ctx, span, JsFallback(match.group(3), variable))


def _role(fact) -> str:
    return "verifies tokens" if isinstance(fact, JwtVerify) else "signs tokens"


def key_readers(project) -> Iterator[tuple[str, JwtMint | JwtVerify | JwtConfig, Expr, list[str]]]:
    """Every signing or verifying key the code reads from an environment variable: (variable, the
    mint, verification or settings that read it, the key, the algorithms it is used with)."""
    for fact in project.facts(JwtMint):
        if key_variable(fact.key):
            yield key_variable(fact.key), fact, fact.key, _algorithms(fact) or ["HS256"]  # type: ignore[misc]
    for fact in project.facts(JwtVerify):
        if fact.intent == VERIFY and key_variable(fact.key):
            yield key_variable(fact.key), fact, fact.key, _algorithms(fact)  # type: ignore[misc]
    for fact in project.facts(JwtConfig):
        for name in KEY_SETTINGS:
            option = fact.settings.get(name)
            if option is not None and key_variable(option.value):
                yield key_variable(option.value), fact, option.value, ["HS256"]


