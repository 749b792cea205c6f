"""nats-server configs that live inside YAML: a ConfigMap's ``data: {nats.conf: |}``, a Secret's
``stringData`` (or base64 ``data``), any ``*nats*.conf`` key whose text is a NATS config, and what
the official Helm chart renders from a values file (``lint/syntax/helm_nats.py``).

Each config becomes an ``EmbeddedSource``: the text nats-server would read, plus how every
character maps back to the YAML file, so findings are reported at their real line and column.

- A literal block scalar (``|``, ``|-``, ``|+``) is read *in place*: the text is the YAML file with
  every character outside the block's content blanked (newlines kept), so offsets, lines and
  columns are the file's own, and a fix edits the YAML file directly (a new line is indented like
  the block). nats-server's format ignores the indentation, except inside a ``( ... )`` block
  string, whose closing ``)`` must start a line: such a config is read like the next kind.
- Other scalars (folded ``>``, plain, quoted) are read from their value, each character mapped to
  the file character it came from where the two can be aligned (else to the scalar as a whole).
  Their fixes are display-only: an edit would have to be re-folded or re-escaped.
- A Secret's base64 ``data`` is decoded and every position maps to the encoded value; its text is
  a secret of the YAML file as a whole (masked there), the config's own secrets are masked too.

nginx configuration inside YAML (ConfigMap keys, ingress snippet annotations) is found by
``lint/syntax/embedded_nginx.py`` and read through the same sources (``Found.kind``).
"""

from __future__ import annotations

import base64
import binascii
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Iterator

from authlint.files.kinds import NATSCONF
from authlint.files.source import Source, Span

if TYPE_CHECKING:
    import yaml

IN_PLACE = "in-place"  # literal block scalar: offsets are the YAML file's own
ALIGNED = "aligned"  # each character mapped to the file character it came from
WHOLE = "whole"  # every position is the scalar as a whole (base64 ``data``, unalignable escapes)
RENDERED = "rendered"  # Helm chart output: each position is the values-file node that decided it
CONF_KEY = re.compile(r"\.(?:conf|cfg)$", re.IGNORECASE)
NATS_NAMED = re.compile(r"(?:^|[/._-])(?:nats|nats-server|gnatsd)(?:[._-][\w.-]*)?\.conf$", re.IGNORECASE)
CONFIG_KINDS = {"ConfigMap": ("data", "binaryData"), "Secret": ("stringData", "data")}


@dataclass
class EmbeddedSource(Source):
    """A nats-server config inside a YAML file (``host``). ``offsets``: for each character of
    ``text`` (and one past its end) the host offset it maps to; None when they are the host's own
    (``IN_PLACE``). ``label`` says where it is (``ConfigMap nats-config, key nats.conf``)."""

    host: Source | None = field(default=None, repr=False, compare=False)
    offsets: tuple[int, ...] | None = field(default=None, repr=False, compare=False)
    # for each character the end of the host characters it stands for (``offsets``: their start)
    ends: tuple[int, ...] | None = field(default=None, repr=False, compare=False)
    mode: str = IN_PLACE
    label: str = ""
    indent: str = ""  # the block's indentation: what a new line of a fix starts with
    env: dict[str, str] | None = field(default=None, repr=False, compare=False)  # what the deployment sets

    @property
    def fixable(self) -> bool:
        """Whether a fix's edits can be written into the YAML file as they are (re-indented)."""
        return self.mode == IN_PLACE

    def host_offset(self, offset: int) -> int:
        if self.offsets is None:
            return offset
        return self.offsets[max(0, min(offset, len(self.offsets) - 1))]

    def host_span(self, span: Span) -> Span:
        """The YAML file's characters a span of the config stands for."""
        if self.offsets is None:
            return span
        last = len(self.offsets) - 1
        start = max(0, min(span.start, last))
        if self.mode in (WHOLE, RENDERED) and self.ends is not None:
            return Span(self.offsets[start], self.ends[start])
        if span.end <= span.start or self.ends is None:
            return Span(self.offsets[start], self.offsets[start])
        end = self.ends[max(0, min(span.end, last + 1) - 1)]
        return Span(self.offsets[start], max(self.offsets[start], end))

    def position(self, offset: int) -> tuple[int, int]:
        """The YAML file's line and column (messages that name a line name the file's)."""
        assert self.host is not None
        return self.host.position(self.host_offset(offset))

    def reindent(self, content: str, at_line_start: bool = False) -> str:
        """Text a fix inserts, each of its new lines inside the block: indented like it, unless the
        fix already indented it (the kit copies the indentation of the text, which in place is the
        block's). ``at_line_start``: the text starts a line of its own."""
        indent = self.indent

        def indented(line: str) -> str:
            return line if not line or line.startswith(indent) else indent + line

        lines = re.split(r"(\r\n|\n|\r)", content)
        out = [indented(lines[0]) if at_line_start else lines[0]]
        for i in range(1, len(lines), 2):
            out.append(lines[i])
            out.append(indented(lines[i + 1]))
        return "".join(out)


