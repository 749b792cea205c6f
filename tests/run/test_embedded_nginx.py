"""The nginx rules on nginx configuration embedded in YAML: findings at the YAML line, fixes written
into a literal block scalar (and accepted by the real ``nginx -t`` once the config is read back out
of the fixed YAML), display-only in other scalar styles and for insertions into a location snippet;
the embedded proxies as facts of the YAML file, for the project rules.

Two nginx rules of this module's own stand for the proxy family's (a fix that replaces an argument,
one that inserts a directive), so the machinery is tested whatever rules are selected."""

from __future__ import annotations

from pathlib import Path
from typing import Iterable

import yaml

from authlint.diagnostics.diagnostic import Applicability, Fix, FixAvailability
from authlint.diagnostics.fix import apply_edits
from authlint.facts.model import NginxProxy
from authlint.files.kinds import NGINX
from authlint.files.source import Source
from authlint.rule import Rule
from authlint.rules.kit.directives import insert_directives, replace_argument
from authlint.run.context import FileContext
from authlint.run.engine import Linter
from authlint.testing import make_settings
from tests.nginx_server import check_config, http_preamble, main_preamble, needs_nginx


class WildcardOrigin(Rule):
    """
    ## What it does
    Test double: a proxied location that adds `Access-Control-Allow-Origin *`.

    ## Why is this bad?
    Only the embedded-nginx tests use it.

    ## Example
    `add_header Access-Control-Allow-Origin *;`

    ## Fix safety
    Safe: names the one allowed origin.
    """

    code = "TST950"
    name = "test-wildcard-origin"
    summary = "test rule"
    kinds = frozenset({NGINX})
    fix_availability = FixAvailability.ALWAYS

    def check(self, ctx: FileContext) -> Iterable:
        for proxy in ctx.of(NginxProxy):
            for header in proxy.settings.get("add_header", []):
                if header.args[:2] == ["Access-Control-Allow-Origin", "*"] and not header.relpath:
                    edit = replace_argument(ctx.source, header, 1, "https://app.example.com")
                    yield self.diagnostic(ctx, header.span, "wildcard origin", Fix.safe("name the origin", edit))


class NoBuffering(Rule):
    """
    ## What it does
    Test double: a proxied location without `proxy_buffering`.

    ## Why is this bad?
    Only the embedded-nginx tests use it.

    ## Example
    `location / { proxy_pass http://app; }`

    ## Fix safety
    Safe: adds `proxy_buffering off;`.
    """

    code = "TST951"
    name = "test-no-buffering"
    summary = "test rule"
    kinds = frozenset({NGINX})
    fix_availability = FixAvailability.SOMETIMES

    def check(self, ctx: FileContext) -> Iterable:
        for proxy in ctx.of(NginxProxy):
            if proxy.setting("proxy_buffering") is None:
                edit = insert_directives(ctx.source, proxy, [("proxy_buffering", ["off"])])
                fix = Fix.safe("turn buffering off", edit) if edit is not None else None
                yield self.diagnostic(ctx, proxy.span, "buffering on", fix)


CONFIGMAP = """apiVersion: v1
kind: ConfigMap
metadata:
  name: web
data:
  nginx.conf: |
    events {}
    http {
        server {
            listen 8080;
            location /socket.io/ {
                proxy_pass http://127.0.0.1:5000;
                add_header Access-Control-Allow-Origin *;
            }
        }
    }
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: app
  annotations:
    nginx.ingress.kubernetes.io/configuration-snippet: |
      add_header Access-Control-Allow-Origin *;
spec:
  rules:
    - http:
        paths:
          - {path: /socket.io/, pathType: Prefix, backend: {service: {name: app, port: {number: 5000}}}}
          - {path: /api, pathType: Prefix, backend: {service: {name: app, port: {number: 5000}}}}
"""


def check(text: str, tmp_path: Path, relpath: str = "k8s/web.yaml") -> list:
    path = tmp_path / relpath
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    linter = Linter(make_settings(tmp_path), rules=[WildcardOrigin(), NoBuffering()])
    ctx = linter.load(path, relpath)
    assert isinstance(ctx, FileContext)
    return sorted(linter.check([ctx]).diagnostics, key=lambda d: (d.span.start, d.code))


