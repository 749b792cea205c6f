"""The pre-pass: find the project's version files, read each once, and hand back ``ProjectVersions``.

It runs before the file phase of ``check`` and ``fix``, over the project root whatever paths the
run was given: a pre-commit hook that names two staged files judges them by the same versions as
a check of the whole repository. It looks where projects write versions down: the root and the
folders up to ``MAX_DEPTH`` levels below it (``services/api/package.json``,
``deploy/k8s/base/nats.yaml``, ``charts/nats/values.yaml``), honouring the run's excludes and
.gitignore (``node_modules``, ``venv`` and build output are not the project's declarations).
Bounded, the search costs a few folder listings on any tree (a whole 12k-file tree took ~120 ms,
half a pre-commit run's budget).

With a cache (``run.cache``) each file's pins are kept with the size and mtime of the file and of
every file it read (``-r base.txt``, the package.json beside a yarn.lock): a warm run parses
nothing that did not change. Without one (``--no-cache``) nothing is parsed until a rule asks:
``DeferredVersions`` reads the files of one ecosystem on its first lookup (a NATS config reads the
Dockerfiles, never the lock files).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from authlint.versions.model import Pin, ProjectVersions
from authlint.versions.sources import Unreadable, ecosystem_of, is_version_file, reader_for

MAX_DEPTH = 3  # folder levels below the root that are searched (k8s/overlays/prod/ is 3)
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
    """The versions of an in-memory project ``{relpath: text}`` (tests, rule examples): every file
    given counts, at any depth."""
    collected = Collected()
    pins: list[Pin] = []
    for relpath in sorted(files):
        reader = reader_for(relpath)
        if reader is None:
            continue
        file_pins, problem = _parse(reader, files[relpath], relpath, files.get)
        pins.extend(file_pins)
        if problem is not None:
            collected.problems.append(problem)
    collected.versions = ProjectVersions(ordered(pins))
    return collected


def ordered(pins: list[Pin]) -> tuple[Pin, ...]:
    """Pins in ``ProjectVersions`` order (file, then line), each once."""
    return tuple(sorted(dict.fromkeys(pins), key=lambda p: (p.relpath, p.line, p.ecosystem, p.package)))


def find(settings) -> list[str]:
    """Relpaths of the version files under the root (see ``MAX_DEPTH``), in name order."""
    from authlint.files.discover import discover_shallow

    found = discover_shallow(settings, keep=is_version_file, max_depth=MAX_DEPTH)
    return [c.relpath for c in found.candidates if reader_for(c.relpath) is not None]


def collect(settings, cache=None) -> ProjectVersions:
    """Every pin under ``settings.root``, reusing the cache's parse of unchanged files."""
    root = Path(os.path.realpath(settings.root))
    if not root.is_dir():
        return ProjectVersions()
    memo: dict[str, Any] = cache.version_files if cache is not None else {}
    fresh: dict[str, Any] = {}
    pins: list[Pin] = []
    for relpath in find(settings):
        entry = memo.get(relpath)
        restored = _restore(entry) if entry is not None and _unchanged(root, entry) else None
        if restored is None:
            entry, restored, _ = read_file(root, relpath)
        if entry is not None:
            fresh[relpath] = entry
        pins.extend(restored)
    if cache is not None:
        cache.remember_version_files(fresh)
    return ProjectVersions(ordered(pins))


def deferred(settings) -> ProjectVersions:
    """The versions under ``settings.root``, read on first use (see ``DeferredVersions``)."""
    root = Path(os.path.realpath(settings.root))
    if not root.is_dir():
        return ProjectVersions()
    relpaths = find(settings)
    return DeferredVersions(root, tuple(relpaths)) if relpaths else ProjectVersions()


