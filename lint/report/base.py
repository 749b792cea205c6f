"""What every report format needs: the diagnostics, the rules that ran, and safe text helpers."""

from __future__ import annotations

from dataclasses import dataclass, field

from authlint.diagnostics.diagnostic import Applicability, Diagnostic
from authlint.diagnostics.redact import scrub_line
from authlint.files.kinds import CODE_KINDS
from authlint.rule import Rule

DOCS_URL = "https://github.com/authlint/authlint/blob/main/README.md#rules"


@dataclass
class ReportInput:
    diagnostics: list[Diagnostic]
    rules: list[Rule] = field(default_factory=list)
    files_checked: int = 0
    unsafe_fixes: bool = False


def safe_message(diag: Diagnostic) -> str:
    """The message with any secret the rule flagged (or that looks like one) redacted."""
    return scrub_line(diag.message, diag.secrets, code=True)


def safe_line(diag: Diagnostic, line: int) -> str:
    text = diag.source.line_text(line) if diag.source.text else ""
    return scrub_line(text, diag.secrets, code=diag.source.kind in CODE_KINDS)


def fix_label(diag: Diagnostic) -> str | None:
    if diag.fix is None:
        return None
    return {
        Applicability.SAFE: "safe fix",
        Applicability.UNSAFE: "unsafe fix",
        Applicability.DISPLAY_ONLY: "suggestion",
    }[diag.fix.applicability]


def safe_edit_content(diag: Diagnostic, content: str) -> str:
    return scrub_line(content, diag.secrets, code=diag.source.kind in CODE_KINDS)