def where(diag) -> tuple[int, int, str]:
    line, column = diag.source.position(diag.span.start)
    return line, column, diag.code


def test_findings_are_at_their_yaml_line(tmp_path: Path) -> None:
    found = check(CONFIGMAP, tmp_path)
    assert [where(d) for d in found] == [
        (12, 17, "TST951"),  # the ConfigMap's proxy_pass
        (13, 17, "TST950"),  # its add_header
        (24, 7, "TST950"),  # the snippet's add_header
        (24, 7, "TST951"),  # the snippet's location (once for both paths): at its first character
    ]
    assert all(d.source.relpath == "k8s/web.yaml" for d in found)


def test_fixes_apply_in_literal_blocks_and_insertions_into_a_snippet_are_only_shown(tmp_path: Path) -> None:
    found = check(CONFIGMAP, tmp_path)
    kinds = [(d.code, d.fix.applicability if d.fix else None) for d in found]
    assert kinds == [
        ("TST951", Applicability.SAFE),
        ("TST950", Applicability.SAFE),
        ("TST950", Applicability.SAFE),  # replacing written text is fine in a snippet
        ("TST951", Applicability.DISPLAY_ONLY),  # inserting is not: the template writes that location too
    ]
    edits = [e for d in found if d.fix and d.fix.applicability == Applicability.SAFE for e in d.fix.edits]
    fixed = apply_edits(CONFIGMAP, edits)
    documents = list(yaml.safe_load_all(fixed))
    config = documents[0]["data"]["nginx.conf"]
    assert "add_header Access-Control-Allow-Origin https://app.example.com;" in config
    assert "\n            proxy_buffering off;\n        }" in config  # at the block's indent, inside the scalar
    snippet = documents[1]["metadata"]["annotations"]["nginx.ingress.kubernetes.io/configuration-snippet"]
    assert snippet == "add_header Access-Control-Allow-Origin https://app.example.com;\n"
    assert [where(d) for d in check(fixed, tmp_path)] == [(25, 7, "TST951")]  # only the shown one is left (a line lower)


@needs_nginx[0]
def test_the_fixed_configmap_config_passes_nginx_t(tmp_path: Path) -> None:
    found = check(CONFIGMAP, tmp_path)
    edits = [e for d in found[:2] for e in d.fix.edits]  # the ConfigMap's two fixes
    config = yaml.safe_load_all(apply_edits(CONFIGMAP, edits)).__next__()["data"]["nginx.conf"]
    prefix = tmp_path / "prefix"
    prefix.mkdir()
    runnable = config.replace("events {}", main_preamble(prefix) + "\nevents {}").replace(
        "http {", "http {\n" + http_preamble(prefix), 1)
    target = tmp_path / "nginx.conf"
    target.write_text(runnable)
    accepted, said = check_config(target)
    assert accepted, said


def test_folded_configs_get_display_only_fixes(tmp_path: Path) -> None:
    folded = ("kind: ConfigMap\nmetadata: {name: web}\ndata:\n  nginx.conf: >\n    events {}\n\n"
              "    http { server { location / {\n    proxy_pass http://app; add_header Access-Control-Allow-Origin *; } } }\n")
    found = check(folded, tmp_path)
    assert [d.code for d in found] == ["TST951", "TST950"]
    assert all(d.fix is not None and d.fix.applicability == Applicability.DISPLAY_ONLY for d in found)
    assert folded[found[1].span.start:found[1].span.end].startswith("add_header")


def test_an_unparsable_embedded_config_is_e001_at_its_line(tmp_path: Path) -> None:
    broken = "kind: ConfigMap\nmetadata: {name: web}\ndata:\n  nginx.conf: |\n    events {}\n    http {\n" \
             "      server { listen 80; }}}\n"
    path = tmp_path / "k8s" / "cm.yaml"
    path.parent.mkdir()
    path.write_text(broken)
    linter = Linter(make_settings(tmp_path), rules=None)
    ctx = linter.load(path, "k8s/cm.yaml")
    found = [d for d in linter.check([ctx]).diagnostics if d.code == "E001"]
    assert [(where(d), d.message) for d in found] == [
        ((7, 1, "E001"), 'cannot parse: nginx config in ConfigMap `web`, data key nginx.conf: nginx: unexpected "}"')]


