"""Secret values in YAML (Compose files, Kubernetes manifests, Helm values), from the composed nodes
the YAML extractor already walks (``ctx.tree``, safe-loaded: nothing is constructed).

- a Kubernetes ``Secret``: every value of its ``data`` and ``stringData``;
- environment entries whose name says they hold a secret (``JWT_SECRET``, ``NATS_TOKEN``,
  ``DB_PASSWORD``): Compose ``environment:`` as a mapping or as ``- KEY=value`` items, Kubernetes
  ``env: [{name, value}]``. In a config format the name does say the value is a literal secret,
  unless the value is a reference (``${VAR}``, ``$VAR``; ``valueFrom`` has no value), a switch or
  a number, or the name is about a secret rather than one (``TOKEN_TTL``, ``SECRET_NAME``,
  ``PASSWORD_FILE``);
- annotations that carry a credential: the token or basic credentials of an ``Authorization``
  header written into an ingress snippet (URL passwords are the pattern set's).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Iterator

from authlint.facts.secrets.dotenv import env_secret_name
from authlint.facts.secrets.literals import trimmed_lines
from authlint.facts.secrets.names import secret_text
from authlint.files.source import Span

if TYPE_CHECKING:
    import yaml

    from authlint.run.context import FileContext

ENV_KEYS = frozenset({"env", "environment"})
AUTH_HEADER = re.compile(r"authorization\W{0,4}(?:bearer|basic|token)\s+(?P<credential>[A-Za-z0-9._~+/=-]+)", re.IGNORECASE)


def find(ctx: FileContext) -> Iterator[Span]:
    import yaml

    from authlint.syntax.yamlfile import mapping_items, walk

    text = ctx.source.text
    for document in ctx.tree:
        for node in walk(document):
            if not isinstance(node, yaml.MappingNode):
                continue
            items = mapping_items(node)
            kind = items.get("kind")
            if kind is not None and _scalar(kind[1]) == "Secret":
                for field in ("data", "stringData"):
                    found = items.get(field)
                    if found is not None and isinstance(found[1], yaml.MappingNode):
                        for _key, value in found[1].value:
                            yield from scalar_spans(text, value)
            for name in ENV_KEYS & items.keys():
                yield from environment(text, items[name][1])
            annotations = items.get("annotations")
            if annotations is not None and isinstance(annotations[1], yaml.MappingNode):
                for _key, value in annotations[1].value:
                    yield from header_credentials(text, value)


def environment(text: str, node: yaml.Node) -> Iterator[Span]:
    """The secret values of an ``environment:``/``env:`` block, whatever its shape."""
    import yaml

    from authlint.syntax.yamlfile import mapping_items

    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            name = _scalar(key)
            if name is not None and env_secret_name(name) and secret_value(value):
                yield from scalar_spans(text, value)
    elif isinstance(node, yaml.SequenceNode):
        for item in node.value:
            if isinstance(item, yaml.MappingNode):  # Kubernetes: {name: X, value: Y}
                items = mapping_items(item)
                name = items.get("name")
                value = items.get("value")
                if name is not None and value is not None and env_secret_name(_scalar(name[1]) or ""):
                    if secret_value(value[1]):
                        yield from scalar_spans(text, value[1])
            elif isinstance(item, yaml.ScalarNode):  # Compose: - KEY=value
                yield from _assignment(text, item)


def _assignment(text: str, item: yaml.ScalarNode) -> Iterator[Span]:
    name, equals, value = str(item.value).partition("=")
    if not equals or not env_secret_name(name) or not secret_text(value):
        return
    start, end = item.start_mark.index, item.end_mark.index
    if item.style in ("'", '"'):
        start, end = start + 1, end - 1
    at = text.find("=", start, end)
    if at != -1:
        yield from trimmed_lines(text, at + 1, end)


def secret_value(node: yaml.Node) -> bool:
    """A plain string scalar that is neither a reference, a switch nor a number."""
    import yaml

    return isinstance(node, yaml.ScalarNode) and node.tag == "tag:yaml.org,2002:str" and secret_text(str(node.value))


def header_credentials(text: str, node: yaml.Node) -> Iterator[Span]:
    """An ``Authorization: Bearer <token>`` written into an annotation (an ingress snippet)."""
    import yaml

    if not isinstance(node, yaml.ScalarNode) or "uthorization" not in text[node.start_mark.index : node.end_mark.index]:
        return
    start, end = node.start_mark.index, node.end_mark.index
    for match in AUTH_HEADER.finditer(text, start, end):
        yield Span(*match.span("credential"))


def scalar_spans(text: str, node: yaml.Node) -> Iterator[Span]:
    """A scalar value's characters as written: inside its quotes, the plain text, the lines of a
    block scalar (``|``/``>``: its indicator line is shown)."""
    import yaml

    if not isinstance(node, yaml.ScalarNode):
        return
    start, end = node.start_mark.index, node.end_mark.index
    if node.style in ("'", '"'):
        start, end = start + 1, end - 1
    elif node.style in ("|", ">"):
        newline = text.find("\n", start, end)
        if newline == -1:
            return
        start = newline + 1
    yield from trimmed_lines(text, start, end)


def _scalar(node: yaml.Node) -> str | None:
    import yaml

    return str(node.value) if isinstance(node, yaml.ScalarNode) else None
