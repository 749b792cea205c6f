"""PRX005 beyond its examples: every fixed example config is accepted by real nginx (``nginx -t``),
a fragment gets its new format at its top and works where it is included, a location whose access
log comes from a snippet is reported without a fix, and messages never quote a token."""

from __future__ import annotations

from pathlib import Path

import pytest

from authlint.diagnostics.diagnostic import Applicability
from authlint.rules.proxy.prx005_token_in_access_log import TokenInAccessLog
from authlint.testing import fix_files, lint_files
from tests.nginx_server import TEMP_PATHS, check_config, main_preamble, needs_nginx

TS_CLIENT = 'import { io } from "socket.io-client";\nio("https://chat.example.com?token=abc123secretvalue");\n'
FIXED_EXAMPLES = [e for e in TokenInAccessLog.examples if not e.valid and e.fixed is not None and e.path.endswith(".conf")]


def _runnable(config: str, prefix: Path) -> str:
    """An example config made runnable in ``prefix``: the pid/temp files there, logs under it."""
    (prefix / "logs").mkdir(exist_ok=True)
    temp = "\n".join(f"    {name} {prefix / name.replace('_path', '')};" for name in TEMP_PATHS)
    config = config.replace("/var/log/nginx/", f"{prefix}/logs/").replace("http {\n", "http {\n" + temp + "\n", 1)
    return main_preamble(prefix) + "\n" + config


@pytest.mark.parametrize("example", FIXED_EXAMPLES, ids=[str(i) for i in range(len(FIXED_EXAMPLES))])
@needs_nginx[0]
def test_nginx_accepts_every_fixed_example(example, tmp_path: Path) -> None:
    for text in (example.code, example.fixed):
        config = tmp_path / "nginx.conf"
        config.write_text(_runnable(text, tmp_path))
        accepted, said = check_config(config, tmp_path)
        assert accepted, said


INCLUDER = "events {}\nhttp {\n    access_log logs/access.log;\n    include conf.d/*.conf;\n}\n"
FRAGMENT = "server {\n    listen 127.0.0.1:18081;\n    location /socket.io/ {\n        proxy_pass http://127.0.0.1:5000;\n    }\n}\n"


@needs_nginx[0]
def test_fragments_define_their_format_at_their_top_and_nginx_accepts_them(tmp_path: Path) -> None:
    chat = FRAGMENT.replace("18081", "18082")  # a second site included beside it: names must not clash
    files = {"nginx/nginx.conf": INCLUDER, "nginx/conf.d/app.conf": FRAGMENT, "nginx/conf.d/chat.conf": chat,
             "web/client.ts": TS_CLIENT}
    found = [d for d in lint_files(files, select=["PRX005"]).diagnostics]
    assert [d.path for d in found] == ["nginx/conf.d/app.conf", "nginx/conf.d/chat.conf"]
    assert found[0].fix is not None and found[0].fix.applicability is Applicability.UNSAFE
    fixed = fix_files(files, select=["PRX005"])
    assert fixed["nginx/conf.d/app.conf"].startswith("log_format combined_noquery_app '$remote_addr - ")
    assert "        access_log logs/access.log combined_noquery_app;\n    }" in fixed["nginx/conf.d/app.conf"]
    assert fixed["nginx/nginx.conf"] == INCLUDER
    assert lint_files(fixed, select=["PRX005"]).diagnostics == []
    (tmp_path / "conf.d").mkdir()
    assert "combined_noquery_chat;" in fixed["nginx/conf.d/chat.conf"]
    for name in ("app.conf", "chat.conf"):
        (tmp_path / "conf.d" / name).write_text(fixed[f"nginx/conf.d/{name}"])
    config = tmp_path / "nginx.conf"
    config.write_text(_runnable(INCLUDER, tmp_path))
    accepted, said = check_config(config, tmp_path)
    assert accepted, said


def test_an_access_log_from_a_snippet_in_the_location_is_reported_without_a_fix() -> None:
    site = ("events {}\nhttp {\n    server {\n        location /socket.io/ {\n            proxy_pass http://app;\n"
            "            include snippets/logging.conf;\n        }\n    }\n}\n")
    files = {"nginx.conf": site, "snippets/logging.conf": "access_log /var/log/nginx/sio.log;\n", "client.ts": TS_CLIENT}
    found = lint_files(files, select=["PRX005"]).diagnostics
    assert len(found) == 1 and "`/var/log/nginx/sio.log` (format `combined`)" in found[0].message
    assert found[0].fix is None


def test_an_unknown_format_says_nothing_and_the_message_never_quotes_the_token() -> None:
    site = "events {}\nhttp {\n    access_log logs/a.log elsewhere;\n    server { location /socket.io/ { proxy_pass http://app; } }\n}\n"
    assert lint_files({"nginx.conf": site, "client.ts": TS_CLIENT}, select=["PRX005"]).diagnostics == []
    found = lint_files({"nginx.conf": site.replace(" elsewhere", ""), "client.ts": TS_CLIENT}, select=["PRX005"]).diagnostics
    assert len(found) == 1 and "client.ts:2" in found[0].message
    assert "abc123secretvalue" not in found[0].message and found[0].related[0][0].relpath == "client.ts"


def test_a_credential_format_used_by_a_server_without_proxy_is_reported() -> None:
    site = ("events {}\nhttp {\n    log_format keys '$remote_addr $http_x_api_key $cookie_theme';\n"
            "    server { listen 80; access_log logs/a.log keys; root /srv; }\n}\n")
    found = lint_files({"nginx.conf": site}, select=["PRX005"]).diagnostics
    assert [d.message.split(" to the")[0] for d in found] == ["log_format `keys` writes `$http_x_api_key`"]
    assert fix_files({"nginx.conf": site}, select=["PRX005"])["nginx.conf"] == site.replace("$http_x_api_key", "-")
