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
    # a project rule's own check of this file (``Project.per_file``), kept while the file is: the
    # language server runs the project phase again on every edit, over files that did not change
    _checked: dict[str, tuple[Any, list]] = field(default_factory=dict, repr=False, compare=False)

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
    # kind -> every file's facts of it: a project phase runs dozens of rules over the same
    # files, each asking for the same kinds (the files and their facts do not change during it)
    _by_kind: dict[type, list] = field(default_factory=dict, repr=False, compare=False)

    def facts(self, kind: type[F]) -> Iterator[F]:
        found = self._by_kind.get(kind)
        if found is None:
            found = []
            for ctx in self.files:
                try:
                    found.extend(ctx.of(kind))
                except ParseError:  # a file that does not parse brings no facts (it gets E001)
                    continue
            self._by_kind[kind] = found
        return iter(found)

    def of_kind(self, *kinds: str) -> Iterator[FileContext]:
        return (ctx for ctx in self.files if ctx.kind in kinds)

    def per_file(self, check: Callable[[FileContext], Iterable[T]], *kinds: str) -> Iterator[T]:
        """``check``'s results on each file (of ``kinds``, or all), a file that does not parse
        skipped whole: one broken file must not end a project rule's run over the others (the file
        gets its own E001).

        A rule's own ``check`` method reads only the file (and its settings), so its results are
        kept on the file and given again to the next project phase over the same file (the
        language server's next edit); a closure over project facts is run every time."""
        rule = getattr(check, "__self__", None)
        key = f"{type(rule).__qualname__}.check" if rule is not None and getattr(check, "__name__", "") == "check" else None
        for ctx in self.of_kind(*kinds) if kinds else self.files:
            kept = ctx._checked.get(key) if key is not None else None
            if kept is not None and kept[0] is rule:
                yield from kept[1]
                continue
            try:
                found = list(check(ctx))
            except ParseError:
                found = []  # the file stays unparsable while it is this context
            if key is not None:
                ctx._checked[key] = (rule, found)
            yield from found

    def included_relpaths(self) -> frozenset[str]:
        """The files some other file of the project includes: fragments, checked where included."""
        found: set[str] = set()
        for fact in self.facts(ConfigIncludes):
            found.update(target for target in fact.targets if target != fact.source.relpath)
        return frozenset(found)
