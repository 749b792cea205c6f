"""Which rules run: ``select`` / ``extend-select`` / ``ignore`` by code, prefix or ``ALL``."""

from __future__ import annotations

from functools import lru_cache
from typing import Iterable

from authlint.config.settings import Settings
from authlint.errors import ConfigError
from authlint.rule import Rule


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


_PLAIN_NAME = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-+@*?~")


@lru_cache(maxsize=256)
def matcher(patterns: tuple[str, ...]):
    """One matcher per pattern set.

    Patterns that are plain names or globs over one name (``node_modules``, ``*.min.js``: the
    defaults and most users' excludes) become one regex without pathspec, which a pre-commit run
    then never imports. Other sets without negations have pathspec's regexes joined into a single
    alternation (one search per path instead of one per pattern); negations use pathspec itself.
    """
    import re

    if patterns and all(pattern and set(pattern) <= _PLAIN_NAME and "**" not in pattern for pattern in patterns):
        # gitignore: a pattern without "/" matches a name at any depth, and everything below it
        alternatives = "|".join(
            re.escape(pattern).replace(r"\*", "[^/]*").replace(r"\?", "[^/]") for pattern in patterns
        )
        simple = re.compile(f"(?:^|/)(?:{alternatives})(?:/|$)")
        return lambda path: simple.search(path) is not None

    import pathspec

    spec = pathspec.GitIgnoreSpec.from_lines(patterns)
    compiled = [p for p in spec.patterns if getattr(p, "regex", None) is not None]
    if compiled and all(p.include for p in compiled):
        unnamed = (re.sub(r"\(\?P<\w+>", "(?:", p.regex.pattern) for p in compiled)  # names clash when joined
        joined = re.compile("|".join(f"(?:{pattern})" for pattern in unnamed))
        return lambda path: joined.search(path) is not None
    return spec.match_file


def matches_any(relpath: str, patterns: Iterable[str]) -> bool:
    """Gitignore-style glob match of a root-relative posix path against any of the patterns."""
    patterns = tuple(patterns)
    return bool(patterns) and matcher(patterns)(relpath)
