"""One run of ``check`` or ``fix`` over paths: discover, load, check or fix, and collect the outcome."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Sequence

from authlint.config.settings import Settings
from authlint.diagnostics.diagnostic import Diagnostic
from authlint.diagnostics.fix import FixResult, fix_contexts, write_atomic
from authlint.files.discover import Candidate, Discovery, Skipped, discover
from authlint.files.source import Source
from authlint.rules.engine.e002_unreadable_file import NotFound
from authlint.run.context import FileContext, Project
from authlint.run.engine import CheckResult, Linter
from authlint.run.gc_pause import frozen
from authlint.run.outcome import Outcome


@dataclass
class Loaded:
    contexts: list[FileContext] = field(default_factory=list)
    context: list[FileContext] = field(default_factory=list)  # context files: facts only, never reported
    diagnostics: list[Diagnostic] = field(default_factory=list)  # E001/E002 found while loading
    discovery: Discovery = field(default_factory=Discovery)
    # walked files over max-file-size: skipped unread, counted in the summary, listed by --verbose
    # (a file named on the command line is an E002 finding instead)
    too_large: list[Skipped] = field(default_factory=list)


def load(paths: list[str], settings: Settings, linter: Linter, context: Sequence[Candidate] = ()) -> Loaded:
    """``context``: the context files a check of the same paths took (``Discovery.context``)."""
    loaded = Loaded(discovery=discover(paths, settings, keep=linter.wants_name))
    have = {c.fspath for c in loaded.discovery.candidates}
    loaded.discovery.context = [c for c in context if c.fspath not in have]
    loaded.diagnostics.extend(_missing(loaded.discovery, linter))
    for candidate in loaded.discovery.candidates:
        if not candidate.explicit:
            skipped = _too_large(linter, candidate, _size(candidate))
            if skipped is not None:
                loaded.too_large.append(skipped)
                continue
        item = linter.load(candidate.path, candidate.relpath)
        if isinstance(item, FileContext):
            loaded.contexts.append(item)
        elif isinstance(item, Diagnostic):  # (a Deferred file: no rule of the check asked for it)
            loaded.diagnostics.append(item)
    for candidate in loaded.discovery.context:
        item = linter.load(candidate.path, candidate.relpath)
        if isinstance(item, FileContext):  # a context file's load errors are its own run's business
            loaded.context.append(item)
    return loaded


def _context(discovery: Discovery, fragments: list[Candidate], settings: Settings) -> list[Candidate]:
    """The context files of ``fragments`` (``files.includers``), minus any file the run already has."""
    from authlint.files.includers import context_candidates

    have = {c.fspath for c in discovery.candidates}
    return [c for c in context_candidates(fragments, settings) if c.fspath not in have]


def run_check(
    paths: list[str],
    settings: Settings,
    linter: Linter,
    jobs: int | None = None,
    use_cache: bool = True,
    progress: Callable[[int, int], None] | None = None,
) -> tuple[CheckResult, Loaded]:
    """Check paths with the cache and the worker pool; results do not depend on either."""
    cache = None
    if use_cache:  # hashing and JSON only when there is a cache to read
        from authlint.run.cache import Cache

        cache = Cache.open(settings.root, linter)
    settings, unreadable = with_versions(paths, settings, linter, cache)
    loaded = Loaded(discovery=_discover(paths, settings, linter, cache))
    loaded.diagnostics.extend(_missing(loaded.discovery, linter))
    loaded.diagnostics.extend(unreadable)
    # Modules, rules, the file list and the cache's entries live until the run ends: frozen, the
    # collector stops rescanning them (a full pass over a loaded cache cost a warm run ~35 ms).
    with frozen():
        return _check_loaded(loaded, settings, linter, cache, jobs, progress)


def with_versions(paths: list[str], settings: Settings, linter: Linter, cache) -> tuple[Settings, list[Diagnostic]]:
    """The versions pre-pass (``versions.prepass``): ``settings`` with the versions the project's
    files declare, which ``linter`` then checks with (so the pool's workers and the fix phase see
    them too); and an E001 for each version file the user named that does not parse.

    With a cache the files are parsed now (unchanged ones come from the cache) and outcomes cached
    under other pins are dropped; without one they are parsed when a rule first asks. Versions the
    caller already put in ``settings`` are kept. ``settings`` itself is never changed: the next
    run with it reads the files again."""
    from dataclasses import replace

    from authlint.versions import prepass

    versions = settings.versions
    if not versions:
        versions = prepass.collect(settings, cache) if cache is not None else prepass.deferred(settings)
    settings = replace(settings, versions=versions)
    linter.settings = settings
    if cache is not None:
        cache.bind_versions(prepass.fingerprint(versions))
    return settings, _unreadable_named(paths, settings, linter)


def _unreadable_named(paths: list[str], settings: Settings, linter: Linter) -> list[Diagnostic]:
    """E001 for each version file named on the command line that does not parse (a broken lock
    file the search meets on its own stays quiet: it is not what the user asked about)."""
    from pathlib import Path

    from authlint.versions.sources import reader_for

    root = os.path.realpath(settings.root)
    found = []
    for path in paths:
        real = os.path.realpath(path)
        relpath = os.path.relpath(real, root).replace(os.sep, "/")
        if relpath.startswith("..") or not os.path.isfile(real) or reader_for(relpath) is None:
            continue
        from authlint.rules.engine.e001_unparsable_file import CannotParse
        from authlint.versions.prepass import read_file

        _, _, problem = read_file(Path(root), relpath)
        if problem is not None:
            source = Source.from_text(problem.text, problem.relpath)
            found.append(linter.engine_diagnostic(source, CannotParse(problem.reason)))
    return found


def _discover(paths: list[str], settings: Settings, linter: Linter, cache) -> Discovery:
    """The walk, or with a cache the last walk's result while nothing it read has changed."""
    if cache is None or not any(os.path.isdir(path) for path in paths or ["."]):
        return discover(paths, settings, keep=linter.wants_name)  # files named one by one: no walk to save
    from authlint.files.discover import Listing
    from authlint.files.memo import record, replay

    root = Path(os.path.realpath(settings.root))
    found = replay(cache.discovery, paths, root)
    if found is None:
        cache.prepare()
        listing = Listing()
        found = discover(paths, settings, keep=linter.wants_name, listing=listing)
        cache.remember_discovery(record(paths, root, found, listing))
    return found


