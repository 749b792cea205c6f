"""nginx configuration inside Kubernetes YAML: which scalars hold it (ConfigMap keys, ingress-nginx
snippet annotations, the controller's ConfigMap), how a snippet is wrapped in the block the
controller renders around it, and where every directive is in the YAML file."""

from __future__ import annotations

import pytest

from authlint.files.source import Source, Span
from authlint.run.context import FileContext
from authlint.run.embedded_nginx import found_of, nginx_contexts
from authlint.syntax.embedded import ALIGNED, IN_PLACE, WHOLE
from authlint.syntax.embedded_nginx import HTTP, LOCATION, SERVER, STREAM, TEMPLATE
from authlint.syntax.errors import ParseError

SITE = """server {
    listen 80;
    location /socket.io/ {
        proxy_pass http://app:5000;
        add_header 'Access-Control-Allow-Origin' "*";
    }
}
"""
INGRESS = """apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: app
  annotations:
    nginx.ingress.kubernetes.io/proxy-read-timeout: "3600"
    nginx.ingress.kubernetes.io/configuration-snippet: |
      more_set_headers "X-Frame-Options: DENY";
      add_header Access-Control-Allow-Origin $http_origin;
    nginx.ingress.kubernetes.io/server-snippet: "location /health { return 200; }"
spec:
  rules:
    - host: example.com
      http:
        paths:
          - path: /socket.io/
            pathType: Prefix
            backend: {service: {name: app, port: {number: 5000}}}
          - path: /api
            pathType: Prefix
            backend: {service: {name: api, port: {number: 8000}}}
"""


def contexts(text: str, relpath: str = "k8s/web.yaml") -> list[FileContext]:
    return nginx_contexts(FileContext(Source.from_text(text, relpath, "yaml")))


def configmap(key: str, header: str, body: str, indent: str = "    ") -> str:
    lines = "".join(indent + line + "\n" if line else "\n" for line in body.splitlines())
    return f"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: web\ndata:\n  {key}: {header}\n{lines}"


def host_text(child: FileContext, span: Span) -> str:
    return child.source.host.slice(child.source.host_span(span))  # type: ignore[attr-defined]


def assert_positions(child: FileContext) -> int:
    """Every written directive's name and arguments, read back from the YAML file, are the text
    they name (quoted arguments with their quotes); returns how many were checked."""
    checked = 0
    for directive, _ in child.tree.walk():
        if directive.name_span.start == directive.name_span.end:
            continue  # a directive the controller writes around a snippet
        assert host_text(child, directive.name_span) == directive.name
        for value, span, quoted in zip(directive.args, directive.arg_spans, directive.quoted):
            written = host_text(child, span)
            assert (written[1:-1] if quoted else written) == value
        checked += 1
    return checked


@pytest.mark.parametrize("key", ["nginx.conf", "default.conf", "app.conf", "site.conf.template", "web.nginx"])
def test_configmap_keys_holding_nginx_are_read_in_place(key: str) -> None:
    text = configmap(key, "|", SITE)
    [child] = contexts(text)
    assert child.source.mode == IN_PLACE and child.source.kind == "nginx"  # type: ignore[attr-defined]
    assert child.source.label == f"ConfigMap `web`, data key {key}"  # type: ignore[attr-defined]
    assert found_of(child).role == "file"
    assert assert_positions(child) == 5
    proxy = next(d for d, _ in child.tree.walk() if d.name == "proxy_pass")
    line, column = child.source.position(proxy.name_span.start)
    assert (line, column) == (10, 13)  # the YAML file's own line and column


def test_other_keys_and_kinds_are_not_nginx() -> None:
    assert contexts(configmap("nats.conf", "|", "port: 4222\nauthorization { token: abc }\n")) == []
    assert contexts(configmap("notes.txt", "|", SITE)) == []  # not a config file name
    assert contexts(configmap("app.conf", "|", "[section]\nkey = value\n")) == []  # INI
    assert contexts(SITE.replace("server", "sever")) == []  # not even YAML that embeds
    deployment = "kind: Deployment\nmetadata:\n  annotations:\n    nginx.ingress.kubernetes.io/server-snippet: |\n" \
                 "      return 200;\n"
    assert contexts(deployment) == []  # snippet annotations count on Ingresses only


@pytest.mark.parametrize(
    ("text", "mode"),
    [
        (configmap("nginx.conf", ">", "events {}\n\nhttp { server { listen 80;\n  location / { proxy_pass http://app; } } }"),
         ALIGNED),
        ("kind: ConfigMap\nmetadata: {name: web}\ndata:\n  nginx.conf: 'events {} http { server { listen 80; "
         "location / { proxy_pass http://app; } } }'\n", ALIGNED),
        # escapes cannot be aligned character by character: every position is the scalar
        ('kind: ConfigMap\nmetadata: {name: web}\ndata:\n  nginx.conf: "events {}\\nhttp { server { listen 80; '
         'location / { proxy_pass http://app; } } }\\n"\n', WHOLE),
    ],
)
def test_other_scalar_styles_are_mapped_and_never_fixed_in_place(text: str, mode: str) -> None:
    [child] = contexts(text)
    assert child.source.mode == mode  # type: ignore[attr-defined]
    assert not child.source.fixable  # type: ignore[attr-defined]
    if mode == ALIGNED:
        assert assert_positions(child) == 6
    else:
        value = text.index('"events')
        assert child.source.host_span(Span(0, 6)) == Span(value, len(text) - 1)  # type: ignore[attr-defined]


