"""What a rule reports: a diagnostic with a span, a severity and an optional fix of text edits."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum

from authlint.files.source import Source, Span


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


class Applicability(str, Enum):
    """How sure a fix is (ruff's model).

    SAFE keeps the meaning the user intended and is applied by ``fix --apply``; UNSAFE changes policy
    or behaviour and needs ``--unsafe-fixes``; DISPLAY_ONLY is shown as a suggestion, never applied.
    """

    SAFE = "safe"
    UNSAFE = "unsafe"
    DISPLAY_ONLY = "display-only"


class FixAvailability(str, Enum):
    """Whether a rule's diagnostics carry fixes; the generated tests hold rules to it."""

    NONE = "none"
    SOMETIMES = "sometimes"
    ALWAYS = "always"


@dataclass(frozen=True, order=True)
class Edit:
    """Replace ``[start, end)`` of a file's text with ``content`` (insert when start == end).

    ``relpath`` names the file the edit belongs to; None is the diagnostic's own file. A fix that
    changes both sides of a client/server pair carries edits of several files (``Fix.files`` holds
    their sources, for positions in reports).
    """

    start: int
    end: int
    content: str
    relpath: str | None = None

    @classmethod
    def replace(cls, span: Span, content: str, relpath: str | None = None) -> Edit:
        return cls(span.start, span.end, content, relpath)

    @classmethod
    def insert(cls, offset: int, content: str, relpath: str | None = None) -> Edit:
        return cls(offset, offset, content, relpath)

    @classmethod
    def between(cls, before: str, after: str, offset: int = 0) -> Edit | None:
        """The edit turning ``before`` (found at ``offset`` in a file) into ``after``: the part
        between their common prefix and the common suffix of the rest (None when they are equal)."""
        if before == after:
            return None
        prefix = 0
        limit = min(len(before), len(after))
        while prefix < limit and before[prefix] == after[prefix]:
            prefix += 1
        suffix = 0
        while suffix < limit - prefix and before[len(before) - 1 - suffix] == after[len(after) - 1 - suffix]:
            suffix += 1
        return cls(offset + prefix, offset + len(before) - suffix, after[prefix : len(after) - suffix])

    @classmethod
    def delete(cls, span: Span, relpath: str | None = None) -> Edit:
        return cls(span.start, span.end, "", relpath)

    def in_file(self, relpath: str | None) -> Edit:
        """The same edit, naming ``relpath`` as its file."""
        return Edit(self.start, self.end, self.content, relpath)


@dataclass(frozen=True)
class Fix:
    """A set of edits applied together (in every file they name, or in none), with a title saying
    what they do. ``files``: the sources of the other files the edits name (``Edit.relpath``), so
    reports can give their positions; the diagnostic's own file is never listed."""

    title: str
    edits: tuple[Edit, ...]
    applicability: Applicability = Applicability.SAFE
    files: tuple[Source, ...] = field(default=(), compare=False, repr=False)

    @classmethod
    def safe(cls, title: str, *edits: Edit, files: tuple[Source, ...] = ()) -> Fix:
        return cls(title, tuple(edits), Applicability.SAFE, tuple(files))

    @classmethod
    def unsafe(cls, title: str, *edits: Edit, files: tuple[Source, ...] = ()) -> Fix:
        return cls(title, tuple(edits), Applicability.UNSAFE, tuple(files))

    @classmethod
    def display_only(cls, title: str, *edits: Edit, files: tuple[Source, ...] = ()) -> Fix:
        return cls(title, tuple(edits), Applicability.DISPLAY_ONLY, tuple(files))

    @property
    def span(self) -> Span:
        """Where the edits of the diagnostic's own file lie (of all edits when it has none)."""
        own = [e for e in self.edits if e.relpath is None] or list(self.edits)
        return Span(min(e.start for e in own), max(e.end for e in own))

    def by_file(self, own: str) -> dict[str, tuple[Edit, ...]]:
        """The edits grouped by the file they change (``own``: the diagnostic's relpath), each
        without its ``relpath``, in the fix's order, duplicates merged; the own file first."""
        grouped: dict[str, dict[Edit, None]] = {own: {}}
        for edit in self.edits:
            grouped.setdefault(edit.relpath or own, {})[edit.in_file(None)] = None
        return {relpath: tuple(edits) for relpath, edits in grouped.items() if edits}

    def sources(self, own: Source) -> dict[str, Source]:
        """Every file the fix edits, by relpath, with the source its offsets refer to."""
        found = {source.relpath: source for source in self.files}
        found[own.relpath] = own
        return {relpath: found[relpath] for relpath in self.by_file(own.relpath) if relpath in found}


@dataclass
class Diagnostic:
    """One finding. ``span`` is in ``source``'s char offsets; positions are derived from it."""

    code: str
    message: str
    source: Source
    span: Span
    severity: Severity = Severity.ERROR
    fix: Fix | None = None
    name: str = ""
    related: list[tuple[Source, Span, str]] = field(default_factory=list)
    # holds only for a file checked on its own: dropped when another checked file includes this one
    # (a config fragment is checked where it is included; see ``Project.included_relpaths``)
    unless_included: bool = False

    @property
    def path(self) -> str:
        return self.source.relpath

    @property
    def start(self) -> tuple[int, int]:
        return self.source.position(self.span.start)

    @property
    def end(self) -> tuple[int, int]:
        return self.source.position(self.span.end)

    def sort_key(self) -> tuple[str, int, int, str, str]:
        return (self.path, self.span.start, self.span.end, self.code, self.message)