Placed = tuple[list[Diagnostic], FileContext | None, list[str]]  # diagnostics, context with facts, internal errors


def _check_loaded(
    loaded: Loaded,
    settings: Settings,
    linter: Linter,
    cache,
    jobs: int | None,
    progress: Callable[[int, int], None] | None,
) -> tuple[CheckResult, Loaded]:
    """Check the candidates; then, only when a file named on the command line has a finding that
    holds unless another config includes it, check its possible includers as context files
    (``files.includers``): their facts join the project phase, nothing else of theirs is kept."""
    candidates = loaded.discovery.candidates
    # files named one by one (a pre-commit run) leave out the rest of the project: cross-file rules'
    # findings depend on which files are read, so E003 does not judge their codes then
    linter.judge_cross_file = not any(candidate.explicit for candidate in candidates)
    deferred: list[tuple[int, frozenset[str], frozenset[str]]] = []
    placed = _check_candidates(linter, candidates, cache, jobs, progress, loaded.too_large, deferred=deferred)
    fragments = [
        candidate
        for candidate, (diagnostics, _, _) in zip(candidates, placed)
        if candidate.explicit and any(d.unless_included for d in diagnostics)
    ]
    if fragments:  # those the run's own configs include need nothing more
        included = Project([ctx for _, ctx, _ in placed if ctx is not None], settings).included_relpaths()
        fragments = [c for c in fragments if c.relpath not in included]
    if fragments:
        loaded.discovery.context = _context(loaded.discovery, fragments, settings)
    context = _check_candidates(linter, loaded.discovery.context, cache, jobs, None)
    result = CheckResult(files_checked=len(candidates) - len(loaded.too_large))  # those were not read
    found: list[Diagnostic] = list(loaded.diagnostics)
    joined: list[FileContext] = []
    members = [ctx for _, ctx, _ in placed if ctx is not None]
    for index, lent in _lend(linter, candidates, deferred, members, settings, cache, jobs):
        placed[index] = lent  # in the walk's order, as a run in memory has them
    for diagnostics, ctx, errors in placed:
        found.extend(diagnostics)
        result.errors.extend(errors)
        if ctx is not None:
            joined.append(ctx)
    joined.extend(ctx for _, ctx, _ in context if ctx is not None)  # a context file's findings and errors stay out
    hidden = frozenset(c.relpath for c in loaded.discovery.context)
    result.diagnostics = linter.finish(found, joined, result, hidden)
    if cache is not None:
        cache.save()
    return result, loaded


