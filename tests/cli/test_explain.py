from __future__ import annotations

import pytest

from authlint.cli.explain import EXPLANATIONS, explain
from authlint.rules import registry


@pytest.mark.parametrize(
    "message, title",
    [
        ("nats: Authorization Violation", "NATS: Authorization Violation"),
        ("-ERR 'Authentication Timeout'", "NATS: Authentication Timeout"),
        ("nats: User Authentication Expired", "NATS: User/Account Authentication Expired"),
        ("-ERR 'Stale Connection'", "NATS: Stale Connection"),
        ('nats.conf:3:1: unknown field "ping_timeout"', "nats-server: unknown field"),
        ("http://localhost:3000 is not an accepted origin.", "Socket.IO: origin not accepted"),
        ("jwt.exceptions.ExpiredSignatureError: Signature has expired", "JWT: expired"),
        ("TokenExpiredError: jwt expired", "JWT: expired"),
        ('It is required that you pass in a value for the "algorithms" argument when calling decode().',
         "PyJWT: algorithms required"),
        ("The value of the 'Access-Control-Allow-Origin' header in the response must not be the wildcard",
         "Browser: CORS header missing or refused"),
    ],
)
def test_known_messages(message: str, title: str) -> None:
    assert title in [entry.title for entry in explain(message)]


def test_unrelated_text_matches_nothing() -> None:
    assert explain("associated data was saved") == []


def test_every_code_named_is_a_real_rule() -> None:
    known = registry()
    missing = sorted({code for entry in EXPLANATIONS for code in entry.codes} - set(known))
    assert missing == []
