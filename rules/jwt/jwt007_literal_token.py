from __future__ import annotations

import base64
import binascii
import json
import time
from typing import Any, Iterable

from authlint.diagnostics.diagnostic import Diagnostic
from authlint.diagnostics.mask import Masked
from authlint.facts.model import JwtLiteral
from authlint.files.kinds import CODE_KINDS, YAML
from authlint.rule import Invalid, Rule, Valid, Violation


def _part(segment: str) -> dict[str, Any] | None:
    try:
        raw = base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4))
        value = json.loads(raw)
    except (binascii.Error, ValueError, UnicodeDecodeError):
        return None
    return value if isinstance(value, dict) else None


def decode_unverified(token: str) -> tuple[dict[str, Any], dict[str, Any]] | None:
    """Header and claims of a JWT, without any verification (they are only inspected)."""
    parts = token.split(".")
    if len(parts) != 3:
        return None
    header, claims = _part(parts[0]), _part(parts[1])
    if header is None or claims is None:
        return None
    return header, claims


def _example(header: dict[str, Any], claims: dict[str, Any], signature: str = "c2ln") -> str:
    encode = lambda part: base64.urlsafe_b64encode(json.dumps(part).encode()).rstrip(b"=").decode()  # noqa: E731
    return f"{encode(header)}.{encode(claims)}.{signature}"


EXPIRED = _example({"alg": "HS256", "typ": "JWT"}, {"sub": "42", "exp": 1500000000})
FOREVER = _example({"alg": "HS256", "typ": "JWT"}, {"sub": "42"})
UNSIGNED = _example({"alg": "none"}, {"sub": "admin", "exp": 4102444800}, "")
VALID = _example({"alg": "HS256", "typ": "JWT"}, {"sub": "42", "exp": 4102444800})  # 2100-01-01
# NATS JWTs (nsc): operator and account JWTs normally carry no `exp`; a user JWT should
NATS_OPERATOR = _example(
    {"typ": "JWT", "alg": "ed25519-nkey"}, {"iss": "O", "sub": "O", "name": "op", "nats": {"type": "operator", "version": 2}}
)
NATS_ACCOUNT_V1 = _example({"typ": "jwt", "alg": "ed25519"}, {"iss": "O", "sub": "A", "name": "acc", "type": "account"})
NATS_USER = _example(
    {"typ": "JWT", "alg": "ed25519-nkey"}, {"iss": "A", "sub": "U", "name": "bot", "nats": {"type": "user", "version": 2}}
)


def nats_kind(header: dict[str, Any], claims: dict[str, Any]) -> str | None:
    """The NATS JWT type (operator, account, user, activation, ...) of a token nsc issued: its
    claims carry a ``nats`` object (v2) or it is signed ``ed25519`` with a ``type`` claim (v1).
    None for any other JWT. NAT008 judges NATS JWTs by kind: only user JWTs need an ``exp``."""
    from authlint.syntax.natsjwt import jwt_type

    if isinstance(claims.get("nats"), dict) or str(header.get("alg", "")).lower() in ("ed25519", "ed25519-nkey"):
        kind = jwt_type(claims)
        return kind if kind != "unknown" else None
    return None


class BadLiteral(Violation):
    shown: Masked  # the token (masked when the violation is made)
    problems: tuple[str, ...]

    def message(self) -> str:
        return f"JWT literal {self.shown}: " + "; ".join(self.problems)


