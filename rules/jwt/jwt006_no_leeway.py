from __future__ import annotations

from typing import Iterable

from authlint.diagnostics.diagnostic import Diagnostic, Fix, FixAvailability, Severity
from authlint.facts.model import VERIFY, JwtVerify, LeewaySlot
from authlint.files.kinds import CODE_KINDS
from authlint.rule import FixOffer, Invalid, Rule, RuleOption, Valid, Violation
from authlint.rules import kit
from authlint.rules.jwt.jwt006_exposure import Exposure


class MissingLeeway(Violation):
    reason: str  # why skew can bite here (see ``jwt006_exposure``)

    def message(self) -> str:
        return f"expiry checked with no leeway: clock skew between machines rejects valid tokens ({self.reason})"


class ZeroLeeway(Violation):
    reason: str

    def message(self) -> str:
        return f"leeway of 0: clock skew between machines rejects valid tokens ({self.reason})"


class LongLeeway(Violation):
    seconds: float

    def message(self) -> str:
        return f"leeway of {kit.human(self.seconds)} extends every token's life by that much; a few seconds cover clock skew"


class NoLeeway(Rule):
    """
    ## What it does
    Finds JWT verification that checks `exp` with no leeway: PyJWT `decode` without `leeway` (its
    default is 0), python-jose without `options={"leeway": ...}`, jsonwebtoken `verify` without
    `clockTolerance`, or with an explicit 0, where clock skew can bite. Also reports a leeway above
    `max-leeway` (wherever it is).

    Skew needs two clocks, so a missing (or zero) leeway is reported only where the tokens come from
    another machine or live so briefly that seconds matter:
    - the key comes from a key set (JWKS: jwks-rsa, jose `createRemoteJWKSet`, PyJWT `PyJWKClient`):
      an identity provider mints the tokens;
    - nothing in the project mints tokens, or the verification accepts public-key algorithms (or
      names a public key) that no mint of its deployable signs with;
    - the tokens are minted only in another deployable: a folder with its own manifest
      (`package.json`, `pyproject.toml`, `setup.py`, `setup.cfg`, `requirements.txt`, `Pipfile`,
      `Dockerfile`), as compose services built from their own folders are;
    - the deployable mints them itself, with a lifetime of at most `short-lifetime` (5 minutes by
      default).

    Not reported: one deployable minting and verifying its own tokens with longer lifetimes, and
    tokens minted without `exp` (nothing to be late for).

    ## Why is this bad?
    The machine that minted the token and the one verifying it never agree exactly on the time. With
    zero leeway a token is rejected the moment the verifier's clock passes `exp`, and a token whose
    `iat`/`nbf` is a second in the verifier's future is rejected as "not yet valid": sporadic 401s.
    A leeway of hours, on the other hand, silently extends every token's life.

    When the process that verifies is the one that minted, its clock is the minting clock: there is
    no skew, and a finding there was noise (6 of 32 findings on nine public apps). Replicas of one
    image behind a load balancer do run on several clocks, but synchronised hosts differ by well
    under a second; that matters only for tokens whose whole life is a few minutes, hence
    `short-lifetime`: 5 minutes is where service-to-service and one-shot tokens (30 s to 5 min) end
    and user access tokens (15 min and more) begin, and where a few seconds of skew are about 1% of
    the token's life. Raise it if your replicas' clocks are not synchronised.

    ## Example
    ```python
    claims = jwt.decode(token, KEY, algorithms=["HS256"])
    ```
    Use instead:
    ```python
    claims = jwt.decode(token, KEY, algorithms=["HS256"], leeway=10)
    ```

    In JavaScript the option is `clockTolerance` (seconds): `jwt.verify(t, key, { clockTolerance: 10 })`.

    ## Fix safety
    Safe: a leeway of a few seconds (`leeway`, default 10 s) only tolerates clock skew; it does not
    accept forged or long-expired tokens. The leeway goes where the library reads it: PyJWT
    `leeway=`, python-jose `options={"leeway": ...}`, jsonwebtoken/jose/express-jwt
    `clockTolerance`, passport-jwt `jsonWebTokenOptions: { clockTolerance }`. Flask-JWT-Extended
    reads its leeway from the `JWT_DECODE_LEEWAY` setting and is not reported here.

    The option is added after the call's (or the options object's) last one, in its layout: one per
    line with the trailing comma kept in multi-line calls and objects, a comment ending the last
    line left with its own option, the file's quote style; a new options object in a call written one
    argument per line gets a line of its own (before a callback). Options held in a variable of the
    same file (`const OPTS = {...}; jwt.verify(t, K, OPTS)`) are edited where they are defined;
    options spread from elsewhere (`**opts`, `{ ...opts }`) may already hold a leeway and are not
    reported.

    ## References
    - jwks-rsa: https://github.com/auth0/node-jwks-rsa
    - jose `createRemoteJWKSet`: https://github.com/panva/jose/blob/main/docs/jwks/remote/functions/createRemoteJWKSet.md
    - PyJWT `PyJWKClient`: https://pyjwt.readthedocs.io/en/stable/usage.html#retrieve-rsa-signing-keys-from-a-jwks-endpoint
    - PyJWT, expiration time claim and `leeway`: https://pyjwt.readthedocs.io/en/stable/usage.html#expiration-time-claim-exp
    - python-jose `jwt.decode` options (`leeway`): https://python-jose.readthedocs.io/en/latest/jwt/api.html
    - jsonwebtoken `verify` options (`clockTolerance`, `ignoreExpiration`): https://github.com/auth0/node-jsonwebtoken#jwtverifytoken-secretorpublickey-options-callback
    - jose `jwtVerify` options (`clockTolerance`): https://github.com/panva/jose/blob/main/docs/jwt/verify/interfaces/JWTVerifyOptions.md
    - passport-jwt `jsonWebTokenOptions`: https://github.com/mikenicholson/passport-jwt#configure-strategy
    - Flask-JWT-Extended `JWT_DECODE_LEEWAY`: https://flask-jwt-extended.readthedocs.io/en/stable/options.html
    - RFC 7519 §4.1.4 (`exp`: "implementers MAY provide for some small leeway"): https://www.rfc-editor.org/rfc/rfc7519#section-4.1.4
    """

    code = "JWT006"
    name = "no-leeway"
    summary = "JWT expiry checked with zero leeway"
    kinds = CODE_KINDS
    triggers = ("jwt", "jsonwebtoken", "jose")
    severity = Severity.WARNING
    fix_availability = FixAvailability.SOMETIMES
    fix_offers = (
        FixOffer.safe(
            "Adds a leeway of a few seconds where the library reads it: only tolerates clock skew."
        ),
    )
    languages = "Python, JS/TS"
    project_rule = True  # whether skew can bite depends on who mints the tokens, anywhere in the project
    rule_options = (
        RuleOption("leeway", 10, "leeway the fix adds, in seconds", lambda v: int(kit.parse_duration(v))),
        RuleOption("max-leeway", 300.0, "largest acceptable leeway", kit.parse_duration),
        RuleOption("short-lifetime", 300.0, "tokens minted to live this long or less need a leeway even when "
                   "the project verifies its own tokens", kit.parse_duration),
    )
    examples = (
        Valid("import jwt\nc = jwt.decode(t, KEY, algorithms=['HS256'], leeway=10)\n"),
        Valid("import jwt\nfrom datetime import timedelta\nc = jwt.decode(t, KEY, algorithms=['HS256'], leeway=timedelta(seconds=30))\n"),
        Valid("import jwt\nc = jwt.decode(t, KEY, algorithms=['HS256'], options={'verify_exp': False})\n"),
        Valid("import jwt\nh = jwt.get_unverified_header(t)\n"),
        Valid("from flask_jwt_extended import decode_token\nclaims = decode_token(token)\n"),
        Valid("from jose import jwt\nc = jwt.decode(t, KEY, algorithms=['HS256'], options={'leeway': 5})\n"),
        Invalid(
            "import jwt\nclaims = jwt.decode(token, KEY, algorithms=['HS256'])\n",
            fixed="import jwt\nclaims = jwt.decode(token, KEY, algorithms=['HS256'], leeway=10)\n",
            span=(2, 10, 2, 54),
        ),
        Invalid(
            "import jwt as pyjwt\nclaims = pyjwt.decode(\n    token,\n    KEY,\n    algorithms=['HS256'],\n    leeway=0,\n)\n",
            fixed="import jwt as pyjwt\nclaims = pyjwt.decode(\n    token,\n    KEY,\n    algorithms=['HS256'],\n    leeway=10,\n)\n",
        ),
        Invalid(
            "from jose import jwt\nc = jwt.decode(t, KEY, algorithms=['HS256'])\n",
            fixed="from jose import jwt\nc = jwt.decode(t, KEY, algorithms=['HS256'], options={'leeway': 10})\n",
        ),
        Invalid("import jwt\nc = jwt.decode(t, KEY, algorithms=['HS256'], leeway=3600)\n", message="1h"),
        Invalid(  # python-jose: the leeway goes into the options dict already written
            "from jose import jwt\nc = jwt.decode(t, KEY, algorithms=['HS256'], options={'verify_aud': False})\n",
            fixed="from jose import jwt\nc = jwt.decode(t, KEY, algorithms=['HS256'], options={'verify_aud': False, 'leeway': 10})\n",
        ),
        Valid("from jose import jwt\nc = jwt.decode(t, KEY, algorithms=['HS256'], options=JOSE_OPTIONS)\n"),  # may hold it
        Invalid(  # keyword arguments kept in a dict of this file: the leeway goes where the dict is written
            "import jwt\nDECODE = {\n    'algorithms': ['HS256'],  # pinned\n}\n\n"
            "def check(token):\n    return jwt.decode(token, KEY, **DECODE)\n",
            fixed="import jwt\nDECODE = {\n    'algorithms': ['HS256'],  # pinned\n    'leeway': 10,\n}\n\n"
            "def check(token):\n    return jwt.decode(token, KEY, **DECODE)\n",
        ),
        Valid("import jwt\nDECODE = {'algorithms': ['HS256'], 'leeway': 5}\nc = jwt.decode(t, KEY, **DECODE)\n"),
        Valid("import jwt\nc = jwt.decode(t, KEY, **decode_options())\n"),  # built elsewhere: may hold it
        # JavaScript / TypeScript: jsonwebtoken and jose call it `clockTolerance` (seconds).
        Valid('import jwt from "jsonwebtoken";\njwt.verify(token, key, { algorithms: ["HS256"], clockTolerance: 5 });\n', path="auth.ts"),
        Valid('import jwt from "jsonwebtoken";\njwt.verify(token, key, { algorithms: ["HS256"], ignoreExpiration: true });\n', path="auth.ts"),
        Valid('import { jwtVerify } from "jose";\nawait jwtVerify(token, key, { clockTolerance: "30s" });\n', path="auth.mjs"),
        Valid('import jwt from "jsonwebtoken";\nconst claims = jwt.decode(token);\n', path="peek.ts"),
        Invalid(
            'const jwt = require("jsonwebtoken");\nconst claims = jwt.verify(token, process.env.K, { algorithms: ["HS256"] });\n',
            path="auth.js",
            fixed='const jwt = require("jsonwebtoken");\nconst claims = jwt.verify(token, process.env.K, { algorithms: ["HS256"], clockTolerance: 10 });\n',
            count=1,
            span=(2, 16, 2, 75),
        ),
        Invalid(
            'const jwt = require("jsonwebtoken");\njwt.verify(token, process.env.K, (err, claims) => next(err, claims));\n',
            path="auth.js",
            fixed='const jwt = require("jsonwebtoken");\njwt.verify(token, process.env.K, { clockTolerance: 10 }, (err, claims) => next(err, claims));\n',
        ),
        Invalid(
            'import jwt from "jsonwebtoken";\njwt.verify(token, key, {\n  algorithms: ["RS256"],\n  clockTolerance: 0,\n});\n',
            path="auth.ts",
            fixed='import jwt from "jsonwebtoken";\njwt.verify(token, key, {\n  algorithms: ["RS256"],\n  clockTolerance: 10,\n});\n',
        ),
        Invalid(
            'import { jwtVerify } from "jose";\nawait jwtVerify(token, jwks, { issuer: "https://id.example.com" });\n',
            path="auth.ts",
            fixed='import { jwtVerify } from "jose";\nawait jwtVerify(token, jwks, { issuer: "https://id.example.com", clockTolerance: 10 });\n',
        ),
        Invalid('import { jwtVerify } from "jose";\nawait jwtVerify(token, key, { clockTolerance: "2h" });\n', path="auth.ts", message="2h"),
        Valid(
            'const { Strategy } = require("passport-jwt");\npassport.use(new Strategy({ secretOrKey: key, jsonWebTokenOptions: { clockTolerance: 5 } }, done));\n',
            path="passport.js",
        ),
        Invalid(
            'const { Strategy } = require("passport-jwt");\npassport.use(new Strategy({ secretOrKey: key, algorithms: ["RS256"] }, done));\n',
            path="passport.js",
            fixed='const { Strategy } = require("passport-jwt");\npassport.use(new Strategy({ secretOrKey: key, algorithms: ["RS256"], jsonWebTokenOptions: { clockTolerance: 10 } }, done));\n',
        ),
        Invalid(
            'const { Strategy } = require("passport-jwt");\npassport.use(new Strategy({ secretOrKey: key, jsonWebTokenOptions: { maxAge: "1d" } }, done));\n',
            path="passport.js",
            fixed='const { Strategy } = require("passport-jwt");\npassport.use(new Strategy({ secretOrKey: key, jsonWebTokenOptions: { maxAge: "1d", clockTolerance: 10 } }, done));\n',
        ),
        Valid('import jwt from "jsonwebtoken";\njwt.verify(token, key, { ...verifyOptions });\n', path="auth.ts"),
        # Whether skew can bite: who mints the tokens, and how long they live.
        Valid(  # one process mints and verifies its own 1-hour tokens with the same key: one clock
            "import jwt\nfrom datetime import datetime, timedelta, timezone\n\n"
            "def mint(user):\n    return jwt.encode({'sub': user, 'exp': datetime.now(timezone.utc) + timedelta(hours=1)},"
            " KEY, algorithm='HS256')\n\n"
            "def check(token):\n    return jwt.decode(token, KEY, algorithms=['HS256'])\n"
        ),
        Valid(  # the mint in another module of the same deployable
            'const jwt = require("jsonwebtoken");\nexports.check = (token) => jwt.verify(token, process.env.JWT_SECRET, { algorithms: ["HS256"] });\n',
            path="verify.js",
            files={"mint.js": 'const jwt = require("jsonwebtoken");\n'
                   'exports.mint = (sub) => jwt.sign({ sub }, process.env.JWT_SECRET, { expiresIn: "1h" });\n'},
        ),
        Valid(  # the 1-minute mint signs with another key: this verification's tokens live an hour
            "import os, jwt\nfrom datetime import datetime, timedelta, timezone\n\n"
            "def user_token(user):\n    return jwt.encode({'sub': user, 'exp': datetime.now(timezone.utc) + timedelta(hours=1)},"
            " os.environ['USER_KEY'], algorithm='HS256')\n\n"
            "def service_token(name):\n    return jwt.encode({'sub': name, 'exp': datetime.now(timezone.utc) + timedelta(minutes=1)},"
            " os.environ['SERVICE_KEY'], algorithm='HS256')\n\n"
            "def check_user(token):\n    return jwt.decode(token, os.environ['USER_KEY'], algorithms=['HS256'])\n"
        ),
        Valid(  # the tokens carry no `exp`: nothing to be early or late for
            "import jwt\n\ndef mint(user):\n    return jwt.encode({'sub': user}, KEY, algorithm='HS256')\n\n"
            "def check(token):\n    return jwt.decode(token, KEY, algorithms=['HS256'])\n"
        ),
        Valid(  # the explicit 0 is harmless where the verifier mints its own tokens
            'const jwt = require("jsonwebtoken");\n'
            'exports.mint = (sub) => jwt.sign({ sub }, process.env.K, { expiresIn: "1h" });\n'
            'exports.check = (token) => jwt.verify(token, process.env.K, { algorithms: ["HS256"], clockTolerance: 0 });\n',
            path="auth.js",
        ),
        Valid(  # 2-minute tokens, but the threshold is set lower
            'const jwt = require("jsonwebtoken");\n'
            'exports.mint = (sub) => jwt.sign({ sub }, process.env.K, { expiresIn: "2m" });\n'
            'exports.check = (token) => jwt.verify(token, process.env.K, { algorithms: ["HS256"] });\n',
            path="auth.js",
            options={"short-lifetime": "1m"},
        ),
        Invalid(  # 60-second tokens: a few seconds of skew between replicas is a real part of their life
            "import jwt\nfrom datetime import datetime, timedelta, timezone\n\n"
            "def mint(user):\n    return jwt.encode({'sub': user, 'exp': datetime.now(timezone.utc) + timedelta(seconds=60)},"
            " KEY, algorithm='HS256')\n\n"
            "def check(token):\n    return jwt.decode(token, KEY, algorithms=['HS256'])\n",
            fixed="import jwt\nfrom datetime import datetime, timedelta, timezone\n\n"
            "def mint(user):\n    return jwt.encode({'sub': user, 'exp': datetime.now(timezone.utc) + timedelta(seconds=60)},"
            " KEY, algorithm='HS256')\n\n"
            "def check(token):\n    return jwt.decode(token, KEY, algorithms=['HS256'], leeway=10)\n",
            message="live 1m",
            span=(8, 12, 8, 56),
        ),
        Invalid(  # the app mints its own sessions, but this verification takes an identity provider's keys
            "import jwt\nfrom datetime import datetime, timedelta, timezone\n"
            "jwks_client = jwt.PyJWKClient(JWKS_URL)\n\n"
            "def session(user):\n    return jwt.encode({'sub': user, 'exp': datetime.now(timezone.utc) + timedelta(hours=8)},"
            " KEY, algorithm='HS256')\n\n"
            "def login(token):\n    key = jwks_client.get_signing_key_from_jwt(token).key\n"
            "    return jwt.decode(token, key, algorithms=['RS256'], audience='api')\n",
            message="JWKS",
        ),
        Invalid(  # a public key no mint of the project signs for: another service mints these tokens
            'import jwt from "jsonwebtoken";\nexport const check = (t: string) => jwt.verify(t, PUBLIC_KEY, { algorithms: ["RS256"] });\n',
            path="verify.ts",
            files={"mint.ts": 'import jwt from "jsonwebtoken";\n'
                   'export const mint = (sub: string) => jwt.sign({ sub }, process.env.K!, { expiresIn: "1h" });\n'},
            message="public key",
        ),
        Invalid(  # jose with a remote key set: an identity provider mints
            'import { createRemoteJWKSet, jwtVerify } from "jose";\nconst keys = createRemoteJWKSet(new URL(ISSUER_JWKS));\n'
            'export const check = (t: string) => jwtVerify(t, keys, { issuer: ISSUER });\n',
            path="auth.ts",
            fixed='import { createRemoteJWKSet, jwtVerify } from "jose";\nconst keys = createRemoteJWKSet(new URL(ISSUER_JWKS));\n'
            'export const check = (t: string) => jwtVerify(t, keys, { issuer: ISSUER, clockTolerance: 10 });\n',
            message="key set",
        ),
        Invalid(
            'import { expressjwt } from "express-jwt";\napp.use(expressjwt({ secret: process.env.K, algorithms: ["HS256"] }));\n',
            path="app.ts",
            fixed='import { expressjwt } from "express-jwt";\napp.use(expressjwt({ secret: process.env.K, algorithms: ["HS256"], clockTolerance: 10 }));\n',
        ),
    )

    def check_project(self, project) -> Iterable[Diagnostic]:
        exposure = Exposure(project, self.options["short-lifetime"])
        for verify in project.facts(JwtVerify):
            slot = verify.leeway
            if verify.intent != VERIFY or verify.verifies_signature is False or slot is None:
                continue  # peeks and unverified decodes check no time at all
            if slot.in_settings:
                continue  # a framework setting holds it (Flask-JWT-Extended JWT_DECODE_LEEWAY), not this call
            if verify.verifies_exp is not True:
                continue  # expiry not checked, or cannot tell: no leeway needed
            if slot.option is None and slot.hidden:
                continue  # it may be set where authlint cannot see
            diag = self._check(verify, slot, exposure)
            if diag is not None:
                yield diag

    def _check(self, verify: JwtVerify, slot: LeewaySlot, exposure: Exposure) -> Diagnostic | None:
        leeway = self.options["leeway"]
        title = f"Allow {leeway}s of clock skew"
        source = verify.source
        if slot.option is None:
            reason = exposure.reason(verify)
            if reason is None:
                return None  # minted and verified by one deployable, with lifetimes skew cannot dent
            return self.report(source, verify.span, MissingLeeway(reason), self._add(source, verify, slot, leeway, title))
        seconds = slot.seconds
        if seconds is None:
            return None
        if seconds > self.options["max-leeway"]:
            return self.report(source, slot.option.value.span, LongLeeway(seconds))
        if seconds > 0:
            return None
        reason = exposure.reason(verify)
        if reason is None:
            return None
        written = kit.replace_value(source, slot.option.value, _in_unit(leeway, slot))
        return self.report(source, slot.option.value.span, ZeroLeeway(reason), Fix.safe(title, written))

    @staticmethod
    def _add(source, verify: JwtVerify, slot: LeewaySlot, leeway: int, title: str) -> Fix | None:
        """Add the leeway where the library reads it: beside the other options, or in the nested
        options it lives in (created when missing)."""
        value = _in_unit(leeway, slot)
        if slot.bag is not None:
            edit = kit.insert_option(source, slot.bag, slot.name, value)
        elif slot.holder is not None:
            edit = kit.insert_option(source, verify.options, slot.holder, {slot.name: value})
        else:
            edit = None
        return Fix.safe(title, edit) if edit else None


def _in_unit(seconds: int, slot: LeewaySlot) -> int | float:
    """The leeway in the unit the library reads a number in."""
    value = seconds / slot.unit
    return int(value) if float(value).is_integer() else value
