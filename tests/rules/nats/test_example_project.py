"""examples/nats/nats-server.conf shows the NAT family: these are its findings, line by line."""

from __future__ import annotations

from pathlib import Path

from authlint.testing import fix_files, lint_files

EXAMPLE = Path(__file__).resolve().parents[3] / "examples" / "nats" / "nats-server.conf"
EXPECTED = [
    ("NAT002", 7),  # ping_interval: 2m
    ("NAT002", 9),  # write_deadline: 10
    ("NAT001", 10),  # monitoring_port
    ("NAT004", 14),  # alice's plaintext password
    ("NAT001", 15),  # pasword typo
    ("NAT002", 17),  # timeout: "5s" on 2.9.10
    ("NAT006", 19),  # no_auth_user: carol
    ("NAT007", 21),  # websocket without origin check
    ("NAT004", 29),  # cluster password
    ("NAT005", 29),
    ("NAT004", 30),  # credentials in the route URL
    ("NAT005", 30),
]


# the example is written for a nats-server older than 2.12 (its auth timeout string is ignored):
# it says so the way a project does, by its target
TARGET = {"target_nats_version": "2.9.10"}


def _lint(text: str, **overrides):
    return lint_files({"examples/nats/nats-server.conf": text}, select=["NAT", "E"], **{**TARGET, **overrides})


def test_example_findings() -> None:
    result = _lint(EXAMPLE.read_text())
    assert result.errors == []
    assert [(d.code, d.start[0]) for d in result.diagnostics] == EXPECTED
    assert all("T0pS3cr3t" not in d.message and "wonderland-in-2024" not in d.message for d in result.diagnostics)


def test_example_without_a_target_has_no_version_gated_finding() -> None:
    """No target configured or pinned: the auth timeout string (right from 2.12) is not reported."""
    result = _lint(EXAMPLE.read_text(), target_nats_version=None)
    assert [(d.code, d.start[0]) for d in result.diagnostics] == [e for e in EXPECTED if e != ("NAT002", 17)]


def test_example_safe_fixes() -> None:
    text = EXAMPLE.read_text()
    fixed = fix_files({"examples/nats/nats-server.conf": text}, unsafe=False, select=["NAT", "E"], **TARGET)
    after = fixed["examples/nats/nats-server.conf"]
    changed = [(a, b) for a, b in zip(text.splitlines(), after.splitlines()) if a != b]
    # the bare integer is read as the same seconds: only that one is safe (the others change the
    # running value: test_example_unsafe_fixes_change_the_running_durations)
    assert changed == [
        (
            "write_deadline: 10         # bare integer: nats-server -t fails on the warning",
            'write_deadline: "10s"         # bare integer: nats-server -t fails on the warning',
        ),
    ]
    remaining = [(d.code, d.start[0]) for d in _lint(after).diagnostics]
    # `pasword` becoming `password` switches bob's credential on: an unsafe fix, left for --unsafe-fixes
    assert ("NAT002", 9) not in remaining and ("NAT001", 15) in remaining
    assert ("NAT002", 7) in remaining and ("NAT002", 17) in remaining


def test_example_unsafe_fixes_change_the_running_durations() -> None:
    """`2m` ran as ~23 days and the ignored "5s" as 1 s: what the author meant changes the server."""
    text = EXAMPLE.read_text()
    fixed = fix_files({"examples/nats/nats-server.conf": text}, unsafe=True, select=["NAT002"], **TARGET)
    after = fixed["examples/nats/nats-server.conf"]
    changed = [(a, b) for a, b in zip(text.splitlines(), after.splitlines()) if a != b]
    assert changed == [
        (
            "ping_interval: 2m          # meant two minutes; is the integer 2000000 (seconds)",
            'ping_interval: "2m"          # meant two minutes; is the integer 2000000 (seconds)',
        ),
        (
            "write_deadline: 10         # bare integer: nats-server -t fails on the warning",
            'write_deadline: "10s"         # bare integer: nats-server -t fails on the warning',
        ),
        (
            '  timeout: "5s"            # ignored before nats-server 2.12: the auth timeout becomes 1 s',
            "  timeout: 5            # ignored before nats-server 2.12: the auth timeout becomes 1 s",
        ),
    ]
    remaining = [(d.code, d.start[0]) for d in _lint(after).diagnostics]
    assert ("NAT002", 7) not in remaining and ("NAT002", 17) not in remaining


def test_example_unsafe_fixes_rename_the_password() -> None:
    text = EXAMPLE.read_text()
    fixed = fix_files({"examples/nats/nats-server.conf": text}, unsafe=True, select=["NAT001"], **TARGET)
    after = fixed["examples/nats/nats-server.conf"]
    changed = [(a, b) for a, b in zip(text.splitlines(), after.splitlines()) if a != b]
    assert ('    {user: bob, pasword: "changeme"}', '    {user: bob, password: "changeme"}') in changed
    remaining = [(d.code, d.start[0]) for d in _lint(after).diagnostics]
    # the renamed key now shows bob's weak plaintext password; the unfixable findings stay
    assert ("NAT004", 15) in remaining and ("NAT005", 15) in remaining
    assert ("NAT001", 15) not in remaining
