from __future__ import annotations

from typing import Iterable

from authlint.diagnostics.diagnostic import Diagnostic
from authlint.diagnostics.mask import Masked
from authlint.facts.environment import Environments, Given, key_variable
from authlint.facts.model import VERIFY, EnvBlock, Expr, Fact, JwtMint, JwtVerify
from authlint.facts.secrets.dotenv import env_secret_name
from authlint.facts.travel import TRAVEL_TRIGGERS, Travel
from authlint.files.kinds import CODE_KINDS, DOTENV, YAML
from authlint.rule import Invalid, Rule, Valid, Violation, Wanted
from authlint.rules import kit
from authlint.rules.jwt.key_lenders import key_lenders

DEFAULT_ALGORITHM = "HS256"  # PyJWT and jsonwebtoken both default to HS256


def identity(expr: Expr | None) -> tuple[str, str] | None:
    """What a key is, comparably across files: a literal value or an env/settings name."""
    if expr is None:
        return None
    if kit.hardcoded(expr) and isinstance(expr.value, str):
        return "value", expr.value
    if expr.ref and expr.ref.startswith(("env:", "settings:")) and not expr.ref.endswith(":?"):
        return "ref", expr.ref
    return None


def travelled_identity(travel: Travel, expr: Expr | None, at: Fact) -> tuple[str, str] | None:
    """(travel) ``identity`` of what a key reads when it is written in another module or in the
    project's settings (``from .config import SECRET``, ``app.config["JWT_SECRET"]``): the one
    identity every definition agrees on; the key's own when nothing travels; None when the
    definitions disagree (which one a deployment loads cannot be known)."""
    if expr is None or not travel:
        return identity(expr)
    found = {identity(definition.expr) for definition in travel.follow(expr, at)}
    if not found:
        return identity(expr)
    return found.pop() if len(found) == 1 else None


class KeyName(Violation):
    """A key as a message names it: a literal (masked) or the variable/setting it is read from."""

    literal: Masked | None = None
    read_from: str = ""  # "env:NAME" / "settings:NAME"

    def message(self) -> str:
        if self.literal is not None:
            return f"the literal `{self.literal}`"
        where, _, name = self.read_from.partition(":")
        return f"{'environment variable' if where == 'env' else 'setting'} `{name}`"


def describe(key: tuple[str, str]) -> KeyName:
    kind, value = key
    return KeyName(literal=value) if kind == "value" else KeyName(read_from=value)


def _where(fact) -> str:
    return f"{fact.source.relpath}:{fact.source.position(fact.span.start)[0]}"


class OtherKey(Violation):
    verifier_key: KeyName
    minter_key: KeyName
    minted_at: str

    def message(self) -> str:
        return (f"verifies with {self.verifier_key.message()}, but tokens are minted with {self.minter_key.message()} "
                f"({self.minted_at}): "
                "every signature check fails")


class OtherAlgorithm(Violation):
    accepted: tuple[str, ...]
    minted: tuple[str, ...]
    minted_at: str

    def message(self) -> str:
        return (f"accepts {list(self.accepted)} but tokens are minted with {', '.join(self.minted)} ({self.minted_at}): "
                "every token is rejected")


class OtherEnvValue(Violation):
    """The verifying service is given another value than the signing one, for the key's variable."""

    variable: str
    reader: str  # "api/server.js:2"
    minter_variable: str
    minted_at: str  # where the signer's value is written: "docker-compose.yml:5"
    minter: str  # "auth/app.py:3"

    def message(self) -> str:
        return (f"`{self.variable}` is given a value here that {self.reader} verifies tokens with, but the tokens are "
                f"signed by {self.minter} with another value (`{self.minter_variable}` at {self.minted_at}): "
                "every signature check fails")


