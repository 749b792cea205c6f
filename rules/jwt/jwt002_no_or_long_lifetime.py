from __future__ import annotations

from typing import Iterable

from authlint.diagnostics.diagnostic import Diagnostic, Edit, Fix, FixAvailability
from authlint.facts.model import JwtConfig, JwtMint
from authlint.files.kinds import CODE_KINDS
from authlint.rule import Invalid, Rule, RuleOption, Valid
from authlint.rules.jwt.lifetimes import ACCESS_LIFETIME_SETTINGS, config_lifetimes, render_duration
from authlint.rules.kit.common import human, parse_duration


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
    An over-long lifetime is lowered to `max-lifetime`: unsafe, sessions end sooner. A missing `exp`
    has no fix (authlint would have to choose the lifetime and the clock).
    """

    code = "JWT002"
    name = "no-or-long-lifetime"
    summary = "JWT minted without expiry or with a very long lifetime"
    kinds = CODE_KINDS
    triggers = ("jwt", "jsonwebtoken", "jose")
    fix_availability = FixAvailability.SOMETIMES
    languages = "Python, JS/TS"
    rule_options = (
        RuleOption("max-lifetime", 86400.0, "longest acceptable access-token lifetime (e.g. \"24h\")", parse_duration),
    )
    examples = (
        Valid("import jwt, time\ntok = jwt.encode({'sub': 'u', 'exp': int(time.time()) + 900}, KEY)\n"),
        Valid("import jwt\ntok = jwt.encode(claims, KEY)\n"),  # payload built elsewhere: cannot tell
        Valid("from datetime import timedelta\nfrom flask_jwt_extended import create_refresh_token\n"
              "t = create_refresh_token(identity=u, expires_delta=timedelta(days=30))\n"),
        Valid("from datetime import timedelta\nJWT_ACCESS_TOKEN_EXPIRES = timedelta(hours=1)\n"),
        Invalid("import jwt\ntok = jwt.encode({'sub': user_id}, KEY, algorithm='HS256')\n", message="without `exp`"),
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
        Invalid(
            "from datetime import timedelta\nSIMPLE_JWT = {'ACCESS_TOKEN_LIFETIME': timedelta(days=30)}\n",
            fixed="from datetime import timedelta\nSIMPLE_JWT = {'ACCESS_TOKEN_LIFETIME': timedelta(days=1)}\n",
        ),
        # JavaScript / TypeScript: jsonwebtoken `expiresIn` (numbers are seconds, strings use `ms`) and jose.
        Valid('const jwt = require("jsonwebtoken");\njwt.sign({ sub }, process.env.K, { expiresIn: "15m" });\n', path="auth.js"),
        Valid('import jwt from "jsonwebtoken";\nexport const mintRefresh = (sub) => jwt.sign({ sub, typ: "refresh" }, key, { expiresIn: "30d" });\n', path="refresh.ts"),
        Valid('import jwt from "jsonwebtoken";\njwt.sign(claims, process.env.K);\n', path="auth.ts"),  # claims built elsewhere
        Invalid('import jwt from "jsonwebtoken";\nconst token = jwt.sign({ sub: user.id }, process.env.K);\n', path="auth.ts", message="jsonwebtoken accepts it forever", count=1),
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
                verifier = {"jsonwebtoken": "jsonwebtoken", "@nestjs/jwt": "jsonwebtoken", "jose": "jose"}.get(mint.library, "PyJWT")
                what = "never expires (`expires_delta=False`)" if mint.library == "flask-jwt-extended" else (
                    f"is minted without `exp`: {verifier} accepts it forever")
                yield self.diagnostic(ctx, mint.span, f"token {what}; set an expiry")
            elif mint.lifetime is not None and mint.lifetime > maximum and not refresh:
                expr = mint.lifetime_expr
                yield self.diagnostic(ctx, expr.span if expr else mint.span, self._long(mint.lifetime, maximum),
                                      self._fix(expr, mint.lang, maximum))
        for config in ctx.of(JwtConfig):
            for option, seconds, never in config_lifetimes(config, ACCESS_LIFETIME_SETTINGS):
                if never:
                    yield self.diagnostic(ctx, option.value.span, f"`{option.name} = False`: access tokens never expire")
                elif seconds is not None and seconds > maximum:
                    yield self.diagnostic(ctx, option.value.span, self._long(seconds, maximum),
                                          self._fix(option.value, config.lang, maximum))

    @staticmethod
    def _long(seconds: float, maximum: float) -> str:
        return f"token lives {human(seconds)} (over {human(maximum)}): a leaked token stays valid that long"

    @staticmethod
    def _fix(expr, lang: str, maximum: float) -> Fix | None:
        if expr is None:
            return None
        replacement = render_duration(lang, expr, maximum)
        return Fix.unsafe(f"Lower the lifetime to {human(maximum)}", Edit.replace(expr.span, replacement)) if replacement else None
