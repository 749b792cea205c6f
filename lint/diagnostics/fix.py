"""Fixes: choose non-overlapping fixes, apply them, re-check until stable, write atomically.

Edits are applied in memory over a project of FileContexts; every pass re-checks the changed files
(project rules see the new texts too) until no applicable fix is left or ``MAX_PASSES`` is reached.

A fix may edit several files (a client and its server): it is applied in all of them or in none.
A fix that would leave any file it touches unparsable is dropped, in every file, and only that fix:
the pass is retried without it, so the other fixes of the same files still land.
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Sequence

from authlint.diagnostics.diagnostic import Applicability, Diagnostic, Edit, Fix
from authlint.diagnostics.mask import Masker, spans_of, values_in
from authlint.facts.secrets import merged
from authlint.facts.secrets.patterns import pattern_spans
from authlint.files.source import Source, Span
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
    """Apply whole fixes of one file whose edits overlap no earlier-chosen fix; return (text,
    applied count)."""
    planned = [PlannedFix(fix.title, fix.by_file(""), "") for fix in fixes]
    chosen = choose(planned)
    edits = dict.fromkeys(e for plan in chosen for e in plan.edits.get("", ()))
    return apply_edits(text, edits, newline), len(chosen)


def apply_edits(text: str, edits: Iterable[Edit], newline: str = "\n") -> str:
    """``text`` with non-overlapping ``edits`` applied; inserted newlines follow the file's."""
    pieces: list[str] = []
    cursor = 0
    for edit in sorted(edits, key=lambda e: (e.start, e.end, e.content)):
        pieces.append(text[cursor : edit.start])
        pieces.append(_content(edit, newline))
        cursor = edit.end
    pieces.append(text[cursor:])
    return "".join(pieces)


def _content(edit: Edit, newline: str) -> str:
    if newline == "\n":
        return edit.content
    return edit.content.replace("\r\n", "\n").replace("\n", newline)


def carried_spans(spans: Iterable[Span], edits: Iterable[Edit], newline: str, values: Iterable[str]) -> list[Span]:
    """The secret spans of the text ``apply_edits`` makes: each old span's characters no edit
    replaced, moved by the edits before them, plus every secret value (``values``: plaintexts of
    the files being fixed) that an edit's new text contains, at its new place. A fix that replaces
    a secret (by its bcrypt hash) drops it; one that moves or copies it carries it."""
    ordered = sorted(dict.fromkeys(edits), key=lambda e: (e.start, e.end, e.content))
    contents = [_content(edit, newline) for edit in ordered]
    found: list[Span] = []
    for span in spans:
        pieces = [(span.start, span.end)]
        for edit in ordered:  # cut out what the edits replace (an insertion inside splits nothing away)
            pieces = [cut for lo, hi in pieces for cut in ((lo, min(hi, edit.start)), (max(lo, edit.end), hi))
                      if cut[1] > cut[0]] if edit.end > edit.start else pieces
        for lo, hi in pieces:
            found.append(Span(_moved(lo, ordered, contents, False), _moved(hi, ordered, contents, True)))
    values = tuple(values)
    shift = 0
    for edit, content in zip(ordered, contents):  # where each new text lands: after the earlier ones
        at = edit.start + shift
        found.extend(Span(at + s.start, at + s.end) for s in values_in(content, values))
        shift += len(content) - (edit.end - edit.start)
    return found


def _moved(offset: int, ordered: list[Edit], contents: list[str], end: bool) -> int:
    """Where ``offset`` of the old text lands in the new one (``end``: it ends a range, so an
    insertion right at it goes after)."""
    shift = 0
    for edit, content in zip(ordered, contents):
        if edit.end < offset or (edit.end == offset and (edit.start < edit.end or not end)):
            shift += len(content) - (edit.end - edit.start)
        else:
            break
    return offset + shift


