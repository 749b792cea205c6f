"""The codes table (``rules/codes.py``) and the rule modules agree, both ways.

The table is written out, not discovered, so these tests are what stops a rule module that is not
listed (it would never run), an entry naming the wrong module or class, and a file name that does
not say which code it holds.
"""

from __future__ import annotations

import inspect
from importlib import import_module
from pathlib import Path

import pytest

import authlint.rules
from authlint.rule import Rule
from authlint.rules import registry
from authlint.rules.codes import CODES

RULES_DIR = Path(authlint.rules.__file__).parent


def _module_names() -> list[str]:
    """Every module under rules/ (helpers and the kit included), as importable names."""
    names = []
    for path in sorted(RULES_DIR.rglob("*.py")):
        parts = path.relative_to(RULES_DIR).with_suffix("").parts
        if parts[-1] == "__init__":
            parts = parts[:-1]
        names.append(".".join(("authlint.rules", *parts)))
    return names


def _rule_classes() -> dict[str, list[type[Rule]]]:
    """module name -> the Rule subclasses it defines (not those it imports)."""
    found: dict[str, list[type[Rule]]] = {}
    for name in _module_names():
        module = import_module(name)
        classes = [
            value
            for value in vars(module).values()
            if inspect.isclass(value) and issubclass(value, Rule) and value is not Rule and value.__module__ == name
        ]
        if classes:
            found[name] = classes
    return found


def test_every_rule_class_under_rules_is_in_the_codes_table() -> None:
    listed = {(f"authlint.rules.{module}", cls) for module, cls in CODES.values()}
    defined = {(module, cls.__name__) for module, classes in _rule_classes().items() for cls in classes}
    assert defined, "no Rule subclasses found under rules/: the walk is broken"
    assert sorted(defined - listed) == [], "rule classes missing from rules/codes.py"
    assert sorted(listed - defined) == [], "codes.py entries whose module does not define that class"


def test_a_rule_module_defines_one_rule() -> None:
    assert {module: [c.__name__ for c in classes] for module, classes in _rule_classes().items() if len(classes) > 1} == {}


@pytest.mark.parametrize(("code", "entry"), sorted(CODES.items()), ids=sorted(CODES))
def test_table_entry_imports_with_its_code(code: str, entry: tuple[str, str]) -> None:
    module_name, class_name = entry
    module = import_module(f"authlint.rules.{module_name}")
    rule = getattr(module, class_name)
    assert inspect.isclass(rule) and issubclass(rule, Rule)
    assert rule.code == code
    assert rule.__module__ == module.__name__  # defined there, not re-exported from elsewhere
    family, _, file_name = module_name.rpartition(".")
    assert family and "." not in family, f"{module_name}: a rule lives in one family folder"
    assert file_name.startswith(code.lower() + "_"), f"{module_name}: the file name starts with {code.lower()}_"


def test_registry_is_the_table() -> None:
    rules = registry()
    assert list(rules) == sorted(CODES)
    assert all(rules[code].__name__ == CODES[code][1] for code in rules)
