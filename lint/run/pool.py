"""Checking many files on all cores: forked workers pulling chunks from one queue, the parent among them.

``--jobs N`` is this process plus N-1 forked children. All of them take chunks of files (biggest
first) from a pipe filled before the fork, so the cores finish together; each child streams its
outcomes back as marshalled frames, which the parent drains between its own chunks. The parent
working instead of coordinating a ``multiprocessing.Pool`` (a task thread, a result thread, a
pickle per chunk, one more process than cores) took the 2-core speed-up from ~1.3x to ~1.6x.

Outcomes are JSON-able and placed by index, so results are identical for any ``--jobs``; a task a
child never reported (it crashed or was killed) is checked in the parent at the end.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Iterable, Iterator

from authlint.run.engine import Linter
from authlint.run.gc_pause import frozen
from authlint.run.outcome import Outcome, check_candidate

MIN_FILES_PER_WORKER = 16
# A file at least this big takes longer to check than a fork costs (~5 ms): with a handful of
# files (a pre-commit run), a child takes the biggest while this process checks the rest.
SPLIT_BYTES = 48 * 1024
FILE_COST = 2048  # per-file overhead (open, read, classify) in bytes of checking, for chunking
CHUNKS_PER_WORKER = 48
MAX_CHUNKS = 4096  # 4 bytes each: the whole queue fits in a pipe's 64 KiB buffer before any fork
RESULT_PIPE_BYTES = 1 << 20  # children rarely wait on a parent busy with its own chunk
Task = tuple[str, str]  # (path to read, relpath)


def default_jobs() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


def check_many(
    linter: Linter, tasks: list[Task], jobs: int, sizes: list[int] | None = None
) -> Iterator[tuple[int, Outcome]]:
    """``(index into tasks, outcome)`` for every task, in no particular order (callers place them).

    ``sizes``: the files' sizes when the caller has stat'ed them already.
    """
    if sizes is None:
        sizes = [_size(path) for path, _ in tasks]
    workers = worker_count(jobs, sizes)
    if workers == 1:
        yield from _in_process(linter, tasks, range(len(tasks)))
    else:
        yield from _forked(linter, tasks, sizes, workers)


def _in_process(linter: Linter, tasks: list[Task], indices: Iterable[int]) -> Iterator[tuple[int, Outcome]]:
    for index in indices:
        path, relpath = tasks[index]
        yield index, check_candidate(linter, Path(path), relpath, with_text=True)


def worker_count(jobs: int, sizes: list[int]) -> int:
    """How many processes (this one included) are worth it: forking costs a few ms each."""
    if jobs <= 1 or len(sizes) <= 1 or not hasattr(os, "fork") or sys.platform == "darwin":
        return 1
    if len(sizes) >= MIN_FILES_PER_WORKER * 2:
        return max(1, min(jobs, len(sizes) // MIN_FILES_PER_WORKER))
    return 2 if max(sizes) >= SPLIT_BYTES else 1


def chunks(sizes: list[int], workers: int) -> list[list[int]]:
    """Task indices, biggest first, cut into chunks of about equal cost (a big file alone)."""
    order = sorted(range(len(sizes)), key=lambda i: -sizes[i])
    total = sum(sizes) + FILE_COST * len(sizes)
    budget = max(total // (workers * CHUNKS_PER_WORKER), total // MAX_CHUNKS + 1, 1)
    out: list[list[int]] = []
    current: list[int] = []
    cost = 0
    for index in order:
        current.append(index)
        cost += sizes[index] + FILE_COST
        if cost >= budget:
            out.append(current)
            current, cost = [], 0
    if current:
        out.append(current)
    return out


def _size(path: str) -> int:
    try:
        return os.stat(path).st_size
    except OSError:
        return 0


def _encode_frame(items: list[tuple[int, dict, str | None]]) -> bytes:
    import marshal

    blob = marshal.dumps(items)
    return len(blob).to_bytes(8, "little") + blob


class _Inbox:
    """One child's result pipe: bytes read so far, cut into marshalled frames."""

    def __init__(self, fd: int, pid: int) -> None:
        self.fd = fd
        self.pid = pid
        self.buffer = bytearray()
        self.open = True

    def read(self) -> None:
        """Whatever the pipe holds now (the fd is non-blocking); closes it at end of file."""
        while self.open:
            try:
                data = os.read(self.fd, RESULT_PIPE_BYTES)
            except BlockingIOError:
                return
            if not data:
                self.open = False
                os.close(self.fd)
                return
            self.buffer += data

    def frames(self) -> Iterator[list]:
        import marshal

        while len(self.buffer) >= 8:
            size = int.from_bytes(self.buffer[:8], "little")
            if len(self.buffer) < 8 + size:
                return
            blob = bytes(self.buffer[8 : 8 + size])
            del self.buffer[: 8 + size]
            try:
                items = marshal.loads(blob)
            except (ValueError, EOFError, TypeError):
                continue  # a torn frame from a dying child: its tasks are redone below
            yield items


