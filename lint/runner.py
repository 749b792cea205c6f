"""One run of ``check`` or ``fix`` over paths: discover, load, check or fix, and collect the outcome."""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field

from authlint.context import FileContext
from authlint.diagnostic import Diagnostic
from authlint.discover import Discovery, discover
from authlint.engine import UNREADABLE, CheckResult, Linter
from authlint.fix import FixResult, fix_contexts, write_atomic
from authlint.redact import scrub_line
from authlint.rule import CODE_KINDS
from authlint.settings import Settings
from authlint.source import Source


@dataclass
class Loaded:
    contexts: list[FileContext] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)  # E001/E002 found while loading
    discovery: Discovery = field(default_factory=Discovery)


def load(paths: list[str], settings: Settings, linter: Linter) -> Loaded:
    loaded = Loaded(discovery=discover(paths, settings))
    for missing in loaded.discovery.missing:
        loaded.diagnostics.append(
            linter._engine_diag(UNREADABLE, Source.from_text("", missing.relpath), f"cannot read: {missing.reason}")
        )
    for candidate in loaded.discovery.candidates:
        item = linter.load(candidate.path, candidate.relpath)
        if isinstance(item, FileContext):
            loaded.contexts.append(item)
        elif item is not None:
            loaded.diagnostics.append(item)
    return loaded


def run_check(paths: list[str], settings: Settings, linter: Linter) -> tuple[CheckResult, Loaded]:
    loaded = load(paths, settings, linter)
    result = linter.check(loaded.contexts, loaded.diagnostics)
    return result, loaded


def run_fix(paths: list[str], settings: Settings, linter: Linter, unsafe: bool) -> tuple[FixResult, Loaded]:
    loaded = load(paths, settings, linter)
    return fix_contexts(linter, loaded.contexts, unsafe=unsafe, extra=loaded.diagnostics), loaded


def write_fixes(result: FixResult) -> list[str]:
    """Write every changed file atomically, keeping encoding, BOM, line endings and mode."""
    written = []
    for relpath, ctx in sorted(result.changed.items()):
        write_atomic(ctx.source.path, ctx.source.encode(ctx.source.text))
        written.append(relpath)
    return written


def unified_diff(before: Source, after: Source, secrets: tuple[str, ...]) -> str:
    """The fix as a unified diff, with secrets on removed/context lines redacted."""
    code = before.kind in CODE_KINDS
    lines = difflib.unified_diff(
        before.text.splitlines(keepends=True),
        after.text.splitlines(keepends=True),
        fromfile=f"a/{before.relpath}",
        tofile=f"b/{before.relpath}",
    )
    out = []
    for line in lines:
        body = line.rstrip("\r\n")
        if not line.startswith(("---", "+++", "@@")):
            body = body[:1] + scrub_line(body[1:], secrets, code=code)
        out.append(body + "\n")
    return "".join(out)
