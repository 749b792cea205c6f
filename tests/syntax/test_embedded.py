"""nats-server configs inside YAML: which scalars are configs, and how each character of the text
nats-server reads maps back to the YAML file (literal blocks in place, other styles aligned)."""

from __future__ import annotations

import base64
from pathlib import Path

import pytest
import yaml

from authlint.files.source import Source, Span
from authlint.run.context import FileContext
from authlint.run.embedded import embedded_contexts
from authlint.syntax.embedded import ALIGNED, IN_PLACE, RENDERED, WHOLE, align
from authlint.syntax.natsconf import parse_text


def contexts(text: str, relpath: str = "k8s/cm.yaml") -> list[FileContext]:
    source = Source.from_text(text, relpath, "yaml")
    return embedded_contexts(FileContext(source))


def configmap(key: str, body: str) -> str:
    return f"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: nats\ndata:\n  {key}{body}"


def host_text(child: FileContext, span: Span) -> str:
    host = child.source.host  # type: ignore[attr-defined]
    return host.slice(child.source.host_span(span))  # type: ignore[attr-defined]


@pytest.mark.parametrize("header", ["|", "|-", "|+", "|2"])
def test_literal_blocks_are_read_in_place(header: str) -> None:
    text = configmap("nats.conf: " + header, "\n    port: 4222\n    authorization {\n      token: abc\n    }\n")
    [child] = contexts(text)
    assert child.source.mode == IN_PLACE  # type: ignore[attr-defined]
    assert len(child.source.text) == len(text)
    token = child.tree.root.get("authorization").value.get("token")
    assert token.value.value == "abc"
    # the same offsets as the YAML file: line 9, column 14
    assert child.source.position(token.value.span.start) == (9, 14)
    assert text[token.value.span.start : token.value.span.end] == "abc"
    # nats-server reads the same config from the scalar's value
    value = yaml.safe_load(text)["data"]["nats.conf"]
    assert parse_text(value).py() == child.tree.py()


def test_folded_and_quoted_scalars_are_aligned_to_their_characters() -> None:
    text = configmap("nats.conf: >\n", "    port: 4222\n\n    ping_interval: 2m\n")
    [child] = contexts(text)
    assert child.source.mode == ALIGNED  # type: ignore[attr-defined]
    entry = child.tree.root.get("ping_interval")
    assert host_text(child, entry.value.span) == "2m"
    assert child.source.position(entry.key_span.start) == (9, 5)
    quoted = configmap("nats.conf: ", '"port: 4222\\nping_interval: 2m\\n"\n')
    [child] = contexts(quoted)
    entry = child.tree.root.get("ping_interval")
    assert child.source.mode == WHOLE  # type: ignore[attr-defined]  (escapes: the scalar as a whole)
    assert host_text(child, entry.value.span).startswith('"port')
    single = configmap("nats.conf: ", "'port: 4222\n\n    ping_interval: ''2m'''\n")
    [child] = contexts(single)
    assert child.source.mode == ALIGNED  # type: ignore[attr-defined]
    assert host_text(child, child.tree.root.get("ping_interval").value.span) == "''2m''"


def test_a_block_string_is_read_from_the_value() -> None:
    """``( ... )`` ends at a ``)`` starting a line: the indentation of the YAML block would hide it."""
    text = configmap("nats.conf: |\n", "    port: 4222\n    description: (\n      two lines\n    )\n")
    [child] = contexts(text)
    assert child.source.mode == ALIGNED  # type: ignore[attr-defined]
    assert child.tree.root.get("description").value.value == "\n  two lines\n"
    assert not child.source.fixable  # type: ignore[attr-defined]


def test_which_scalars_are_configs() -> None:
    nginx = configmap("nginx.conf: |\n", "    events {}\n    http { server { listen 80; } }\n")
    assert contexts(nginx) == []
    by_content = configmap("server.conf: |\n", "    listen: 0.0.0.0:4222\n    jetstream {}\n")
    assert len(contexts(by_content)) == 1
    elsewhere = "nats:\n  nats.conf: |\n    port: 4222\n"  # any *nats*.conf key holding a config
    assert len(contexts(elsewhere, "deploy/kustomize.yaml")) == 1
    one_line = "settings:\n  nats.conf: port\n"
    assert contexts(one_line) == []


def test_secret_base64_data_is_decoded_and_maps_to_the_encoded_value() -> None:
    encoded = base64.b64encode(b"port: 4222\nauthorization { token: abc }\n").decode()
    text = f"apiVersion: v1\nkind: Secret\nmetadata:\n  name: s\ndata:\n  nats.conf: {encoded}\n"
    [child] = contexts(text)
    assert child.source.mode == WHOLE  # type: ignore[attr-defined]
    token = child.tree.root.get("authorization").value.get("token").value
    assert token.value == "abc"
    assert host_text(child, token.span) == encoded
    config_map = text.replace("kind: Secret", "kind: ConfigMap")  # a ConfigMap's data is plain text
    [plain] = contexts(config_map)
    assert plain.source.text == encoded  # what nats-server would read: the base64 text itself


def test_stringdata_and_includes_of_sibling_keys() -> None:
    text = (
        "apiVersion: v1\nkind: Secret\nmetadata:\n  name: s\nstringData:\n"
        "  nats.conf: |\n    port: 4222\n    include ./auth.conf\n    include /etc/other/x.conf\n"
        "  auth.conf: |\n    authorization { token: abc }\n"
    )
    children = contexts(text)
    main = children[0]
    assert main.tree.root.get("authorization").value.get("token").value.value == "abc"
    assert [p.kind for p in main.tree.problems] == ["include"]  # the pod's own file: not readable