@dataclass
class Found:
    """A scalar of a YAML document that holds a config: where it is and what it is called."""

    node: yaml.Node
    label: str
    base64: bool = False
    siblings: dict[str, yaml.Node] = field(default_factory=dict)  # other keys of the same data map
    env: dict[str, str] | None = None  # what the containers that mount it set (None: none seen)
    kind: str = NATSCONF  # the config's format (nginx: lint/syntax/embedded_nginx.py)


def scalar_text(node: yaml.Node) -> str | None:
    import yaml

    return str(node.value) if isinstance(node, yaml.ScalarNode) else None


def looks_like_nats_text(key: str, text: str) -> bool:
    from authlint.files.classify import looks_like_nats

    return bool(NATS_NAMED.search(key)) or looks_like_nats(text.encode("utf-8", "surrogatepass"))


def find_configs(documents: list) -> Iterator[Found]:
    """The scalars that hold nats-server configs: ConfigMap/Secret data keys named ``*.conf`` whose
    text is NATS (by name or content), and any ``*nats*.conf: |`` key elsewhere (kustomize
    patches, other charts' values)."""
    import yaml

    from authlint.syntax.yamlfile import mapping_items, walk

    seen: set[int] = set()
    mounted = workload_env(documents)
    for document in documents:
        for node in walk(document):
            if not isinstance(node, yaml.MappingNode):
                continue
            items = mapping_items(node)
            kind = scalar_text(items["kind"][1]) if "kind" in items else None
            if kind in CONFIG_KINDS:
                name = _metadata_name(items)
                for field_name in CONFIG_KINDS[kind]:
                    data = items.get(field_name)
                    if data is None or not isinstance(data[1], yaml.MappingNode):
                        continue
                    encoded = field_name in ("data", "binaryData") and kind == "Secret" or field_name == "binaryData"
                    siblings = {k: v for k, (_, v) in mapping_items(data[1]).items()}
                    for key, value in siblings.items():
                        if id(value) in seen or not CONF_KEY.search(key):
                            continue
                        text = scalar_text(value)
                        if text is None:
                            continue
                        plain = _decoded(text) if encoded else text
                        if plain is None or not looks_like_nats_text(key, plain):
                            continue
                        seen.add(id(value))
                        label = f"{kind} {name}, {field_name} key {key}".replace("  ", " ")
                        yield Found(value, label, encoded, siblings, mounted.get((kind, _raw_name(items))))
                continue
            for key, (_key_node, value) in items.items():
                text = scalar_text(value)
                if text is None or id(value) in seen or not NATS_NAMED.search(key) or "\n" not in text:
                    continue
                if looks_like_nats_text(key, text):
                    seen.add(id(value))
                    yield Found(value, f"key {key}")


WORKLOADS = frozenset({"Pod", "Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job", "CronJob"})
FROM_CLUSTER = "set-by-kubernetes"  # stands for a variable set through valueFrom or envFrom


class AnyVariable(dict):
    """The environment of a container with ``envFrom``: any variable may be set, to a value
    authlint cannot read."""

    def get(self, name, default=None):  # type: ignore[override]
        return super().get(name, FROM_CLUSTER)