class KeyMismatch(Rule):
    """
    ## What it does
    Joins every JWT mint and verification in the project and reports verifications that use a
    different HMAC key than every mint (another literal, another environment variable or setting), and
    verifications whose accepted `algorithms` exclude the algorithm every token is minted with.

    With deployment files (Compose `environment`/`env_file`, Kubernetes `env`, `.env` files) it
    also compares the values the signing and the verifying code are given: a verifier whose
    variable gets another value than every signer's is reported where the verifier's value is
    written, naming where the signer's is. Code is mapped to deployables as JWT004 documents
    (Compose `build` context, Kubernetes image, a `.env` file's folder, a single-service project);
    values that are not literals (`${VAR}`, `valueFrom`) and code that no deployable covers are
    never compared. Two variable names given the same value (`JWT_SECRET` and `JWT_SECRET_KEY`)
    are one key.

    Keys are compared by what they read, followed across modules and the project's settings
    (`from .config import JWT_SECRET` with `JWT_SECRET = os.environ["JWT_SECRET"]` is the
    environment variable `JWT_SECRET`). A setting written with different values in several places
    (a development and a production class) is left out: which one is loaded cannot be known.

    ## Why is this bad?
    Each side looks right on its own, and every request fails with "Signature verification failed" or
    "The specified alg value is not allowed". Typical causes: `JWT_SECRET` in one service and
    `JWT_SECRET_KEY` in the other, a test literal left in the verifier, `HS512` minted and `HS256`
    accepted.

    ## Example
    ```python
    # auth.py
    token = jwt.encode(claims, os.environ["JWT_SECRET"], algorithm="HS256")
    # api.py
    claims = jwt.decode(token, os.environ["JWT_SECRET_KEY"], algorithms=["HS256"])
    ```
    Use the same key source (and an algorithm both accept) on both sides.
    ```yaml
    services:
      auth: {build: ./auth, environment: {JWT_SECRET: "9fQ2vL7x…"}}   # signs
      api:  {build: ./api,  environment: {JWT_SECRET: "Xr4Tq9Lm…"}}   # verifies: reported
    ```
    Give both services the same value (one `env_file`, one secret).

    ## Fix safety
    No fix: which side is right is a deployment decision.

    ## References
    - PyJWT `jwt.decode` (`InvalidSignatureError`, `InvalidAlgorithmError`): https://pyjwt.readthedocs.io/en/stable/api.html
    - jsonwebtoken `verify` errors ("invalid signature", "invalid algorithm"): https://github.com/auth0/node-jsonwebtoken#errors--codes
    - RFC 7518 §3.1, the `alg` values: https://www.rfc-editor.org/rfc/rfc7518#section-3.1
    - Compose `environment` precedence over `env_file`: https://docs.docker.com/compose/how-tos/environment-variables/envvars-precedence/
    """

    code = "JWT005"
    name = "key-mismatch"
    summary = "JWT verified with a different key or algorithm than it is minted with"
    kinds = CODE_KINDS | {YAML, DOTENV}
    triggers = ("jwt", "jsonwebtoken", "jose")
    lend_triggers = TRAVEL_TRIGGERS  # config modules the keys are imported from (``key_lenders``)
    # deployment files: those that may set a signing key's variable (a dotenv file is always read)
    kind_triggers = {YAML: ("jwt", "secret_key", "signing_key"), DOTENV: ()}
    project_rule = True
    languages = "Python, JS/TS"
    examples = (
        Valid(
            "import os, jwt\nc = jwt.decode(t, os.environ['JWT_SECRET'], algorithms=['HS256'])\n",
            path="api.py",
            files={"auth.py": "import os, jwt\nt = jwt.encode(p, os.environ['JWT_SECRET'], algorithm='HS256')\n"},
        ),
        Valid(  # asymmetric: private key mints, public key verifies
            "import jwt\nc = jwt.decode(t, PUBLIC_PEM, algorithms=['RS256'])\n",
            path="api.py",
            files={"auth.py": "import os, jwt\nt = jwt.encode(p, os.environ['PRIVATE_PEM'], algorithm='RS256')\n"},
        ),
        Valid("import os, jwt\nc = jwt.decode(t, os.environ['K'], algorithms=['HS256'])\n", path="api.py"),
        Invalid(
            "import os, jwt\nc = jwt.decode(t, os.environ['JWT_SECRET_KEY'], algorithms=['HS256'])\n",
            path="api.py",
            files={"auth.py": "import os, jwt\nt = jwt.encode(p, os.environ['JWT_SECRET'], algorithm='HS256')\n"},
            message="JWT_SECRET",
            span=(2, 19, 2, 47),
        ),
        Invalid(
            "import jwt\nKEY = 'test-key-0123456789-0123456789-0123'\nc = jwt.decode(t, KEY, algorithms=['HS256'])\n",
            path="api.py",
            files={"auth.py": "import os, jwt\nt = jwt.encode(p, os.environ['JWT_SECRET'], algorithm='HS256')\n"},
        ),
        Invalid(
            "import os, jwt\nc = jwt.decode(t, os.environ['JWT_SECRET'], algorithms=['HS256'])\n",
            path="api.py",
            files={"auth.py": "import os, jwt\nt = jwt.encode(p, os.environ['JWT_SECRET'], algorithm='HS512')\n"},
            message="HS512",
        ),
        # JavaScript / TypeScript.
        Valid(
            'const jwt = require("jsonwebtoken");\njwt.verify(t, process.env.JWT_SECRET, { algorithms: ["HS256"] });\n',
            path="verify.js", files={"mint.js": 'const jwt = require("jsonwebtoken");\njwt.sign({ sub }, process.env.JWT_SECRET, { expiresIn: "1h" });\n'},
        ),
        Invalid(
            'const jwt = require("jsonwebtoken");\njwt.verify(t, process.env.JWT_SECRET_KEY, { algorithms: ["HS256"] });\n',
            path="verify.js", files={"mint.js": 'const jwt = require("jsonwebtoken");\njwt.sign({ sub }, process.env.JWT_SECRET, { expiresIn: "1h" });\n'},
            message="JWT_SECRET_KEY",
            span=(2, 15, 2, 41),
        ),
        Invalid(
            'import jwt from "jsonwebtoken";\njwt.verify(t, process.env.K, { algorithms: ["HS256"] });\n',
            path="verify.ts", files={"mint.ts": 'import jwt from "jsonwebtoken";\njwt.sign({ sub }, process.env.K, { algorithm: "HS512", expiresIn: "1h" });\n'},
            message="HS512",
        ),
        # Environment values given by deployment files: the signing and verifying services get different ones.
        Invalid(
            "services:\n  auth:\n    build: ./auth\n    environment:\n      JWT_SECRET: 9fQ2vL7xR4mT8kW1zB6nJ3hY5pC0sD2gK8a\n"
            "  api:\n    build:\n      context: ./api\n    environment:\n      JWT_SECRET: Xr4Tq9Lm2Vw8Zp5Nk1Hs7Gd3Jf6Bc0Ye4Ua\n",
            path="docker-compose.yml",
            files={
                "auth/app.py": "import os, jwt\ntok = jwt.encode(p, os.environ['JWT_SECRET'], algorithm='HS256')\n",
                "api/server.js": 'const jwt = require("jsonwebtoken");\njwt.verify(t, process.env.JWT_SECRET, { algorithms: ["HS256"] });\n',
            },
            message="(`JWT_SECRET` at docker-compose.yml:5)",
            count=1,
            span=(10, 19, 10, 54),
        ),
        Valid(  # the twin: both services read the same env_file
            "services:\n  auth:\n    build: ./auth\n    env_file: ./jwt.env\n"
            "  api:\n    build:\n      context: ./api\n    env_file: [./jwt.env]\n",
            path="docker-compose.yml",
            files={
                "jwt.env": "JWT_SECRET=9fQ2vL7xR4mT8kW1zB6nJ3hY5pC0sD2gK8a\n",
                "auth/app.py": "import os, jwt\ntok = jwt.encode(p, os.environ['JWT_SECRET'], algorithm='HS256')\n",
                "api/server.js": 'const jwt = require("jsonwebtoken");\njwt.verify(t, process.env.JWT_SECRET, { algorithms: ["HS256"] });\n',
            },
        ),
        Valid(  # two variable names, one value: the deployment gives both the same key
            "JWT_SECRET=9fQ2vL7xR4mT8kW1zB6nJ3hY5pC0sD2gK8a\nJWT_SECRET_KEY=9fQ2vL7xR4mT8kW1zB6nJ3hY5pC0sD2gK8a\n",
            path=".env",
            files={
                "auth.py": "import os, jwt\nt = jwt.encode(p, os.environ['JWT_SECRET'], algorithm='HS256')\n",
                "api.py": "import os, jwt\nc = jwt.decode(t, os.environ['JWT_SECRET_KEY'], algorithms=['HS256'])\n",
            },
        ),
        Invalid(  # one dotenv file per service folder
            "JWT_SECRET=Xr4Tq9Lm2Vw8Zp5Nk1Hs7Gd3Jf6Bc0Ye4Ua\n",
            path="api/.env",
            files={
                "auth/.env": "JWT_SECRET=9fQ2vL7xR4mT8kW1zB6nJ3hY5pC0sD2gK8a\n",
                "auth/mint.py": "import os, jwt\nt = jwt.encode(p, os.environ['JWT_SECRET'], algorithm='HS256')\n",
                "api/check.py": "import os, jwt\nc = jwt.decode(t, os.getenv('JWT_SECRET'), algorithms=['HS256'])\n",
            },
            message="api/check.py:2 verifies",
            count=1,
        ),
        # (travel) keys read through an import or the project's settings are compared by what they read.
        Invalid(
            "import os, jwt\nc = jwt.decode(t, os.environ['JWT_SECRET_KEY'], algorithms=['HS256'])\n",
            path="app/api.py",
            files={"app/auth.py": "import jwt\nfrom .config import JWT_SECRET\nt = jwt.encode(p, JWT_SECRET, algorithm='HS256')\n",
                   "app/config.py": "import os\nJWT_SECRET = os.environ['JWT_SECRET']\n"},
            message="environment variable `JWT_SECRET`",
            count=1,
            span=(2, 19, 2, 47),
        ),
        Valid(
            "import jwt\nfrom .config import JWT_SECRET\nc = jwt.decode(t, JWT_SECRET, algorithms=['HS256'])\n",
            path="app/api.py",
            files={"app/auth.py": "import jwt\nfrom .config import JWT_SECRET\nt = jwt.encode(p, JWT_SECRET, algorithm='HS256')\n",
                   "app/config.py": "import os\nJWT_SECRET = os.environ['JWT_SECRET']\n"},
        ),
        Invalid(
            "import os, jwt\nfrom flask import current_app\n\ndef check(t):\n"
            "    return jwt.decode(t, os.environ['TOKEN_KEY'], algorithms=['HS256'])\n",
            path="app/api.py",
            files={"app/__init__.py": "import os\nfrom flask import Flask\napp = Flask(__name__)\n"
                                      "app.config['JWT_SECRET'] = os.environ['JWT_SECRET']\n",
                   "app/auth.py": "import jwt\nfrom flask import current_app\n\ndef mint(p):\n"
                                  "    return jwt.encode(p, current_app.config['JWT_SECRET'], algorithm='HS256')\n"},
            message="TOKEN_KEY",
            count=1,
        ),
        Valid(
            "import os, jwt\nfrom flask import current_app\n\ndef check(t):\n"
            "    return jwt.decode(t, os.environ['JWT_SECRET'], algorithms=['HS256'])\n",
            path="app/api.py",
            files={"app/__init__.py": "import os\nfrom flask import Flask\napp = Flask(__name__)\n"
                                      "app.config['JWT_SECRET'] = os.environ['JWT_SECRET']\n",
                   "app/auth.py": "import jwt\nfrom flask import current_app\n\ndef mint(p):\n"
                                  "    return jwt.encode(p, current_app.config['JWT_SECRET'], algorithm='HS256')\n"},
        ),
        Invalid(
            'const jwt = require("jsonwebtoken");\njwt.verify(t, require("./config").JWT_SECRET, { algorithms: ["HS256"] });\n',
            path="verify.js",
            files={"config.js": "exports.JWT_SECRET = process.env.JWT_SECRET_KEY;\n",
                   "mint.js": 'const jwt = require("jsonwebtoken");\njwt.sign({ sub }, process.env.JWT_SECRET, { expiresIn: "1h" });\n'},
            message="environment variable `JWT_SECRET_KEY`",
            count=1,
        ),
        Valid(
            'const jwt = require("jsonwebtoken");\njwt.verify(t, require("./config").JWT_SECRET, { algorithms: ["HS256"] });\n',
            path="verify.js",
            files={"config.js": "exports.JWT_SECRET = process.env.JWT_SECRET;\n",
                   "mint.js": 'const jwt = require("jsonwebtoken");\njwt.sign({ sub }, process.env.JWT_SECRET, { expiresIn: "1h" });\n'},
        ),
    )

    def lenders_wanted(self, project) -> Wanted:
        return key_lenders(project)

    def check_project(self, project) -> Iterable[Diagnostic]:
        mints = [m for m in project.facts(JwtMint) if not m.signs_with_settings]
        verifies = [v for v in project.facts(JwtVerify) if v.intent == VERIFY and v.verifies_signature]
        if not mints or not verifies:
            return
        algorithms = [m.algorithm.value if m.algorithm is not None else DEFAULT_ALGORITHM for m in mints]
        known_algorithms = all(isinstance(a, str) for a in algorithms)
        hmac = known_algorithms and all(a.upper().startswith("HS") for a in algorithms)
        travel = Travel.of(project)
        keys = [travelled_identity(travel, m.key, m) for m in mints]
        environments = _environments(project, mints, verifies)
        for verify in verifies:
            if hmac and all(keys):
                mine = travelled_identity(travel, verify.key, verify)
                if mine is not None and mine not in keys and not _given_alike(environments, verify, mints):
                    yield self.report(
                        verify.source, verify.key.span,  # type: ignore[union-attr]
                        OtherKey(describe(mine), describe(keys[0]), _where(mints[0])),  # type: ignore[arg-type]
                    )
            accepted = verify.algorithms.value if verify.algorithms is not None and verify.algorithms.known else None
            if known_algorithms and isinstance(accepted, list) and all(isinstance(a, str) for a in accepted):
                minted = sorted(set(algorithms))
                if not set(minted) & set(accepted):
                    yield self.report(
                        verify.source, verify.algorithms.span,  # type: ignore[union-attr]
                        OtherAlgorithm(tuple(accepted), tuple(minted), _where(mints[0])),
                    )
        if hmac and environments is not None:
            yield from self._environment(environments, mints, verifies)

    # -- values given by deployment files (Compose, Kubernetes, dotenv) ------------------------------
    def _environment(self, environments: Environments, mints: list[JwtMint], verifies: list[JwtVerify]):
        """The verifying code is given another value for its key's variable than every signing code
        is, by the deployment files: reported where the verifier's value is written."""
        signed = _signed_with(environments, mints)
        if not signed:
            return
        reported: set[tuple] = set()
        for verify in verifies:
            variable = key_variable(verify.key)
            given = environments.given(verify.source.relpath, variable) if variable else []
            if not given or any(g.setting.value is None for g in given):
                continue
            values = {g.setting.value for g, _ in signed}
            for mine in given:
                if mine.setting.value in values or mine.key in reported or not env_secret_name(mine.setting.name):
                    continue  # (a value not named like a secret is not masked: its line is never shown)
                reported.add(mine.key)
                other, mint = signed[0]
                yield self.report(mine.block.source, mine.setting.span, OtherEnvValue(
                    variable, _where(verify), other.setting.name, other.where, _where(mint)))


