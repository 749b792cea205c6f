"""Suppression comments: ``authlint: ignore[CODE,...]`` on the line or the line above, a bare
``authlint: ignore`` for every code, and ``authlint: ignore-file`` (optionally with codes).

Each comment is kept as a ``Directive`` (where it is written, which codes it names) so that the
engine can tell which ones suppressed nothing (E003, ``unused.py``)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from authlint.diagnostics.diagnostic import Diagnostic
from authlint.files.source import Source, Span

DIRECTIVE = re.compile(
    r"(?P<marker>#|//|/\*|<!--)\s*authlint:\s*(?P<what>ignore-file|ignore)"
    r"(?:\[(?P<codes>[A-Za-z0-9_,\s-]*)\])?",
)
ALL = frozenset({"*"})


@dataclass(frozen=True)
class Directive:
    """One suppression comment: ``span`` runs from its comment marker to its closing ``]`` (or
    the word ``ignore``); ``codes_span`` is the text inside the brackets (None without them)."""

    span: Span
    line: int
    codes: frozenset[str]  # upper-cased codes or prefixes; ALL for a bare directive
    whole_file: bool
    own_line: bool  # the comment is alone on its line (it then covers the next line too)
    marker: str
    codes_span: Span | None = None

    def names(self, diagnostic: Diagnostic) -> set[str]:
        """The entries of this directive that cover ``diagnostic`` (``*`` for a bare one); empty
        when it does not cover it."""
        if not self.whole_file:
            line = diagnostic.start[0]
            if line != self.line and not (self.own_line and line == self.line + 1):
                return set()
        if "*" in self.codes:
            return {"*"}
        return {code for code in self.codes if diagnostic.code.startswith(code)}


@dataclass
class Suppressions:
    directives: list[Directive] = field(default_factory=list)

    def covering(self, diagnostic: Diagnostic) -> list[tuple[Directive, set[str]]]:
        """Every directive that covers ``diagnostic``, with the entries that do."""
        found = []
        for directive in self.directives:
            names = directive.names(diagnostic)
            if names:
                found.append((directive, names))
        return found

    def covers(self, diagnostic: Diagnostic) -> bool:
        return any(directive.names(diagnostic) for directive in self.directives)


def _codes(raw: str | None) -> frozenset[str]:
    if raw is None:
        return ALL
    codes = frozenset(c.strip().upper() for c in raw.split(",") if c.strip())
    return codes or ALL


def has_directives(text: str) -> bool:
    return "authlint:" in text and DIRECTIVE.search(text) is not None


def scan(source: Source) -> Suppressions:
    text = source.text
    result = Suppressions()
    if "authlint:" not in text:
        return result
    for match in DIRECTIVE.finditer(text):
        line, _ = source.position(match.start())
        line_start = source.line_starts[line - 1]
        codes_span = Span(match.start("codes"), match.end("codes")) if match.group("codes") is not None else None
        result.directives.append(Directive(
            span=Span(match.start(), match.end()),
            line=line,
            codes=_codes(match.group("codes")),
            whole_file=match.group("what") == "ignore-file",
            own_line=not text[line_start : match.start()].strip(),
            marker=match.group("marker"),
            codes_span=codes_span,
        ))
    return result
