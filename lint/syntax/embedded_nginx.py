"""nginx configuration that lives inside Kubernetes YAML, read as nginx (``lint/syntax/nginx.py``).

Three places hold it:

- a ConfigMap's (or Secret's) data key holding a whole file: ``nginx.conf: |``, ``default.conf: |``,
  any ``*.conf`` / ``*.conf.template`` / ``*.nginx`` key whose text looks like nginx (and not like a
  nats-server config, which ``lint/syntax/embedded.py`` reads);
- an Ingress annotation of ingress-nginx, ``nginx.ingress.kubernetes.io/configuration-snippet``
  (the body of each ``location`` the controller renders for the Ingress's paths) or
  ``.../server-snippet`` (the body of its ``server``), and NGINX Inc.'s controller's
  ``nginx.org/location-snippets`` / ``nginx.org/server-snippets``;
- the same keys under ``controller.config`` of the ingress-nginx Helm chart's values, which the
  chart renders into that ConfigMap;
- a controller's own ConfigMap keys: ingress-nginx's ``location-snippet``, ``server-snippet``,
  ``http-snippet``, ``stream-snippet``, ``main-snippet`` and NGINX Inc.'s plural ``*-snippets``
  (added to every location, every server, the http, stream or main block).

A snippet is a block's body, not a file: it is parsed as written and then wrapped, the way the
controller's template wraps it, in a synthetic ``http``, ``stream``, ``server`` or ``location <path>``
directive (one location per path of the Ingress; ``/`` when it names none, or for a controller's
ConfigMap). The synthetic directives have empty spans at the
snippet's first character, so findings about the location land on the annotation's first line.
ingress-nginx's template writes into every location, before the snippet, ``proxy_pass
http://upstream_balancer``, ``proxy_http_version 1.1``, ``proxy_set_header Upgrade
$http_upgrade``, ``proxy_set_header Connection $connection_upgrade`` and the read/send timeouts
(60 s, or the Ingress's ``proxy-read-timeout`` / ``proxy-send-timeout`` annotations): the synthetic
location carries them too, so rules see what the controller really serves (websockets upgrade by
default there). NGINX Inc.'s controller upgrades websockets only for the services its
``nginx.org/websocket-services`` annotation names: its locations carry the ``proxy_pass`` alone. They are written nowhere in the file: ``TEMPLATE`` marks them, and a fix never
inserts into such a location (the template would then hold the directive twice, which nginx refuses).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Iterator

from authlint.files.kinds import NGINX
from authlint.files.source import Span
from authlint.syntax.embedded import CONFIG_KINDS, Found, _decoded, _metadata_name, looks_like_nats_text, scalar_text
from authlint.syntax.nginx import Config, Directive, parse

if TYPE_CHECKING:
    import yaml

    from authlint.syntax.embedded import EmbeddedSource

FILE = "file"  # a whole nginx file (or a ``main-snippet``: directives of the main context)
HTTP = "http"  # the body of the http block
STREAM = "stream"  # the body of the stream block
SERVER = "server"  # the body of a server block
LOCATION = "location"  # the body of a location block
NGINX_KEY = re.compile(r"(?:^|[/._-])nginx(?:[._-][\w.-]*)?$|\.conf$|\.conf\.(?:template|tmpl|tpl)$|\.nginx$",
                       re.IGNORECASE)
ANNOTATIONS = {
    "nginx.ingress.kubernetes.io/configuration-snippet": LOCATION,
    "nginx.ingress.kubernetes.io/server-snippet": SERVER,
    "nginx.org/location-snippets": LOCATION,
    "nginx.org/server-snippets": SERVER,
}
# a controller's ConfigMap: snippets added to every location / server / the http, stream, main block
# (ingress-nginx's keys are singular, NGINX Inc.'s plural)
CONTROLLER_KEYS = {
    "location-snippet": LOCATION, "server-snippet": SERVER, "http-snippet": HTTP, "stream-snippet": STREAM,
    "main-snippet": FILE, "location-snippets": LOCATION, "server-snippets": SERVER, "http-snippets": HTTP,
    "stream-snippets": STREAM, "main-snippets": FILE,
}
NGINX_INC_UPSTREAM = "http://upstream"  # NGINX Inc.'s locations pass to an upstream named per service
TIMEOUT_ANNOTATIONS = {
    "proxy_read_timeout": "nginx.ingress.kubernetes.io/proxy-read-timeout",
    "proxy_send_timeout": "nginx.ingress.kubernetes.io/proxy-send-timeout",
}
INGRESS_NGINX_PREFIX = "nginx.ingress.kubernetes.io/"
TEMPLATE = "<ingress-nginx template>"  # the name given to a synthetic directive's origin in labels


@dataclass
class NginxFound(Found):
    """A scalar holding nginx configuration; ``role``: what it is the body of; ``paths``: the
    Ingress's paths (a location snippet is rendered in each); ``template``: the directives
    ingress-nginx's template writes into those locations before the snippet."""

    role: str = FILE
    paths: list[str] = field(default_factory=list)
    template: list[tuple[str, list[str]]] = field(default_factory=list)
    key: str = ""  # the data key, annotation or values key that holds it

    @property
    def named_nginx(self) -> bool:
        """Whether its place says nginx (a snippet key or annotation, a ``nginx*`` or
        ``default.conf`` key), not only its content: such a config that does not parse is reported,
        like a file named so (``classify.nginx_by_name``)."""
        return self.role != FILE or "nginx" in self.key.lower() or self.key.lower() == "default.conf" \
            or self.key in CONTROLLER_KEYS


