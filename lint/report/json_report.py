"""Machine formats ``json`` (one array) and ``json-lines`` (one object a line).

Record schema (stable; documented in the README):
``{code, name, path, line, column, end_line, end_column, message, severity,
fix: null | {applicability, title, edits: [{content, line, column, end_line, end_column}]}}``
Lines and columns are 1-based; ``end_column`` is the column just after the finding.
"""

from __future__ import annotations

import json
from typing import Any

from authlint.diagnostics.diagnostic import Diagnostic
from authlint.report.base import ReportInput, safe_edit_content, safe_message


def record(diag: Diagnostic) -> dict[str, Any]:
    line, column = diag.start
    end_line, end_column = diag.end
    fix = None
    if diag.fix is not None:
        edits = []
        for edit in diag.fix.edits:
            e_line, e_col = diag.source.position(edit.start)
            e_end_line, e_end_col = diag.source.position(edit.end)
            edits.append(
                {
                    "content": safe_edit_content(diag, edit.content),
                    "line": e_line,
                    "column": e_col,
                    "end_line": e_end_line,
                    "end_column": e_end_col,
                }
            )
        fix = {"applicability": diag.fix.applicability.value, "title": diag.fix.title, "edits": edits}
    return {
        "code": diag.code,
        "name": diag.name,
        "path": diag.path,
        "line": line,
        "column": column,
        "end_line": end_line,
        "end_column": end_column,
        "message": safe_message(diag),
        "severity": diag.severity.value,
        "fix": fix,
    }


def render_json(report: ReportInput) -> str:
    from authlint.report.pretty_json import dumps

    return dumps([record(d) for d in report.diagnostics]) + "\n"


def render_json_lines(report: ReportInput) -> str:
    return "".join(json.dumps(record(d)) + "\n" for d in report.diagnostics)
