"""``authlint probe http://…`` as a user runs it (a subprocess): exit 0 accepted, 1 refused, 2
unreachable, ``--output-format json``, and no credential on stdout or stderr."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator

import pytest

from tests.loopback import free_port
from tests.probe.servers import python_socketio

APP = "https://app.example.com"
TOKEN = "cli-token-6b5a4c3d2e"
WRONG = "cli-wrong-0f9e8d7c6b"
BEARER = "cli-bearer-1122aabbcc"


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    with python_socketio([APP], TOKEN) as url:
        yield url


def authlint(*args: str) -> subprocess.CompletedProcess[str]:
    done = subprocess.run([sys.executable, "-m", "authlint", "probe", *args], capture_output=True, text=True,
                          timeout=60, check=False)
    for secret in (TOKEN, WRONG, BEARER):
        assert secret not in done.stdout and secret not in done.stderr
    return done


def test_accepted_exits_0(server: str) -> None:
    done = authlint(server, "--origin", APP, "--auth", f"token={TOKEN}", "--header", f"Authorization: Bearer {BEARER}")
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith(f"probe {server} (socketio)")
    assert "ACCEPTED: namespace / accepted the CONNECT (auth keys: token)" in done.stdout


def test_refused_exits_1_with_the_servers_message_in_json(server: str) -> None:
    done = authlint(server, "--origin", APP, "--auth", f"token={WRONG}", "--output-format", "json",
                    "--query", f"access_token={WRONG}")
    assert done.returncode == 1, done.stderr
    data = json.loads(done.stdout)
    assert data["protocol"] == "socketio" and data["verdict"] == "refused"
    assert data["reason"] == "authentication failed"
    namespace = next(step for step in data["steps"] if step["name"] == "namespace")
    assert namespace["said"] == "authentication failed"
    assert data["causes"][0]["title"] == "Socket.IO: authentication refused"


def test_unreachable_exits_2() -> None:
    done = authlint(f"http://127.0.0.1:{free_port()}", "--auth", f"token={TOKEN}", "--timeout", "2")
    assert done.returncode == 2
    assert "UNREACHABLE: no answer from 127.0.0.1:" in done.stdout and "connection refused" in done.stdout
