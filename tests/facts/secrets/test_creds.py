"""Secret spans of NATS ``.creds`` and ``.jwt`` files: what the armour wraps, not the armour."""

from __future__ import annotations

import pytest

from tests.facts.secrets.marks import check

JWT = "eyJ0eXAiOiJKV1QiLCJhbGciOiJlZDI1NTE5LW5rZXkifQ.eyJuYW1lIjoieCJ9.c2ln"
SEED = "SUANQDPB2RUOE4ETUA26CNX7FUKE5ZZKFCQIIW63OX225F2CO7UEXTM7ZY"

CASES = {
    "creds": (
        "app.creds",
        f"-----BEGIN NATS USER JWT-----\n⟦{JWT}⟧\n------END NATS USER JWT------\n\n"
        "************************* IMPORTANT *************************\n"
        "NKEY Seed printed below can be used to sign and prove identity.\n\n"
        f"-----BEGIN USER NKEY SEED-----\n⟦{SEED}⟧\n------END USER NKEY SEED------\n",
    ),
    "placeholder seed": (  # no pattern knows it: the armour says it is the seed
        "dev.creds",
        f"-----BEGIN NATS USER JWT-----\n⟦{JWT}⟧\n------END NATS USER JWT------\n"
        "-----BEGIN USER NKEY SEED-----\n⟦SUAREPLACEME⟧\n------END USER NKEY SEED------\n",
    ),
    "cut short": ("cut.creds", "-----BEGIN USER NKEY SEED-----\n⟦SUAXX⟧\n"),
    "bare jwt": ("user.jwt", f"⟦{JWT}⟧\n"),
    "armoured jwt": ("op.jwt", f"-----BEGIN NATS OPERATOR JWT-----\n⟦{JWT}⟧\n------END NATS OPERATOR JWT------\n"),
}


@pytest.mark.parametrize("relpath, marked", CASES.values(), ids=CASES.keys())
def test_armoured_contents_are_secret(relpath: str, marked: str) -> None:
    check(relpath, marked)
