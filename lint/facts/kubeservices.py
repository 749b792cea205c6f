"""Kubernetes Services that take a workload's ports outside the cluster: ``type: NodePort`` (every
node's address) and ``type: LoadBalancer`` (an external address), matched to the pods of a workload
in the same file by ``spec.selector`` (every key/value of the selector is a pod label).

A ``ClusterIP`` Service, a headless one, a load balancer narrowed by ``loadBalancerSourceRanges`` or
made internal by an annotation (``...-internal``, ``...load-balancer-type: Internal``), and a
Service without a selector are not counted: who reaches them is not written in the file.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Iterator

if TYPE_CHECKING:
    import yaml

EXTERNAL_TYPES = frozenset({"NodePort", "LoadBalancer"})


@dataclass(frozen=True)
class ExposingService:
    name: str
    type: str
    selector: dict[str, str]
    targets: tuple[str, ...]  # each port's targetPort (a number or a container port's name), else its port

    def selects(self, labels: dict[str, str]) -> bool:
        return bool(self.selector) and all(labels.get(k) == v for k, v in self.selector.items())


def exposing_services(documents: list[yaml.Node]) -> list[ExposingService]:
    import yaml

    from authlint.syntax.yamlfile import mapping_items

    found = []
    for document in documents:
        top = mapping_items(document)
        if _text(top.get("kind")) != "Service" or "spec" not in top:
            continue
        spec = mapping_items(top["spec"][1])
        kind = _text(spec.get("type"))
        if kind not in EXTERNAL_TYPES or "loadBalancerSourceRanges" in spec or _internal(top):
            continue
        selector = _scalars(spec.get("selector"))
        ports = spec.get("ports")
        targets: list[str] = []
        if ports is not None and isinstance(ports[1], yaml.SequenceNode):
            for entry in ports[1].value:
                fields = mapping_items(entry)
                target = _text(fields.get("targetPort")) or _text(fields.get("port"))
                if target:
                    targets.append(target)
        name = _text(mapping_items(top["metadata"][1]).get("name")) if "metadata" in top else ""
        found.append(ExposingService(name, kind, selector, tuple(targets)))
    return found


def pod_labels(top: dict) -> dict[str, str]:
    """A workload's pod labels: ``spec.template.metadata.labels`` (Deployment, StatefulSet,
    DaemonSet, ReplicaSet, Job), or a Pod's own ``metadata.labels``."""
    from authlint.syntax.yamlfile import mapping_items

    if _text(top.get("kind")) == "Pod":
        metadata = top.get("metadata")
    else:
        spec = mapping_items(top["spec"][1]) if "spec" in top else {}
        template = mapping_items(spec["template"][1]) if "template" in spec else {}
        metadata = template.get("metadata")
    if metadata is None:
        return {}
    return _scalars(mapping_items(metadata[1]).get("labels"))


def container_ports(ports: tuple | None) -> Iterator[tuple[str, str]]:
    """(name, containerPort) of a container's ``ports``."""
    import yaml

    from authlint.syntax.yamlfile import mapping_items

    if ports is None or not isinstance(ports[1], yaml.SequenceNode):
        return
    for entry in ports[1].value:
        fields = mapping_items(entry)
        yield _text(fields.get("name")), _text(fields.get("containerPort"))


def _internal(top: dict) -> bool:
    from authlint.syntax.yamlfile import mapping_items

    metadata = mapping_items(top["metadata"][1]) if "metadata" in top else {}
    annotations = _scalars(metadata.get("annotations"))
    return any("internal" in key.lower() or "internal" in value.lower() for key, value in annotations.items())


def _scalars(pair: tuple | None) -> dict[str, str]:
    import yaml

    from authlint.syntax.yamlfile import mapping_items

    if pair is None or not isinstance(pair[1], yaml.MappingNode):
        return {}
    return {k: str(v[1].value) for k, v in mapping_items(pair[1]).items() if isinstance(v[1], yaml.ScalarNode)}


def _text(pair: tuple | None) -> str:
    import yaml

    if pair is None or not isinstance(pair[1], yaml.ScalarNode):
        return ""
    return str(pair[1].value)
