"""The workspace folder's project, resident: loaded once, kept current, re-checked one file at a time.

``authlint check`` reads every file, runs the file phase on each and the project phase on the
files that bring facts (``Linter.check``). Here the file phase's outcome is kept per file
(``Entry``), so an edit re-runs the file phase of that one file only, then the project phase over
the kept facts: the same two steps, with the same ``Linter``, as a check of the whole folder, which
is why an edited client re-judges its server's findings too (SIO007 and the other joins).

Open buffers override the disk: an entry built from a buffer is never replaced by the file's
bytes until the editor closes it. The config (and the versions the project's files declare) are
read from the disk; a change to either rebuilds everything (``reload``).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from pathlib import Path

from authlint.config.settings import Settings
from authlint.diagnostics.diagnostic import Diagnostic
from authlint.diagnostics.suppress import has_directives
from authlint.facts.deployed import TREES
from authlint.files.discover import discover, relative
from authlint.files.source import Source
from authlint.run.context import FileContext
from authlint.run.engine import CheckResult, Linter
from authlint.server.options import EditorOptions
from authlint.server.phase import ProjectPhase

CONFIG_NAMES = frozenset({"pyproject.toml", "authlint.toml", ".authlint.toml"})


@dataclass
class Entry:
    """One file's file-phase outcome: the context the rules saw, their findings (E001/E002 too),
    the context again when it brings facts to the project phase, and internal errors."""

    relpath: str
    path: Path
    ctx: FileContext | None = None
    own: list[Diagnostic] = field(default_factory=list)
    member: FileContext | None = None
    errors: list[str] = field(default_factory=list)
    buffer: bool = False  # built from an open editor buffer, not the disk
    suppressions: Source | None = None  # the file, when it holds suppression comments (E003)


class ProjectModel:
    """One workspace folder's files, settings and findings."""

    def __init__(self, folder: Path, options: EditorOptions | None = None) -> None:
        self.folder = Path(os.path.realpath(folder))
        self.options = options or EditorOptions()
        self.entries: dict[str, Entry] = {}
        self.buffers: dict[str, str] = {}  # relpath -> the open editor's text
        self._results: dict[str, list[Diagnostic]] | None = None
        self.errors: list[str] = []  # internal errors of the last project phase
        self._erring: dict[str, list[str]] = {}  # relpath -> its file phase's internal errors (the few that have)
        self.settings = Settings(root=self.folder)
        self.linter: Linter | None = None
        self.phase: ProjectPhase | None = None

    # -- loading ---------------------------------------------------------------------------
    def reload(self) -> None:
        """Read the config and every file again (open buffers stay as the editor has them).

        Raises ``ConfigError`` for a broken config; the caller keeps the previous state then."""
        from authlint.cli.commands import load_settings
        from authlint.rule import ALL_LENDERS
        from authlint.run.runner import with_versions

        options = self.options
        settings, _ = load_settings([str(self.folder)], None, list(options.select), list(options.ignore),
                                    list(options.extend_select), False)
        linter = Linter(settings)
        settings, _ = with_versions([str(self.folder)], settings, linter, None)
        # Every lender is loaded: ``check`` lends only to the rules that ask (a cost it saves on a
        # cold run); a rule given lenders it did not ask for reports the same (they can only
        # soften a finding, or are the modules a key is imported from), and a resident project
        # would otherwise have to ask again on each edit.
        linter.borrow({rule.code: ALL_LENDERS for rule in linter.project_rules if rule.lend_triggers})
        TREES.forget()  # the tree TLS paths are searched in: walked once per load, not per edit
        self.settings, self.linter = settings, linter
        self.phase = ProjectPhase(linter, settings)
        self.entries = {}
        self._erring = {}
        found = discover([str(self.folder)], settings, keep=linter.wants_name)
        for candidate in found.candidates:
            self._load(candidate.relpath, candidate.path)
        for relpath in self.buffers:
            if relpath not in self.entries:
                self._load(relpath, Path(settings.root) / relpath)
        self._results = None

    def relpath(self, path: str | Path) -> str | None:
        """The project's name for a file, or None when it lies outside the project's root."""
        real = Path(os.path.realpath(path))
        root = Path(os.path.realpath(self.settings.root))
        if real != root and root not in real.parents:
            return None
        return relative(real, root)

    def wanted(self, path: Path) -> str | None:
        """The relpath of ``path`` if the project checks it: inside the root, not excluded, of a
        kind some selected rule reads (the walk's own decision, asked for one file)."""
        assert self.linter is not None
        if self.relpath(path) is None:
            return None
        found = discover([str(path)], replace(self.settings, force_exclude=True), keep=self.linter.wants_name)
        return found.candidates[0].relpath if found.candidates else None

    def _load(self, relpath: str, path: Path) -> None:
        """(Re)build the entry of one file, from its open buffer or the disk, and run its file phase."""
        assert self.linter is not None
        linter = self.linter
        entry = Entry(relpath, path)
        if relpath in self.buffers:
            entry.buffer = True
            item = linter.load_bytes(path, relpath, self.buffers[relpath].encode("utf-8", "surrogatepass"))
        else:
            item = linter.load(path, relpath)
        assert self.phase is not None
        before = self.entries.get(relpath)
        if before is not None:
            self.phase.changed(before.member)
        if isinstance(item, FileContext):
            entry.ctx = item
            if has_directives(item.source.text):
                entry.suppressions = item.source
            result = CheckResult()
            entry.own, entry.member = linter.check_one(item, result)
            entry.errors = result.errors
        elif isinstance(item, Diagnostic):
            entry.own = [item]
        self.entries[relpath] = entry
        if entry.errors:
            self._erring[relpath] = entry.errors
        else:
            self._erring.pop(relpath, None)
        self.phase.changed(entry.member)
        self._results = None

    # -- changes ---------------------------------------------------------------------------
    def set_buffer(self, path: Path, text: str) -> str | None:
        """An opened or edited buffer: re-check that file. Returns its relpath (None: not checked)."""
        relpath = self.relpath(path)
        if relpath is None:
            return None
        if relpath not in self.entries and self.wanted(path) is None:
            return None
        self.buffers[relpath] = text
        self._load(relpath, Path(os.path.realpath(path)))
        return relpath

    def close_buffer(self, path: Path) -> None:
        """A closed buffer: the file is the disk's again."""
        relpath = self.relpath(path)
        if relpath is None or self.buffers.pop(relpath, None) is None:
            return
        self.disk_changed(Path(os.path.realpath(path)))

    def disk_changed(self, path: Path) -> bool:
        """A file created, changed or deleted outside the editor (or saved). True when the whole
        project was reloaded (the config, or a file the versions are read from)."""
        relpath = self.relpath(path)
        if relpath is None:
            return False
        if self.affects_settings(relpath):
            self.reload()
            return True
        if relpath in self.buffers:
            return False  # the editor's text wins while it is open
        if not path.exists():
            TREES.forget()  # a file gone: the tree rules search (TLS files) changed
            gone = self.entries.pop(relpath, None)
            self._erring.pop(relpath, None)
            if gone is not None and self.phase is not None:
                self.phase.changed(gone.member)
                self._results = None
            return False
        if relpath not in self.entries:
            TREES.forget()  # a new file (or one the project did not check): the tree may have grown
            if self.wanted(path) is None:
                return False
        self._load(relpath, Path(os.path.realpath(path)))
        return False

    def affects_settings(self, relpath: str) -> bool:
        """Whether a change of this file changes the settings: a config file, or one the versions
        pre-pass reads (lock files, requirements, images)."""
        from authlint.versions.sources import reader_for

        return relpath.rsplit("/", 1)[-1] in CONFIG_NAMES or reader_for(relpath) is not None

    # -- results ---------------------------------------------------------------------------
    def results(self) -> dict[str, list[Diagnostic]]:
        """Every finding of the project by relpath: the kept file phase, then the project phase
        (``phase.ProjectPhase``: only the project rules the changed files may matter to run again)."""
        if self._results is None:
            assert self.phase is not None
            with TREES.kept():
                self._results = self.phase.results(self.entries)
            self.errors = [error for errors in self._erring.values() for error in errors] + self.phase.errors
        return self._results

    def contexts(self) -> dict[str, FileContext]:
        return {relpath: entry.ctx for relpath, entry in self.entries.items() if entry.ctx is not None}


def settle() -> None:
    """Move the loaded project out of the cyclic collector's way (``run.gc_pause.frozen``, for a
    process that stays): every full pass would scan its trees and facts again, tens of milliseconds
    an edit on a large repository, to free nothing. What an edit replaces is still freed by
    reference counting; the previous load's cycles are collected here first."""
    import gc

    gc.unfreeze()
    gc.collect()
    gc.freeze()

