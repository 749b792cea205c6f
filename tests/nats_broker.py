"""A real nats-server for the tests (the NATS fix behaviour tests, tests/integration): ``-t`` as the
judge of a config, a live server on loopback with its monitoring port, and nats-py logging in the
way clients do.

Every scenario writes its project to a folder (includes resolve from the including file's folder,
as nats-server does), checks it with ``nats-server -t``, starts one server for all of its client
checks, and reads ``/varz`` for the values the server really uses. Only 127.0.0.1 is used.
"""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import socket
import subprocess
import time
import urllib.request
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator

import pytest

from tests.loopback import free_port

NATS_SERVER = shutil.which("nats-server") or ("/usr/sbin/nats-server" if os.path.exists("/usr/sbin/nats-server") else None)
needs_server = [
    pytest.mark.broker,
    pytest.mark.skipif(NATS_SERVER is None, reason="nats-server is not installed"),
]
NS = 10**9  # /varz reports Go durations in nanoseconds


def write(root: Path, files: dict[str, str]) -> None:
    """Write a project byte for byte (``newline=""``: CRLF files stay CRLF)."""
    for relpath, text in files.items():
        target = root / relpath
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8", newline="")


def check_config(root: Path, main: str, env: dict[str, str] | None = None) -> tuple[bool, str]:
    """``nats-server -t -c main`` in the project folder: (accepted, what it printed)."""
    assert NATS_SERVER is not None
    proc = subprocess.run(
        [NATS_SERVER, "-t", "-c", main],
        cwd=root,
        env={"PATH": os.environ.get("PATH", "/usr/bin:/bin"), **(env or {})},
        capture_output=True,
        text=True,
        timeout=20,
    )
    return proc.returncode == 0, (proc.stdout + proc.stderr).strip()


@dataclass
class Login:
    """How a client presents itself: user/password, a token, or nothing."""

    user: str | None = None
    password: str | None = None
    token: str | None = None


@dataclass
class Running:
    """A started nats-server: its client and monitoring ports."""

    port: int
    http: int

    def varz(self) -> dict[str, Any]:
        with urllib.request.urlopen(f"http://127.0.0.1:{self.http}/varz", timeout=3) as response:
            return json.load(response)

    def logins(self, *attempts: Login, publish: str | None = None, url: str | None = None) -> list[str]:
        """Each attempt's outcome: ``"ok"`` or the error text nats-py reports (one event loop).
        ``url``: another listener (``ws://127.0.0.1:PORT``), else the client port."""
        return asyncio.run(_attempts(url or f"nats://127.0.0.1:{self.port}", attempts, publish))

    def login(self, attempt: Login, publish: str | None = None, url: str | None = None) -> str:
        return self.logins(attempt, publish=publish, url=url)[0]

    def silent(self, attempt: Login, seconds: float) -> str:
        """Log in over a raw socket, then answer no PING for ``seconds`` (a client whose event loop
        is busy, or behind a stalled link): ``"connected"`` if the server kept it, else the
        ``-ERR`` it sent ("'Stale Connection'")."""
        return _silent(self.port, attempt, seconds)


async def _attempts(url: str, attempts: tuple[Login, ...], publish: str | None) -> list[str]:
    return [await _attempt(url, login, publish) for login in attempts]


async def _attempt(url: str, login: Login, publish: str | None) -> str:
    """Connect, optionally publish to ``publish``, flush; an async server error (a permissions
    violation) arrives through ``error_cb`` and is reported like a refused login."""
    import nats

    errors: list[str] = []

    async def collect(exc: Exception) -> None:
        errors.append(str(exc))

    options: dict[str, Any] = {}
    if login.user is not None:
        options.update(user=login.user, password=login.password or "")
    if login.token is not None:
        options["token"] = login.token
    try:
        nc = await nats.connect(
            url,
            allow_reconnect=False,
            connect_timeout=2,
            max_reconnect_attempts=0,
            error_cb=collect,
            **options,
        )
    except Exception as exc:  # nats-py's own error types; their text is what a user sees
        return f"error: {exc} {' '.join(errors)}".strip()
    try:
        if publish is not None:
            await nc.publish(publish, b"hello")
        await nc.flush(timeout=2)
        await asyncio.sleep(0.05 if publish is not None else 0)  # let a -ERR for the publish arrive
        return f"error: {' '.join(errors)}" if errors else "ok"
    finally:
        await nc.close()


def _silent(port: int, login: Login, seconds: float) -> str:
    connect: dict[str, Any] = {"verbose": False, "pedantic": False, "protocol": 1}
    if login.user is not None:
        connect.update(user=login.user, **{"pass": login.password or ""})
    if login.token is not None:
        connect["auth_token"] = login.token
    with socket.create_connection(("127.0.0.1", port), timeout=2) as sock:
        reader = sock.makefile("rb")
        assert reader.readline().startswith(b"INFO ")
        sock.sendall(b"CONNECT " + json.dumps(connect).encode() + b"\r\nPING\r\n")
        assert reader.readline() == b"PONG\r\n", "the login was refused"
        time.sleep(seconds)
        sock.sendall(b"PING\r\n")  # may fail once the server has closed the socket
        lines = []
        while True:
            try:
                line = reader.readline()
            except OSError:
                break
            if not line or line == b"PONG\r\n":
                break
            lines.append(line.decode().strip())
        errors = [line for line in lines if line.startswith("-ERR")]
        return " ".join(errors) if errors else "connected"


def refused(outcome: str) -> bool:
    """The server said no to the credentials (nats-server's wording, through nats-py)."""
    return outcome.startswith("error") and "authorization violation" in outcome.lower()


@contextmanager
def serving(
    root: Path, main: str, *, port: int | None = None, http: int | None = None, env: dict[str, str] | None = None
) -> Iterator[Running]:
    """Start ``nats-server -c main`` in ``root`` on loopback with monitoring, until the block ends.

    ``port`` / ``http``: the client / monitoring port the config itself sets (else one is passed
    with ``-p`` / ``-m``)."""
    assert NATS_SERVER is not None
    args = [NATS_SERVER, "-c", main, "-a", "127.0.0.1"]
    if http is None:
        http = free_port()
        args += ["-m", str(http)]
    if port is None:
        port = free_port()
        args += ["-p", str(port)]
    log = root / "nats-server.log"  # a file, not a pipe: a chatty server (debug, trace) never blocks
    with log.open("w") as sink:
        proc = subprocess.Popen(
            args,
            cwd=root,
            env={"PATH": os.environ.get("PATH", "/usr/bin:/bin"), **(env or {})},
            stdout=sink,
            stderr=subprocess.STDOUT,
        )
    try:
        _wait_listening(proc, log, port, http)
        yield Running(port, http)
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def _wait_listening(proc: subprocess.Popen, log: Path, *ports: int) -> None:
    deadline = time.monotonic() + 5
    pending = list(ports)
    while pending:
        if proc.poll() is not None:
            raise AssertionError(f"nats-server exited with {proc.returncode}: {log.read_text()[-2000:]}")
        if time.monotonic() > deadline:
            raise AssertionError(f"nats-server is not listening on {pending}")
        try:
            with socket.create_connection(("127.0.0.1", pending[0]), timeout=0.2):
                pending.pop(0)
        except OSError:
            time.sleep(0.02)
