from __future__ import annotations

from typing import Iterable

from authlint.diagnostics.diagnostic import Diagnostic, Fix, FixAvailability
from authlint.facts.model import DECODE_ONLY, PEEK, JwtMint, JwtVerify, Option
from authlint.files.kinds import CODE_KINDS
from authlint.rule import FixOffer, Invalid, Rule, Valid, Violation
from authlint.rules import kit

HMAC = "HS"
ASYMMETRIC = ("RS", "ES", "PS", "ED")


class ClaimsUnverified(Violation):
    def message(self) -> str:
        return "claims are read without verifying the token's signature"


class SignatureOff(Violation):
    """Signature verification off: by a switch written in the code, by a decoder that never verifies,
    or by a verifier given no key."""

    switch: str = ""
    decoder: str = ""
    keyless: str = ""

    def message(self) -> str:
        if self.switch:
            what = f"`{self.switch}` switches signature verification off"
        elif self.decoder:
            what = f"{self.decoder} does not verify anything"
        else:
            what = f"{self.keyless} with no key accepts unsigned (`alg: none`) tokens"
        return f"{what}: anyone can forge this token"


class ExpiryOff(Violation):
    switch: str

    def message(self) -> str:
        return f"`{self.switch}` switches the expiry check off: stolen tokens never expire"


class AlgorithmsMissing(Violation):
    def message(self) -> str:
        return "`algorithms` is missing: PyJWT raises DecodeError and python-jose accepts any algorithm the token names"


class NoneAccepted(Violation):
    def message(self) -> str:
        return "`none` is an accepted algorithm: unsigned tokens pass"


class AlgorithmConfusion(Violation):
    def message(self) -> str:
        return ("HMAC and public-key algorithms accepted together: algorithm confusion lets a token signed "
                "with the public key as an HMAC secret pass")


