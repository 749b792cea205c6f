"""End to end through a real nginx: the fixture project tests/fixtures/nginx/flask-socketio.

Its Socket.IO server (app.py, Flask-SocketIO in threading mode) runs on loopback, and Debian's nginx
serves the project's own site file (nginx/conf.d/chat.conf) in front of it, included from a main
config the way nginx's own nginx.conf includes ``conf.d/*.conf``. The only rewrites a test must
make: the ``listen`` port and the upstream ``server`` port, to free loopback ports. Before the fix
a websocket-only client cannot connect through nginx and a default client stays on long-polling;
after ``authlint fix --apply`` (the real CLI, on a copy of the project) nginx accepts the config,
the same client connects over WebSocket and exchanges an event, and the headers the location used
to inherit from its server block (``X-Forwarded-For``) still reach the app.
"""

from __future__ import annotations

import asyncio
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import pytest

from tests.loopback import free_port
from tests.nginx_server import check_config, http_preamble, main_preamble, needs_nginx, running

pytestmark = needs_nginx
socketio = pytest.importorskip("socketio")
pytest.importorskip("flask_socketio")

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "nginx" / "flask-socketio"
SITE = Path("nginx/conf.d/chat.conf")
TOKEN = "e2e-token-7f3a"
ORIGIN = "https://chat.example.com"  # the site's page, which app.py's cors_allowed_origins lists


def authlint(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "authlint", *args, "--no-cache"], cwd=cwd,
                          capture_output=True, text=True, timeout=300)


@contextmanager
def app_server(project: Path) -> Iterator[int]:
    """The project's app.py on a free loopback port (its own ``__main__``, PORT from the environment)."""
    port = free_port()
    env = {**os.environ, "PORT": str(port), "CHAT_TOKEN": TOKEN}
    proc = subprocess.Popen([sys.executable, "-u", str(project / "app.py")], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 15
        while True:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                    break
            except OSError:
                if proc.poll() is not None:
                    raise AssertionError(proc.stdout.read().decode() if proc.stdout else "app.py exited") from None
                if time.monotonic() > deadline:
                    raise AssertionError("app.py did not listen within 15 s") from None
                time.sleep(0.05)
        yield port
    finally:
        proc.kill()  # a graceful shutdown would wait out open long-polls
        proc.communicate(timeout=10)


def served(site: Path, prefix: Path, listen: int, app: int) -> Path:
    """A main config serving ``site`` with its ports moved to the test's: the only rewrite."""
    text = site.read_text(encoding="utf-8")
    text, listens = re.subn(r"(?m)^(\s*)listen\s+8080\s*;", rf"\1listen 127.0.0.1:{listen};", text)
    text, upstreams = re.subn(r"(?m)^(\s*)server\s+127\.0\.0\.1:5000\s*;", rf"\1server 127.0.0.1:{app};", text)
    assert (listens, upstreams) == (1, 1), "the fixture's ports moved: update the rewrite"
    prefix.mkdir(parents=True, exist_ok=True)
    (prefix / "conf.d").mkdir(exist_ok=True)
    (prefix / "conf.d" / site.name).write_text(text, encoding="utf-8")
    main = prefix / "nginx.conf"
    main.write_text(f"{main_preamble(prefix)}\nevents {{}}\nhttp {{\n    {http_preamble(prefix)}\n"
                    f"    include conf.d/*.conf;\n}}\n", encoding="utf-8")
    return main


def session(port: int, transports: list[str] | None) -> tuple[str, dict]:
    """A python-socketio client through nginx, as from the site's page (the WebSocket transport
    sends the ``Origin`` app.py checks): the transport it ends on and the answer to one ``echo``.
    Raises ConnectionError when it cannot connect."""

    async def run() -> tuple[str, dict]:
        client = socketio.AsyncClient(reconnection=False)
        kwargs = {"transports": transports} if transports else {}
        await client.connect(f"http://127.0.0.1:{port}", headers={"Origin": ORIGIN}, auth={"token": TOKEN},
                             wait_timeout=5, **kwargs)
        try:
            answer = await client.call("echo", "hello", timeout=5)
            return client.transport(), answer
        finally:
            if client.transport() == "polling":
                await client.eio.disconnect(abort=True)  # a graceful one waits out a long-poll
            else:
                await client.disconnect()

    return asyncio.run(run())


@pytest.mark.parametrize("variant, site", [("", SITE), ("debian-", Path("deploy/nginx/sites-available/chat"))])
def test_fixture_findings(variant: str, site: Path) -> None:
    """PRX002 on the broken tree, at the Socket.IO location, naming app.py; nothing on its twin.
    (``debian-``: the same app deployed Debian's way: nginx.conf, sites-available, proxy_params.)"""
    broken = json.loads(authlint("check", ".", "--output-format", "json", cwd=FIXTURE / f"{variant}broken").stdout)
    assert [(f["code"], f["path"].replace("\\", "/").endswith(site.as_posix())) for f in broken] == [("PRX002", True)]
    assert "app.py" in broken[0]["message"] and broken[0]["related"][0]["path"].endswith("app.py")
    fixed = authlint("check", ".", "--output-format", "json", cwd=FIXTURE / f"{variant}fixed")
    assert fixed.returncode == 0 and json.loads(fixed.stdout) == []


def test_websocket_fails_through_nginx_until_authlint_fixes_the_location(tmp_path: Path) -> None:
    project = tmp_path / "project"
    shutil.copytree(FIXTURE / "broken", project)
    with app_server(project) as app:
        assert session(app, ["websocket"])[0] == "websocket"  # the app itself speaks WebSocket

        port = free_port()
        with running(served(project / SITE, tmp_path / "before", port, app), port):
            with pytest.raises(socketio.exceptions.ConnectionError):
                session(port, ["websocket"])
            transport, answer = session(port, None)  # polling gets through; its upgrade fails
            assert transport == "polling" and answer["forwarded_for"] == "127.0.0.1"

        applied = authlint("fix", ".", "--apply", cwd=project)
        assert applied.returncode == 1 and "fixed 1 finding" in applied.stderr, applied.stderr
        after = (project / SITE).read_text(encoding="utf-8")
        assert after == (FIXTURE / "fixed" / SITE).read_text(encoding="utf-8")  # the corrected twin

        port = free_port()
        main = served(project / SITE, tmp_path / "after", port, app)
        ok, said = check_config(main)
        assert ok, said
        with running(main, port):
            transport, answer = session(port, ["websocket"])
            assert transport == "websocket"
            # Host and X-Forwarded-For were the server block's: the fix copied them into the location
            assert answer == {"echo": "hello", "host": "127.0.0.1", "forwarded_for": "127.0.0.1"}
            assert session(port, None)[0] == "websocket"  # the default client upgrades now
