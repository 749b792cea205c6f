from __future__ import annotations

from typing import Any, Iterable

from authlint.diagnostics.diagnostic import Diagnostic, Edit, Fix, FixAvailability, Severity
from authlint.diagnostics.mask import mask_value
from authlint.facts.model import DECODE_ONLY, PEEK, JwtMint, JwtVerify, Option, VersionGate
from authlint.files.kinds import CODE_KINDS
from authlint.rule import FixOffer, Invalid, Rule, Valid, Violation
from authlint.rules import kit
from authlint.rules.jwt.minted import Minted, minted_for
from authlint.versions import ranges
from authlint.versions.example_files import package_json, package_lock, poetry_lock, requirements
from authlint.versions.model import ProjectVersions

HMAC = "HS"
UNKNOWN_VERSIONS = ProjectVersions()  # nothing pinned: the version-independent findings
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


# -- (versions) what the library version the project runs makes of a verification ---------------------


class AlgorithmsMissingRaises(Violation):
    package: str
    since: str
    where: str  # the pin that says so, ``requirements.txt:3``

    def message(self) -> str:
        return (f"`algorithms` is missing: {self.package} {self.since} and later ({self.where}) raises DecodeError "
                "on every call (a bug: no token is ever accepted)")


class AlgorithmsMissingAnyAccepted(Violation):
    package: str
    before: str
    where: str

    def message(self) -> str:
        return (f"`algorithms` is missing: {self.package} before {self.before} ({self.where}) accepts any algorithm "
                "the token's header names")


class SwitchIgnored(Violation):
    switch: str
    package: str
    since: str
    where: str
    raises: bool  # and without `algorithms` the call raises

    def message(self) -> str:
        text = (f"`{self.switch}` does nothing in {self.package} {self.since} and later ({self.where}): the "
                "signature is verified anyway")
        if self.raises:
            text += ", and without `algorithms` every call raises DecodeError"
        return text


