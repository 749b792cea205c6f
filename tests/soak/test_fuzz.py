"""Fuzz runs: mutated inputs never crash a parser, an extractor or a rule, and fixes stay sound.

Marked ``slow``. CI runs them briefly (AUTHLINT_SOAK=short, the default); AUTHLINT_SOAK=long
runs thousands of examples. Hypothesis is derandomized so a run is reproducible.
"""

from __future__ import annotations

import os

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from authlint.diagnostics.diagnostic import Edit, Fix
from authlint.diagnostics.fix import apply_fixes
from authlint.files.source import Source
from authlint.rules import registry
from authlint.testing import fix_files, lint_files
from tests.mutation import mutate

pytestmark = pytest.mark.slow
LONG = os.environ.get("AUTHLINT_SOAK") == "long"
FUZZ = settings(
    max_examples=2000 if LONG else 40,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)
EXAMPLES = sorted(
    {(example.path, example.code) for rule in registry().values() for example in rule.examples},
)
SYNTAX = list("{}[]()'\":;,=#/\\\n\r\t $`*.") + ["//", "/*", "\"\"\"", "include ", "eyJ", "\x00", "é", "\ufeff"]


@st.composite
def mutated(draw):
    path, code = draw(st.sampled_from(EXAMPLES)) if EXAMPLES else ("a.py", "x = 1\n")
    return path, mutate(draw, code, SYNTAX)


@FUZZ
@given(mutated())
def test_mutated_examples_never_crash_the_engine(case) -> None:
    path, code = case
    result = lint_files({path: code})
    assert not result.errors, result.errors
    for diag in result.diagnostics:
        assert 0 <= diag.span.start <= diag.span.end <= len(code)


@FUZZ
@given(mutated())
def test_fixing_mutated_examples_is_idempotent(case) -> None:
    path, code = case
    once = fix_files({path: code}, unsafe=True)[path]
    twice = fix_files({path: once}, unsafe=True)[path]
    assert twice == once


@FUZZ
@given(st.text(alphabet=st.sampled_from(list("ab\r\n\té")), max_size=60), st.data())
def test_positions_round_trip(text: str, data) -> None:
    source = Source.from_text(text)
    offset = data.draw(st.integers(0, len(text)))
    line, column = source.position(offset)
    assert source.offset(line, column) == offset


@FUZZ
@given(st.text(max_size=40), st.lists(st.tuples(st.integers(0, 40), st.integers(0, 8), st.text(max_size=4)), max_size=8))
def test_apply_fixes_keeps_text_outside_edits(text: str, raw_edits) -> None:
    fixes = []
    for start, length, content in raw_edits:
        start = min(start, len(text))
        end = min(len(text), start + length)
        fixes.append(Fix.safe("f", Edit(start, end, content)))
    new, count = apply_fixes(text, fixes)
    assert count <= len(fixes)
    if not fixes:
        assert new == text
    # every applied edit's surroundings survive: the untouched prefix before the first edit is intact
    if fixes:
        first = min(f.edits[0].start for f in fixes)
        assert new[:first] == text[:first]