MAX_LENDING_ROUNDS = 8  # values travel through re-exports: each round may name modules further on
Pending = tuple[int, str, frozenset[str], frozenset[str]]  # index, kind, rules it lends to, rules searched for


def _lend(
    linter: Linter,
    candidates: list[Candidate],
    deferred: list[tuple[int, frozenset[str], frozenset[str]]],
    joined: list[FileContext],
    settings: Settings,
    cache,
    jobs: int | None,
) -> list[tuple[int, Placed]]:
    """The deferred files (``engine.Deferred``) the project rules ask to borrow, checked in rounds:
    each round asks the rules again with what the last one brought (a config module re-exporting
    another). A rule whose lenders could only soften its findings (the credential channel of a
    CORS finding) asks only when it has one; a rule following a key asks only for the modules the
    key is imported from (``facts.travel``). A file is searched for the words of the rules asking
    for it, and parsed only when it holds them."""
    from authlint.files.classify import kind_by_name

    borrowing = {rule.code for rule in linter.project_rules if rule.lend_triggers}
    if not deferred or not borrowing:
        return []
    pending: list[Pending] = [
        (index, kind_by_name(os.path.basename(candidates[index].fspath)) or "", lends, checked)
        for index, lends, checked in deferred
    ]
    done: list[tuple[int, Placed]] = []
    members = list(joined)
    for _ in range(MAX_LENDING_ROUNDS):
        linter.borrow(linter.wanted_lenders(Project(members, settings), borrowing))
        picked: list[tuple[Pending, frozenset[str]]] = []
        rest: list[Pending] = []
        for item in pending:
            asking = linter.asking(item[1], candidates[item[0]].relpath)
            if asking & item[2] or asking - item[3]:
                picked.append((item, asking))
            else:
                rest.append(item)
        if not picked:
            break
        linter.loading_deferred = True
        try:
            placed = _check_candidates(linter, [candidates[item[0]] for item, _ in picked], cache, jobs, None, lending=True)
        finally:
            linter.loading_deferred = False
        pending = rest
        for (item, asking), outcome in zip(picked, placed):
            if outcome[1] is None and not outcome[0]:  # nothing to lend them (no facts): another may ask later
                pending.append((item[0], item[1], item[2] - asking, item[3] | asking))
            else:
                done.append((item[0], outcome))
                if outcome[1] is not None:
                    members.append(outcome[1])
    return done


