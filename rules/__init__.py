"""The rule registry: the rules named in ``codes.CODES``, by code.

Rule modules must stay cheap to import (no parsers at module level): the registry imports them all
when a run starts, and heavy parsers are imported inside ``check``.
"""

from __future__ import annotations

from functools import lru_cache
from importlib import import_module

from authlint.rule import CODE_RE, NAME_RE, Rule
from authlint.rules.codes import CODES


@lru_cache(maxsize=1)
def registry() -> dict[str, type[Rule]]:
    found: dict[str, type[Rule]] = {}
    names: dict[str, str] = {}
    for code, (module_name, class_name) in CODES.items():
        module = import_module(f"{__name__}.{module_name}")
        rule = getattr(module, class_name)
        if not (isinstance(rule, type) and issubclass(rule, Rule)) or rule.code != code:
            raise RuntimeError(f"codes table: {code} names {module_name}.{class_name}, which is not rule {code}")
        if not CODE_RE.match(rule.code) or not NAME_RE.match(rule.name):
            raise RuntimeError(f"{module.__name__}: bad rule code or name {rule.code}/{rule.name}")
        if rule.name in names:
            raise RuntimeError(f"duplicate rule name {rule.name} ({names[rule.name]}, {code})")
        found[code] = rule
        names[rule.name] = code
    return dict(sorted(found.items()))


def get(code_or_name: str) -> type[Rule] | None:
    rules = registry()
    key = code_or_name.strip()
    if key.upper() in rules:
        return rules[key.upper()]
    return next((rule for rule in rules.values() if rule.name == key.lower()), None)
