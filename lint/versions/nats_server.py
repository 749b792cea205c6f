"""nats-server pins: the image a Dockerfile, compose file, Kubernetes manifest or Helm values file
runs, ``.tool-versions``, and the server module a Go program embeds (``go.mod``).

Official images are ``nats:<tag>`` (also ``docker.io/library/nats``, ``library/nats``). A tag
``2.10.7`` / ``2.10.7-alpine3.19`` is exact (``version`` set). A partial tag ``2.10`` / ``2.10-alpine``
floats over the patch releases of 2.10 and ``2`` over every 2.x: the pin keeps the tag in ``spec``
with ``version`` None, and the target resolution (``nats_target``) decides what it is worth.
``latest``, ``alpine``, a digest alone and unresolved variables name no version: no pin.
"""

from __future__ import annotations

import re

from authlint.versions.model import NATS_SERVER, Pin
from authlint.versions.sources import OpenOther, Reader, Unreadable

PACKAGE = NATS_SERVER
_IMAGE_NAMES = ("nats", "library/nats", "docker.io/library/nats", "docker.io/nats", "index.docker.io/library/nats",
                "registry.hub.docker.com/library/nats", "mirror.gcr.io/library/nats", "public.ecr.aws/docker/library/nats")
_TAG = re.compile(r"^v?(\d+)(?:\.(\d+))?(?:\.(\d+))?(?:-[A-Za-z0-9._-]+)?$")
_VARIABLE = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-=])([^}]*))?\}|\$([A-Za-z_][A-Za-z0-9_]*)")


def parse_tag(tag: str) -> tuple[str | None, bool] | None:
    """``(version, exact)`` of an image tag: ``("2.10.7", True)``, ``("2.10", False)``; None when the
    tag names no version (``latest``, ``alpine``, ``scratch``)."""
    match = _TAG.match(tag)
    if not match:
        return None
    parts = [p for p in match.groups() if p is not None]
    return ".".join(parts), len(parts) == 3


def image_pin(reference: str, relpath: str, line: int) -> Pin | None:
    """A pin for an image reference if it is the official nats image with a version tag."""
    reference = reference.strip().strip("\"'")
    reference = reference.split("@", 1)[0]  # a digest pins bytes, the tag still names the version
    name, _, tag = reference.rpartition(":")
    if not name or "/" in tag:  # no tag (``nats``), or a registry port (``host:5000/nats``)
        return None
    if name.lower() not in _IMAGE_NAMES:
        return None
    parsed = parse_tag(tag)
    if parsed is None:
        return None
    version, is_exact = parsed
    return Pin(NATS_SERVER, PACKAGE, version if is_exact else None, tag, relpath, line)


def _substitute(text: str, variables: dict[str, str]) -> str | None:
    """``$NAME`` / ``${NAME}`` / ``${NAME:-default}`` from ``variables`` (else the default); None when
    a variable stays unknown."""
    unknown = False

    def value(match: re.Match) -> str:
        nonlocal unknown
        name = match.group(1) or match.group(4)
        if name in variables:
            return variables[name]
        if match.group(2) is not None:
            return match.group(3)
        unknown = True
        return ""

    result = _VARIABLE.sub(value, text)
    return None if unknown else result


# -- Dockerfile ----------------------------------------------------------------------------------

_FROM = re.compile(r"^\s*FROM\s+(?:--\S+\s+)*(\S+)", re.IGNORECASE)
_ARG = re.compile(r"^\s*ARG\s+([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(\S+)", re.IGNORECASE)


def read_dockerfile(text: str, relpath: str, open_other: OpenOther) -> list[Pin]:
    """Every ``FROM nats:<tag>`` (``--platform=`` flags and ``AS name`` allowed), with ``ARG NAME=value``
    defaults substituted (``FROM nats:${NATS_VERSION}-alpine``)."""
    variables: dict[str, str] = {}
    pins = []
    for number, raw in enumerate(text.splitlines(), 1):
        arg = _ARG.match(raw)
        if arg:
            variables[arg.group(1)] = arg.group(2).strip("\"'")
            continue
        match = _FROM.match(raw)
        if not match:
            continue
        reference = _substitute(match.group(1), variables)
        pin = image_pin(reference, relpath, number) if reference else None
        if pin is not None:
            pins.append(pin)
    return pins


# -- YAML: compose, Kubernetes, Helm -----------------------------------------------------------

