"""The extractor never crashes and keeps every span inside the file, on real-world code it has no
rule for (a sample of the standard library and of the installed web/JWT libraries)."""

from __future__ import annotations

import sysconfig
from pathlib import Path

import pytest

from authlint.context import FileContext, ParseError
from authlint.source import Source

STDLIB = Path(sysconfig.get_paths()["stdlib"])
SAMPLE = sorted(STDLIB.glob("*.py"))[::25][:10]


def _libraries() -> list[Path]:
    paths = []
    for name in ("socketio", "jwt"):
        module = pytest.importorskip(name)
        paths.extend(sorted(Path(module.__file__).parent.rglob("*.py")))
    return paths


@pytest.mark.parametrize("path", SAMPLE + _libraries(), ids=lambda p: f"{p.parent.name}/{p.name}")
def test_extractor_is_total_and_spans_stay_inside(path: Path) -> None:
    text = path.read_text(encoding="utf-8", errors="replace")
    ctx = FileContext(Source.from_text(text, path.name, "python"))
    try:
        ctx.tree
    except ParseError:
        pytest.skip("libcst cannot parse this file")
    for fact in ctx.facts.items:
        assert 0 <= fact.span.start <= fact.span.end <= len(text)


def test_deeply_nested_generated_code_is_analysed_not_crashed() -> None:
    """A 1000-term concatenation is 1000 levels deep: extraction must neither crash nor give up."""
    from authlint.testing import lint_files

    code = "import jwt\nx = " + " + ".join(["'a'"] * 1000) + "\nclaims = jwt.decode(t, K)\n"
    result = lint_files({"deep.py": code}, select=["JWT003"])
    assert not result.errors
    assert [d.code for d in result.diagnostics] == ["JWT003"]
