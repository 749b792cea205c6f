"""The NATS Helm chart's rendering of ``config:``, checked against the chart's own expectations.

The values and the expected configs are those of the chart's Go tests (nats-io/k8s
``helm/charts/nats/test/config_test.go`` and ``defaults_test.go`` at commit
957650fba03e2e6ad8b5d54d66358f67a431157b, Apache License 2.0): ``TestConfigJetStreamCluster``,
``TestConfigOptions`` and ``TestConfigMergePatch``, transcribed as data. Each rendering is parsed
with authlint's nats-server parser (``$SERVER_NAME`` from the environment the chart's container
sets) and compared with what the chart's test expects nats-server to read.
"""

from __future__ import annotations

import pytest
import yaml

from authlint.syntax.helm_nats import Writer, chart_values, render
from authlint.syntax.natsconf import parse_text

DEFAULT = {
    "http_port": 8222,
    "lame_duck_duration": "30s",
    "lame_duck_grace_period": "10s",
    "pid_file": "/var/run/nats/nats.pid",
    "port": 4222,
    "server_name": "nats-0",
}

JETSTREAM_CLUSTER = (
    "config:\n  cluster:\n    enabled: true\n  jetstream:\n    enabled: true\n",
    {
        "cluster": {
            "name": "nats", "no_advertise": True, "port": 6222,
            "routes": ["nats://nats-0.nats-headless:6222", "nats://nats-1.nats-headless:6222",
                       "nats://nats-2.nats-headless:6222"],
        },
        "jetstream": {"max_file_store": 10737418240, "max_memory_store": 0, "store_dir": "/data"},
    },
)

OPTIONS = (
    """config:
  jetstream:
    enabled: true
    fileStore:
      dir: /mnt
      pvc:
        size: 5Gi
        storageClassName: gp3
      maxSize: 1Gi
    memoryStore:
      enabled: true
      maxSize: 2Gi
  cluster:
    enabled: true
    replicas: 2
    routeURLs:
      user: foo
      password: bar
      useFQDN: true
      k8sClusterDomain: foo.bar.local
  resolver:
    enabled: true
    dir: /mnt/resolver
    pvc:
      size: 5Gi
      storageClassName: gp3
  serverNamePrefix: test_
""",
    {
        "cluster": {
            "authorization": {"user": "foo", "password": "bar"},
            "name": "nats", "no_advertise": True, "port": 6222,
            "routes": ["nats://foo:bar@nats-0.nats-headless.nats.svc.foo.bar.local:6222",
                       "nats://foo:bar@nats-1.nats-headless.nats.svc.foo.bar.local:6222"],
        },
        "jetstream": {"max_file_store": 1073741824, "max_memory_store": 2147483648, "store_dir": "/mnt"},
        "resolver": {"dir": "/mnt/resolver"},
        "server_name": "test_nats-0",
    },
)

MERGE_PATCH = (
    """config:
  merge:
    ping_interval: 5m
  patch: [{op: add, path: /ping_max, value: 3}]
  cluster:
    enabled: true
    merge:
      no_advertise: false
    patch: [{op: add, path: /advertise, value: "demo.nats.io:6222"}]
  jetstream:
    enabled: true
    merge:
      max_outstanding_catchup: "<< 64MB >>"
    patch: [{op: add, path: /max_file_store, value: "<< 1GB >>"}]
  leafnodes:
    enabled: true
    merge:
      no_advertise: false
    patch: [{op: add, path: /advertise, value: "demo.nats.io:7422"}]
  websocket:
    enabled: true
    merge:
      compression: true
    patch: [{op: add, path: /same_origin, value: true}]
  mqtt:
    enabled: true
    merge:
      ack_wait: 1m
    patch: [{op: add, path: /max_ack_pending, value: 100}]
  gateway:
    enabled: true
    merge:
      gateways:
      - name: nats
        url: nats://demo.nats.io:7222
    patch: [{op: add, path: /advertise, value: "demo.nats.io:7222"}]
  resolver:
    enabled: true
    merge:
      type: full
    patch: [{op: add, path: /allow_delete, value: true}]
""",
    {
        "ping_interval": "5m",
        "ping_max": 3,
        "cluster": {
            "name": "nats", "no_advertise": False, "advertise": "demo.nats.io:6222", "port": 6222,
            "routes": ["nats://nats-0.nats-headless:6222", "nats://nats-1.nats-headless:6222",
                       "nats://nats-2.nats-headless:6222"],
        },
        "jetstream": {"max_memory_store": 0, "store_dir": "/data", "max_file_store": 1073741824,
                      "max_outstanding_catchup": 67108864},
        "leafnodes": {"port": 7422, "no_advertise": False, "advertise": "demo.nats.io:7422"},
        "websocket": {"port": 8080, "compression": True, "no_tls": True, "same_origin": True},
        "mqtt": {"port": 1883, "ack_wait": "1m", "max_ack_pending": 100},
        "gateway": {"port": 7222, "name": "nats", "advertise": "demo.nats.io:7222",
                    "gateways": [{"name": "nats", "url": "nats://demo.nats.io:7222"}]},
        "resolver": {"dir": "/data/resolver", "type": "full", "allow_delete": True},
    },
)


@pytest.mark.parametrize(
    "values, expected",
    [
        pytest.param("config:\n  monitor:\n    enabled: false\n", {"http_port": None}, id="TestConfigDisable"),
        pytest.param(*JETSTREAM_CLUSTER, id="TestConfigJetStreamCluster"),
        pytest.param(*OPTIONS, id="TestConfigOptions"),
        pytest.param(*MERGE_PATCH, id="TestConfigMergePatch"),
    ],
)
def test_rendering_matches_the_charts_own_tests(values: str, expected: dict) -> None:
    document = yaml.compose(values)
    chart = chart_values("charts/nats/values.yaml", document)
    assert chart is not None
    writer = Writer()
    writer.value(render(chart, namespace="nats"), 0)
    prefix = chart.get("serverNamePrefix") or ""
    config = parse_text(writer.text(), env={"SERVER_NAME": f"{prefix}nats-0"}, strict=True)
    want = {**DEFAULT, **expected}
    want = {key: value for key, value in want.items() if value is not None}
    assert config.py() == want
    assert len(writer.starts) == len(writer.ends) == len(writer.text())  # every character has an origin
