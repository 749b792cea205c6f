"""Which files write versions down, and which reader reads each.

A name decides it, never the content (the pre-pass must not read every file of a repository):
dependency manifests and lock files, Dockerfiles, ``.tool-versions``, ``go.mod`` and YAML files
(compose, Kubernetes manifests and Helm values have no fixed names; their readers look for
``nats`` before parsing anything).
"""

from __future__ import annotations

import fnmatch
from typing import Callable

from authlint.versions.model import Pin

# A reader gets the file's text, its relpath and a way to read another project file by relpath
# (``-r base.txt`` in a requirements file, the package.json beside a yarn.lock); it returns the
# file's pins and never raises on malformed input (``Unreadable`` says why nothing came out).
OpenOther = Callable[[str], "str | None"]
Reader = Callable[[str, str, OpenOther], "list[Pin]"]


class Unreadable(Exception):
    """A version file that does not parse: it gives no pins (the pre-pass reports it only when the
    user named the file)."""


def _python(name: str) -> Reader | None:
    from authlint.versions import python_deps

    return python_deps.READERS.get(name) or (python_deps.read_requirements if _requirements(name) else None)


def _requirements(name: str) -> bool:
    lower = name.lower()
    return fnmatch.fnmatch(lower, "requirements*.txt") or fnmatch.fnmatch(lower, "requirements*.in")


def _npm(name: str) -> Reader | None:
    from authlint.versions import npm_deps

    return npm_deps.READERS.get(name)


def _nats(name: str) -> Reader | None:
    from authlint.versions import nats_server

    return nats_server.reader_for(name)


def reader_for(relpath: str) -> Reader | None:
    """The reader of the file at ``relpath``, or None when it is no version file."""
    name = relpath.rsplit("/", 1)[-1]
    folder = relpath.rsplit("/", 2)[-2] if relpath.count("/") else ""
    if folder.lower() == "requirements" and name.lower().endswith((".txt", ".in")):
        from authlint.versions import python_deps

        return python_deps.read_requirements
    return _python(name) or _npm(name) or _nats(name)


def ecosystem_of(relpath: str) -> str | None:
    """The ecosystem whose pins the file at ``relpath`` holds (one per file)."""
    reader = reader_for(relpath)
    if reader is None:
        return None
    from authlint.versions.model import NATS_SERVER, NPM, PYPI

    module = reader.__module__.rsplit(".", 1)[-1]
    return {"python_deps": PYPI, "npm_deps": NPM, "nats_server": NATS_SERVER}.get(module)


_NAMES = frozenset({
    "pyproject.toml", "Pipfile", "Pipfile.lock", "poetry.lock", "uv.lock",
    "package.json", "package-lock.json", "npm-shrinkwrap.json", "yarn.lock", "pnpm-lock.yaml",
    ".tool-versions", "go.mod",
})
_SUFFIXES = (".txt", ".in", ".yml", ".yaml", ".dockerfile")


def is_version_file(name: str) -> bool:
    """Whether a file of this name (no folder) can write a version down: the walk's name filter,
    asked for every name the walk meets, so plain string tests only (``reader_for`` then decides
    on the relpath: ``requirements/*.txt``)."""
    if name in _NAMES:
        return True
    lower = name.lower()
    return lower.endswith(_SUFFIXES) or lower.startswith(("dockerfile", "containerfile"))
