"""Every rule's own VALID / INVALID examples, run through the real engine, prefilter and fixer.

Adding a rule module adds its tests here; nothing else needs to be registered.
"""

from __future__ import annotations

import pytest

from authlint.diagnostics.diagnostic import FixAvailability
from authlint.rule import DOC_SECTIONS, Example, Rule
from authlint.rules import registry
from authlint.testing import fix_files, lint_files

RULES = list(registry().values())
CASES = [
    pytest.param(rule, example, id=f"{rule.code}-{'valid' if example.valid else 'invalid'}-{i}")
    for rule in RULES
    for i, example in enumerate(rule.examples)
]


def _run(rule: type[Rule], example: Example):
    files = {**example.files, example.path: example.code}
    overrides = dict(example.settings)
    # Engine codes (E001/E002) report on files that some rule checks, so they run with every rule.
    overrides["select"] = ["ALL"] if rule.code.startswith("E") else [rule.code]
    if example.options:
        overrides["rule_options"] = {rule.code: example.options}
    return files, overrides, lint_files(files, **overrides)


@pytest.mark.parametrize("rule, example", CASES)
def test_example(rule: type[Rule], example: Example) -> None:
    files, overrides, result = _run(rule, example)
    assert not result.errors, result.errors
    found = [d for d in result.diagnostics if d.code == rule.code]
    if example.valid:
        assert found == [], [f"{d.path}:{d.start}: {d.message}" for d in found]
        return
    assert found, f"{rule.code} did not report:\n{example.code}"
    if example.count is not None:
        assert len(found) == example.count, [d.message for d in found]
    if example.message is not None:
        assert example.message in found[0].message, found[0].message
    if example.span is not None:
        first = found[0]
        assert (*first.start, *first.end) == example.span, (first.start, first.end, first.message)
    for diag in found:
        assert diag.span.end <= len(diag.source.text)
    fixable = [d for d in found if d.fix is not None]
    if rule.fix_availability is FixAvailability.NONE:
        assert not fixable, f"{rule.code} declares no fix but produced one"
    if rule.fix_availability is FixAvailability.ALWAYS:
        assert len(fixable) == len(found), f"{rule.code} declares a fix on every finding"
    if example.fixed is not None:
        fixed = fix_files(files, unsafe=True, **overrides)
        assert fixed[example.path] == example.fixed
        for relpath, text in example.fixed_files.items():
            assert fixed[relpath] == text, f"{relpath} after the fix"
        again = fix_files(fixed, unsafe=True, **overrides)
        assert again == fixed, "fix is not idempotent"
    else:
        assert not example.fixed_files, "fixed_files needs fixed"


@pytest.mark.parametrize("rule", RULES, ids=[r.code for r in RULES])
def test_rule_metadata(rule: type[Rule]) -> None:
    docs = rule.docs()
    for heading in DOC_SECTIONS:
        assert heading in docs, f"{rule.code} docs lack {heading!r}"
    assert rule.summary and not rule.summary.endswith(".")
    assert rule.kinds
    if rule.code.startswith("E"):
        return
    assert any(not e.valid for e in rule.examples), f"{rule.code} has no INVALID example"
    assert any(e.valid for e in rule.examples), f"{rule.code} has no VALID example"
    if rule.fix_availability is not FixAvailability.NONE:
        assert any(e.fixed is not None for e in rule.examples), f"{rule.code} has no example fix"


LANGUAGE_SUFFIXES = {
    "Python": (".py",),
    "JS/TS": (".js", ".mjs", ".cjs", ".jsx", ".ts", ".mts", ".cts", ".tsx", ".vue", ".svelte", ".html"),
    "YAML": (".yaml", ".yml"),
}


@pytest.mark.parametrize("rule", RULES, ids=[r.code for r in RULES])
def test_examples_cover_every_language_the_rule_claims(rule: type[Rule]) -> None:
    """A rule that says it reads Python and JS/TS carries INVALID examples in both (and, when it
    fixes, an expected fix in both), so one language's extractor cannot silently fall behind."""
    claimed = [lang for lang in LANGUAGE_SUFFIXES if lang in rule.languages.split(", ")]
    for lang in claimed:
        suffixes = LANGUAGE_SUFFIXES[lang]
        invalid = [e for e in rule.examples if not e.valid and any(p.endswith(suffixes) for p in (e.path, *e.files))]
        assert invalid, f"{rule.code} claims {lang} but has no INVALID {lang} example"
        if rule.fix_availability is not FixAvailability.NONE and lang != "YAML":
            assert any(e.fixed is not None for e in invalid), f"{rule.code} fixes but shows no {lang} fix"
