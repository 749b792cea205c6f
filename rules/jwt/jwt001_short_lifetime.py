from __future__ import annotations

from typing import Iterable

from authlint.diagnostics.diagnostic import Diagnostic, Edit, Fix, FixAvailability
from authlint.facts.model import JwtConfig, JwtMint
from authlint.files.kinds import CODE_KINDS
from authlint.rule import FixOffer, Invalid, Rule, RuleOption, Valid, Violation
from authlint.rules import kit


class TooShort(Violation):
    seconds: float
    minimum: float

    def message(self) -> str:
        return (f"token lives only {kit.human(self.seconds)} (under {kit.human(self.minimum)}): clock skew between "
                "machines gets it rejected as expired")


class ShortLifetime(Rule):
    """
    ## What it does
    Finds JWTs minted to live less than `min-lifetime` (default 60 s): PyJWT `exp` of
    `now + timedelta(seconds=30)` or `time.time() + 10`, Flask-JWT-Extended `expires_delta` or
    `JWT_ACCESS_TOKEN_EXPIRES`, jsonwebtoken `expiresIn`.

    ## Why is this bad?
    Clocks between the minting and the verifying machine drift by seconds, and the token also spends
    time in transit and queues. PyJWT's default `leeway` is 0, so a token that lives a few seconds is
    rejected as expired ("Signature has expired") before, or just after, it is first used:
    intermittent authentication failures that are hard to reproduce.

    ## Example
    ```python
    payload["exp"] = datetime.now(timezone.utc) + timedelta(seconds=10)
    ```
    Use instead:
    ```python
    payload["exp"] = datetime.now(timezone.utc) + timedelta(minutes=5)
    ```

    ## Fix safety
    Unsafe: raising the lifetime to `min-lifetime` changes how long a leaked token stays valid.
    The fix replaces the lifetime expression where it is written (the `timedelta(...)` of `exp`,
    also when it is a module constant of the minting file; jsonwebtoken `expiresIn`; jose
    `setExpirationTime`; Flask-JWT-Extended `expires_delta` / `JWT_ACCESS_TOKEN_EXPIRES`), in the form
    the code uses (`timedelta(minutes=1)`, `"1m"`, seconds), so a minted token's `exp - iat` becomes
    `min-lifetime`; the rest of the line (a comment, a trailing comma) stays. A lifetime computed
    where authlint cannot read it (another module, a function argument) is not reported.

    ## References
    - PyJWT, expiration time claim (`exp`, `leeway` defaults to 0): https://pyjwt.readthedocs.io/en/stable/usage.html#expiration-time-claim-exp
    - jsonwebtoken `sign` options (`expiresIn`, vercel/ms strings): https://github.com/auth0/node-jsonwebtoken#jwtsignpayload-secretorprivatekey-options-callback
    - jose `SignJWT.setExpirationTime`: https://github.com/panva/jose/blob/main/docs/jwt/sign/classes/SignJWT.md
    - Flask-JWT-Extended `JWT_ACCESS_TOKEN_EXPIRES`: https://flask-jwt-extended.readthedocs.io/en/stable/options.html
    """

    code = "JWT001"
    name = "short-lifetime"
    summary = "JWT minted with a lifetime too short to survive clock skew"
    kinds = CODE_KINDS
    triggers = ("jwt", "jsonwebtoken", "jose")  # JwtMint / JwtConfig facts: a JWT library or JWT_* settings
    fix_availability = FixAvailability.SOMETIMES
    fix_offers = (
        FixOffer.unsafe(
            "Raises the lifetime to `min-lifetime`, written in the code's own form: a leaked token stays valid longer."
        ),
    )
    languages = "Python, JS/TS"
    rule_options = (
        RuleOption("min-lifetime", 60.0, "shortest acceptable token lifetime (e.g. \"60s\")", kit.parse_duration),
    )
    examples = (
        Valid("import jwt\nfrom datetime import datetime, timedelta, timezone\n"
              "tok = jwt.encode({'exp': datetime.now(timezone.utc) + timedelta(minutes=15)}, KEY)\n"),
        Valid("import jwt, time\ntok = jwt.encode({'exp': int(time.time()) + 3600}, KEY)\n"),
        Valid("import jwt, time\ntok = jwt.encode({'exp': time.time() + 30}, KEY)\n", options={"min-lifetime": "20s"}),
        Valid("import jwt\ntok = jwt.encode({'exp': expiry}, KEY)\n"),
        Invalid(
            "import jwt\nfrom datetime import datetime, timedelta, timezone\n\n"
            "TTL = timedelta(seconds=10)\n\ndef mint(user):\n    payload = {'sub': user}\n"
            "    payload['exp'] = datetime.now(timezone.utc) + TTL\n    return jwt.encode(payload, KEY, algorithm='HS256')\n",
            fixed="import jwt\nfrom datetime import datetime, timedelta, timezone\n\n"
            "TTL = timedelta(minutes=1)\n\ndef mint(user):\n    payload = {'sub': user}\n"
            "    payload['exp'] = datetime.now(timezone.utc) + TTL\n    return jwt.encode(payload, KEY, algorithm='HS256')\n",
            message="10s",
            span=(4, 7, 4, 28),
        ),
        Invalid(
            "import jwt as pyjwt, time\ntok = pyjwt.encode({'sub': 'u', 'exp': int(time.time()) + 5}, KEY)\n",
            fixed="import jwt as pyjwt, time\ntok = pyjwt.encode({'sub': 'u', 'exp': int(time.time()) + 60}, KEY)\n",
        ),
        Invalid(
            "from datetime import timedelta\napp.config['JWT_ACCESS_TOKEN_EXPIRES'] = timedelta(seconds=30)\n",
            fixed="from datetime import timedelta\napp.config['JWT_ACCESS_TOKEN_EXPIRES'] = timedelta(minutes=1)\n",
        ),
        # JavaScript / TypeScript: jsonwebtoken `expiresIn`, an `exp` claim, jose `setExpirationTime`.
        Valid('const jwt = require("jsonwebtoken");\njwt.sign({ sub }, process.env.K, { expiresIn: "15m" });\n', path="auth.js"),
        Valid('import jwt from "jsonwebtoken";\njwt.sign({ sub }, process.env.K, { expiresIn: process.env.TTL });\n', path="auth.ts"),
        Invalid(
            'const jwt = require("jsonwebtoken");\njwt.sign({ sub }, process.env.K, { expiresIn: "10s" });\n',
            path="auth.js",
            fixed='const jwt = require("jsonwebtoken");\njwt.sign({ sub }, process.env.K, { expiresIn: "1m" });\n',
            message="10s",
            count=1,
            span=(2, 47, 2, 52),
        ),
        Invalid(
            'import jwt from "jsonwebtoken";\njwt.sign({ sub }, key, { expiresIn: 30 });\n',
            path="auth.ts",
            fixed='import jwt from "jsonwebtoken";\njwt.sign({ sub }, key, { expiresIn: 60 });\n',
        ),
        Invalid(
            'import jwt from "jsonwebtoken";\njwt.sign({ sub, exp: Math.floor(Date.now() / 1000) + 30 }, key);\n',
            path="auth.mjs",
            fixed='import jwt from "jsonwebtoken";\njwt.sign({ sub, exp: Math.floor(Date.now() / 1000) + 60 }, key);\n',
        ),
        Invalid(
            'import { SignJWT } from "jose";\nawait new SignJWT({ sub }).setExpirationTime("20 sec").sign(key);\n',
            path="mint.ts",
            fixed='import { SignJWT } from "jose";\nawait new SignJWT({ sub }).setExpirationTime("1m").sign(key);\n',
        ),
    )

    def check(self, ctx) -> Iterable[Diagnostic]:
        minimum = self.options["min-lifetime"]
        for mint in ctx.of(JwtMint):
            if mint.lifetime is not None and 0 <= mint.lifetime < minimum:
                expr = mint.lifetime_expr
                span = expr.span if expr is not None else mint.span
                yield self.report(ctx, span, TooShort(mint.lifetime, minimum), self._fix(ctx.source, expr, minimum))
        for config in ctx.of(JwtConfig):
            for lifetime in config.lifetimes:
                seconds = lifetime.seconds
                if seconds is not None and 0 <= seconds < minimum:
                    value = lifetime.option.value
                    yield self.report(ctx, value.span, TooShort(seconds, minimum), self._fix(ctx.source, value, minimum))

    @staticmethod
    def _fix(source, expr, minimum: float) -> Fix | None:
        if expr is None:
            return None
        replacement = kit.render_lifetime(source, expr, minimum)
        if replacement is None:
            return None
        return Fix.unsafe(f"Raise the lifetime to {kit.human(minimum)}", Edit.replace(expr.span, replacement))
