"""Configs judged in their deployment (lint/facts/deployed.py), on projects written to disk and run
through the real runner (discovery, prefilter, worker pool, cache): Compose stacks with flags and
``env_file``, Kubernetes containers, Dockerfiles and Procfiles. Each project has a corrected twin
that stays silent, and where nats-server can judge the same config (``nats-server -t`` with the
deployment's environment and working directory) it agrees."""

from __future__ import annotations

from pathlib import Path

import pytest

from authlint.run.engine import Linter
from authlint.run.runner import run_check
from authlint.testing import make_settings
from tests.nats_broker import NATS_SERVER, check_config, write

NATS = ["NAT004", "NAT005", "NAT010", "NAT011"]

CONF = "server_name: $SERVER_NAME\nport: 4222\nauthorization { token: $NATS_TOKEN }\n"
COMPOSE = (
    "services:\n"
    "  nats:\n"
    "    image: nats:2.10-alpine\n"
    "    command: [\"nats-server\", \"-c\", \"/etc/nats/nats.conf\", \"-m\", \"8222\"]\n"
    "    env_file: ./nats.env\n"
    "    environment:\n"
    "      SERVER_NAME: n1\n"
    "    volumes:\n"
    "      - ./config/nats.conf:/etc/nats/nats.conf:ro\n"
)


def findings(root: Path, files: dict[str, str], select: list[str] = NATS, **kw) -> list[tuple[str, str, int, str]]:
    write(root, files)
    linter = Linter(make_settings(root=root, select=select))
    result, _ = run_check([str(root)], linter.settings, linter, **kw)
    assert result.errors == []
    return [(d.code, d.path, d.start[0], d.message) for d in result.diagnostics]


@pytest.mark.parametrize("kw", [{"jobs": 1, "use_cache": False}, {"jobs": 2, "use_cache": True}], ids=["serial", "pool+cache"])
def test_compose_env_file_gives_the_variable_and_its_twin_lacks_it(tmp_path: Path, kw: dict) -> None:
    good = {"config/nats.conf": CONF, "docker-compose.yml": COMPOSE, "nats.env": "NATS_TOKEN=from-the-env-file\n"}
    assert findings(tmp_path / "good", good, **kw) == []
    bad = {**good, "nats.env": "OTHER=1\n"}
    (found,) = findings(tmp_path / "bad", bad, **kw)
    assert found[:3] == ("NAT011", "config/nats.conf", 3)
    assert "Compose service `nats` (docker-compose.yml:2) does not set NATS_TOKEN" in found[3]


@pytest.mark.broker
@pytest.mark.skipif(NATS_SERVER is None, reason="nats-server is not installed")
def test_nats_server_agrees_with_the_deployment_verdict(tmp_path: Path) -> None:
    """The variables of the Compose service (environment + env_file) given to `nats-server -t`."""
    write(tmp_path, {"nats.conf": CONF})
    ok, output = check_config(tmp_path, "nats.conf", env={"SERVER_NAME": "n1", "NATS_TOKEN": "from-the-env-file"})
    assert ok, output
    ok, output = check_config(tmp_path, "nats.conf", env={"SERVER_NAME": "n1", "OTHER": "1"})
    assert not ok and "variable reference for 'NATS_TOKEN'" in output, output


def test_flags_in_every_deployment_file_are_server_facts(tmp_path: Path) -> None:
    """A weak `--auth` token is found in Compose, Kubernetes, Dockerfile and Procfile alike, at the
    token's own line; the corrected twins (the secret from the environment) are silent."""
    weak = {
        "docker-compose.yml": "services:\n  nats:\n    image: nats\n    command: --auth MyToken -js\n",
        "k8s/nats.yaml": (
            "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: nats\nspec:\n  template:\n    spec:\n"
            "      containers:\n        - name: nats\n          image: nats:2.9.10-alpine\n"
            "          command:\n            - nats-server\n            - --auth\n            - MyToken\n"
        ),
        "broker/Dockerfile": "FROM alpine:3.19\nRUN apk add nats-server\nENTRYPOINT nats-server --auth MyToken\n",
        "Procfile": "web: python app.py\nnats: nats-server --auth=MyToken\n",
        "README.md": "run `nats-server --auth MyToken`\n",  # not a deployment file: never read
    }
    found = sorted((code, path, line) for code, path, line, _ in findings(tmp_path / "weak", weak, ["NAT004", "NAT005"]))
    assert found == sorted(
        (code, path, line)
        for path, line in [("docker-compose.yml", 4), ("k8s/nats.yaml", 14), ("broker/Dockerfile", 3), ("Procfile", 2)]
        for code in ("NAT004", "NAT005")
    )
    fixed = {path: text.replace("MyToken", "$NATS_TOKEN").replace("- $NATS_TOKEN", "- $(NATS_TOKEN)")
             for path, text in weak.items()}
    fixed["docker-compose.yml"] = fixed["docker-compose.yml"].replace("$NATS_TOKEN", "$${NATS_TOKEN}")
    assert findings(tmp_path / "fixed", fixed, ["NAT004", "NAT005"]) == []