def workload_env(documents: list) -> dict[tuple[str, str], dict[str, str]]:
    """For each ConfigMap and Secret a workload of these documents mounts as a volume, what its
    containers set in their environment (``env`` values, ``valueFrom`` as set; ``envFrom``: any).
    nats-server reads a ``$VAR`` the config does not define from there."""
    import yaml

    from authlint.syntax.yamlfile import mapping_items, walk

    found: dict[tuple[str, str], dict[str, str]] = {}
    for document in documents:
        if not isinstance(document, yaml.MappingNode):
            continue
        kind = mapping_items(document).get("kind")
        if kind is None or scalar_text(kind[1]) not in WORKLOADS:
            continue
        for node in walk(document):
            items = mapping_items(node)
            if "containers" not in items or "volumes" not in items:
                continue
            env = _containers_env(items["containers"][1])
            for volume in getattr(items["volumes"][1], "value", []):
                for mount in _volume_sources(volume):
                    known = found.setdefault(mount, AnyVariable() if isinstance(env, AnyVariable) else {})
                    if isinstance(env, AnyVariable) and not isinstance(known, AnyVariable):
                        known = found[mount] = AnyVariable(known)
                    known.update(env)
    return found


def _containers_env(containers: yaml.Node) -> dict[str, str]:
    from authlint.syntax.yamlfile import mapping_items

    env: dict[str, str] = {}
    open_env = False
    for container in getattr(containers, "value", []):
        items = mapping_items(container)
        open_env |= "envFrom" in items
        for item in getattr(items.get("env", (None, None))[1], "value", []) or []:
            fields = mapping_items(item)
            name = scalar_text(fields["name"][1]) if "name" in fields else None
            if name:
                value = scalar_text(fields["value"][1]) if "value" in fields else None
                # ``valueFrom``, and ``$(OTHER)`` that Kubernetes expands: set, to what authlint cannot read
                env[name] = value if value is not None and "$" not in value else FROM_CLUSTER
    return AnyVariable(env) if open_env else env


def _volume_sources(volume: yaml.Node) -> list[tuple[str, str]]:
    """The ConfigMaps and Secrets a volume mounts (directly or projected)."""
    from authlint.syntax.yamlfile import mapping_items

    items = mapping_items(volume)
    sources = [items]
    projected = items.get("projected")
    if projected is not None:
        listed = mapping_items(projected[1]).get("sources")
        sources += [mapping_items(item) for item in getattr(listed[1], "value", [])] if listed else []
    found = []
    for entry in sources:
        for kind, field_name, key in (("ConfigMap", "configMap", "name"), ("Secret", "secret", "secretName"),
                                      ("Secret", "secret", "name")):
            ref = entry.get(field_name)
            name = mapping_items(ref[1]).get(key) if ref is not None else None
            if name is not None and scalar_text(name[1]):
                found.append((kind, str(scalar_text(name[1]))))
    return found


def _raw_name(items: dict) -> str:
    from authlint.syntax.yamlfile import mapping_items

    metadata = items.get("metadata")
    name = mapping_items(metadata[1]).get("name") if metadata is not None else None
    return (scalar_text(name[1]) or "") if name is not None else ""


def _metadata_name(items: dict) -> str:
    from authlint.syntax.yamlfile import mapping_items

    metadata = items.get("metadata")
    if metadata is None:
        return ""
    name = mapping_items(metadata[1]).get("name")
    return f"`{scalar_text(name[1])}`" if name is not None and scalar_text(name[1]) is not None else ""


def _decoded(text: str) -> str | None:
    try:
        raw = base64.b64decode("".join(text.split()), validate=True)
        return raw.decode("utf-8")
    except (binascii.Error, ValueError):
        return None


# ------------------------------------------------------------------------------------ sources


def embedded_source(host: Source, found: Found) -> EmbeddedSource:
    """The config of one scalar, read in place when it is a literal block, else mapped."""
    source = _source(host, found)
    source.env = found.env
    return source


