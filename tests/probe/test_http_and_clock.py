"""``authlint probe`` against servers that are not Socket.IO, a shifted clock, and nothing at all.

A plain HTTP server gets protocol ``http``: its CORS answer for ``--origin`` (the browser's verdict
decides) and its clock. A server whose ``Date`` is ten minutes ahead shows the skew; a closed port
and a port that never answers give UNREACHABLE (exit 2) within the timeout.
"""

from __future__ import annotations

import re
import socket
import threading
import time

import pytest

from authlint.probe.options import ProbeOptions, run
from authlint.probe.render import render
from tests.loopback import free_port
from tests.probe.servers import http_server, python_socketio

ORIGIN = "https://app.example.com"


@pytest.mark.parametrize("shift", [600.0, -600.0])
def test_a_shifted_date_header_shows_the_skew(shift: float) -> None:
    with http_server(shift=shift) as url:
        report, redactor = run(ProbeOptions(url=url, timeout=5))
    clock = report.step("clock")
    assert clock is not None and clock.outcome == "warning"
    assert abs(clock.details["skew_seconds"] - shift) <= 2
    side = "ahead of" if shift > 0 else "behind"
    # (the Date header has one-second resolution: 599 to 601 s)
    assert re.search(rf"the server's clock is (599|600|601) s {side} this machine's", render(report, "text", redactor))


def test_a_plain_server_gets_cors_and_clock_only() -> None:
    with http_server() as url:
        report, redactor = run(ProbeOptions(url=url, timeout=5))
    assert report.protocol == "http" and report.verdict == "accepted" and report.exit_code == 0
    assert [step.name for step in report.steps] == ["handshake", "http", "cors", "clock"]
    assert report.step("clock").outcome == "ok"  # type: ignore[union-attr]
    assert "not Socket.IO at /socket.io/: HTTP 200 OK, no Engine.IO open packet" in render(report, "text", redactor)


def test_a_404_at_the_socketio_path_is_plain_http() -> None:
    with http_server(status=404, body=b"not found") as url:
        report, _ = run(ProbeOptions(url=url + "/api/status", timeout=5, path="/socket.io/"))
    assert report.protocol == "http"
    assert report.step("http").summary == "GET /api/status: HTTP 404 Not Found"  # type: ignore[union-attr]


def test_wildcard_origin_is_seen_without_credentials_only() -> None:
    cors = {"Access-Control-Allow-Origin": "*", "Access-Control-Allow-Credentials": "true"}
    with http_server(cors=cors) as url:
        report, _ = run(ProbeOptions(url=url, origin=ORIGIN, timeout=5))
    step = report.step("cors")
    assert step is not None and step.outcome == "warning"
    assert (step.details["without_credentials"], step.details["with_credentials"]) == (True, False)
    assert "'*', which browsers refuse for a request with credentials" in step.summary
    assert report.verdict == "accepted"


@pytest.mark.parametrize(
    ("cors", "why"),
    [
        ({}, "no Access-Control-Allow-Origin header in the answer"),
        ({"Access-Control-Allow-Origin": f"{ORIGIN}, https://other.example"},
         f"Access-Control-Allow-Origin holds several values ({ORIGIN}, https://other.example); browsers accept one"),
        ({"Access-Control-Allow-Origin": "https://other.example"},
         "Access-Control-Allow-Origin is 'https://other.example', not this origin"),
    ],
)
def test_a_refusing_cors_answer_is_refused_with_the_browsers_reason(cors: dict[str, str], why: str) -> None:
    with http_server(cors=cors) as url:
        report, _ = run(ProbeOptions(url=url, origin=ORIGIN, timeout=5))
    assert report.verdict == "refused" and report.exit_code == 1
    assert report.reason == f"the browser's CORS check fails for {ORIGIN}: {why}"
    assert "Browser: CORS header missing or refused" in [entry["title"] for entry in report.causes]


def test_a_closed_port_is_unreachable() -> None:
    report, redactor = run(ProbeOptions(url=f"http://127.0.0.1:{free_port()}", timeout=2))
    assert report.verdict == "unreachable" and report.exit_code == 2
    assert report.reason is not None and report.reason.endswith("connection refused")


def test_a_port_that_never_answers_times_out_within_the_timeout() -> None:
    with socket.socket() as silent:  # listens (the connect succeeds) but never answers
        silent.bind(("127.0.0.1", 0))
        silent.listen(1)
        started = time.monotonic()
        report, _ = run(ProbeOptions(url=f"http://127.0.0.1:{silent.getsockname()[1]}", timeout=0.5))
    assert report.verdict == "unreachable" and report.reason is not None and report.reason.endswith("timed out")
    assert time.monotonic() - started < 3


def test_the_socketio_path_from_the_url_or_path_option() -> None:
    with python_socketio("*", "path-token-3f2e1d", socketio_path="realtime") as url:
        by_url, _ = run(ProbeOptions(url=url + "/realtime/", auth={"token": "path-token-3f2e1d"}, timeout=5))
        by_option, _ = run(ProbeOptions(url=url, path="realtime", auth={"token": "path-token-3f2e1d"}, timeout=5))
        default, _ = run(ProbeOptions(url=url, timeout=5))
    assert by_url.verdict == by_option.verdict == "accepted"
    assert by_url.step("handshake").details["path"] == "/realtime/"  # type: ignore[union-attr]
    assert by_option.step("handshake").details["path"] == "/realtime"  # type: ignore[union-attr]
    assert default.protocol == "http"  # nothing at /socket.io/


def test_a_401_at_the_socketio_path_is_a_refusal_with_its_words() -> None:
    with http_server(status=401, body=b"<h1>Unauthorized</h1>\n<p>login first</p>") as url:
        report, _ = run(ProbeOptions(url=url, timeout=5))
    assert report.verdict == "refused" and report.exit_code == 1
    assert report.reason == "HTTP 401 Unauthorized: <h1>Unauthorized</h1> <p>login first</p>"
    assert report.step("handshake").said == "<h1>Unauthorized</h1> <p>login first</p>"  # type: ignore[union-attr]
    assert "Socket.IO: authentication refused" in [entry["title"] for entry in report.causes]


def test_a_server_trickling_its_answer_is_cut_at_the_timeout() -> None:
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(1)

        def trickle() -> None:
            conn, _ = listener.accept()
            with conn:
                conn.recv(4096)
                try:
                    for byte in b"HTTP/1.1 200 OK\r\nX-Slow: " + b"a" * 100:
                        conn.sendall(bytes([byte]))
                        time.sleep(0.1)
                except OSError:
                    pass

        thread = threading.Thread(target=trickle, daemon=True)
        thread.start()
        started = time.monotonic()
        report, _ = run(ProbeOptions(url=f"http://127.0.0.1:{listener.getsockname()[1]}", timeout=1))
        elapsed = time.monotonic() - started
        thread.join(15)
    assert report.verdict == "unreachable" and report.reason is not None and report.reason.endswith("timed out")
    assert elapsed < 3  # each byte came within the socket timeout; the whole answer did not
