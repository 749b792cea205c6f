from __future__ import annotations

import base64
import json
import re
import time
from datetime import datetime, timezone
from typing import Any, Iterable

from authlint.diagnostics.diagnostic import Diagnostic, Severity
from authlint.diagnostics.mask import Masked
from authlint.files.kinds import CREDS, JWTFILE, NATSCONF
from authlint.rule import Invalid, Rule, RuleOption, Valid, Violation


class JwtViolation(Violation):
    """A NATS JWT by its type (operator/account/user), ``name`` claim and redacted text."""

    kind: str
    name: str | None
    shown: Masked  # the token (masked when the violation is made)

    def label(self) -> str:
        return f"{self.kind} JWT" + (f" `{self.name}`" if self.name else "") + f" {self.shown}"


class NeverExpires(JwtViolation):
    def message(self) -> str:
        return f"{self.label()} has no `exp`: it never expires and can only be revoked"


class Expired(JwtViolation):
    when: str

    def message(self) -> str:
        return f"{self.label()} expired on {self.when}: nats-server rejects it"


class ExpiresSoon(JwtViolation):
    days: float
    when: str

    def message(self) -> str:
        return f"{self.label()} expires in {self.days:,.0f} days ({self.when})"


def _window(value: Any) -> float:
    """A duration such as ``"30d"``, ``"72h"`` or seconds; days are allowed here (unlike Go)."""
    from authlint.facts.knowledge.durations import go_seconds

    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value)
    text = str(value).strip()
    m = re.fullmatch(r"([0-9]+(?:\.[0-9]+)?)d", text)
    if m:
        return float(m.group(1)) * 86400
    seconds = go_seconds(text)
    if seconds is None:
        raise ValueError(f"not a duration: {value!r}")
    return seconds


def _missing(value: Any) -> str:
    if value not in ("all", "user", "none"):
        raise ValueError("missing-exp must be all, user or none")
    return value


def mint(claims: dict[str, Any], alg: str = "ed25519-nkey") -> str:
    """An unsigned JWT of NATS shape, for examples and tests (nothing here verifies signatures)."""

    def part(obj: dict[str, Any]) -> str:
        raw = json.dumps(obj, separators=(",", ":")).encode()
        return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()

    return f"{part({'typ': 'JWT', 'alg': alg})}.{part(claims)}.c2lnbmF0dXJlLW5vdC1jaGVja2Vk"


PAST = 946684800  # 2000-01-01
FUTURE = 4102444800  # 2100-01-01
_EXPIRED_USER = mint(
    {
        "jti": "X",
        "iat": PAST - 86400,
        "exp": PAST,
        "iss": "A",
        "sub": "U",
        "name": "svc",
        "nats": {"type": "user", "version": 2},
    }
)
_GOOD_USER = mint(
    {
        "jti": "Y",
        "iat": PAST,
        "exp": FUTURE,
        "iss": "A",
        "sub": "U",
        "name": "svc",
        "nats": {"type": "user", "version": 2},
    }
)
_NO_EXP_OPERATOR = mint({"jti": "Z", "iat": PAST, "iss": "O", "sub": "O", "name": "op", "type": "operator"}, "ed25519")
_NO_EXP_ACCOUNT = mint(
    {"jti": "W", "iat": PAST, "iss": "O", "sub": "A", "name": "acc", "nats": {"type": "account", "version": 2}}
)
_NO_EXP_USER = mint({"jti": "V", "iat": PAST, "iss": "A", "sub": "U", "name": "bot", "nats": {"type": "user"}})


def _creds(token: str) -> str:
    return (
        "-----BEGIN NATS USER JWT-----\n" + token + "\n------END NATS USER JWT------\n\n"
        "************************* IMPORTANT *************************\n"
    )


