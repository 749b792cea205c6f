"""What a rule sees: one file (``FileContext``) or the whole project (``Project``).

Parsing and fact extraction are lazy and cached per file, so a file is parsed only when a rule
that passed the prefilter asks for its tree or facts, and at most once.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, Iterable, Iterator, TypeVar

from authlint.config.settings import Settings
from authlint.facts.model import ConfigIncludes, Fact, FileFacts
from authlint.files.source import Source
from authlint.syntax.errors import ParseError

F = TypeVar("F", bound=Fact)
T = TypeVar("T")
_UNSET: Any = object()


@dataclass
class FileContext:
    source: Source
    settings: Settings = field(default_factory=Settings)
    _tree: Any = field(default=_UNSET, repr=False)
    _facts: FileFacts | None = field(default=None, repr=False)
    # the project rules it was loaded for only because they asked to borrow it (``Deferred``)
    lends: frozenset[str] = frozenset()

    @property
    def kind(self) -> str:
        return self.source.kind

    @property
    def tree(self) -> Any:
        """The parsed file (raises ParseError once, then again on every access)."""
        if self._tree is _UNSET:
            from authlint.syntax import parse

            try:
                self._tree = parse(self.source, self)
            except ParseError as exc:
                self._tree = exc
        if isinstance(self._tree, ParseError):
            raise self._tree
        return self._tree

    @property
    def facts(self) -> FileFacts:
        if self._facts is None:
            from authlint.facts.extract import extract

            self._facts = extract(self)
        return self._facts

    def of(self, kind: type[F]) -> Iterator[F]:
        return self.facts.of(kind)


@dataclass
class Project:
    """All checked files, for rules that join facts across files (client <-> server, mint <-> verify)."""

    files: list[FileContext]
    settings: Settings = field(default_factory=Settings)

    def facts(self, kind: type[F]) -> Iterator[F]:
        for ctx in self.files:
            try:
                yield from ctx.of(kind)
            except ParseError:
                continue

    def of_kind(self, *kinds: str) -> Iterator[FileContext]:
        return (ctx for ctx in self.files if ctx.kind in kinds)

    def per_file(self, check: Callable[[FileContext], Iterable[T]], *kinds: str) -> Iterator[T]:
        """``check``'s results on each file (of ``kinds``, or all), a file that does not parse
        skipped whole: one broken file must not end a project rule's run over the others (the file
        gets its own E001)."""
        for ctx in self.of_kind(*kinds) if kinds else self.files:
            try:
                found = list(check(ctx))
            except ParseError:
                continue
            yield from found

    def included_relpaths(self) -> frozenset[str]:
        """The files some other file of the project includes: fragments, checked where included."""
        found: set[str] = set()
        for fact in self.facts(ConfigIncludes):
            found.update(target for target in fact.targets if target != fact.source.relpath)
        return frozenset(found)
