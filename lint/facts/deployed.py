"""Which deployments run which nats-server config, and what they give it: the project-phase join of
``NatsLaunch`` facts (Compose services, Kubernetes containers, Dockerfiles, Procfiles that start
nats-server) with configs (``NatsConfigNeeds``), the files configs include (``ConfigIncludes``) and
the dotenv files Compose services name in ``env_file`` (``EnvBlock``).

A deployment *runs* a config when its ``-c`` path (or the official image's default config) is a
project file: through a mount (Compose ``volumes``, a Dockerfile ``COPY``) or, for a Procfile, next
to it. It runs the files that config includes too (nats-server reads every included file with the
same environment).

*Provides* a variable: the deployment sets it (any value: Compose ``environment``, an ``env_file``
that defines it, Kubernetes ``env``, Dockerfile ``ENV``), or cannot be known not to: Kubernetes
``envFrom``, an ``env_file`` authlint did not read, a Dockerfile or Procfile (``docker run -e``,
Heroku config vars give the environment at run time). ``HOSTNAME`` is set by every container
runtime (Docker: the container id; Kubernetes: the pod name).
"""

from __future__ import annotations

import os
import posixpath
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Iterator

from authlint.facts.model import ConfigIncludes, EnvBlock, NatsFlag, NatsLaunch
from authlint.facts.natsflags import IMAGE_CONFIGS

SKIP_DIRS = frozenset({".git", ".hg", ".svn", "node_modules", ".venv", "venv", "__pycache__", ".tox", ".mypy_cache"})
WALK_CAP = 200_000  # files: a larger tree is not searched (the finding stays silent)
CERT_SUFFIXES = (".pem", ".crt", ".cer", ".key", ".der", ".p12", ".pfx")
FILE_FLAGS = ("config", "tlscert", "tlskey", "tlscacert")  # flags naming a file nats-server opens at start
RUNTIME_SET = frozenset({"HOSTNAME"})  # set in every container by Docker and Kubernetes
EXPLICIT = frozenset({"compose", "kubernetes"})  # origins whose environment is all written in the file


@dataclass(frozen=True)
class Verdict:
    provided: bool
    lacking: str = ""  # "Compose service `nats` (docker-compose.yml:3)" when every runner lacks it


@dataclass
class Deployments:
    launches: list[NatsLaunch] = field(default_factory=list)
    includers: dict[str, set[str]] = field(default_factory=dict)  # included relpath -> includer relpaths
    env_files: dict[str, frozenset[str]] = field(default_factory=dict)  # dotenv relpath -> names it sets
    root: Path | None = None  # the project on disk (None: an in-memory project)
    _walked: Tree | None = field(default=None, repr=False)  # every file under root, once asked
    _too_many: bool = field(default=False, repr=False)

    @classmethod
    def of(cls, project) -> Deployments:
        root = Path(project.settings.root)
        found = cls(launches=list(project.facts(NatsLaunch)), root=root if root.is_dir() else None)
        for fact in project.facts(ConfigIncludes):
            for target in fact.targets:
                found.includers.setdefault(target, set()).add(fact.source.relpath)
        for block in project.facts(EnvBlock):
            if block.origin == "dotenv":
                found.env_files[block.source.relpath] = frozenset(s.name for s in block.settings)
        return found

    def runs(self, relpath: str) -> list[NatsLaunch]:
        """The deployments that run this config, directly or as an included file."""
        configs = {relpath}
        pending = [relpath]
        while pending:
            for includer in self.includers.get(pending.pop(), ()):
                if includer not in configs:
                    configs.add(includer)
                    pending.append(includer)
        return [launch for launch in self.launches if launch.config_relpath in configs]

    def provides(self, launch: NatsLaunch, name: str) -> bool:
        if name in launch.env or launch.env_open or launch.origin not in EXPLICIT:
            return True
        if name in RUNTIME_SET and launch.container:
            return True
        return any(name in self.env_files.get(path, frozenset({name})) for path in launch.env_files)

    def variable(self, relpath: str, name: str) -> Verdict:
        """Whether ``$name``, which the config does not define, reaches nats-server where it runs."""
        runners = self.runs(relpath)
        if runners:
            lacking = [launch for launch in runners if not self.provides(launch, name)]
            if len(lacking) < len(runners):
                return Verdict(True)
            return Verdict(False, _names(lacking))
        # a deployment whose config authlint could not map (a ConfigMap, an absolute host path) may run it
        maybe = [launch for launch in self.launches if launch.config is not None and launch.config_relpath is None]
        return Verdict(any(self.provides(launch, name) for launch in maybe))

    def file(self, relpath: str, path: str) -> Verdict:
        """Whether a file the config opens at start (a TLS ``cert_file``/``key_file``/``ca_file``)
        is there where the config runs. Judged only where it can be known:

        - deployments run the config: each Compose service or Kubernetes container must mount (or
          its image hold) something at or above an absolute path; a relative path (resolved from a
          working directory the file does not show), a Dockerfile (``RUN`` may make the file) and
          a Procfile whose folder holds the path count as having it;
        - no deployment runs it: an absolute path is the host's (unknown); a relative one (nats-server
          opens it from its working directory) must exist somewhere in the project's tree, when the
          project ships certificates at all (one that ships none makes them at set-up time, or is a
          partial checkout: silent).
        """
        runners = self.runs(relpath)
        if runners:
            lacking = [launch for launch in runners if not self._places(launch, path)]
            if len(lacking) < len(runners):
                return Verdict(True)
            return Verdict(False, _names(lacking))
        if path.startswith(("/", "~", "$")) or ":" in path[:3] or "\\" in path:  # absolute, or Windows
            return Verdict(True)
        wanted = posixpath.normpath(path)
        if wanted.startswith("..") or self.root is None:
            return Verdict(True)
        tree = self._tree()
        top = relpath.split("/", 1)[0] if "/" in relpath else ""
        if tree is None or not (tree.certificate_tops & {top, ""} if top else tree.certificate_tops):
            return Verdict(True)  # no certificates beside the config: they are made or provisioned elsewhere
        named = tree.by_name.get(posixpath.basename(wanted), ())
        return Verdict(any(f == wanted or f.endswith("/" + wanted) for f in named))

    def missing_flag_files(self) -> list[tuple[NatsLaunch, NatsFlag]]:
        """``-c``/``--tlscert``/``--tlskey``/``--tlscacert`` files that are not in the file system of
        a stock ``nats`` image (Compose without ``build``, Kubernetes): an absolute path neither the
        image holds (its default config) nor the deployment mounts. nats-server refuses to start."""
        found = []
        for launch in self.launches:
            if not launch.stock or launch.origin not in EXPLICIT:
                continue
            for flag in launch.flags:
                path = flag.value or ""
                if flag.name not in FILE_FLAGS or not flag.literal or not path.startswith("/"):
                    continue
                if flag.name == "config" and path in IMAGE_CONFIGS:
                    continue
                if not self._places(launch, path):
                    found.append((launch, flag))
        return found

    def _places(self, launch: NatsLaunch, path: str) -> bool:
        if launch.origin == "procfile":
            if path.startswith("/") or self.root is None:
                return True
            folder = posixpath.dirname(launch.source.relpath)
            return (self.root / folder / path).exists()
        if launch.origin not in EXPLICIT or not path.startswith("/"):
            return True
        for mount in launch.mounts:
            target = mount.target.rstrip("/")
            if not target or path == target or path.startswith(target + "/"):
                return True
        return False

    def _tree(self) -> Tree | None:
        """Every file under the root (None: too many to search; walked once either way)."""
        if self._walked is None and self.root is not None and not self._too_many:
            found = TREES.walk(self.root)
            if found is None:
                self._too_many = True
                return None
            self._walked = found
        return self._walked


