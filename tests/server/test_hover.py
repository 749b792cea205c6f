"""Hover text: the rule's "Why is this bad?" section, for every rule."""

from __future__ import annotations

from authlint.rules import registry
from authlint.server.hover import why_section

DOCS = """
## What it does
Finds things.

## Why is this bad?
Because.
Really.

## Example
`x`
"""


def test_the_section_ends_at_the_next_heading() -> None:
    assert why_section(DOCS) == "Because.\nReally."
    assert why_section("## What it does\nonly\n") == ""


def test_every_rule_has_a_why() -> None:
    missing = [code for code, rule in registry().items() if not why_section(rule.docs())]
    assert missing == []
