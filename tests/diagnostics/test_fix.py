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


# -- fixes of several files (a client/server pair) and fixes that fail alone --------------------------


SERVER = "y = PEER\n"


def _pair_rule(demo_rule, broken_server: bool = False):
    """Reports BADWORD in client.py; its fix edits client.py and the word PEER of server.py (whose
    text the test double knows), into ``peer((`` when ``broken_server``: server.py would not parse."""

    class Pair(type(demo_rule)):
        def check(self, ctx):
            if ctx.source.relpath != "client.py":
                return
            server = Source(path=Path("server.py"), relpath="server.py", text=SERVER, kind="python")
            at = SERVER.index("PEER")
            for diag in super().check(ctx):
                peer = Edit(at, at + 4, "peer((" if broken_server else "peer", "server.py")
                diag.fix = Fix.safe("pair", *diag.fix.edits, peer, files=(server,))
                yield diag

    return Pair()


def test_a_fix_of_two_files_lands_in_both(demo_rule) -> None:
    linter = Linter(Settings(), rules=[_pair_rule(demo_rule)])
    result = fix_contexts(linter, [_ctx('x = "BADWORD"\n', "client.py"), _ctx(SERVER, "server.py")], unsafe=False)
    assert result.changed["client.py"].source.text == 'x = "goodword"\n'
    assert result.changed["server.py"].source.text == SERVER.replace("PEER", "peer")
    assert result.applied == {"client.py": 1} and result.remaining.diagnostics == []


def test_a_fix_that_breaks_another_file_is_dropped_in_every_file(demo_rule) -> None:
    linter = Linter(Settings(), rules=[_pair_rule(demo_rule, broken_server=True), UnparsableFile()])
    result = fix_contexts(linter, [_ctx('x = "BADWORD"\n', "client.py"), _ctx(SERVER, "server.py")], unsafe=False)
    assert result.changed == {}
    assert result.rolled_back == ["server.py"] and result.dropped == [("client.py", "pair")]
    assert [d.code for d in result.remaining.diagnostics] == ["TST001"]


def test_a_fix_naming_a_file_outside_the_run_is_not_applied(demo_rule) -> None:
    class Elsewhere(type(demo_rule)):
        def check(self, ctx):
            for diag in super().check(ctx):
                diag.fix = Fix.safe("far", *diag.fix.edits, Edit.insert(0, "# x\n", "other.py"))
                yield diag

    result = fix_contexts(Linter(Settings(), rules=[Elsewhere()]), [_ctx('x = "BADWORD"\n')], unsafe=False)
    assert result.changed == {} and [d.code for d in result.remaining.diagnostics] == ["TST001"]


def test_one_failing_fix_never_discards_the_others(demo_rule) -> None:
    """The old fixer rolled the whole file back and then reported its good fixes as having none."""

    class SometimesBreaks(type(demo_rule)):
        def check(self, ctx):
            for diag in super().check(ctx):
                if ctx.source.text[diag.span.end : diag.span.end + 2] == "_2":
                    diag.fix = Fix.safe("break", Edit.replace(diag.span, "((("))
                yield diag

    linter = Linter(Settings(), rules=[SometimesBreaks(), UnparsableFile()])
    text = 'a = "BADWORD"\nb = BADWORD_2\nc = "BADWORD"\n'
    result = fix_contexts(linter, [_ctx(text)], unsafe=False)
    assert result.changed["a.py"].source.text == 'a = "goodword"\nb = BADWORD_2\nc = "goodword"\n'
    assert result.applied["a.py"] == 2 and result.rolled_back == ["a.py"]
    assert result.dropped == [("a.py", "break")]
    left = result.remaining.diagnostics
    assert [(d.code, d.start[0]) for d in left] == [("TST001", 2)]


def test_a_multi_file_fix_is_idempotent(demo_rule) -> None:
    linter = Linter(Settings(), rules=[_pair_rule(demo_rule)])
    first = fix_contexts(linter, [_ctx('x = "BADWORD"\n', "client.py"), _ctx(SERVER, "server.py")], unsafe=False)
    again = fix_contexts(linter, first.contexts, unsafe=False)
    assert again.changed == {}


def test_fixes_sharing_an_identical_edit_both_land_and_make_it_once() -> None:
    """Two clients' fixes rewrite the same server read / add the same parameter: one change."""
    shared = Edit.insert(3, "auth=None")
    first = Fix.safe("one", Edit(0, 1, "A"), shared)
    second = Fix.safe("two", Edit(5, 6, "B"), shared)
    new, count = apply_fixes("a  ()b", [first, second])
    assert (new, count) == ("A  auth=None()B", 2)


def test_secret_spans_are_carried_through_a_fixs_edits() -> None:
    """The fixed text's spans: old ones moved (or cut where an edit replaced them), plus the
    secret values an inserted text holds, at their new place (newlines converted first)."""
    from authlint.diagnostics.diagnostic import Edit
    from authlint.diagnostics.fix import apply_edits, carried_spans
    from authlint.files.source import Span

    text = 'a = "s3cret-one"\nb = "s3cret-two"\nc = 1\n'
    spans = [Span(text.index(v), text.index(v) + len(v)) for v in ("s3cret-one", "s3cret-two")]
    edits = [
        Edit.insert(0, "# head\n"),  # before both: moves them
        Edit.replace(Span(spans[0].start, spans[0].end), "$2b$04$hash"),  # the secret replaced: dropped
        Edit.insert(text.index("c = 1"), 'd = "s3cret-two"\n'),  # a copy of a secret: carried
    ]
    new = apply_edits(text, edits, "\r\n")
    carried = carried_spans(spans, edits, "\r\n", ("s3cret-one", "s3cret-two"))
    assert sorted(new[s.start : s.end] for s in carried) == ["s3cret-two", "s3cret-two"]
    assert "s3cret-one" not in new
    inside = carried_spans([Span(0, 6)], [Edit.insert(3, "XY")], "\n", ())  # text inserted into a secret
    assert [(s.start, s.end) for s in inside] == [(0, 8)]  # is masked with it: nothing of it shows