@dataclass(frozen=True)
class Tree:
    """The files under a project's root, indexed for the TLS paths of every config."""

    # the files by their last path component (a scan of the tree per TLS path was quadratic)
    by_name: dict[str, list[str]]
    # the top-level folders holding a certificate ("" for the root itself): a relative TLS path is
    # judged only when the config's own part of the tree ships certificates (a monorepo's JWT test
    # keys say nothing about a NATS config in another top-level folder)
    certificate_tops: frozenset[str]

    @classmethod
    def of(cls, found: set[str]) -> Tree:
        by_name: dict[str, list[str]] = {}
        for relpath in found:
            by_name.setdefault(posixpath.basename(relpath), []).append(relpath)
        tops = frozenset(relpath.split("/", 1)[0] if "/" in relpath else "" for relpath in found if relpath.endswith(CERT_SUFFIXES))
        return cls(by_name, tops)


def _names(launches: Iterable[NatsLaunch]) -> str:
    listed = [launch.where for launch in launches]
    return ", ".join(listed[:3]) + (f" and {len(listed) - 3} more" if len(listed) > 3 else "")


def _walk(root: Path) -> Tree | None:
    found: set[str] = set()
    for folder, dirs, names in os.walk(root):
        dirs[:] = [d for d in dirs if d not in SKIP_DIRS]
        base = os.path.relpath(folder, root).replace(os.sep, "/")
        found.update(name if base == "." else f"{base}/{name}" for name in names)
        if len(found) > WALK_CAP:
            return None
    return Tree.of(found)


class Trees:
    """The walks of ``Deployments._tree``. A run walks once per project phase; a process that stays
    (the language server runs the phase on every edit) runs its phases in ``kept()`` and calls
    ``forget`` when files are created or deleted: a walk of a large repository costs more than the
    edit's check. Outside ``kept()`` (every ``check``) nothing is remembered."""

    def __init__(self) -> None:
        self.keep = False
        self._walked: dict[Path, Tree | None] = {}

    @contextmanager
    def kept(self) -> Iterator[None]:
        before, self.keep = self.keep, True
        try:
            yield
        finally:
            self.keep = before

    def walk(self, root: Path) -> Tree | None:
        if not self.keep:
            return _walk(root)
        if root not in self._walked:
            self._walked[root] = _walk(root)
        return self._walked[root]

    def forget(self) -> None:
        self._walked.clear()


TREES = Trees()
