"""``authlint probe`` against the npm socket.io server (tests/fixtures/js-e2e/probe/server.js).

socket.io 4 lists the web app in ``cors.origin``; with ``allowRequest`` the server itself refuses
other origins (HTTP 403 ``{"code":4,"message":"Forbidden"}``), with ``cors`` alone it lets them in
and only withholds Access-Control-Allow-Origin, so the browser refuses. Its middleware refuses a
wrong ``auth.token`` with ``next(new Error("invalid token"))``: the client's connect_error message.
"""

from __future__ import annotations

import pytest

from authlint.probe.options import ProbeOptions, run
from authlint.probe.render import render
from authlint.probe.report import ProbeReport
from tests.node_project import NodeFixture, make_node_fixture
from tests.probe.servers import node_socketio

pytestmark = pytest.mark.node

APP = "http://localhost:5173"
EVIL = "https://evil.example"
TOKEN = "node-token-9d8e7f6a5b"
WRONG = "node-wrong-1a2b3c4d5e"


@pytest.fixture(scope="module")
def node_fixture(tmp_path_factory: pytest.TempPathFactory) -> NodeFixture:
    return make_node_fixture(tmp_path_factory)


def probe(url: str, *secrets: str, **options) -> tuple[ProbeReport, str]:
    report, redactor = run(ProbeOptions(url=url, timeout=5, **options))
    text, data = render(report, "text", redactor), render(report, "json", redactor)
    for secret in secrets:
        assert secret not in text and secret not in data
    return report, text


def test_listed_origin_and_right_token_are_accepted(node_fixture: NodeFixture) -> None:
    with node_socketio(node_fixture.root, node_fixture.node, TOKEN) as url:
        report, text = probe(url, TOKEN, origin=APP, auth={"token": TOKEN})
    assert report.verdict == "accepted" and report.exit_code == 0
    handshake = report.step("handshake")
    assert handshake is not None and handshake.details["eio"] == 4
    assert (handshake.details["pingInterval"], handshake.details["pingTimeout"]) == (25000, 20000)
    cors = report.step("cors")
    assert cors is not None and cors.outcome == "ok"  # the cors package sends Vary: Origin
    assert cors.details["headers"] == {"Access-Control-Allow-Origin": APP, "Access-Control-Allow-Credentials": "true",
                                       "Vary": "Origin"}
    assert report.step("upgrade").outcome == "ok"  # type: ignore[union-attr]
    assert "namespace       ok       CONNECT to / (auth keys: token) accepted" in text


def test_a_wrong_token_gets_the_middlewares_error(node_fixture: NodeFixture) -> None:
    with node_socketio(node_fixture.root, node_fixture.node, TOKEN) as url:
        report, text = probe(url, WRONG, origin=APP, auth={"token": WRONG})
    assert report.verdict == "refused" and report.exit_code == 1
    assert report.reason == "invalid token"
    namespace = report.step("namespace")
    assert namespace is not None and namespace.said == "invalid token"
    assert namespace.details["packet"] == '4{"message":"invalid token"}'
    assert "REFUSED: invalid token" in text


def test_allow_request_refuses_an_unlisted_origin_with_403(node_fixture: NodeFixture) -> None:
    with node_socketio(node_fixture.root, node_fixture.node, TOKEN) as url:
        report, _ = probe(url, TOKEN, origin=EVIL, auth={"token": TOKEN})
    handshake = report.step("handshake")
    assert handshake is not None and handshake.details["status"] == 403
    assert handshake.said == '{"code":4,"message":"Forbidden"}'
    assert report.step("origin-check").outcome == "refused"  # type: ignore[union-attr]
    assert report.reason == "Forbidden (origin not allowed: the same handshake without Origin is accepted)"
    assert [entry["title"] for entry in report.causes] == ["Socket.IO: origin not accepted"]


def test_cors_alone_lets_the_client_in_but_not_the_browser(node_fixture: NodeFixture) -> None:
    with node_socketio(node_fixture.root, node_fixture.node, TOKEN, "cors-only") as url:
        report, _ = probe(url, TOKEN, origin=EVIL, auth={"token": TOKEN})
    assert report.step("namespace").outcome == "ok"  # type: ignore[union-attr]
    cors = report.step("cors")
    assert cors is not None and cors.outcome == "refused" and "Access-Control-Allow-Origin" not in cors.details["headers"]
    assert report.verdict == "refused"
    assert report.reason == (f"the browser's CORS check fails for {EVIL}: no Access-Control-Allow-Origin header in "
                             "the answer (the server itself accepted the connect)")
    assert "Browser: CORS header missing or refused" in [entry["title"] for entry in report.causes]


def test_a_socketio2_client_against_a_server_without_allow_eio3(node_fixture: NodeFixture) -> None:
    with node_socketio(node_fixture.root, node_fixture.node, TOKEN) as url:
        report, _ = probe(url, TOKEN, query={"EIO": "3", "token": TOKEN})
    handshake = report.step("handshake")
    assert handshake is not None and handshake.said == '{"code":5,"message":"Unsupported protocol version"}'
    assert report.verdict == "refused" and report.reason == "Unsupported protocol version"


@pytest.mark.parametrize(("token", "verdict"), [(TOKEN, "accepted"), (WRONG, "refused")])
def test_engineio3_framing_with_allow_eio3(node_fixture: NodeFixture, token: str, verdict: str) -> None:
    # a socket.io 2 client joins "/" at the handshake, its token in the query (no auth payload in v2)
    with node_socketio(node_fixture.root, node_fixture.node, TOKEN, "eio3") as url:
        report, _ = probe(url, token, origin=APP, query={"EIO": "3", "token": token})
    handshake = report.step("handshake")
    assert handshake is not None and handshake.details["eio"] == 3 and handshake.details["maxPayload"] == 1_000_000
    assert report.verdict == verdict
    if verdict == "refused":
        assert report.reason == "invalid token"
        assert report.step("namespace").details["packet"] == '4"invalid token"'  # type: ignore[union-attr]
