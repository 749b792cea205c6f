"""NAT006 (safe): an entry written again later with the same text had no effect, and deleting it
changes nothing the server does: the same users log in with the same passwords, the same
permissions hold, /varz shows the same values. Configs merged by hand from staging and prod, or
pasted twice, look like these."""

from __future__ import annotations

from pathlib import Path

from authlint.testing import lint_files
from tests.behaviour.project import codes, fixed
from tests.nats_broker import NS, Login, check_config, free_port, needs_server, refused, serving, write

pytestmark = needs_server
MAIN = "nats-server.conf"
ENV = {"APP_PASS": "app-pass-from-vault-01", "OPS_PASS": "ops-pass-from-vault-02"}
APP, OPS = Login("app", ENV["APP_PASS"]), Login("ops", ENV["OPS_PASS"])
KEPT = ("max_payload", "max_pending", "write_deadline", "ping_interval", "ping_max", "auth_timeout", "cluster")


def test_a_config_merged_from_two_environments_runs_the_same_after_the_fix(tmp_path: Path) -> None:
    route = free_port()
    auth = (
        "authorization {\r\n"
        "  users: [\r\n"
        '    {user: app, password: $APP_PASS, permissions: {publish: "app.>", subscribe: ["app.>", "_INBOX.>"]}}\r\n'
        "    {user: ops, password: $OPS_PASS}\r\n"
        "  ]\r\n"
        "  timeout: 3\r\n"
        "}\r\n"
    )
    text = (
        "# merged from staging.conf and prod.conf\r\n"
        "max_payload: 2MB   # staging\r\n"
        + auth
        + 'write_deadline: "5s"\r\n'
        + f"cluster {{\r\n  name: orders\r\n  listen: 127.0.0.1:{route}\r\n}}\r\n"
        + "max_payload: 2MB   # prod\r\n"
        + "// prod\r\n"
        + auth
        + 'write_deadline: "5s"\r\n'
        + 'ping_interval: "1m"\r\nping_max: 3\r\n'
    )
    write(tmp_path, {MAIN: text})
    assert codes({MAIN: text}, root=tmp_path)["NAT006"] == 3  # no "duplicate user": the first block is replaced
    ok, output = check_config(tmp_path, MAIN, ENV)
    assert ok, output
    with serving(tmp_path, MAIN, env=ENV) as server:
        before = server.varz()
        assert server.logins(APP, OPS) == ["ok", "ok"]

    after = fixed({MAIN: text}, "NAT006", unsafe=False, root=tmp_path)[MAIN]
    assert after == (
        "# merged from staging.conf and prod.conf\r\n"
        + f"cluster {{\r\n  name: orders\r\n  listen: 127.0.0.1:{route}\r\n}}\r\n"
        + "max_payload: 2MB   # prod\r\n"
        + "// prod\r\n"
        + auth
        + 'write_deadline: "5s"\r\n'
        + 'ping_interval: "1m"\r\nping_max: 3\r\n'
    )
    write(tmp_path, {MAIN: after})
    ok, output = check_config(tmp_path, MAIN, ENV)
    assert ok, output
    with serving(tmp_path, MAIN, env=ENV) as server:
        varz = server.varz()
        assert {key: varz[key] for key in KEPT} == {key: before[key] for key in KEPT}
        assert (varz["max_payload"], varz["write_deadline"], varz["auth_timeout"]) == (2 * 1024 * 1024, 5 * NS, 3)
        assert server.logins(APP, OPS) == ["ok", "ok"]
        assert all(refused(outcome) for outcome in server.logins(Login("app", ENV["OPS_PASS"]), Login("root", "x")))
        assert server.login(APP, publish="app.orders") == "ok"
        assert "permissions violation" in server.login(APP, publish="ops.restart").lower()


def test_duplicates_inside_an_account_and_an_included_file(tmp_path: Path) -> None:
    main = (
        "accounts {\n"
        "  SVC {\n"
        "    users: [ {user: app, password: $APP_PASS} ]\n"
        "    jetstream: disabled\n"
        "    users: [ {user: app, password: $APP_PASS} ]\n"
        "  }\n"
        "}\n"
        "include limits.conf\n"
    )
    limits = "max_connections: 100\nmax_subscriptions: 50\nmax_connections: 100\n"
    files = {MAIN: main, "limits.conf": limits}
    write(tmp_path, files)
    after = fixed(files, "NAT006", unsafe=False, root=tmp_path)
    assert after == {
        MAIN: main.replace("    users: [ {user: app, password: $APP_PASS} ]\n    jetstream", "    jetstream"),
        "limits.conf": "max_subscriptions: 50\nmax_connections: 100\n",
    }
    write(tmp_path, after)
    ok, output = check_config(tmp_path, MAIN, ENV)
    assert ok, output
    with serving(tmp_path, MAIN, env=ENV) as server:
        varz = server.varz()
        assert (varz["max_connections"], varz["max_subscriptions"]) == (100, 50)
        assert server.login(APP) == "ok"
        assert refused(server.login(OPS))


def test_users_an_include_pulls_in_and_the_file_then_replaces_are_reported_at_the_include(tmp_path: Path) -> None:
    """Not fixable (which list was meant is for a person), but no longer silent: the server
    really ignores the included users."""
    main = 'authorization {\n  include "auth/users.conf"\n  users: [ {user: app, password: $APP_PASS} ]\n}\n'
    files = {MAIN: main, "auth/users.conf": "users: [ {user: ops, password: $OPS_PASS} ]\n"}
    write(tmp_path, files)
    (finding,) = lint_files(files, root=tmp_path, select=["NAT006"]).diagnostics
    assert (finding.start, finding.fix) == ((2, 12), None)  # the include's path, in the main file
    assert "from included `auth/users.conf` is set again on line 3" in finding.message
    with serving(tmp_path, MAIN, env=ENV) as server:
        assert server.login(APP) == "ok"
        assert refused(server.login(OPS))
