"""Environment values in deployment YAML: Compose services and Kubernetes containers (``EnvBlock``).

- Compose (a document with a ``services`` mapping): each service's ``environment`` (a mapping, or a
  list of ``KEY=value``), its ``env_file`` entries (a path, a list of paths or of ``{path: ...}``),
  its ``build`` context (``build: ./auth`` or ``build: {context: ./auth}``: the folder whose code the
  service runs) and ``image``. Paths are relative to the Compose file's folder, as Compose reads them.
- Kubernetes (a document with ``apiVersion`` and ``kind``): every container (a mapping with ``image``
  and ``env``) under it, its ``env: [{name, value}]``; ``valueFrom`` is not a literal.

A value is a literal unless it interpolates (``${VAR}``, ``$VAR``: Compose expands them from the
shell or the project's ``.env``, which authlint does not do; ``$$`` is a literal dollar) or is
null (``- KEY`` and ``KEY:`` pass the host's value through).
"""

from __future__ import annotations

import posixpath
import re
from typing import TYPE_CHECKING, Iterator

from authlint.facts.model import EnvBlock, EnvSetting, Fact
from authlint.files.source import Span
from authlint.syntax.yamlfile import mapping_items, walk

if TYPE_CHECKING:
    import yaml

    from authlint.run.context import FileContext

INTERPOLATION = re.compile(r"(?<!\$)\$(?:\{|[A-Za-z_])")
TEMPLATE = "{{"  # a Helm expression: not a literal either


def extract(ctx: FileContext) -> Iterator[Fact]:
    import yaml

    for document in ctx.tree:
        if not isinstance(document, yaml.MappingNode):
            continue
        top = mapping_items(document)
        services = top.get("services")
        if services is not None and isinstance(services[1], yaml.MappingNode):
            yield from _compose(ctx, services[1])
        elif "apiVersion" in top and "kind" in top:
            yield from _kubernetes(ctx, document, top)


# -- Compose -----------------------------------------------------------------------------------------


def _compose(ctx: FileContext, services: yaml.MappingNode) -> Iterator[Fact]:
    import yaml

    folder = posixpath.dirname(ctx.source.relpath)
    for key, node in services.value:
        if not isinstance(key, yaml.ScalarNode) or not isinstance(node, yaml.MappingNode):
            continue
        items = mapping_items(node)
        settings = _environment(ctx, items["environment"][1]) if "environment" in items else []
        env_files = tuple(_env_files(folder, items["env_file"][1])) if "env_file" in items else ()
        if not settings and not env_files:
            continue
        yield EnvBlock(
            source=ctx.source, span=Span(key.start_mark.index, key.end_mark.index), lang="yaml", origin="compose",
            service=str(key.value), image=_text(items.get("image")), serves=_build(folder, items.get("build")),
            env_files=env_files, settings=settings,
        )


def _build(folder: str, build: tuple[yaml.Node, yaml.Node] | None) -> str | None:
    """The build context as a project relpath ("" for the root); None without one or outside the project."""
    import yaml

    if build is None:
        return None
    node = build[1]
    if isinstance(node, yaml.MappingNode):
        context = mapping_items(node).get("context")
        path = _text(context) if context is not None else "."
    else:
        path = _text(build)
    return _inside(folder, path) if path else None


def _env_files(folder: str, node: yaml.Node) -> Iterator[str]:
    import yaml

    entries = node.value if isinstance(node, yaml.SequenceNode) else [node]
    for entry in entries:
        if isinstance(entry, yaml.MappingNode):  # long syntax: {path: ./x.env, required: false}
            path = mapping_items(entry).get("path")
            text = _text(path) if path is not None else ""
        else:
            text = str(entry.value) if isinstance(entry, yaml.ScalarNode) else ""
        resolved = _inside(folder, text) if text and not INTERPOLATION.search(text) else None
        if resolved:
            yield resolved


