"""nats-server readers: image tags in Dockerfiles, compose files, Kubernetes manifests and Helm
values, ``.tool-versions`` and ``go.mod``; what a partial or versionless tag gives."""

from __future__ import annotations

import pytest

from authlint.versions.model import NATS_SERVER
from authlint.versions.nats_server import image_pin, parse_tag
from authlint.versions.prepass import read_texts


def _pins(files: dict[str, str]) -> list[tuple[str | None, str, str, int]]:
    pins = read_texts(files).versions.pins
    assert all(p.ecosystem == NATS_SERVER and p.package == "nats-server" for p in pins)
    return [(p.version, p.spec, p.relpath, p.line) for p in pins]


DOCKERFILE = """\
# syntax=docker/dockerfile:1
ARG NATS_VERSION=2.10.7
FROM golang:1.22 AS build
FROM --platform=$BUILDPLATFORM nats:${NATS_VERSION}-alpine AS nats
from docker.io/library/nats:2.9.25-scratch
FROM nats:latest
FROM nats
FROM mycorp/nats:2.1.0
FROM nats:2.10@sha256:0123456789abcdef
FROM nats:$UNSET
"""


def test_dockerfile_from_lines_with_args_flags_stages_and_registries() -> None:
    files = {"Dockerfile": DOCKERFILE, "docker/Dockerfile.dev": "FROM nats:2.11.0-alpine3.19\n", "nats.Dockerfile": "FROM library/nats:2\n"}
    assert _pins(files) == [
        ("2.10.7", "2.10.7-alpine", "Dockerfile", 4),
        ("2.9.25", "2.9.25-scratch", "Dockerfile", 5),
        (None, "2.10", "Dockerfile", 9),  # partial: the tag floats over 2.10.x
        ("2.11.0", "2.11.0-alpine3.19", "docker/Dockerfile.dev", 1),
        (None, "2", "nats.Dockerfile", 1),
    ]


COMPOSE = """\
version: "3.8"
services:
  nats:
    image: "nats:2.10.7-alpine"   # broker
    command: ["-c", "/etc/nats/nats-server.conf"]
  other:
    image: nats:${NATS_TAG:-2.9.22}
  third:
    image: nats:${NATS_TAG}
  web:
    image: node:20
"""

KUBERNETES = """\
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: nats
spec:
  template:
    spec:
      containers:
        - name: nats
          image: nats:2.10
        - image: natsio/nats-server-config-reloader:0.14.0
---
apiVersion: v1
kind: Service
metadata:
  name: nats
"""

HELM_VALUES = """\
config:
  cluster:
    enabled: true
container:
  image:
    repository: nats
    tag: 2.10.14-alpine
reloader:
  image:
    repository: natsio/nats-server-config-reloader
    tag: 0.14.1
"""


def test_compose_kubernetes_and_helm_values() -> None:
    files = {
        "docker-compose.yml": COMPOSE,
        "k8s/nats.yaml": KUBERNETES,
        "charts/nats/values.yaml": HELM_VALUES,
        "old-chart/values.yaml": "nats:\n  image: nats:2.9.3-alpine\n  pullPolicy: IfNotPresent\n",
        "old-chart2/values.yaml": "nats:\n  image:\n    repository: nats\n    tag: 2.8.4-alpine\n",
        "umbrella/values.yaml": "nats:\n  container:\n    image:\n      tag: 2.10.12\n",
        "ci.yml": "jobs:\n  test:\n    services:\n      nats:\n        image: redis:7\n",
    }
    assert _pins(files) == [
        ("2.10.14", "2.10.14-alpine", "charts/nats/values.yaml", 7),
        ("2.10.7", "2.10.7-alpine", "docker-compose.yml", 4),
        ("2.9.22", "2.9.22", "docker-compose.yml", 7),  # ${VAR:-default}: the default
        (None, "2.10", "k8s/nats.yaml", 10),
        ("2.9.3", "2.9.3-alpine", "old-chart/values.yaml", 2),
        ("2.8.4", "2.8.4-alpine", "old-chart2/values.yaml", 4),
        ("2.10.12", "2.10.12", "umbrella/values.yaml", 4),
    ]


def test_tool_versions_and_go_mod() -> None:
    files = {
        ".tool-versions": "python 3.12.1\nnats-server 2.10.7 2.9.0 # pinned\nnats 0.1.1\n",
        "go.mod": "module x\n\ngo 1.22\n\nrequire (\n\tgithub.com/nats-io/nats-server/v2 v2.10.9\n\tgithub.com/nats-io/nats.go v1.31.0\n)\n",
    }
    assert _pins(files) == [("2.10.7", "2.10.7", ".tool-versions", 2), ("2.10.9", "v2.10.9", "go.mod", 6)]


def test_malformed_yaml_gives_no_pins_even_with_an_image_line() -> None:
    collected = read_texts({"docker-compose.yml": "services:\n  nats:\n    image: nats:2.10.1\n  : [broken\n"})
    assert collected.versions.pins == ()
    assert [p.relpath for p in collected.problems] == ["docker-compose.yml"]


def test_yaml_without_nats_is_not_parsed() -> None:
    collected = read_texts({"mkdocs.yml": "site_name: x\n  : [broken\n"})
    assert collected.versions.pins == () and collected.problems == []


@pytest.mark.parametrize(
    "tag, parsed",
    [("2.10.7", ("2.10.7", True)), ("2.10.7-alpine3.19", ("2.10.7", True)), ("v2.10.7", ("2.10.7", True)),
     ("2.10-alpine", ("2.10", False)), ("2", ("2", False)), ("latest", None), ("alpine", None), ("scratch", None)],
)
def test_parse_tag(tag: str, parsed) -> None:
    assert parse_tag(tag) == parsed


@pytest.mark.parametrize("reference", ["nats", "nats:latest", "localhost:5000/nats", "synadia/nats:2.10.7", "natsio/nats-box:0.14"])
def test_references_that_name_no_server_version(reference: str) -> None:
    assert image_pin(reference, "x", 1) is None
