from __future__ import annotations

from typing import Iterable

from authlint.diagnostics.diagnostic import Diagnostic, Edit, Fix, FixAvailability, Severity
from authlint.facts.model import JwtVerify, Option
from authlint.files.kinds import CODE_KINDS
from authlint.rule import Invalid, Rule, RuleOption, Valid
from authlint.rules.jwt.lifetimes import seconds_of
from authlint.rules.kit import legacy_codegen as codegen
from authlint.rules.kit.common import human, insert_option, number, parse_duration, quote_of


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
    accept forged or long-expired tokens.
    """

    code = "JWT006"
    name = "no-leeway"
    summary = "JWT expiry checked with zero leeway"
    kinds = CODE_KINDS
    triggers = ("jwt", "jsonwebtoken", "jose")
    severity = Severity.WARNING
    fix_availability = FixAvailability.SOMETIMES
    languages = "Python, JS/TS"
    rule_options = (
        RuleOption("leeway", 10, "leeway the fix adds, in seconds", lambda v: int(parse_duration(v))),
        RuleOption("max-leeway", 300.0, "largest acceptable leeway", parse_duration),
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
            'import { expressjwt } from "express-jwt";\napp.use(expressjwt({ secret: process.env.K, algorithms: ["HS256"] }));\n',
            path="app.ts",
            fixed='import { expressjwt } from "express-jwt";\napp.use(expressjwt({ secret: process.env.K, algorithms: ["HS256"], clockTolerance: 10 }));\n',
        ),
    )

    def check(self, ctx) -> Iterable[Diagnostic]:
        for verify in ctx.of(JwtVerify):
            if verify.function not in ("decode", "verify", "decode_complete") or verify.verifies_signature is False:
                continue
            if verify.library == "flask-jwt-extended":
                continue  # its leeway is the JWT_DECODE_LEEWAY setting, not an argument
            checks = verify.checks
            if checks is not None and (checks.value("verify_exp", True) is False or checks.spread):
                continue
            if verify.options.value("ignoreExpiration", False) is True:
                continue
            if verify.library == "python-jose":
                found = checks.get("leeway") if checks is not None else None
            elif verify.lang == "python":
                found = verify.options.get("leeway")
            elif verify.library == "passport-jwt":  # passport-jwt hands `jsonWebTokenOptions` to jsonwebtoken
                nested = verify.options.get("jsonWebTokenOptions")
                entries = nested.value.entries if nested is not None else None
                if nested is not None and entries is None:
                    continue
                found = entries.get("clockTolerance") if entries is not None else None
            else:
                found = verify.options.get("clockTolerance")
            if found is None and verify.options.spread:
                continue
            diag = self._check(ctx, verify, found)
            if diag is not None:
                yield diag

    def _check(self, ctx, verify: JwtVerify, found: Option | None) -> Diagnostic | None:
        leeway = self.options["leeway"]
        if found is not None:
            seconds = seconds_of(found.value.value)
            if seconds is None or not number(seconds):
                return None
            if seconds > self.options["max-leeway"]:
                return self.diagnostic(ctx, found.value.span, f"leeway of {human(seconds)} extends every token's life "
                                       "by that much; a few seconds cover clock skew")
            if seconds > 0:
                return None
            return self.diagnostic(ctx, found.value.span, "leeway of 0: clock skew between machines rejects valid tokens",
                                   Fix.safe(f"Allow {leeway}s of clock skew", Edit.replace(found.value.span, str(leeway))))
        return self.diagnostic(ctx, verify.span, "expiry checked with no leeway: clock skew between machines rejects "
                               "valid tokens", self._add(ctx, verify, leeway))

    @staticmethod
    def _add(ctx, verify: JwtVerify, leeway: int) -> Fix | None:
        title = f"Allow {leeway}s of clock skew"
        if verify.library == "python-jose":
            quote = quote_of(ctx.source)
            if verify.checks is not None:
                option_arg = verify.options.get("options")
                if option_arg is None or option_arg.value.origin is not None or verify.checks.insert_at is None:
                    return None
                entry = f"{codegen.string('python', 'leeway', quote)}: {leeway}"
                return Fix.safe(title, Edit.insert(verify.checks.insert_at, verify.checks.insert_prefix + entry))
            if "options" in verify.options:
                return None
            edit = insert_option("python", verify.options, "options", "{" + f"{codegen.string('python', 'leeway', quote)}: {leeway}" + "}")
            return Fix.safe(title, edit) if edit else None
        if verify.library == "passport-jwt":
            nested = verify.options.get("jsonWebTokenOptions")
            entries = nested.value.entries if nested is not None else None
            if entries is not None:
                edit = insert_option(verify.lang, entries, "clockTolerance", str(leeway))
            else:
                edit = insert_option(verify.lang, verify.options, "jsonWebTokenOptions", "{ " + f"clockTolerance: {leeway}" + " }")
            return Fix.safe(title, edit) if edit else None
        name = "leeway" if verify.lang == "python" else "clockTolerance"
        edit = insert_option(verify.lang, verify.options, name, str(leeway))
        return Fix.safe(title, edit) if edit else None
