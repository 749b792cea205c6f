"""NAT001: a misspelt key makes nats-server refuse to start; the rename makes it run with what the
author wrote. Timer and limit renames are safe (/varz shows the values), renames of keys that
decide who connects or where are unsafe, and after them every user logs in with the password
the file always held (hashed by NAT004 in the same `fix --unsafe-fixes` run), permissions hold,
and the server listens where the misspelt `prot` said. Which renames are withheld (a second
`port`, a token next to users) is shown by tests/integration/test_nats_renames_load.py."""

from __future__ import annotations

from pathlib import Path

from authlint.testing import fix_files
from tests.behaviour.project import fixed
from tests.nats_broker import NS, Login, check_config, free_port, needs_server, refused, serving, write

pytestmark = needs_server
MAIN = "nats-server.conf"
FAST = {"NAT004": {"bcrypt-cost": 4}}
ENV = {"APP_PASS": "app-pass-from-vault-01"}


def gateway(port: int, websocket: int) -> dict[str, str]:
    main = (
        "# api gateway\n"
        f"prot: {port}\n"
        'ping_intervall: "20s"   # mobile clients\n'
        "max_payloadd: 2MB\n"
        "include ws.conf\n"
        "authorization {\n"
        "  users: [\n"
        '    {user: admin, pasword: "Adm1n-passw0rd-2024"}\n'
        '    {user: app, password: $APP_PASS, permissions: {publsh: "app.>", subscribe: "_INBOX.>"}}\n'
        "  ]\n"
        "  timeout: 2\n"
        "}\n"
    )
    ws = (
        "# browser clients\r\n"
        f'websocket {{\r\n  listen: "127.0.0.1:{websocket}"\r\n  no_tls: true\r\n'
        "  same_orign: true\r\n  compresion: true\r\n}\r\n"
    )
    return {MAIN: main, "ws.conf": ws}


def test_the_safe_renames_alone_change_only_timers_and_limits(tmp_path: Path) -> None:
    files = gateway(free_port(), free_port())
    write(tmp_path, files)
    ok, output = check_config(tmp_path, MAIN, ENV)
    assert not ok and "unknown field" in output
    after = fix_files(files, unsafe=False, root=tmp_path, select=["ALL"])
    assert after[MAIN] == files[MAIN].replace("ping_intervall", "ping_interval").replace("max_payloadd", "max_payload")
    assert after["ws.conf"] == files["ws.conf"].replace("compresion", "compression")


def test_a_gateway_with_typos_in_every_block_runs_as_written(tmp_path: Path) -> None:
    port, websocket = free_port(), free_port()
    files = gateway(port, websocket)
    write(tmp_path, files)
    after = fixed(files, "NAT001", root=tmp_path, rule_options=FAST)
    assert after["ws.conf"] == files["ws.conf"].replace("same_orign", "same_origin").replace("compresion", "compression")
    main = after[MAIN]
    assert f"\nport: {port}\n" in main and 'ping_interval: "20s"   # mobile clients\n' in main
    assert '{user: admin, password: "$2b$04$' in main and "Adm1n-passw0rd-2024" not in main
    assert '{publish: "app.>", subscribe: "_INBOX.>"}' in main

    write(tmp_path, after)
    ok, output = check_config(tmp_path, MAIN, ENV)
    assert ok, output
    with serving(tmp_path, MAIN, port=port, env=ENV) as server:  # on the port `prot` named
        varz = server.varz()
        assert (varz["port"], varz["ping_interval"], varz["max_payload"]) == (port, 20 * NS, 2 * 1024 * 1024)
        assert varz["websocket"]["same_origin"] is True and varz["websocket"]["compression"] is True
        admin, app = Login("admin", "Adm1n-passw0rd-2024"), Login("app", ENV["APP_PASS"])
        assert server.logins(admin, app) == ["ok", "ok"]
        assert refused(server.login(Login("admin", ENV["APP_PASS"])))
        assert server.login(app, publish="app.events") == "ok"
        assert "permissions violation" in server.login(app, publish="admin.shutdown").lower()


def test_a_misspelt_token_becomes_the_token_clients_send(tmp_path: Path) -> None:
    text = 'authorization {\r\n  tokn: "svc-token-2024-abcdefgh" # from the runbook\r\n  timeout: 2\r\n}\r\n'
    write(tmp_path, {MAIN: text})
    assert not check_config(tmp_path, MAIN)[0]
    after = fixed({MAIN: text}, "NAT001", root=tmp_path, rule_options=FAST)[MAIN]
    assert after.startswith('authorization {\r\n  token: "$2b$04$') and after.endswith('" # from the runbook\r\n  timeout: 2\r\n}\r\n')
    write(tmp_path, {MAIN: after})
    assert check_config(tmp_path, MAIN)[0]
    with serving(tmp_path, MAIN) as server:
        assert server.login(Login(token="svc-token-2024-abcdefgh")) == "ok"
        assert refused(server.login(Login(token="svc-token-2024-00000000")))
        assert refused(server.login(Login()))


def test_a_single_user_with_two_typos(tmp_path: Path) -> None:
    text = "authorization {\n  usr: ops\n  pasword: $OPS_PASS\n}\n"
    env = {"OPS_PASS": "ops-pass-from-env-77"}
    write(tmp_path, {MAIN: text})
    ok, output = check_config(tmp_path, MAIN, env)
    assert not ok and 'unknown field "usr"' in output, output
    after = fixed({MAIN: text}, "NAT001", root=tmp_path)[MAIN]
    assert after == "authorization {\n  user: ops\n  password: $OPS_PASS\n}\n"
    write(tmp_path, {MAIN: after})
    assert check_config(tmp_path, MAIN, env)[0]
    with serving(tmp_path, MAIN, env=env) as server:
        assert server.login(Login("ops", "ops-pass-from-env-77")) == "ok"
        assert refused(server.login(Login("ops", "ops")))