@dataclass(frozen=True)
class PlannedFix:
    """One fix as the fixer applies it: its edits by file (relpath -> sorted edits), and the file
    of the diagnostic it fixes (``primary``), which is where it is counted."""

    title: str
    edits: dict[str, tuple[Edit, ...]]
    primary: str

    @property
    def order(self) -> tuple[str, int, int, str]:
        own = self.edits.get(self.primary) or next(iter(self.edits.values()))
        return (self.primary, min(e.start for e in own), max(e.end for e in own), self.title)

    def identity(self, texts: dict[str, str]) -> tuple:
        """What the fix does, independent of where earlier fixes moved it: per file, the text each
        edit replaces and its new text (a fix refused in one pass is known again in the next)."""
        return (self.primary, self.title, tuple(
            (relpath, texts[relpath][e.start : e.end], e.content)
            for relpath, edits in sorted(self.edits.items()) for e in edits
        ))


def choose(plans: Sequence[PlannedFix]) -> list[PlannedFix]:
    """Whole fixes, in order, whose edits overlap neither each other nor an earlier-chosen fix's
    edits in any file (an overlapping one waits for the next pass). An edit identical to a chosen
    one is no overlap: two fixes that need the same change of a shared file (the server read two
    clients' fixes rewrite, one ``auth`` parameter) both land, and the change is made once."""
    taken: dict[str, list[Edit]] = {}
    chosen = []
    for plan in sorted(plans, key=lambda p: p.order):
        if any(_clash(a, b) for edits in plan.edits.values() for i, a in enumerate(edits) for b in edits[i + 1 :]):
            continue
        if any(edit != other and _clash(edit, other) for relpath, edits in plan.edits.items() for edit in edits
               for other in taken.get(relpath, ())):
            continue
        for relpath, edits in plan.edits.items():
            taken.setdefault(relpath, []).extend(edits)
        chosen.append(plan)
    return chosen


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
    applied: dict[str, int] = field(default_factory=dict)  # relpath -> fixes applied (in the finding's file)
    remaining: CheckResult = field(default_factory=CheckResult)
    rolled_back: list[str] = field(default_factory=list)  # files a dropped fix would have left unparsable
    dropped: list[tuple[str, str]] = field(default_factory=list)  # (finding's relpath, fix title) dropped
    # the plaintexts of the fixed files' secret spans: found again in the new text a fix inserts
    # (each changed file's Source carries its spans through the edits: ``carried_spans``)
    values: frozenset[str] = frozenset()


def plan(diag: Diagnostic) -> PlannedFix:
    assert diag.fix is not None
    return PlannedFix(diag.fix.title, diag.fix.by_file(diag.path), diag.path)


def fix_contexts(
    linter: Linter, contexts: list[FileContext], unsafe: bool, extra=(), context: Sequence[FileContext] = ()
) -> FixResult:
    """Fix ``contexts`` until stable. ``context``: files that only lend facts to the project phase
    (``files.includers``); never reported, so never fixed or written."""
    result = FixResult(contexts=list(contexts))
    originals = {ctx.source.relpath: ctx for ctx in contexts}
    refused: set[tuple] = set()  # fixes that broke parsing: never tried again
    for passes in range(MAX_PASSES):
        carried = {ctx.source.relpath: ctx.source.secret_spans or () for ctx in result.contexts}
        check = linter.check(result.contexts, extra, context)
        if not passes:  # the check found the spans of the files it shows or joins; the others' now
            for ctx in contexts:
                if ctx.source.secret_spans is None:
                    linter.find_secrets(ctx, check)
            result.values = frozenset(value for ctx in contexts for value in Masker.of(ctx.source).values())
        for ctx in result.contexts:  # a re-check finds the new text's spans: the carried ones stay
            ctx.source.secret_spans = merged((*carried[ctx.source.relpath], *(ctx.source.secret_spans or ())))
        texts = {ctx.source.relpath: ctx.source.text for ctx in result.contexts}
        plans = []
        for diag in check.diagnostics:
            if applicable(diag.fix, unsafe):
                planned = plan(diag)
                # applied in all its files or in none: a file outside the fixed set (a context
                # file, an excluded one) is never written, so such a fix is never applied
                if all(relpath in originals for relpath in planned.edits):
                    if planned.identity(texts) not in refused:
                        plans.append(planned)
        if not _apply_pass(result, choose(plans), refused):
            result.remaining = check
            break
    else:
        result.remaining = linter.check(result.contexts, extra, context)
    for relpath in list(result.changed):
        if result.changed[relpath].source.text == originals[relpath].source.text:
            del result.changed[relpath]
    return result


