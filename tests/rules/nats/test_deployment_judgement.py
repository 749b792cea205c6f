"""A NATS config judged in its deployment: fragments as part of their includer (NAT007, NAT013),
variables inside ``accounts {}`` (nats-server skips them), listeners that would really serve.

Each fixture has a corrected twin that stays silent, and where a verdict rests on nats-server's
behaviour the real server (Debian's 2.9.10, loopback only) says the same.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from authlint.config.settings import Settings
from authlint.run.engine import Linter
from authlint.run.runner import run_check
from authlint.testing import make_settings
from tests.nats_broker import NATS_SERVER, check_config, free_port, serving, write

ENV = {"APP_PASS": "an-env-secret-value-0123"}


def lint_tree(root: Path, select: list[str]) -> list[tuple[str, str, int, str]]:
    """Every file under ``root`` checked together, as ``authlint check root`` does."""
    settings = make_settings(root=root, select=select)
    linter = Linter(settings)
    contexts = []
    for path in sorted(root.rglob("*")):
        if path.is_file() and path.suffix == ".conf":
            loaded = linter.load(path, path.relative_to(root).as_posix())
            if loaded is not None:
                contexts.append(loaded)
    result = linter.check(contexts)
    assert result.errors == []
    return [(d.code, d.path, d.start[0], d.message) for d in result.diagnostics]


def lint_named(root: Path, *names: str) -> list[tuple[str, str, str]]:
    """Only ``names`` on the command line (pre-commit), their includers found as context."""
    settings = Settings(root=root, select=("NAT007", "NAT013"))
    result, _ = run_check([str(root / name) for name in names], settings, Linter(settings), use_cache=False)
    assert result.errors == []
    return [(d.code, d.path, d.message) for d in result.diagnostics]


def start_failure(root: Path, main: str, env: dict[str, str]) -> str | None:
    """What ``nats-server -c main`` prints when it refuses to start; None when it serves."""
    assert NATS_SERVER is not None
    proc = subprocess.Popen(
        [NATS_SERVER, "-c", main],
        cwd=root,
        env={"PATH": os.environ.get("PATH", "/usr/bin:/bin"), **env},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        out, _ = proc.communicate(timeout=3)
    except subprocess.TimeoutExpired:
        proc.terminate()
        proc.communicate(timeout=5)
        return None
    return out


# -------------------------------------------------------------------------- fragments


def fragment_project(
    root: Path, *, server_name: bool = True, auth: bool = True, host: str = "0.0.0.0"
) -> dict[str, int]:
    """``nats-server.conf`` with conf.d fragments: accounts/users, websocket, mqtt, on free ports.
    ``host``: where the websocket and mqtt fragments listen (127.0.0.1 when the real server runs)."""
    ports = {"client": free_port(), "ws": free_port(), "mqtt": free_port()}
    main = (
        ("server_name: n1\n" if server_name else "")
        + f"listen: 127.0.0.1:{ports['client']}\n"
        + ("include conf.d/auth.conf\n" if auth else "")
        + "include conf.d/ws.conf\ninclude conf.d/mqtt.conf\n"
        + f"jetstream {{ store_dir: {root / 'js'} }}\n"
    )
    files = {
        "nats-server.conf": main,
        "conf.d/auth.conf": "accounts {\n  APP { jetstream: enabled, users: [ { user: app, password: $APP_PASS } ] }\n}\n",
        "conf.d/ws.conf": f"websocket {{ host: {host}, port: {ports['ws']}, no_tls: true, same_origin: true }}\n",
        "conf.d/mqtt.conf": f"mqtt {{ host: {host}, port: {ports['mqtt']} }}\n",
    }
    write(root, files)
    return ports


def test_fragments_of_a_sound_includer_are_silent(tmp_path: Path) -> None:
    fragment_project(tmp_path)
    assert lint_tree(tmp_path, ["NAT007", "NAT013"]) == []
    # pre-commit names one fragment: its includer is context, and nothing holds
    assert lint_named(tmp_path, "conf.d/mqtt.conf", "conf.d/ws.conf") == []


def test_a_fragment_nobody_includes_is_judged_alone(tmp_path: Path) -> None:
    fragment_project(tmp_path)
    (tmp_path / "nats-server.conf").unlink()
    found = {(code, path) for code, path, _ in lint_named(tmp_path, "conf.d/mqtt.conf")}
    assert found == {("NAT013", "conf.d/mqtt.conf"), ("NAT007", "conf.d/mqtt.conf")}


def test_an_includer_without_server_name_is_told_at_its_include_line(tmp_path: Path) -> None:
    fragment_project(tmp_path, server_name=False)
    found = lint_tree(tmp_path, ["NAT013"])
    assert [(code, path, line) for code, path, line, _ in found] == [("NAT013", "nats-server.conf", 4)]
    assert "`mqtt` from included `conf.d/mqtt.conf`: mqtt requires server_name" in found[0][3]


def test_an_includer_without_auth_is_told_which_fragment_opens_a_listener(tmp_path: Path) -> None:
    fragment_project(tmp_path, auth=False, host="127.0.0.1")
    write(tmp_path, {"conf.d/ws.conf": "websocket { port: 8080, no_tls: true }\n"})
    found = lint_tree(tmp_path, ["NAT007"])
    assert [(code, path, line) for code, path, line, _ in found] == [("NAT007", "nats-server.conf", 3)]
    assert found[0][3].startswith("included `conf.d/ws.conf`: websocket listener on 0.0.0.0")


@pytest.mark.parametrize(
    "fragment, open_",
    [
        ("tls { cert_file: c.pem, key_file: k.pem, ca_file: ca.pem, verify: true }\n", False),
        ("tls { cert_file: c.pem, key_file: k.pem }\n", True),  # the twin: TLS without client certs
        ("authorization { users: [ { user: app, password: $APP_PASS } ] }\n", False),
    ],
)
def test_auth_in_a_conf_d_fragment_covers_the_includers_port(tmp_path: Path, fragment: str, open_: bool) -> None:
    write(tmp_path, {"nats-server.conf": "port: 4222\ninclude conf.d/auth.conf\n", "conf.d/auth.conf": fragment})
    found = lint_tree(tmp_path, ["NAT007"])
    assert [(path, line) for _, path, line, _ in found] == ([("nats-server.conf", 1)] if open_ else [])


def test_operator_in_the_includer_and_accounts_in_a_fragment(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "nats-server.conf": "listen: 127.0.0.1:4222\noperator: \"./op.jwt\"\nresolver: MEMORY\ninclude auth.conf\n",
            "auth.conf": "accounts {\n  APP { users: [ { user: app, password: $APP_PASS } ] }\n}\n",
        },
    )
    found = lint_tree(tmp_path, ["NAT013"])
    assert [(path, line) for _, path, line, _ in found] == [("nats-server.conf", 4)]
    assert "do not allow accounts" in found[0][3]


@pytest.mark.broker
@pytest.mark.parametrize("server_name", [True, False])
def test_nats_server_agrees_on_the_fragment_project(tmp_path: Path, server_name: bool) -> None:
    if NATS_SERVER is None:
        pytest.skip("nats-server is not installed")
    fragment_project(tmp_path, server_name=server_name, host="127.0.0.1")
    accepted, output = check_config(tmp_path, "nats-server.conf", ENV)
    assert accepted, output  # -t passes either way: only the start decides
    failure = start_failure(tmp_path, "nats-server.conf", ENV)
    reported = [d for d in lint_tree(tmp_path, ["NAT013"]) if "server_name" in d[3]]
    if server_name:
        assert failure is None and reported == []
    else:
        assert failure is not None and "mqtt requires server name to be explicitly set" in failure
        assert len(reported) == 1


# -------------------------------------------------------------------------- accounts variables

VARIABLE_ACCOUNTS = """listen: 127.0.0.1:4222
accounts {
  APP_PERMS: { publish: "app.>", subscribe: ["app.>", "_INBOX.>"] }
  APP: { users: [ { user: app, password: $APP_PASS, permissions: $APP_PERMS } ] }
}
"""
# the twin: the same block, referenced nowhere, is an account, and its keys are misplaced there
ACCOUNT_NOT_VARIABLE = VARIABLE_ACCOUNTS.replace(", permissions: $APP_PERMS", "")


def test_a_variable_in_accounts_is_not_an_account(tmp_path: Path) -> None:
    write(tmp_path, {"nats-server.conf": VARIABLE_ACCOUNTS})
    assert lint_tree(tmp_path, ["NAT001", "NAT006", "NAT007"]) == []


def test_the_same_block_unreferenced_is_an_account(tmp_path: Path) -> None:
    write(tmp_path, {"nats-server.conf": ACCOUNT_NOT_VARIABLE})
    found = lint_tree(tmp_path, ["NAT001"])
    assert {msg.split(":")[0] for *_, msg in found} == {"unknown key `publish` in an account", "unknown key `subscribe` in an account"}


@pytest.mark.broker
@pytest.mark.parametrize("text, accepted", [(VARIABLE_ACCOUNTS, True), (ACCOUNT_NOT_VARIABLE, False)])
def test_nats_server_skips_used_variables_in_accounts(tmp_path: Path, text: str, accepted: bool) -> None:
    if NATS_SERVER is None:
        pytest.skip("nats-server is not installed")
    write(tmp_path, {"nats-server.conf": text})
    ok, output = check_config(tmp_path, "nats-server.conf", ENV)
    assert ok is accepted, output


# -------------------------------------------------------------------------- monitoring


@pytest.mark.broker
def test_http_port_binds_the_client_host(tmp_path: Path) -> None:
    """``http_port`` follows the client host (NAT007 stays silent on it); ``http: host:port`` does not."""
    if NATS_SERVER is None:
        pytest.skip("nats-server is not installed")
    port, http = free_port(), free_port()
    write(tmp_path, {"nats-server.conf": f"listen: 127.0.0.1:{port}\nhttp_port: {http}\n"})
    assert lint_tree(tmp_path, ["NAT007"]) == []
    with serving(tmp_path, "nats-server.conf", port=port, http=http) as server:
        assert server.varz()["http_host"] == "127.0.0.1"
    write(tmp_path, {"nats-server.conf": f"listen: 127.0.0.1:{port}\nhttp: 0.0.0.0:{http}\n"})
    ok, output = check_config(tmp_path, "nats-server.conf")
    assert ok, output
    assert [code for code, *_ in lint_tree(tmp_path, ["NAT007"])] == ["NAT007"]


# -------------------------------------------------------------------------- NATS JWT copies


def test_one_user_jwt_in_a_creds_and_a_jwt_file_is_one_finding(tmp_path: Path, monkeypatch) -> None:
    """One finding at the first copy, the other named in the message (text) and as a related
    location (JSON ``related``, SARIF ``relatedLocations``, valid against the official schema)."""
    import json

    import jsonschema
    from typer.testing import CliRunner

    from authlint.cli.app import app
    from authlint.rules.nats.nat008_jwt_expiry import _EXPIRED_USER, _GOOD_USER, _creds
    from tests.shared import SARIF_SCHEMA

    (tmp_path / ".git").mkdir()
    write(tmp_path, {"app/user.creds": _creds(_EXPIRED_USER), "keys/user.jwt": _EXPIRED_USER + "\n"})
    monkeypatch.chdir(tmp_path)

    def run(fmt: str) -> str:
        result = CliRunner().invoke(app, ["check", "--no-cache", "--select", "NAT008", "--output-format", fmt, "."])
        assert result.exit_code == 1, result.output
        return result.stdout

    records = json.loads(run("json"))
    assert [(r["path"], r["line"]) for r in records] == [("app/user.creds", 2)]
    assert records[0]["message"].endswith("(the same JWT is in keys/user.jwt:1)")
    assert records[0]["related"] == [
        {"path": "keys/user.jwt", "line": 1, "column": 1, "end_line": 1, "end_column": 225, "message": "the same JWT"}
    ]
    assert _EXPIRED_USER not in json.dumps(records)
    sarif = json.loads(run("sarif"))
    validator = jsonschema.Draft4Validator(json.loads(SARIF_SCHEMA.read_text(encoding="utf-8")))
    assert not list(validator.iter_errors(sarif))
    (result,) = sarif["runs"][0]["results"]
    related = result["relatedLocations"][0]["physicalLocation"]
    assert related["artifactLocation"]["uri"] == "keys/user.jwt" and related["region"]["startLine"] == 1
    assert "keys/user.jwt:1" in run("full")
    # the twin: the credential renewed in both files is silent
    write(tmp_path, {"app/user.creds": _creds(_GOOD_USER), "keys/user.jwt": _GOOD_USER + "\n"})
    ok = CliRunner().invoke(app, ["check", "--no-cache", "--select", "NAT008", "--output-format", "json", "."])
    assert ok.exit_code == 0 and json.loads(ok.stdout) == []


def test_jwt007_leaves_nats_operator_and_account_jwts_to_nat008(tmp_path: Path) -> None:
    from authlint.rules.jwt.jwt007_literal_token import NATS_ACCOUNT_V1, NATS_OPERATOR, NATS_USER

    write(tmp_path, {"values.yaml": f"operator: {NATS_OPERATOR}\naccount: {NATS_ACCOUNT_V1}\nuser: {NATS_USER}\n"})
    settings = make_settings(root=tmp_path, select=["JWT007"])
    linter = Linter(settings)
    result = linter.check([linter.load(tmp_path / "values.yaml", "values.yaml")])
    assert [(d.code, d.start[0]) for d in result.diagnostics] == [("JWT007", 3)]  # the user JWT only
