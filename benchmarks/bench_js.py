"""Parse and parse+extract throughput of the JS/TS front end, in MB/s.

Usage: ``python benchmarks/bench_js.py [FILES_OR_DIRS...]`` (default: the node_modules of the e2e
fixture, after ``npm ci`` in tests/fixtures/js-e2e). Files are read once; each run parses them fresh; best of three runs, in CPU time.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from authlint.files.classify import classify
from authlint.files.source import Source
from authlint.run.context import FileContext
from authlint.syntax.errors import ParseError
from authlint.syntax.javascript import dialect_for, parse_bytes

DEFAULT = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "js-e2e" / "node_modules"


def sources(paths: list[Path]) -> list[Source]:
    found: list[Source] = []
    for root in paths:
        files = [root] if root.is_file() else sorted(root.rglob("*"))
        for path in files:
            kind = classify(path.name, None) if path.is_file() else None
            if kind in ("javascript", "typescript"):
                found.append(Source.from_bytes(path, str(path), path.read_bytes(), kind))
    return found


def _timed(work) -> float:
    """CPU seconds of this process: stable on a shared machine, where wall time is not."""
    start = time.process_time()
    work()
    return time.process_time() - start


def _extract(srcs: list[Source]) -> int:
    """Parse and extract every file from scratch (fresh contexts, nothing cached)."""
    facts = 0
    for src in srcs:
        ctx = FileContext(Source(src.path, src.relpath, src.text, src.kind))
        try:
            facts += len(ctx.facts.items)
        except ParseError:
            pass
    return facts


def main(argv: list[str]) -> int:
    srcs = sources([Path(arg) for arg in argv] or [DEFAULT])
    total = sum(len(s.utf8) for s in srcs)
    if not total:
        print("no JS/TS files found")
        return 1
    parse_time = min(_timed(lambda: [parse_bytes(src.utf8, dialect_for(src)) for src in srcs]) for _ in range(3))
    facts = _extract(srcs)  # warm-up: grammars loaded, queries compiled once per process
    full_time = min(_timed(lambda: _extract(srcs)) for _ in range(3))
    mb = total / 1e6
    print(f"{len(srcs)} files, {mb:.2f} MB, {facts} facts")
    print(f"parse only:      {mb / parse_time:6.1f} MB/s")
    print(f"parse + extract: {mb / full_time:6.1f} MB/s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
