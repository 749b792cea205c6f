from __future__ import annotations

from typing import Iterable

from authlint.diagnostics.diagnostic import Diagnostic, Edit, Fix, FixAvailability
from authlint.facts.model import JwtConfig, JwtMint
from authlint.files.kinds import CODE_KINDS
from authlint.rule import FixOffer, Invalid, Rule, RuleOption, Valid, Violation
from authlint.rules import kit


class NoExpiry(Violation):
    """A token minted without ``exp``: by omission (the verifier then accepts it forever) or by a
    switch written in the call (``expires_delta=False``)."""

    verifier: str
    switch: str = ""

    def message(self) -> str:
        what = f"never expires (`{self.switch}`)" if self.switch else f"is minted without `exp`: {self.verifier} accepts it forever"
        return f"token {what}; set an expiry"


class LongLifetime(Violation):
    seconds: float
    maximum: float

    def message(self) -> str:
        return f"token lives {kit.human(self.seconds)} (over {kit.human(self.maximum)}): a leaked token stays valid that long"


class SettingNeverExpires(Violation):
    setting: str

    def message(self) -> str:
        return f"`{self.setting} = False`: access tokens never expire"


class NoOrLongLifetime(Rule):
    """
    ## What it does
    Finds JWTs minted without an `exp` claim (PyJWT payloads without `exp`, Flask-JWT-Extended
    `expires_delta=False` or `JWT_ACCESS_TOKEN_EXPIRES = False`) or living longer than `max-lifetime`
    (default 24 h). Refresh tokens are exempt from the maximum.

    ## Why is this bad?
    PyJWT only checks `exp` when the claim is present, so a token without one is valid forever: a
    token copied from a log, a browser or a leaked backup works until the signing key is rotated.
    Week-long access tokens have the same problem on a smaller scale; short access tokens plus
    refresh tokens limit the damage.

    ## Example
    ```python
    token = jwt.encode({"sub": user.id}, KEY, algorithm="HS256")
    ```
    Use instead:
    ```python
    token = jwt.encode({"sub": user.id, "exp": datetime.now(timezone.utc) + timedelta(hours=1)},
                       KEY, algorithm="HS256")
    ```

    ## Fix safety
    Unsafe: an over-long lifetime is lowered to `max-lifetime` (default 1 day), sessions end sooner.
    The lifetime expression is replaced where it is written (`timedelta(days=30)` ->
    `timedelta(days=1)`, `60 * 60 * 24 * 365` -> `86400`, `expiresIn: "1y"` -> `"1d"`, jose
    `setExpirationTime("30d")` -> `"1d"`, SimpleJWT `ACCESS_TOKEN_LIFETIME`), so a minted token's
    `exp - iat` becomes `max-lifetime`; comments and trailing commas around it stay. A missing `exp`
    has no fix (authlint would have to choose the lifetime and the clock).

    ## References
    - PyJWT checks `exp` only when present (`require` makes it mandatory): https://pyjwt.readthedocs.io/en/stable/usage.html#expiration-time-claim-exp
    - jsonwebtoken `sign` options (`expiresIn`): https://github.com/auth0/node-jsonwebtoken#jwtsignpayload-secretorprivatekey-options-callback
    - jose `SignJWT.setExpirationTime`: https://github.com/panva/jose/blob/main/docs/jwt/sign/classes/SignJWT.md
    - Flask-JWT-Extended `JWT_ACCESS_TOKEN_EXPIRES` and `expires_delta`: https://flask-jwt-extended.readthedocs.io/en/stable/options.html
    - SimpleJWT `ACCESS_TOKEN_LIFETIME`: https://django-rest-framework-simplejwt.readthedocs.io/en/latest/settings.html
    - OWASP JWT cheat sheet, token lifetime: https://cheatsheetseries.owasp.org/cheatsheets/JSON_Web_Token_for_Java_Cheat_Sheet.html
    """

    code = "JWT002"
    name = "no-or-long-lifetime"
    summary = "JWT minted without expiry or with a very long lifetime"
    kinds = CODE_KINDS
    triggers = ("jwt", "jsonwebtoken", "jose")
    fix_availability = FixAvailability.SOMETIMES
    fix_offers = (
        FixOffer.unsafe(
            "Lowers an over-long lifetime to `max-lifetime`: sessions end sooner."
        ),
    )
    languages = "Python, JS/TS"
    rule_options = (
        RuleOption("max-lifetime", 86400.0, "longest acceptable access-token lifetime (e.g. \"24h\")", kit.parse_duration),
    )
    examples = (
        Valid("import jwt, time\ntok = jwt.encode({'sub': 'u', 'exp': int(time.time()) + 900}, KEY)\n"),
        Valid("import jwt\ntok = jwt.encode(claims, KEY)\n"),  # payload built elsewhere: cannot tell
        Valid("from datetime import timedelta\nfrom flask_jwt_extended import create_refresh_token\n"
              "t = create_refresh_token(identity=u, expires_delta=timedelta(days=30))\n"),
        Valid("from datetime import timedelta\nJWT_ACCESS_TOKEN_EXPIRES = timedelta(hours=1)\n"),
        Invalid("import jwt\ntok = jwt.encode({'sub': user_id}, KEY, algorithm='HS256')\n", message="without `exp`", span=(2, 7, 2, 59)),
        Invalid(
            "import jwt\nfrom datetime import datetime, timedelta\n"
            "tok = jwt.encode({'sub': 'u', 'exp': datetime.utcnow() + timedelta(days=365)}, KEY)\n",
            fixed="import jwt\nfrom datetime import datetime, timedelta\n"
            "tok = jwt.encode({'sub': 'u', 'exp': datetime.utcnow() + timedelta(days=1)}, KEY)\n",
            message="365d",
        ),
        Invalid(
            "from flask_jwt_extended import create_access_token\nt = create_access_token(identity=u, expires_delta=False)\n",
            message="never expires",
        ),
        Invalid("class Config:\n    JWT_ACCESS_TOKEN_EXPIRES = False\n", message="never expire"),
        # the lifetime through a local and a timestamp conversion (strftime('%s'), .timestamp(), timegm)
        Invalid(
            "import jwt\nfrom datetime import datetime, timedelta\n\ndef token(self):\n"
            "    dt = datetime.now() + timedelta(days=60)\n"
            "    return jwt.encode({'id': self.pk, 'exp': int(dt.strftime('%s'))}, KEY, algorithm='HS256')\n",
            fixed="import jwt\nfrom datetime import datetime, timedelta\n\ndef token(self):\n"
            "    dt = datetime.now() + timedelta(days=1)\n"
            "    return jwt.encode({'id': self.pk, 'exp': int(dt.strftime('%s'))}, KEY, algorithm='HS256')\n",
            message="60d",
            count=1,
            span=(5, 27, 5, 45),
        ),
        Invalid(
            "import calendar, jwt\nfrom datetime import datetime, timedelta\n"
            "expires = datetime.utcnow() + timedelta(weeks=4)\n"
            "tok = jwt.encode({'sub': 'u', 'exp': calendar.timegm(expires.utctimetuple())}, KEY)\n",
            message="28d",
        ),
        Valid(
            "import jwt\nfrom datetime import datetime, timedelta, timezone\n\ndef token(self):\n"
            "    dt = datetime.now(timezone.utc) + timedelta(minutes=15)\n"
            "    return jwt.encode({'id': self.pk, 'exp': int(dt.timestamp())}, KEY, algorithm='HS256')\n",
        ),

        Invalid(
            "from datetime import timedelta\nSIMPLE_JWT = {'ACCESS_TOKEN_LIFETIME': timedelta(days=30)}\n",
            fixed="from datetime import timedelta\nSIMPLE_JWT = {'ACCESS_TOKEN_LIFETIME': timedelta(days=1)}\n",
        ),
        # JavaScript / TypeScript: jsonwebtoken `expiresIn` (numbers are seconds, strings use `ms`) and jose.
        Valid('const jwt = require("jsonwebtoken");\njwt.sign({ sub }, process.env.K, { expiresIn: "15m" });\n', path="auth.js"),
        Valid('import jwt from "jsonwebtoken";\nexport const mintRefresh = (sub) => jwt.sign({ sub, typ: "refresh" }, key, { expiresIn: "30d" });\n', path="refresh.ts"),
        Valid('import jwt from "jsonwebtoken";\njwt.sign(claims, process.env.K);\n', path="auth.ts"),  # claims built elsewhere
        Invalid('import jwt from "jsonwebtoken";\nconst token = jwt.sign({ sub: user.id }, process.env.K);\n', path="auth.ts", message="jsonwebtoken accepts it forever", count=1, span=(2, 15, 2, 56)),
        Invalid(
            'const jwt = require("jsonwebtoken");\njwt.sign({ sub }, process.env.K, { expiresIn: "1y" });\n',
            path="auth.js",
            fixed='const jwt = require("jsonwebtoken");\njwt.sign({ sub }, process.env.K, { expiresIn: "1d" });\n',
        ),
        Invalid(
            'const jwt = require("jsonwebtoken");\njwt.sign({ sub }, process.env.K, { expiresIn: 60 * 60 * 24 * 7 });\n',
            path="auth.js",
            fixed='const jwt = require("jsonwebtoken");\njwt.sign({ sub }, process.env.K, { expiresIn: 86400 });\n',
        ),
        # the lifetime kept in a Date local, converted to epoch seconds for `exp` (no fix: setter units)
        Invalid(
            "const jwt = require('jsonwebtoken');\nUserSchema.methods.generateJWT = function () {\n"
            "  const today = new Date();\n  const exp = new Date(today);\n  exp.setDate(today.getDate() + 60);\n"
            "  return jwt.sign({ id: this._id, exp: parseInt(exp.getTime() / 1000) }, secret);\n};\n",
            path="User.js",
            message="60d",
            count=1,
            span=(6, 10, 6, 81),
        ),
        Valid(
            "const jwt = require('jsonwebtoken');\nUserSchema.methods.generateJWT = function () {\n"
            "  const today = new Date();\n  const exp = new Date(today);\n  exp.setHours(today.getHours() + 1);\n"
            "  return jwt.sign({ id: this._id, exp: parseInt(exp.getTime() / 1000) }, secret);\n};\n",
            path="User.js",
        ),
        Invalid(
            "import jwt from 'jsonwebtoken';\nexport function mint(sub: string) {\n"
            "  const expires = new Date(Date.now() + 30 * 24 * 3600 * 1000);\n"
            "  return jwt.sign({ sub, exp: Math.floor(expires.getTime() / 1000) }, key);\n}\n",
            path="mint.ts",
            message="30d",
        ),
        Valid(
            "import jwt from 'jsonwebtoken';\nexport function mint(sub: string) {\n"
            "  const expires = new Date(Date.now() + 15 * 60 * 1000);\n"
            "  return jwt.sign({ sub, exp: Math.floor(expires.getTime() / 1000) }, key);\n}\n",
            path="mint.ts",
        ),
        Invalid(
            'import { SignJWT } from "jose";\nawait new SignJWT({ sub }).setProtectedHeader({ alg: "HS256" }).sign(key);\n',
            path="mint.mjs",
            message="jose accepts it forever",
        ),
        Invalid(
            'import { JwtModule } from "@nestjs/jwt";\n@Module({ imports: [JwtModule.register({ secret: process.env.JWT_SECRET })] })\nexport class AuthModule {}\n',
            path="auth.module.ts",
            message="jsonwebtoken accepts it forever",
        ),
        Valid(
            'import { JwtModule } from "@nestjs/jwt";\nJwtModule.register({ secret: process.env.JWT_SECRET, signOptions: { expiresIn: "15m" } });\n',
            path="auth.module.ts",
        ),
    )

    def check(self, ctx) -> Iterable[Diagnostic]:
        maximum = self.options["max-lifetime"]
        for mint in ctx.of(JwtMint):
            refresh = "refresh" in ctx.source.slice(mint.span).lower()
            if mint.has_exp is False:
                switch = ctx.source.slice(mint.expiry_off.span) if mint.expiry_off is not None else ""
                yield self.report(ctx, mint.span, NoExpiry(verifier=mint.verifier, switch=switch))
            elif mint.lifetime is not None and mint.lifetime > maximum and not refresh:
                expr = mint.lifetime_expr
                yield self.report(ctx, expr.span if expr else mint.span, LongLifetime(mint.lifetime, maximum),
                                  self._fix(ctx.source, expr, maximum))
        for config in ctx.of(JwtConfig):
            for lifetime in config.lifetimes:
                if lifetime.refresh:
                    continue  # refresh tokens are meant to live long
                value = lifetime.option.value
                if lifetime.never:
                    yield self.report(ctx, value.span, SettingNeverExpires(lifetime.option.name))
                elif lifetime.seconds is not None and lifetime.seconds > maximum:
                    yield self.report(ctx, value.span, LongLifetime(lifetime.seconds, maximum),
                                      self._fix(ctx.source, value, maximum))

    @staticmethod
    def _fix(source, expr, maximum: float) -> Fix | None:
        if expr is None:
            return None
        replacement = kit.render_lifetime(source, expr, maximum)
        if replacement is None:
            return None
        return Fix.unsafe(f"Lower the lifetime to {kit.human(maximum)}", Edit.replace(expr.span, replacement))
