"""Includes joined from the project: snippets add their directives where they are included, and a
fragment inherits what its including block has in effect; what the project lacks stays unresolved."""

from __future__ import annotations

from authlint.facts.model import NginxProxy
from authlint.facts.nginx.includes import in_effect, matches
from authlint.files.source import Source
from authlint.run.context import FileContext, Project

MAIN = """events {}
http {
    proxy_http_version 1.1;
    proxy_read_timeout 30s;
    include conf.d/*.conf;
}
"""
FRAGMENT = """server {
    listen 80;
    location /socket.io/ {
        include snippets/websocket.conf;
        include proxy_params;
        proxy_pass http://app:5000;
    }
}
"""
SNIPPET = """proxy_set_header Upgrade $http_upgrade;
proxy_set_header Connection "upgrade";
proxy_read_timeout 10s;
"""


def project(files: dict[str, str]) -> Project:
    return Project([FileContext(Source.from_text(text, path, "nginx")) for path, text in files.items()])


def test_pattern_matching_by_the_last_two_components() -> None:
    assert matches("conf.d/*.conf", "deploy/nginx/conf.d/app.conf")
    assert matches("/etc/nginx/conf.d/*.conf", "nginx/conf.d/app.conf")
    assert matches("proxy_params", "nginx/proxy_params")
    assert not matches("conf.d/*.conf", "deploy/nginx/sites/app.conf")


def test_snippets_and_the_includer_join() -> None:
    joined = project({"nginx/nginx.conf": MAIN, "nginx/conf.d/app.conf": FRAGMENT,
                      "nginx/snippets/websocket.conf": SNIPPET})
    proxy = next(joined.facts(NginxProxy))
    effect = in_effect(joined, proxy)
    assert [d.args for d in effect.settings["proxy_set_header"]] == [["Upgrade", "$http_upgrade"], ["Connection", "upgrade"]]
    assert effect.settings["proxy_set_header"][0].relpath == "nginx/snippets/websocket.conf"
    # the snippet writes the timeout inside the location: it replaces the http block's 30s
    assert effect.setting("proxy_read_timeout").args == ["10s"]
    assert in_effect(project({"nginx/nginx.conf": MAIN, "nginx/conf.d/app.conf": FRAGMENT}),
                     proxy).setting("proxy_read_timeout").args == ["30s"]
    assert effect.setting("proxy_http_version").args == ["1.1"]  # from the http block that includes the fragment
    assert effect.setting("proxy_http_version").relpath == "nginx/nginx.conf"
    assert effect.unresolved == ["proxy_params"]


def test_without_the_project_nothing_is_invented() -> None:
    alone = project({"nginx/conf.d/app.conf": FRAGMENT})
    effect = in_effect(alone, next(alone.facts(NginxProxy)))
    assert effect.setting("proxy_http_version") is None
    assert effect.unresolved == ["snippets/websocket.conf", "proxy_params"]
