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
    """Replace ``[start, end)`` of the text with ``content`` (insert when start == end)."""

    start: int
    end: int
    content: str

    @classmethod
    def replace(cls, span: Span, content: str) -> Edit:
        return cls(span.start, span.end, content)

    @classmethod
    def insert(cls, offset: int, content: str) -> Edit:
        return cls(offset, offset, content)

    @classmethod
    def delete(cls, span: Span) -> Edit:
        return cls(span.start, span.end, "")


@dataclass(frozen=True)
class Fix:
    """A set of edits applied together, with a title saying what they do."""

    title: str
    edits: tuple[Edit, ...]
    applicability: Applicability = Applicability.SAFE

    @classmethod
    def safe(cls, title: str, *edits: Edit) -> Fix:
        return cls(title, tuple(edits), Applicability.SAFE)

    @classmethod
    def unsafe(cls, title: str, *edits: Edit) -> Fix:
        return cls(title, tuple(edits), Applicability.UNSAFE)

    @classmethod
    def display_only(cls, title: str, *edits: Edit) -> Fix:
        return cls(title, tuple(edits), Applicability.DISPLAY_ONLY)

    @property
    def span(self) -> Span:
        return Span(min(e.start for e in self.edits), max(e.end for e in self.edits))


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
    secrets: tuple[str, ...] = ()  # literal secrets in or near the span: reports redact them
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
