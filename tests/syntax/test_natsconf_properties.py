"""Property tests: any text gives a tree or a ParseError (never another exception), spans are
exact, and configs rendered in any of nats-server's styles read back as the values written."""

from __future__ import annotations

import string

from hypothesis import given, settings
from hypothesis import strategies as st

from authlint.syntax.errors import ParseError
from authlint.syntax.natsconf import ArrayNode, MapNode, iter_nodes, parse_text

GRAMMAR_CHARS = st.sampled_from(list("{}[]()=:;,#/'\"\\$-.\n\r\t ") + list("abkmg0129eyJS_"))


@settings(max_examples=400, deadline=None)
@given(st.text(GRAMMAR_CHARS, max_size=80))
def test_any_text_parses_or_raises_parse_error(text: str) -> None:
    try:
        config = parse_text(text, env={})
    except ParseError as exc:
        assert 0 <= exc.offset <= len(text)
        return
    for node in iter_nodes(config.root):
        if node is not config.root:
            assert text[node.span.start : node.span.end] == node.raw
    for comment in config.comments:
        assert text[comment.span.start : comment.span.end] == comment.text


KEYS = st.text(string.ascii_lowercase + "_", min_size=1, max_size=8).filter(lambda k: k.lower() != "include")
SCALARS = st.one_of(
    st.integers(min_value=-(10**12), max_value=10**12),
    st.booleans(),
    st.text(string.ascii_letters + string.digits + " _-.:/@#", max_size=12),
)
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.one_of(st.lists(inner, max_size=3), st.dictionaries(KEYS, inner, max_size=3)),
    max_leaves=8,
)


def render(value, style: int) -> str:
    if isinstance(value, bool):
        return ["true", "false", "yes", "no", "on", "off"][(0 if value else 1) + 2 * (style % 3)]
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        escaped = value.replace("\\", "\\\\").replace('"', '\\"')
        return f'"{escaped}"' if style % 2 or "'" in value else f"'{value}'"
    if isinstance(value, list):
        sep = ", " if style % 2 else "\n"
        return (
            "[" + sep.join(render(v, style + 1) + (" " if not isinstance(v, (dict, list)) else "") for v in value) + "]"
        )
    seps = [": ", " = ", " ", ":"]
    terms = ["\n", ", ", "; "]
    body = "".join(f"{k}{seps[style % 4]}{render(v, style + 1)}{terms[style % 3]}" for k, v in value.items())
    return "{" + body + "}"


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(KEYS, VALUES, max_size=5), st.integers(min_value=0, max_value=11))
def test_rendered_configs_read_back(data: dict, style: int) -> None:
    text = "".join(f"{k}{[': ', ' = ', ' '][style % 3]}{render(v, style)}\n" for k, v in data.items())
    config = parse_text(text, env={})
    assert config.py() == data


def test_container_nodes_know_their_items() -> None:
    config = parse_text("a [ 1 , {b: 2} ]\n", env={})
    array = config.root.get("a").value
    assert isinstance(array, ArrayNode) and isinstance(array.items[1], MapNode)
