"""Human formats: ``full`` (with a code frame and the fix title) and ``concise`` (one line each)."""

from __future__ import annotations

from collections import Counter

from authlint.diagnostics.diagnostic import Applicability
from authlint.report.base import (
    ReportInput,
    fix_files_note,
    fix_label,
    safe_line,
    safe_message,
    safe_title,
    skipped_note,
)


def render_concise(report: ReportInput) -> str:
    lines = []
    for diag in report.diagnostics:
        line, col = diag.start
        lines.append(f"{diag.path}:{line}:{col}: {diag.code} {safe_message(diag)}")
    lines.append(summary(report))
    return "\n".join(lines) + "\n"


def render_full(report: ReportInput) -> str:
    blocks = []
    for diag in report.diagnostics:
        line, col = diag.start
        end_line, end_col = diag.end
        block = [f"{diag.path}:{line}:{col}: {diag.code} [{diag.severity.value}] {safe_message(diag)}"]
        if diag.source.text:
            gutter = len(str(line))
            shown = safe_line(diag, line)
            text = shown.text.expandtabs(1)  # one column per tab: the columns stay the characters'
            start, stop = shown.underline(col - 1, end_col - 1 if end_line == line else len(diag.source.line_text(line)))
            block.append(f"{' ' * gutter} |")
            block.append(f"{line} | {text}")
            block.append(f"{' ' * gutter} | {' ' * start}{'^' * max(1, stop - start)}")
        label = fix_label(diag)
        if label and diag.fix is not None:
            block.append(f"  = help: {safe_title(diag)} [{label}]{fix_files_note(diag)}")
        blocks.append("\n".join(block))
    blocks.append(summary(report))
    return "\n\n".join(blocks) + "\n"


def summary(report: ReportInput) -> str:
    skipped = skipped_note(report)
    return summary_of_findings(report) + (f"\n{skipped}" if skipped else "")


def summary_of_findings(report: ReportInput) -> str:
    count = len(report.diagnostics)
    if not count:
        return f"All checks passed ({report.files_checked} file{'s' if report.files_checked != 1 else ''} checked)."
    kinds = Counter(d.fix.applicability for d in report.diagnostics if d.fix is not None)
    text = f"Found {count} finding{'s' if count != 1 else ''}"
    text += f" in {report.files_checked} file{'s' if report.files_checked != 1 else ''} checked."
    if kinds[Applicability.SAFE]:
        text += f"\n{kinds[Applicability.SAFE]} fixable with `authlint fix --apply`."
    if kinds[Applicability.UNSAFE]:
        text += f"\n{kinds[Applicability.UNSAFE]} more fixable with `authlint fix --apply --unsafe-fixes`."
    return text


def render_statistics(report: ReportInput) -> str:
    counts = Counter(d.code for d in report.diagnostics)
    names = {d.code: d.name for d in report.diagnostics}
    fixable = {d.code for d in report.diagnostics if d.fix and d.fix.applicability is Applicability.SAFE}
    width = max((len(str(n)) for n in counts.values()), default=1)
    rows = [
        f"{n:>{width}}\t{code}\t{'[*] ' if code in fixable else '    '}{names.get(code, '')}"
        for code, n in sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    ]
    return "\n".join(rows) + ("\n" if rows else "")
