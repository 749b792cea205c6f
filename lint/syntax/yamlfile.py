"""YAML parsing with pyyaml's composer: nodes with marks (char offsets), never constructed objects.

Only ``compose`` runs (safe-load semantics, no tags resolved into objects), with libyaml when present.
Aliases are shared nodes, so walkers must not revisit them (see ``walk``): a billion-laughs file
costs one visit per node.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Iterator

from authlint.files.source import Source
from authlint.syntax.errors import ParseError

if TYPE_CHECKING:
    import yaml

    from authlint.run.context import FileContext


GO_TEMPLATE = "{{"  # a template action (``{{ .Values.x }}``, ``{{- if ... }}``)


def parse_source(source: Source, ctx: FileContext | None = None) -> list[yaml.Node]:
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        return [doc for doc in yaml.compose_all(source.text, Loader=loader) if doc is not None]
    except yaml.MarkedYAMLError as exc:
        if GO_TEMPLATE in source.text:  # a Helm/Go template: YAML only once rendered, nothing to read as is
            return []
        mark = exc.problem_mark or exc.context_mark
        offset = min(mark.index, len(source.text)) if mark is not None else 0
        raise ParseError(f"YAML error: {exc.problem or exc.context}", offset) from None
    except (yaml.YAMLError, RecursionError) as exc:
        raise ParseError(f"YAML error: {exc.__class__.__name__}") from None


def walk(node: yaml.Node) -> Iterator[yaml.Node]:
    """Every node once (aliases are the same Python object: visited once)."""
    import yaml

    seen: set[int] = set()
    stack = [node]
    while stack:
        current = stack.pop()
        if id(current) in seen:
            continue
        seen.add(id(current))
        yield current
        if isinstance(current, yaml.MappingNode):
            for key, value in reversed(current.value):
                stack.append(value)
                stack.append(key)
        elif isinstance(current, yaml.SequenceNode):
            stack.extend(reversed(current.value))


def mapping_items(node: yaml.Node) -> dict[str, tuple[yaml.Node, yaml.Node]]:
    """A mapping's scalar keys -> (key node, value node); the last duplicate wins, as loaders do."""
    import yaml

    if not isinstance(node, yaml.MappingNode):
        return {}
    items: dict[str, tuple[yaml.Node, yaml.Node]] = {}
    for key, value in node.value:
        if isinstance(key, yaml.ScalarNode):
            items[str(key.value)] = (key, value)
    return items
