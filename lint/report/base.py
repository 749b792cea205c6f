"""What every report format needs: the diagnostics, the rules that ran, and safe text helpers."""

from __future__ import annotations

from dataclasses import dataclass, field

from authlint.diagnostics.diagnostic import Applicability, Diagnostic
from authlint.diagnostics.mask import MaskedLine, Masker, mask_new_text, scrub_patterns, source_line
from authlint.files.discover import Skipped
from authlint.files.source import Source
from authlint.rule import Rule

DOCS_URL = "https://github.com/authlint/authlint/blob/main/README.md#rules"


@dataclass
class ReportInput:
    diagnostics: list[Diagnostic]
    rules: list[Rule] = field(default_factory=list)
    files_checked: int = 0
    unsafe_fixes: bool = False
    # walked files skipped unread for max-file-size (``files.discover.Skipped``): not findings, but a
    # report that counted them as checked would overstate what was looked at
    too_large: list[Skipped] = field(default_factory=list)
    max_file_size: int = 0


def skipped_note(report: ReportInput) -> str:
    """``2 files skipped (larger than max-file-size, 1,048,576 bytes); --verbose lists them.``, or empty."""
    count = len(report.too_large)
    if not count:
        return ""
    plural = "s" if count != 1 else ""
    return (f"{count} file{plural} skipped (larger than max-file-size, {report.max_file_size:,} bytes); "
            f"--verbose lists {'them' if count != 1 else 'it'}.")


def safe_message(diag: Diagnostic) -> str:
    """The message as the rule wrote it: a rule puts a secret in a message only masked
    (``mask.Masked`` fields), so nothing is guessed here. The last resort masks what the pattern
    set recognises (a JWT, a PEM body, an nkey seed, a URL password), shapes no word has."""
    return scrub_patterns(diag.message)


def safe_line(diag: Diagnostic, line: int) -> MaskedLine:
    """The 1-based ``line`` of the finding's file, its secret spans masked, with the column map
    that puts the underline on the masked text."""
    if not diag.source.text:
        return MaskedLine("")
    return source_line(diag.source, line)


def fix_label(diag: Diagnostic) -> str | None:
    if diag.fix is None:
        return None
    return {
        Applicability.SAFE: "safe fix",
        Applicability.UNSAFE: "unsafe fix",
        Applicability.DISPLAY_ONLY: "suggestion",
    }[diag.fix.applicability]


def safe_edit_content(diag: Diagnostic, content: str, source: Source | None = None) -> str:
    """An edit's new text, fit to print: it is new text, so no span describes it; the exact secret
    values of the files the fix edits that it contains are masked (the plaintext it replaces never
    prints; a bcrypt hash it inserts may), and what the pattern set recognises. ``source``: kept
    for callers naming the edited file; every file of the fix lends its values."""
    sources = [source or diag.source, *(diag.fix.sources(diag.source).values() if diag.fix else ())]
    values = {value for each in sources for value in Masker.of(each).values()}
    return mask_new_text(content, values)


def safe_title(diag: Diagnostic) -> str:
    """The fix's title as the rule wrote it (a key a title names is masked when it is made: JWT003);
    the pattern set is the last resort, as for messages."""
    assert diag.fix is not None
    return scrub_patterns(diag.fix.title)


def fix_files_note(diag: Diagnostic) -> str:
    """`` (edits 2 files: client.ts, server.js)`` for a fix of several files, else empty."""
    if diag.fix is None:
        return ""
    files = list(diag.fix.by_file(diag.path))
    if len(files) < 2:
        return ""
    return f" (edits {len(files)} files: {', '.join(files)})"
