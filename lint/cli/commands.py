"""The ``check`` command's work, free of any CLI framework.

Both front ends call it: the typer app (``authlint.cli.app``) and the fast path (``authlint.cli.main``),
which parses ``check``'s own options without importing typer. typer 0.29 builds a pydantic adapter
for every parameter: ~180 ms a run, most of a pre-commit hook's budget.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass, field, replace
from typing import Callable

from authlint.errors import AuthlintError, UsageError

OUTPUT_FORMATS = ("full", "concise", "json", "json-lines", "sarif", "github")
# formats that carry the skipped-for-size count themselves (the text summary, SARIF's invocation)
SUMMARY_FORMATS = ("full", "concise", "sarif")
VERBOSE = {"on": False}


@dataclass
class CheckOptions:
    """``authlint check``'s options, as both front ends parse them."""

    paths: list[str] = field(default_factory=list)
    select: list[str] = field(default_factory=list)
    ignore: list[str] = field(default_factory=list)
    extend_select: list[str] = field(default_factory=list)
    output_format: str | None = None
    output_file: str | None = None
    statistics: bool = False
    exit_zero: bool = False
    force_exclude: bool = False
    config: str | None = None
    jobs: int | None = None
    no_cache: bool = False
    baseline: str | None = None  # report only findings this baseline file does not hold
    write_baseline: str | None = None  # record today's findings in this file instead of reporting them
    add_ignore: bool = False  # write an `authlint: ignore[CODE]` comment on every finding instead


def set_verbose(flag: bool) -> None:
    VERBOSE["on"] = flag or bool(os.environ.get("AUTHLINT_DEBUG"))


def err(message: str) -> None:
    """One line (or a traceback) on stderr. Errors can quote a file's text (a parser's message,
    a rule's crash): what the pattern set recognises as a secret is masked (``mask.scrub_patterns``)."""
    from authlint.diagnostics.mask import scrub_patterns

    sys.stderr.write(scrub_patterns(message) + "\n")
    sys.stderr.flush()


def guarded(work: Callable[[], int], passthrough: tuple[type[BaseException], ...] = ()) -> int:
    """Known errors become exit 2 with one line; unknown ones too, with a traceback on --verbose."""
    try:
        return work()
    except passthrough:
        raise
    except AuthlintError as exc:
        err(f"authlint: error: {exc}")
    except KeyboardInterrupt:
        err("authlint: interrupted")
    except Exception as exc:  # noqa: BLE001 - the user gets one line, --verbose the traceback
        if VERBOSE["on"]:
            import traceback

            err(traceback.format_exc().rstrip("\n"))
        err(f"authlint: error: internal error: {exc.__class__.__name__}: {exc}")
    return 2


def codes(values: list[str] | None) -> tuple[str, ...]:
    out: list[str] = []
    for value in values or []:
        out.extend(code.strip().upper() for code in value.split(",") if code.strip())
    return tuple(out)


def load_settings(paths, config, select, ignore, extend_select, force_exclude, unsafe=False):
    from authlint.config.load import load_settings as load

    settings, table = load(paths, config)
    changes = {}
    if select:
        changes["select"] = codes(select)
    if ignore:
        changes["ignore"] = settings.ignore + codes(ignore)
    if extend_select:
        changes["extend_select"] = settings.extend_select + codes(extend_select)
    if force_exclude:
        changes["force_exclude"] = True
    if unsafe:
        changes["unsafe_fixes"] = True
    return replace(settings, **changes), table


def output_format(option: str | None, table: dict) -> str:
    if option is not None:
        return option
    configured = os.environ.get("AUTHLINT_OUTPUT_FORMAT") or table.get("output-format") or "full"
    if configured not in OUTPUT_FORMATS:
        raise UsageError(f"output-format: {configured!r} is not one of {', '.join(OUTPUT_FORMATS)}")
    return configured


def emit(text: str, output_file: str | None) -> None:
    if output_file:
        folder = os.path.dirname(output_file)
        if folder:
            os.makedirs(folder, exist_ok=True)  # `-o reports/authlint.sarif` in a fresh CI checkout
        with open(output_file, "w", encoding="utf-8") as handle:
            handle.write(text)
    else:
        sys.stdout.write(text)
        sys.stdout.flush()


