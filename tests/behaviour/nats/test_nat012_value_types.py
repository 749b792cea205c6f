"""NAT012 (safe): a quoted number or boolean is refused by nats-server ("interface conversion");
unquoting it makes the server run with exactly the value that was written, read back from /varz.

Templating tools quote everything: a Helm-style JSON config, a `key = "value"` file, a websocket
block in an included file."""

from __future__ import annotations

from pathlib import Path

from tests.behaviour.project import fixed
from tests.nats_broker import Login, check_config, free_port, needs_server, refused, serving, write

pytestmark = needs_server
MAIN = "nats-server.conf"


def test_a_templated_json_config_runs_with_the_values_written(tmp_path: Path) -> None:
    port = free_port()
    text = (
        "{\n"
        f'  "port": "{port}",\n'
        '  "server_name": "helm-nats-0",\n'
        '  "max_payload": "2MB",\n'
        '  "max_connections": "5000",\n'
        '  "ping_max": "3",\n'
        '  "debug": "false",\n'
        '  "logtime": "true",\n'
        '  "authorization": { "user": "svc", "password": $SVC_PASS }\n'
        "}\n"
    )
    env = {"SVC_PASS": "svc-password-from-a-secret"}
    write(tmp_path, {MAIN: text})
    ok, output = check_config(tmp_path, MAIN, env)
    assert not ok and "interface conversion" in output, output

    after = fixed({MAIN: text}, "NAT012", unsafe=False, root=tmp_path)[MAIN]
    assert after == (
        text.replace(f'"{port}"', str(port))
        .replace('"2MB"', "2MB")
        .replace('"5000"', "5000")
        .replace('"3"', "3")
        .replace('"false"', "false")
        .replace('"true"', "true")
    )
    write(tmp_path, {MAIN: after})
    ok, output = check_config(tmp_path, MAIN, env)
    assert ok, output
    with serving(tmp_path, MAIN, port=port, env=env) as server:
        varz = server.varz()
        assert (varz["port"], varz["max_payload"], varz["max_connections"], varz["ping_max"]) == (port, 2 * 1024 * 1024, 5000, 3)
        assert server.login(Login("svc", "svc-password-from-a-secret")) == "ok"
        assert refused(server.login(Login("svc", "helm-nats-0")))


def test_a_websocket_block_in_an_included_file(tmp_path: Path) -> None:
    websocket = free_port()
    main = (
        "# gateway for the browser app\r\n"
        "max_pending = \"64MB\"\r\n"
        "include ./ws.conf\r\n"
        "authorization {\r\n  token = \"a-long-browser-token-0123\"\r\n}\r\n"
    )
    ws = (
        "websocket {\n"
        f'  port = "{websocket}"   # rendered by the chart\n'
        "  host = 127.0.0.1\n"
        "  no_tls = 'true'\n"
        "  same_origin = \"true\"\n"
        "  allowed_origins = [\"https://app.example.com\"]\n"
        "}\n"
    )
    files = {MAIN: main, "ws.conf": ws}
    write(tmp_path, files)
    assert not check_config(tmp_path, MAIN)[0]

    after = fixed(files, "NAT012", unsafe=False, root=tmp_path)
    assert after[MAIN] == main.replace('"64MB"', "64MB")
    assert after["ws.conf"] == ws.replace(f'"{websocket}"', str(websocket)).replace("'true'", "true").replace('"true"', "true")
    write(tmp_path, after)
    ok, output = check_config(tmp_path, MAIN)
    assert ok, output
    with serving(tmp_path, MAIN) as server:
        varz = server.varz()
        assert varz["max_pending"] == 64 * 1024 * 1024
        assert varz["websocket"]["port"] == websocket and varz["websocket"]["no_tls"] is True
        assert varz["websocket"]["same_origin"] is True
        assert varz["websocket"]["allowed_origins"] == ["https://app.example.com"]
        assert server.login(Login(token="a-long-browser-token-0123")) == "ok"
        assert refused(server.login(Login(token="wrong-browser-token-0123")))
