"""Suppression comments: ``authlint: ignore[CODE,...]`` on the line or the line above, a bare
``authlint: ignore`` for every code, and ``authlint: ignore-file`` (optionally with codes)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from authlint.diagnostics.diagnostic import Diagnostic
from authlint.files.source import Source

DIRECTIVE = re.compile(
    r"(?:#|//|/\*|<!--)\s*authlint:\s*(?P<what>ignore-file|ignore)"
    r"(?:\[(?P<codes>[A-Za-z0-9_,\s-]*)\])?",
)
ALL = frozenset({"*"})


@dataclass
class Suppressions:
    file_codes: frozenset[str] = frozenset()
    by_line: dict[int, frozenset[str]] = field(default_factory=dict)  # line -> codes (ALL = any)
    own_line: set[int] = field(default_factory=set)  # lines holding only the directive comment

    def covers(self, diagnostic: Diagnostic) -> bool:
        if _matches(self.file_codes, diagnostic.code):
            return True
        line = diagnostic.start[0]
        if _matches(self.by_line.get(line, frozenset()), diagnostic.code):
            return True
        above = line - 1
        return above in self.own_line and _matches(self.by_line.get(above, frozenset()), diagnostic.code)


def _matches(codes: frozenset[str], code: str) -> bool:
    return bool(codes) and ("*" in codes or any(code.startswith(c) for c in codes))


def _codes(raw: str | None) -> frozenset[str]:
    if raw is None:
        return ALL
    codes = frozenset(c.strip().upper() for c in raw.split(",") if c.strip())
    return codes or ALL


def scan(source: Source) -> Suppressions:
    text = source.text
    result = Suppressions()
    if "authlint:" not in text:
        return result
    file_codes: set[str] = set()
    for match in DIRECTIVE.finditer(text):
        codes = _codes(match.group("codes"))
        if match.group("what") == "ignore-file":
            file_codes |= codes
            continue
        line, _ = source.position(match.start())
        result.by_line[line] = result.by_line.get(line, frozenset()) | codes
        if not source.line_text(line)[: match.start() - source.line_starts[line - 1]].strip():
            result.own_line.add(line)
    result.file_codes = frozenset(file_codes)
    return result