def _inside(folder: str, path: str) -> str | None:
    """``path`` (relative to ``folder``) as a project relpath; None when absolute, remote or outside."""
    if path.startswith(("/", "~")) or "://" in path or path.startswith("git@"):
        return None
    joined = posixpath.normpath(posixpath.join(folder, path))
    if joined == ".":
        return ""
    return None if joined.startswith("..") else joined


def _environment(ctx: FileContext, node: yaml.Node) -> list[EnvSetting]:
    """A Compose ``environment``: ``KEY: value`` pairs or ``- KEY=value`` items."""
    import yaml

    text = ctx.source.text
    found: list[EnvSetting] = []
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            if isinstance(key, yaml.ScalarNode):
                found.append(EnvSetting(str(key.value), _literal(value), _value_span(text, value)))
    elif isinstance(node, yaml.SequenceNode):
        for item in node.value:
            if not isinstance(item, yaml.ScalarNode):
                continue
            name, equals, value = str(item.value).partition("=")
            span = _value_span(text, item)
            if not equals:
                found.append(EnvSetting(name.strip(), None, span))
                continue
            at = text.find("=", span.start, span.end)
            value_span = Span(at + 1, span.end) if at != -1 and "\n" not in text[span.start : span.end] else span
            found.append(EnvSetting(name.strip(), None if _interpolates(value) else value.replace("$$", "$"), value_span))
    return found


# -- Kubernetes --------------------------------------------------------------------------------------


def _kubernetes(ctx: FileContext, document: yaml.MappingNode, top: dict) -> Iterator[Fact]:
    import yaml

    kind = _text(top.get("kind"))
    metadata = top.get("metadata")
    name = _text(mapping_items(metadata[1]).get("name")) if metadata is not None else ""
    workload = f"{kind}/{name}" if name else kind
    containers = [node for node in walk(document) if isinstance(node, yaml.MappingNode)
                  and {"image", "env"} <= mapping_items(node).keys()]
    for node in containers:
        items = mapping_items(node)
        env = items["env"][1]
        if not isinstance(env, yaml.SequenceNode):
            continue
        settings: list[EnvSetting] = []
        for entry in env.value:
            fields = mapping_items(entry)
            if "name" not in fields:
                continue
            variable = _text(fields["name"])
            value = fields.get("value")
            if value is None:  # valueFrom: a Secret, a ConfigMap, a field: not written here
                settings.append(EnvSetting(variable, None, Span(fields["name"][1].start_mark.index,
                                                                  fields["name"][1].end_mark.index)))
            else:
                settings.append(EnvSetting(variable, _literal(value[1]), _value_span(ctx.source.text, value[1])))
        if not settings:
            continue
        container = _text(items.get("name"))
        service = f"{workload}:{container}" if container and len(containers) > 1 else workload
        anchor = items["env"][0]
        yield EnvBlock(
            source=ctx.source, span=Span(anchor.start_mark.index, anchor.end_mark.index), lang="yaml",
            origin="kubernetes", service=service, image=_text(items.get("image")), settings=settings,
        )


# -- scalars -----------------------------------------------------------------------------------------


def _text(pair: tuple[yaml.Node, yaml.Node] | None) -> str:
    import yaml

    if pair is None or not isinstance(pair[1], yaml.ScalarNode):
        return ""
    return str(pair[1].value)


def _interpolates(value: str) -> bool:
    return INTERPOLATION.search(value) is not None or TEMPLATE in value


def _literal(node: yaml.Node) -> str | None:
    import yaml

    if not isinstance(node, yaml.ScalarNode) or node.tag == "tag:yaml.org,2002:null":
        return None
    value = str(node.value)
    return None if _interpolates(value) else value.replace("$$", "$")


def _value_span(text: str, node: yaml.Node) -> Span:
    """The scalar's characters (inside its quotes); the whole node for other shapes."""
    import yaml

    start, end = node.start_mark.index, node.end_mark.index
    if isinstance(node, yaml.ScalarNode) and node.style in ("'", '"') and end - start >= 2:
        start, end = start + 1, end - 1
    return Span(start, max(start, end))
