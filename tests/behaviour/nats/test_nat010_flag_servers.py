"""NAT010 against a server started from command-line flags: a Compose service runs nats-server with
`--user`/`--pass` (or `--auth`), a client of the project logs in with other credentials. authlint
reads the flags (lint/facts/launches.py) and reports the mismatch; the real nats-server, started
with exactly the flags authlint read, answers "Authorization Violation"; the corrected twin logs in
and authlint is silent."""

from __future__ import annotations

from pathlib import Path

import pytest

from authlint.facts.model import NatsLaunch
from authlint.files.source import Source
from authlint.run.context import FileContext
from authlint.testing import lint_files
from tests.loopback import free_port
from tests.nats_broker import NATS_SERVER, Login, Running, _wait_listening, needs_server, refused

pytestmark = needs_server

PASSWORD = "Zq8v1LwQe3rT9yUx"
TOKEN = "n8Kq2VfL0pXw7RtY3mBz"
USER_COMPOSE = (
    "services:\n"
    "  nats:\n"
    "    image: nats:2.10-alpine\n"
    f'    command: ["--user", "app", "--pass", "{PASSWORD}", "-m", "8222"]\n'
    "  api:\n"
    "    build: ./api\n"
    "    depends_on: [nats]\n"
)
TOKEN_COMPOSE = "services:\n  nats:\n    image: nats:2.10\n    command: \"-js --auth " + TOKEN + " -p 4222\"\n"


def client(**credentials: str) -> str:
    options = ", ".join(f'{name}="{value}"' for name, value in credentials.items())
    return f'import nats\n\n\nasync def main():\n    nc = await nats.connect("nats://nats:4222", {options})\n'


def server_args(compose: str) -> list[str]:
    """The nats-server arguments authlint read from the Compose file."""
    ctx = FileContext(Source.from_text(compose, "docker-compose.yml", "yaml"))
    (launch,) = list(ctx.of(NatsLaunch))
    args: list[str] = []
    for flag in launch.flags:
        if flag.name in ("jetstream", "store_dir"):
            continue  # no JetStream store in a test folder: not part of the login
        args += [flag.written] + ([flag.value] if flag.value is not None else [])
    return args


def start(tmp_path: Path, args: list[str]):
    import subprocess

    assert NATS_SERVER is not None
    port, http = free_port(), free_port()
    log = tmp_path / "nats-server.log"
    with log.open("w") as sink:  # loopback and free ports last: Go's flag package lets the last one win
        proc = subprocess.Popen([NATS_SERVER, *args, "-a", "127.0.0.1", "-p", str(port), "-m", str(http)],
                                cwd=tmp_path, stdout=sink, stderr=subprocess.STDOUT)
    _wait_listening(proc, log, port, http)
    return proc, Running(port, http)


def stop(proc) -> None:
    proc.terminate()
    proc.wait(timeout=5)


def nat010(files: dict[str, str]) -> list[str]:
    result = lint_files(files, select=["NAT010"])
    assert not result.errors, result.errors
    return [f"{d.path}:{d.start[0]} {d.message}" for d in result.diagnostics]


@pytest.mark.parametrize(
    ("compose", "wrong", "right"),
    [
        (USER_COMPOSE, Login(user="app", password=PASSWORD[:-1] + "y"), Login(user="app", password=PASSWORD)),
        (TOKEN_COMPOSE, Login(token=TOKEN[::-1]), Login(token=TOKEN)),
    ],
    ids=["user-pass", "auth-token"],
)
def test_flag_server_refuses_the_client_authlint_reports(tmp_path: Path, compose: str, wrong: Login, right: Login) -> None:
    def code(login: Login) -> str:
        if login.token is not None:
            return client(token=login.token)
        return client(user=login.user or "", password=login.password or "")

    found = nat010({"docker-compose.yml": compose, "api/app.py": code(wrong)})
    assert len(found) == 1 and "Compose service `nats` (docker-compose.yml:2)" in found[0], found
    assert found[0].startswith("api/app.py:5 ")
    assert (wrong.password or wrong.token or "") not in found[0]  # the secret is masked
    assert nat010({"docker-compose.yml": compose, "api/app.py": code(right)}) == []

    args = server_args(compose)
    assert ("--pass" in args) or ("--auth" in args), args
    proc, server = start(tmp_path, args)
    try:
        assert refused(server.login(wrong))
        assert server.login(right) == "ok"
    finally:
        stop(proc)
