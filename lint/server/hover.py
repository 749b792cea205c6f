"""Hover on a finding: which rule, and its "Why is this bad?" section (from ``Rule.docs()``)."""

from __future__ import annotations

import re

from authlint.diagnostics.diagnostic import Diagnostic

HEADING = re.compile(r"^#+\s*(.+?)\s*$")
WHY = "why is this bad?"


def why_section(docs: str) -> str:
    """The text under the docs' "Why is this bad?" heading, up to the next heading ('' if none)."""
    lines: list[str] = []
    inside = False
    for line in docs.splitlines():
        heading = HEADING.match(line)
        if heading:
            if inside:
                break
            inside = heading.group(1).strip().lower() == WHY
            continue
        if inside:
            lines.append(line)
    return "\n".join(lines).strip()


def hover_text(diagnostics: list[Diagnostic]) -> str:
    """Markdown for the findings under the cursor: each rule once, its summary and why it matters."""
    from authlint.rules import get

    blocks = []
    seen: set[str] = set()
    for diag in diagnostics:
        if diag.code in seen:
            continue
        seen.add(diag.code)
        rule = get(diag.code)
        if rule is None:
            continue
        block = f"**{rule.code} {rule.name}**: {rule.summary}"
        why = why_section(rule.docs())
        if why:
            block += f"\n\n**Why is this bad?**\n\n{why}"
        blocks.append(block)
    return "\n\n---\n\n".join(blocks)
