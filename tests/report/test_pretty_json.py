"""The report's JSON writer must print exactly what ``json.dumps(value, indent=2)`` prints."""

from __future__ import annotations

import json
from enum import Enum

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from authlint.report.pretty_json import dumps

SCALARS = st.none() | st.booleans() | st.integers() | st.floats() | st.text()
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=30,
)


@settings(max_examples=400, deadline=None)
@given(VALUES)
def test_same_text_as_json_dumps_indent_2(value) -> None:
    assert dumps(value) == json.dumps(value, indent=2)


class Level(str, Enum):
    ERROR = "error"


@pytest.mark.parametrize(
    "value",
    [[], {}, [[]], {"a": {}}, (1, 2), {"k": Level.ERROR}, {1: "int key"}, [float("nan"), float("-inf")], "é\u2028\x00"],
)
def test_edge_values_and_non_plain_types(value) -> None:
    assert dumps(value) == json.dumps(value, indent=2)