def _environments(project, mints: list[JwtMint], verifies: list[JwtVerify]) -> Environments | None:
    blocks = list(project.facts(EnvBlock))
    if not blocks:
        return None
    code = [ctx.source.relpath for ctx in project.of_kind(*CODE_KINDS)]
    read = {key_variable(fact.key) for fact in [*mints, *verifies]} - {""}
    return Environments(blocks, code, read) if read else None


def _signed_with(environments: Environments, mints: list[JwtMint]) -> list[tuple[Given, JwtMint]]:
    """Every value the mints' keys are given, with the mint; empty when some mint's key is not read
    from a variable, or is given no literal, as then what tokens are signed with is unknown."""
    found: list[tuple[Given, JwtMint]] = []
    for mint in mints:
        variable = key_variable(mint.key)
        given = environments.given(mint.source.relpath, variable) if variable else []
        if not given or any(g.setting.value is None for g in given):
            return []
        found.extend((one, mint) for one in given)
    return found


def _given_alike(environments: Environments | None, verify: JwtVerify, mints: list[JwtMint]) -> bool:
    """The verifier reads another variable than the mints, but the deployment files give it only
    values the mints' variables are given too (``JWT_SECRET`` and ``JWT_SECRET_KEY`` both set to the
    same value): the keys agree where it runs."""
    if environments is None:
        return False
    variable = key_variable(verify.key)
    given = environments.given(verify.source.relpath, variable) if variable else []
    signed = _signed_with(environments, mints)
    if not given or not signed or any(g.setting.value is None for g in given):
        return False
    return {g.setting.value for g in given} <= {g.setting.value for g, _ in signed}