def test_embedded_proxies_are_facts_of_the_yaml_file() -> None:
    ctx = FileContext(Source.from_text(CONFIGMAP, "k8s/web.yaml", "yaml"))
    proxies = list(ctx.of(NginxProxy))
    assert [(p.location, p.target) for p in proxies] == [
        ("/socket.io/", "http://127.0.0.1:5000"), ("/socket.io/", "http://upstream_balancer"),
        ("/api", "http://upstream_balancer")]
    first = proxies[0]
    assert first.source.relpath == "k8s/web.yaml"
    assert CONFIGMAP[first.span.start : first.span.end] == "proxy_pass http://127.0.0.1:5000;"
    assert first.insert_at is not None and CONFIGMAP[first.insert_at] == "\n"
    header = first.setting("add_header")
    assert CONFIGMAP[header.arg_spans[1].start : header.arg_spans[1].end] == "*"
    assert all(p.insert_at is None for p in proxies[1:])  # location snippets: never inserted into


class ProjectWildcard(Rule):
    """
    ## What it does
    Test double: the project-rule twin of TST950, on the facts the YAML file carries.

    ## Why is this bad?
    Only the embedded-nginx tests use it.

    ## Example
    `add_header Access-Control-Allow-Origin *;`

    ## Fix safety
    Safe: names the one allowed origin.
    """

    code = "TST952"
    name = "test-project-wildcard"
    summary = "test rule"
    kinds = frozenset({NGINX, "yaml"})
    project_rule = True
    fix_availability = FixAvailability.ALWAYS

    def check_project(self, project) -> Iterable:
        for proxy in project.facts(NginxProxy):
            for header in proxy.settings.get("add_header", []):
                if header.args[:2] == ["Access-Control-Allow-Origin", "*"] and not header.relpath:
                    edit = replace_argument(proxy.source, header, 1, "https://app.example.com")
                    yield self.diagnostic(proxy.source, header.span, "wildcard origin", Fix.safe("name it", edit))


def test_project_rules_fix_embedded_nginx_only_where_it_is_written_as_nginx(tmp_path: Path) -> None:
    folded = ("---\nkind: ConfigMap\nmetadata: {name: folded}\ndata:\n  nginx.conf: >\n    events {}\n\n"
              "    http { server { location / {\n    proxy_pass http://app; add_header Access-Control-Allow-Origin *; } } }\n")
    text = CONFIGMAP + folded
    path = tmp_path / "k8s" / "all.yaml"
    path.parent.mkdir()
    path.write_text(text)
    linter = Linter(make_settings(tmp_path), rules=[ProjectWildcard()])
    ctx = linter.load(path, "k8s/all.yaml")
    found = sorted(linter.check([ctx]).diagnostics, key=lambda d: d.span.start)
    assert [(where(d)[0], d.fix.applicability) for d in found] == [
        (13, Applicability.SAFE),  # the ConfigMap's literal block
        (24, Applicability.SAFE),  # the snippet: a replacement of written text
        (39, Applicability.DISPLAY_ONLY),  # the folded value
    ]


def test_a_conf_key_that_only_looked_like_nginx_is_not_reported(tmp_path: Path) -> None:
    """As for files: a ``*.conf`` key chosen by its content alone that nginx's syntax refuses is not
    nginx after all; a key named for nginx (or a snippet) is reported."""
    body = "    server { listen 80; }}\n"
    for key, reported in (("app.conf", False), ("nginx-site.conf", True), ("default.conf", True)):
        text = f"kind: ConfigMap\nmetadata: {{name: web}}\ndata:\n  {key}: |\n{body}"
        path = tmp_path / key / "cm.yaml"
        path.parent.mkdir()
        path.write_text(text)
        linter = Linter(make_settings(tmp_path), rules=None)
        ctx = linter.load(path, f"{key}/cm.yaml")
        codes = [d.code for d in linter.check([ctx]).diagnostics]
        assert codes == (["E001"] if reported else []), key
