"""The byte prefilter: one compiled regex per file kind, built from the rules' trigger words.

A file is parsed only when its raw bytes contain a trigger of some selected rule for its kind, so a
new rule can never be skipped silently: its own triggers are in the pattern (a test runs every
INVALID example through it).
"""

from __future__ import annotations

import re
from typing import Iterable, Pattern

from authlint.rule import Rule


class Prefilter:
    def __init__(self, rules: Iterable[Rule]) -> None:
        words: dict[str, set[str]] = {}
        self._always: set[str] = set()
        for rule in rules:
            for kind in rule.kinds:
                if not rule.triggers:
                    self._always.add(kind)
                words.setdefault(kind, set()).update(word.lower() for word in rule.triggers)
        self._patterns: dict[str, Pattern[bytes] | None] = {
            kind: _compile(kind_words) if kind not in self._always else None
            for kind, kind_words in words.items()
        }

    def kinds(self) -> set[str]:
        return set(self._patterns)

    def words(self, kind: str) -> set[str]:
        pattern = self._patterns.get(kind)
        return set() if pattern is None else {w.decode() for w in pattern.pattern.split(b"|")}

    def wants(self, kind: str, raw: bytes) -> bool:
        """Whether some selected rule may report on a file of this kind with these bytes."""
        if kind not in self._patterns:
            return False
        pattern = self._patterns[kind]
        return pattern is None or pattern.search(raw) is not None

    def matches(self, rule: Rule, raw: bytes) -> bool:
        """Whether one rule's own triggers occur (rules without triggers always run)."""
        if not rule.triggers:
            return True
        lower = raw.lower()
        return any(word.encode() in lower for word in rule.triggers)


def _compile(words: set[str]) -> Pattern[bytes] | None:
    if not words:
        return re.compile(b"(?!)")
    alternatives = sorted((re.escape(word.encode()) for word in words), key=len, reverse=True)
    return re.compile(b"|".join(alternatives), re.IGNORECASE)
