"""``Project.per_file``: a project rule's per-file pass skips a file that does not parse, and only it."""

from __future__ import annotations

import pytest

from authlint.testing import lint_files

BROKEN = "import socketio\nimport jwt\nsio = socketio.Server(\n"  # never closed: does not parse


@pytest.mark.parametrize(
    ("code", "text"),
    [
        ("SIO003", "import socketio\nsio = socketio.Server(cors_allowed_origins='*')\n"),
        ("SIO005", "import socketio\nimport jwt\nsio = socketio.Server()\njwt.decode(t, K, algorithms=['HS256'])\n"),
        ("JWT004", "import jwt\njwt.encode({'exp': 1}, 'dev', algorithm='HS256')\n"),
    ],
)
def test_a_broken_file_does_not_hide_the_others_findings(code: str, text: str) -> None:
    found = lint_files({"a_broken.py": BROKEN, "server.py": text}).diagnostics
    assert [d.path for d in found if d.code == "E001"] == ["a_broken.py"]
    assert [d.path for d in found if d.code == code] == ["server.py"]


class Counting:
    """A rule-like object: ``check`` reads one file; ``calls`` counts the files it read."""

    def __init__(self) -> None:
        self.calls: list[str] = []

    def check(self, ctx):
        self.calls.append(ctx.source.relpath)
        yield ctx.source.relpath


def _contexts(texts: dict[str, str]):
    from authlint.files.source import Source
    from authlint.run.context import FileContext

    return [FileContext(Source.from_text(text, relpath=relpath)) for relpath, text in texts.items()]


def test_a_rules_own_check_is_kept_on_the_file_for_the_next_project_phase() -> None:
    from authlint.run.context import Project

    rule = Counting()
    unchanged, edited = _contexts({"a.py": "x = 1\n", "b.py": "y = 2\n"})
    assert list(Project([unchanged, edited]).per_file(rule.check)) == ["a.py", "b.py"]
    (edited_again,) = _contexts({"b.py": "y = 3\n"})  # an edit: a new context for b.py
    assert list(Project([unchanged, edited_again]).per_file(rule.check)) == ["a.py", "b.py"]
    assert rule.calls == ["a.py", "b.py", "b.py"]  # a.py was read once


def test_another_rule_and_a_closure_are_not_given_the_kept_results() -> None:
    from authlint.run.context import Project

    first, second = Counting(), Counting()
    contexts = _contexts({"a.py": "x = 1\n"})
    list(Project(contexts).per_file(first.check))
    list(Project(contexts).per_file(second.check))  # same class, another instance (other options)
    seen: list[str] = []
    list(Project(contexts).per_file(lambda ctx: seen.append(ctx.source.relpath) or ()))
    list(Project(contexts).per_file(lambda ctx: seen.append(ctx.source.relpath) or ()))
    assert (first.calls, second.calls, seen) == (["a.py"], ["a.py"], ["a.py", "a.py"])
