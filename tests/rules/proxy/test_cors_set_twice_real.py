"""PRX001 with real parts: the fixture's Flask app (Flask-CORS) runs on loopback behind the real
nginx, configured by the fixture's own ``conf.d/api.conf``. On ``broken/`` a browser's CORS check
fails (two ``Access-Control-Allow-Origin`` values); on ``fixed/`` (authlint's fix, byte for byte)
it passes, and authlint reports PRX001 on the first and nothing on the second.

The one thing the test changes in the fixture's config is where things listen: the Compose
service ``api:5000`` becomes the loopback port the app runs on, ``listen 8080`` nginx's port.
"""

from __future__ import annotations

import http.client
import importlib.util
import json
import shutil
import subprocess
import sys
import threading
from pathlib import Path
from typing import Iterator

import pytest

from tests.loopback import free_port
from tests.nginx_server import http_preamble, main_preamble, needs_nginx, running

FIXTURE = Path(__file__).parents[2] / "fixtures" / "nginx" / "cors-twice"
CONF = "nginx/conf.d/api.conf"
FRONT_END = "https://app.example.com"
EVIL = "https://evil.example.net"


def browser_allows(header_values: list[str], origin: str, credentials_values: list[str], with_credentials: bool) -> bool:
    """The Fetch standard's CORS check, as a browser runs it on a response's headers: exactly one
    ``Access-Control-Allow-Origin`` value (a header sent twice is one value joined with ``, ``),
    equal to the request's origin, or ``*`` without credentials; with credentials,
    ``Access-Control-Allow-Credentials`` must be exactly ``true``."""
    if len(header_values) != 1:
        return False
    value = header_values[0]
    if value == "*":
        return not with_credentials
    if value != origin:
        return False
    return not with_credentials or ", ".join(credentials_values) == "true"


def authlint_findings(project: Path) -> list[dict]:
    done = subprocess.run(
        [sys.executable, "-m", "authlint", "check", "--no-cache", "--exit-zero", "--output-format", "json", str(project)],
        capture_output=True, text=True, timeout=120, check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout)


@pytest.fixture()
def flask_app() -> Iterator[int]:
    """The fixture's api/app.py served by werkzeug on a loopback port (both twins hold the same app)."""
    from werkzeug.serving import make_server

    spec = importlib.util.spec_from_file_location("cors_twice_api", FIXTURE / "broken" / "api" / "app.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    server = make_server("127.0.0.1", 0, module.app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server.server_port
    finally:
        server.shutdown()
        thread.join(timeout=5)


def _nginx_config(tmp_path: Path, twin: str, app_port: int, port: int) -> Path:
    server = (FIXTURE / twin / CONF).read_text(encoding="utf-8")
    assert "http://api:5000" in server and "listen 8080;" in server
    server = server.replace("http://api:5000", f"http://127.0.0.1:{app_port}").replace("listen 8080;", f"listen 127.0.0.1:{port};")
    (tmp_path / "api.conf").write_text(server, encoding="utf-8")
    config = tmp_path / "nginx.conf"
    config.write_text(
        f"{main_preamble(tmp_path)}\nevents {{}}\nhttp {{\n    {http_preamble(tmp_path)}\n"
        f"    include {tmp_path / 'api.conf'};\n}}\n", encoding="utf-8",
    )
    return config


def _get(port: int, origin: str) -> http.client.HTTPResponse:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    connection.request("GET", "/api/profile", headers={"Origin": origin, "Host": "api.example.com"})
    response = connection.getresponse()
    response.read()
    connection.close()
    return response


def _answer(port: int, origin: str) -> tuple[list[str], list[str]]:
    response = _get(port, origin)
    assert response.status == 200
    return (response.headers.get_all("Access-Control-Allow-Origin") or [],
            response.headers.get_all("Access-Control-Allow-Credentials") or [])


@pytest.mark.parametrize("twin", ["broken", "fixed"])
@needs_nginx[0]
def test_the_browser_refuses_two_origins_and_accepts_one(tmp_path: Path, flask_app: int, twin: str) -> None:
    port = free_port()
    with running(_nginx_config(tmp_path, twin, flask_app, port), port):
        origins, credentials = _answer(port, FRONT_END)
        evil_origins, evil_credentials = _answer(port, EVIL)
    if twin == "broken":
        # nginx's add_header and Flask-CORS both answer the front end: two values, refused
        assert origins == [FRONT_END, FRONT_END]
        assert not browser_allows(origins, FRONT_END, credentials, with_credentials=True)
    else:
        assert origins == [FRONT_END]
        assert credentials == ["true"]
        assert browser_allows(origins, FRONT_END, credentials, with_credentials=True)
    # Flask-CORS refuses the evil origin (sends nothing); nginx's literal origin is not it
    assert evil_origins == [FRONT_END]
    assert not browser_allows(evil_origins, EVIL, evil_credentials, with_credentials=True)


def test_authlint_reports_prx001_on_broken_and_nothing_on_fixed() -> None:
    broken = authlint_findings(FIXTURE / "broken")
    assert [(f["code"], f["path"].endswith(CONF)) for f in broken] == [("PRX001", True)]
    assert "api/app.py:7" in broken[0]["message"] and "the app it passes to" in broken[0]["message"]
    assert authlint_findings(FIXTURE / "fixed") == []


def test_the_fix_writes_the_fixed_twin(tmp_path: Path) -> None:
    project = tmp_path / "project"
    shutil.copytree(FIXTURE / "broken", project)
    done = subprocess.run(
        [sys.executable, "-m", "authlint", "fix", "--no-cache", "--apply", "--unsafe-fixes", str(project)],
        capture_output=True, text=True, timeout=120, check=False,
    )
    assert done.returncode in (0, 1), done.stderr[-2000:]
    assert (project / CONF).read_text(encoding="utf-8") == (FIXTURE / "fixed" / CONF).read_text(encoding="utf-8")
