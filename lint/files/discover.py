"""Which files a run looks at: walk the given paths honouring .gitignore and excludes.

Symlinks are followed only when their target stays inside the root (so a link cannot pull files
from elsewhere on the machine into a report or a fix), directory loops are cut by remembering each
visited directory's (device, inode), and unreadable folders are reported, not fatal.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from authlint.config.selection import matcher
from authlint.config.settings import Settings
from authlint.files.classify import NGINX_FOLDERS
from authlint.files.paths import within


class Candidate:
    """A file to check: its real (resolved) path to read and write, and its relpath as reports show it."""

    __slots__ = ("fspath", "relpath", "explicit", "_path")

    def __init__(self, path: str | Path, relpath: str, explicit: bool = False) -> None:
        self.fspath = os.fspath(path)
        self.relpath = relpath  # posix path relative to the root
        self.explicit = explicit  # named on the command line
        self._path: Path | None = None

    @property
    def path(self) -> Path:
        """Built on demand: most candidates of a warm run only need ``fspath`` for a stat."""
        if self._path is None:
            self._path = Path(self.fspath)
        return self._path

    def __repr__(self) -> str:
        return f"Candidate({self.fspath!r}, {self.relpath!r}, explicit={self.explicit})"


@dataclass
class Skipped:
    relpath: str
    reason: str


@dataclass
class Discovery:
    candidates: list[Candidate] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    missing: list[Skipped] = field(default_factory=list)  # explicit paths that cannot be read
    # files that lend their facts to the project phase and are never reported (files.includers)
    context: list[Candidate] = field(default_factory=list)


class Listing:
    """What a walk read: each folder listed and each ignore file loaded, with the inode and change
    time (ctime) it had, so a later run can tell that walking again would find the same files.

    ctime, not mtime: it also moves on chmod and rename. ``reliable`` turns False for what a stat
    of those paths cannot vouch for: symbolic links (their targets live elsewhere) and folders
    changed too recently for a coarse filesystem clock to show a second change.
    """

    # A folder changed this close to the walk's start could change again without its ctime moving:
    # a tick of the kernel's coarse clock (<= 10 ms) on most filesystems; whole seconds (ctime
    # without a fraction) on some.
    FINE_NS = 50_000_000
    COARSE_NS = 2_000_000_000

    def __init__(self) -> None:
        import time

        self.started_ns = time.time_ns()
        self.folders: list[tuple[str, int, int]] = []  # (path, inode, ctime_ns)
        self.files: list[tuple[str, int, int, int]] = []  # ignore files: (path, inode, ctime_ns, size)
        self.reliable = True

    def folder(self, path: str, info: os.stat_result) -> None:
        self._check(info)
        self.folders.append((path, info.st_ino, info.st_ctime_ns))

    def file(self, path: str) -> None:
        """An ignore file, or where one would be (inode -1: there was none)."""
        try:
            info = os.stat(path)
        except FileNotFoundError:
            self.files.append((path, -1, -1, -1))
            return
        except OSError:
            self.reliable = False
            return
        self._check(info)
        self.files.append((path, info.st_ino, info.st_ctime_ns, info.st_size))

    def _check(self, info: os.stat_result) -> None:
        window = self.COARSE_NS if info.st_ctime_ns % 1_000_000_000 == 0 else self.FINE_NS
        if info.st_ctime_ns >= self.started_ns - window:
            self.reliable = False


class _IgnoreStack:
    """Nested .gitignore files (plus .git/info/exclude), each applying below its own folder."""

    def __init__(self, root: Path, enabled: bool, listing: Listing | None = None) -> None:
        self.enabled = enabled
        self.listing = listing
        self.specs: list[tuple[str, object]] = []
        if enabled:
            self._load(root / ".git" / "info" / "exclude", "")

    def _load(self, file: Path, base: str) -> None:
        if self.listing is not None:
            self.listing.file(str(file))  # there or not: either way a later run must find the same
        try:
            lines = file.read_text(encoding="utf-8", errors="replace").splitlines()
        except OSError:  # absent, a folder, unreadable
            return
        import pathspec

        self.specs.append((base, pathspec.GitIgnoreSpec.from_lines(lines)))

    def enter(self, directory: Path | str, rel: str, has_file: bool | None = None) -> int:
        """Load the folder's .gitignore (``has_file``: already known from a listing); return the
        stack depth to restore on leaving it."""
        depth = len(self.specs)
        if self.enabled and has_file is not False:
            self._load(Path(directory, ".gitignore"), rel + "/" if rel else "")
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
    return within(str(path), str(root))


def discover(
    paths: list[str], settings: Settings, keep: Callable[[str], bool] | None = None, listing: Listing | None = None
) -> Discovery:
    """Walk ``paths``; ``keep(name)`` drops walked files by name early (explicit files always stay).

    ``listing``: filled with what the walk read (see ``Listing``).
    """
    root = Path(os.path.realpath(settings.root))
    excludes = (*settings.exclude, *settings.extend_exclude)
    # A pattern without "/" (``node_modules``, ``*.min.js``) matches a name at any depth, so during
    # the walk it needs only the entry's name: its folders were tested (and pruned) on the way down.
    negated = any(p.startswith("!") for p in excludes)
    by_name = () if negated else tuple(p for p in excludes if "/" not in p)
    by_path = tuple(p for p in excludes if p not in by_name)
    match_name = matcher(by_name) if by_name else None
    match_path = matcher(by_path) if by_path else None
    found = Discovery()
    seen: set[str] = set()

    def excluded(rel: str, name: str, whole: bool = False) -> bool:
        """``whole``: also test every folder of ``rel`` (paths named on the command line)."""
        if match_name is not None and (match_name(name) or whole and match_name(rel)):
            return True
        return match_path is not None and (match_path(name) or match_path(rel))

    def add(candidate: Candidate) -> None:
        key = candidate.fspath
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
            if settings.force_exclude and excluded(rel, real.name, whole=True):
                found.skipped.append(Skipped(rel, "excluded"))
                continue
            add(Candidate(real, rel, explicit=True))
            continue
        if rel not in (".", "") and excluded(rel, real.name, whole=True):
            continue  # a folder inside an excluded one (``build/``): every path below it is excluded
        walked, linked = _walk(real, root, excluded, keep, settings, found, listing)
        if linked:  # a file reached twice (itself and a link) keeps the path a name-ordered walk meets first
            walked.sort(key=lambda c: c.relpath.split("/"))
        for candidate in walked:
            add(candidate)
    found.candidates.sort(key=lambda c: c.relpath)
    return found


def _walk(
    top: Path,
    root: Path,
    excluded,
    keep: Callable[[str], bool] | None,
    settings: Settings,
    found: Discovery,
    listing: Listing | None = None,
    descend: bool = True,
    max_depth: int | None = None,
) -> tuple[list[Candidate], bool]:
    """The files below ``top``, and whether a symbolic link led to any of them.

    ``descend`` False: only the files directly in ``top`` (its subfolders are not entered).
    ``max_depth``: only folders at most this many levels below the root are listed.

    Depth-first over ``os.scandir`` with plain strings: a path is joined, never parsed (pathlib's
    parsing was half of a 12k-file walk)."""
    ignores = _IgnoreStack(root if _inside(top, root) else top, settings.respect_gitignore, listing)
    visited: set[tuple[int, int]] = set()
    root_str = str(root)
    root_prefix = root_str.rstrip(os.sep) + os.sep  # rel_of slices it off
    # Load the .gitignore files of the folders between the root and the walked path.
    if _inside(top, root) and top != root:
        ignores.enter(root, "")
        parts = top.relative_to(root).parts
        for i in range(1, len(parts)):
            ignores.enter(root.joinpath(*parts[:i]), "/".join(parts[:i]))

    def rel_of(real_dir: str) -> str:
        """The relpath prefix of a folder's entries ("" for the root itself)."""
        if real_dir == root_str:
            return ""
        if real_dir.startswith(root_prefix):
            return real_dir[len(root_prefix) :].replace(os.sep, "/")
        rel = relative(Path(real_dir), root)
        return "" if rel == "." else rel

    # Depth-first with an explicit stack (nested generators cost a frame per level per file):
    # (folder, its (device, inode) or None) to list, or (None, depth) to pop its .gitignore.
    # A plain subfolder's key comes from the listing (device of its parent, inode); folders
    # reached through a symlink (and the top) are stat'ed, which is what cuts loops.
    stack: list[tuple[str | None, object]] = [(str(top), None)]
    out: list[Candidate] = []
    linked = False
    specs = ignores.specs
    wanted: dict[str, bool] = {}  # keep(name), by name: index.js, __init__.py... repeat
    while stack:
        directory, key = stack.pop()
        if directory is None:
            ignores.leave(key)  # type: ignore[arg-type]
            continue
        rel_dir = rel_of(directory)
        if key is None or listing is not None:
            try:
                info = os.stat(directory)
            except OSError as exc:
                found.skipped.append(Skipped(rel_dir or ".", f"cannot stat: {exc.strerror}"))
                continue
            key = (info.st_dev, info.st_ino)
            if listing is not None:
                listing.folder(directory, info)
        if key in visited:
            found.skipped.append(Skipped(rel_dir or ".", "symlink loop"))
            continue
        visited.add(key)  # type: ignore[arg-type]
        try:
            with os.scandir(directory) as scan:
                entries = list(scan)
        except OSError as exc:
            found.skipped.append(Skipped(rel_dir or ".", f"cannot list folder: {exc.strerror}"))
            continue
        entries.sort(key=_name)
        stack.append((None, ignores.enter(directory, rel_dir, any(e.name == ".gitignore" for e in entries))))
        prefix = rel_dir + "/" if rel_dir else ""
        subfolders: list[tuple[str, object]] = []
        # nginx's conventional folders hold vhosts named for their site (`sites-available/default`)
        sniffed = keep is not None and os.path.basename(directory).lower() in NGINX_FOLDERS
        for entry in entries:
            name = entry.name
            if keep is not None and not sniffed:  # most entries are files no selected rule reads: out first, cheaply
                keeps = wanted.get(name)
                if keeps is None:
                    keeps = wanted[name] = keep(name)
                if not keeps:
                    try:
                        if not entry.is_dir():  # from the listing's d_type; a link to a file too
                            continue
                    except OSError:
                        continue
            rel = prefix + name
            target = None
            try:
                if entry.is_symlink():
                    if listing is not None:
                        listing.reliable = False  # its target can change without this folder changing
                    target = os.path.realpath(entry.path)
                    if not os.path.exists(target):
                        found.skipped.append(Skipped(rel, "broken symbolic link"))
                        continue
                    if not within(target, root_str):
                        found.skipped.append(Skipped(rel, "symbolic link leaves the root"))
                        continue
                is_dir = entry.is_dir()
            except OSError as exc:
                found.skipped.append(Skipped(rel, f"cannot stat: {exc.strerror}"))
                continue
            if excluded(rel, name) or (specs and ignores.ignored(rel, is_dir)):
                continue
            if is_dir:
                if target:
                    linked = True
                    subfolders.append((target, None))
                else:
                    subfolders.append((entry.path, (key[0], entry.inode())))  # type: ignore[index]
            elif entry.is_file():
                out.append(Candidate(target or entry.path, rel))
                linked = linked or target is not None
        if descend and (max_depth is None or (rel_dir.count("/") + 1 if rel_dir else 0) < max_depth):
            stack.extend(reversed(subfolders))  # popped in name order
    return out, linked


