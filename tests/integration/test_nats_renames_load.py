"""NAT001's renames checked by nats-server itself: after the safe and the unsafe fixes, `-t` on the
result either accepts it or the rename was withheld (the file is unchanged), never a file that a
rename made refuse for a new reason, nor a second `port`."""

from __future__ import annotations

from pathlib import Path

import pytest

from authlint.testing import fix_files

from .test_nats_server import NATS_SERVER, server_accepts

pytestmark = [
    pytest.mark.broker,
    pytest.mark.skipif(NATS_SERVER is None, reason="nats-server is not installed"),
]

CONF = "nats-server.conf"


def _run(tmp_path: Path, text: str) -> tuple[bool, str]:
    path = tmp_path / CONF
    path.write_text(text)
    return server_accepts(path)


def _fixed(text: str, unsafe: bool) -> str:
    return fix_files({CONF: text}, unsafe=unsafe, select=["NAT001"])[CONF]


@pytest.mark.parametrize("unsafe", [False, True])
def test_prot_next_to_port_is_left_for_a_human(tmp_path: Path, unsafe: bool) -> None:
    text = "port: 42221\nprot: 52221\n"
    assert _fixed(text, unsafe) == text  # no second `port`: the server stays on 42221 once `prot` goes
    ok, output = _run(tmp_path, text.replace("prot", "port"))
    assert ok, output  # what the rename would have done loads silently: the move would go unnoticed


def test_prot_alone_is_renamed_only_as_unsafe_and_loads(tmp_path: Path) -> None:
    text = "prot: 4222\n"
    assert _run(tmp_path, text)[0] is False
    assert _fixed(text, unsafe=False) == text
    fixed = _fixed(text, unsafe=True)
    assert fixed == "port: 4222\n"
    ok, output = _run(tmp_path, fixed)
    assert ok, output


@pytest.mark.parametrize(
    "text",
    [
        'authorization {\n  pasword: "p"\n  tokn: "t"\n}\n',
        'authorization {\n  usr: a\n  pasword: b\n  tokn: c\n}\n',
        'authorization {\n  users: [ {user: a, password: b} ]\n  tokn: "t"\n}\n',
    ],
)
def test_renames_that_would_clash_are_withheld(tmp_path: Path, text: str) -> None:
    assert _fixed(text, unsafe=True) == text
    # applying every did-you-mean blindly is what nats-server refuses
    blind = text.replace("pasword", "password").replace("tokn", "token").replace("usr:", "user:")
    ok, output = _run(tmp_path, blind)
    assert not ok and "Can" in output and "token" in output


@pytest.mark.parametrize(
    "text, safe_changes",
    [
        ('ping_intervall: "2m"\nport: 4222\n', True),
        ('authorization {\n  usr: a\n  pasword: "a-long-password-value"\n}\n', False),
        ('authorization {\n  tokn: "a-long-token-value-0123"\n}\n', False),
        ("authorization {\n  users: [ {user: a, pasword: b} ]\n}\n", False),
    ],
)
def test_offered_renames_make_the_config_load(tmp_path: Path, text: str, safe_changes: bool) -> None:
    assert _run(tmp_path, text)[0] is False
    assert (_fixed(text, unsafe=False) != text) is safe_changes
    fixed = _fixed(text, unsafe=True)
    assert fixed != text
    ok, output = _run(tmp_path, fixed)
    assert ok, f"{fixed}\n{output}"
