"""The wire pieces: INFO read (or what came instead), the answer to CONNECT + PING, /varz URLs."""

from __future__ import annotations

import socket
import time

import pytest

from authlint.probe.natsproto import ProtocolError, Wire, connect_line
from authlint.probe.natsvarz import duration, varz_url


def _pair(sent: bytes, timeout: float = 0.5) -> tuple[Wire, socket.socket]:
    ours, theirs = socket.socketpair()
    theirs.sendall(sent)
    return Wire(ours, timeout), theirs


def test_info_is_parsed() -> None:
    wire, peer = _pair(b'INFO {"server_id":"N1","version":"2.9.10","auth_required":true}\r\n')
    with wire.sock, peer:
        assert wire.read_info() == {"server_id": "N1", "version": "2.9.10", "auth_required": True}


@pytest.mark.parametrize(
    ("sent", "said"),
    [
        (b"HTTP/1.1 400 Bad Request\r\n", "not a NATS server: the first line was 'HTTP/1.1 400 Bad Request'"),
        (b"INFO {not json\r\n", "the INFO line is not JSON"),
        (b"INFO [1]\r\n", "not a JSON object"),
        (b"", "no INFO within 0.2 s"),
    ],
)
def test_what_came_instead_of_info(sent: bytes, said: str) -> None:
    wire, peer = _pair(sent, timeout=0.2)
    with wire.sock, peer:
        with pytest.raises(ProtocolError, match=said.replace("(", r"\(").replace("[", r"\[")):
            wire.read_info()


def test_a_closed_socket_before_info() -> None:
    wire, peer = _pair(b"garbage without end")
    peer.close()
    with wire.sock, pytest.raises(ProtocolError, match="closed the connection before sending INFO after 'garbage"):
        wire.read_info()


def test_the_answer_skips_ok_and_info_and_answers_a_server_ping() -> None:
    wire, peer = _pair(b"+OK\r\nINFO {}\r\nPING\r\n-ERR 'Authorization Violation'\r\n")
    with wire.sock, peer:
        assert wire.answer(time.monotonic() + 1) == "-ERR 'Authorization Violation'"
        assert peer.recv(100) == b"PONG\r\n"


def test_the_answer_waits_no_longer_than_the_deadline() -> None:
    wire, peer = _pair(b"")
    with wire.sock, peer:
        started = time.monotonic()
        with pytest.raises(TimeoutError):
            wire.answer(started + 0.2)
        assert time.monotonic() - started < 0.5


def test_connect_line_and_varz_urls() -> None:
    assert connect_line({"verbose": False}) == b'CONNECT {"verbose":false}\r\nPING\r\n'
    assert varz_url("http://h:8222") == "http://h:8222/varz"
    assert varz_url("h:8222/") == "http://h:8222/varz"
    assert varz_url("https://h/nats/varz?x=1") == "https://h/nats/varz"
    assert duration(120 * 10**9) == "2 min" and duration(45 * 10**9) == "45 s" and duration("2m") == "2m"
