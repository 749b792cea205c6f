from __future__ import annotations

from pathlib import Path

from authlint.config.settings import Settings
from authlint.files.source import Source
from authlint.run.context import FileContext
from authlint.run.engine import Linter


def _codes(demo_rule, text: str, kind: str = "python", name: str = "a.py") -> list[int]:
    linter = Linter(Settings(), rules=[demo_rule])
    ctx = FileContext(Source(path=Path(name), relpath=name, text=text, kind=kind), Settings())
    return [d.start[0] for d in linter.check([ctx]).diagnostics]


def test_same_line_and_line_above(demo_rule) -> None:
    text = (
        "a = 'BADWORD'  # authlint: ignore[TST001]\n"
        "# authlint: ignore[TST001]\n"
        "b = 'BADWORD'\n"
        "c = 'BADWORD'  # authlint: ignore[SIO001]\n"
        "d = 'BADWORD'  # authlint: ignore\n"
        "e = 'BADWORD'\n"
    )
    assert _codes(demo_rule, text) == [4, 6]


def test_code_prefix_and_lists(demo_rule) -> None:
    assert _codes(demo_rule, "a = 'BADWORD'  # authlint: ignore[SIO001, TST]\n") == []


def test_trailing_comment_does_not_cover_next_line(demo_rule) -> None:
    assert _codes(demo_rule, "x = 1  # authlint: ignore[TST001]\ny = 'BADWORD'\n") == [2]


def test_ignore_file(demo_rule) -> None:
    assert _codes(demo_rule, "# authlint: ignore-file[TST001]\na = 'BADWORD'\n") == []
    assert _codes(demo_rule, "# authlint: ignore-file[SIO]\na = 'BADWORD'\n") == [2]


def test_js_comment_syntax(demo_rule) -> None:
    assert _codes(demo_rule, "// authlint: ignore[TST001]\nconst a = 'BADWORD'\n") == []
