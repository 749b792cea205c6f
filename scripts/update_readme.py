"""Regenerate the rules table and the fixes table in README.md from the registry
(tests/test_readme.py checks both are current)."""

from __future__ import annotations

import re
import sys
from pathlib import Path

README = Path(__file__).resolve().parent.parent / "README.md"
START, END = "<!-- rules-table -->", "<!-- /rules-table -->"
FIXES_START, FIXES_END = "<!-- fixes-table -->", "<!-- /fixes-table -->"
FIX = {"none": "", "sometimes": "sometimes", "always": "yes"}


def rules_table() -> str:
    from authlint.rules import registry

    lines = ["| code | name | inputs | fix | summary |", "| --- | --- | --- | --- | --- |"]
    for rule in registry().values():
        inputs = rule.languages or ", ".join(sorted(rule.kinds))
        lines.append(f"| {rule.code} | {rule.name} | {inputs} | {FIX[rule.fix_availability.value]} | {rule.summary} |")
    return "\n".join(lines)


def fixes_table() -> str:
    """One row per kind of fix each rule offers, with its class (``Rule.fix_offers``)."""
    from authlint.rules import registry

    lines = ["| code | class | what the fix does |", "| --- | --- | --- |"]
    for rule in registry().values():
        for offer in rule.fix_offers:
            lines.append(f"| {rule.code} | {offer.applicability.value} | {offer.does} |")
    return "\n".join(lines)


def _replace(text: str, start: str, end: str, body: str) -> str:
    pattern = re.compile(re.escape(start) + ".*?" + re.escape(end), re.S)
    return pattern.sub(lambda _: f"{start}\n{body}\n{end}", text)


def updated(text: str) -> str:
    text = _replace(text, START, END, rules_table())
    return _replace(text, FIXES_START, FIXES_END, fixes_table())


if __name__ == "__main__":
    text = README.read_text(encoding="utf-8")
    new = updated(text)
    if "--check" in sys.argv:
        sys.exit(0 if new == text else 1)
    README.write_text(new, encoding="utf-8")