def _check_candidates(
    linter: Linter,
    candidates: list[Candidate],
    cache,
    jobs: int | None,
    progress: Callable[[int, int], None] | None,
    too_large: list[Skipped] | None = None,
    deferred: list[tuple[int, frozenset[str], frozenset[str]]] | None = None,
    lending: bool = False,
) -> list[Placed]:
    """Each candidate through the cache or the worker pool, in the candidates' order.

    ``too_large``: collects the walked candidates over ``max-file-size`` (from the stat taken here
    anyway), which are then neither read nor checked. ``deferred``: collects (index, the rules it
    lends to, the rules searched for) of the files set aside for lending (placed empty here;
    ``_lend`` may come back to them), else they are dropped. ``lending``: the candidates are such
    files, now asked for."""
    from authlint.run.outcome import check_in_process, materialize
    from authlint.run.pool import check_many, default_jobs
    from authlint.run.serialize import CodecError

    placed: list[Placed | None] = [None] * len(candidates)

    def place(index: int, outcome: Outcome) -> None:
        candidate = candidates[index]
        payload = outcome.payload
        if payload.get("deferred") or (not lending and payload.get("lends")):
            if deferred is not None:
                lends = frozenset(payload.get("lends") or ())
                deferred.append((index, lends, lends | frozenset(payload.get("checked") or ())))
            placed[index] = ([], None, [])
            return
        try:
            diagnostics, ctx = materialize(linter, outcome, candidate.fspath)
            placed[index] = (diagnostics, ctx, outcome.payload.get("errors") or [])
        except CodecError:  # an entry that does not decode (or could not be encoded): recompute here
            if cache is not None:
                cache.forget(candidate.relpath)
            placed[index] = check_in_process(linter, candidate.path, candidate.relpath)

    stats: list[os.stat_result | None] = []
    todo: list[int] = []
    hits: list[tuple[int, Outcome]] = []
    for index, candidate in enumerate(candidates):
        try:
            stat = os.stat(candidate.fspath)
        except OSError:
            stat = None
        stats.append(stat)
        if too_large is not None and stat is not None and not candidate.explicit:
            skipped = _too_large(linter, candidate, stat.st_size)
            if skipped is not None:
                too_large.append(skipped)
                placed[index] = ([], None, [])
                continue
        hit = cache.get(candidate.relpath, stat) if cache is not None and stat is not None else None
        if hit is not None and lending and hit.payload.get("deferred"):
            hit = None  # set aside unsearched for the rules now asking: search it now
        if hit is None:
            todo.append(index)
        else:
            hits.append((index, hit))
    tasks = [(candidates[i].fspath, candidates[i].relpath) for i in todo]  # paths built in the workers
    sizes = [stats[i].st_size if stats[i] is not None else 0 for i in todo]  # type: ignore[union-attr]
    for done, (task, outcome) in enumerate(check_many(linter, tasks, jobs or default_jobs(), sizes), 1):
        index = todo[task]
        if progress is not None:
            progress(done, len(todo))
        stat = stats[index]
        if cache is not None and stat is not None and not outcome.payload.get("errors") and not outcome.payload.get("inprocess"):
            cache.put(outcome, stat)
        # Now, not after the pool: while workers run, whatever this process spends here the
        # others make up by taking more of the queue.
        place(index, outcome)
    for index, hit in hits:
        place(index, hit)
    assert all(item is not None for item in placed)
    return placed  # type: ignore[return-value]


def _size(candidate: Candidate) -> int:
    try:
        return os.stat(candidate.fspath).st_size
    except OSError:
        return 0  # loading it reports why it cannot be read


def _too_large(linter: Linter, candidate: Candidate, size: int) -> Skipped | None:
    if not linter.over_size_cap(os.path.basename(candidate.fspath), size):
        return None
    return Skipped(candidate.relpath, f"{size:,} bytes is over max-file-size ({linter.settings.max_file_size:,})")


def _missing(discovery: Discovery, linter: Linter) -> list[Diagnostic]:
    return [
        linter.engine_diagnostic(Source.from_text("", m.relpath), NotFound(m.reason))
        for m in discovery.missing
    ]


def run_fix(
    paths: list[str], settings: Settings, linter: Linter, unsafe: bool, jobs: int | None = None, use_cache: bool = True
) -> tuple[FixResult, Loaded]:
    """Fix in memory until stable. A cached/parallel check first: with nothing to fix, that is all."""
    from authlint.diagnostics.fix import applicable

    checked, checked_loaded = run_check(paths, settings, linter, jobs=jobs, use_cache=use_cache)
    if not any(applicable(d.fix, unsafe) for d in checked.diagnostics):
        return FixResult(contexts=[], remaining=checked), checked_loaded
    loaded = load(paths, settings, linter, checked_loaded.discovery.context)
    return fix_contexts(linter, loaded.contexts, unsafe=unsafe, extra=loaded.diagnostics, context=loaded.context), loaded


def write_fixes(result: FixResult) -> list[str]:
    """Write every changed file atomically, keeping encoding, BOM, line endings and mode."""
    written = []
    for relpath, ctx in sorted(result.changed.items()):
        write_atomic(ctx.source.path, ctx.source.encode(ctx.source.text))
        written.append(relpath)
    return written


class Progress:
    """A one-line progress counter on stderr, only when stderr is a terminal (never in pipes or CI)."""

    def __init__(self, stream) -> None:
        self.stream = stream
        self.last = -1

    @classmethod
    def maybe(cls, stream) -> Progress | None:
        if os.environ.get("CI") or not getattr(stream, "isatty", lambda: False)():
            return None
        return cls(stream)

    def __call__(self, done: int, total: int) -> None:
        if total < 200:
            return
        percent = done * 100 // total
        if percent != self.last:
            self.last = percent
            self.stream.write(f"\rauthlint: {done}/{total} files ({percent}%)")
            if done == total:
                self.stream.write("\r" + " " * 50 + "\r")
            self.stream.flush()
