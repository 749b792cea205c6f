"""NATS client credentials a probe signs with: nkey seeds, ``.creds`` files, and the user JWT's expiry.

A server in nkey or operator (JWT) mode sends a ``nonce`` in its INFO; the client proves it holds
the seed by signing that nonce with Ed25519 and sending the signature in CONNECT (``sig``, base64url
without padding, as nats.go sends it) next to its public nkey (``nkey``) or its user JWT (``jwt``).

The seed format is nkeys' own (``strkey.go``): base32 of two prefix bytes, the 32-byte Ed25519 seed
and a CRC-16 (lint/syntax/nkeys.py checks that checksum). A public key is base32 of one prefix byte,
the 32-byte Ed25519 public key and the same checksum. Signing needs the ``cryptography`` package,
imported only when a probe signs, so the linter itself does not depend on it.

Everything secret read here (the seed, the JWT) goes to the redactor before anything may fail.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from authlint.probe.redact import Redactor
from authlint.syntax.nkeys import KEY_TYPES, SEED_PREFIX, crc16, seed_type

PREFIXES = {kind: byte for byte, kind in KEY_TYPES.items()}  # "user" -> 20 << 3, ...
PUBLIC_LETTERS = {"operator": "O", "server": "N", "cluster": "C", "account": "A", "user": "U", "curve": "X"}

JWT_BLOCK = re.compile(r"-{3,}BEGIN NATS USER JWT-{3,}\s*(\S+?)\s*-{3,}\s*END NATS USER JWT-{3,}", re.S)
SEED_BLOCK = re.compile(r"-{3,}BEGIN USER NKEY SEED-{3,}\s*(\S+?)\s*-{3,}\s*END USER NKEY SEED-{3,}", re.S)
BARE_SEED = re.compile(r"(?<![A-Z2-7])S[UAONCX][A-Z2-7]{56}(?![A-Z2-7])")


class CredentialsError(ValueError):
    """A ``--creds`` / ``--nkey`` file the probe cannot use (its message never holds the secret)."""


@dataclass(frozen=True)
class Seed:
    """A decoded nkey seed: its key type and the raw 32-byte Ed25519 seed."""

    kind: str
    raw: bytes

    def public_key(self) -> str:
        key = _private_key(self.raw)  # first: it says what to install when cryptography is missing
        from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

        public = key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
        return encode_public(self.kind, public)

    def sign(self, nonce: str) -> str:
        """The nonce's Ed25519 signature, base64url without padding (the CONNECT ``sig``)."""
        signature = _private_key(self.raw).sign(nonce.encode())
        return base64.urlsafe_b64encode(signature).rstrip(b"=").decode()


def decode_seed(text: str) -> Seed:
    """The seed in ``text`` (an ``S…`` string of 58 characters with a valid checksum)."""
    text = text.strip()
    kind = seed_type(text)
    if kind is None:
        raise CredentialsError("not an nkey seed (expected 58 base32 characters starting with S and a valid checksum)")
    raw = base64.b32decode(text + "=" * 6)
    return Seed(kind, raw[2:34])


def encode_seed(kind: str, raw: bytes) -> str:
    """The seed string for a key type and a 32-byte Ed25519 seed (nkeys ``EncodeSeed``)."""
    prefix = PREFIXES[kind]
    body = bytes([SEED_PREFIX | prefix >> 5, (prefix & 31) << 3]) + raw
    return base64.b32encode(body + crc16(body).to_bytes(2, "little")).decode().rstrip("=")


def encode_public(kind: str, raw: bytes) -> str:
    """The public nkey (``U…``, ``A…``, ``O…``) of a 32-byte Ed25519 public key (nkeys ``Encode``)."""
    body = bytes([PREFIXES[kind]]) + raw
    return base64.b32encode(body + crc16(body).to_bytes(2, "little")).decode().rstrip("=")


def _private_key(raw: bytes) -> Any:
    try:
        from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
    except ImportError as exc:  # a linter install without it: say what to add
        raise CredentialsError(
            "signing the server's nonce with an nkey needs the 'cryptography' package (pip install cryptography)"
        ) from exc
    return Ed25519PrivateKey.from_private_bytes(raw)


