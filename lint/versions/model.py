"""What a project says about the versions it runs: one ``Pin`` per declaration, all in ``ProjectVersions``.

Kept apart from the readers (dependency files, images, tool pins) and from the range arithmetic so
rules, readers and the cache share one small vocabulary. Every pin keeps the file and line that
wrote it down, because a finding that depends on a version names where the version came from
(``target 2.10.7 from docker-compose.yml:12``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

NPM = "npm"
PYPI = "pypi"
NATS_SERVER = "nats-server"  # the server itself (image tags, .tool-versions)

_PEP503 = re.compile(r"[-_.]+")


def normalise(ecosystem: str, package: str) -> str:
    """The name a package is looked up by: PEP 503 for PyPI (``Flask_SocketIO`` is ``flask-socketio``),
    as written for npm (npm names are already lowercase and case-sensitive)."""
    if ecosystem == PYPI:
        return _PEP503.sub("-", package).lower()
    return package


@dataclass(frozen=True)
class Pin:
    """One file's statement of the version of one package (or of nats-server).

    ``version`` is the exact version in use when the file says so (a lock file, ``==2.8.0``, an image
    tag ``nats:2.10.7``); ``spec`` the range as declared (``^4.7.2``, ``>=2,<3``, ``2.10-alpine``;
    empty when only a lock file names the package). A lock file's pin and the manifest's pin of the
    same package are two pins; readers of versions prefer the exact one.
    """

    ecosystem: str
    package: str  # normalised (see ``normalise``)
    version: str | None
    spec: str
    relpath: str  # the project-relative file that says so, "/" separated
    line: int  # 1-based line of the declaration (of the package's entry in a lock file)

    @property
    def where(self) -> str:
        return f"{self.relpath}:{self.line}"


@dataclass(frozen=True)
class ProjectVersions:
    """Every pin the project's files declare, in a stable order (by file, then line).

    Empty means nothing is known: rules then keep their version-independent behaviour.
    """

    pins: tuple[Pin, ...] = ()

    def of(self, ecosystem: str, package: str) -> tuple[Pin, ...]:
        # remembered per instance (outside the fields: equality, hashing and ``asdict`` ignore it):
        # rules ask per file for the same packages, and a project may pin hundreds
        memo: dict[tuple[str, str], tuple[Pin, ...]] = self.__dict__.setdefault("_of_memo", {})
        found = memo.get((ecosystem, package))
        if found is None:
            name = normalise(ecosystem, package)
            found = memo[ecosystem, package] = tuple(
                pin for pin in self.pins if pin.ecosystem == ecosystem and pin.package == name)
        return found

    def __bool__(self) -> bool:
        return bool(self.pins)
