from __future__ import annotations

from typing import Iterable

from authlint.diagnostics.diagnostic import Diagnostic, Fix, FixAvailability, Severity
from authlint.facts.model import VERIFY, JwtVerify, LeewaySlot
from authlint.files.kinds import CODE_KINDS
from authlint.rule import FixOffer, Invalid, Rule, RuleOption, Valid, Violation
from authlint.rules import kit


class MissingLeeway(Violation):
    def message(self) -> str:
        return "expiry checked with no leeway: clock skew between machines rejects valid tokens"


class ZeroLeeway(Violation):
    def message(self) -> str:
        return "leeway of 0: clock skew between machines rejects valid tokens"


class LongLeeway(Violation):
    seconds: float

    def message(self) -> str:
        return f"leeway of {kit.human(self.seconds)} extends every token's life by that much; a few seconds cover clock skew"


class NoLeeway(Rule):
    """
    ## What it does
    Finds JWT verification that checks `exp` with no leeway: PyJWT `decode` without `leeway` (its
    default is 0), python-jose without `options={"leeway": ...}`, jsonwebtoken `verify` without
    `clockTolerance`, or with an explicit 0. Also reports a leeway above `max-leeway`.

    ## Why is this bad?
    The machine that minted the token and the one verifying it never agree exactly on the time. With
    zero leeway a token is rejected the moment the verifier's clock passes `exp`, and a token whose
    `iat`/`nbf` is a second in the verifier's future is rejected as "not yet valid": sporadic 401s.
    A leeway of hours, on the other hand, silently extends every token's life.

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
    rule_options = (
        RuleOption("leeway", 10, "leeway the fix adds, in seconds", lambda v: int(kit.parse_duration(v))),
        RuleOption("max-leeway", 300.0, "largest acceptable leeway", kit.parse_duration),
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
        Invalid(
            'import { expressjwt } from "express-jwt";\napp.use(expressjwt({ secret: process.env.K, algorithms: ["HS256"] }));\n',
            path="app.ts",
            fixed='import { expressjwt } from "express-jwt";\napp.use(expressjwt({ secret: process.env.K, algorithms: ["HS256"], clockTolerance: 10 }));\n',
        ),
    )

    def check(self, ctx) -> Iterable[Diagnostic]:
        for verify in ctx.of(JwtVerify):
            slot = verify.leeway
            if verify.intent != VERIFY or verify.verifies_signature is False or slot is None:
                continue  # peeks and unverified decodes check no time at all
            if slot.in_settings:
                continue  # a framework setting holds it (Flask-JWT-Extended JWT_DECODE_LEEWAY), not this call
            if verify.verifies_exp is not True:
                continue  # expiry not checked, or cannot tell: no leeway needed
            if slot.option is None and slot.hidden:
                continue  # it may be set where authlint cannot see
            diag = self._check(ctx, verify, slot)
            if diag is not None:
                yield diag

    def _check(self, ctx, verify: JwtVerify, slot: LeewaySlot) -> Diagnostic | None:
        leeway = self.options["leeway"]
        title = f"Allow {leeway}s of clock skew"
        if slot.option is None:
            return self.report(ctx, verify.span, MissingLeeway(), self._add(ctx.source, verify, slot, leeway, title))
        seconds = slot.seconds
        if seconds is None:
            return None
        if seconds > self.options["max-leeway"]:
            return self.report(ctx, slot.option.value.span, LongLeeway(seconds))
        if seconds > 0:
            return None
        written = kit.replace_value(ctx.source, slot.option.value, _in_unit(leeway, slot))
        return self.report(ctx, slot.option.value.span, ZeroLeeway(), Fix.safe(title, written))

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
