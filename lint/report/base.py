"""What every report format needs: the diagnostics, the rules that ran, and safe text helpers."""

from __future__ import annotations

from dataclasses import dataclass, field

from authlint.diagnostics.diagnostic import Applicability, Diagnostic
from authlint.diagnostics.redact import scrub_line
from authlint.files.kinds import CODE_KINDS
from authlint.files.source import Source
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


def safe_edit_content(diag: Diagnostic, content: str, source: Source | None = None) -> str:
    """An edit's new text with secrets masked; ``source``: the file it edits (default the finding's)."""
    return scrub_line(content, diag.secrets, code=(source or diag.source).kind in CODE_KINDS)


def fix_files_note(diag: Diagnostic) -> str:
    """`` (edits 2 files: client.ts, server.js)`` for a fix of several files, else empty."""
    if diag.fix is None:
        return ""
    files = list(diag.fix.by_file(diag.path))
    if len(files) < 2:
        return ""
    return f" (edits {len(files)} files: {', '.join(files)})"
