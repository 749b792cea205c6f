"""The rule registry: every ``Rule`` subclass defined in a module of this package, by code.

Rules are discovered, not listed, so adding a module adds a rule (and, through its examples, its
tests). Rule modules must stay cheap to import: heavy parsers are imported inside ``check``.
"""

from __future__ import annotations

import pkgutil
from functools import lru_cache
from importlib import import_module

from authlint.rule import CODE_RE, NAME_RE, Rule


@lru_cache(maxsize=1)
def registry() -> dict[str, type[Rule]]:
    found: dict[str, type[Rule]] = {}
    names: dict[str, str] = {}
    for info in pkgutil.iter_modules(__path__):
        if info.name.startswith("_"):
            continue
        module = import_module(f"{__name__}.{info.name}")
        for value in vars(module).values():
            if not (isinstance(value, type) and issubclass(value, Rule) and value is not Rule):
                continue
            if value.__module__ != module.__name__ or not hasattr(value, "code"):
                continue
            if not CODE_RE.match(value.code) or not NAME_RE.match(value.name):
                raise RuntimeError(f"{module.__name__}: bad rule code or name {value.code}/{value.name}")
            if value.code in found or value.name in names:
                raise RuntimeError(f"duplicate rule {value.code} ({value.name}) in {module.__name__}")
            found[value.code] = value
            names[value.name] = value.code
    return dict(sorted(found.items()))


def get(code_or_name: str) -> type[Rule] | None:
    rules = registry()
    key = code_or_name.strip()
    if key.upper() in rules:
        return rules[key.upper()]
    return next((rule for rule in rules.values() if rule.name == key.lower()), None)