def discover_shallow(settings: Settings, keep: Callable[[str], bool], max_depth: int) -> Discovery:
    """The files under the root, in folders at most ``max_depth`` levels below it, that ``keep``
    accepts by name, under the walk's rules (excludes, .gitignore, links that stay inside the root).
    For what a project declares at its top (``versions.prepass``), in a few folder listings
    whatever the size of the tree."""
    root = Path(os.path.realpath(settings.root))
    excludes = (*settings.exclude, *settings.extend_exclude)
    match = matcher(excludes) if excludes else None

    def excluded(rel: str, name: str) -> bool:
        return match is not None and (match(name) or match(rel))

    found = Discovery()
    if root.is_dir():
        walked, linked = _walk(root, root, excluded, keep, settings, found, max_depth=max_depth)
        if linked:
            walked.sort(key=lambda c: c.relpath.split("/"))
        seen: set[str] = set()
        for candidate in walked:
            if candidate.fspath not in seen:
                seen.add(candidate.fspath)
                found.candidates.append(candidate)
    found.candidates.sort(key=lambda c: c.relpath)
    return found


def discover_flat(folders: list[str], settings: Settings, keep: Callable[[str], bool]) -> Discovery:
    """The files directly in each of ``folders`` (absolute, real, inside the root) that ``keep``
    accepts by name, under the walk's rules: excludes (always, as for any walked file),
    .gitignore, symbolic links that stay inside the root. Subfolders are not entered."""
    root = Path(os.path.realpath(settings.root))
    excludes = (*settings.exclude, *settings.extend_exclude)
    match = matcher(excludes) if excludes else None

    def excluded(rel: str, name: str) -> bool:
        return match is not None and (match(name) or match(rel))

    found = Discovery()
    seen: set[str] = set()
    for folder in folders:
        top = Path(folder)
        rel = relative(top, root)
        if rel not in (".", "") and _excluded_folder(rel, match):
            continue
        walked, _ = _walk(top, root, excluded, keep, settings, found, descend=False)
        for candidate in walked:
            if candidate.fspath not in seen:
                seen.add(candidate.fspath)
                found.candidates.append(candidate)
    return found


def _excluded_folder(rel: str, match) -> bool:
    """Whether an exclude pattern matches the folder ``rel`` or any folder above it."""
    if match is None:
        return False
    parts = rel.split("/")
    return any(match(part) or match("/".join(parts[: i + 1])) for i, part in enumerate(parts))


def _name(entry: os.DirEntry) -> str:
    return entry.name
