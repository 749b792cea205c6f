"""Fixes: choose non-overlapping edits, apply them, re-check until stable, write atomically.

Edits are applied in memory over a project of FileContexts; every pass re-checks the changed files
(project rules see the new texts too) until no applicable fix is left or ``MAX_PASSES`` is reached.
A file whose fixes would make it unparsable is rolled back, never written.
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Sequence

from authlint.diagnostics.diagnostic import Applicability, Diagnostic, Edit, Fix
from authlint.files.source import Source
from authlint.run.context import FileContext
from authlint.run.engine import CheckResult, Linter
from authlint.syntax.errors import ParseError

MAX_PASSES = 10


def applicable(fix: Fix | None, unsafe: bool) -> bool:
    if fix is None or not fix.edits:
        return False
    if fix.applicability is Applicability.SAFE:
        return True
    return unsafe and fix.applicability is Applicability.UNSAFE


def apply_fixes(text: str, fixes: list[Fix], newline: str = "\n") -> tuple[str, int]:
    """Apply whole fixes whose edits overlap no earlier-chosen fix; return (text, applied count)."""
    chosen: list[Edit] = []
    applied = 0
    for fix in sorted(fixes, key=lambda f: (f.span.start, f.span.end, f.title)):
        edits = sorted(set(fix.edits))
        if any(_clash(edit, other) for edit in edits for other in chosen):
            continue
        if any(_clash(a, b) for i, a in enumerate(edits) for b in edits[i + 1 :]):
            continue
        chosen.extend(edits)
        applied += 1
    pieces: list[str] = []
    cursor = 0
    for edit in sorted(chosen):
        pieces.append(text[cursor : edit.start])
        content = edit.content
        if newline != "\n":
            content = content.replace("\r\n", "\n").replace("\n", newline)
        pieces.append(content)
        cursor = edit.end
    pieces.append(text[cursor:])
    return "".join(pieces), applied


def _clash(a: Edit, b: Edit) -> bool:
    if a.start == a.end and b.start == b.end:
        return a.start == b.start and a.content != b.content
    return a.start < b.end and b.start < a.end or (a.start == a.end and b.start < a.start < b.end) or (
        b.start == b.end and a.start < b.start < a.end
    )


@dataclass
class FixResult:
    contexts: list[FileContext]
    changed: dict[str, FileContext] = field(default_factory=dict)  # relpath -> fixed context
    applied: dict[str, int] = field(default_factory=dict)  # relpath -> fixes applied
    remaining: CheckResult = field(default_factory=CheckResult)
    rolled_back: list[str] = field(default_factory=list)
    secrets: dict[str, set[str]] = field(default_factory=dict)  # relpath -> secrets seen (for diffs)


def fix_contexts(
    linter: Linter, contexts: list[FileContext], unsafe: bool, extra=(), context: Sequence[FileContext] = ()
) -> FixResult:
    """Fix ``contexts`` until stable. ``context``: files that only lend facts to the project phase
    (``files.includers``); never reported, so never fixed or written."""
    result = FixResult(contexts=list(contexts))
    originals = {ctx.source.relpath: ctx for ctx in contexts}
    frozen: set[str] = set()
    for _ in range(MAX_PASSES):
        check = linter.check(result.contexts, extra, context)
        by_file: dict[str, list[Fix]] = {}
        for diag in check.diagnostics:
            if diag.secrets:
                result.secrets.setdefault(diag.path, set()).update(diag.secrets)
            if diag.path not in frozen and applicable(diag.fix, unsafe):
                by_file.setdefault(diag.path, []).append(diag.fix)  # type: ignore[arg-type]
        progressed = False
        for index, ctx in enumerate(result.contexts):
            fixes = by_file.get(ctx.source.relpath)
            if not fixes:
                continue
            new_text, count = apply_fixes(ctx.source.text, fixes, ctx.source.newline)
            if not count or new_text == ctx.source.text:
                continue
            new_ctx = FileContext(_with_text(ctx.source, new_text), ctx.settings)
            if _parses(ctx) and not _parses(new_ctx):
                frozen.add(ctx.source.relpath)
                result.rolled_back.append(ctx.source.relpath)
                continue
            result.contexts[index] = new_ctx
            result.changed[ctx.source.relpath] = new_ctx
            result.applied[ctx.source.relpath] = result.applied.get(ctx.source.relpath, 0) + count
            progressed = True
        if not progressed:
            result.remaining = check
            break
    else:
        result.remaining = linter.check(result.contexts, extra, context)
    for relpath in list(result.changed):
        if result.changed[relpath].source.text == originals[relpath].source.text:
            del result.changed[relpath]
    return result


def _with_text(source: Source, text: str) -> Source:
    return Source(path=source.path, relpath=source.relpath, text=text, kind=source.kind,
                  encoding=source.encoding, bom=source.bom)


def _parses(ctx: FileContext) -> bool:
    try:
        _ = ctx.tree  # parse now: a ParseError surfaces here
    except ParseError:
        return False
    return True


def write_atomic(path: Path, data: bytes) -> None:
    """Replace ``path`` with ``data`` via a temp file in the same folder, keeping the file mode."""
    target = Path(os.path.realpath(path))
    mode = stat.S_IMODE(target.stat().st_mode)
    import tempfile  # only when writing: a check never pays for it

    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".authlint-tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, target)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def diagnostics_with_fixes(diagnostics: list[Diagnostic], unsafe: bool) -> list[Diagnostic]:
    return [d for d in diagnostics if applicable(d.fix, unsafe)]
