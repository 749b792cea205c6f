"""Output formats. Each renderer takes the finished diagnostics and returns the text to print."""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from authlint.report.base import ReportInput

FORMATS: dict[str, str] = {
    "full": "authlint.report.text:render_full",
    "concise": "authlint.report.text:render_concise",
    "json": "authlint.report.json_report:render_json",
    "json-lines": "authlint.report.json_report:render_json_lines",
    "sarif": "authlint.report.sarif:render_sarif",
    "github": "authlint.report.github:render_github",
}


def render(fmt: str, report: ReportInput) -> str:
    module, _, function = FORMATS[fmt].partition(":")
    return getattr(import_module(module), function)(report)
