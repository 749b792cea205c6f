"""Facts from YAML: CORS set by ingress-nginx annotations or Traefik middlewares (in manifests and
Helm values alike), and JWT literals in any scalar."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Iterator

from authlint.facts.model import CorsPolicy, Expr, Fact, JwtLiteral, Option, OptionBag
from authlint.facts.origins import settle
from authlint.files.source import Span
from authlint.syntax.yamlfile import mapping_items, walk

if TYPE_CHECKING:
    import yaml

    from authlint.run.context import FileContext

NGINX = "nginx.ingress.kubernetes.io/"
JWT_RE = re.compile(r"eyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]*")
TRUE = {"true", "yes", "on", "1"}


def _expr(ctx: FileContext, node: yaml.Node, value: object) -> Expr:
    span = Span(node.start_mark.index, node.end_mark.index)
    return Expr(span, ctx.source.slice(span), value)


def _scalar(node: yaml.Node) -> str | None:
    import yaml

    return str(node.value) if isinstance(node, yaml.ScalarNode) else None


def _origin_value(text: str) -> object:
    parts = [part.strip() for part in text.split(",") if part.strip()]
    return parts[0] if len(parts) == 1 else parts


def _bag(ctx: FileContext, items: dict[str, tuple[yaml.Node, yaml.Node]], node: yaml.Node) -> OptionBag:
    bag = OptionBag(span=Span(node.start_mark.index, node.end_mark.index), insert_at=None, form="mapping")
    for name, (key, value) in items.items():
        scalar = _scalar(value)
        bag.items[name] = Option(
            name,
            _expr(ctx, value, scalar if scalar is not None else None),
            Span(key.start_mark.index, value.end_mark.index),
            Span(key.start_mark.index, key.end_mark.index),
        )
    return bag


def _nginx_cors(ctx: FileContext, node: yaml.Node) -> Fact | None:
    items = mapping_items(node)
    enable = items.get(NGINX + "enable-cors")
    if enable is None or (_scalar(enable[1]) or "").lower() not in TRUE:
        return None
    origin = items.get(NGINX + "cors-allow-origin")
    credentials = items.get(NGINX + "cors-allow-credentials")
    origins = None
    if origin is not None and _scalar(origin[1]) is not None:
        origins = _expr(ctx, origin[1], _origin_value(_scalar(origin[1]) or ""))
    if credentials is not None and _scalar(credentials[1]) is not None:
        creds = _expr(ctx, credentials[1], (_scalar(credentials[1]) or "").lower() in TRUE)
    else:  # ingress-nginx's default for cors-allow-credentials is "true"
        creds = _expr(ctx, enable[1], True)
        creds.ref = "default:cors-allow-credentials"
    span = Span(enable[0].start_mark.index, enable[1].end_mark.index)
    policy = CorsPolicy(
        source=ctx.source, span=span, lang="yaml", framework="ingress-nginx",
        origins=origins, credentials=creds, options=_bag(ctx, items, node),
    )
    return settle(policy, bag=_below(ctx, span))


def _below(ctx: FileContext, span: Span) -> OptionBag:
    """Where a new annotation goes: on its own line under ``enable-cors``, at the same indent (a
    flow-style mapping has no such line: nothing can be inserted)."""
    text = ctx.source.text
    line_start = text.rfind("\n", 0, span.start) + 1
    indent = text[line_start : span.start]
    if indent.strip():
        return OptionBag(form="mapping")
    line_end = text.find("\n", span.end)
    return OptionBag(insert_at=len(text) if line_end == -1 else line_end, insert_prefix="\n" + indent, form="mapping")


def _traefik_cors(ctx: FileContext, node: yaml.Node) -> Fact | None:
    items = mapping_items(node)
    origin_list = items.get("accessControlAllowOriginList")
    origin_regex = items.get("accessControlAllowOriginListRegex")
    if origin_list is None and origin_regex is None:
        return None
    import yaml

    origins = None
    if origin_list is not None:
        value = origin_list[1]
        listed = [str(n.value) for n in value.value if isinstance(n, yaml.ScalarNode)] if isinstance(
            value, yaml.SequenceNode) else _scalar(value)
        origins = _expr(ctx, value, listed)
    regex = None
    if origin_regex is not None:
        value = origin_regex[1]
        patterns = [str(n.value) for n in value.value if isinstance(n, yaml.ScalarNode)] if isinstance(
            value, yaml.SequenceNode) else [_scalar(value) or ""]
        regex = _expr(ctx, value, patterns)
        regex.is_regex = True
    credentials = items.get("accessControlAllowCredentials")
    creds = None
    if credentials is not None:
        creds = _expr(ctx, credentials[1], (_scalar(credentials[1]) or "").lower() in TRUE)
    anchor = origin_list or origin_regex
    assert anchor is not None
    return settle(CorsPolicy(
        source=ctx.source, span=Span(anchor[0].start_mark.index, anchor[1].end_mark.index), lang="yaml",
        framework="traefik", origins=origins, credentials=creds, origin_regex=regex,
        options=_bag(ctx, items, node),
    ))


def extract(ctx: FileContext) -> Iterator[Fact]:
    import yaml

    text = ctx.source.text
    wants_cors = "cors" in text.lower() or "accessControlAllowOrigin" in text
    for document in ctx.tree:
        for node in walk(document):
            if isinstance(node, yaml.MappingNode) and wants_cors:
                for finder in (_nginx_cors, _traefik_cors):
                    fact = finder(ctx, node)
                    if fact is not None:
                        yield fact
            elif isinstance(node, yaml.ScalarNode) and "eyJ" in str(node.value):
                for match in JWT_RE.finditer(str(node.value)):
                    start = node.start_mark.index
                    literal = text.find(match.group(0), start, max(node.end_mark.index, start))
                    span = Span(literal, literal + len(match.group(0))) if literal >= 0 else Span(
                        start, node.end_mark.index)
                    yield JwtLiteral(source=ctx.source, span=span, lang="yaml", token=match.group(0))
