"""``authlint jwt inspect``: what a token says, how long it lives, and whether a key verifies it.

Decoding never verifies (the point is to look at a token that fails); the token itself is never
printed in full, only its header and claims.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from typing import Any

from authlint.diagnostics.mask import mask_new_text, mask_value
from authlint.rules.kit import durations

TIME_CLAIMS = ("iat", "nbf", "exp")
SHORT_LIFETIME = 60
LONG_LIFETIME = 24 * 3600


@dataclass
class Inspection:
    token: str
    header: dict[str, Any] = field(default_factory=dict)
    claims: dict[str, Any] = field(default_factory=dict)
    findings: list[str] = field(default_factory=list)
    verified: bool | None = None
    verify_error: str | None = None

    @property
    def lifetime(self) -> float | None:
        exp, iat = self.claims.get("exp"), self.claims.get("iat", self.claims.get("nbf"))
        if isinstance(exp, (int, float)) and isinstance(iat, (int, float)):
            return float(exp - iat)
        return None


def _when(value: Any, now: float) -> str:
    if not isinstance(value, (int, float)):
        return repr(value)
    stamp = dt.datetime.fromtimestamp(value, dt.timezone.utc).strftime("%Y-%m-%d %H:%M:%S UTC")
    delta = value - now
    return f"{stamp} ({human(abs(delta))} {'from now' if delta >= 0 else 'ago'})"


def human(seconds: float) -> str:
    """``90061`` -> ``1d1h``: the two largest units, enough to judge a lifetime."""
    return durations.human(seconds, largest=2)


def inspect_token(token: str, now: float, key: str | None = None, algorithms: list[str] | None = None) -> Inspection:
    import jwt

    token = token.strip()
    result = Inspection(token)
    try:
        result.header = jwt.get_unverified_header(token)
        result.claims = jwt.decode(token, options={"verify_signature": False})
    except jwt.PyJWTError as exc:
        raise ValueError(f"not a decodable JWT: {exc}") from None
    alg = str(result.header.get("alg", ""))
    if alg.lower() == "none":
        result.findings.append("alg is 'none': the token carries no signature; never accept it (JWT003)")
    exp = result.claims.get("exp")
    if exp is None:
        result.findings.append("no 'exp' claim: the token never expires unless the verifier requires it (JWT002)")
    elif isinstance(exp, (int, float)) and exp < now:
        result.findings.append(f"expired {human(now - exp)} ago (JWT007)")
    iat = result.claims.get("iat")
    if isinstance(iat, (int, float)) and iat > now + 5:
        result.findings.append(
            f"'iat' is {human(iat - now)} in the future: the issuer's clock is ahead; verifiers without leeway "
            "reject it (JWT006)"
        )
    lifetime = result.lifetime
    if lifetime is not None and lifetime < SHORT_LIFETIME:
        result.findings.append(f"lives only {human(lifetime)}: clock skew between issuer and verifier rejects it (JWT001)")
    elif lifetime is not None and lifetime > LONG_LIFETIME:
        result.findings.append(f"lives {human(lifetime)}: a stolen token stays valid that long (JWT002)")
    if key is not None:
        try:
            jwt.decode(
                token, key, algorithms=algorithms or [alg],
                options={"verify_exp": False, "verify_nbf": False, "verify_iat": False, "verify_aud": False},
            )
            result.verified = True
        except jwt.PyJWTError as exc:
            result.verified = False
            result.verify_error = mask_new_text(f"{exc.__class__.__name__}: {exc}", (token, key or ""))
    return result


def _key_shown(key: str) -> str:
    """The key tested, masked: an HMAC secret as any secret, a PEM key by its size only."""
    key = key.strip()
    if "\n" in key:
        return f"(a {len(key.splitlines())}-line PEM key)"
    return mask_value(key)


def render(result: Inspection, now: float, key: str | None = None) -> str:
    lines = [f"token:   {mask_value(result.token)}", f"header:  {json.dumps(result.header, sort_keys=True)}", "claims:"]
    for name, value in result.claims.items():
        shown = _when(value, now) if name in TIME_CLAIMS else json.dumps(value, default=str)
        lines.append(f"  {name}: {shown}")
    if result.lifetime is not None:
        lines.append(f"lifetime: {human(result.lifetime)}")
    if result.verified is not None:
        verdict = "valid" if result.verified else f"INVALID ({result.verify_error})"
        lines.append(f"signature with key {_key_shown(key or '')}: {verdict}")
    lines.append("findings:" if result.findings else "findings: none")
    lines += [f"  - {finding}" for finding in result.findings]
    return "\n".join(lines) + "\n"
