"""``authlint probe`` against a real python-socketio server (aiohttp) on loopback.

The server lists one origin and checks ``auth["token"]`` in its connect handler; each test asserts
the exact words the server sends (the HTTP 400 body for a refused origin, the ``connect_error``
message) and that no credential given to the probe reaches the output, in text or JSON.
"""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest

from authlint.probe.options import ProbeOptions, run
from authlint.probe.render import render
from authlint.probe.report import ProbeReport
from tests.probe.servers import python_socketio, upgrade_stripping_proxy

APP = "https://app.example.com"
EVIL = "https://evil.example"
TOKEN = "sio-token-4c1d9e7b2a"
WRONG = "sio-wrong-token-88f3a"


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    with python_socketio([APP], TOKEN) as url:
        yield url


def probe(url: str, *secrets: str, **options) -> tuple[ProbeReport, str, str]:
    """The report and its text and JSON renderings, checked free of every secret given."""
    report, redactor = run(ProbeOptions(url=url, timeout=5, **options))
    text, data = render(report, "text", redactor), render(report, "json", redactor)
    for secret in secrets:
        assert secret not in text and secret not in data
        assert json.dumps(secret)[1:-1] not in data  # nor JSON-escaped
    return report, text, data


def test_the_listed_origin_with_the_right_token_is_accepted(server: str) -> None:
    report, text, _ = probe(server, TOKEN, origin=APP, auth={"token": TOKEN})
    assert report.verdict == "accepted" and report.exit_code == 0
    handshake = report.step("handshake")
    assert handshake is not None and handshake.outcome == "ok"
    assert handshake.details["eio"] == 4 and handshake.details["upgrades"] == ["websocket"]
    assert (handshake.details["pingInterval"], handshake.details["pingTimeout"]) == (25000, 20000)
    assert handshake.details["maxPayload"] == 1_000_000
    cors = report.step("cors")
    assert cors is not None and cors.details["with_credentials"] is True
    assert cors.details["headers"]["Access-Control-Allow-Origin"] == APP
    # python-engineio reflects the origin without Vary: Origin (socket.io#3637's cache concern)
    assert cors.outcome == "warning" and "Vary: Origin" in cors.summary
    assert report.step("namespace").outcome == "ok"  # type: ignore[union-attr]
    upgrade = report.step("upgrade")
    assert upgrade is not None and upgrade.outcome == "ok" and upgrade.details["status"] == 101
    assert report.step("clock").outcome == "ok"  # type: ignore[union-attr]
    assert "ACCEPTED: namespace / accepted the CONNECT (auth keys: token)" in text


def test_a_wrong_token_gets_the_handlers_connect_error(server: str) -> None:
    report, text, data = probe(server, WRONG, origin=APP, auth={"token": WRONG})
    assert report.verdict == "refused" and report.exit_code == 1
    assert report.reason == "authentication failed"  # ConnectionRefusedError("authentication failed")
    namespace = report.step("namespace")
    assert namespace is not None and namespace.said == "authentication failed"
    assert "connect_error 'authentication failed'" in text
    assert [entry["title"] for entry in report.causes] == ["Socket.IO: authentication refused"]
    assert json.loads(data)["reason"] == "authentication failed"


def test_no_auth_payload_is_refused_the_same_way(server: str) -> None:
    report, _, _ = probe(server)
    assert report.verdict == "refused" and report.reason == "authentication failed"
    assert report.step("cors").outcome == "skipped"  # type: ignore[union-attr]


def test_a_handler_returning_false_gives_socketios_own_message() -> None:
    with python_socketio([APP], TOKEN, refuse_with=None) as url:
        report, _, _ = probe(url, WRONG, origin=APP, auth={"token": WRONG})
    assert report.verdict == "refused" and report.reason == "Connection rejected by server"
    assert [entry["title"] for entry in report.causes] == ["Socket.IO: authentication refused"]


def test_an_unlisted_origin_gets_the_servers_400_body(server: str) -> None:
    report, text, _ = probe(server, TOKEN, origin=EVIL, auth={"token": TOKEN})
    assert report.verdict == "refused" and report.exit_code == 1
    handshake = report.step("handshake")
    assert handshake is not None and handshake.outcome == "refused"
    assert handshake.details["status"] == 400
    assert handshake.said == f'"{EVIL} is not an accepted origin."'  # python-engineio's JSON string body
    assert report.reason is not None and report.reason.startswith(f"{EVIL} is not an accepted origin.")
    # the same handshake without Origin opens a session: the origin is what the server refuses
    assert report.step("origin-check").outcome == "refused"  # type: ignore[union-attr]
    assert report.step("cors").details["without_credentials"] is False  # type: ignore[union-attr]
    assert report.step("namespace").outcome == "skipped"  # type: ignore[union-attr]
    assert [entry["title"] for entry in report.causes] == ["Socket.IO: origin not accepted"]
    assert f'HTTP 400 Bad Request: "{EVIL} is not an accepted origin."' in text


def test_secrets_in_headers_query_and_json_escaped_auth_never_show(server: str) -> None:
    odd = 'tök"en\\with-quotes-7e2f'  # JSON escapes it as t\u00f6k\"en\\with…
    bearer = "bearer-secret-0a9b8c7d6e"
    report, text, data = probe(
        server, odd, bearer, "q-secret-5d4c3b2a",
        origin=APP, auth={"token": odd, "user": "alice"}, headers={"Authorization": f"Bearer {bearer}"},
        query={"access_token": "q-secret-5d4c3b2a"},
    )
    assert report.reason == "authentication failed"  # the odd token is not the right one
    assert "auth keys: token, user" in text and "alice" not in text  # key names shown, values never


def test_a_proxy_that_strips_upgrade_shows_in_the_upgrade_step(server: str) -> None:
    with upgrade_stripping_proxy(server) as proxied:
        report, text, _ = probe(proxied, TOKEN, origin=APP, auth={"token": TOKEN})
    assert report.verdict == "accepted"  # polling still works through the proxy
    upgrade = report.step("upgrade")
    assert upgrade is not None and upgrade.outcome == "warning"
    assert upgrade.details["status"] == 400 and upgrade.said == '"Invalid websocket upgrade"'
    assert "instead of 101 Switching Protocols" in text


def test_a_custom_header_needs_a_preflight_the_server_answers(server: str) -> None:
    report, _, _ = probe(server, origin=APP, auth={"token": TOKEN}, headers={"X-Client": "probe"})
    preflight = report.step("cors-preflight")
    assert preflight is not None
    # python-engineio answers OPTIONS with the CORS headers and allows the requested ones
    assert preflight.outcome == "ok" and preflight.details["missing_headers"] == []
    assert "the page adds x-client" in preflight.summary
