"""Ordinary code is shown verbatim: over the repository's own examples, fixtures and every rule's
examples, each code frame line of a file without secret spans is the file's own line, and each
line of the diff of its fixes is the plain diff's line; with secrets, only the spans' characters
differ."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from authlint.diagnostics.diff import unified_diff
from authlint.diagnostics.mask import Masker
from authlint.files.classify import classify
from authlint.report import render
from authlint.report.base import ReportInput
from authlint.rules import registry
from authlint.testing import fix_project, lint_files

ROOT = Path(__file__).resolve().parents[2]


def _tree(folder: Path) -> dict[str, str]:
    files = {}
    for path in sorted(folder.rglob("*")):
        if not path.is_file() or "node_modules" in path.parts:
            continue
        raw = path.read_bytes()
        if classify(path.name, raw) is None:
            continue
        try:
            files[path.relative_to(folder).as_posix()] = raw.decode("utf-8")
        except UnicodeDecodeError:
            continue
    return files


PROJECTS = [pytest.param(_tree(ROOT / "examples"), {}, id="examples")] + [
    pytest.param(_tree(folder), {}, id=f"fixtures/{folder.name}")
    for folder in sorted((ROOT / "tests" / "fixtures").iterdir()) if folder.is_dir()
]
for _rule in registry().values():
    for _i, _example in enumerate(_rule.examples):
        _overrides = {**_example.settings, "select": [_rule.code]}
        if _example.options:
            _overrides["rule_options"] = {_rule.code: _example.options}
        PROJECTS.append(pytest.param({**_example.files, _example.path: _example.code}, _overrides,
                                     id=f"{_rule.code}-{_i}"))


def _outside_spans(original: str, shown: str, masker: Masker, start: int) -> None:
    """``shown`` (the masked line at ``start``) differs from ``original`` only inside the spans."""
    line = masker.line(start, start + len(original))
    assert line.text == shown
    cursor, at = 0, 0
    for lo, hi, m_lo, m_hi in line.pieces:
        assert original[cursor:lo] == shown[at:m_lo]
        cursor, at = hi, m_hi
    assert original[cursor:] == shown[at:]


@pytest.mark.parametrize("files, overrides", PROJECTS)
def test_frames_show_the_files_own_lines(files: dict[str, str], overrides: dict) -> None:
    for diag in lint_files(files, **overrides).diagnostics:
        source = diag.source
        if not source.text:
            continue
        line = diag.start[0]
        shown = next(row.split(" | ", 1)[1] for row in render("full", ReportInput([diag])).splitlines()
                     if row.startswith(f"{line} | "))
        original = source.line_text(line)
        if not source.secret_spans:
            assert shown == original.expandtabs(1), (diag.code, source.relpath, line)
        else:
            start = source.line_starts[line - 1]
            masked = Masker.of(source).line(start, start + len(original)).text
            assert shown == masked.expandtabs(1)
            _outside_spans(original, masked, Masker.of(source), start)


@pytest.mark.parametrize("files, overrides", PROJECTS)
def test_fix_diffs_show_the_files_own_lines(files: dict[str, str], overrides: dict) -> None:
    originals, result = fix_project(files, unsafe=True, **overrides)
    for relpath, ctx in result.changed.items():
        before, after = originals[relpath], ctx.source
        printed = unified_diff(before, after).splitlines(keepends=True)
        plain = unified_diff(replace(before, secret_spans=()), replace(after, secret_spans=())).splitlines(keepends=True)
        assert len(printed) == len(plain)
        if not before.secret_spans and not after.secret_spans:
            assert printed == plain, relpath
            continue
        values = {*Masker.of(before).values(), *Masker.of(after).values()}
        for shown, raw in zip(printed, plain):
            if shown != raw:  # a line holding a secret: masked where the secret is, equal elsewhere
                assert "*" in shown and any(value in raw for value in values), (shown, raw)
                head = 0
                while head < min(len(shown), len(raw)) and shown[head] == raw[head]:
                    head += 1
                assert any(at <= head < at + len(value) + 1 for value in values for at in _occurrences(raw, value)), (
                    shown, raw)


def _occurrences(text: str, value: str) -> list[int]:
    """Every offset ``value`` starts at in ``text`` (a one-character secret occurs often)."""
    found, at = [], text.find(value)
    while value and at != -1:
        found.append(at)
        at = text.find(value, at + 1)
    return found
