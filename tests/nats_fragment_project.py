"""One NATS project split into an includer and two fragments, shared by the runner-level and the
CLI tests of context files (tests/run/test_context_files.py, tests/integration/test_fragment_context.py)."""

from __future__ import annotations

from pathlib import Path

SERVER = """port: 4222
ping_interval: 2m
authorization {
  include users.conf
}
include tuning.conf
leafnodes {
  authorization { user: leaf, password: "plaintext-password-123" }
}
"""
USERS = 'users = [\n  {user: alice, password: "$2a$11$PWIFAL8RsWyGI3jVZtO9Nu8.6jOxzxfZo7c/W0eLk017hjgUKWrhy"}\n]\n'
TUNING = "write_deadline: 10\n"


def write_project(root: Path) -> Path:
    """``nats-server.conf`` including ``users.conf`` (in its authorization block) and ``tuning.conf``."""
    (root / "nats-server.conf").write_text(SERVER)
    (root / "users.conf").write_text(USERS)
    (root / "tuning.conf").write_text(TUNING)
    return root
