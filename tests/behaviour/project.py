"""Fix a project in memory, then execute the fixed files against the real libraries.

A behaviour test states a small project the way real code is written, lets authlint fix it
(``fixed``), then runs the fixed code (``PythonProject`` / ``tests.node_project.NodeFixture``) to
show that honest clients still work and the hole is closed. Only the tests execute code; authlint
itself never does.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import Any

from authlint.testing import fix_files, lint_files


def codes(files: dict[str, str], **settings: Any) -> Counter[str]:
    """How many findings of each code ``check`` reports on ``files`` (every rule selected)."""
    settings.setdefault("select", ["ALL"])
    result = lint_files(files, **settings)
    assert not result.errors, result.errors
    return Counter(d.code for d in result.diagnostics)


def created_findings(before: dict[str, str], after: dict[str, str], **settings: Any) -> dict[tuple[str, str], int]:
    """The findings ``after`` has more of than ``before``, by (file, code), every rule selected
    unless ``select`` says otherwise: what a fix created."""
    settings.setdefault("select", ["ALL"])
    counts = []
    for files in (before, after):
        result = lint_files(dict(files), **settings)
        assert not result.errors, result.errors
        counts.append(Counter((d.path, d.code) for d in result.diagnostics))
    return {key: n for key, n in counts[1].items() if n > counts[0][key]}


def fixed(files: dict[str, str], code: str, *, unsafe: bool = True, **settings: Any) -> dict[str, str]:
    """``files`` after ``fix --apply`` (``--unsafe-fixes`` unless ``unsafe=False``), every rule
    selected. Asserts what every fix promises: ``code`` is no longer reported and the fix created
    no finding of another code."""
    before = codes(dict(files), **settings)
    assert before[code], f"{code} is not reported before the fix: {dict(before)}"
    settings.setdefault("select", ["ALL"])
    after_files = fix_files(dict(files), unsafe=unsafe, **settings)
    assert after_files != files, f"{code}: the fix changed nothing"
    assert not codes(dict(after_files), **settings)[code], f"{code} is still reported after the fix"
    created = created_findings(files, after_files, **settings)
    assert not created, f"the fix created findings: {created}"
    return after_files


class PythonProject:
    """Files written to a folder and Python run there in a fresh interpreter (this venv's)."""

    def __init__(self, root: Path, files: dict[str, str]) -> None:
        self.root = root
        for relpath, text in files.items():
            target = root / relpath
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")

    def run(self, script: str, timeout: float = 60) -> Any:
        """Run ``script`` with the project on ``sys.path``; its last stdout line is JSON."""
        env = {**os.environ, "PYTHONPATH": str(self.root), "PYTHONDONTWRITEBYTECODE": "1"}
        done = subprocess.run(
            [sys.executable, "-c", script], cwd=self.root, env=env, capture_output=True, text=True,
            timeout=timeout, check=False,
        )
        assert done.returncode == 0, done.stderr[-3000:]
        return json.loads(done.stdout.strip().splitlines()[-1])
