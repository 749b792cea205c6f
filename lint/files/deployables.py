"""Which deployable a file belongs to: the nearest folder at or above it (inside the root) holding a
manifest that builds or installs something on its own (``package.json``, ``pyproject.toml``,
``setup.py``, ``setup.cfg``, ``requirements.txt``, ``Pipfile``, ``Dockerfile``).

Why: code in two deployables runs on two machines (or containers) with two clocks, so tokens minted
in one and verified in the other meet clock skew; code of one deployable runs as one process (or as
replicas of one image). Compose services built from separate folders (``build: ./api``) have their
own Dockerfile, so they are told apart the same way; services that share one build context share
one deployable here.

Only the file system is read (a few ``stat``s per folder, cached); a root that does not exist (an
in-memory project) makes every file part of one deployable, ``""``.
"""

from __future__ import annotations

import os
from pathlib import Path, PurePosixPath

MANIFESTS = ("package.json", "pyproject.toml", "setup.py", "setup.cfg", "requirements.txt", "Pipfile", "Dockerfile")


class Deployables:
    def __init__(self, root: Path) -> None:
        self.root = root
        self._by_folder: dict[str, str] = {}
        self._by_file: dict[str, str] = {}  # asked per (verification, mint) pair: a dict hit, not a path parse

    def of(self, relpath: str) -> str:
        """The deployable's folder (posix, relative to the root; ``""`` for the root itself)."""
        known = self._by_file.get(relpath)
        if known is None:
            known = self._by_file[relpath] = self._folder(str(PurePosixPath(relpath).parent))
        return known

    def _folder(self, folder: str) -> str:
        folder = "" if folder in (".", "") else folder
        known = self._by_folder.get(folder)
        if known is not None:
            return known
        if not folder or folder.startswith(".."):
            found = ""
        elif any(os.path.isfile(os.path.join(self.root, folder, name)) for name in MANIFESTS):
            found = folder
        else:
            found = self._folder(str(PurePosixPath(folder).parent))
        self._by_folder[folder] = found
        return found
