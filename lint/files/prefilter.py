"""The byte prefilter: per file kind, the rules' trigger words, searched in the file's lowered bytes.

A file is parsed only when its raw bytes contain a trigger of some selected rule for its kind, so a
new rule can never be skipped silently: its own triggers are in the set (a test runs every INVALID
example through it).

Why substrings and not one regex: CPython's ``re`` gets no first-character speed-up for a
case-insensitive alternation and crawled at ~6 MB/s over a 21 MB Python tree (4.4 s); ``bytes.lower()``
once (~3 GB/s) and one C-speed ``in`` per word is ten times faster, and a word that contains another
word of the same kind is dropped, since the shorter one already decides.
"""

from __future__ import annotations

import re
from typing import Iterable

from authlint.rule import Rule

EAGER_WORDS = 3  # see ``Prefilter.eager``


class Prefilter:
    def __init__(self, rules: Iterable[Rule]) -> None:
        words: dict[str, set[str]] = {}
        always: set[str] = set()
        self._rule_words: dict[tuple[str, str], tuple[bytes, ...]] = {}
        # kind -> (code, its lend word groups) of the project rules that take lenders
        # (``Rule.lend_triggers``: a word, or a tuple of words that must all occur)
        self._lend_words: dict[str, list[tuple[str, tuple[tuple[bytes, ...], ...]]]] = {}
        # kind -> the raw-bytes patterns of its rules (``Rule.raw_triggers``), searched after the words
        self._patterns: dict[str, list[re.Pattern[bytes]]] = {}
        for rule in rules:
            if rule.project_rule and rule.lend_triggers:
                lend = tuple(
                    tuple(word.lower().encode() for word in ((group,) if isinstance(group, str) else group))
                    for group in rule.lend_triggers
                )
                for kind in rule.kinds:
                    if kind not in rule.kind_triggers:  # a kind with its own triggers lends nothing
                        self._lend_words.setdefault(kind, []).append((rule.code, lend))
            for kind in rule.kinds:
                triggers = rule.triggers_for(kind)
                self._rule_words[(rule.code, kind)] = tuple(word.lower().encode() for word in triggers)
                pattern = rule.raw_triggers.get(kind)
                if pattern is not None:
                    if pattern not in self._patterns.setdefault(kind, []):
                        self._patterns[kind].append(pattern)
                elif not triggers:
                    always.add(kind)
                words.setdefault(kind, set()).update(word.lower() for word in triggers)
        self._words = {kind: sorted(kind_words) for kind, kind_words in words.items()}
        # (kind, rule) -> words of which its lender holds at least one (a word of each group): most files hold
        # none, and are told so in one pass over a few words
        self._lend_probe = {
            (kind, code): _minimal({group[0].decode() for group in groups})
            for kind, rules_groups in self._lend_words.items() for code, groups in rules_groups
        }
        self.lend_kinds = frozenset(self._lend_words)  # kinds some rule borrows files of
        # kind -> the rules whose lend words are searched in every file at once: with this few
        # words, the passes cost less than reading the file again should the rule ask
        self.eager: dict[str, frozenset[str]] = {
            kind: frozenset(code for code, _ in rules_groups if len(self._lend_probe[(kind, code)]) <= EAGER_WORDS)
            for kind, rules_groups in self._lend_words.items()
        }
        # kind -> the words to search (None: some rule of this kind has no triggers, so every file)
        self._search: dict[str, tuple[bytes, ...] | None] = {
            kind: None if kind in always else _minimal(kind_words) for kind, kind_words in words.items()
        }

    def kinds(self) -> set[str]:
        return set(self._search)

    def words(self, kind: str) -> set[str]:
        """The trigger words of a kind, as the rules declare them (lowercase, plain text)."""
        return set() if self._search.get(kind) is None else set(self._words.get(kind, ()))

    def needs_lower(self, kind: str) -> bool:
        """Whether ``wants`` or ``lends`` may read a file of this kind's lowered bytes: not for a kind
        whose rules have raw patterns only (plain text: lowering it would cost more than the search)."""
        return bool(self._search.get(kind, ())) or kind in self.lend_kinds

    def wants(self, kind: str, raw: bytes, lower: bytes | None = None) -> bool:
        """Whether some selected rule may report on a file of this kind with these bytes
        (``lower``: the bytes lowered, when the caller has them)."""
        if kind not in self._search:
            return False
        search = self._search[kind]
        if search is None:
            return True
        if search and lower is None:
            lower = raw.lower()
        if search and any(word in lower for word in search):  # type: ignore[operator]
            return True
        return any(pattern.search(raw) for pattern in self._patterns.get(kind, ()))

    def lends(self, kind: str, lower: bytes, codes: frozenset[str]) -> frozenset[str]:
        """Which of the project rules ``codes`` this file may lend facts to (its lowered bytes hold
        one of their ``lend_triggers``): asked only of files ``wants`` refused, and only for the
        rules asking for them (each of its ~20 words is a pass over the file)."""
        return frozenset(
            code for code, groups in self._lend_words.get(kind, ())
            if code in codes
            and any(word in lower for word in self._lend_probe[(kind, code)])
            and any(all(word in lower for word in group) for group in groups)
        )

    def matches(self, rule: Rule, kind: str, lower: bytes, raw: bytes | None = None) -> bool:
        """Whether one rule's triggers for a kind occur in a file's lowered bytes (no triggers: always),
        or its raw-bytes pattern for the kind in ``raw`` (the bytes before lowering)."""
        words = self._rule_words.get((rule.code, kind))
        if words is None:
            words = tuple(word.lower().encode() for word in rule.triggers_for(kind))
        pattern = rule.raw_triggers.get(kind)
        if pattern is None:
            return not words or any(word in lower for word in words)
        return any(word in lower for word in words) or (raw is not None and pattern.search(raw) is not None)


def _minimal(words: set[str]) -> tuple[bytes, ...]:
    """The words no shorter word contains, shortest first (short words match most often)."""
    kept: list[str] = []
    for word in sorted(words, key=lambda w: (len(w), w)):
        if word and not any(shorter in word for shorter in kept):
            kept.append(word)
    return tuple(word.encode() for word in kept)