def looks_like_nginx_text(text: str) -> bool:
    from authlint.files.classify import looks_like_nginx

    return looks_like_nginx(text.encode("utf-8", "surrogatepass"))


def find_nginx(documents: list) -> Iterator[NginxFound]:
    """The scalars of these YAML documents that hold nginx configuration (see the module doc)."""
    import yaml

    from authlint.syntax.yamlfile import mapping_items, walk

    seen: set[int] = set()
    for document in documents:
        for node in walk(document):
            if not isinstance(node, yaml.MappingNode):
                continue
            items = mapping_items(node)
            kind = scalar_text(items["kind"][1]) if "kind" in items else None
            if kind in CONFIG_KINDS:
                yield from _data_keys(items, kind, seen)
            elif kind == "Ingress":
                yield from _annotations(items, seen)
            elif kind is None and "controller" in items:
                yield from _chart_values(items["controller"][1], seen)


def _chart_values(controller: yaml.Node, seen: set[int]) -> Iterator[NginxFound]:
    """``controller.config`` of the ingress-nginx chart's values: the controller ConfigMap's data."""
    from authlint.syntax.yamlfile import mapping_items

    config = mapping_items(controller).get("config")
    for key, (_, value) in mapping_items(config[1]).items() if config is not None else ():
        role = CONTROLLER_KEYS.get(key)
        if role is None or key.endswith("snippets") or id(value) in seen or scalar_text(value) is None:
            continue
        seen.add(id(value))
        yield NginxFound(value, f"values controller.config key {key}", kind=NGINX, role=role,
                         paths=["/"] if role == LOCATION else [], template=_template({}) if role == LOCATION else [],
                         key=key)


def _data_keys(items: dict, kind: str, seen: set[int]) -> Iterator[NginxFound]:
    import yaml

    from authlint.syntax.yamlfile import mapping_items

    name = _metadata_name(items)
    for field_name in CONFIG_KINDS[kind]:
        data = items.get(field_name)
        if data is None or not isinstance(data[1], yaml.MappingNode):
            continue
        encoded = field_name in ("data", "binaryData") and kind == "Secret" or field_name == "binaryData"
        for key, (_, value) in mapping_items(data[1]).items():
            text = scalar_text(value)
            if text is None or id(value) in seen:
                continue
            plain = _decoded(text) if encoded else text
            if plain is None:
                continue
            role = CONTROLLER_KEYS.get(key) if kind == "ConfigMap" else None
            if role is None:
                if not NGINX_KEY.search(key) or not looks_like_nginx_text(plain) or looks_like_nats_text(key, plain):
                    continue
                role = FILE
            seen.add(id(value))
            label = f"{kind} {name}, {field_name} key {key}".replace("  ", " ")
            template = (_template({}) if key == "location-snippet" else [("proxy_pass", [NGINX_INC_UPSTREAM])]) \
                if role == LOCATION else []
            yield NginxFound(value, label, encoded, kind=NGINX, role=role, paths=["/"] if role == LOCATION else [],
                             template=template, key=key)


