"""The pre-pass: find the project's version files, read each once, and hand back ``ProjectVersions``.

It runs before the file phase of ``check`` and ``fix`` and over the whole project root whatever
paths the run was given: a pre-commit hook that names two staged files still judges them by the
versions the repository runs. The walk honours the run's excludes and .gitignore
(``node_modules``, ``venv`` and build output are not the project's declarations).

With a cache (``run.cache``) a warm run neither walks nor parses again while nothing changed: the
walk is replayed from its memo (``files.memo``) and each file's pins are reused while the file and
every file it read (``-r base.txt``, the package.json beside a yarn.lock) keep their size and mtime.
"""

from __future__ import annotations

import os
from dataclasses import astuple, dataclass, field
from pathlib import Path
from typing import Any

from authlint.versions.model import Pin, ProjectVersions
from authlint.versions.sources import Unreadable, is_version_file, reader_for

MAX_VERSION_FILE = 32 * 1024 * 1024  # lock files of large monorepos pass the source-file cap


@dataclass
class Problem:
    """A version file that gave nothing because it does not parse."""

    relpath: str
    reason: str
    text: str = ""


@dataclass
class Collected:
    versions: ProjectVersions = field(default_factory=ProjectVersions)
    problems: list[Problem] = field(default_factory=list)


def read_texts(files: dict[str, str]) -> Collected:
    """The versions of an in-memory project ``{relpath: text}`` (tests, rule examples)."""
    collected = Collected()
    pins: list[Pin] = []
    for relpath in sorted(files):
        reader = reader_for(relpath)
        if reader is None:
            continue
        try:
            pins.extend(reader(files[relpath], relpath, files.get))
        except Unreadable as exc:
            collected.problems.append(Problem(relpath, str(exc), files[relpath]))
        except (ValueError, TypeError, KeyError, AttributeError, RecursionError) as exc:
            collected.problems.append(Problem(relpath, f"{exc.__class__.__name__}: {exc}", files[relpath]))
    collected.versions = ProjectVersions(_ordered(pins))
    return collected


def _ordered(pins: list[Pin]) -> tuple[Pin, ...]:
    return tuple(sorted(dict.fromkeys(pins), key=lambda p: (p.relpath, p.line, p.ecosystem, p.package)))


def collect(settings, cache=None) -> Collected:
    """The versions declared under ``settings.root`` (the cache's memo when it has one)."""
    root = Path(os.path.realpath(settings.root))
    if not root.is_dir():
        return Collected()
    relpaths = _walk(root, settings, cache)
    memo: dict[str, Any] = dict(cache.version_files) if cache is not None else {}
    fresh: dict[str, Any] = {}
    collected = Collected()
    pins: list[Pin] = []
    for relpath in relpaths:
        entry = memo.get(relpath)
        if entry is not None and _unchanged(root, entry):
            restored = _restore(entry)
            if restored is not None:
                fresh[relpath] = entry
                pins.extend(restored)
                if entry.get("problem"):
                    collected.problems.append(Problem(relpath, str(entry["problem"])))
                continue
        entry, file_pins, problem = _read(root, relpath)
        if problem is not None:
            collected.problems.append(problem)
        if entry is not None:
            fresh[relpath] = entry
        pins.extend(file_pins)
    if cache is not None:
        cache.remember_version_files(fresh)
    collected.versions = ProjectVersions(_ordered(pins))
    return collected


def _walk(root: Path, settings, cache) -> list[str]:
    """Relpaths of the version files under the root, in name order."""
    from authlint.files.discover import Listing, discover

    paths = [str(root)]
    if cache is not None:
        from authlint.files.memo import record, replay

        found = replay(cache.version_walk, paths, root)
        if found is None:
            cache.prepare()
            listing = Listing()
            found = discover(paths, settings, keep=is_version_file, listing=listing)
            cache.remember_version_walk(record(paths, root, found, listing))
    else:
        found = discover(paths, settings, keep=is_version_file)
    return [c.relpath for c in found.candidates if reader_for(c.relpath) is not None]


def _stat(root: Path, relpath: str) -> tuple[int, int] | None:
    try:
        info = os.stat(root / relpath)
    except OSError:
        return None
    return info.st_size, info.st_mtime_ns


def _unchanged(root: Path, entry: Any) -> bool:
    try:
        return all(_stat(root, relpath) == (size, mtime) for relpath, size, mtime in entry["deps"])
    except (KeyError, TypeError, ValueError):
        return False


def _restore(entry: Any) -> list[Pin] | None:
    try:
        return [Pin(*(str(a), str(b), c if c is None else str(c), str(d), str(e), int(f))) for a, b, c, d, e, f in entry["pins"]]
    except (KeyError, TypeError, ValueError):
        return None


def _read(root: Path, relpath: str) -> tuple[dict[str, Any] | None, list[Pin], Problem | None]:
    """Parse one file; the entry to cache (None when the file cannot be read), its pins, a problem."""
    deps: list[list[Any]] = []

    def open_text(other: str) -> str | None:
        path = root / other
        real = os.path.realpath(path)
        if not real.startswith(str(root) + os.sep):
            return None
        stat = _stat(root, other)
        deps.append([other, *(stat or (-1, -1))])
        if stat is None or stat[0] > MAX_VERSION_FILE:
            return None
        try:
            return Path(real).read_text(encoding="utf-8-sig", errors="replace")
        except OSError:
            return None

    text = open_text(relpath)
    if text is None:
        return None, [], None
    reader = reader_for(relpath)
    assert reader is not None
    problem = None
    try:
        pins = reader(text, relpath, open_text)
    except Unreadable as exc:
        pins, problem = [], Problem(relpath, str(exc), text)
    except (ValueError, TypeError, KeyError, AttributeError, RecursionError) as exc:
        pins, problem = [], Problem(relpath, f"{exc.__class__.__name__}: {exc}", text)
    entry = {"deps": deps, "pins": [list(astuple(pin)) for pin in pins], "problem": problem.reason if problem else None}
    return entry, pins, problem


def fingerprint(versions: ProjectVersions) -> str:
    """Changes whenever any pin does (a cached per-file outcome is valid only under the same pins)."""
    import hashlib
    import json

    text = json.dumps([astuple(pin) for pin in versions.pins])
    return hashlib.blake2b(text.encode(), digest_size=12).hexdigest()
