"""Each rule's declared fix classes (``fix_offers``, the README's fix table) are the truth: every fix
its examples produce has a declared class, and every declared class is produced by an example.
"""

from __future__ import annotations

import pytest

from authlint.diagnostics.diagnostic import Applicability, FixAvailability
from authlint.rule import Rule
from authlint.rules import registry
from authlint.testing import lint_files

RULES = list(registry().values())


def _produced(rule: type[Rule]) -> set[Applicability]:
    produced: set[Applicability] = set()
    for example in rule.examples:
        if example.valid:
            continue
        overrides = dict(example.settings)
        overrides["select"] = ["ALL"] if rule.code.startswith("E") else [rule.code]  # as test_examples runs them
        if example.options:
            overrides["rule_options"] = {rule.code: example.options}
        result = lint_files({**example.files, example.path: example.code}, **overrides)
        produced |= {d.fix.applicability for d in result.diagnostics if d.code == rule.code and d.fix}
    return produced


@pytest.mark.parametrize("rule", RULES, ids=[r.code for r in RULES])
def test_fix_offers_are_what_the_examples_produce(rule: type[Rule]) -> None:
    declared = {offer.applicability for offer in rule.fix_offers}
    if rule.fix_availability is FixAvailability.NONE:
        assert not declared, f"{rule.code} declares no fix but lists fix offers"
        return
    assert declared, f"{rule.code} has fixes: list them in fix_offers with their class"
    assert all(offer.does.strip() for offer in rule.fix_offers)
    produced = _produced(rule)
    assert produced <= declared, f"{rule.code} produces {sorted(produced - declared)} fixes it does not declare"
    assert declared <= produced, f"{rule.code} declares {sorted(declared - produced)} fixes no example produces"
