"""Generated HOCON, written every way the format allows, gives each key the value pyhocon gives it
and a span that holds exactly that value."""

from __future__ import annotations

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pyhocon import ConfigFactory

from authlint.syntax.hocon import parse, plain

KEYS = st.from_regex(r"k[a-z0-9-]{0,5}", fullmatch=True)
TEXT = st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), min_size=1, max_size=8)
SCALARS = st.one_of(TEXT, st.integers(-1000, 1000), st.booleans(), st.none())
VALUES = st.one_of(SCALARS, st.lists(st.one_of(TEXT, st.none()), max_size=4))
TREES = st.recursive(
    st.dictionaries(KEYS, VALUES, min_size=1, max_size=4),
    lambda inner: st.dictionaries(KEYS, st.one_of(VALUES, inner), min_size=1, max_size=4),
    max_leaves=8,
)


def literal(value) -> str:
    if isinstance(value, list):
        return "[" + ", ".join(literal(item) for item in value) + "]"
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    return json.dumps(value, ensure_ascii=False)


def render(tree: dict, draw, prefix: tuple[str, ...] = (), indent: str = "") -> list[str]:
    lines = []
    for key, value in tree.items():
        comment = draw(st.sampled_from(["", "  # note", " // note"]))
        style = draw(st.sampled_from(["block", "equals-block", "dotted"])) if isinstance(value, dict) else "value"
        # pyhocon refuses a quoted segment inside a dotted path (`a."b" = 1`): only a key written
        # alone is quoted
        name = f'"{key}"' if not prefix and style != "dotted" and draw(st.booleans()) else key
        if style == "dotted":
            lines += render(value, draw, (*prefix, name), indent)
        elif isinstance(value, dict):
            opener = {"block": " {", "equals-block": " = {"}[style]
            lines.append(indent + ".".join((*prefix, name)) + opener + comment)
            lines += render(value, draw, (), indent + "  ")
            lines.append(indent + "}")
        else:
            separator = draw(st.sampled_from([" = ", ": ", " : ", "="]))
            lines.append(indent + ".".join((*prefix, name)) + separator + literal(value) + comment)
    return lines


def leaves(tree: dict, prefix: tuple[str, ...] = ()):
    for key, value in tree.items():
        if isinstance(value, dict):
            yield from leaves(value, (*prefix, key))
        else:
            yield (*prefix, key), value


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tree=TREES, data=st.data())
def test_each_leaf_is_located_with_its_value(tree: dict, data) -> None:
    text = "\n".join(render(tree, data.draw)) + "\n"
    document = parse(text)
    for path, value in leaves(tree):
        assert document.value(path, default="unset") == value, (path, text)
        field = document.assigned(path)
        assert field is not None, (path, text)
        written = text[field.value.start : field.value.end]
        assert plain(ConfigFactory.parse_string("v = " + written, resolve=False))["v"] == value, (written, text)
        assert text[field.name.start : field.name.end].strip('"') == path[-1]
        if isinstance(value, list):
            assert field.elements is not None and len(field.elements) == len(value)