def report_skips(loaded) -> None:
    if VERBOSE["on"]:
        for skipped in (*loaded.discovery.skipped, *loaded.too_large):
            err(f"authlint: skipped {skipped.relpath}: {skipped.reason}")


def internal_errors(errors: list[str]) -> bool:
    for error in errors:
        err(f"authlint: internal error: {error}")
    return bool(errors)


def check(options: CheckOptions) -> int:
    """Check files and report findings; returns the exit code."""
    from authlint.run.gc_pause import frozen

    # What is loaded stays to the end of the run (modules, rules, cache, results): the collector
    # skips it instead of rescanning it on each full pass (see runner.run_check).
    with frozen():
        return _check(options)


def _check(options: CheckOptions) -> int:
    from authlint.report import render
    from authlint.report.base import ReportInput, skipped_note
    from authlint.report.text import render_statistics
    from authlint.run.engine import Linter
    from authlint.run.runner import Progress, run_check

    paths = list(options.paths or ["."])
    settings, table = load_settings(
        paths, options.config, options.select, options.ignore, options.extend_select, options.force_exclude
    )
    fmt = output_format(options.output_format, table)
    linter = Linter(settings)
    progress = Progress.maybe(sys.stderr)
    result, loaded = run_check(
        paths, settings, linter, jobs=options.jobs, use_cache=not options.no_cache, progress=progress
    )
    report_skips(loaded)
    if options.write_baseline:
        return write_baseline(options.write_baseline, result)
    if options.add_ignore:
        return add_ignores(result)
    diagnostics = result.diagnostics
    if options.baseline:
        diagnostics = without_baselined(options.baseline, diagnostics, settings.root)
    report = ReportInput(diagnostics, linter.rules, result.files_checked,
                         too_large=loaded.too_large, max_file_size=settings.max_file_size)
    text = render_statistics(report) if options.statistics else render(fmt, report)
    emit(text, options.output_file)
    if options.statistics or fmt not in SUMMARY_FORMATS:
        note = skipped_note(report)  # formats without a summary of their own: the count goes to stderr
        if note:
            err(f"authlint: {note}")
    if internal_errors(result.errors):
        return 2
    return 0 if options.exit_zero or not diagnostics else 1


def write_baseline(path: str, result) -> int:
    """``--write-baseline``: today's findings recorded (none reported); exit 0 unless a rule crashed
    (a baseline written without that rule's findings would hide them later)."""
    from authlint.diagnostics.baseline import Baseline

    if internal_errors(result.errors):
        err(f"authlint: {path} not written: the run had internal errors")
        return 2
    baseline = Baseline.of(result.diagnostics)
    baseline.write(path)
    err(f"authlint: wrote {len(result.diagnostics)} findings ({len(baseline.entries)} entries) to {path}")
    return 0


def add_ignores(result) -> int:
    """``--add-ignore``: a suppression comment on every finding; those that cannot take one are
    listed (with why) and make the exit 1, since they are still reported."""
    from authlint.diagnostics.add_ignore import apply, plan

    if internal_errors(result.errors):
        err("authlint: no comment added: the run had internal errors")
        return 2
    planned = plan(result.diagnostics)
    written = apply(planned)
    err(f"authlint: added {planned.added} suppression{'s' if planned.added != 1 else ''} in {len(written)} "
        f"file{'s' if len(written) != 1 else ''}")
    for diagnostic, reason in planned.skipped:
        line, column = diagnostic.start
        err(f"authlint: not suppressed: {diagnostic.path}:{line}:{column}: {diagnostic.code}: {reason}")
    return 1 if planned.skipped else 0


def without_baselined(path: str, diagnostics: list, root) -> list:
    """``--baseline``: the findings the baseline does not account for; how many it held goes to stderr."""
    from authlint.diagnostics.baseline import Baseline

    new = Baseline.load(path).new_findings(diagnostics, exists=lambda relpath: (root / relpath).exists())
    known = len(diagnostics) - len(new)
    if known:
        err(f"authlint: {known} finding{'s' if known != 1 else ''} in the baseline {path} not shown")
    return new
