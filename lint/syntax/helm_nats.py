"""The nats-server config the official NATS Helm chart (nats-io/k8s ``helm/charts/nats``, the 1.x
layout: a ``config:`` tree) renders from a values file, with where each part of it comes from.

Mirrors the chart at nats-io/k8s commit 957650fba03e2e6ad8b5d54d66358f67a431157b (Apache-2.0;
``files/config/*.yaml``, ``templates/_helpers.tpl``: ``nats.loadMergePatch``, ``nats.formatConfig``):

- ``config.yaml`` writes ``server_name: $SERVER_NAME``, the lame-duck settings, ``pid_file``, the
  client ``port`` (and ``tls``), then one block per enabled ``leafnodes``, ``websocket``, ``mqtt``,
  ``cluster`` (``routes`` to every replica, ``authorization`` from ``routeURLs``), ``gateway``,
  ``http_port``/``https_port`` (``monitor``, on by default), ``prof_port``, ``jetstream``
  (``store_dir``, ``max_file_store`` from the PVC size) and ``resolver``;
- each block is deep-merged with its ``merge:`` (sprig ``mergeOverwrite``) and then JSON-patched
  with its ``patch:``; the whole config last, with
  ``config.merge``/``config.patch``;
- the result is written as indented JSON with sorted keys (``toPrettyJson``), a string
  ``"<< X >>"`` written bare (``$VAR``, ``10Gi``) and a ``…$include`` key as ``include X;``.

The text is nats-server's reading; each of its characters maps to the values-file node that
decided it (a value you wrote, a ``merge:`` entry, a ``patch:`` item), or to the block's
``enabled`` switch / the ``config:`` key for what the chart writes itself. Fixes are display-only:
the values file is not the config.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Iterator

from authlint.files.source import Source, Span
from authlint.syntax.embedded import FROM_CLUSTER

if TYPE_CHECKING:
    import yaml

    from authlint.syntax.embedded import EmbeddedSource

CHART_COMMIT = "957650fba03e2e6ad8b5d54d66358f67a431157b"
BLOCKS = ("nats", "cluster", "jetstream", "leafnodes", "websocket", "mqtt", "gateway", "monitor", "resolver")
# top-level keys only the chart's values have (next to ``config:``)
CHART_KEYS = frozenset({"natsBox", "reloader", "promExporter"})
UNQUOTE = re.compile(r"^<<\s+(.*?)\s+>>$", re.DOTALL)
POD = "nats-0"  # the first pod's name, what ``$(POD_NAME)`` is in the StatefulSet


def _tls(directory: str) -> dict[str, Any]:
    return {"enabled": False, "secretName": None, "dir": directory, "cert": "tls.crt", "key": "tls.key",
            "merge": {}, "patch": []}


# the chart's values.yaml defaults for what ``config.yaml`` reads
DEFAULTS: dict[str, Any] = {
    "cluster": {"enabled": False, "port": 6222, "replicas": 3, "noAdvertise": True,
                "routeURLs": {"user": None, "password": None, "useFQDN": False, "k8sClusterDomain": "cluster.local"},
                "tls": _tls("/etc/nats-certs/cluster"), "merge": {}, "patch": []},
    "jetstream": {"enabled": False,
                  "fileStore": {"enabled": True, "dir": "/data", "pvc": {"enabled": True, "size": "10Gi"}, "maxSize": None},
                  "memoryStore": {"enabled": False, "maxSize": "1Gi"}, "merge": {}, "patch": []},
    "nats": {"port": 4222, "tls": _tls("/etc/nats-certs/nats")},
    "leafnodes": {"enabled": False, "port": 7422, "tls": _tls("/etc/nats-certs/leafnodes"), "merge": {}, "patch": []},
    "websocket": {"enabled": False, "port": 8080, "tls": _tls("/etc/nats-certs/websocket"), "merge": {}, "patch": []},
    "mqtt": {"enabled": False, "port": 1883, "tls": _tls("/etc/nats-certs/mqtt"), "merge": {}, "patch": []},
    "gateway": {"enabled": False, "port": 7222, "tls": _tls("/etc/nats-certs/gateway"), "merge": {}, "patch": []},
    "monitor": {"enabled": True, "port": 8222, "tls": {"enabled": False}},
    "profiling": {"enabled": False, "port": 65432},
    "resolver": {"enabled": False, "dir": "/data/resolver", "merge": {}, "patch": []},
    "serverNamePrefix": "",
    "merge": {},
    "patch": [],
}


@dataclass
class R:
    """A rendered value and the values-file characters that decided it (``key``: its key's)."""

    value: Any  # dict[str, R] | list[R] | scalar
    span: Span
    key: Span | None = None


@dataclass
class Values:
    """A node of the values file with the chart's defaults under it."""

    node: Any  # yaml.Node | None
    default: Any
    span: Span  # where a default under it is attributed: its key (``config:`` for the chart's own)
    constructed: dict = field(default_factory=dict)

    def child(self, name: str) -> Values:
        from authlint.syntax.yamlfile import mapping_items

        default = self.default.get(name) if isinstance(self.default, dict) else None
        items = mapping_items(self.node) if self.node is not None else {}
        if name in items:
            key, value = items[name]
            return Values(value, default, Span(key.start_mark.index, key.end_mark.index))
        return Values(None, default, self.span)

    def get(self, *path: str) -> Any:
        """The plain value (written, else the default)."""
        node = self
        for name in path:
            node = node.child(name)
        if node.node is None:
            return node.default
        return _construct(node.node)

    def r(self, *path: str) -> R:
        node = self
        for name in path:
            node = node.child(name)
        if node.node is None:
            return R(node.default, node.span)
        return from_node(node.node)


def _construct(node: yaml.Node) -> Any:
    import yaml

    constructor = yaml.constructor.SafeConstructor()
    try:
        return constructor.construct_object(node, deep=True)
    except yaml.YAMLError:
        return None


def from_node(node: yaml.Node, key: Span | None = None) -> R:
    import yaml

    span = Span(node.start_mark.index, node.end_mark.index)
    if isinstance(node, yaml.MappingNode):
        items = {}
        for k, v in node.value:
            if isinstance(k, yaml.ScalarNode):
                items[str(k.value)] = from_node(v, Span(k.start_mark.index, k.end_mark.index))
        return R(items, span, key)
    if isinstance(node, yaml.SequenceNode):
        return R([from_node(item) for item in node.value], span, key)
    return R(_construct(node), span, key)


def lift(value: Any, span: Span) -> R:
    """A plain value (a default) as a rendered one, all of it attributed to ``span``."""
    if isinstance(value, R):
        return value
    if isinstance(value, dict):
        return R({k: lift(v, span) for k, v in value.items()}, span)
    if isinstance(value, list):
        return R([lift(v, span) for v in value], span)
    return R(value, span)


# ------------------------------------------------------------------------------- merge and patch


def merge_overwrite(dst: R, src: R) -> R:
    """sprig ``mergeOverwrite`` (mergo with override) on maps: maps merge deeply, any other value
    of the source replaces the destination's, ``false`` and ``0`` included (the chart's tests:
    ``merge: {no_advertise: false}`` turns it off); a null does not."""
    if not isinstance(dst.value, dict) or not isinstance(src.value, dict):
        return dst if src.value is None else src
    merged = dict(dst.value)
    for name, value in src.value.items():
        if name in merged and isinstance(merged[name].value, dict) and isinstance(value.value, dict):
            merged[name] = merge_overwrite(merged[name], value)
        elif name not in merged or value.value is not None:
            merged[name] = value
    return R(merged, dst.span, dst.key)


def _plain(r: R) -> Any:
    if isinstance(r.value, dict):
        return {k: _plain(v) for k, v in r.value.items()}
    if isinstance(r.value, list):
        return [_plain(v) for v in r.value]
    return r.value


def json_patch(doc: R, patch: R) -> R:
    """RFC 6902 ``add``/``replace``/``remove``/``copy``/``move`` on the rendered tree (``test`` is
    not checked); a path that does not resolve leaves the document as it is."""
    if not isinstance(patch.value, list):
        return doc
    for item in patch.value:
        if not isinstance(item.value, dict):
            continue
        op = _plain(item.value.get("op", R(None, item.span)))
        path = _plain(item.value.get("path", R(None, item.span)))
        if not isinstance(path, str):
            continue
        if op in ("add", "replace") and "value" in item.value:
            _set(doc, path, item.value["value"], op)
        elif op == "remove":
            _remove(doc, path)
        elif op in ("copy", "move") and isinstance(_plain(item.value.get("from", R(None, item.span))), str):
            source = _lookup(doc, _plain(item.value["from"]))
            if source is not None:
                if op == "move":
                    _remove(doc, _plain(item.value["from"]))
                _set(doc, path, source, "add")
    return doc


def _pointer(path: str) -> list[str]:
    return [part.replace("~1", "/").replace("~0", "~") for part in path.split("/")[1:]]


def _lookup(doc: R, path: str) -> R | None:
    node: R | None = doc
    for part in _pointer(path):
        if node is None:
            return None
        if isinstance(node.value, dict):
            node = node.value.get(part)
        elif isinstance(node.value, list) and part.isdigit() and int(part) < len(node.value):
            node = node.value[int(part)]
        else:
            return None
    return node


def _set(doc: R, path: str, value: R, op: str) -> None:
    parts = _pointer(path)
    if not parts:
        return
    parent = _lookup(doc, "/" + "/".join(p.replace("~", "~0").replace("/", "~1") for p in parts[:-1])) if len(
        parts) > 1 else doc
    if parent is None:
        return
    last = parts[-1]
    if isinstance(parent.value, dict):
        if op == "replace" and last not in parent.value:
            return
        parent.value[last] = value
    elif isinstance(parent.value, list):
        if last == "-":
            parent.value.append(value)
        elif last.isdigit() and int(last) <= len(parent.value):
            if op == "replace" and int(last) < len(parent.value):
                parent.value[int(last)] = value
            elif op == "add":
                parent.value.insert(int(last), value)


def _remove(doc: R, path: str) -> None:
    parts = _pointer(path)
    parent = _lookup(doc, "/" + "/".join(parts[:-1])) if len(parts) > 1 else doc
    if parent is None or not parts:
        return
    if isinstance(parent.value, dict):
        parent.value.pop(parts[-1], None)
    elif isinstance(parent.value, list) and parts[-1].isdigit() and int(parts[-1]) < len(parent.value):
        parent.value.pop(int(parts[-1]))


def load_merge_patch(doc: dict[str, R], block: Values, span: Span) -> R:
    """``nats.loadMergePatch``: the template's document, its block's ``merge:`` then ``patch:``."""
    rendered = R(dict(doc), span)
    merge = block.child("merge")
    if merge.node is not None:
        rendered = merge_overwrite(rendered, from_node(merge.node))
    patch = block.child("patch")
    if patch.node is not None:
        rendered = json_patch(rendered, from_node(patch.node))
    return rendered


# ------------------------------------------------------------------------------------- render


def chart_values(relpath: str, document: yaml.Node, named: bool = False) -> Values | None:
    """The document as the NATS chart's values, when it is: a ``config:`` map with the chart's
    blocks, next to keys only the chart has (``natsBox``, ``reloader``, ``promExporter``), an image
    named ``nats``, or in a file whose path names NATS. Values of another chart that happen to
    have ``config.cluster`` are not read. ``named``: the map is the values of a subchart called
    ``nats`` (an umbrella chart's ``nats:`` key)."""
    from authlint.syntax.yamlfile import mapping_items

    items = mapping_items(document)
    if "config" not in items:
        return None
    key, config = items["config"]
    blocks = set(mapping_items(config)) & set(BLOCKS)
    if not blocks or not (named or CHART_KEYS & set(items) or _nats_image(items) or "nats" in relpath.lower()):
        return None
    return Values(config, DEFAULTS, Span(key.start_mark.index, key.end_mark.index))


def _nats_image(items: dict) -> bool:
    from authlint.syntax.yamlfile import mapping_items

    container = items.get("container")
    image = mapping_items(container[1]).get("image") if container is not None else None
    repository = mapping_items(image[1]).get("repository") if image is not None else None
    if repository is None:
        return False
    name = str(getattr(repository[1], "value", "")).rsplit("/", 1)[-1]
    return name == "nats"


def chart_documents(document: yaml.Node) -> Iterator[tuple[yaml.Node, bool]]:
    """The document, and its ``nats:`` map (an umbrella chart's values for the NATS subchart),
    each with whether its key names the chart."""
    from authlint.syntax.yamlfile import mapping_items

    yield document, False
    sub = mapping_items(document).get("nats")
    if sub is not None:
        yield sub[1], True


def _enabled_span(block: Values) -> Span:
    enabled = block.child("enabled")
    return enabled.span if enabled.node is not None else block.span


def _tls_doc(tls: Values) -> R:
    span = _enabled_span(tls)
    doc: dict[str, R] = {}
    if tls.get("secretName"):
        directory = str(tls.get("dir") or "").rstrip("/")
        doc["cert_file"] = R(f"{directory}/{tls.get('cert') or 'tls.crt'}", span)
        doc["key_file"] = R(f"{directory}/{tls.get('key') or 'tls.key'}", span)
    return load_merge_patch(doc, tls, span)


def render(values: Values, release: str = "nats", namespace: str = "default") -> R:
    """``config.yaml`` through ``nats.loadMergePatch``, as the chart renders it."""
    config_span = values.span
    doc: dict[str, R] = {
        "server_name": R("<< $SERVER_NAME >>", config_span),
        "lame_duck_grace_period": R("10s", config_span),
        "lame_duck_duration": R("30s", config_span),
        "pid_file": R("/var/run/nats/nats.pid", config_span),
    }
    nats = values.child("nats")
    doc["port"] = values.r("nats", "port")
    if nats.child("tls").get("enabled"):
        doc["tls"] = _tls_doc(nats.child("tls"))
    statefulset = release
    for name in ("leafnodes", "websocket", "mqtt", "cluster", "gateway"):
        block = values.child(name)
        if not block.get("enabled"):
            continue
        span = _enabled_span(block)
        body: dict[str, R] = {}
        if name in ("cluster", "gateway"):
            body["name"] = R(statefulset, span)
        body["port"] = block.r("port")
        if name == "leafnodes":
            body["no_advertise"] = R(True, span)
        if name == "cluster":
            body["no_advertise"] = block.r("noAdvertise")
            body["routes"] = _routes(block, statefulset, f"{release}-headless", namespace, span)
            user, password = block.get("routeURLs", "user"), block.get("routeURLs", "password")
            if user and password:
                body["authorization"] = R({"user": block.r("routeURLs", "user"),
                                           "password": block.r("routeURLs", "password")}, span)
        tls = block.child("tls")
        if name == "websocket" and not tls.get("enabled"):
            body["no_tls"] = R(True, span)
        elif tls.get("enabled"):
            body["tls"] = _tls_doc(tls)
        doc[name] = load_merge_patch(body, block, span)
    monitor = values.child("monitor")
    if monitor.get("enabled"):
        key = "https_port" if monitor.get("tls", "enabled") else "http_port"
        doc[key] = monitor.r("port")
    profiling = values.child("profiling")
    if profiling.get("enabled"):
        doc["prof_port"] = profiling.r("port")
    jetstream = values.child("jetstream")
    if jetstream.get("enabled"):
        doc["jetstream"] = load_merge_patch(_jetstream(jetstream), jetstream, _enabled_span(jetstream))
    resolver = values.child("resolver")
    if resolver.get("enabled"):
        doc["resolver"] = load_merge_patch({"dir": resolver.r("dir")}, resolver, _enabled_span(resolver))
    return load_merge_patch(doc, values, config_span)


def _routes(block: Values, statefulset: str, headless: str, namespace: str, span: Span) -> R:
    from urllib.parse import quote

    proto = "tls" if block.get("tls", "enabled") else "nats"
    user, password = block.get("routeURLs", "user"), block.get("routeURLs", "password")
    auth = f"{quote(str(user), safe='')}:{quote(str(password), safe='')}@" if user and password else ""
    domain = headless
    if block.get("routeURLs", "useFQDN"):
        domain = f"{domain}.{namespace}.svc.{block.get('routeURLs', 'k8sClusterDomain')}"
    try:
        replicas, port = int(block.get("replicas")), int(block.get("port"))
    except (TypeError, ValueError):
        return R([], span)
    where = block.child("replicas").span if block.child("replicas").node is not None else span
    if auth:  # what the URLs say that matters is the credential: point at the password written
        where = block.r("routeURLs", "password").span
    return R([R(f"{proto}://{auth}{statefulset}-{i}.{domain}:{port}", where) for i in range(max(0, min(replicas, 64)))],
             where)


def _jetstream(block: Values) -> dict[str, R]:
    span = _enabled_span(block)
    doc: dict[str, R] = {}
    memory = block.child("memoryStore")
    if memory.get("enabled"):
        if memory.get("maxSize"):
            doc["max_memory_store"] = R(f"<< {memory.get('maxSize')} >>", memory.r("maxSize").span)
    else:
        doc["max_memory_store"] = R(0, span)
    files = block.child("fileStore")
    if files.get("enabled"):
        doc["store_dir"] = files.r("dir")
        if files.get("maxSize"):
            doc["max_file_store"] = R(f"<< {files.get('maxSize')} >>", files.r("maxSize").span)
        elif files.get("pvc", "enabled"):
            doc["max_file_store"] = R(f"<< {files.get('pvc', 'size')} >>", files.r("pvc", "size").span)
    else:
        doc["max_file_store"] = R(0, span)
    return doc


# ------------------------------------------------------------------------------------- write


class Writer:
    """``toPrettyJson`` + ``nats.formatConfig``, with each character's origin."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.starts: list[int] = []
        self.ends: list[int] = []

    def put(self, text: str, span: Span) -> None:
        self.parts.append(text)
        self.starts.extend([span.start] * len(text))
        self.ends.extend([span.end] * len(text))

    def value(self, r: R, depth: int) -> None:
        pad = "  " * (depth + 1)
        if isinstance(r.value, dict):
            if not r.value:
                self.put("{}", r.span)
                return
            self.put("{\n", r.span)
            names = sorted(r.value)
            for i, name in enumerate(names):
                child = r.value[name]
                comma = "," if i < len(names) - 1 else ""
                if name.endswith("$include") and isinstance(child.value, str):
                    self.put(pad, r.span)
                    self.put(f"include {child.value};", child.span)
                else:
                    self.put(pad, r.span)
                    self.put(json.dumps(name, ensure_ascii=False), child.key or child.span)
                    self.put(": ", r.span)
                    self.value(child, depth + 1)
                    self.put(comma, r.span)
                self.put("\n", r.span)
            self.put("  " * depth + "}", r.span)
        elif isinstance(r.value, list):
            if not r.value:
                self.put("[]", r.span)
                return
            self.put("[\n", r.span)
            for i, item in enumerate(r.value):
                self.put(pad, r.span)
                self.value(item, depth + 1)
                self.put("," if i < len(r.value) - 1 else "", r.span)
                self.put("\n", r.span)
            self.put("  " * depth + "]", r.span)
        else:
            self.put(_scalar(r.value), r.span)

    def text(self) -> str:
        return "".join(self.parts)


def _scalar(value: Any) -> str:
    if isinstance(value, str):
        bare = UNQUOTE.match(value)
        return bare.group(1) if bare else json.dumps(value, ensure_ascii=False)
    if isinstance(value, bool) or value is None:
        return json.dumps(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (int, float)):
        return json.dumps(value)
    return json.dumps(str(value), ensure_ascii=False)


def rendered_configs(host: Source, documents: list) -> Iterator[EmbeddedSource]:
    """The config each NATS chart values document of ``host`` renders."""
    import yaml

    from authlint.syntax.embedded import RENDERED, EmbeddedSource
    from authlint.syntax.yamlfile import mapping_items

    candidates = [found for top in documents if isinstance(top, yaml.MappingNode) for found in chart_documents(top)]
    for document, named in candidates:
        values = chart_values(host.relpath, document, named) if isinstance(document, yaml.MappingNode) else None
        if values is None:
            continue
        writer = Writer()
        writer.value(render(values), 0)
        text = writer.text() + "\n"
        writer.starts.extend([values.span.start] * 2)  # the final newline, and one past the end
        writer.ends.extend([values.span.end] * 2)
        prefix = values.get("serverNamePrefix") or ""
        env = {"POD_NAME": POD, "SERVER_NAME": f"{prefix}{POD}"}
        container = mapping_items(document).get("container")
        if container is not None:
            written = mapping_items(container[1]).get("env")
            if written is not None and isinstance(written[1], yaml.MappingNode):
                for name, (_k, value) in mapping_items(written[1]).items():
                    # a ``valueFrom`` (a Secret's key) is set too, to a value authlint cannot read
                    env[name] = str(value.value) if isinstance(value, yaml.ScalarNode) else FROM_CLUSTER
        yield EmbeddedSource(
            path=host.path, relpath=host.relpath, text=text, kind="natsconf", host=host,
            offsets=tuple(writer.starts), ends=tuple(writer.ends), mode=RENDERED,
            label="the NATS Helm chart's config (rendered from `config:`)", env=env,
        )