class DeferredVersions(ProjectVersions):
    """``ProjectVersions`` whose files are parsed when a lookup needs them: ``of`` reads only the
    files of the ecosystem asked for; ``pins`` and truth read them all. Each file once."""

    def __init__(self, root: Path, relpaths: tuple[str, ...]) -> None:
        object.__setattr__(self, "_root", root)
        object.__setattr__(self, "_relpaths", relpaths)
        object.__setattr__(self, "_read", {})  # relpath -> its pins
        object.__setattr__(self, "_ecosystems", {})  # ecosystem -> its pins (every config asks again)

    def _pins_of(self, relpaths) -> tuple[Pin, ...]:
        read: dict[str, list[Pin]] = self._read  # type: ignore[attr-defined]
        out: list[Pin] = []
        for relpath in relpaths:
            if relpath not in read:
                read[relpath] = read_file(self._root, relpath)[1]  # type: ignore[attr-defined]
            out.extend(read[relpath])
        return ordered(out)

    @property  # type: ignore[override]
    def pins(self) -> tuple[Pin, ...]:
        return self._pins_of(self._relpaths)  # type: ignore[attr-defined]

    def of(self, ecosystem: str, package: str) -> tuple[Pin, ...]:
        known: dict[str, ProjectVersions] = self._ecosystems  # type: ignore[attr-defined]
        if ecosystem not in known:
            relpaths = [r for r in self._relpaths if ecosystem_of(r) == ecosystem]  # type: ignore[attr-defined]
            known[ecosystem] = ProjectVersions(self._pins_of(relpaths))
        return known[ecosystem].of(ecosystem, package)

    def __repr__(self) -> str:
        return f"DeferredVersions({len(self._relpaths)} files)"  # type: ignore[attr-defined]


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
    """The pins of a cache entry, or None (parse again) for one of another shape. A pin may only
    name a file the entry read, of a known ecosystem: a planted cache cannot put other text into
    the messages that cite pins."""
    from authlint.versions.model import NATS_SERVER, NPM, PYPI

    try:
        files = {str(dep[0]) for dep in entry["deps"]}
        pins = [
            Pin(str(a), str(b), None if c is None else str(c), str(d), str(e), int(f))
            for a, b, c, d, e, f in entry["pins"]
        ]
    except (KeyError, TypeError, ValueError, IndexError):
        return None
    if any(p.relpath not in files or p.ecosystem not in (NPM, PYPI, NATS_SERVER) or p.line < 1 for p in pins):
        return None
    return pins


def _parse(reader, text: str, relpath: str, open_other) -> tuple[list[Pin], Problem | None]:
    """A reader's pins; a malformed file gives none and a problem, never an exception."""
    try:
        return reader(text, relpath, open_other), None
    except Unreadable as exc:
        return [], Problem(relpath, str(exc), text)
    except (ValueError, TypeError, KeyError, AttributeError, IndexError, RecursionError) as exc:
        return [], Problem(relpath, f"{exc.__class__.__name__}: {exc}", text)


def read_file(root: Path, relpath: str) -> tuple[dict[str, Any] | None, list[Pin], Problem | None]:
    """Parse one file under ``root``: the cache entry (None when the file cannot be read), its
    pins, and why it gave none when it does not parse."""
    deps: list[list[Any]] = []
    prefix = str(root) + os.sep

    def open_text(other: str) -> str | None:
        real = os.path.realpath(root / other)
        if not real.startswith(prefix):
            return None  # a link or ``..`` out of the project
        stat = _stat(root, other)
        deps.append([other, *(stat or (-1, -1))])
        if stat is None or stat[0] > MAX_VERSION_FILE:
            return None
        try:
            return Path(real).read_text(encoding="utf-8-sig", errors="replace")
        except OSError:
            return None

    reader = reader_for(relpath)
    text = open_text(relpath) if reader is not None else None
    if text is None or reader is None:
        return None, [], None
    pins, problem = _parse(reader, text, relpath, open_text)
    return {"deps": deps, "pins": [list(_fields(pin)) for pin in pins]}, pins, problem


def _fields(pin: Pin) -> tuple:
    """A pin as plain values (``dataclasses.astuple`` deep-copies: 5x slower on a warm run's pins)."""
    return (pin.ecosystem, pin.package, pin.version, pin.spec, pin.relpath, pin.line)


def fingerprint(versions: ProjectVersions) -> str:
    """Changes whenever any pin does (a cached per-file outcome is valid only under the same pins)."""
    import hashlib
    import json

    text = json.dumps([_fields(pin) for pin in versions.pins])
    return hashlib.blake2b(text.encode(), digest_size=12).hexdigest()
