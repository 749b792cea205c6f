"""Which files a run looks at: walk the given paths honouring .gitignore and excludes.

Symlinks are followed only when their target stays inside the root (so a link cannot pull files
from elsewhere on the machine into a report or a fix), directory loops are cut by remembering each
visited directory's (device, inode), and unreadable folders are reported, not fatal.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

from authlint.selection import matches_any
from authlint.settings import Settings


@dataclass
class Candidate:
    path: Path  # the real (resolved) path to read and write
    relpath: str  # posix path relative to the root, as reports show it
    explicit: bool = False  # named on the command line


@dataclass
class Skipped:
    relpath: str
    reason: str


@dataclass
class Discovery:
    candidates: list[Candidate] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    missing: list[Skipped] = field(default_factory=list)  # explicit paths that cannot be read


class _IgnoreStack:
    """Nested .gitignore files (plus .git/info/exclude), each applying below its own folder."""

    def __init__(self, root: Path, enabled: bool) -> None:
        self.enabled = enabled
        self.specs: list[tuple[str, object]] = []
        if enabled:
            self._load(root / ".git" / "info" / "exclude", "")

    def _load(self, file: Path, base: str) -> None:
        try:
            lines = file.read_text(encoding="utf-8", errors="replace").splitlines()
        except OSError:
            return
        import pathspec

        self.specs.append((base, pathspec.GitIgnoreSpec.from_lines(lines)))

    def enter(self, directory: Path, rel: str) -> int:
        """Load the folder's .gitignore; return the stack depth to restore on leaving it."""
        depth = len(self.specs)
        if self.enabled and (directory / ".gitignore").is_file():
            self._load(directory / ".gitignore", rel + "/" if rel else "")
        return depth

    def leave(self, depth: int) -> None:
        del self.specs[depth:]

    def ignored(self, rel: str, is_dir: bool) -> bool:
        verdict = False
        for base, spec in self.specs:
            if base and not rel.startswith(base):
                continue
            sub = rel[len(base) :] + ("/" if is_dir else "")
            result = spec.check_file(sub)  # type: ignore[attr-defined]
            if result.include is not None:
                verdict = result.include
        return verdict


def relative(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        try:
            return Path(os.path.relpath(path, Path.cwd())).as_posix()
        except ValueError:
            return path.as_posix()


def _inside(path: Path, root: Path) -> bool:
    try:
        path.relative_to(root)
        return True
    except ValueError:
        return False


def discover(paths: list[str], settings: Settings) -> Discovery:
    root = Path(os.path.realpath(settings.root))
    excludes = (*settings.exclude, *settings.extend_exclude)
    found = Discovery()
    seen: set[str] = set()

    def excluded(rel: str, name: str) -> bool:
        return matches_any(name, excludes) or matches_any(rel, excludes)

    def add(candidate: Candidate) -> None:
        key = str(candidate.path)
        if key not in seen:
            seen.add(key)
            found.candidates.append(candidate)

    for raw in paths or ["."]:
        given = Path(raw)
        absolute = given if given.is_absolute() else Path.cwd() / given
        if not os.path.lexists(absolute):
            found.missing.append(Skipped(raw, "no such file or directory"))
            continue
        real = Path(os.path.realpath(absolute))
        if not real.exists():
            found.missing.append(Skipped(raw, "broken symbolic link"))
            continue
        rel = relative(real, root)
        if real.is_file():
            if settings.force_exclude and excluded(rel, real.name):
                found.skipped.append(Skipped(rel, "excluded"))
                continue
            add(Candidate(real, rel, explicit=True))
            continue
        for candidate in _walk(real, root, excluded, settings, found):
            add(candidate)
    found.candidates.sort(key=lambda c: c.relpath)
    return found


def _walk(top: Path, root: Path, excluded, settings: Settings, found: Discovery) -> Iterator[Candidate]:
    ignores = _IgnoreStack(root if _inside(top, root) else top, settings.respect_gitignore)
    visited: set[tuple[int, int]] = set()
    # Load the .gitignore files of the folders between the root and the walked path.
    if _inside(top, root) and top != root:
        ignores.enter(root, "")
        parts = top.relative_to(root).parts
        for i in range(1, len(parts)):
            ignores.enter(root.joinpath(*parts[:i]), "/".join(parts[:i]))

    def walk(directory: Path) -> Iterator[Candidate]:
        try:
            info = directory.stat()
        except OSError as exc:
            found.skipped.append(Skipped(relative(directory, root), f"cannot stat: {exc.strerror}"))
            return
        key = (info.st_dev, info.st_ino)
        if key in visited:
            found.skipped.append(Skipped(relative(directory, root), "symlink loop"))
            return
        visited.add(key)
        rel_dir = relative(directory, root) if _inside(directory, root) else ""
        depth = ignores.enter(directory, "" if rel_dir == "." else rel_dir)
        try:
            with os.scandir(directory) as scan:
                entries = sorted(scan, key=lambda e: e.name)
        except OSError as exc:
            found.skipped.append(Skipped(rel_dir or ".", f"cannot list folder: {exc.strerror}"))
            ignores.leave(depth)
            return
        for entry in entries:
            path = Path(entry.path)
            rel = relative(path, root)
            try:
                is_link = entry.is_symlink()
                if is_link:
                    target = Path(os.path.realpath(path))
                    if not target.exists():
                        found.skipped.append(Skipped(rel, "broken symbolic link"))
                        continue
                    if not _inside(target, root):
                        found.skipped.append(Skipped(rel, "symbolic link leaves the root"))
                        continue
                is_dir = entry.is_dir()
            except OSError as exc:
                found.skipped.append(Skipped(rel, f"cannot stat: {exc.strerror}"))
                continue
            if excluded(rel, entry.name) or ignores.ignored(rel, is_dir):
                continue
            if is_dir:
                yield from walk(Path(os.path.realpath(path)) if is_link else path)
            elif entry.is_file():
                real = Path(os.path.realpath(path)) if is_link else path
                yield Candidate(real, rel)
        ignores.leave(depth)

    yield from walk(top)
