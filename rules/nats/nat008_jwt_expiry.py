from __future__ import annotations

import base64
import json
import re
import time
from datetime import datetime, timezone
from typing import Any, Iterable

from authlint.diagnostics.diagnostic import Diagnostic, Severity
from authlint.diagnostics.mask import Masked
from authlint.facts.model import NatsJwt
from authlint.files.kinds import CREDS, JWTFILE, NATSCONF
from authlint.rule import Invalid, Rule, RuleOption, Valid, Violation


class JwtViolation(Violation):
    """A NATS JWT by its type (operator/account/user), ``name`` claim and redacted text."""

    kind: str
    name: str | None
    shown: Masked  # the token (masked when the violation is made)
    also: tuple[str, ...] = ()  # the other places (``path:line``) that hold the same token

    def label(self) -> str:
        return f"{self.kind} JWT" + (f" `{self.name}`" if self.name else "") + f" {self.shown}"

    def copies(self) -> str:
        return f" (the same JWT is in {', '.join(self.also)})" if self.also else ""


class NeverExpires(JwtViolation):
    def message(self) -> str:
        return f"{self.label()} has no `exp`: it never expires and can only be revoked{self.copies()}"


class Expired(JwtViolation):
    when: str = ""

    def message(self) -> str:
        return f"{self.label()} expired on {self.when}: nats-server rejects it{self.copies()}"


class ExpiresSoon(JwtViolation):
    days: float = 0.0
    when: str = ""

    def message(self) -> str:
        return f"{self.label()} expires in {self.days:,.0f} days ({self.when}){self.copies()}"


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
    `missing-exp` to `all` or `none`). Tokens are shown redacted. A token held by several files
    (a user JWT in a `.creds` file and in the `.jwt` it was made from) is one finding, at its first
    copy, naming the others (related locations in JSON and SARIF).

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
    project_rule = True  # one finding per token, however many files hold it
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
        # one user JWT in a .creds file and the .jwt it was made from: one finding, both places
        Invalid(
            _creds(_EXPIRED_USER),
            path="app/user.creds",
            files={"keys/user.jwt": _EXPIRED_USER + "\n"},
            message="expired on 2000-01-01 00:00 UTC: nats-server rejects it (the same JWT is in keys/user.jwt:1)",
            count=1,
            span=(2, 1, 2, 225),
        ),
    )

    def check_project(self, project) -> Iterable[Diagnostic]:
        """Each token once: the copies of one JWT (a ``.creds`` file and the ``.jwt`` it was made
        from) are one credential, reported at the first copy with the others as related places."""
        copies: dict[tuple, list[NatsJwt]] = {}
        for found in project.facts(NatsJwt):
            # a token file (.creds/.jwt) is a copy of the credential; a config's inline JWT is
            # the server's own setting, judged where it is written
            key = (found.token,) if found.token_file else (found.token, found.source.relpath, found.span)
            copies.setdefault(key, []).append(found)
        for (token, *_), places in copies.items():
            places.sort(key=lambda f: (f.source.relpath, f.span.start))
            first, others = places[0], places[1:]
            also = tuple(f"{o.source.relpath}:{o.source.position(o.span.start)[0]}" for o in others)
            for diag in self._check_token(first.source, first.span, token, also):
                diag.related = [(o.source, o.span, "the same JWT") for o in others]
                yield diag

    def _check_token(self, source, span, token: str, also: tuple[str, ...]) -> Iterable[Diagnostic]:
        from authlint.syntax.natsjwt import decode_claims, jwt_type

        decoded = decode_claims(token)
        if decoded is None:
            return
        _header, claims = decoded
        kind = jwt_type(claims)
        name = claims.get("name")
        who = (kind, name if isinstance(name, str) and name else None, token)
        copies = {"also": also}
        exp = claims.get("exp")
        now = time.time()
        if not isinstance(exp, (int, float)) or isinstance(exp, bool):
            wanted = self.options["missing-exp"]
            if wanted == "all" or (wanted == "user" and kind == "user"):
                yield self.report(source, span, NeverExpires(*who, **copies), severity=Severity.INFO)
            return
        when = datetime.fromtimestamp(exp, tz=timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
        if exp <= now:
            yield self.report(source, span, Expired(*who, when=when, **copies), severity=Severity.ERROR)
        elif exp - now <= _window(self.options["warn-within"]):
            yield self.report(source, span, ExpiresSoon(*who, days=(exp - now) / 86400, when=when, **copies))