_IMAGE_LINE = re.compile(r"""^\s*(?:-\s+)?["']?image["']?\s*:\s*(["']?)([^\s"'#]+)\1\s*(?:#.*)?$""")


def read_yaml(text: str, relpath: str, open_other: OpenOther) -> list[Pin]:
    """``image: nats:<tag>`` lines (compose services, Kubernetes containers, the older Helm chart's
    ``nats.image``) and the official Helm chart's ``container.image.{repository,tag}`` (at the top
    of a values file or under a ``nats:`` key of an umbrella chart's values)."""
    if "nats" not in text.lower():
        return []
    import yaml

    try:  # a file YAML refuses gives nothing, even where a line looks like an image
        documents = list(yaml.compose_all(text, Loader=yaml.SafeLoader))
    except yaml.YAMLError as exc:
        raise Unreadable(f"invalid YAML: {exc}") from exc
    pins = []
    for number, raw in enumerate(text.splitlines(), 1):
        match = _IMAGE_LINE.match(raw)
        if not match:
            continue
        reference = _substitute(match.group(2), {})
        pin = image_pin(reference, relpath, number) if reference else None
        if pin is not None:
            pins.append(pin)
    pins.extend(_helm(documents, relpath))
    return sorted(set(pins), key=lambda pin: pin.line)


def _helm(documents: list, relpath: str) -> list[Pin]:
    pins = []
    for root in documents:
        for image in (_path(root, "container", "image"), _path(root, "nats", "container", "image"),
                      _path(root, "nats", "image")):
            pin = _image_mapping(image, relpath)
            if pin is not None:
                pins.append(pin)
    return pins


def _image_mapping(node, relpath: str) -> Pin | None:
    """``{repository: nats, tag: 2.10.7-alpine}`` (a repository other than nats: not the server)."""
    import yaml

    if not isinstance(node, yaml.MappingNode):
        return None
    repository = _path(node, "repository")
    tag = _path(node, "tag")
    if not isinstance(tag, yaml.ScalarNode) or not tag.value:
        return None
    name = repository.value if isinstance(repository, yaml.ScalarNode) else "nats"
    return image_pin(f"{name}:{tag.value}", relpath, tag.start_mark.line + 1)


def _path(node, *keys: str):
    import yaml

    for key in keys:
        if not isinstance(node, yaml.MappingNode):
            return None
        node = next((v for k, v in node.value if isinstance(k, yaml.ScalarNode) and k.value == key), None)
    return node


# -- .tool-versions, go.mod ----------------------------------------------------------------------


def read_tool_versions(text: str, relpath: str, open_other: OpenOther) -> list[Pin]:
    """asdf / mise: ``nats-server 2.10.7`` (the first version listed is the one in use)."""
    pins = []
    for number, raw in enumerate(text.splitlines(), 1):
        fields = raw.split("#", 1)[0].split()
        if len(fields) < 2 or fields[0] != "nats-server":
            continue
        parsed = parse_tag(fields[1])
        if parsed is not None:
            version, is_exact = parsed
            pins.append(Pin(NATS_SERVER, PACKAGE, version if is_exact else None, fields[1], relpath, number))
    return pins


_GO_REQUIRE = re.compile(r"^\s*(?:require\s+)?github\.com/nats-io/nats-server/v2\s+(v\S+)")


def read_go_mod(text: str, relpath: str, open_other: OpenOther) -> list[Pin]:
    """A Go program that embeds the server: ``require github.com/nats-io/nats-server/v2 v2.10.7``."""
    pins = []
    for number, raw in enumerate(text.splitlines(), 1):
        match = _GO_REQUIRE.match(raw)
        if not match:
            continue
        parsed = parse_tag(match.group(1).split("+", 1)[0])
        if parsed is not None and parsed[1]:
            pins.append(Pin(NATS_SERVER, PACKAGE, parsed[0], match.group(1), relpath, number))
    return pins


def reader_for(name: str) -> Reader | None:
    lower = name.lower()
    if lower in ("dockerfile", "containerfile") or lower.startswith(("dockerfile.", "containerfile.")) or lower.endswith(".dockerfile"):
        return read_dockerfile
    if name == ".tool-versions":
        return read_tool_versions
    if name == "go.mod":
        return read_go_mod
    if lower.endswith((".yml", ".yaml")) and lower != "pnpm-lock.yaml":
        return read_yaml
    return None
