"""Where a verification's key comes from, as far as skew is concerned: a key set fetched from an
identity provider (JWKS), or a public key (tokens signed by whoever holds the private one).

JWT006 reports a missing leeway only where the machine that mints is not the one that verifies;
these names are how the code says so. Kept here, not in the rule, because they are library names:
jwks-rsa (``jwksClient``, ``expressJwtSecret``, ``passportJwtSecret``, ``getSigningKey``), jose
(``createRemoteJWKSet``, ``createLocalJWKSet``), PyJWT (``PyJWKClient``,
``get_signing_key_from_jwt``), python-jose / authlib key sets (``jwks``, ``JsonWebKey``), and
options naming a JWKS URL (``jwksUri``, ``jwks_uri``).

Cheap to import (``re`` only).
"""

from __future__ import annotations

import re

# Calls and options that fetch or hold a key set published by an identity provider.
KEY_SET_RE = re.compile(
    r"jwks|JWKS|Jwks|createRemoteJWKSet|createLocalJWKSet|PyJWKClient|PyJWKSet|get_signing_key|getSigningKey"
    r"|expressJwtSecret|passportJwtSecret|koaJwtSecret|JsonWebKey|well-known/openid-configuration"
)
# A key constructor written in the file: the verification's key, read through a local name, may come from it.
KEY_SET_CLIENT_RE = re.compile(
    r"\b(?:PyJWKClient|createRemoteJWKSet|jwksClient|JwksClient|expressJwtSecret|passportJwtSecret|koaJwtSecret)\s*\("
)
# A key that names itself public: PEM public keys, certificates, ``PUBLIC_KEY``, ``publicKey``, ``pubkey``.
PUBLIC_KEY_RE = re.compile(r"public|PUBLIC|Public|pubkey|PUBKEY|pub_key|PUB_KEY|BEGIN CERTIFICATE|\bcert\b|\.crt\b|\.pub\b")
ASYMMETRIC_PREFIXES = ("RS", "ES", "PS", "ED")
HMAC_PREFIX = "HS"


def names_key_set(*texts: str) -> bool:
    """Whether any of these texts (the key as written, what it refers to, the call) names a key set."""
    return any(KEY_SET_RE.search(text) for text in texts if text)


def builds_key_set_client(file_text: str) -> bool:
    """Whether a file constructs a key-set client (a key read through a local name may come from it)."""
    return KEY_SET_CLIENT_RE.search(file_text) is not None


def names_public_key(*texts: str) -> bool:
    return any(PUBLIC_KEY_RE.search(text) for text in texts if text)


def family(algorithm: str) -> str | None:
    """``"hmac"``, ``"public-key"``, or None (unknown, ``none``)."""
    upper = algorithm.upper()
    if upper.startswith(HMAC_PREFIX):
        return "hmac"
    if upper.startswith(ASYMMETRIC_PREFIXES):
        return "public-key"
    return None
