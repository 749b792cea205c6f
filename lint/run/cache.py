"""The on-disk cache: ``<root>/.authlint_cache/<key>.json`` maps each file to its last outcome.

An entry is reused when the file's size and mtime (ns) are unchanged; the key covers authlint's
version and code, the settings and the selected rules, so any change there starts a fresh cache.
A cache that does not load or decode is ignored and rebuilt, never trusted (it is JSON, never
pickle: a cloned repository could carry a planted one).

It holds no secret value: payloads name the file's secrets by their spans, read back from the file
when the entry is used (``run.secret_refs``), and an entry that would still hold one in plain text
is not written (``put``). What a planted cache can do is no more than before: references only ever
read the file's own text at spans the entry lists, so they can put no string into a fact that the
file does not hold, and a reference to no span makes the entry be recomputed.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from dataclasses import asdict
from pathlib import Path
from typing import Any

from authlint import __version__
from authlint.run.engine import Linter
from authlint.run.gc_pause import paused
from authlint.run.outcome import Outcome

CACHE_DIR = ".authlint_cache"
FORMAT = 3  # 2: payloads carry secret spans; 3: secrets as references to them (``run.secret_refs``)


def _code_fingerprint() -> str:
    """Changes whenever authlint's own modules change (so a development checkout never reuses stale results)."""
    import authlint
    import authlint.rules

    digest = hashlib.blake2b(digest_size=12)
    for package in (authlint, authlint.rules):
        for folder in package.__path__:
            for path in sorted(Path(folder).rglob("*.py")):
                stat = path.stat()
                digest.update(f"{path.name}:{stat.st_size}:{stat.st_mtime_ns};".encode())
    return digest.hexdigest()


def cache_key(linter: Linter) -> str:
    """The cache file's key. ``versions`` is not part of it: the cache opens before the pre-pass
    reads them (it replays the pre-pass's own memo), and outcomes computed under other versions are
    dropped by ``bind_versions`` instead."""
    settings = asdict(linter.settings)
    for name in ("root", "config_path", "versions"):
        settings.pop(name, None)
    material = {
        "version": __version__,
        "format": FORMAT,
        "code": _code_fingerprint(),
        "settings": settings,
        "rules": sorted(rule.code for rule in linter.rules),
        "options": {rule.code: rule.options for rule in linter.rules},
    }
    text = json.dumps(material, sort_keys=True, default=str)
    return hashlib.blake2b(text.encode(), digest_size=16).hexdigest()


class Cache:
    def __init__(self, folder: Path, key: str) -> None:
        self.folder = folder
        self.file = folder / f"{key}.json"
        self.entries: dict[str, dict[str, Any]] = {}
        self.discovery: dict[str, Any] | None = None  # the last walk (see discovery_memo)
        # the versions pre-pass (``versions.prepass``): each version file's pins with the stats of
        # the files it read, and the fingerprint of the pins the entries were computed under
        self.version_files: dict[str, Any] = {}
        self.versions: str | None = None
        self.dirty = False
        self._load()

    @classmethod
    def open(cls, root: Path, linter: Linter) -> Cache:
        return cls(root / CACHE_DIR, cache_key(linter))

    def _load(self) -> None:
        try:
            with paused():  # json.loads builds the whole cache at once
                data = json.loads(self.file.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return
        if isinstance(data, dict) and data.get("format") == FORMAT and isinstance(data.get("entries"), dict):
            self.entries = {k: v for k, v in data["entries"].items() if isinstance(v, dict)}
            if isinstance(data.get("discovery"), dict):
                self.discovery = data["discovery"]
            if isinstance(data.get("version_files"), dict):
                self.version_files = {k: v for k, v in data["version_files"].items() if isinstance(v, dict)}
            if isinstance(data.get("versions"), str):
                self.versions = data["versions"]

    def prepare(self) -> None:
        """Create the folder before the walk: creating it later changes the root folder's ctime,
        which would void the discovery memo the same run writes."""
        try:
            self.folder.mkdir(exist_ok=True)
            ignore = self.folder / ".gitignore"
            if not ignore.exists():
                ignore.write_text("# created by authlint\n*\n", encoding="utf-8")
        except OSError:
            pass  # a read-only checkout: no cache

    def remember_discovery(self, memo: dict[str, Any] | None) -> None:
        if memo != self.discovery:
            self.discovery = memo
            self.dirty = True

    def remember_version_files(self, entries: dict[str, Any]) -> None:
        if entries != self.version_files:
            self.version_files = entries
            self.dirty = True

    def bind_versions(self, fingerprint: str) -> None:
        """Entries hold outcomes computed under the pins of ``self.versions``: under other pins
        (a Dockerfile's tag changed, a lock file moved a version) none of them may be reused."""
        if fingerprint != self.versions:
            if self.entries:
                self.entries = {}
            self.versions = fingerprint
            self.dirty = True

    def get(self, relpath: str, stat: os.stat_result) -> Outcome | None:
        entry = self.entries.get(relpath)
        if not entry or entry.get("size") != stat.st_size or entry.get("mtime") != stat.st_mtime_ns:
            return None
        payload = entry.get("payload")
        return Outcome(relpath, payload) if isinstance(payload, dict) else None

    def put(self, outcome: Outcome, stat: os.stat_result) -> None:
        """Remember ``outcome``; one still holding a secret in plain text is never written (its file
        is checked again next run), and replaces whatever the file's entry was."""
        if outcome.payload.get("uncacheable"):
            self.forget(outcome.relpath)
            return
        self.entries[outcome.relpath] = {"size": stat.st_size, "mtime": stat.st_mtime_ns, "payload": outcome.payload}
        self.dirty = True

    def forget(self, relpath: str) -> None:
        if self.entries.pop(relpath, None) is not None:
            self.dirty = True

    def save(self, keep: set[str] | None = None) -> None:
        """Write atomically; drop entries of files no longer seen when ``keep`` is given."""
        if keep is not None:
            stale = set(self.entries) - keep
            if stale:
                for relpath in stale:
                    del self.entries[relpath]
                self.dirty = True
        if not self.dirty:
            return
        self.prepare()
        try:
            others = sorted(
                (p for p in self.folder.glob("*.json") if p != self.file), key=lambda p: p.stat().st_mtime
            )
            for old in others[:-3]:  # keep a few other settings' caches (e.g. a --select run)
                old.unlink(missing_ok=True)
            fd, tmp = tempfile.mkstemp(dir=self.folder, suffix=".tmp")
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                data = {
                    "format": FORMAT,
                    "entries": self.entries,
                    "discovery": self.discovery,
                    "versions": self.versions,
                    "version_files": self.version_files,
                }
                json.dump(data, handle, separators=(",", ":"))
            os.replace(tmp, self.file)
        except OSError:
            pass  # a read-only checkout still gets its findings, just no cache
