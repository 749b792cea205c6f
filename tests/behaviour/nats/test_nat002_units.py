"""NAT002: durations nats-server reads in another unit than written. The fixed config passes
`nats-server -t`, and the running server's /varz holds what the author meant: `ping_interval: 2m`
was 2,000,000 seconds (about 23 days) and becomes two minutes; `timeout: "5s"` in `authorization`
was ignored by 2.9.10 (1 second) and becomes 5 seconds. Those change the running server, so they
are unsafe; a bare integer (the same seconds) and an integer the server refused are safe."""

from __future__ import annotations

from pathlib import Path

from authlint.testing import fix_files
from tests.behaviour.project import fixed
from tests.nats_broker import NS, Login, check_config, free_port, needs_server, refused, serving, write

pytestmark = needs_server
MAIN = "nats-server.conf"


def test_the_running_server_gets_the_durations_the_author_meant(tmp_path: Path) -> None:
    route = free_port()
    text = (
        "# keep-alive tuned for the mobile clients\n"
        "ping_interval: 2m      # two minutes\n"
        "ping_max: 3\n"
        "write_deadline = 10\n"
        f'cluster {{ name: mobile, listen: "127.0.0.1:{route}" }}\n'
        "authorization {\n"
        "  users: [\n"
        "    {user: app, password: $APP_PASSWORD, permissions: {subscribe: [\"push.>\", \"_INBOX.>\"]}}\n"
        "  ]\n"
        '  timeout: "5s"           # slow TLS handshakes on 3G\n'
        "}\n"
    )
    env = {"APP_PASSWORD": "app-password-from-vault"}
    write(tmp_path, {MAIN: text})
    ok, output = check_config(tmp_path, MAIN, env)
    assert not ok and "should be converted to a duration" in output, output
    with serving(tmp_path, MAIN, env=env) as server:  # it starts, with other values than written
        varz = server.varz()
        assert (varz["ping_interval"], varz["write_deadline"], varz["auth_timeout"]) == (2_000_000 * NS, 10 * NS, 1)

    # the project runs the server these tests start (2.9.10): it says so, as a project's image would
    target = {"target_nats_version": "2.9.10"}
    safe = fix_files({MAIN: text}, unsafe=False, root=tmp_path, select=["ALL"], **target)[MAIN]
    assert safe == text.replace("write_deadline = 10", 'write_deadline = "10s"')  # the same 10 seconds
    after = fixed({MAIN: text}, "NAT002", root=tmp_path, **target)[MAIN]
    assert after == (
        text.replace("ping_interval: 2m      #", 'ping_interval: "2m"      #')
        .replace("write_deadline = 10", 'write_deadline = "10s"')
        .replace('timeout: "5s"', "timeout: 5")
    )
    write(tmp_path, {MAIN: after})
    ok, output = check_config(tmp_path, MAIN, env)
    assert ok, output
    with serving(tmp_path, MAIN, env=env) as server:
        varz = server.varz()
        assert (varz["ping_interval"], varz["ping_max"], varz["write_deadline"]) == (120 * NS, 3, 10 * NS)
        assert varz["auth_timeout"] == 5
        assert server.login(Login("app", "app-password-from-vault")) == "ok"
        assert refused(server.login(Login("app", "app-password")))


def test_lame_duck_settings_in_an_included_file_make_the_server_start(tmp_path: Path) -> None:
    """`lame_duck_*` take a duration string only: an integer stops the server at start, so the
    fix only makes it load (safe)."""
    main = 'server_name: "api-2"\r\ninclude "conf.d/shutdown.conf"\r\nauthorization { token: $API_TOKEN }\r\n'
    shutdown = "# graceful restarts (k8s preStop)\r\nlame_duck_duration: 30\r\nlame_duck_grace_period: 5\r\n"
    env = {"API_TOKEN": "api-token-0123456789abcdef"}
    files = {MAIN: main, "conf.d/shutdown.conf": shutdown}
    write(tmp_path, files)
    ok, output = check_config(tmp_path, MAIN, env)
    assert not ok and "shutdown.conf:2:1: interface conversion" in output, output

    after = fixed(files, "NAT002", unsafe=False, root=tmp_path)
    assert after == {
        MAIN: main,
        "conf.d/shutdown.conf": shutdown.replace("30", '"30s"').replace("period: 5", 'period: "5s"'),
    }
    write(tmp_path, after)
    ok, output = check_config(tmp_path, MAIN, env)
    assert ok, output
    with serving(tmp_path, MAIN, env=env) as server:
        assert server.login(Login(token="api-token-0123456789abcdef")) == "ok"
        assert refused(server.login(Login(token="api-token-0000000000000000")))


def test_an_auth_timeout_written_in_minutes_becomes_seconds(tmp_path: Path) -> None:
    text = "authorization {\n  user: admin\n  password: $ADMIN_PASS\n  timeout: 1m\n}\n"
    env = {"ADMIN_PASS": "admin-pass-from-env-1"}
    write(tmp_path, {MAIN: text})
    with serving(tmp_path, MAIN, env=env) as server:
        assert server.varz()["auth_timeout"] == 1_000_000  # the integer 1m, in seconds
    assert fix_files({MAIN: text}, unsafe=False, root=tmp_path, select=["ALL"])[MAIN] == text
    after = fixed({MAIN: text}, "NAT002", root=tmp_path)[MAIN]  # no target: seconds, which every version reads
    assert after == text.replace("1m", "60")
    write(tmp_path, {MAIN: after})
    assert check_config(tmp_path, MAIN, env)[0]
    with serving(tmp_path, MAIN, env=env) as server:
        assert server.varz()["auth_timeout"] == 60
        assert server.login(Login("admin", "admin-pass-from-env-1")) == "ok"
