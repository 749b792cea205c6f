"""Which rules run: ``select`` / ``extend-select`` / ``ignore`` by code, prefix or ``ALL``."""

from __future__ import annotations

from functools import lru_cache
from typing import Iterable

from authlint.errors import ConfigError
from authlint.rule import Rule
from authlint.settings import Settings


def _matches(code: str, selector: str) -> bool:
    return selector == "ALL" or code.startswith(selector)


def validate_selectors(selectors: Iterable[str], known: Iterable[str], where: str) -> None:
    codes = list(known)
    for selector in selectors:
        if selector != "ALL" and not any(code.startswith(selector) for code in codes):
            raise ConfigError(f"{where}: unknown rule code or prefix {selector!r}")


def select_rules(settings: Settings) -> list[Rule]:
    from authlint.rules import registry

    rules = registry()
    validate_selectors(settings.select, rules, "select")
    validate_selectors(settings.extend_select, rules, "extend-select")
    validate_selectors(settings.ignore, rules, "ignore")
    for code in settings.rule_options:
        if code not in rules:
            raise ConfigError(f"rules: options given for unknown rule {code!r}")
    chosen: list[Rule] = []
    for code, rule_cls in rules.items():
        selected = any(_matches(code, s) for s in (*settings.select, *settings.extend_select))
        if not selected or any(_matches(code, s) for s in settings.ignore):
            continue
        try:
            chosen.append(rule_cls(settings.rule_options.get(code)))
        except (ValueError, TypeError) as exc:
            raise ConfigError(f"rules.{code}: {exc}") from exc
    return chosen


@lru_cache(maxsize=256)
def _spec(pattern: str):
    import pathspec

    return pathspec.GitIgnoreSpec.from_lines([pattern])


def matches_any(relpath: str, patterns: Iterable[str]) -> bool:
    """Gitignore-style glob match of a root-relative posix path."""
    return any(_spec(p).match_file(relpath) for p in patterns)