class UnsafeDefaultAlgorithms(Violation):
    package: str
    before: str
    where: str
    callback: bool  # the key comes from a callback

    def message(self) -> str:
        running = f"{self.package} before {self.before} ({self.where})"
        if self.callback:
            return (f"no `algorithms`: with {running} a key from a callback is tried as an HMAC secret too, so a "
                    "token signed with a public key as the HMAC secret passes (CVE-2022-23541)")
        return (f"no `algorithms`: with {running} an empty key (an unset variable) accepts unsigned `alg: none` "
                "tokens (CVE-2022-23540) and a key without PEM markers is tried as an HMAC secret (CVE-2022-23541)")


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
    Unsafe: every fix makes tokens that were accepted before fail verification (forged ones, and
    legitimate ones the fix cannot know about), which is the point but changes behaviour; a
    jsonwebtoken `decode()` turned into `verify()` also throws where `decode()` returned `null`.

    A verification left without a key or an algorithm list rejects every legitimate token, so the
    fixes take both from the project's mints (`jwt.encode`, `jwt.sign`, jose `SignJWT`, in any file
    of the project):
    - the algorithm when every mint signs with the same one (PyJWT's and jsonwebtoken's default
      `HS256` when none is written);
    - for HMAC algorithms, the key when every mint signs with the same one, written at the decode
      only as code valid there: a name the decode's file binds to the same value (a module constant
      reading the same environment variable, the mint module's constant imported by name or reached
      through its module, `settings.JWT_SECRET`), or the environment/settings read itself when the
      decode's file imports what it uses (`os`; `process.env` is valid in every JS/TS file). A
      literal key is never copied.

    What is fixed: `options={"verify_signature": False}` / `verify=False` are dropped and the missing
    `key=` / `algorithms=` added in their place (the line's comment and trailing comma stay); a
    missing `algorithms` is added; `"none"` is dropped from the accepted algorithms, or replaced by
    the minted algorithm when it was the only one; jsonwebtoken `jwt.decode(token, opts)` becomes
    `jwt.verify(token, KEY, { ...opts, algorithms: [...] })`; `jwt.verify(token, null)` gets the key
    (and `algorithms`); `verify_exp: False`, `ignoreExpiration: true` and `allow_expired=True` are
    dropped.

    Display-only: when the mints agree on a key that the decode's file cannot name, the edit is shown
    with the key as the mint writes it, never applied. No fix at all when the mints disagree
    (several keys or algorithms), sign with a private key (the verifier needs the public one) or with
    framework settings, when there is no mint, when the options are a shared constant, and for
    jose `decodeJwt()` (its verifying counterpart is asynchronous and returns another shape) and
    python-jose `get_unverified_claims()`.

    Not reported: a look at the header or the unverified claims whose result picks the key, issuer
    or audience of a verified decode of the same token later in the same function ("peek, pick the
    tenant key, then verify"), in Python and JS/TS.

    Not reported either: a look at a token that a verification of the same token (the same name, or
    the same expression text, not reassigned in between) earlier in the same function has already
    checked, on every path to the look: `jwt.verify(token, key)` then `jwt.decode(token, { complete:
    true })`, PyJWT `decode(token, key, algorithms=[...])` then `decode(token, options={"verify_signature":
    False})` or `get_unverified_header(token)`. Only a verification that surely ran counts: one in
    an `if` or loop body before the look, behind `&&`/`and`, with a callback, an un-awaited jose
    `jwtVerify`, or in a `try` whose handler neither returns nor raises does not.

    The library version the project runs (its lock file, else what a fresh install of the declared
    range gets) changes some findings:
    - PyJWT 2 and later: `decode()` without `algorithms` raises `DecodeError` on every call: reported
      as the bug it is, naming the pin (`requirements.txt:3`); before 2.0 any algorithm the token
      names is accepted. `verify=False` does nothing from 2.0 (the signature is verified anyway): a
      warning, an error when the call also lacks `algorithms` (it always raises); before 2.0 it
      switches verification off.
    - jsonwebtoken before 9 (`verify()`, passport-jwt) and express-jwt before 6, without
      `algorithms`: a key that may be empty (an environment variable unset in some deployment, a
      variable) makes an unsigned `alg: none` token pass (CVE-2022-23540), and a key from a callback
      or without PEM markers is tried as an HMAC secret (CVE-2022-23541, CVE-2020-15084). A string
      literal key is safe there (HMAC only), and from jsonwebtoken 9 the default list follows the
      key's type and refuses unsigned tokens: no finding.
    Without a known version the findings are the version-independent ones above (PyJWT's
    `algorithms` reported for both readings, jsonwebtoken's default list not reported).

    ## References
    - PyJWT `jwt.decode` (`algorithms`, `options`): https://pyjwt.readthedocs.io/en/stable/api.html
    - PyJWT, reading unverified claims and headers: https://pyjwt.readthedocs.io/en/stable/usage.html#reading-the-claimset-without-validation
    - python-jose `get_unverified_claims`: https://python-jose.readthedocs.io/en/latest/jwt/api.html
    - jsonwebtoken `verify` vs `decode` ("will not verify whether the signature is valid"): https://github.com/auth0/node-jsonwebtoken#jwtdecodetoken--options
    - CVE-2022-23540, jsonwebtoken verify with a falsy key and no `algorithms` accepts `none`: https://github.com/auth0/node-jsonwebtoken/security/advisories/GHSA-qwph-4952-7xr6
    - CVE-2022-23541, jsonwebtoken key-type confusion (HMAC and public-key algorithms): https://github.com/auth0/node-jsonwebtoken/security/advisories/GHSA-hjrf-2m68-5959
    - jsonwebtoken v8 to v9 migration notes (default algorithms, unsigned tokens): https://github.com/auth0/node-jsonwebtoken/wiki/Migration-Notes:-v8-to-v9
    - CVE-2020-15084, express-jwt before 6 without `algorithms`: https://github.com/auth0/express-jwt/security/advisories/GHSA-6g6m-m6h5-w9gf
    - PyJWT 2.0.0 changelog (`algorithms` required, `verify` removed, `encode` returns `str`): https://pyjwt.readthedocs.io/en/stable/changelog.html#v2-0-0
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
            "Drops the override that skips the signature or expiry check (or the `none` algorithm) and writes the"
            " key and algorithms of the project's own mints where they are missing (the key only as code this"
            " file can reach): tokens accepted before are refused."
        ),
        FixOffer.display_only(
            "Shows the verify with the key as the mint writes it when this file cannot name that key: the author"
            " must make it reachable here."
        ),
    )
    languages = "Python, JS/TS"
    project_rule = True  # the fix takes the key and algorithm from the project's mints
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
        Valid(  # peek at the unverified claims to pick the tenant's key and issuer, then verify: secure
            "import jwt\n\ndef authenticate(token):\n"
            "    unverified = jwt.decode(token, options={'verify_signature': False})\n"
            "    tenant = TENANTS[unverified['iss']]\n"
            "    return jwt.decode(token, tenant.public_key, algorithms=['RS256'], issuer=tenant.issuer)\n"
        ),
        Valid(  # the header's `kid` picks the key, inline
            "import jwt\n\ndef authenticate(token):\n"
            "    return jwt.decode(token, KEYS[jwt.get_unverified_header(token)['kid']], algorithms=['HS256'])\n"
        ),
        Invalid(  # the unverified claims are used, the later decode checks another token
            "import jwt\n\ndef authenticate(token, refresh):\n"
            "    claims = jwt.decode(token, options={'verify_signature': False})\n"
            "    jwt.decode(refresh, KEYS[claims['iss']], algorithms=['HS256'])\n"
            "    return claims\n",
            message="signature",
        ),
        Invalid(  # the mint in another module: the key is imported here, the algorithm comes from the mint
            "import jwt\nfrom auth import SECRET\n\ndef check(token):\n"
            "    return jwt.decode(token, SECRET, options={'verify_signature': False})\n",
            path="api.py",
            files={"auth.py": "import os, jwt\nSECRET = os.environ['JWT_SECRET']\n\n"
                   "def mint(user):\n    return jwt.encode({'sub': user}, SECRET, algorithm='HS384')\n"},
            fixed="import jwt\nfrom auth import SECRET\n\ndef check(token):\n"
            "    return jwt.decode(token, SECRET, algorithms=['HS384'])\n",
        ),
        Invalid(  # no key at the decode: the mint's key, as this file names it (a constant reading the same variable)
            "import os\nimport jwt\nJWT_KEY = os.environ.get('JWT_SECRET')\n\ndef check(token):\n"
            "    return jwt.decode(\n        token,\n        options={'verify_signature': False},  # TODO verify\n    )\n",
            path="api.py",
            files={"auth.py": "import os, jwt\n\n"
                   "def mint(user):\n    return jwt.encode({'sub': user}, os.environ['JWT_SECRET'], algorithm='HS256')\n"},
            fixed="import os\nimport jwt\nJWT_KEY = os.environ.get('JWT_SECRET')\n\ndef check(token):\n"
            "    return jwt.decode(\n        token,\n        key=JWT_KEY, algorithms=['HS256'],  # TODO verify\n    )\n",
        ),
        Invalid(  # keyword arguments unpacked from a dict: the switch goes where it is written
            "import jwt\nDECODE = {'options': {'verify_signature': False}}\n\n"
            "def mint(user):\n    return jwt.encode({'sub': user}, KEY, algorithm='HS256')\n\n"
            "def check(token):\n    return jwt.decode(token, KEY, **DECODE)\n",
            fixed="import jwt\nDECODE = {}\n\n"
            "def mint(user):\n    return jwt.encode({'sub': user}, KEY, algorithm='HS256')\n\n"
            "def check(token):\n    return jwt.decode(token, KEY, **DECODE, algorithms=['HS256'])\n",
        ),
        Invalid(  # the mint's key cannot be named here: shown, never applied
            "import jwt\n\ndef check(token):\n    return jwt.decode(token, options={'verify_signature': False})\n",
            path="api.py",
            files={"auth.py": "import jwt\nfrom config import SECRET\n\n"
                   "def mint(user):\n    return jwt.encode({'sub': user}, SECRET, algorithm='HS256')\n"},
            fixed="import jwt\n\ndef check(token):\n    return jwt.decode(token, options={'verify_signature': False})\n",
        ),
        Invalid(  # several mints with different keys: which one is meant cannot be told
            "import os, jwt\n\ndef check(token):\n    return jwt.decode(token, options={'verify_signature': False})\n",
            path="api.py",
            files={"auth.py": "import os, jwt\n\ndef mint(user):\n"
                   "    return jwt.encode({'sub': user}, os.environ['USER_KEY'], algorithm='HS256')\n\n"
                   "def mint_service(name):\n    return jwt.encode({'sub': name}, os.environ['SERVICE_KEY'], algorithm='HS256')\n"},
            fixed="import os, jwt\n\ndef check(token):\n    return jwt.decode(token, options={'verify_signature': False})\n",
        ),
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
        Valid(  # peek at the header to pick the tenant's key and issuer, then verify the same token: secure
            'const jwt = require("jsonwebtoken");\n\nfunction authenticate(token) {\n'
            '  const decoded = jwt.decode(token, { complete: true });\n'
            '  const tenant = tenants[decoded.header.kid];\n'
            '  return jwt.verify(token, tenant.publicKey, { algorithms: ["RS256"], issuer: tenant.issuer });\n}\n',
            path="auth.js",
        ),
        Valid(
            'import { decodeJwt, jwtVerify } from "jose";\n\nexport async function authenticate(token: string) {\n'
            '  const { iss } = decodeJwt(token);\n  return jwtVerify(token, issuers[iss!].jwks, { issuer: iss });\n}\n',
            path="auth.ts",
        ),
        Invalid(  # the mint's key (an env read, valid anywhere) and algorithm: decode becomes verify
            'const jwt = require("jsonwebtoken");\nexports.check = (token) => jwt.decode(token);\n',
            path="check.js",
            files={"mint.js": 'const jwt = require("jsonwebtoken");\n'
                   'exports.mint = (sub) => jwt.sign({ sub }, process.env.JWT_SECRET, { algorithm: "HS384", expiresIn: "1h" });\n'},
            fixed='const jwt = require("jsonwebtoken");\n'
            'exports.check = (token) => jwt.verify(token, process.env.JWT_SECRET, { algorithms: ["HS384"] });\n',
        ),
        Invalid(  # a module constant of the mint's module, imported here
            "import jwt from 'jsonwebtoken';\nimport { SECRET } from './config';\n\n"
            "export function check(token: string) {\n  return jwt.verify(token, null, { algorithms: ['none'] });\n}\n",
            path="src/check.ts",
            files={"src/config.ts": "import jwt from 'jsonwebtoken';\nexport const SECRET = process.env.JWT_SECRET!;\n"
                   "export const mint = (sub: string) => jwt.sign({ sub }, SECRET, { expiresIn: '1h' });\n"},
            fixed="import jwt from 'jsonwebtoken';\nimport { SECRET } from './config';\n\n"
            "export function check(token: string) {\n  return jwt.verify(token, SECRET, { algorithms: ['HS256'] });\n}\n",
        ),
        Invalid(  # the mint's key is a name this file does not have: the verify is shown, never applied
            'const jwt = require("jsonwebtoken");\nexports.check = (token) => jwt.decode(token);\n',
            path="check.js",
            files={"mint.js": 'const jwt = require("jsonwebtoken");\nconst { SECRET } = require("./config");\n'
                   'exports.mint = (sub) => jwt.sign({ sub }, SECRET, { expiresIn: "1h" });\n'},
            fixed='const jwt = require("jsonwebtoken");\nexports.check = (token) => jwt.decode(token);\n',
        ),
        Invalid(  # mints with two keys: which one this verifier needs cannot be told
            'const jwt = require("jsonwebtoken");\nexports.check = (token) => jwt.decode(token);\n',
            path="check.js",
            files={"mint.js": 'const jwt = require("jsonwebtoken");\n'
                   'exports.user = (sub) => jwt.sign({ sub }, process.env.USER_KEY, { expiresIn: "1h" });\n'
                   'exports.service = (sub) => jwt.sign({ sub }, process.env.SERVICE_KEY, { expiresIn: "1h" });\n'},
            fixed='const jwt = require("jsonwebtoken");\nexports.check = (token) => jwt.decode(token);\n',
        ),
        # Verify, then read: the claims read after a verification of the same token are verified ones.
        Valid(
            "import jwt\n\ndef claims_of(token):\n"
            "    jwt.decode(token, KEY, algorithms=['HS256'])\n"
            "    return jwt.decode(token, options={'verify_signature': False})\n"
        ),
        Valid(  # the handler leaves the function: after the try the token has been verified
            "import jwt\n\ndef claims_of(request):\n"
            "    try:\n        jwt.decode(request.token, KEY, algorithms=['HS256'])\n"
            "    except jwt.InvalidTokenError:\n        raise Unauthorized()\n"
            "    return jwt.decode(request.token, options={'verify_signature': False})\n"
        ),
        Invalid(  # verified only on one branch: the other path reads unverified claims
            "import jwt\n\ndef claims_of(token, strict):\n"
            "    if strict:\n        jwt.decode(token, KEY, algorithms=['HS256'])\n"
            "    return jwt.decode(token, options={'verify_signature': False})\n",
            message="signature",
            span=(6, 39, 6, 64),
        ),
        Invalid(  # the failure is swallowed: the read runs whether the token verified or not
            "import jwt\n\ndef claims_of(token):\n"
            "    try:\n        jwt.decode(token, KEY, algorithms=['HS256'])\n"
            "    except jwt.InvalidTokenError:\n        log.warning('bad token')\n"
            "    return jwt.decode(token, options={'verify_signature': False})\n",
            message="signature",
        ),
        Valid(
            'const jwt = require("jsonwebtoken");\n\nfunction claimsOf(token) {\n'
            '  jwt.verify(token, process.env.JWT_SECRET, { algorithms: ["HS256"] });\n'
            '  return jwt.decode(token, { complete: true });\n}\n',
            path="auth.js",
        ),
        Valid(
            'import { decodeJwt, jwtVerify } from "jose";\n\nexport async function claimsOf(token: string) {\n'
            '  try {\n    await jwtVerify(token, key);\n  } catch {\n    throw new Unauthorized();\n  }\n'
            '  return decodeJwt(token);\n}\n',
            path="auth.ts",
        ),
        Invalid(  # the verify reports to its callback: the decode runs either way
            'const jwt = require("jsonwebtoken");\n\nfunction claimsOf(token, done) {\n'
            '  jwt.verify(token, process.env.JWT_SECRET, (err) => done(err));\n'
            '  return jwt.decode(token);\n}\n',
            path="auth.js",
            message="does not verify",
            span=(5, 10, 5, 27),
        ),
        Invalid(  # another token is read
            'const jwt = require("jsonwebtoken");\n\nfunction claimsOf(access, refresh) {\n'
            '  jwt.verify(access, process.env.JWT_SECRET);\n'
            '  return jwt.decode(refresh);\n}\n',
            path="auth.js",
            message="does not verify",
        ),
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
        # (versions) what the library version the project runs makes of a verification
        Invalid(  # PyJWT 2: a bug, every call raises
            "import jwt\nclaims = jwt.decode(token, KEY)\n",
            files={"requirements.txt": requirements("PyJWT==2.8.0")}, message="pyjwt 2.0.0 and later (requirements.txt:3) raises DecodeError on every call", count=1,
        ),
        Valid("import jwt\nclaims = jwt.decode(token, KEY, algorithms=['HS256'])\n", files={"requirements.txt": requirements("PyJWT==2.8.0")}),
        Invalid(  # PyJWT 1.x: a hole
            "import jwt\nclaims = jwt.decode(token, KEY)\n",
            files={"requirements.txt": requirements("PyJWT<2")}, message="before 2.0.0 (requirements.txt:3) accepts any algorithm",
        ),
        Invalid(  # PyJWT 2 verifies anyway: a dead switch
            "import jwt\nclaims = jwt.decode(token, KEY, verify=False, algorithms=['HS256'])\n",
            files={"requirements.txt": requirements("PyJWT==2.8.0")},
            fixed="import jwt\nclaims = jwt.decode(token, KEY, algorithms=['HS256'])\n",
            message="does nothing in pyjwt 2.0.0 and later", count=1, span=(2, 33, 2, 45),
        ),
        Invalid(
            "import jwt\nclaims = jwt.decode(token, KEY, verify=False)\n",
            files={"poetry.lock": poetry_lock({"pyjwt": "1.7.1"})}, message="switches signature verification off", count=1,
        ),
        Invalid(  # jsonwebtoken 8: an unset JWT_SECRET lets `alg: none` through
            'const jwt = require("jsonwebtoken");\njwt.verify(token, process.env.JWT_SECRET, (err, claims) => done(err, claims));\n',
            path="auth.js",
            files={"mint.js": 'const jwt = require("jsonwebtoken");\n'
                   'exports.mint = (sub) => jwt.sign({ sub }, process.env.JWT_SECRET, { expiresIn: "1h" });\n',
                   "package.json": package_json({"express": "^4.18.2", "jsonwebtoken": "^8.5.1"})},
            fixed='const jwt = require("jsonwebtoken");\n'
            'jwt.verify(token, process.env.JWT_SECRET, { algorithms: ["HS256"] }, (err, claims) => done(err, claims));\n',
            message="jsonwebtoken before 9.0.0 (package.json:6) an empty key", count=1, span=(2, 1, 2, 78),
        ),
        Valid(  # jsonwebtoken 9: the default follows the key and refuses unsigned tokens
            'const jwt = require("jsonwebtoken");\njwt.verify(token, process.env.JWT_SECRET, (err, claims) => done(err, claims));\n',
            path="auth.js", files={"package.json": package_json({"express": "^4.18.2", "jsonwebtoken": "^9.0.0"})},
        ),
        Valid(  # a literal secret: HMAC only, even on jsonwebtoken 8
            'const jwt = require("jsonwebtoken");\njwt.verify(token, "a-long-random-literal-secret");\n',
            path="auth.js", files={"package.json": package_json({"jsonwebtoken": "^8.5.1"}),
                                   "package-lock.json": package_lock({"jsonwebtoken": "8.5.1"})},
        ),
        Invalid(  # a key from a callback, jsonwebtoken 8
            'const jwt = require("jsonwebtoken");\nfunction getKey(header, callback) { callback(null, keys[header.kid]); }\n'
            "jwt.verify(token, getKey, (err, claims) => done(err, claims));\n",
            path="auth.js", files={"package.json": package_json({"jsonwebtoken": "^8.0.0"}),
                                   "package-lock.json": package_lock({"jsonwebtoken": "8.5.1"})},
            message="jsonwebtoken before 9.0.0 (package-lock.json:12) a key from a callback is tried as an HMAC secret",
        ),
        Valid(  # the corrected twin: locked at 9
            'const jwt = require("jsonwebtoken");\nfunction getKey(header, callback) { callback(null, keys[header.kid]); }\n'
            "jwt.verify(token, getKey, (err, claims) => done(err, claims));\n",
            path="auth.js", files={"package.json": package_json({"jsonwebtoken": "^9.0.0"}),
                                   "package-lock.json": package_lock({"jsonwebtoken": "9.0.2"})},
        ),
        Invalid(  # express-jwt 5 without `algorithms` and a jwks-rsa key (CVE-2020-15084)
            'const jwt = require("express-jwt");\nconst jwksRsa = require("jwks-rsa");\n'
            'app.use(jwt({ secret: jwksRsa.expressJwtSecret({ jwksUri: JWKS_URI }) }));\n',
            path="app.js", files={"package.json": package_json({"express-jwt": "^5.3.1", "jwks-rsa": "^1.12.0"})},
            message="express-jwt before 6.0.0 (package.json:5)",
        ),
        Invalid(  # passport-jwt hands the key provider's key to jsonwebtoken 8
            'import { ExtractJwt, Strategy } from "passport-jwt";\nimport jwksRsa from "jwks-rsa";\n'
            "passport.use(new Strategy({ jwtFromRequest: ExtractJwt.fromAuthHeaderAsBearerToken(),\n"
            "  secretOrKeyProvider: jwksRsa.passportJwtSecret({ jwksUri: JWKS_URI }) }, verifyUser));\n",
            path="passport.ts", files={"package.json": package_json({"jsonwebtoken": "^8.5.1", "passport-jwt": "^4.0.0"})},
            message="jsonwebtoken before 9.0.0 (package.json:5) a key from a callback", count=1,
        ),
        Valid(
            'import { ExtractJwt, Strategy } from "passport-jwt";\nimport jwksRsa from "jwks-rsa";\n'
            "passport.use(new Strategy({ jwtFromRequest: ExtractJwt.fromAuthHeaderAsBearerToken(),\n"
            "  secretOrKeyProvider: jwksRsa.passportJwtSecret({ jwksUri: JWKS_URI }) }, verifyUser));\n",
            path="passport.ts", files={"package.json": package_json({"jsonwebtoken": "^9.0.0", "passport-jwt": "^4.0.1"})},
        ),
        Valid(
            'const jwt = require("express-jwt");\nconst jwksRsa = require("jwks-rsa");\n'
            'app.use(jwt({ secret: jwksRsa.expressJwtSecret({ jwksUri: JWKS_URI }), algorithms: ["RS256"] }));\n',
            path="app.js", files={"package.json": package_json({"express-jwt": "^5.3.1", "jwks-rsa": "^1.12.0"})},
        ),
    )

    def check_project(self, project) -> Iterable[Diagnostic]:
        mints = list(project.facts(JwtMint))
        for verify in project.facts(JwtVerify):
            if verify.selects_verification:
                continue  # a look that picks the key of a verified decode of the same token: secure
            if verify.verified_before:
                continue  # a look at a token verified earlier on every path here: its claims are checked
            if verify.intent == PEEK:  # reading the header (its `kid`) before verifying is normal
                if verify.reads == "claims":
                    yield self.report(verify.source, verify.span, ClaimsUnverified())
                continue
            yield from self._check(verify, mints, project.settings.versions)

    def _check(self, verify: JwtVerify, mints: list[JwtMint], versions: ProjectVersions = UNKNOWN_VERSIONS) -> Iterable[Diagnostic]:
        source = verify.source
        if verify.verifies_signature is False:
            override = verify.signature_off
            span = override.span if override else verify.span
            ignored = self._switch_ignored(verify, mints, versions)
            if ignored is not None:
                yield ignored
                return
            if override is not None:
                violation = SignatureOff(switch=source.slice(override.span))
                fix = self._switch_off(verify, override, mints)
            elif verify.intent == DECODE_ONLY:
                violation = SignatureOff(decoder=verify.label)
                fix = self._decode_only(verify, mints)
            else:
                violation = SignatureOff(keyless=verify.label)
                fix = self._keyless(verify, mints)
            yield self.report(source, span, violation, fix)
            return
        expiry = verify.expiry_off
        if expiry is not None:
            yield self.report(source, expiry.span, ExpiryOff(source.slice(expiry.span)), self._drop(source, verify, expiry))
        if verify.algorithms_at == "call":  # else framework settings choose them (JWT_ALGORITHM)
            yield from self._algorithms(verify, mints, versions)

    # -- signature verification switched off ----------------------------------------------------
    def _switch_off(self, verify: JwtVerify, override: Option, mints: list[JwtMint]) -> Fix | None:
        """Drop the switch, and give the call what a verifying call needs and lacks: the key and the
        algorithm tokens are minted with (a call left without them rejects every token). When the
        mints name a key this file cannot reach, the same edit is shown, never applied."""
        source = verify.source
        whole = self._whole_holder(verify, override)
        if whole is None and not self._written_here(verify, override):
            return None  # the options dict lives elsewhere (a shared constant): leave it to the author
        dropped = whole or override
        what = f"Drop the `{dropped.name}` override" if whole is not None else f"Drop `{dropped.name}`"
        needed, missing, shown = self._needs(verify, mints)
        if not needed and not missing:
            return Fix.unsafe(what, kit.remove_option(source, dropped))
        added = shown if missing else needed
        if missing and not self._suggestible(verify, missing, shown):
            return None
        in_call = verify.options.span is not None and whole is not None and verify.options.span.contains(whole.span)
        if whole is not None and in_call:  # the new arguments take the place of `options=`
            edits = [kit.replace_option(source, whole, verify.options, added, like=verify.token)]
        else:  # the switch lives in a dict (nested options, or keyword arguments unpacked from one)
            insert = kit.insert_options(source, verify.options, added, like=verify.token)
            if insert is None:
                return None
            edits = [kit.remove_option(source, dropped), insert]
        if missing:
            return Fix.display_only(f"{what}, and verify with the key tokens are minted with ({self._describe(added)}; "
                                    "make it reachable here)", *edits)
        return Fix.unsafe(f"{what}, and verify with {self._describe(added)}", *edits)

    def _decode_only(self, verify: JwtVerify, mints: list[JwtMint]) -> Fix | None:
        """``jwt.decode(token)`` read as if verified -> ``jwt.verify(token, KEY, { algorithms: [...] })``,
        when the decoder has a verifying sibling called the same way."""
        if verify.function_span is None or not verify.verifying_sibling or verify.token is None:
            return None
        source = verify.source
        minted = minted_for(verify, mints)
        code = minted.key or minted.key_as_minted
        if code is None or minted.algorithm is None:
            return None
        rename = Edit.replace(verify.function_span, kit.spelled(verify.verifying_sibling))
        key = kit.spelled(code)
        if verify.options.span is not None:
            algorithms = kit.insert_option(source, verify.options, "algorithms", [minted.algorithm], like=verify.token)
            if algorithms is None:
                return None
            edits = [rename, kit.insert_arguments(source, verify.token.span, [key]), algorithms]
        else:
            edits = [rename, kit.insert_arguments(source, verify.token.span, [key, {"algorithms": [minted.algorithm]}],
                                                  like=verify.token)]
        return self._verify_with(minted, code, *edits)

    def _keyless(self, verify: JwtVerify, mints: list[JwtMint]) -> Fix | None:
        """``verify(token, null)`` -> the mints' key, and their algorithm when none is pinned."""
        source = verify.source
        minted = minted_for(verify, mints)
        code = minted.key or minted.key_as_minted
        if code is None or minted.algorithm is None or verify.token is None:
            return None
        key = kit.spelled(code)
        edits = [kit.replace_value(source, verify.key, key) if verify.key is not None
                 else kit.insert_arguments(source, verify.token.span, [key])]
        if verify.algorithms is None:
            insert = kit.insert_option(source, verify.options, "algorithms", [minted.algorithm], like=verify.token)
            if insert is None:
                return None
            edits.append(insert)
        elif self._only_none(verify):
            edits.append(kit.replace_value(source, verify.algorithms, [minted.algorithm]))
        return self._verify_with(minted, code, *edits)

    def _verify_with(self, minted: Minted, code: str, *edits: Edit) -> Fix:
        """Applied when the key is written as this file can reach it; shown only when it is written
        as the mint writes it (valid there, maybe not here)."""
        described = self._describe([("key", code), ("algorithms", [minted.algorithm])])
        if minted.key is not None:
            return Fix.unsafe(f"Verify with {described}", *edits)
        return Fix.display_only(f"Verify with the key tokens are minted with ({described}; make it reachable here)", *edits)

    # -- algorithms -------------------------------------------------------------------------------
    def _algorithms(self, verify: JwtVerify, mints: list[JwtMint], versions: ProjectVersions = UNKNOWN_VERSIONS) -> Iterable[Diagnostic]:
        source = verify.source
        algorithms = verify.algorithms
        if algorithms is None:
            if verify.options.spread:
                return
            if not verify.algorithms_required:
                yield from self._default_algorithms(verify, mints, versions)
                return
            yield self.report(source, verify.span, self._missing(verify, versions), self._add_algorithms(verify, mints))
            return
        if not algorithms.known:
            return
        values = algorithms.value if isinstance(algorithms.value, list) else [algorithms.value]
        names = [v for v in values if isinstance(v, str)]
        if any(name.lower() == "none" for name in names):
            rest = [name for name in names if name.lower() != "none"]
            fix = None
            if rest and len(names) == len(values):
                fix = Fix.unsafe("Drop the `none` algorithm", kit.replace_value(source, algorithms, rest))
            elif not rest and verify.key is not None and verify.key.value not in (None, ""):
                minted = minted_for(verify, mints)
                if minted.algorithm is not None:
                    fix = Fix.unsafe(f"Accept only {minted.algorithm}, the algorithm tokens are minted with ({minted.where})",
                                     kit.replace_value(source, algorithms, [minted.algorithm]))
            yield self.report(source, algorithms.span, NoneAccepted(), fix)
            return
        upper = [name.upper() for name in names]
        if any(n.startswith(HMAC) for n in upper) and any(n.startswith(ASYMMETRIC) for n in upper):
            yield self.report(source, algorithms.span, AlgorithmConfusion())

    def _add_algorithms(self, verify: JwtVerify, mints: list[JwtMint]) -> Fix | None:
        needed, missing, shown = self._needs(verify, mints)
        added = shown if missing else needed
        if missing and not self._suggestible(verify, missing, shown):
            return None
        edit = kit.insert_options(verify.source, verify.options, added, like=verify.token)
        if edit is None:
            return None
        if missing:
            return Fix.display_only(f"Verify with the key tokens are minted with ({self._describe(added)}; "
                                    "make it reachable here)", edit)
        return Fix.unsafe(f"Verify with {self._describe(added)}", edit)

    # -- (versions) what the version the project runs makes of it ----------------------------------
    @staticmethod
    def _missing(verify: JwtVerify, versions: ProjectVersions) -> Violation:
        """No `algorithms` where the library needs them: a bug from the release that requires them
        (every call raises), a hole before it (any algorithm passes); both said when unknown."""
        gate = verify.algorithms_required_since
        below = _below(versions, gate)
        if gate is None or below is None:
            return AlgorithmsMissing()
        where = _where(versions, gate, below)
        if below:
            return AlgorithmsMissingAnyAccepted(gate.dependency.package, gate.before, where)
        return AlgorithmsMissingRaises(gate.dependency.package, gate.before, where)

    def _switch_ignored(self, verify: JwtVerify, mints: list[JwtMint], versions: ProjectVersions) -> Diagnostic | None:
        """A switch-off the running release ignores (PyJWT 2 ``verify=False``): it verifies anyway, so
        the finding is a dead switch (and, without `algorithms`, a call that always raises), not a hole."""
        gate = verify.signature_switch_until
        override = verify.signature_off
        if gate is None or override is None or _below(versions, gate) is not False:
            return None
        raises = verify.algorithms is None and verify.algorithms_required and verify.algorithms_at == "call"
        violation = SwitchIgnored(verify.source.slice(override.span), gate.dependency.package, gate.before,
                                  _where(versions, gate, False), raises)
        return self.report(verify.source, override.span, violation, self._switch_off(verify, override, mints),
                           severity=None if raises else Severity.WARNING)

    def _default_algorithms(self, verify: JwtVerify, mints: list[JwtMint], versions: ProjectVersions) -> Iterable[Diagnostic]:
        """No `algorithms` where the library picks them from the key: unsafe only on releases before
        ``algorithms_default_unsafe`` (jsonwebtoken < 9), and only for a key that may be empty or may
        not say what it is (an environment read, a variable, a callback); a literal key decides a safe
        list (a secret: HMAC only; a PEM key: public-key algorithms only)."""
        gate = verify.algorithms_default_unsafe
        key = verify.key
        if gate is None or (key is None and not verify.key_from_callback) or _below(versions, gate) is not True:
            return
        if not verify.key_from_callback and key is not None and (_truthy_text(key.value) or _truthy_text(key.fallback)):
            return
        violation = UnsafeDefaultAlgorithms(gate.dependency.package, gate.before, _where(versions, gate, True),
                                            verify.key_from_callback)
        yield self.report(verify.source, verify.span, violation, self._minted_algorithms(verify, mints))

    @staticmethod
    def _minted_algorithms(verify: JwtVerify, mints: list[JwtMint]) -> Fix | None:
        """Accept only the algorithm the project's mints sign with."""
        minted = minted_for(verify, mints)
        if minted.algorithm is None or verify.token is None:
            return None
        edit = kit.insert_option(verify.source, verify.options, "algorithms", [minted.algorithm], like=verify.token)
        return Fix.unsafe(f"Accept only {minted.algorithm}, the algorithm tokens are minted with", edit) if edit else None

    # -- shared -------------------------------------------------------------------------------------
    def _needs(self, verify: JwtVerify, mints: list[JwtMint]) -> tuple[list[tuple[str, Any]], list[str], list[tuple[str, Any]]]:
        """What the call lacks to verify (``needed``: options to add, as code valid here), what of it
        the mints cannot give here (``missing``), and the suggestion to show instead (``shown``)."""
        needed: list[tuple[str, Any]] = []
        shown: list[tuple[str, Any]] = []
        missing: list[str] = []
        lacks_key = verify.key is None and bool(verify.key_keyword)
        lacks_algorithms = verify.algorithms_required and verify.algorithms is None and verify.algorithms_at == "call"
        if not lacks_key and not lacks_algorithms:
            return needed, missing, shown
        minted = minted_for(verify, mints)
        if lacks_key:
            if minted.key is not None:
                needed.append((verify.key_keyword, kit.spelled(minted.key)))
            else:
                missing.append("key")
            if minted.key_as_minted is not None:
                shown.append((verify.key_keyword, kit.spelled(minted.key_as_minted)))
        if lacks_algorithms:
            if minted.algorithm is not None:
                needed.append(("algorithms", [minted.algorithm]))
                shown.append(("algorithms", [minted.algorithm]))
            else:
                missing.append("algorithms")
        return needed, missing, shown

    @staticmethod
    def _suggestible(verify: JwtVerify, missing: list[str], shown: list[tuple[str, Any]]) -> bool:
        """A suggestion is worth showing when only the key's spelling here is missing and the mints
        agree on the key (shown as they write it)."""
        return missing == ["key"] and any(name == verify.key_keyword for name, _ in shown)

    @staticmethod
    def _describe(needed: list[tuple[str, Any]]) -> str:
        """The key and algorithms a fix title names; a key written as a literal is a secret: masked
        here, when the title is made (``mask.mask_value``)."""
        return " and ".join(f"`{_shown(value)}`" if not isinstance(value, list) else ", ".join(value)
                            for _, value in needed)

    @staticmethod
    def _only_none(verify: JwtVerify) -> bool:
        values = verify.algorithms.value if verify.algorithms is not None and verify.algorithms.known else None
        values = values if isinstance(values, list) else [values]
        return bool(values) and all(isinstance(v, str) and v.lower() == "none" for v in values)

    @staticmethod
    def _whole_holder(verify: JwtVerify, override: Option) -> Option | None:
        """The nested options (``options=``) when the switch is their only entry and they are written
        here: the whole holder goes."""
        holder = verify.switches_holder
        switches = verify.switches
        if holder is None or switches is None or switches.get(override.name) != override:
            return None
        if holder.value.origin is not None or not holder.span.contains(override.span):
            return None
        return holder if len(switches.items) == 1 and not switches.spread else None

    @staticmethod
    def _written_here(verify: JwtVerify, override: Option) -> bool:
        holder = verify.switches_holder
        if holder is None or verify.switches is None or verify.switches.get(override.name) != override:
            return True  # a switch of the call itself (``verify=False``)
        return holder.value.origin is None and holder.span.contains(override.span)

    def _drop(self, source, verify: JwtVerify, override: Option | None) -> Fix | None:
        """Remove the override; the whole nested options (``options=``) when it was their only entry
        (and they are written here)."""
        if override is None:
            return None
        whole = self._whole_holder(verify, override)
        if whole is not None:
            return Fix.unsafe(f"Drop the `{whole.name}` override", kit.remove_option(source, whole))
        if not self._written_here(verify, override):
            return None
        return Fix.unsafe(f"Drop `{override.name}`", kit.remove_option(source, override))