def _source(host: Source, found: Found) -> EmbeddedSource:
    node = found.node
    value = str(node.value)
    whole = Span(node.start_mark.index, node.end_mark.index)
    if found.base64:
        return _whole(host, _decoded(value) or "", whole, found.label, found.kind)
    if node.style == "|":
        in_place = _in_place(host, node, value, found.kind)
        if in_place is not None:
            text, indent = in_place
            return _make(host, text, None, IN_PLACE, found.label, indent, found.kind)
    aligned = align(value, host.text, whole.start, whole.end)
    if aligned is not None:
        source = _make(host, value, aligned[0], ALIGNED, found.label, kind=found.kind)
        source.ends = tuple(aligned[1])
        return source
    return _whole(host, value, whole, found.label, found.kind)


def _make(host: Source, text: str, offsets, mode: str, label: str, indent: str = "",
          kind: str = NATSCONF) -> EmbeddedSource:
    return EmbeddedSource(
        path=host.path, relpath=host.relpath, text=text, kind=kind, host=host,
        offsets=None if offsets is None else tuple(offsets), mode=mode, label=label, indent=indent,
    )


def _whole(host: Source, text: str, whole: Span, label: str, kind: str = NATSCONF) -> EmbeddedSource:
    source = _make(host, text, [whole.start] * (len(text) + 1), WHOLE, label, kind=kind)
    source.ends = (whole.end,) * (len(text) + 1)
    return source


BLOCK_CLOSE = re.compile(r"^[ \t]*\)[ \t]*$", re.MULTILINE)
NOT_SPACE = re.compile(r"\s+")


def _in_place(host: Source, node: yaml.Node, value: str, kind: str = NATSCONF) -> tuple[str, str] | None:
    """The host text with all but the block's content blanked, and the block's indentation; None
    when reading in place would not give nats-server's reading (a ``( ... )`` block string; nginx
    reads any indentation alike)."""
    if kind == NATSCONF and BLOCK_CLOSE.search(value):
        return None
    text = host.text
    header_end = text.find("\n", node.start_mark.index)
    if header_end < 0:
        return None
    start = header_end + 1
    end = min(node.end_mark.index, len(text))
    lines = text[start:end].splitlines(keepends=True)
    indent = None
    for line in lines:
        if line.strip():
            indent = len(line) - len(line.lstrip(" "))
            break
    if not indent:
        return None
    kept: list[str] = []
    for line in lines:
        body = line.rstrip("\r\n")
        ending = line[len(body):]
        if body.strip() and len(body) - len(body.lstrip(" ")) >= indent:
            kept.append(" " * indent + body[indent:] + ending)
        else:
            kept.append(" " * len(body) + ending)
    middle = "".join(kept)
    blanked = _blank(text[:start]) + middle + _blank(text[end:])
    if NOT_SPACE.sub("", middle) != NOT_SPACE.sub("", value):
        return None  # the block is not what the scalar's value says: do not guess
    return blanked, " " * indent


def _blank(text: str) -> str:
    return re.sub(r"[^\r\n]", " ", text)


def align(value: str, text: str, start: int, end: int) -> tuple[list[int], list[int]] | None:
    """For each character of a scalar's value, where in the file it came from: start offsets (and
    one past the value's end) and end offsets. Folded line breaks and indentation are skipped; a
    folded space maps to the line break it replaced; a doubled quote of a single-quoted scalar is
    one character. None when the value cannot be aligned with the file (escapes)."""
    offsets: list[int] = []
    ends: list[int] = []
    at = start
    single = text[at : at + 1] == "'"
    if at < end and text[at] in "'\"|>":
        header = text[at]
        at += 1
        if header in "|>":
            newline = text.find("\n", at)
            at = end if newline < 0 else newline + 1
    for char in value:
        while at < end and text[at] != char and not (char == " " and text[at] in "\r\n") and text[at] in " \t\r\n":
            at += 1
        if at >= end:
            return None
        if not (text[at] == char or (char == " " and text[at] in "\r\n") or (char == "\n" and text[at] == "\r")):
            return None
        offsets.append(at)
        step = 2 if text[at : at + 2] == "\r\n" and char in "\n " else 1
        if char == "'" and single and text[at + 1 : at + 2] == "'":
            step = 2
        at += step
        ends.append(at)
    offsets.append(ends[-1] if ends else start)
    ends.append(offsets[-1])
    return offsets, ends
