"""NAT003 (unsafe): a keep-alive window so short that clients flap, or so long that dead ones
linger, goes back to nats-server's defaults (`"2m"`, `2`). The running server shows the new values
in /varz, and a client that is busy for a moment, which the original config dropped as stale,
stays connected."""

from __future__ import annotations

from pathlib import Path

from tests.behaviour.project import fixed
from tests.nats_broker import NS, Login, check_config, needs_server, refused, serving, write

pytestmark = needs_server
MAIN = "nats-server.conf"


def test_a_busy_client_is_no_longer_dropped_as_stale(tmp_path: Path) -> None:
    text = (
        "# aggressive liveness, copied from a load test\n"
        'ping_interval: "300ms"\n'
        "ping_max: 1 # fail fast\n"
        "authorization {\n"
        "  users: [ {user: sensor, password: $SENSOR_PASS} ]\n"
        "}\n"
    )
    env = {"SENSOR_PASS": "sensor-pass-0123456789"}
    sensor = Login("sensor", "sensor-pass-0123456789")
    write(tmp_path, {MAIN: text})
    assert check_config(tmp_path, MAIN, env)[0]
    with serving(tmp_path, MAIN, env=env) as server:
        # a client that answers no PING for 1.5 s (a busy event loop) is dropped after ~0.6 s
        assert server.silent(sensor, 1.5) == "-ERR 'Stale Connection'"

    after = fixed({MAIN: text}, "NAT003", root=tmp_path)[MAIN]
    assert after == text.replace('"300ms"', '"2m"').replace("ping_max: 1 #", "ping_max: 2 #")
    write(tmp_path, {MAIN: after})
    ok, output = check_config(tmp_path, MAIN, env)
    assert ok, output
    with serving(tmp_path, MAIN, env=env) as server:
        varz = server.varz()
        assert (varz["ping_interval"], varz["ping_max"]) == (120 * NS, 2)
        assert server.silent(sensor, 1.5) == "connected"
        assert refused(server.login(Login("sensor", "sensor")))


def test_a_zero_is_the_default_and_writing_it_out_changes_nothing(tmp_path: Path) -> None:
    """`ping_max: 0` is not "no tolerance": nats-server uses 2. The safe fix writes the 2."""
    text = 'ping_interval = "20s"\nping_max = 0   # strict\n'
    write(tmp_path, {MAIN: text})
    with serving(tmp_path, MAIN) as server:
        before = server.varz()
    after = fixed({MAIN: text}, "NAT003", unsafe=False, root=tmp_path)[MAIN]
    assert after == text.replace("ping_max = 0", "ping_max = 2")
    write(tmp_path, {MAIN: after})
    assert check_config(tmp_path, MAIN)[0]
    with serving(tmp_path, MAIN) as server:
        varz = server.varz()
    assert (before["ping_interval"], before["ping_max"]) == (varz["ping_interval"], varz["ping_max"]) == (20 * NS, 2)


def test_a_window_set_in_an_included_file_is_fixed_there(tmp_path: Path) -> None:
    """The interval lives in `tuning.conf` (CRLF), the count in the main file: the fix edits the
    file that holds the value out of range, and the effective window is the sum of both files."""
    main = "server_name: edge-3\nping_max: 4\ninclude tuning.conf\nmax_payload: 4MB\n"
    tuning = '# tuning for the LTE gateway\r\nping_interval: "2s"\r\nwrite_deadline: "5s"\r\n'
    files = {MAIN: main, "tuning.conf": tuning}
    write(tmp_path, files)
    with serving(tmp_path, MAIN) as server:
        assert (server.varz()["ping_interval"], server.varz()["ping_max"]) == (2 * NS, 4)

    after = fixed(files, "NAT003", root=tmp_path)
    assert after == {MAIN: main, "tuning.conf": tuning.replace('"2s"', '"2m"')}
    write(tmp_path, after)
    ok, output = check_config(tmp_path, MAIN)
    assert ok, output
    with serving(tmp_path, MAIN) as server:
        varz = server.varz()
        assert (varz["ping_interval"], varz["ping_max"], varz["write_deadline"], varz["max_payload"]) == (
            120 * NS,
            4,
            5 * NS,
            4 * 1024 * 1024,
        )
        assert server.login(Login()) == "ok"


def test_a_window_of_hours_comes_back_to_minutes(tmp_path: Path) -> None:
    text = 'port: 4222\r\nping_interval = "30m"\r\nping_max = 10\r\n'
    write(tmp_path, {MAIN: text})
    after = fixed({MAIN: text}, "NAT003", root=tmp_path)[MAIN]
    assert after == 'port: 4222\r\nping_interval = "2m"\r\nping_max = 2\r\n'
    write(tmp_path, {MAIN: after})
    assert check_config(tmp_path, MAIN)[0]
    with serving(tmp_path, MAIN) as server:  # -p: the client port of the test, not 4222
        assert (server.varz()["ping_interval"], server.varz()["ping_max"]) == (120 * NS, 2)