def _below(versions: ProjectVersions, gate: VersionGate | None) -> bool | None:
    """Whether the project runs the gated package before the gate's release (None: unknown)."""
    if gate is None:
        return None
    return ranges.runs_below(versions, gate.dependency.ecosystem, gate.dependency.package, gate.before)


def _where(versions: ProjectVersions, gate: VersionGate, below: bool) -> str:
    """The pin a message names: one that runs a release before the gate, or the first that decides."""
    dependency = gate.dependency
    pin = ranges.first_below(versions, dependency.ecosystem, dependency.package, gate.before) if below else None
    if pin is None:
        running = ranges.running(versions, dependency.ecosystem, dependency.package)
        pin = running[0].pin if running else None
    return pin.where if pin is not None else "?"


def _truthy_text(value: Any) -> bool:
    return isinstance(value, str) and bool(value)


def _shown(code: Any) -> str:
    """Code a title quotes: a string or bytes literal (a key written in the code) masked inside its
    quotes."""
    text = str(code)
    opening = 2 if text[:2] in ("b'", 'b"') else 1 if text[:1] in ("'", '"', "`") else 0
    if not opening or len(text) < opening + 1:
        return text
    closed = text[-1] == text[opening - 1] and len(text) > opening
    inner = text[opening : len(text) - 1] if closed else text[opening:]
    return text[:opening] + mask_value(inner) + (text[-1] if closed else "")
