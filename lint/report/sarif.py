"""SARIF 2.1.0 for GitHub code scanning: one run, rule metadata with help, repo-relative URIs,
1-based columns, ``partialFingerprints`` so alerts stay stable when lines move."""

from __future__ import annotations

import hashlib
from collections import Counter
from typing import Any

from authlint import __version__
from authlint.diagnostics.diagnostic import Applicability, Diagnostic, Severity
from authlint.files.source import Source
from authlint.report.base import (
    DOCS_URL,
    ReportInput,
    safe_edit_content,
    safe_line,
    safe_message,
    safe_title,
    skipped_note,
)
from authlint.rule import Rule

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}
SECURITY_SEVERITY = {Severity.ERROR: "7.5", Severity.WARNING: "5.0", Severity.INFO: "2.0"}


def _first_paragraph(docs: str) -> str:
    for block in docs.split("\n\n"):
        text = " ".join(line.strip() for line in block.splitlines() if not line.startswith("#")).strip()
        if text:
            return text
    return ""


def rule_descriptor(rule: type[Rule] | Rule) -> dict[str, Any]:
    docs = rule.docs()
    family = rule.code.rstrip("0123456789").lower()
    return {
        "id": rule.code,
        "name": rule.name,
        "shortDescription": {"text": rule.summary},
        "fullDescription": {"text": _first_paragraph(docs) or rule.summary},
        "help": {"text": docs or rule.summary, "markdown": docs or rule.summary},
        "helpUri": f"{DOCS_URL}",
        "defaultConfiguration": {"level": LEVELS[rule.severity]},
        "properties": {
            "tags": ["security", family],
            "precision": "high",
            "security-severity": SECURITY_SEVERITY[rule.severity],
        },
    }


def _region(source: Source, start: int, end: int) -> dict[str, int]:
    line, col = source.position(start)
    end_line, end_col = source.position(end)
    return {"startLine": line, "startColumn": col, "endLine": end_line, "endColumn": max(end_col, 1)}


def _artifact_changes(diag: Diagnostic) -> list[dict[str, Any]]:
    """One ``artifactChange`` per file the fix edits (a client/server pair: two)."""
    assert diag.fix is not None
    sources = diag.fix.sources(diag.source)
    return [
        {
            "artifactLocation": {"uri": relpath, "uriBaseId": "%SRCROOT%"},
            "replacements": [
                {
                    "deletedRegion": _region(sources[relpath], e.start, e.end),
                    "insertedContent": {"text": safe_edit_content(diag, e.content, sources[relpath])},
                }
                for e in edits
            ],
        }
        for relpath, edits in diag.fix.by_file(diag.path).items()
        if relpath in sources
    ]


def _fingerprint(diag: Diagnostic, seen: Counter[str]) -> str:
    line_text = safe_line(diag, diag.start[0]).text.strip()  # never a hash of a secret's plaintext
    digest = hashlib.sha256(f"{diag.code}\0{diag.path}\0{line_text}".encode()).hexdigest()[:32]
    seen[digest] += 1
    return f"{digest}:{seen[digest]}"


def render_sarif(report: ReportInput) -> str:
    from authlint.rules import registry

    known = registry()
    codes = sorted({r.code for r in report.rules} | {d.code for d in report.diagnostics})
    descriptors = [rule_descriptor(known[code]) for code in codes if code in known]
    index = {descriptor["id"]: i for i, descriptor in enumerate(descriptors)}
    seen: Counter[str] = Counter()
    results = []
    for diag in report.diagnostics:
        result: dict[str, Any] = {
            "ruleId": diag.code,
            "level": LEVELS[diag.severity],
            "message": {"text": safe_message(diag)},
            "locations": [
                {
                    "physicalLocation": {
                        "artifactLocation": {"uri": diag.path, "uriBaseId": "%SRCROOT%"},
                        "region": _region(diag.source, diag.span.start, diag.span.end),
                    }
                }
            ],
            "partialFingerprints": {"primaryLocationLineHash": _fingerprint(diag, seen)},
        }
        if diag.code in index:
            result["ruleIndex"] = index[diag.code]
        if diag.related:  # the other places the finding is about (the same token in another file)
            result["relatedLocations"] = [
                {
                    "id": i,
                    "physicalLocation": {
                        "artifactLocation": {"uri": source.relpath, "uriBaseId": "%SRCROOT%"},
                        "region": _region(source, span.start, span.end),
                    },
                    "message": {"text": note},
                }
                for i, (source, span, note) in enumerate(diag.related)
            ]
        if diag.fix is not None and diag.fix.applicability is not Applicability.DISPLAY_ONLY and diag.fix.edits:
            result["fixes"] = [{"description": {"text": safe_title(diag)}, "artifactChanges": _artifact_changes(diag)}]
        results.append(result)
    document = {
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "authlint",
                        "semanticVersion": __version__,
                        "version": __version__,
                        "informationUri": DOCS_URL,
                        "rules": descriptors,
                    }
                },
                "automationDetails": {"id": "authlint/"},
                "columnKind": "unicodeCodePoints",
                "results": results,
            }
        ],
    }
    if report.too_large:
        document["runs"][0]["invocations"] = [_invocation(report)]
    from authlint.report.pretty_json import dumps

    return dumps(document) + "\n"


def _invocation(report: ReportInput) -> dict[str, Any]:
    """The run's invocation, present when files were skipped for their size: one
    ``toolExecutionNotification`` (level ``note``) per skipped file, the count in ``properties``.
    Notifications, not results: an unread file holds no finding, and code scanning shows no alert
    for it."""
    return {
        "executionSuccessful": True,
        "toolExecutionNotifications": [
            {
                "level": "note",
                "message": {"text": f"skipped: {skipped.reason}"},
                "locations": [{"physicalLocation": {"artifactLocation": {"uri": skipped.relpath, "uriBaseId": "%SRCROOT%"}}}],
                "descriptor": {"id": "skipped-too-large"},
            }
            for skipped in report.too_large
        ],
        "properties": {"filesSkippedTooLarge": len(report.too_large), "summary": skipped_note(report)},
    }