def _forked(linter: Linter, tasks: list[Task], sizes: list[int], workers: int) -> Iterator[tuple[int, Outcome]]:
    plan = chunks(sizes, workers)
    queue_read = _queue(len(plan))
    if queue_read is None:  # no pipe can hold the queue: one process after all
        yield from _in_process(linter, tasks, range(len(tasks)))
        return
    inboxes: list[_Inbox] = []
    done: set[int] = set()
    # frozen: the children's collections neither scan nor copy-on-write the parent's objects
    with frozen():
        try:
            for _ in range(workers - 1):
                inbox = _spawn(linter, tasks, plan, queue_read, inboxes)
                if inbox is not None:  # a fork refused (process limit): fewer hands, same queue
                    inboxes.append(inbox)
            while (chunk := _next_chunk(queue_read, plan)) is not None:
                done.update(chunk)
                yield from _in_process(linter, tasks, chunk)
                yield from _collect(inboxes, tasks, done, block=False)
            yield from _collect(inboxes, tasks, done, block=True)
        finally:
            os.close(queue_read)
            for inbox in inboxes:
                if inbox.open:  # the consumer stopped early (an error, ^C): stop the children too
                    os.close(inbox.fd)
                    inbox.open = False
                    _kill(inbox.pid)
                _reap(inbox.pid)
    # whatever a crashed child never sent
    yield from _in_process(linter, tasks, (i for i in range(len(tasks)) if i not in done))


def _next_chunk(queue_read: int, plan: list[list[int]]) -> list[int] | None:
    """The next chunk of task indices from the queue, or None once it is empty."""
    record = os.read(queue_read, 4)
    return plan[int.from_bytes(record, "little")] if len(record) == 4 else None


def _grow_pipe(fd: int, size: int) -> None:
    """Ask for a pipe buffer of ``size`` bytes (Linux); the default 64 KiB where refused."""
    try:
        import fcntl

        fcntl.fcntl(fd, getattr(fcntl, "F_SETPIPE_SZ", 1031), size)
    except (ImportError, OSError):
        pass


def _queue(count: int) -> int | None:
    """The read end of a pipe holding chunk numbers 0..count-1, its write end closed (so an empty
    queue reads as end of file in every process); None when the pipe cannot take them all at once
    (a user over the kernel's pipe-buffer quota gets 4 KiB pipes)."""
    data = b"".join(k.to_bytes(4, "little") for k in range(count))
    queue_read, queue_write = os.pipe()
    _grow_pipe(queue_write, max(len(data), 4096))
    os.set_blocking(queue_write, False)
    try:
        written = os.write(queue_write, data)
    except BlockingIOError:
        written = 0
    os.close(queue_write)
    if written < len(data):
        os.close(queue_read)
        return None
    return queue_read


def _collect(inboxes: list[_Inbox], tasks: list[Task], done: set[int], block: bool) -> Iterator[tuple[int, Outcome]]:
    """Outcomes the children have sent; ``block``: wait until every child has finished."""
    import select

    while True:
        live = [inbox for inbox in inboxes if inbox.open]
        if block and live:
            ready = {fd for fd in select.select([inbox.fd for inbox in live], [], [])[0]}
            live = [inbox for inbox in live if inbox.fd in ready]
        for inbox in live:
            inbox.read()
            for items in inbox.frames():
                for index, payload, text in items:
                    if index not in done:
                        done.add(index)
                        yield index, Outcome(tasks[index][1], payload, text)
        if not block or not any(inbox.open for inbox in inboxes):
            return


def _spawn(
    linter: Linter, tasks: list[Task], plan: list[list[int]], queue_read: int, siblings: list[_Inbox]
) -> _Inbox | None:
    result_read, result_write = os.pipe()
    _grow_pipe(result_write, RESULT_PIPE_BYTES)  # with the default 64 KiB children wait more
    try:
        pid = os.fork()
    except OSError:
        os.close(result_read)
        os.close(result_write)
        return None
    if pid == 0:  # the child: chunks from the queue, one frame per chunk, out without cleanup
        try:
            os.close(result_read)
            for sibling in siblings:
                if sibling.open:
                    os.close(sibling.fd)
            with os.fdopen(result_write, "wb") as out:
                while (chunk := _next_chunk(queue_read, plan)) is not None:
                    items = [(i, o.payload, o.text) for i, o in _in_process(linter, tasks, chunk)]
                    out.write(_encode_frame(items))
                    out.flush()
        finally:
            os._exit(0)
    os.close(result_write)
    os.set_blocking(result_read, False)
    return _Inbox(result_read, pid)


def _kill(pid: int) -> None:
    import signal

    try:
        os.kill(pid, signal.SIGTERM)
    except OSError:
        pass


def _reap(pid: int) -> None:
    try:
        os.waitpid(pid, 0)
    except ChildProcessError:
        pass