class LiteralToken(Rule):
    """
    ## What it does
    Inspects JWTs written into code and config (`eyJ...`) without verifying them, and reports the
    ones that are expired, have no `exp` claim, or use `alg: none`. Tokens are always shown redacted.
    NATS JWTs (issued by `nsc`) are judged by kind, as NAT008 does: operator and account JWTs
    normally carry no `exp` and are not reported for it; a NATS user JWT is.

    ## Why is this bad?
    An expired token in a test fixture or default config is why a request fails with "Signature has
    expired" only on some machines; a token without `exp` committed to a repository is a credential
    that never stops working; an `alg: none` token only works against a verifier that accepts
    unsigned tokens, which is itself a vulnerability.

    ## Example
    ```python
    HEADERS = {"Authorization": "Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiI0MiJ9.c2ln"}
    ```
    Use instead: mint the token at runtime (tests: with a fixed clock), or read it from the
    environment.

    ## Fix safety
    No fix: a new token has to be minted with the real key.

    ## References
    - RFC 7519 §4.1.4, the `exp` claim: https://www.rfc-editor.org/rfc/rfc7519#section-4.1.4
    - RFC 7519 §6, unsecured JWTs (`alg: none`): https://www.rfc-editor.org/rfc/rfc7519#section-6
    - PyJWT checks `exp` only when present: https://pyjwt.readthedocs.io/en/stable/usage.html#expiration-time-claim-exp
    - NATS JWTs: https://docs.nats.io/running-a-nats-service/configuration/securing_nats/jwt (operator and account JWTs are issued without expiry by default)
    """

    code = "JWT007"
    name = "literal-token"
    summary = "JWT literal that is expired, never expires or is unsigned"
    kinds = CODE_KINDS | {YAML}
    triggers = ("eyj",)
    languages = "Python, JS/TS, YAML"
    examples = (
        Valid(f"TOKEN = '{VALID}'\n"),
        Valid("PREFIX = 'eyJ'\nnot_a_token = 'eyJhbGciOi.not-base64!'\n"),
        Invalid(f"HEADERS = {{'Authorization': 'Bearer {EXPIRED}'}}\n", message="expired", span=(1, 37, 1, 126)),
        Invalid(f"TOKEN = '{FOREVER}'\n", message="no `exp`"),
        Invalid(f"# curl -H 'Authorization: Bearer {UNSIGNED}'\n", message="alg: none"),
        # JavaScript / TypeScript: strings, templates and comments.
        Valid(f"export const TEST_TOKEN = '{VALID}';\n", path="fixtures.ts"),
        Invalid(f"const headers = {{ Authorization: `Bearer {EXPIRED}` }};\n", path="api.test.js", message="expired", span=(1, 42, 1, 131)),
        Invalid(f"localStorage.setItem('token', \"{FOREVER}\");\n", path="seed.js", message="no `exp`"),
        Invalid(f"// curl -H 'Authorization: Bearer {UNSIGNED}'\nfetch(url);\n", path="client.tsx", message="alg: none"),
        # YAML: compose files, Helm values, CI configs.
        Invalid(f"services:\n  api:\n    environment:\n      API_TOKEN: {EXPIRED}\n", path="docker-compose.yml",
                message="expired", span=(4, 18, 4, 107)),
        Valid(f"smoke:\n  token: {VALID}\n", path="values.yaml"),
        # NATS operator and account JWTs normally carry no `exp` (NAT008 judges NATS JWTs by kind)
        Valid(f"config:\n  operator: {NATS_OPERATOR}\n  preload:\n    ACC: {NATS_ACCOUNT_V1}\n", path="values.yaml"),
        Valid(f"OPERATOR_JWT = '{NATS_OPERATOR}'\n"),
        Valid(f"const ACCOUNT_JWT = '{NATS_ACCOUNT_V1}';\n", path="nats.ts"),
        Invalid(f"nats:\n  userJwt: {NATS_USER}\n", path="values.yaml", message="no `exp`", count=1),
    )

    def check(self, ctx) -> Iterable[Diagnostic]:
        now = time.time()
        for literal in ctx.of(JwtLiteral):
            decoded = decode_unverified(literal.token)
            if decoded is None:
                continue
            header, claims = decoded
            shown = literal.token
            problems = []
            if str(header.get("alg", "")).lower() == "none":
                problems.append("alg: none (unsigned)")
            exp = claims.get("exp")
            kind = nats_kind(header, claims)
            if exp is None and kind not in (None, "user"):
                pass  # a NATS operator/account JWT normally has no exp (NAT008's judgement)
            elif exp is None:
                problems.append("no `exp`: it never expires")
            elif isinstance(exp, (int, float)) and exp < now:
                problems.append(f"expired {time.strftime('%Y-%m-%d', time.gmtime(exp))}")
            if problems:
                yield self.report(ctx, literal.span, BadLiteral(shown, tuple(problems)))
