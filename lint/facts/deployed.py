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

from dataclasses import dataclass, field
from typing import Iterable

from authlint.facts.model import ConfigIncludes, EnvBlock, NatsLaunch

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

    @classmethod
    def of(cls, project) -> Deployments:
        found = cls(launches=list(project.facts(NatsLaunch)))
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

    def mounted(self, relpath: str, path: str) -> bool | None:
        """Whether the deployments running this config place ``path`` in its file system: True when
        one mounts or copies something at or above it, False when every one is known not to, None
        when no deployment of the project runs the config."""
        runners = self.runs(relpath)
        if not runners:
            return None
        for launch in runners:
            if launch.origin == "procfile":
                return True  # the host's own file system: cannot be known
            for mount in launch.mounts:
                target = mount.target.rstrip("/")
                if path == target or path.startswith(target + "/") or not target:
                    return True
        return False


def _names(launches: Iterable[NatsLaunch]) -> str:
    listed = [launch.where for launch in launches]
    return ", ".join(listed[:3]) + (f" and {len(listed) - 3} more" if len(listed) > 3 else "")
