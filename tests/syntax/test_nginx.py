"""The nginx reader: crossplane's tokens laid onto the text (every span is the text it names),
the tree crossplane builds, and the syntax errors nginx refuses."""

from __future__ import annotations

import pytest

from authlint.files.source import Source
from authlint.syntax.errors import ParseError
from authlint.syntax.nginx import parse, parse_source

CONFIG = """# main
user nginx;
events { worker_connections 1024; }
http {
    map $http_upgrade $connection_upgrade { default upgrade; '' close; }
    server {
        listen 80;
        location /socket.io/ {  # the websocket endpoint
            proxy_pass http://app;
            if ($http_origin ~* "^https://(.*\\.)?example\\.com$") { set $cors $http_origin; }
            add_header 'Access-Control-Allow-Origin' "$cors" always;
            proxy_set_header "X-Quote\\"d" 'a b';
        }
    }
}
"""


def test_spans_cover_what_they_name() -> None:
    config = parse(CONFIG)
    seen = 0
    for directive, _ in config.walk():
        seen += 1
        assert CONFIG[directive.name_span.start : directive.name_span.end].strip("'\"") == directive.name
        assert CONFIG[directive.span.start : directive.span.end].endswith((";", "}"))
        for arg, span, quoted in zip(directive.args, directive.arg_spans, directive.quoted):
            written = CONFIG[span.start : span.end]
            if quoted:
                assert written[0] == written[-1] and written[0] in "'\""
            else:
                assert written == arg
    assert seen == 15
    assert [CONFIG[s.start : s.end] for s in config.comments] == ["# main", "# the websocket endpoint"]


def test_if_loses_its_parentheses_as_in_crossplane() -> None:
    found = {d.name: d for d, _ in parse(CONFIG).walk()}
    assert found["if"].args == ["$http_origin", "~*", "^https://(.*\\.)?example\\.com$"]
    assert found["proxy_set_header"].args == ['X-Quote"d', "a b"]
    location = found["location"]
    assert location.body is not None and CONFIG[location.span.end - 1] == "}"
    assert [d.name for d in location.block or []] == ["proxy_pass", "if", "add_header", "proxy_set_header"]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("http { server { listen 80; }", 'expecting "}"'),
        ("http { listen 80 }", 'not terminated by ";"'),
        ("listen 80; }", 'unexpected "}"'),
        ("server_name 'open;", "not terminated|quoted string"),
    ],
)
def test_syntax_errors(text: str, message: str) -> None:
    with pytest.raises(ParseError, match=message):
        parse(text)


def test_a_conf_chosen_by_content_is_foreign_when_rejected() -> None:
    broken = "server { listen 80;\n"
    with pytest.raises(ParseError) as by_content:
        parse_source(Source.from_text(broken, "app/site.conf", "nginx"))
    assert by_content.value.foreign
    with pytest.raises(ParseError) as by_name:
        parse_source(Source.from_text(broken, "deploy/nginx.conf", "nginx"))
    assert not by_name.value.foreign
    with pytest.raises(ParseError) as in_folder:
        parse_source(Source.from_text(broken, "sites-available/default", "nginx"))
    assert not in_folder.value.foreign


def test_templates_keep_expansions() -> None:
    config = parse("server { listen ${NGINX_PORT}; server_name ${NGINX_HOST}; }")
    found = {d.name: d.args for d, _ in config.walk()}
    assert found["listen"] == ["${NGINX_PORT}"] and found["server_name"] == ["${NGINX_HOST}"]
