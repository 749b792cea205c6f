"""NAT007 against servers whose listener the deployment decides: a Compose service that starts
nats-server with flags only (no `-c`, no `--auth`/`--user`/`--pass`), and one that runs the
official `nats` image's own command with its built-in config. authlint reports the open listener
at the command / the `image:` line; the real nats-server (Debian's 2.9.10), started with exactly
the flags authlint read, or with the image's config, lets a client in without any credentials. The
corrected twins (a token from the environment; a config with authorization mounted over the
image's) are silent, and the real server refuses the same anonymous client.

Servers are started on loopback with free ports (``-a``/``-p``/``-m``/``--cluster`` given last:
Go's flag package lets the last one win, and flags override the config): what is shown is the
authentication, not the address, which the Compose `ports:` entry publishes."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from authlint.facts.model import NatsLaunch
from authlint.files.source import Source
from authlint.run.context import FileContext
from authlint.testing import lint_files
from tests.loopback import free_port
from tests.nats_broker import NATS_SERVER, Login, Running, _wait_listening, needs_server, refused

pytestmark = needs_server

TOKEN = "Vb7nQ2xLp9Kw4RtZ8sYm"
# nats-io/nats-docker 2.10.x/alpine3.22/nats-server.conf (Apache-2.0; the same for 2.9.x and the
# scratch tags, there at /nats-server.conf), comments dropped: what `nats` runs without a command
IMAGE_CONFIG = (
    "port: 4222\n"
    "monitor_port: 8222\n"
    "cluster {\n"
    '  name: "my_cluster"\n'
    "  port: 6222\n"
    "  authorization {\n"
    "    user: ruser\n"
    "    password: T0pS3cr3t\n"
    "    timeout: 2\n"
    "  }\n"
    "  routes = []\n"
    "}\n"
)
AUTH_CONFIG = "port: 4222\nmonitor_port: 8222\nauthorization { token: $NATS_TOKEN }\n"

FLAGS = 'services:\n  nats:\n    image: nats:2.10-alpine\n    command: ["-js", "--port", "4222", "-m", "8222"]\n' \
        '    ports:\n      - "4222:4222"\n'
FLAGS_FIXED = 'services:\n  nats:\n    image: nats:2.10-alpine\n' \
              '    command: ["-js", "--port", "4222", "-m", "8222", "--auth", "${NATS_TOKEN}"]\n' \
              '    ports:\n      - "4222:4222"\n'
IMAGE = "services:\n  nats:\n    image: nats:2.10-alpine\n    ports:\n      - \"4222:4222\"\n"
IMAGE_FIXED = IMAGE + "    environment:\n      - NATS_TOKEN\n" \
                      "    volumes:\n      - ./nats-server.conf:/etc/nats/nats-server.conf:ro\n"


def nat007(files: dict[str, str]) -> list[str]:
    result = lint_files(files, select=["NAT007"])
    assert not result.errors, result.errors
    return [f"{d.path}:{d.start[0]} {d.message}" for d in result.diagnostics]


def launch_of(compose: str) -> NatsLaunch:
    ctx = FileContext(Source.from_text(compose, "docker-compose.yml", "yaml"))
    (launch,) = list(ctx.of(NatsLaunch))
    return launch


def server_args(launch: NatsLaunch, env: dict[str, str]) -> list[str]:
    """The nats-server arguments authlint read (``${VAR}`` expanded as Compose does from ``env``)."""
    args: list[str] = []
    for flag in launch.flags:
        if flag.name in ("jetstream", "store_dir"):
            continue  # no JetStream store in a test folder: not part of the login
        value = flag.value
        if value is not None:
            for name, given in env.items():
                value = value.replace("${" + name + "}", given)
        args += [flag.written] + ([value] if value is not None else [])
    return args


def start(tmp_path: Path, args: list[str], env: dict[str, str] | None = None) -> tuple[subprocess.Popen, Running]:
    assert NATS_SERVER is not None
    port, http, cluster = free_port(), free_port(), free_port()
    log = tmp_path / "nats-server.log"
    with log.open("w") as sink:
        proc = subprocess.Popen(
            [NATS_SERVER, *args, "-a", "127.0.0.1", "-p", str(port), "-m", str(http),
             "--cluster", f"nats://127.0.0.1:{cluster}"],
            cwd=tmp_path, stdout=sink, stderr=subprocess.STDOUT, env={"PATH": "/usr/bin:/bin", **(env or {})},
        )
    _wait_listening(proc, log, port, http)
    return proc, Running(port, http)


def stop(proc: subprocess.Popen) -> None:
    proc.terminate()
    proc.wait(timeout=5)


def anonymous(tmp_path: Path, args: list[str], env: dict[str, str] | None = None) -> str:
    """How a client with no credentials fares against nats-server started with ``args``."""
    proc, server = start(tmp_path, args, env)
    try:
        return server.login(Login())
    finally:
        stop(proc)


def test_flags_only_server_lets_anyone_in(tmp_path: Path) -> None:
    (found,) = nat007({"docker-compose.yml": FLAGS})
    assert found.startswith("docker-compose.yml:4 ") and "flags only" in found and "0.0.0.0:4222" in found, found
    launch = launch_of(FLAGS)
    assert launch.config is None
    assert anonymous(tmp_path, server_args(launch, {})) == "ok"  # the hole: no credentials needed


def test_flags_with_token_from_env_refuse_the_anonymous_client(tmp_path: Path) -> None:
    assert nat007({"docker-compose.yml": FLAGS_FIXED}) == []
    args = server_args(launch_of(FLAGS_FIXED), {"NATS_TOKEN": TOKEN})
    assert "--auth" in args and TOKEN in args, args
    assert refused(anonymous(tmp_path, args))


def test_image_built_in_config_lets_anyone_in(tmp_path: Path) -> None:
    (found,) = nat007({"docker-compose.yml": IMAGE})
    assert found.startswith("docker-compose.yml:3 ") and "built-in config" in found, found
    launch = launch_of(IMAGE)
    assert launch.command_span is None and launch.config is None  # the image's own command
    (tmp_path / "nats-server.conf").write_text(IMAGE_CONFIG)
    assert anonymous(tmp_path, ["--config", "nats-server.conf"]) == "ok"


def test_mounted_config_with_authorization_refuses_the_anonymous_client(tmp_path: Path) -> None:
    files = {"docker-compose.yml": IMAGE_FIXED, "nats-server.conf": AUTH_CONFIG}
    assert nat007(files) == []
    launch = launch_of(IMAGE_FIXED)
    assert launch.config == "/etc/nats/nats-server.conf"
    (tmp_path / "nats-server.conf").write_text(AUTH_CONFIG)
    outcome = anonymous(tmp_path, ["--config", "nats-server.conf"], {"NATS_TOKEN": TOKEN})
    assert refused(outcome), outcome


@pytest.mark.parametrize("bind", ['"127.0.0.1:4222:4222"', '"[::1]:4222:4222"'])
def test_published_on_loopback_only_is_silent(bind: str) -> None:
    assert nat007({"docker-compose.yml": FLAGS.replace('"4222:4222"', bind)}) == []