def test_reindent_follows_the_block() -> None:
    [child] = contexts(configmap("nats.conf: |\n", "    port: 4222\n"))
    assert child.source.reindent("a\nb\n") == "a\n    b\n"  # type: ignore[attr-defined]
    assert child.source.reindent("a\n      b") == "a\n      b"  # type: ignore[attr-defined]  (already inside)
    assert child.source.reindent("k: v\n", at_line_start=True) == "    k: v\n"  # type: ignore[attr-defined]


def test_align_refuses_what_it_cannot_follow() -> None:
    assert align("ab", "x: 'a\\b'", 3, 8) is None
    assert align("a b", "x: >\n  a\n  b\n", 3, 12) == ([7, 8, 11, 12], [8, 9, 12, 12])


HELM = """config:
  cluster:
    enabled: true
    replicas: 2
  websocket:
    enabled: true
    merge:
      same_origin: true
    patch:
    - op: add
      path: /allowed_origins
      value: ["https://a.example"]
  jetstream:
    enabled: true
    fileStore:
      pvc:
        size: 5Gi
  merge:
    $include: ./auth.conf
    ping_max: 3
  patch:
  - op: remove
    path: /lame_duck_grace_period
"""


def test_helm_values_render_like_the_chart() -> None:
    [child] = contexts(HELM, "deploy/nats/values.yaml")
    source = child.source
    assert source.mode == RENDERED  # type: ignore[attr-defined]
    text = source.text
    assert text.startswith("{\n  include ./auth.conf;\n  \"cluster\": {\n")
    assert '"routes": [\n      "nats://nats-0.nats-headless:6222",\n      "nats://nats-1.nats-headless:6222"\n    ]' in text
    assert '"max_file_store": 5Gi,' in text and '"server_name": $SERVER_NAME,' in text
    assert "lame_duck_grace_period" not in text
    config = child.tree
    ws = config.root.get("websocket").value
    assert ws.get("same_origin").value.value is True and ws.get("no_tls").value.value is True
    assert [i.value for i in ws.get("allowed_origins").value.items] == ["https://a.example"]
    # each value maps to what decided it in the values file
    assert host_text(child, config.root.get("ping_max").value.span) == "3"
    assert host_text(child, ws.get("same_origin").value.span) == "true"
    assert host_text(child, config.root.get("port").value.span) == "config"  # the chart's own default
    assert host_text(child, config.root.get("jetstream").value.get("max_file_store").value.span) == "5Gi"


def test_values_of_other_charts_are_not_rendered() -> None:
    assert contexts("config:\n  cluster:\n    enabled: true\n", "deploy/values.yaml") == []
    assert contexts("config:\n  logLevel: info\n", "nats/values.yaml") == []
    image = "container:\n  image:\n    repository: bitnami/redis\n"
    assert contexts("config:\n  cluster:\n    enabled: true\n" + image, "values.yaml") == []


@pytest.mark.parametrize(
    "text",
    [
        "config:\n  jetstream:\n    enabled: true\nnatsBox:\n  enabled: false\n",
        "config:\n  jetstream:\n    enabled: true\ncontainer:\n  image:\n    repository: nats\n",
        "nats:\n  config:\n    jetstream:\n      enabled: true\n",  # an umbrella chart's subchart values
    ],
)
def test_the_nats_charts_values_are_recognised(text: str) -> None:
    [child] = contexts(text, "deploy/values.yaml")
    assert '"jetstream": {' in child.source.text


def test_fixture_projects_hold_one_config_each() -> None:
    root = Path(__file__).resolve().parent.parent / "fixtures" / "embedded"
    for path in sorted(root.glob("*/*/**/*.yaml")):
        found = contexts(path.read_text(), path.relative_to(root).as_posix())
        assert len(found) == 1, path


WORKLOAD = """---
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: nats
spec:
  template:
    spec:
      volumes:
      - name: config
        configMap:
          name: nats
      containers:
      - name: nats
        env:
        - name: POD_NAME
          valueFrom: {fieldRef: {fieldPath: metadata.name}}
        - name: SERVER_NAME
          value: "$(POD_NAME)"
        - name: LOG_LEVEL
          value: debug
"""


def test_the_environment_of_the_workload_that_mounts_the_config_is_known() -> None:
    config = configmap("nats.conf: |\n", "    server_name: $SERVER_NAME\n    debug: $LOG_LEVEL\n    x: $MISSING\n")
    [child] = contexts(config + WORKLOAD)
    assert child.source.env == {"POD_NAME": "set-by-kubernetes", "SERVER_NAME": "set-by-kubernetes",  # type: ignore[attr-defined]
                                "LOG_LEVEL": "debug"}
    assert [p.name for p in child.tree.problems] == ["MISSING"]
    with_env_from = WORKLOAD.replace("        env:\n", "        envFrom:\n        - secretRef: {name: extra}\n        env:\n")
    [child] = contexts(config + with_env_from)
    assert child.tree.problems == []  # envFrom: any variable may be set
    [alone] = contexts(config)
    assert {p.name for p in alone.tree.problems} >= {"SERVER_NAME", "MISSING"}
