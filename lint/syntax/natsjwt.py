"""NATS ``.jwt`` and ``.creds`` files: where the JWTs and nkey seeds are (armoured or bare).

A decorated file wraps each part in ``-----BEGIN NATS USER JWT-----`` / ``------END …------``
lines; a bare ``.jwt`` is just the token. Nothing is verified here: this only locates text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from authlint.files.source import Source, Span

if TYPE_CHECKING:
    from authlint.run.context import FileContext

JWT_RE = re.compile(r"eyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*")
SEED_RE = re.compile(r"(?<![A-Z2-7])S[UAONCX][A-Z2-7]{56}(?![A-Z2-7])")
SEED_KINDS = {"U": "user", "A": "account", "O": "operator", "N": "server", "C": "cluster", "X": "curve"}


@dataclass
class Found:
    span: Span
    text: str


@dataclass
class TokenFile:
    source: Source
    jwts: list[Found] = field(default_factory=list)
    seeds: list[Found] = field(default_factory=list)


def find_jwts(text: str, base: int = 0) -> list[Found]:
    return [Found(Span(base + m.start(), base + m.end()), m.group(0)) for m in JWT_RE.finditer(text)]


def find_seeds(text: str, base: int = 0) -> list[Found]:
    return [Found(Span(base + m.start(), base + m.end()), m.group(0)) for m in SEED_RE.finditer(text)]


def parse_source(source: Source, ctx: FileContext | None = None) -> TokenFile:
    return TokenFile(source, find_jwts(source.text), find_seeds(source.text))


def decode_claims(token: str) -> tuple[dict[str, Any], dict[str, Any]] | None:
    """(header, claims) without verifying anything; None when it is not a decodable JWT.

    Decoded once per token in a process (the language server's project phase asks again on every
    edit); the caller gets its own copies of the two dicts."""
    decoded = _decoded(token)
    return None if decoded is None else (dict(decoded[0]), dict(decoded[1]))


@lru_cache(maxsize=512)  # in memory only, never written anywhere
def _decoded(token: str) -> tuple[dict[str, Any], dict[str, Any]] | None:
    import jwt

    try:
        header = jwt.get_unverified_header(token)
        claims = jwt.decode(
            token,
            options={
                "verify_signature": False,
                "verify_exp": False,
                "verify_nbf": False,
                "verify_iat": False,
                "verify_aud": False,
            },
        )
    except jwt.PyJWTError:  # DecodeError and kin for malformed tokens: not a JWT, nothing to report
        return None
    if not isinstance(claims, dict):
        return None
    return header, claims


def jwt_type(claims: dict[str, Any]) -> str:
    nats = claims.get("nats")
    if isinstance(nats, dict) and isinstance(nats.get("type"), str):
        return nats["type"]
    kind = claims.get("type")
    return kind if isinstance(kind, str) else "unknown"
