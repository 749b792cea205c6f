"""Regenerate the rules table in README.md from the registry (tests/test_readme.py checks it)."""

from __future__ import annotations

import re
import sys
from pathlib import Path

README = Path(__file__).resolve().parent.parent / "README.md"
START, END = "<!-- rules-table -->", "<!-- /rules-table -->"
FIX = {"none": "", "sometimes": "sometimes", "always": "yes"}


def rules_table() -> str:
    from authlint.rules import registry

    lines = ["| code | name | inputs | fix | summary |", "| --- | --- | --- | --- | --- |"]
    for rule in registry().values():
        inputs = rule.languages or ", ".join(sorted(rule.kinds))
        lines.append(f"| {rule.code} | {rule.name} | {inputs} | {FIX[rule.fix_availability.value]} | {rule.summary} |")
    return "\n".join(lines)


def updated(text: str) -> str:
    pattern = re.compile(re.escape(START) + ".*?" + re.escape(END), re.S)
    return pattern.sub(lambda _: f"{START}\n{rules_table()}\n{END}", text)


if __name__ == "__main__":
    text = README.read_text(encoding="utf-8")
    new = updated(text)
    if "--check" in sys.argv:
        sys.exit(0 if new == text else 1)
    README.write_text(new, encoding="utf-8")
