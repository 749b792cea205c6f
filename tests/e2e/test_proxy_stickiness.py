"""PRX004 for real: two socket.io (express) servers behind Debian's nginx with a round-robin
upstream. A polling session's second request reaches the other node, which answers HTTP 400
"Session ID unknown"; after ``authlint fix --apply`` adds ``ip_hash`` the same session stays on its
node and a polling-only client connects and round-trips an event.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import requests
import socketio

from tests.e2e.conftest import NodeFixture
from tests.e2e.proxied import check_with_cli, copy_tree, fix_with_cli, processes, runnable
from tests.loopback import free_port
from tests.nginx_server import check_config, needs_nginx, running
from tests.shared import ROOT

pytestmark = [*needs_nginx, pytest.mark.node]

PROJECT = ROOT / "tests" / "fixtures" / "nginx" / "express-two-upstreams"


def _session(base: str) -> list[tuple[int, str]]:
    """A polling session by hand: the handshake, then the CONNECT packet with its sid and, when that
    was accepted, the poll that brings the server's answer."""
    handshake = requests.get(f"{base}/socket.io/?EIO=4&transport=polling", timeout=10)
    assert handshake.status_code == 200 and handshake.text.startswith("0"), handshake.text
    sid = json.loads(handshake.text[1:])["sid"]
    url = f"{base}/socket.io/?EIO=4&transport=polling&sid={sid}"
    sent = requests.post(url, data="40", headers={"Content-Type": "text/plain;charset=UTF-8"}, timeout=10)
    steps = [(handshake.status_code, "handshake"), (sent.status_code, sent.text)]
    if sent.status_code == 200:  # the node that knows the session answers the CONNECT on the next poll
        polled = requests.get(url, timeout=10)
        steps.append((polled.status_code, polled.text))
    return steps


def _polling_client(base: str) -> str:
    """A python-socketio client restricted to polling: who served it, or the error it got."""
    client = socketio.Client(reconnection=False)
    try:
        client.connect(base, transports=["polling"], wait_timeout=5)
        return "served by " + client.call("whoami", timeout=5)
    except (socketio.exceptions.ConnectionError, socketio.exceptions.TimeoutError) as exc:
        return f"failed: {exc}"
    finally:
        client.disconnect()


def _behind_nginx(node_fixture: NodeFixture, project: Path, tmp_path: Path, probe) -> object:
    """Run the project's server.js twice and its nginx.conf in front; ``probe(base_url)``."""
    server = node_fixture.write("express-two-upstreams/server.js", (project / "server.js").read_text())
    a, b, front = free_port(), free_port(), free_port()
    prefix = tmp_path / f"nginx-{front}"
    prefix.mkdir()
    config = runnable((project / "nginx" / "nginx.conf").read_text(), prefix, {"3001": a, "3002": b, "8080": front})
    nodes = [([node_fixture.node, server], {"PORT": str(port), "NODE_NAME": name}, port)
             for port, name in ((a, "node-a"), (b, "node-b"))]
    with processes(nodes, node_fixture.root), running(config, front, prefix):
        return probe(f"http://127.0.0.1:{front}")


def test_round_robin_loses_the_session_until_ip_hash(node_fixture: NodeFixture, tmp_path: Path) -> None:
    project = copy_tree(PROJECT / "broken", tmp_path / "project")
    found = check_with_cli(project, "PRX004")
    assert found.returncode == 1 and "PRX004" in found.stdout and "Session ID unknown" in found.stdout, found.stdout

    before = _behind_nginx(node_fixture, project, tmp_path, _session)
    assert before == [(200, "handshake"), (400, '{"code":1,"message":"Session ID unknown"}')], before
    assert _behind_nginx(node_fixture, project, tmp_path, _polling_client).startswith("failed"), "connected before the fix"

    done = fix_with_cli(project, "PRX004")
    assert "fixed 1 finding(s) in nginx/nginx.conf" in done.stderr and not done.stdout, done.stdout + done.stderr
    fixed = (project / "nginx" / "nginx.conf").read_text()
    assert fixed == (PROJECT / "fixed" / "nginx" / "nginx.conf").read_text()
    assert check_with_cli(project, "PRX004").returncode == 0

    after = _behind_nginx(node_fixture, project, tmp_path, _session)
    assert after[1] == (200, "ok") and after[2][0] == 200 and after[2][1].startswith("40"), after
    assert _behind_nginx(node_fixture, project, tmp_path, _polling_client) in ("served by node-a", "served by node-b")


def test_the_fixed_twin_is_accepted_by_nginx(tmp_path: Path) -> None:
    for tree in ("broken", "fixed"):
        prefix = tmp_path / tree
        prefix.mkdir()
        config = runnable((PROJECT / tree / "nginx" / "nginx.conf").read_text(), prefix, {})
        ok, said = check_config(config, prefix)
        assert ok, said
