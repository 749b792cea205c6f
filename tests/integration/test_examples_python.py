"""examples/python shows the Python family: its findings are exactly the ones its comments promise."""

from __future__ import annotations

import re
from pathlib import Path

from authlint.testing import fix_files, lint_files

ROOT = Path(__file__).parent.parent.parent / "examples" / "python"
MARK = re.compile(r"# <- ([A-Z]{3}\d{3})")


def _files() -> dict[str, str]:
    return {f"examples/python/{path.name}": path.read_text() for path in sorted(ROOT.glob("*.py"))}


def _promised(files: dict[str, str]) -> set[tuple[str, int, str]]:
    promised = set()
    for relpath, text in files.items():
        for number, line in enumerate(text.splitlines(), start=1):
            for code in MARK.findall(line):
                promised.add((relpath, number, code))
    return promised


def test_findings_are_the_marked_ones() -> None:
    files = _files()
    result = lint_files(files)
    assert not result.errors
    found = {(d.path, d.start[0], d.code) for d in result.diagnostics}
    promised = _promised(files)
    assert len(promised) >= 10
    assert found == promised


def test_fix_apply_compiles_and_is_stable() -> None:
    files = _files()
    fixed = fix_files(files, unsafe=True, allowed_origins=["https://chat.example.com"])
    assert fixed != files
    for relpath, text in fixed.items():
        compile(text, relpath, "exec")
    assert fix_files(fixed, unsafe=True, allowed_origins=["https://chat.example.com"]) == fixed
    remaining = {d.code for d in lint_files(fixed).diagnostics}
    assert {"SIO001", "SIO004", "SIO002", "TOK002", "JWT006", "JWT001"}.isdisjoint(remaining)