class JwtExpiry(Rule):
    """
    ## What it does
    Decodes NATS JWTs (without verifying them) where they are written: inline in a nats-server
    config (`operator`, `resolver_preload`, …), in `.jwt` files and in `.creds` files. Reports a
    JWT that has expired, one that expires within `warn-within` (default 30 days), and one without
    `exp` (by default only user JWTs: operator and account JWTs normally have none; set
    `missing-exp` to `all` or `none`). Tokens are shown redacted.

    ## Why is this bad?
    An expired operator or account JWT stops every client of that account ("Account
    Authentication Expired"); an expired user JWT fails with "User Authentication Expired", and
    some clients (nats.py) give up instead of reconnecting. A user JWT without `exp` can never be
    retired short of revoking it.

    ## Example
    ```
    resolver_preload: { ACCOUNTPUBKEY: "eyJ0eXAiOiJKV1Qi…" }   # exp: 2024-01-01
    ```

    ## Fix safety
    No fix: a new JWT has to be issued with `nsc` and distributed.

    ## References
    - [JWT authentication](https://docs.nats.io/running-a-nats-service/configuration/securing_nats/jwt) and [the memory resolver](https://docs.nats.io/running-a-nats-service/configuration/securing_nats/jwt/mem_resolver)
    - nats-server [server/opts.go](https://github.com/nats-io/nats-server/blob/main/server/opts.go) (operator JWTs and `resolver_preload` account JWTs are decoded at config time; expiry is checked at start)
    - [nats.py#1019](https://github.com/nats-io/nats.py/issues/1019), [nats.go#1552](https://github.com/nats-io/nats.go/issues/1552): clients hitting `User Authentication Expired`
    """

    code = "NAT008"
    name = "jwt-expiry"
    summary = "NATS JWT expired, expiring soon, or without expiry"
    kinds = frozenset({NATSCONF, JWTFILE, CREDS})
    languages = "nats-server.conf, .jwt, .creds"
    triggers = ("eyj",)
    severity = Severity.WARNING
    rule_options = (
        RuleOption("warn-within", "30d", "report JWTs expiring within this duration", _window),
        RuleOption("missing-exp", "user", "which JWTs must carry exp: all, user or none", _missing),
    )
    examples = (
        Valid(f'operator: "{_NO_EXP_OPERATOR}"\nresolver: MEMORY\n', path="nats-server.conf"),
        Valid(f'resolver_preload: {{\n  ACC: "{_NO_EXP_ACCOUNT}"\n}}\n', path="nats-server.conf"),
        Valid(_creds(_GOOD_USER), path="app/user.creds"),
        Valid(_GOOD_USER + "\n", path="keys/user.jwt"),
        Valid(f"# old: {_EXPIRED_USER}\nport: 4222\n", path="nats-server.conf"),  # comments are not config
        Invalid(_creds(_EXPIRED_USER), path="app/user.creds", message="expired on 2000-01-01", span=(2, 1, 2, 225)),
        Invalid(_EXPIRED_USER + "\n", path="keys/user.jwt", message="user JWT `svc`"),
        Invalid(f"resolver_preload: {{\n  ACC: {_EXPIRED_USER}\n}}\n", path="nats-server.conf", count=1),
        Invalid(_creds(_NO_EXP_USER), path="bot.creds", message="no `exp`"),
        Invalid(f"operator: {_NO_EXP_OPERATOR}\n", path="nats-server.conf", options={"missing-exp": "all"}),
        Invalid(_creds(_GOOD_USER), path="svc.creds", options={"warn-within": "876000h"}, message="expires in"),
    )

    def check(self, ctx) -> Iterable[Diagnostic]:
        from authlint.syntax.natsjwt import find_jwts

        tree = ctx.tree
        if ctx.kind == NATSCONF:
            from authlint.syntax.natsconf import iter_nodes

            for node in iter_nodes(tree.root):
                if node.source is not ctx.source or node.variable is not None or node.kind != "string":
                    continue
                if "eyJ" not in node.raw:
                    continue
                for found in find_jwts(node.raw, node.span.start):
                    yield from self._check_token(ctx, found.span, found.text)
        else:
            for found in tree.jwts:
                yield from self._check_token(ctx, found.span, found.text)

    def _check_token(self, ctx, span, token: str) -> Iterable[Diagnostic]:
        from authlint.syntax.natsjwt import decode_claims, jwt_type

        decoded = decode_claims(token)
        if decoded is None:
            return
        _header, claims = decoded
        kind = jwt_type(claims)
        name = claims.get("name")
        who = (kind, name if isinstance(name, str) and name else None, token)
        exp = claims.get("exp")
        now = time.time()
        if not isinstance(exp, (int, float)) or isinstance(exp, bool):
            wanted = self.options["missing-exp"]
            if wanted == "all" or (wanted == "user" and kind == "user"):
                yield self.report(ctx, span, NeverExpires(*who), severity=Severity.INFO)
            return
        when = datetime.fromtimestamp(exp, tz=timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
        if exp <= now:
            yield self.report(ctx, span, Expired(*who, when), severity=Severity.ERROR)
        elif exp - now <= _window(self.options["warn-within"]):
            yield self.report(ctx, span, ExpiresSoon(*who, (exp - now) / 86400, when))
