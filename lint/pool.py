"""Checking many files on all cores: a fork-based process pool with results in a fixed order.

Workers inherit the parent's Linter (built once, before the fork) and return JSON-able Outcomes, so
the result is identical for any ``--jobs``. Small runs stay in-process: starting workers costs more
than it saves on a handful of files (the pre-commit case).
"""

from __future__ import annotations

import gc
import os
from pathlib import Path
from typing import Iterator

from authlint.engine import Linter
from authlint.outcome import Outcome, check_candidate

MIN_FILES_PER_WORKER = 16
# A file at least this big takes longer to check than a fork costs (~5 ms): with a handful of
# files (a pre-commit run), the biggest goes to a forked child while this process does the rest.
SPLIT_BYTES = 48 * 1024
_WORKER_LINTER: Linter | None = None


def default_jobs() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


def _work(task: tuple[int, str, str]) -> tuple[int, Outcome]:
    assert _WORKER_LINTER is not None
    index, path, relpath = task
    return index, check_candidate(_WORKER_LINTER, Path(path), relpath, with_text=True)


def check_many(linter: Linter, tasks: list[tuple[str, str]], jobs: int) -> Iterator[tuple[int, Outcome]]:
    """``(index into tasks, outcome)`` for every task, in no particular order (callers place them)."""
    if jobs > 1 and 1 < len(tasks) < MIN_FILES_PER_WORKER * 2:
        split = _split_biggest(linter, tasks)
        if split is not None:
            yield from enumerate(split)
            return
    jobs = max(1, min(jobs, len(tasks) // MIN_FILES_PER_WORKER or 1))
    if jobs > 1:
        import multiprocessing  # only when there is a pool to start (not for a hook's few files)
    if jobs == 1 or "fork" not in multiprocessing.get_all_start_methods():
        for index, (path, relpath) in enumerate(tasks):
            yield index, check_candidate(linter, Path(path), relpath, with_text=True)
        return
    global _WORKER_LINTER
    _WORKER_LINTER = linter
    context = multiprocessing.get_context("fork")
    # Biggest files first, in small chunks: the cores finish together instead of one of them
    # ending on a run of large test modules (a path-ordered split gave 1.2-1.6x on 2 cores).
    order = sorted(range(len(tasks)), key=lambda i: -_size(tasks[i][0]))
    work = [(i, *tasks[i]) for i in order]
    chunk = max(1, min(8, len(tasks) // (jobs * 16)))
    gc.freeze()  # the parent's objects: workers' collections then neither scan nor copy-on-write them
    try:
        with context.Pool(jobs) as pool:
            yield from pool.imap_unordered(_work, work, chunksize=chunk)
    finally:
        gc.unfreeze()
        _WORKER_LINTER = None


def _size(path: str) -> int:
    try:
        return os.stat(path).st_size
    except OSError:
        return 0


def _split_biggest(linter: Linter, tasks: list[tuple[str, str]]) -> list[Outcome] | None:
    """Check the biggest file in a forked child, the others here; None when not worth it."""
    if not hasattr(os, "fork"):
        return None
    sizes = [_size(path) for path, _ in tasks]
    big = max(range(len(tasks)), key=sizes.__getitem__)
    if sizes[big] < SPLIT_BYTES:
        return None
    import json

    path, relpath = Path(tasks[big][0]), tasks[big][1]
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: one file, its outcome as JSON down the pipe, and out without cleanup
        try:
            os.close(read_end)
            outcome = check_candidate(linter, path, relpath, with_text=True)
            with os.fdopen(write_end, "wb") as pipe:
                pipe.write(json.dumps({"payload": outcome.payload, "text": outcome.text}).encode())
        finally:
            os._exit(0)
    os.close(write_end)
    outcomes = [check_candidate(linter, Path(other), other_relpath, with_text=True) if i != big else None
                for i, (other, other_relpath) in enumerate(tasks)]
    with os.fdopen(read_end, "rb") as pipe:
        data = pipe.read()
    os.waitpid(pid, 0)
    try:
        sent = json.loads(data)
        outcomes[big] = Outcome(relpath, sent["payload"], sent["text"])
    except (ValueError, KeyError, TypeError):  # the child failed: check that file here after all
        outcomes[big] = check_candidate(linter, path, relpath, with_text=True)
    return outcomes  # type: ignore[return-value]
