"""Tokens an attacker (or a drifting clock) presents, minted in the test process with the real
libraries: unsigned (``alg: none``), signed with another key, expired some seconds ago."""

from __future__ import annotations

import base64
import json
import time

import jwt

SECRET = "behaviour-test-secret-0123456789abcdef"  # what the projects read from JWT_SECRET
OTHER_KEY = "attacker-chosen-key-0123456789abcdef"
ENV = {"JWT_SECRET": SECRET}


def _segment(data: dict) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()


def unsigned(claims: dict) -> str:
    """``alg: none``, no signature: accepted by anything that does not verify."""
    return f"{_segment({'alg': 'none', 'typ': 'JWT'})}.{_segment(claims)}."


def other_key(claims: dict, algorithm: str = "HS256") -> str:
    return jwt.encode(claims, OTHER_KEY, algorithm=algorithm)


def expired(seconds_ago: float, key: str = SECRET, algorithm: str = "HS256", **claims) -> str:
    """Signed with the right key, ``exp`` ``seconds_ago`` in the past (issued an hour before)."""
    now = int(time.time())
    return jwt.encode({"sub": "alice", "iat": now - 3600, "exp": now - int(seconds_ago), **claims}, key, algorithm=algorithm)


def forged() -> dict[str, str]:
    """The tokens every fixed verification must refuse, by name."""
    claims = {"sub": "admin", "exp": int(time.time()) + 600}
    return {"alg-none": unsigned(claims), "other-key": other_key(claims), "expired": expired(120)}
