"""The extractor never crashes and keeps every span inside the file, on real-world code it has no
rule for (a sample of the standard library and of the installed web/JWT libraries)."""

from __future__ import annotations

import sysconfig
from pathlib import Path

import pytest

from authlint.files.source import Source
from authlint.run.context import FileContext
from authlint.syntax.errors import ParseError

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
        _ = ctx.tree  # parse now: a ParseError surfaces here
    except ParseError:
        pytest.skip("this Python cannot parse this file")
    for fact in ctx.facts.items:
        assert 0 <= fact.span.start <= fact.span.end <= len(text)


def test_deeply_nested_generated_code_is_analysed_not_crashed() -> None:
    """A 1000-term concatenation is 1000 levels deep: extraction must neither crash nor give up."""
    from authlint.testing import lint_files

    code = "import jwt\nx = " + " + ".join(["'a'"] * 1000) + "\nclaims = jwt.decode(t, K)\n"
    result = lint_files({"deep.py": code}, select=["JWT003"])
    assert not result.errors
    assert [d.code for d in result.diagnostics] == ["JWT003"]


@pytest.mark.parametrize("expression", [
    " + ".join(["'a'"] * 5000),  # 5000 levels of BinOp: deeper than 3.11/3.12's ast builds by default
    "a" + ".b" * 20000,
    "not " * 50000 + "y",
    "-" * 100000 + "1",
])
def test_too_deep_code_is_analysed_or_a_clean_parse_error(expression: str) -> None:
    """Never a crash: beyond what this Python's ``ast`` builds, the file is E001 with a message;
    otherwise (3.10, 3.13 go deeper) it is analysed. The other files are checked either way."""
    from authlint.testing import lint_files

    code = f"import jwt\nx = {expression}\nclaims = jwt.decode(t, K)\n"
    result = lint_files({"deep.py": code, "ok.py": "import jwt\nclaims = jwt.decode(t, K)\n"}, select=["JWT003", "E001"])
    assert not result.errors
    (deep,) = [d for d in result.diagnostics if d.path == "deep.py"]
    assert deep.code == "JWT003" or "too deeply nested" in deep.message
    assert [d.code for d in result.diagnostics if d.path == "ok.py"] == ["JWT003"]


def test_chains_deeper_than_the_c_stack_do_not_kill_the_process() -> None:
    """Python 3.10 builds ast objects with unchecked C recursion (a segfault past ~100,000 levels
    on an 8 MiB stack): big files parse on a thread with a big stack. Run apart: a crash must fail
    this test, not end the test run."""
    import subprocess
    import sys

    script = (
        "from authlint.testing import lint_files\n"
        "code = 'import jwt\\nx = a' + '.b' * 300000 + '\\nclaims = jwt.decode(t, K)\\n'\n"
        "result = lint_files({'deep.py': code}, select=['JWT003', 'E001'])\n"
        "assert not result.errors and len(result.diagnostics) == 1, result\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]


def test_long_flat_chains_are_analysed() -> None:
    """Implicit concatenation is one node in ``ast``; ``or`` chains are one n-ary node."""
    from authlint.testing import lint_files

    code = ("import jwt, os\nx = (" + " ".join(["'a'"] * 5000) + ")\n"
            "K = os.getenv('K') or " + " or ".join(["'k'"] * 3000) + "\nclaims = jwt.decode(t, K)\n")
    result = lint_files({"flat.py": code}, select=["JWT003", "E001"])
    assert not result.errors
    assert [d.code for d in result.diagnostics] == ["JWT003"]


def test_syntax_errors_point_at_the_error() -> None:
    from authlint.syntax.python import parse_source

    code = "x = 'é' + é$\n"
    with pytest.raises(ParseError) as info:
        parse_source(Source.from_text(code, "a.py", "python"))
    assert code[info.value.offset] == "$" and info.value.message.startswith("Python syntax error:")
    with pytest.raises(ParseError):
        parse_source(Source.from_text("a = 1\x00\n", "a.py", "python"))


def test_syntax_newer_than_this_python_is_named() -> None:
    """A file libcst parses but this interpreter cannot (PEP 695 before 3.12) says so."""
    import ast

    from authlint.syntax.python import parse_source

    code = "type Alias = int\n"
    try:
        ast.parse(code)
    except SyntaxError:
        pass
    else:
        pytest.skip("this Python parses PEP 695 syntax")
    with pytest.raises(ParseError) as info:
        parse_source(Source.from_text(code, "a.py", "python"))
    assert "newer" in info.value.message and "run authlint under a newer Python" in info.value.message
