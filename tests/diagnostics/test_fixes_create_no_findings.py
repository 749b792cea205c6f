"""After ``fix --apply --unsafe-fixes`` (every rule selected, as a user runs it) on any fixable rule
example, ``check`` shows no finding the fixes created: no code is reported more often in a file than
before (issue #10: "after fix --apply, check shows no finding the fix created"). A fix that opens a
door another rule reports (a renamed option that switches a wildcard on) fails here, and so does
a second run that still finds something to change (the fixes of all rules converge).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from authlint.rule import Example
from authlint.rules import registry
from authlint.testing import fix_files
from tests.behaviour.project import codes, created_findings

FIXABLE = [
    pytest.param(rule.code, example, id=f"{rule.code}-{index}")
    for rule in registry().values()
    for index, example in enumerate(rule.examples)
    if example.fixed is not None and example.fixed != example.code
]


@pytest.mark.parametrize("code, example", FIXABLE)
def test_fix_creates_no_finding(code: str, example: Example) -> None:
    files = {**example.files, example.path: example.code}
    overrides = dict(example.settings)
    if example.options:
        overrides["rule_options"] = {code: example.options}
    fixed = fix_files(files, unsafe=True, **{**overrides, "select": ["ALL"]})
    created = created_findings(files, fixed, **overrides)
    assert not created, f"the {code} fix created {created}:\n{fixed[example.path]}"
    again = fix_files(fixed, unsafe=True, **{**overrides, "select": ["ALL"]})
    assert again == fixed, "fixing every rule is not idempotent: a second run changed the files"


def test_fixing_the_bundled_examples_creates_no_finding_and_converges() -> None:
    """The same promise on a whole project, with its cross-file pairs (SIO006 client and server,
    SIO002 origins, JWT003 mints): ``examples/`` fixed with every rule, unsafe fixes included."""
    root = Path(__file__).resolve().parents[2] / "examples"
    files = {
        path.relative_to(root).as_posix(): path.read_text(encoding="utf-8")
        for path in sorted(root.rglob("*"))
        if path.is_file() and path.suffix != ".md"
    }
    settings = {"allowed-origins": ["https://app.example.com"], "select": ["ALL"]}
    fixed = fix_files(files, unsafe=True, **settings)
    assert fixed != files
    created = created_findings(files, fixed, **settings)
    assert not created, f"fixing examples/ created {created}"
    assert sum(codes(fixed, **settings).values()) < sum(codes(files, **settings).values())
    assert fix_files(fixed, unsafe=True, **settings) == fixed
