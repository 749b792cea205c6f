"""GitHub Actions workflow commands (``::error file=…,line=…::message``), escaped as actions/toolkit does."""

from __future__ import annotations

from authlint.diagnostics.diagnostic import Severity
from authlint.report.base import ReportInput, safe_message

LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def render_github(report: ReportInput) -> str:
    lines = []
    for diag in report.diagnostics:
        line, col = diag.start
        end_line, end_col = diag.end
        props = [f"title={escape_property(f'authlint ({diag.code})')}", f"file={escape_property(diag.path)}"]
        if line == end_line:
            props += [f"line={line}", f"col={col}", f"endLine={end_line}", f"endColumn={max(end_col, col + 1)}"]
        else:
            props += [f"line={line}", f"endLine={end_line}"]
        message = escape_data(f"{diag.code} {safe_message(diag)}")
        lines.append(f"::{LEVELS[diag.severity]} {','.join(props)}::{message}")
    return "".join(line + "\n" for line in lines)
