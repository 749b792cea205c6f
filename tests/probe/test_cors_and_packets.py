"""The browser's CORS verdict and the Engine.IO / Socket.IO packet readings, as pure functions
(the servers' real answers are exercised in the test_socketio_* modules)."""

from __future__ import annotations

import pytest

from authlint.probe.cors import allowed_headers, check, preflight_headers
from authlint.probe.engineio import connect_answer, connect_packet, engine_path, open_packet, packets, refusal
from authlint.probe.websocket import accept_for

ORIGIN = "https://app.example.com"


@pytest.mark.parametrize(
    ("acao", "acac", "vary", "without", "with_", "notes"),
    [
        ([ORIGIN], ["true"], ["Origin"], True, True, 0),
        ([ORIGIN], ["true"], [], True, True, 1),  # reflected without Vary: Origin
        ([ORIGIN], [], ["Origin"], True, False, 0),
        ([ORIGIN], ["TRUE"], ["Origin"], True, False, 0),  # the value must be exactly "true"
        (["*"], ["true"], [], True, False, 0),
        ([], ["true"], [], False, False, 0),
        ([ORIGIN, ORIGIN], ["true"], ["Origin"], False, False, 0),  # repeated header: refused
        ([f"{ORIGIN}, https://b.example"], ["true"], ["Origin"], False, False, 0),
        ([ORIGIN + "/"], ["true"], ["Origin"], False, False, 0),  # a trailing slash is another origin
    ],
)
def test_browser_verdicts(acao: list[str], acac: list[str], vary: list[str], without: bool, with_: bool,
                          notes: int) -> None:
    verdict = check(ORIGIN, acao, acac, vary)
    assert (verdict.without_credentials, verdict.with_credentials, len(verdict.notes)) == (without, with_, notes)


def test_preflighted_headers_and_what_the_answer_allows() -> None:
    assert preflight_headers({"Authorization": "x", "Cookie": "c", "Accept": "*/*", "X-Trace": "1"}) == [
        "authorization", "x-trace"]
    assert allowed_headers("Authorization, X-Trace", ["authorization", "x-trace"], True) == []
    assert allowed_headers("*", ["authorization", "x-trace"], False) == ["authorization"]
    assert allowed_headers("*", ["x-trace"], True) == ["x-trace"]  # no wildcard with credentials


def test_engineio_paths_and_framing() -> None:
    assert engine_path("/socket.io/", 4, query={"room": "a b"}) == "/socket.io/?room=a+b&EIO=4&transport=polling"
    assert engine_path("realtime", 3, sid="S") == "/realtime?EIO=3&transport=polling&b64=1&sid=S"
    assert packets('0{"sid":"a"}\x1e40', 4) == ['0{"sid":"a"}', "40"]
    assert packets('13:0{"sid":"ab"}2:40', 3) == ['0{"sid":"ab"}', "40"]
    opened = open_packet('0{"sid":"abcdefghijkl","upgrades":["websocket"],"pingInterval":25000}', 4)
    assert opened is not None and opened.short_sid == "abcdef…" and opened.ping_timeout is None
    assert open_packet("<html>", 4) is None and open_packet('0{"no":"sid"}', 4) is None


def test_refusal_bodies_and_connect_answers() -> None:
    assert refusal('"x is not an accepted origin."') == ('"x is not an accepted origin."', "x is not an accepted origin.")
    assert refusal('{"code":4,"message":"Forbidden"}') == ('{"code":4,"message":"Forbidden"}', "Forbidden")
    assert refusal("<h1>Bad Request</h1>") is None
    assert connect_packet({}) == "40" and connect_packet({"token": "t"}) == '40{"token":"t"}'
    assert connect_packet({"token": "t"}, "/chat") == '40/chat,{"token":"t"}'
    assert connect_answer(["2", '40{"sid":"x"}']).accepted  # type: ignore[union-attr]
    refused = connect_answer(['44{"message":"invalid token","data":{"why":"exp"}}'])
    assert refused is not None and (refused.message, refused.data) == ("invalid token", {"why": "exp"})
    assert connect_answer(['44/chat,{"message":"no"}']) is None  # another namespace's answer
    assert connect_answer(["6"]) is None


def test_websocket_accept_is_rfc6455s() -> None:
    assert accept_for("dGhlIHNhbXBsZSBub25jZQ==") == "s3pPLMBiTxaQ9kYGzzhZRbK+xOo="  # RFC 6455 section 1.3