def _annotations(items: dict, seen: set[int]) -> Iterator[NginxFound]:
    from authlint.syntax.yamlfile import mapping_items

    metadata = items.get("metadata")
    annotations = mapping_items(mapping_items(metadata[1]).get("annotations", (None, None))[1]) if metadata else {}
    if not annotations:
        return
    name = _metadata_name(items)
    for key, role in ANNOTATIONS.items():
        entry = annotations.get(key)
        if entry is None or id(entry[1]) in seen or scalar_text(entry[1]) is None:
            continue
        seen.add(id(entry[1]))
        template = [] if role != LOCATION else _template(annotations) if key.startswith(INGRESS_NGINX_PREFIX) \
            else [("proxy_pass", [NGINX_INC_UPSTREAM])]
        yield NginxFound(entry[1], f"Ingress {name}, annotation {key}".replace("  ", " "), kind=NGINX, role=role,
                         paths=_paths(items) if role == LOCATION else [], template=template, key=key)


def _template(annotations: dict) -> list[tuple[str, list[str]]]:
    """What ingress-nginx's template writes into a location before its configuration-snippet
    (rootfs/etc/nginx/template/nginx.tmpl): the balancer, websocket upgrade, and the timeouts
    (``proxy-read-timeout: "3600"`` annotations are seconds)."""
    written: list[tuple[str, list[str]]] = [
        ("proxy_pass", ["http://upstream_balancer"]),
        ("proxy_http_version", ["1.1"]),
        ("proxy_set_header", ["Upgrade", "$http_upgrade"]),
        ("proxy_set_header", ["Connection", "$connection_upgrade"]),
    ]
    for directive, annotation in TIMEOUT_ANNOTATIONS.items():
        value = scalar_text(annotations[annotation][1]) if annotation in annotations else None
        seconds = value.strip() if value and value.strip().isdigit() else "60"
        written.append((directive, [f"{seconds}s"]))
    return written


def _paths(items: dict) -> list[str]:
    """The paths of an Ingress's rules (``spec.rules[].http.paths[].path``), each once; ``/``
    (a default backend) when it lists none."""
    from authlint.syntax.yamlfile import mapping_items

    found: list[str] = []
    spec = mapping_items(items["spec"][1]) if "spec" in items else {}
    for rule in getattr(spec.get("rules", (None, None))[1], "value", None) or []:
        http = mapping_items(rule).get("http")
        for entry in getattr(mapping_items(http[1]).get("paths", (None, None))[1], "value", None) or [] if http else []:
            path = mapping_items(entry).get("path")
            text = scalar_text(path[1]) if path is not None else None
            if text and text not in found:
                found.append(text)
    return found or ["/"]


# ------------------------------------------------------------------------------------ reading


def parse_embedded(source: EmbeddedSource, found: NginxFound) -> Config:
    """The nginx tree of an embedded config: a file as written; a snippet wrapped in the synthetic
    block(s) the controller renders around it."""
    config = parse(source.text)
    if found.role == FILE:
        return config
    text = source.text
    start = len(text) - len(text.lstrip())
    end = len(text.rstrip())
    if start >= end:  # an empty snippet adds nothing
        return config
    line = text.count("\n", 0, start) + 1
    here = Span(start, start)
    if found.role in (SERVER, HTTP, STREAM):
        config.directives = [_synthetic(found.role, [], here, line, config.directives, Span(start, end))]
        return config
    template = [_synthetic(name, args, here, line) for name, args in found.template]
    config.directives = [
        _synthetic("location", [path], here, line, [*template, *config.directives], Span(start, end))
        for path in found.paths or ["/"]
    ]
    return config


def _synthetic(name: str, args: list[str], at: Span, line: int, block: list[Directive] | None = None,
               body: Span | None = None) -> Directive:
    """A directive the controller writes, not the file: every span empty at ``at``."""
    return Directive(name=name, args=list(args), span=body or at, name_span=at, arg_spans=[at] * len(args),
                     quoted=[False] * len(args), block=block, body=body, line=line)