def test_a_dockerfile_or_procfile_without_nats_is_never_parsed(tmp_path: Path, monkeypatch) -> None:
    import authlint.syntax.dockerfile
    import authlint.syntax.procfile

    parsed: list[str] = []
    for module in (authlint.syntax.dockerfile, authlint.syntax.procfile):
        real = module.parse_source
        monkeypatch.setattr(module, "parse_source", lambda source, ctx=None, real=real: parsed.append(source.relpath) or real(source, ctx))
    files = {"Dockerfile": "FROM python:3.12\nCMD [\"gunicorn\", \"--pass\", \"x\"]\n", "Procfile": "web: gunicorn app\n",
             "nats/Dockerfile": "FROM nats:2.10\nCMD [\"--auth\", \"MyToken\"]\n"}
    found = findings(tmp_path, files, ["NAT004", "NAT005", "NAT010", "NAT011"], jobs=1, use_cache=False)
    assert parsed == ["nats/Dockerfile"]
    assert {(code, path) for code, path, _, _ in found} == {("NAT004", "nats/Dockerfile"), ("NAT005", "nats/Dockerfile")}


TLS_CONF = 'tls {\n  cert_file: "/etc/nats/certs/server.pem"\n  key_file: "/etc/nats/certs/server-key.pem"\n}\n'


def test_tls_files_a_deployment_does_not_mount(tmp_path: Path) -> None:
    compose = (
        "services:\n  nats:\n    image: nats:2.10-alpine\n    command: -c /etc/nats/nats.conf\n"
        "    volumes:\n      - ./nats.conf:/etc/nats/nats.conf:ro\n"
    )
    found = findings(tmp_path / "bad", {"nats.conf": TLS_CONF, "docker-compose.yml": compose}, ["NAT011"])
    assert [(code, line) for code, _, line, _ in found] == [("NAT011", 2), ("NAT011", 3)]
    assert "not in the file system of Compose service `nats`" in found[0][3]
    mounted = compose + "      - ./certs:/etc/nats/certs:ro\n"
    assert findings(tmp_path / "good", {"nats.conf": TLS_CONF, "docker-compose.yml": mounted}, ["NAT011"]) == []
    secret = (
        "apiVersion: apps/v1\nkind: StatefulSet\nmetadata: {name: nats}\nspec:\n  template:\n    spec:\n"
        "      containers:\n        - name: nats\n          image: nats:2.10-alpine\n"
        "          args: [\"-c\", \"/etc/nats/nats.conf\"]\n"
        "          volumeMounts:\n            - {name: tls, mountPath: /etc/nats/certs}\n"
        "            - {name: config, mountPath: /etc/nats/nats.conf, subPath: nats.conf}\n"
    )
    # the config is not mapped to a project file (a ConfigMap): no deployment known to run it, absolute paths
    assert findings(tmp_path / "k8s", {"nats.conf": TLS_CONF, "k8s/nats.yaml": secret}, ["NAT011"]) == []
    # without the ConfigMap mount the stock image has no /etc/nats/nats.conf: reported at the flag
    unmounted = secret.replace("            - {name: config, mountPath: /etc/nats/nats.conf, subPath: nats.conf}\n", "")
    (found,) = findings(tmp_path / "k8s-bad", {"k8s/nats.yaml": unmounted}, ["NAT011"])
    assert found[1:3] == ("k8s/nats.yaml", 10) and "`-c` /etc/nats/nats.conf is not in the file system" in found[3]


@pytest.mark.broker
@pytest.mark.skipif(NATS_SERVER is None, reason="nats-server is not installed")
def test_relative_tls_files_are_looked_for_in_the_whole_project(tmp_path: Path) -> None:
    """nats-server opens a relative TLS path from its working directory (verified: `-t` from the
    config's folder passes, from its parent fails), so a path is only missing when it exists
    nowhere in the project; an absolute path without a deployment is the host's: silent."""
    import subprocess

    conf = 'tls {\n  cert_file: "./certs/server.pem"\n  key_file: "./certs/key.pem"\n}\n'
    # a project that ships no certificates at all makes them at set-up time: silent
    assert findings(tmp_path / "none", {"srv/nats.conf": conf}, ["NAT011"]) == []
    # one that ships certificates, but not these (moved, renamed), does not start
    found = findings(tmp_path / "bad", {"srv/nats.conf": conf, "srv/tls/server.pem": "x\n", "srv/tls/key.pem": "x\n"},
                     ["NAT011"])
    assert [(code, line) for code, _, line, _ in found] == [("NAT011", 2), ("NAT011", 3)]
    assert "exists nowhere in the project" in found[0][3]
    ok, output = check_config(tmp_path / "bad" / "srv", "nats.conf")
    assert not ok and "no such file" in output, output

    good = tmp_path / "good"
    write(good, {"srv/nats.conf": conf})
    (good / "srv" / "certs").mkdir()
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "srv/certs/key.pem",
                    "-out", "srv/certs/server.pem", "-days", "1", "-subj", "/CN=localhost"],
                   cwd=good, check=True, capture_output=True)
    assert findings(good, {}, ["NAT011"]) == []
    ok, output = check_config(good / "srv", "nats.conf")
    assert ok, output
    absolute = {"nats.conf": TLS_CONF}
    assert findings(tmp_path / "host", absolute, ["NAT011"]) == []
    # a monorepo whose only certificates are another top-level folder's (a JWT library's test keys)
    # says nothing about this config's: silent; a certificate at the root counts for every folder
    other = {"srv/nats.conf": conf, "jwtlib/tests/keys/testkey.pem": "x\n"}
    assert findings(tmp_path / "mono", other, ["NAT011"]) == []
    rooted = {"srv/nats.conf": conf, "ca.pem": "x\n"}
    assert [(code, line) for code, _, line, _ in findings(tmp_path / "rooted", rooted, ["NAT011"])] == [
        ("NAT011", 2), ("NAT011", 3)]
