"""COR001/COR003 fixes of CORS set by nginx, judged by the real nginx: ``nginx -t`` accepts the
fixed config, and requests with an ``Origin`` header get the answer the fix intends (the anchored
regex refuses ``https://app.example.com.evil.net`` and still allows the real origin; ``*`` becomes
the configured origin). The broken config is started too, to show the fix mattered."""

from __future__ import annotations

import http.client
from pathlib import Path

import pytest

from authlint.testing import fix_files, lint_files
from tests.loopback import free_port
from tests.nginx_server import check_config, http_preamble, main_preamble, needs_nginx, running

pytestmark = needs_nginx
PATH = "conf.d/cors.conf"
LISTEN = "listen 8080;"

IF_REGEX = """server {
    listen 8080;
    location / {
        if ($http_origin ~* "https://app.example.com") {
            add_header Access-Control-Allow-Origin $http_origin always;
        }
        return 200 "ok";
    }
}
"""

BRANCHES = """server {
    listen 8080;
    set $cors "";
    if ($http_origin ~ "https://a\\.example\\.com|https://b\\.example\\.com") {
        set $cors $http_origin;
    }
    location / {
        add_header Access-Control-Allow-Origin $cors always;
        return 200 "ok";
    }
}
"""

MAP_KEY = """map $http_origin $cors_origin {
    default "";
    ~https://[a-z]+.example.com$ $http_origin;
}
server {
    listen 8080;
    location / {
        add_header Access-Control-Allow-Origin $cors_origin always;
        add_header Access-Control-Allow-Credentials true always;
        return 200 "ok";
    }
}
"""

REFUSING_IF = """server {
    listen 8080;
    if ($http_origin !~ '^https://app.example.com') {
        return 403;
    }
    location / {
        add_header Access-Control-Allow-Origin $http_origin always;
        return 200 "ok";
    }
}
"""

STAR = """server {
    listen 8080;
    location / {
        add_header Access-Control-Allow-Origin * always;
        return 200 "ok";
    }
}
"""


def _start(tmp_path: Path, server: str, name: str):
    port = free_port()
    folder = tmp_path / name
    folder.mkdir()
    (folder / "cors.conf").write_text(server.replace(LISTEN, f"listen 127.0.0.1:{port};"), encoding="utf-8")
    config = folder / "nginx.conf"
    config.write_text(f"{main_preamble(folder)}\nevents {{}}\nhttp {{\n    {http_preamble(folder)}\n"
                      f"    include {folder / 'cors.conf'};\n}}\n", encoding="utf-8")
    ok, said = check_config(config)
    assert ok, said
    return running(config, port), port


def _allow_origin(port: int, origin: str) -> list[str]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    connection.request("GET", "/", headers={"Origin": origin})
    response = connection.getresponse()
    response.read()
    connection.close()
    assert response.status in (200, 403)  # 403: an `if` refused the origin
    return [value for value in response.headers.get_all("Access-Control-Allow-Origin") or [] if value]


def _answers(tmp_path: Path, server: str, name: str, origins: list[str]) -> dict[str, list[str]]:
    started, port = _start(tmp_path, server, name)
    with started:
        return {origin: _allow_origin(port, origin) for origin in origins}


def _fixed(server: str, code: str, **settings) -> str:
    before = [d.code for d in lint_files({PATH: server}, select=[code], **settings).diagnostics]
    assert before, f"{code} does not report:\n{server}"
    after = fix_files({PATH: server}, select=[code], **settings)[PATH]
    assert after != server
    assert not lint_files({PATH: after}, select=[code], **settings).diagnostics, after
    return after


@pytest.mark.parametrize(
    "server, allowed, refused",
    [
        (IF_REGEX, ["https://app.example.com", "https://APP.example.com"],
         ["https://app.example.com.evil.net", "https://evil.net.https://app.example.com", "https://appxexample.com"]),
        (BRANCHES, ["https://a.example.com", "https://b.example.com"],
         ["https://b.example.com.evil.net", "https://evil.net/https://a.example.com"]),
        (MAP_KEY, ["https://app.example.com", "https://admin.example.com"],
         ["https://appxexample.com", "https://evil.net?https://app.example.com"]),
        (REFUSING_IF, ["https://app.example.com"], ["https://app.example.com.evil.net", "https://appxexample.com"]),
    ],
    ids=["if-regex", "branches", "map-key", "refusing-if"],
)
def test_anchored_regexes_refuse_look_alikes_and_allow_the_real_origins(
    tmp_path: Path, server: str, allowed: list[str], refused: list[str],
) -> None:
    before = _answers(tmp_path, server, "before", allowed + refused)
    assert any(before[origin] for origin in refused), before  # the loose pattern let a look-alike in
    fixed = _fixed(server, "COR003")
    after = _answers(tmp_path, fixed, "after", allowed + refused)
    for origin in allowed:
        assert after[origin] == [origin], (origin, after)
    for origin in refused:
        assert after[origin] == [], (origin, fixed)


def test_the_wildcard_becomes_the_configured_origin(tmp_path: Path) -> None:
    before = _answers(tmp_path, STAR, "before", ["https://evil.example.net"])
    assert before["https://evil.example.net"] == ["*"]
    fixed = _fixed(STAR, "COR001", allowed_origins=["https://app.example.com"])
    after = _answers(tmp_path, fixed, "after", ["https://app.example.com", "https://evil.example.net"])
    # one header answers one origin: the configured one, which a browser matches only on that origin
    assert after == {"https://app.example.com": ["https://app.example.com"],
                     "https://evil.example.net": ["https://app.example.com"]}


ECHO_WITH_CREDENTIALS = """server {
    listen 8080;
    location / {
        add_header Access-Control-Allow-Origin $http_origin always;
        add_header Access-Control-Allow-Credentials true always;
        return 200 "ok";
    }
}
"""


def test_an_echo_with_credentials_answers_only_the_configured_origin(tmp_path: Path) -> None:
    before = _answers(tmp_path, ECHO_WITH_CREDENTIALS, "before", ["https://evil.example.net"])
    assert before["https://evil.example.net"] == ["https://evil.example.net"]  # any site, with cookies
    fixed = _fixed(ECHO_WITH_CREDENTIALS, "COR002", allowed_origins=["https://app.example.com"])
    after = _answers(tmp_path, fixed, "after", ["https://app.example.com", "https://evil.example.net"])
    assert after == {"https://app.example.com": ["https://app.example.com"],
                     "https://evil.example.net": ["https://app.example.com"]}
