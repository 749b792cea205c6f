"""A probe report as text (for a person at a terminal) or JSON (for scripts), always redacted."""

from __future__ import annotations

import json

from authlint.probe.redact import Redactor
from authlint.probe.report import ProbeReport

MARKS = {"ok": "ok", "refused": "REFUSED", "failed": "FAILED", "warning": "WARNING", "info": "info", "skipped": "skipped"}


def render(report: ProbeReport, output_format: str, redactor: Redactor) -> str:
    text = render_json(report) if output_format == "json" else render_text(report)
    return redactor.text(text)


def render_json(report: ProbeReport) -> str:
    return json.dumps(report.as_dict(), indent=2, default=str) + "\n"


def render_text(report: ProbeReport) -> str:
    lines = [f"probe {report.target} ({report.protocol})", ""]
    width = max((len(step.name) for step in report.steps), default=0)
    for step in report.steps:
        lines.append(f"  {step.name.ljust(width)}  {MARKS[step.outcome]:<8} {step.summary}")
        if step.said and step.said not in step.summary:
            lines.append(f"  {' ' * width}  {'':<8} server said: {step.said}")
    lines.append("")
    verdict = {"accepted": "ACCEPTED", "refused": "REFUSED", "unreachable": "UNREACHABLE"}[report.verdict]
    lines.append(f"{verdict}" + (f": {report.reason}" if report.reason else ""))
    for entry in report.causes:
        lines += ["", f"{entry['title']}. Likely causes:"]
        lines += [f"  - {cause}" for cause in entry["causes"]]
        if entry["codes"]:
            lines.append(f"  Rules that find them in the repository: {', '.join(entry['codes'])} (authlint check)")
    return "\n".join(lines) + "\n"
