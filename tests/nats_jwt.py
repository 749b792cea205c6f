"""An operator, an account and users minted in the test (there is no ``nsc`` here): nkeys from
random Ed25519 seeds and NATS v2 JWTs signed with them, for a nats-server in operator mode.

The format is nats-io/jwt v2's: header ``{"typ":"JWT","alg":"ed25519-nkey"}``, claims ``jti iat
iss sub name [exp]`` and ``nats: {type, version: 2, …}``, the signature Ed25519 over
``header.claims`` (base64url, no padding). The account JWT is signed by the operator, the user JWT
by the account; the server loads the account through ``resolver: MEMORY`` + ``resolver_preload``.
Limits are ``-1`` (unlimited) as nsc writes them: a missing limit is zero to the server.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import time
from dataclasses import dataclass
from typing import Any

from authlint.probe.natscreds import Seed, encode_seed

UNLIMITED = {"subs": -1, "data": -1, "payload": -1}


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


@dataclass(frozen=True)
class Key:
    """An nkey pair: the seed string (secret) and the public key."""

    seed: str
    public: str
    signer: Seed

    @classmethod
    def new(cls, kind: str) -> Key:
        text = encode_seed(kind, os.urandom(32))
        signer = Seed(kind, base64.b32decode(text + "=" * 6)[2:34])
        return cls(text, signer.public_key(), signer)

    def sign_jwt(self, subject: str, name: str, nats: dict[str, Any], exp: int | None = None) -> str:
        claims: dict[str, Any] = {"jti": "", "iat": int(time.time()) - 60, "iss": self.public, "name": name, "sub": subject}
        if exp is not None:
            claims["exp"] = exp
        claims["nats"] = {**nats, "version": 2}
        claims["jti"] = base64.b32encode(hashlib.sha256(json.dumps(claims).encode()).digest()).decode().rstrip("=")
        head = _b64(json.dumps({"typ": "JWT", "alg": "ed25519-nkey"}).encode())
        body = _b64(json.dumps(claims).encode())
        signing = f"{head}.{body}"
        from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

        signature = Ed25519PrivateKey.from_private_bytes(self.signer.raw).sign(signing.encode())
        return f"{signing}.{_b64(signature)}"


@dataclass(frozen=True)
class Operator:
    """An operator with one account (``APP``); ``user_jwt`` mints users of that account."""

    operator: Key
    account: Key
    operator_jwt: str
    account_jwt: str

    @classmethod
    def new(cls) -> Operator:
        operator, account = Key.new("operator"), Key.new("account")
        operator_jwt = operator.sign_jwt(operator.public, "probe-operator", {"type": "operator"})
        limits = {**UNLIMITED, "imports": -1, "exports": -1, "wildcards": True, "conn": -1, "leaf": -1}
        account_jwt = operator.sign_jwt(
            account.public, "APP", {"type": "account", "limits": limits, "default_permissions": {"pub": {}, "sub": {}}}
        )
        return cls(operator, account, operator_jwt, account_jwt)

    def config(self) -> str:
        return (
            f"operator: {self.operator_jwt}\n"
            "resolver: MEMORY\n"
            f"resolver_preload: {{\n  {self.account.public}: {self.account_jwt}\n}}\n"
        )

    def user_jwt(self, user: Key, name: str, exp: int | None = None) -> str:
        nats = {"type": "user", "pub": {}, "sub": {}, **UNLIMITED}
        return self.account.sign_jwt(user.public, name, nats, exp)


def creds_file(jwt: str, seed: str) -> str:
    """A ``.creds`` file as ``nsc generate creds`` writes it."""
    return (
        "-----BEGIN NATS USER JWT-----\n"
        f"{jwt}\n"
        "------END NATS USER JWT------\n\n"
        "************************* IMPORTANT *************************\n"
        "NKEY Seed printed below can be used to sign and prove identity.\n"
        "NKEYs are sensitive and should be treated as secrets.\n\n"
        "-----BEGIN USER NKEY SEED-----\n"
        f"{seed}\n"
        "------END USER NKEY SEED------\n\n"
        "*************************************************************\n"
    )