def test_secret_base64_config_maps_to_the_value_as_a_whole() -> None:
    import base64

    encoded = base64.b64encode(SITE.encode()).decode()
    text = f"kind: Secret\nmetadata: {{name: web}}\ndata:\n  default.conf: {encoded}\n"
    [child] = contexts(text)
    assert child.source.mode == WHOLE  # type: ignore[attr-defined]
    value = text.index(encoded)
    assert child.source.host_span(Span(5, 9)) == Span(value, value + len(encoded))  # type: ignore[attr-defined]


def test_configuration_snippet_is_the_body_of_each_ingress_location() -> None:
    snippet, server = contexts(INGRESS)
    assert found_of(snippet).role == LOCATION and found_of(server).role == SERVER
    assert snippet.source.label == "Ingress `app`, annotation nginx.ingress.kubernetes.io/configuration-snippet"  # type: ignore[attr-defined]
    locations = snippet.tree.directives
    assert [(d.name, d.args) for d in locations] == [("location", ["/socket.io/"]), ("location", ["/api"])]
    body = [(d.name, d.args) for d in locations[0].block or []]
    assert body == [
        ("proxy_pass", ["http://upstream_balancer"]),
        ("proxy_http_version", ["1.1"]),
        ("proxy_set_header", ["Upgrade", "$http_upgrade"]),
        ("proxy_set_header", ["Connection", "$connection_upgrade"]),
        ("proxy_read_timeout", ["3600s"]),  # the Ingress's own annotation
        ("proxy_send_timeout", ["60s"]),  # ingress-nginx's default
        ("more_set_headers", ["X-Frame-Options: DENY"]),
        ("add_header", ["Access-Control-Allow-Origin", "$http_origin"]),
    ]
    # the synthetic location stands at the snippet's first character: its findings land there
    first = INGRESS.index("more_set_headers")
    assert snippet.source.host_span(locations[0].name_span) == Span(first, first)  # type: ignore[attr-defined]
    assert assert_positions(snippet) == 4  # two written directives, in each of the two locations
    assert snippet.source.position(locations[1].block[-1].name_span.start) == (9, 7)  # type: ignore[index]


def test_template_directives_are_marked_as_written_elsewhere() -> None:
    from authlint.facts.model import NginxProxy

    snippet = contexts(INGRESS)[0]
    proxies = [f for f in snippet.facts.items if isinstance(f, NginxProxy)]
    assert [p.location for p in proxies] == ["/socket.io/", "/api"]
    for proxy in proxies:
        assert proxy.setting("proxy_http_version").relpath == TEMPLATE
        assert proxy.setting("add_header").relpath == ""
        assert proxy.target == "http://upstream_balancer"


def test_server_snippet_is_the_body_of_a_server() -> None:
    server = contexts(INGRESS)[1]
    assert server.source.mode == ALIGNED  # type: ignore[attr-defined]
    [wrapper] = server.tree.directives
    assert wrapper.name == "server" and [d.name for d in wrapper.block or []] == ["location"]
    assert assert_positions(server) == 2


def test_controller_configmap_snippets() -> None:
    text = ("kind: ConfigMap\nmetadata: {name: ingress-nginx-controller}\ndata:\n"
            "  location-snippet: |\n    proxy_read_timeout 30s;\n"
            "  server-snippet: |\n    location /ws { proxy_pass http://ws:80; }\n"
            "  http-snippet: |\n    map $http_upgrade $connection_upgrade { default upgrade; '' close; }\n"
            "  use-forwarded-headers: \"true\"\n")
    found = {child.source.label.rsplit(" ", 1)[1]: found_of(child).role for child in contexts(text)}  # type: ignore[attr-defined]
    assert found == {"location-snippet": LOCATION, "server-snippet": SERVER, "http-snippet": HTTP}


def test_stream_snippets_are_stream_servers() -> None:
    """NGINX Inc.'s controller ConfigMap (``stream-snippets``): a TCP proxy, as for NATS ports."""
    from authlint.facts.model import NginxProxy

    text = ("kind: ConfigMap\nmetadata: {name: nginx-config}\ndata:\n  stream-snippets: |\n"
            "    server {\n        listen 4222;\n        proxy_pass nats:4222;\n        proxy_timeout 30s;\n    }\n")
    [child] = contexts(text)
    assert found_of(child).role == STREAM
    [proxy] = [f for f in child.facts.items if isinstance(f, NginxProxy)]
    assert (proxy.context, proxy.upstream, proxy.setting("proxy_timeout").args) == ("stream", "nats:4222", ["30s"])
    assert child.source.position(proxy.span.start) == (7, 9)  # type: ignore[attr-defined]


def test_a_broken_embedded_config_keeps_its_error_at_the_yaml_line() -> None:
    text = configmap("nginx.conf", "|", "events {}\nhttp {\n    server { listen 80; }\n")
    [child] = contexts(text)
    with pytest.raises(ParseError) as raised:
        _ = child.tree
    assert "expecting" in raised.value.message


def test_ingress_nginx_chart_values() -> None:
    """``controller.config`` of the ingress-nginx Helm chart: the controller ConfigMap's keys."""
    text = ("controller:\n  config:\n    use-forwarded-headers: \"true\"\n    http-snippet: |\n"
            "      server {\n        listen 2443;\n        return 308 https://$host$request_uri;\n      }\n")
    [child] = contexts(text, "deploy/values.yaml")
    assert found_of(child).role == HTTP
    assert child.source.label == "values controller.config key http-snippet"  # type: ignore[attr-defined]
    assert assert_positions(child) == 3