@dataclass(frozen=True)
class Creds:
    """A ``.creds`` file's user JWT and nkey seed."""

    jwt: str
    seed: Seed


def read_creds(path: str, redactor: Redactor) -> Creds:
    """The JWT and seed of a ``.creds`` file, both added to ``redactor`` as soon as they are read."""
    text = Path(path).read_text(encoding="utf-8", errors="replace")
    jwt_match, seed_match = JWT_BLOCK.search(text), SEED_BLOCK.search(text)
    redactor.add(jwt_match.group(1) if jwt_match else None, seed_match.group(1) if seed_match else None)
    redactor.add(*BARE_SEED.findall(text))
    if not jwt_match:
        raise CredentialsError(f"{path}: no '-----BEGIN NATS USER JWT-----' block (is this a .creds file?)")
    if not seed_match:
        raise CredentialsError(f"{path}: no '-----BEGIN USER NKEY SEED-----' block (is this a .creds file?)")
    try:
        seed = decode_seed(seed_match.group(1))
    except CredentialsError as exc:
        raise CredentialsError(f"{path}: the USER NKEY SEED block is {exc}") from None
    return Creds(jwt_match.group(1), seed)


def read_nkey(path: str, redactor: Redactor) -> Seed:
    """The nkey seed in a file (alone, as ``nk -gen user`` writes it, or anywhere in the text)."""
    text = Path(path).read_text(encoding="utf-8", errors="replace")
    found = BARE_SEED.findall(text)
    redactor.add(text.strip() if len(text.strip()) < 200 else None, *found)
    if not found:
        raise CredentialsError(f"{path}: no nkey seed (SU… 58 characters) in the file")
    try:
        return decode_seed(found[0])
    except CredentialsError as exc:
        raise CredentialsError(f"{path}: {exc}") from None


def jwt_claims(token: str) -> dict[str, Any] | None:
    """The claims of a JWT, decoded without verifying anything; None when it is not a JWT."""
    parts = token.split(".")
    if len(parts) != 3:
        return None
    try:
        claims = json.loads(base64.urlsafe_b64decode(parts[1] + "=" * (-len(parts[1]) % 4)))
    except (binascii.Error, ValueError):
        return None
    return claims if isinstance(claims, dict) else None


def relative(seconds: float) -> str:
    """``3 h``, ``20 min``, ``45 s``, ``2 d``: a duration as a person reads it."""
    seconds = abs(seconds)
    for size, unit in ((86400, "d"), (3600, "h"), (60, "min")):
        if seconds >= 2 * size:
            return f"{seconds / size:.0f} {unit}"
    return f"{seconds:.0f} s"


def expiry(claims: dict[str, Any], now: float | None = None) -> tuple[str, bool | None]:
    """(how the JWT's ``exp`` stands against the local clock, expired?); None when it never expires."""
    now = time.time() if now is None else now
    exp = claims.get("exp")
    if not isinstance(exp, (int, float)) or isinstance(exp, bool) or exp <= 0:
        return "never expires (no exp claim)", None
    stamp = time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime(exp))
    if exp <= now:
        return f"expired {relative(now - exp)} ago ({stamp}, by this machine's clock)", True
    return f"expires in {relative(exp - now)} ({stamp}, by this machine's clock)", False


def describe_user_jwt(token: str, now: float | None = None) -> tuple[str, dict[str, Any], bool | None]:
    """(summary line, the claims worth showing, expired?) for a user JWT; never the JWT itself."""
    claims = jwt_claims(token)
    if claims is None:
        return "the creds file's JWT cannot be decoded", {}, None
    nats = claims.get("nats") if isinstance(claims.get("nats"), dict) else {}
    shown = {key: claims.get(key) for key in ("name", "sub", "iss", "iat", "exp") if key in claims}
    shown["type"] = nats.get("type", claims.get("type"))
    if nats.get("issuer_account"):
        shown["issuer_account"] = nats["issuer_account"]
    when, expired = expiry(claims, now)
    shown["expires"] = when
    name = claims.get("name") or claims.get("sub") or "?"
    return f"user JWT {name!r} (sub {claims.get('sub', '?')}, issued by {claims.get('iss', '?')}): {when}", shown, expired
