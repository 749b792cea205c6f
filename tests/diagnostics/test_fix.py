from __future__ import annotations

import os
import stat
from pathlib import Path

from authlint.config.settings import Settings
from authlint.diagnostics.diagnostic import Edit, Fix
from authlint.diagnostics.fix import apply_fixes, fix_contexts, write_atomic
from authlint.files.source import Source
from authlint.rules.engine.e001_unparsable_file import UnparsableFile
from authlint.run.context import FileContext
from authlint.run.engine import Linter


def test_overlapping_fixes_are_applied_one_at_a_time() -> None:
    text = "abcdef"
    first = Fix.safe("a", Edit(0, 3, "X"))
    clash = Fix.safe("b", Edit(2, 4, "Y"))
    later = Fix.safe("c", Edit(4, 6, "Z"))
    new, count = apply_fixes(text, [clash, first, later])
    assert (new, count) == ("XdZ", 2)


def test_inserts_at_the_same_point_do_not_both_apply() -> None:
    new, count = apply_fixes("ab", [Fix.safe("x", Edit.insert(1, "X")), Fix.safe("y", Edit.insert(1, "Y"))])
    assert count == 1 and new in ("aXb", "aYb")


def test_multi_edit_fix_applies_whole_or_not_at_all() -> None:
    fix = Fix.safe("both", Edit(0, 1, "1"), Edit(3, 4, "4"))
    blocker = Fix.safe("block", Edit(3, 4, "B"))
    new, count = apply_fixes("abcd", [blocker, fix])
    assert count == 1 and new in ("abcB", "1bc4")


def test_newlines_in_edits_follow_the_file() -> None:
    new, _ = apply_fixes("a\r\nb", [Fix.safe("x", Edit.insert(1, "\nc"))], newline="\r\n")
    assert new == "a\r\nc\r\nb"


def _ctx(text: str, name: str = "a.py") -> FileContext:
    source = Source(path=Path(name), relpath=name, text=text, kind="python")
    return FileContext(source, Settings())


def test_fix_contexts_reaches_a_fixed_point(demo_rule) -> None:
    linter = Linter(Settings(), rules=[demo_rule, UnparsableFile()])
    result = fix_contexts(linter, [_ctx('x = "BADWORD"  # BADWORD\r\n')], unsafe=False)
    assert result.changed["a.py"].source.text == 'x = "goodword"  # goodword\r\n'
    assert result.applied["a.py"] == 2
    assert result.remaining.diagnostics == []


def test_a_fix_that_breaks_parsing_is_rolled_back(demo_rule) -> None:
    class Breaker(type(demo_rule)):
        def check(self, ctx):
            for diag in super().check(ctx):
                diag.fix = Fix.safe("break", Edit(diag.span.start - 1, diag.span.end + 1, "((("))
                yield diag

    linter = Linter(Settings(), rules=[Breaker(), UnparsableFile()])
    result = fix_contexts(linter, [_ctx('x = "BADWORD"\n')], unsafe=False)
    assert result.changed == {} and result.rolled_back == ["a.py"]


def test_write_atomic_keeps_mode_and_leaves_no_temp(tmp_path: Path) -> None:
    target = tmp_path / "run.sh"
    target.write_bytes(b"old")
    os.chmod(target, 0o750)
    write_atomic(target, b"new\r\n")
    assert target.read_bytes() == b"new\r\n"
    assert stat.S_IMODE(target.stat().st_mode) == 0o750
    assert [p.name for p in tmp_path.iterdir()] == ["run.sh"]


def test_write_atomic_through_a_symlink_writes_the_target(tmp_path: Path) -> None:
    target = tmp_path / "real.py"
    target.write_text("a")
    link = tmp_path / "link.py"
    link.symlink_to(target)
    write_atomic(link, b"b")
    assert link.is_symlink() and target.read_text() == "b"