class UnverifiedDecode(Rule):
    """
    ## What it does
    Finds JWT verification that does not verify: PyJWT / python-jose `decode` with
    `options={"verify_signature": False}` (or the old `verify=False`), expiry checks switched off
    (`verify_exp: False`, jsonwebtoken `ignoreExpiration: true`, Flask-JWT-Extended
    `decode_token(..., allow_expired=True)`), `algorithms` missing or containing
    `"none"`, HMAC and public-key algorithms accepted together, jsonwebtoken `decode()` used where a
    token is trusted, and python-jose `get_unverified_claims`.

    ## Why is this bad?
    Without signature verification anyone can write their own token: `{"sub": "admin"}` signed with
    nothing is accepted. Without the expiry check a stolen token works forever. Accepting `"none"` or
    both `HS256` and `RS256` enables the classic algorithm-confusion forgeries. PyJWT raises
    `DecodeError` at runtime when `algorithms` is missing, and python-jose then accepts whatever
    algorithm the token's header names.

    ## Example
    ```python
    claims = jwt.decode(token, KEY, options={"verify_signature": False})
    ```
    Use instead:
    ```python
    claims = jwt.decode(token, KEY, algorithms=["HS256"])
    ```

    In JavaScript: `jwt.decode(token)` (jsonwebtoken) or `decodeJwt(token)` (jose) reads claims
    without checking the signature; use `jwt.verify(token, key, { algorithms: ["HS256"] })`.

    ## Fix safety
    Unsafe: dropping the override (or the `"none"` algorithm) makes tokens that were accepted before
    fail verification, which is the point but changes behaviour. A missing `algorithms` is added only
    when the same file mints tokens with a known algorithm.

    ## References
    - PyJWT `jwt.decode` (`algorithms`, `options`): https://pyjwt.readthedocs.io/en/stable/api.html
    - PyJWT, reading unverified claims and headers: https://pyjwt.readthedocs.io/en/stable/usage.html#reading-the-claimset-without-validation
    - python-jose `get_unverified_claims`: https://python-jose.readthedocs.io/en/latest/jwt/api.html
    - jsonwebtoken `verify` vs `decode` ("will not verify whether the signature is valid"): https://github.com/auth0/node-jsonwebtoken#jwtdecodetoken--options
    - CVE-2022-23540, jsonwebtoken verify with a falsy key and no `algorithms` accepts `none`: https://github.com/auth0/node-jsonwebtoken/security/advisories/GHSA-qwph-4952-7xr6
    - CVE-2022-23541, jsonwebtoken key-type confusion (HMAC and public-key algorithms): https://github.com/auth0/node-jsonwebtoken/security/advisories/GHSA-hjrf-2m68-5959
    - jose `decodeJwt` ("without verifying the signature"): https://github.com/panva/jose/blob/main/docs/util/decode_jwt/functions/decodeJwt.md
    - Flask-JWT-Extended `decode_token(allow_expired=...)`: https://flask-jwt-extended.readthedocs.io/en/stable/api.html#flask_jwt_extended.decode_token
    """

    code = "JWT003"
    name = "unverified-decode"
    summary = "JWT decoded without verifying its signature, algorithm or expiry"
    kinds = CODE_KINDS
    triggers = ("jwt", "jsonwebtoken", "jose")
    fix_availability = FixAvailability.SOMETIMES
    fix_offers = (
        FixOffer.unsafe(
            "Drops the override that skips the signature or expiry check (or the `none` algorithm), or adds the `algorithms` the project mints with: tokens accepted before are refused."
        ),
    )
    languages = "Python, JS/TS"
    examples = (
        Valid("import jwt\nclaims = jwt.decode(token, KEY, algorithms=['HS256'])\n"),
        Valid(
            "import os\nimport jwt as pyjwt\n"
            "claims = pyjwt.decode(tok, os.environ['JWT_KEY'], algorithms=['RS256'], options={'require': ['exp']})\n"
        ),
        Valid(
            "import jwt\nALGS = ['HS256']\n"
            "header = jwt.get_unverified_header(token)\n"  # reading `kid` before verifying is normal
            "claims = jwt.decode(token, keys[header['kid']], algorithms=ALGS)\n"
        ),
        Valid("import base64\ndata = base64.b64decode(blob)\ntext = data.decode('utf-8')\n"),
        Invalid(
            "import jwt\nclaims = jwt.decode(token, KEY, algorithms=['HS256'], options={'verify_signature': False})\n",
            fixed="import jwt\nclaims = jwt.decode(token, KEY, algorithms=['HS256'])\n",
            message="signature",
            span=(2, 64, 2, 89),
        ),
        Invalid(
            "from jwt import decode as jwt_decode\n"
            "claims = jwt_decode(\n    token,\n    KEY,\n    algorithms=['HS256'],\n"
            "    options={\n        'verify_signature': False,\n        'verify_aud': False,\n    },\n)\n",
            fixed="from jwt import decode as jwt_decode\n"
            "claims = jwt_decode(\n    token,\n    KEY,\n    algorithms=['HS256'],\n"
            "    options={\n        'verify_aud': False,\n    },\n)\n",
        ),
        Invalid(
            "import jwt\nOPTS = {'verify_exp': False}\nclaims = jwt.decode(t, KEY, algorithms=['HS256'], options=OPTS)\n",
            message="expiry",
        ),
        Invalid(
            "import jwt\nclaims = jwt.decode(token, KEY, algorithms=['HS256', 'none'])\n",
            fixed="import jwt\nclaims = jwt.decode(token, KEY, algorithms=['HS256'])\n",
            message="none",
        ),
        Invalid(
            "import jwt\nclaims = jwt.decode(token, PUBLIC_KEY, algorithms=['RS256', 'HS256'])\n",
            message="confusion",
        ),
        Invalid(
            "import jwt\n\ndef mint(user):\n    return jwt.encode({'sub': user}, KEY, algorithm='HS512')\n\n"
            "def check(token):\n    return jwt.decode(token, KEY)\n",
            fixed="import jwt\n\ndef mint(user):\n    return jwt.encode({'sub': user}, KEY, algorithm='HS512')\n\n"
            "def check(token):\n    return jwt.decode(token, KEY, algorithms=['HS512'])\n",
            message="algorithms",
        ),
        Invalid("import jwt\nclaims = jwt.decode(token, verify=False)\n", count=1),
        Invalid("from jose import jwt\nclaims = jwt.get_unverified_claims(token)\n"),
        Valid("from flask_jwt_extended import decode_token\nclaims = decode_token(token)\n"),
        Invalid(
            "from flask_jwt_extended import decode_token\nclaims = decode_token(token, allow_expired=True)\n",
            fixed="from flask_jwt_extended import decode_token\nclaims = decode_token(token)\n",
            message="expiry",
        ),
        # JavaScript / TypeScript: jsonwebtoken and jose.
        Valid('import jwt from "jsonwebtoken";\nconst claims = jwt.verify(token, publicKey, { algorithms: ["RS256"] });\n', path="auth.ts"),
        Valid('const jwt = require("jsonwebtoken");\njwt.verify(token, process.env.JWT_SECRET, (err, claims) => done(err, claims));\n', path="auth.js"),
        Valid('import { jwtVerify } from "jose";\nawait jwtVerify(token, key, { algorithms: ["ES256"] });\n', path="auth.mjs"),
        Invalid('const jwt = require("jsonwebtoken");\nconst user = jwt.decode(req.headers.authorization.slice(7));\n', path="auth.js", message="does not verify", count=1, span=(2, 14, 2, 60)),
        Invalid('import { decodeJwt } from "jose";\nconst { sub } = decodeJwt(token);\n', path="session.ts", message="does not verify"),
        Invalid('const jwt = require("jsonwebtoken");\njwt.verify(token, null);\n', path="auth.js", message="no key"),
        Invalid(
            'import jwt from "jsonwebtoken";\njwt.verify(token, secret, { algorithms: ["HS256"], ignoreExpiration: true });\n',
            path="auth.ts",
            fixed='import jwt from "jsonwebtoken";\njwt.verify(token, secret, { algorithms: ["HS256"] });\n',
            message="expiry",
        ),
        Invalid(
            'import jwt from "jsonwebtoken";\njwt.verify(token, secret, { algorithms: ["HS256", "none"] });\n',
            path="auth.ts",
            fixed='import jwt from "jsonwebtoken";\njwt.verify(token, secret, { algorithms: ["HS256"] });\n',
            message="none",
        ),
        Invalid('import jwt from "jsonwebtoken";\njwt.verify(token, key, { algorithms: ["HS256", "RS256"] });\n', path="auth.ts", message="confusion"),
        Invalid(
            'import { PassportStrategy } from "@nestjs/passport";\nimport { ExtractJwt, Strategy } from "passport-jwt";\n\n'
            "export class JwtStrategy extends PassportStrategy(Strategy) {\n  constructor() {\n"
            "    super({ jwtFromRequest: ExtractJwt.fromAuthHeaderAsBearerToken(), ignoreExpiration: true, secretOrKey: process.env.K });\n"
            "  }\n}\n",
            path="jwt.strategy.ts",
            fixed='import { PassportStrategy } from "@nestjs/passport";\nimport { ExtractJwt, Strategy } from "passport-jwt";\n\n'
            "export class JwtStrategy extends PassportStrategy(Strategy) {\n  constructor() {\n"
            "    super({ jwtFromRequest: ExtractJwt.fromAuthHeaderAsBearerToken(), secretOrKey: process.env.K });\n"
            "  }\n}\n",
            message="ignoreExpiration",
        ),
    )

    def check(self, ctx) -> Iterable[Diagnostic]:
        minted = [m.algorithm.value for m in ctx.of(JwtMint) if m.algorithm is not None and m.algorithm.known]
        for verify in ctx.of(JwtVerify):
            if verify.intent == PEEK:  # reading the header (its `kid`) before verifying is normal
                if verify.reads == "claims":
                    yield self.report(ctx, verify.span, ClaimsUnverified())
                continue
            yield from self._check(ctx, verify, minted)

    def _check(self, ctx, verify: JwtVerify, minted: list[str]) -> Iterable[Diagnostic]:
        source = ctx.source
        if verify.verifies_signature is False:
            override = verify.signature_off
            span = override.span if override else verify.span
            if override is not None:
                violation = SignatureOff(switch=source.slice(override.span))
            elif verify.intent == DECODE_ONLY:
                violation = SignatureOff(decoder=verify.label)
            else:
                violation = SignatureOff(keyless=verify.label)
            yield self.report(ctx, span, violation, self._drop(ctx, verify, override))
            return
        expiry = verify.expiry_off
        if expiry is not None:
            yield self.report(ctx, expiry.span, ExpiryOff(source.slice(expiry.span)), self._drop(ctx, verify, expiry))
        if verify.algorithms_at == "call":  # else framework settings choose them (JWT_ALGORITHM)
            yield from self._algorithms(ctx, verify, minted)

    def _algorithms(self, ctx, verify: JwtVerify, minted: list[str]) -> Iterable[Diagnostic]:
        algorithms = verify.algorithms
        if algorithms is None:
            if not verify.algorithms_required or verify.options.spread:
                return
            fix = None
            if minted and len(set(minted)) == 1:
                edit = kit.insert_option(ctx.source, verify.options, "algorithms", [minted[0]], like="'")
                fix = Fix.unsafe(f"Accept only {minted[0]}, the algorithm this file mints with", edit) if edit else None
            yield self.report(ctx, verify.span, AlgorithmsMissing(), fix)
            return
        if not algorithms.known:
            return
        values = algorithms.value if isinstance(algorithms.value, list) else [algorithms.value]
        names = [v for v in values if isinstance(v, str)]
        if any(name.lower() == "none" for name in names):
            rest = [name for name in names if name.lower() != "none"]
            fix = None
            if rest and len(names) == len(values):
                fix = Fix.unsafe("Drop the `none` algorithm", kit.replace_value(ctx.source, algorithms, rest))
            yield self.report(ctx, algorithms.span, NoneAccepted(), fix)
            return
        upper = [name.upper() for name in names]
        if any(n.startswith(HMAC) for n in upper) and any(n.startswith(ASYMMETRIC) for n in upper):
            yield self.report(ctx, algorithms.span, AlgorithmConfusion())

    def _drop(self, ctx, verify: JwtVerify, override: Option | None) -> Fix | None:
        """Remove the override; the whole nested options (``options=``) when it was their only entry
        (and they are written here)."""
        if override is None:
            return None
        holder = verify.switches_holder
        switches = verify.switches
        if holder is not None and switches is not None and switches.get(override.name) == override:
            if holder.value.origin is not None or override.span.start < holder.span.start \
                    or override.span.end > holder.span.end:
                return None  # the options dict lives elsewhere (a shared constant): leave it to the author
            if len(switches.items) == 1 and not switches.spread:
                return Fix.unsafe(f"Drop the `{holder.name}` override", kit.remove_option(ctx.source, holder))
        return Fix.unsafe(f"Drop `{override.name}`", kit.remove_option(ctx.source, override))
