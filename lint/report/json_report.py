"""Machine formats ``json`` (one array) and ``json-lines`` (one object a line).

Record schema (stable; documented in the README):
``{code, name, path, line, column, end_line, end_column, message, severity,
fix: null | {applicability, title, edits: [{file, content, line, column, end_line, end_column}]},
related?: [{path, line, column, end_line, end_column, message}]}`` (``related`` only on a finding
about several places, e.g. NAT008's one token in a ``.creds`` and a ``.jwt`` file)
Lines and columns are 1-based; ``end_column`` is the column just after the finding. An edit's
``file`` is the root-relative path it changes: a fix of a client/server pair edits both files.
"""

from __future__ import annotations

import json
from typing import Any

from authlint.diagnostics.diagnostic import Diagnostic
from authlint.report.base import ReportInput, safe_edit_content, safe_message, safe_title


def record(diag: Diagnostic) -> dict[str, Any]:
    line, column = diag.start
    end_line, end_column = diag.end
    fix = None
    if diag.fix is not None:
        edits = []
        sources = diag.fix.sources(diag.source)
        for relpath, file_edits in diag.fix.by_file(diag.path).items():
            source = sources.get(relpath)
            if source is None:
                continue  # a file the rule named without its source: no positions to give
            for edit in file_edits:
                e_line, e_col = source.position(edit.start)
                e_end_line, e_end_col = source.position(edit.end)
                edits.append(
                    {
                        "file": relpath,
                        "content": safe_edit_content(diag, edit.content, source),
                        "line": e_line,
                        "column": e_col,
                        "end_line": e_end_line,
                        "end_column": e_end_col,
                    }
                )
        fix = {"applicability": diag.fix.applicability.value, "title": safe_title(diag), "edits": edits}
    found = {
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
    if diag.related:  # only a finding about several places has the key: other records stay as they were
        found["related"] = [related_record(source, span, note) for source, span, note in diag.related]
    return found


def related_record(source, span, note: str) -> dict[str, Any]:
    """One other place a finding is about (the same token in another file): where, and what it is."""
    line, column = source.position(span.start)
    end_line, end_column = source.position(span.end)
    return {"path": source.relpath, "line": line, "column": column, "end_line": end_line,
            "end_column": end_column, "message": note}


def render_json(report: ReportInput) -> str:
    from authlint.report.pretty_json import dumps

    return dumps([record(d) for d in report.diagnostics]) + "\n"


def render_json_lines(report: ReportInput) -> str:
    return "".join(json.dumps(record(d)) + "\n" for d in report.diagnostics)
