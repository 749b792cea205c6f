"""Checking many files on all cores: a fork-based process pool with results in a fixed order.

Workers inherit the parent's Linter (built once, before the fork) and return JSON-able Outcomes, so
the result is identical for any ``--jobs``. Small runs stay in-process: starting workers costs more
than it saves on a handful of files (the pre-commit case).
"""

from __future__ import annotations

import multiprocessing
import os
from pathlib import Path
from typing import Iterator

from authlint.engine import Linter
from authlint.outcome import Outcome, check_candidate

MIN_FILES_PER_WORKER = 16
_WORKER_LINTER: Linter | None = None


def default_jobs() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


def _work(task: tuple[str, str]) -> Outcome:
    assert _WORKER_LINTER is not None
    path, relpath = task
    return check_candidate(_WORKER_LINTER, Path(path), relpath, with_text=True)


def check_many(linter: Linter, tasks: list[tuple[Path, str]], jobs: int) -> Iterator[Outcome]:
    """Outcomes in the order of ``tasks``."""
    jobs = max(1, min(jobs, len(tasks) // MIN_FILES_PER_WORKER or 1))
    if jobs == 1 or "fork" not in multiprocessing.get_all_start_methods():
        for path, relpath in tasks:
            yield check_candidate(linter, path, relpath, with_text=True)
        return
    global _WORKER_LINTER
    _WORKER_LINTER = linter
    context = multiprocessing.get_context("fork")
    chunk = max(1, min(64, len(tasks) // (jobs * 8)))
    with context.Pool(jobs) as pool:
        yield from pool.imap(_work, [(str(path), relpath) for path, relpath in tasks], chunksize=chunk)
    _WORKER_LINTER = None
