"""NAT001's did-you-mean renames: safe only where the key decides nothing about who may connect or
where the server listens; never offered when the block already has the key or would clash."""

from __future__ import annotations

import pytest

from authlint.diagnostics.diagnostic import Applicability
from authlint.facts.knowledge import nats_keys
from authlint.testing import lint_files


def _nat001(text: str):
    return [d for d in lint_files({"nats-server.conf": text}, select=["NAT001"]).diagnostics]


@pytest.mark.parametrize(
    "text, applicability",
    [
        ('ping_intervall: "2m"\n', Applicability.SAFE),
        ("max_payloadd: 1024\n", Applicability.SAFE),
        ("prot: 4222\n", Applicability.UNSAFE),
        ("hots: 0.0.0.0\n", Applicability.UNSAFE),
        ('authorization {\n  tokn: "abc"\n}\n', Applicability.UNSAFE),
        ("clustr {\n  port: 6222\n}\n", Applicability.UNSAFE),
        ("authorization {\n  users: [ {user: a, pasword: b} ]\n}\n", Applicability.UNSAFE),
        ("websocket {\n  port: 8080\n  no_tls: true\n  allowed_origin: [\"https://a\"]\n  same_orign: true\n}\n", Applicability.UNSAFE),
    ],
)
def test_rename_class_follows_what_the_key_decides(text: str, applicability: Applicability) -> None:
    (finding,) = _nat001(text)
    assert finding.fix is not None
    assert finding.fix.applicability is applicability


@pytest.mark.parametrize(
    "text, reason",
    [
        ("port: 42221\nprot: 52221\n", "already has `port`"),
        ("prot: 52221\nport: 42221\n", "already has `port`"),
        ("authorization {\n  password: x\n  user: a\n  pasword: y\n}\n", "already has `password`"),
        ('authorization {\n  users: [ {user: a, password: b} ]\n  tokn: "t"\n}\n', "refuses `token` next to `users`"),
        ('authorization {\n  token: "t"\n  usrs: [ {user: a, password: b} ]\n}\n', "refuses `users` next to `token`"),
    ],
)
def test_no_rename_into_a_key_the_block_has_or_refuses(text: str, reason: str) -> None:
    (finding,) = _nat001(text)
    assert finding.fix is None
    assert reason in finding.message


def test_two_renames_that_clash_are_both_withheld() -> None:
    findings = _nat001('authorization {\n  usr: a\n  pasword: b\n  tokn: c\n}\n')
    assert len(findings) == 3
    assert all(d.fix is None for d in findings)
    assert all("for a human to decide" in d.message for d in findings)


def test_renames_that_do_not_clash_are_all_offered() -> None:
    findings = _nat001("authorization {\n  usr: a\n  pasword: b\n}\n")
    assert [d.fix is not None for d in findings] == [True, True]


def test_the_table_speaks_of_canonical_keys_and_aliases() -> None:
    assert nats_keys.decides("top", "net") == nats_keys.decides("top", "host") is not None
    assert nats_keys.decides("authorization", "password") is not None
    assert nats_keys.decides("top", "ping_interval") is None
    assert nats_keys.excluded_by("authorization", "token", {"users"}) == "users"
    assert nats_keys.excluded_by("authorization", "token", {"timeout"}) is None