def _apply_pass(result: FixResult, chosen: list[PlannedFix], refused: set[tuple]) -> bool:
    """Apply ``chosen`` to ``result``'s contexts; a fix that leaves a file it touches unparsable
    (which parsed before) is dropped and the rest applied without it. True when a text changed."""
    index = {ctx.source.relpath: i for i, ctx in enumerate(result.contexts)}
    current = {relpath: result.contexts[i] for relpath, i in index.items()}
    texts = _texts(current, chosen, result.values)
    broken = {relpath for relpath, ctx in texts.items() if not _still_parses(current[relpath], ctx)}
    if broken:
        # keep the fixes no broken file involves; add the others one at a time, keeping each only
        # when every file it touches still parses with it
        base = [p for p in chosen if not broken & p.edits.keys()]
        kept = _one_at_a_time(result, current, base, [p for p in chosen if broken & p.edits.keys()], refused)
        texts = _texts(current, kept, result.values)
        if not all(_still_parses(current[relpath], ctx) for relpath, ctx in texts.items()):
            # a kept fix needed a dropped one beside it (rare): every fix on its own merits
            kept = _one_at_a_time(result, current, [], kept, refused)
            texts = _texts(current, kept, result.values)
        chosen = kept
    progressed = False
    for relpath, new_ctx in texts.items():
        if new_ctx.source.text == current[relpath].source.text:
            continue
        result.contexts[index[relpath]] = new_ctx
        result.changed[relpath] = new_ctx
        progressed = True
    if progressed:
        for planned in chosen:
            result.applied[planned.primary] = result.applied.get(planned.primary, 0) + 1
    return progressed


def _one_at_a_time(result: FixResult, current: dict[str, FileContext], kept: list[PlannedFix],
                   candidates: list[PlannedFix], refused: set[tuple]) -> list[PlannedFix]:
    """``kept`` plus each candidate, in order, that leaves every file it touches parsable beside
    them; the others are refused (never tried again) and reported."""
    kept = list(kept)
    for candidate in candidates:
        trial = _texts(current, [*kept, candidate], result.values)
        if all(_still_parses(current[relpath], trial[relpath]) for relpath in candidate.edits):
            kept.append(candidate)
            continue
        refused.add(candidate.identity({relpath: ctx.source.text for relpath, ctx in current.items()}))
        result.dropped.append((candidate.primary, candidate.title))
        for relpath in candidate.edits:
            if not _still_parses(current[relpath], trial[relpath]) and relpath not in result.rolled_back:
                result.rolled_back.append(relpath)
    return kept


def _texts(current: dict[str, FileContext], chosen: list[PlannedFix], values: Iterable[str] = ()) -> dict[str, FileContext]:
    """The contexts of the files ``chosen`` touches, with their edits applied and their secret
    spans carried through them (``values``: secret plaintexts to find in the inserted text)."""
    edits: dict[str, list[Edit]] = {}
    for planned in chosen:
        for relpath, file_edits in planned.edits.items():
            edits.setdefault(relpath, []).extend(file_edits)
    out = {}
    for relpath, file_edits in edits.items():
        ctx = current[relpath]
        unique = dict.fromkeys(file_edits)  # shared edits once
        text = apply_edits(ctx.source.text, unique, ctx.source.newline)
        source = _with_text(ctx.source, text)
        spans = carried_spans(spans_of(ctx.source), unique, ctx.source.newline, values)
        source.secret_spans = merged((*spans, *pattern_spans(text)))
        out[relpath] = FileContext(source, ctx.settings)
    return out


def _still_parses(before: FileContext, after: FileContext) -> bool:
    """False only when ``after`` fails to parse and ``before`` parsed."""
    return after.source.text == before.source.text or _parses(after) or not _parses(before)


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
