"""A ``.conf`` is nginx, nats-server or neither by its content; nginx's folders and names say nginx."""

from __future__ import annotations

import pytest

from authlint.files.classify import classify, nginx_by_name

NGINX_SITE = b"server {\n    listen 80;\n    location / { proxy_pass http://app:8000; }\n}\n"
SNIPPET = b"proxy_set_header Host $host;\nproxy_http_version 1.1;\n"
NATS = b"port: 4222\nauthorization { token: $TOKEN }\n"


@pytest.mark.parametrize(
    ("name", "raw", "folder", "kind"),
    [
        ("nginx.conf", NGINX_SITE, "", "nginx"),
        ("app.conf", NGINX_SITE, "", "nginx"),
        ("default.conf.template", NGINX_SITE, "templates", "nginx"),
        ("site.nginx", b"", "", "nginx"),
        ("example.com", NGINX_SITE, "sites-available", "nginx"),
        ("default", SNIPPET, "sites-enabled", "nginx"),
        ("proxy.conf", SNIPPET, "snippets", "nginx"),
        ("nats.conf", NATS, "", "natsconf"),
        ("server.conf", NATS, "", "natsconf"),
        ("supervisord.conf", b"[program:app]\ncommand=python app.py\n", "", None),
        ("redis.conf", b"bind 127.0.0.1\nport 6379\n", "", None),
        ("README", b"some text;\n", "sites-available", None),
        ("notes.txt", NGINX_SITE, "", None),
    ],
)
def test_kind(name: str, raw: bytes, folder: str, kind: str | None) -> None:
    assert classify(name, raw, folder) == kind


def test_names_that_say_nginx() -> None:
    assert nginx_by_name("deploy/nginx.conf") and nginx_by_name("ops/nginx/app.conf")
    assert nginx_by_name("etc/sites-available/example.com")
    assert not nginx_by_name("app/site.conf")
