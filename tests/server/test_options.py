"""The editor's settings: ``check``'s selection flags, under ``authlint`` or bare."""

from __future__ import annotations

from authlint.server.options import EditorOptions


def test_settings_under_the_authlint_key_or_bare() -> None:
    nested = EditorOptions.parse({"authlint": {"select": ["SIO"], "ignore": "JWT004", "extend-select": ["E"]}})
    assert nested == EditorOptions(select=("SIO",), ignore=("JWT004",), extend_select=("E",))
    assert EditorOptions.parse({"extendSelect": ["NAT"]}) == EditorOptions(extend_select=("NAT",))


def test_other_tools_settings_and_wrong_types_are_ignored() -> None:
    assert EditorOptions.parse(None) == EditorOptions()
    assert EditorOptions.parse({"python": {"select": ["X"]}, "ignore": [1, 2]}) == EditorOptions()
