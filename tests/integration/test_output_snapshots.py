"""The whole JSON and ``full`` output on the bundled examples and the shared NATS corpus, pinned.

Refactors must not move a finding, a caret or a word of a message. A change that mends a defect
on purpose regenerates the snapshots (``AUTHLINT_UPDATE_SNAPSHOTS=1 pytest
tests/integration/test_output_snapshots.py``) and the diff shows, line by line, what it changed.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.shared import NATS_CORPUS, ROOT, require

SNAPSHOTS = Path(__file__).resolve().parent / "snapshots"
CASES = {
    "examples": (lambda: ROOT, "examples"),
    "corpus-nats": (lambda: require(NATS_CORPUS), "."),
}


def run_check(cwd: Path, target: str, output_format: str) -> str:
    env = {**os.environ, "NO_COLOR": "1", "COLUMNS": "120"}
    env.pop("AUTHLINT_DEBUG", None)
    proc = subprocess.run(
        [sys.executable, "-m", "authlint", "check", target, "--no-cache", "--jobs", "1",
         "--output-format", output_format],
        cwd=cwd, env=env, capture_output=True, text=True, timeout=120,
    )
    assert proc.returncode in (0, 1), proc.stderr
    return proc.stdout


@pytest.mark.parametrize("output_format", ["json", "full"])
@pytest.mark.parametrize("case", sorted(CASES))
def test_output_matches_snapshot(case: str, output_format: str) -> None:
    locate, target = CASES[case]
    cwd = locate()
    got = run_check(cwd, target, output_format)
    snapshot = SNAPSHOTS / f"{case}.{'json' if output_format == 'json' else 'txt'}"
    if os.environ.get("AUTHLINT_UPDATE_SNAPSHOTS") == "1":
        snapshot.write_text(got, encoding="utf-8")
    expected = snapshot.read_text(encoding="utf-8")
    if got != expected:
        import difflib

        diff = "".join(difflib.unified_diff(
            expected.splitlines(keepends=True), got.splitlines(keepends=True), "snapshot", "now", n=2))
        pytest.fail(f"output on {case} ({output_format}) changed:\n{diff[:20000]}", pytrace=False)
