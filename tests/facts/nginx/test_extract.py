"""nginx facts: proxied locations with the directives nginx applies there (its inheritance rule),
upstreams, maps, includes, and where a fix inserts a directive."""

from __future__ import annotations

from authlint.facts.model import NginxInclude, NginxMap, NginxProxy, NginxUpstream
from authlint.files.source import Source
from authlint.run.context import FileContext

CONFIG = """events {}
http {
    proxy_http_version 1.1;
    proxy_set_header Host $host;
    map $http_upgrade $connection_upgrade { default upgrade; '' close; }
    upstream app { server 127.0.0.1:5000; server 127.0.0.1:5001; }
    include conf.d/*.conf;
    server {
        listen 80;
        server_name example.com;
        location /socket.io/ {
            proxy_pass http://app;
            proxy_set_header Upgrade $http_upgrade;
            if ($request_method = OPTIONS) { add_header Access-Control-Allow-Origin *; }
        }
        location / { proxy_pass http://127.0.0.1:8000/; }
    }
}
stream { server { listen 4222; proxy_pass nats:4222; proxy_timeout 30s; } }
"""


def facts(text: str, relpath: str = "nginx.conf") -> list:
    return FileContext(Source.from_text(text, relpath, "nginx")).facts.items


def test_proxies_with_inherited_settings() -> None:
    found = [f for f in facts(CONFIG) if isinstance(f, NginxProxy)]
    socket, root, stream = found
    assert (socket.location, socket.upstream, socket.context) == ("/socket.io/", "app", "http")
    # the location's own proxy_set_header replaces the http block's (nginx's rule for arrays too)
    assert [d.args for d in socket.settings["proxy_set_header"]] == [["Upgrade", "$http_upgrade"]]
    assert socket.setting("proxy_http_version").args == ["1.1"]
    assert socket.setting("proxy_http_version").inherited
    assert not socket.setting("proxy_pass").inherited
    assert [d.args for d in socket.conditional] == [["Access-Control-Allow-Origin", "*"]]
    assert root.settings["proxy_set_header"][0].args == ["Host", "$host"]
    assert root.upstream == "127.0.0.1:8000" and root.indent == " "
    assert (stream.context, stream.upstream, stream.setting("proxy_timeout").args) == ("stream", "nats:4222", ["30s"])
    assert socket.server_names == ["example.com"] and socket.listens == ["80"]


def test_insertion_point_is_the_end_of_the_last_line() -> None:
    socket = next(f for f in facts(CONFIG) if isinstance(f, NginxProxy))
    line_end = CONFIG.index("\n", CONFIG.index("if ($request_method"))
    assert socket.insert_at == line_end and socket.indent == " " * 12


def test_upstreams_maps_and_includes() -> None:
    found = facts(CONFIG)
    upstream = next(f for f in found if isinstance(f, NginxUpstream))
    assert upstream.name == "app" and len(upstream.servers) == 2 and upstream.balancing == []
    mapped = next(f for f in found if isinstance(f, NginxMap))
    assert (mapped.source_var, mapped.variable) == ("$http_upgrade", "$connection_upgrade")
    assert [(e.key, e.value) for e in mapped.entries] == [("default", "upgrade"), ("", "close")]
    include = next(f for f in found if isinstance(f, NginxInclude))
    assert include.pattern == "conf.d/*.conf" and include.context == "http"
    assert include.settings["proxy_http_version"][0].args == ["1.1"]


def test_a_fragment_knows_it_is_one() -> None:
    fragment = "server {\n    listen 80;\n    location /ws { proxy_pass http://app; }\n}\n"
    proxy = next(f for f in facts(fragment, "conf.d/app.conf") if isinstance(f, NginxProxy))
    assert proxy.fragment and proxy.context == "http"
    tcp = "server { listen 4222; proxy_pass nats:4222; }\n"
    assert next(f for f in facts(tcp, "conf.d/nats.conf") if isinstance(f, NginxProxy)).context == "stream"
