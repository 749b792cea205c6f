"""Which environment values reach which code: the project-phase join of deployment files
(``EnvBlock`` facts from Compose, Kubernetes and dotenv files) with the code files that read a
variable (``os.environ["JWT_SECRET"]``, ``process.env.JWT_SECRET``: an ``Expr.ref`` of ``env:NAME``).

A *deployable* is one process environment: a Compose service, a Kubernetes container, or a dotenv
file no Compose service names. Which code files run in it:

- a Compose service with a ``build`` context runs the code under that folder; its values are its
  ``env_file`` entries in order, then its ``environment`` (which wins, as in Compose);
- a Kubernetes container, or a Compose service without ``build``, runs the code of a Compose
  service that builds the same image (``image:`` equal up to the tag), else of the one project
  folder named like the image (``myorg/auth-service:1.2`` -> the folder ``auth-service``), when
  exactly one such folder holds code; otherwise it is *not mapped*;
- a dotenv file runs with the code under its own folder (``load_dotenv()`` and the npm ``dotenv``
  package read ``.env`` from the app's working directory); a deployable's own value wins over it,
  as the loaders never override a variable that is already set;
- when the project's deployment files describe a single deployable that sets a variable the code
  reads and it is not mapped, it runs all the code (a single-service project).

Not mapped, so never reported: containers whose image matches no folder or several, Helm values,
``${VAR}`` and ``valueFrom`` values (not literals), dotenv templates (``.env.example``), env files
outside the project, and code no deployable and no dotenv file covers.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable

from authlint.facts.model import EnvBlock, EnvSetting, Expr


@dataclass(frozen=True)
class Given:
    """A value one deployable gives a variable, where it is written."""

    setting: EnvSetting = field(compare=False)
    block: EnvBlock = field(compare=False)
    deployable: str  # an id of the process environment it belongs to

    @property
    def where(self) -> str:
        """``docker-compose.yml:12``: the line the value is written on."""
        source = self.block.source
        return f"{source.relpath}:{source.position(self.setting.span.start)[0]}"

    @property
    def key(self) -> tuple[str, int, int]:
        return self.block.source.relpath, self.setting.span.start, self.setting.span.end


@dataclass
class Deployable:
    ident: str
    label: str  # how messages name it: "Compose service `api`", "`Deployment/api`", "`.env`"
    serves: str | None  # the project folder of its code; None: all code (single-service project)
    values: dict[str, Given] = field(default_factory=dict)



def key_variable(key: Expr | None) -> str:
    """The environment variable a key is read from ("" when it is not read from a named one): the
    name deployment values are joined on, by JWT004 and JWT005 alike."""
    if key is None or not key.from_env:
        return ""
    name = (key.ref or "").partition(":")[2]
    return name if name and "?" not in name else ""

def _under(relpath: str, folder: str) -> bool:
    return folder == "" or relpath == folder or relpath.startswith(folder + "/")


def _repository(image: str) -> str:
    """``registry:5000/myorg/api:1.2@sha256:..`` -> ``registry:5000/myorg/api``."""
    name = image.split("@", 1)[0]
    slash = name.rfind("/")
    colon = name.rfind(":")
    return name[:colon] if colon > slash else name


class Environments:
    """The values each code file may be given, per deployable; built once per project phase."""

    def __init__(self, blocks: Iterable[EnvBlock], code: Iterable[str], read: Iterable[str]) -> None:
        blocks = list(blocks)
        self.code = sorted(set(code))
        read_names = set(read)
        dotenvs = {b.source.relpath: b for b in blocks if b.origin == "dotenv"}
        named = {path for b in blocks if b.origin == "compose" for path in b.env_files}
        self.deployables: list[Deployable] = []
        unmapped: list[Deployable] = []
        built = {_repository(b.image): b.serves for b in blocks if b.origin == "compose" and b.serves is not None and b.image}
        for block in blocks:
            if block.origin == "dotenv":
                continue
            serves = block.serves if block.origin == "compose" else None
            if serves is None:
                serves = self._by_image(block.image, built)
            ident = f"{block.source.relpath}#{block.service}"
            label = f"Compose service `{block.service}`" if block.origin == "compose" else f"`{block.service}`"
            deployable = Deployable(ident, label, serves)
            for path in block.env_files:
                env_file = dotenvs.get(path)
                for setting in env_file.settings if env_file is not None else ():
                    deployable.values[setting.name] = Given(setting, env_file, ident)  # type: ignore[arg-type]
            for setting in block.settings:
                deployable.values[setting.name] = Given(setting, block, ident)
            (self.deployables if serves is not None else unmapped).append(deployable)
        sets_read = [d for d in unmapped if read_names & d.values.keys()]
        if len(sets_read) == 1 and not any(read_names & d.values.keys() for d in self.deployables):
            sets_read[0].serves = ""  # a single-service project: it runs all the code
            self.deployables.append(sets_read[0])
        self.dotenvs = [
            Deployable(f"{b.source.relpath}#", f"`{b.source.relpath}`", b.serves or "",
                       {s.name: Given(s, b, f"{b.source.relpath}#") for s in b.settings})
            for path, b in sorted(dotenvs.items()) if path not in named and not b.template
        ]

    def _by_image(self, image: str, built: dict[str, str | None]) -> str | None:
        """The folder of the code an image runs, when one and only one can be told."""
        if not image:
            return None
        repository = _repository(image)
        if repository in built:
            return built[repository]
        base = repository.rsplit("/", 1)[-1]
        folders = {
            "/".join(parts[: i + 1])
            for parts in (path.split("/")[:-1] for path in self.code)
            for i, part in enumerate(parts) if part == base
        }
        return folders.pop() if len(folders) == 1 else None

    def given(self, relpath: str, name: str) -> list[Given]:
        """Every value ``name`` may hold where ``relpath`` runs: one per deployable running it (a
        deployable without its own value: the nearest dotenv files'), else the nearest dotenv
        files' (``.env.development`` and ``.env.production`` side by side are both possible)."""
        found: dict[tuple, Given] = {}
        nearest = self._nearest_dotenvs(relpath, name)
        covering = [d for d in self.deployables if _under(relpath, d.serves or "")]
        for deployable in covering:
            own = deployable.values.get(name)
            for given in [own] if own is not None else nearest:
                found.setdefault(given.key, given)
        if not covering:
            for given in nearest:
                found.setdefault(given.key, given)
        return list(found.values())

    def _nearest_dotenvs(self, relpath: str, name: str) -> list[Given]:
        best: list[Given] = []
        depth = -1
        for dotenv in self.dotenvs:
            folder = dotenv.serves or ""
            if name in dotenv.values and _under(relpath, folder):
                level = 0 if folder == "" else folder.count("/") + 1
                if level > depth:
                    best, depth = [], level
                if level == depth:
                    best.append(dotenv.values[name])
        return best
