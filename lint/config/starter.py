"""``authlint init``: a starter configuration written from what the repository holds.

A team adopting authlint on an existing repository wants a config that says what authlint found
(which inputs, which versions it will judge by) and the knobs they will reach for first, written
where their tools already look: ``[tool.authlint]`` appended to ``pyproject.toml`` when there is
one, else ``authlint.toml``; and, when the repository uses pre-commit, the authlint hook added to
``.pre-commit-config.yaml``. Nothing is overwritten: an existing authlint config or hook is left
alone, and every write keeps the file's other bytes, its line endings and its mode.
"""

from __future__ import annotations

import os
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from authlint import __version__
from authlint.files import kinds
from authlint.versions.model import NATS_SERVER, NPM, PYPI

REPOSITORY = "https://github.com/authlint/authlint"
KIND_NAMES = {
    kinds.NATSCONF: "nats-server configs",
    kinds.PYTHON: "Python",
    kinds.JAVASCRIPT: "JavaScript",
    kinds.TYPESCRIPT: "TypeScript",
    kinds.YAML: "YAML (Compose, Kubernetes, Helm)",
    kinds.NGINX: "nginx",
    kinds.HOCON: "HOCON (application.conf)",
    kinds.DOTENV: "dotenv",
    kinds.DOCKERFILE: "Dockerfiles",
    kinds.PROCFILE: "Procfiles",
    kinds.JWTFILE: "JWT files",
    kinds.CREDS: "NATS creds files",
    kinds.NKEY: "nkey files",
    kinds.JSON: "JSON",
}
# the packages whose versions change what authlint reports (see README "Rules that follow the versions you run")
WATCHED = {
    (PYPI, "pyjwt"), (PYPI, "python-socketio"), (PYPI, "flask-socketio"), (PYPI, "flask-cors"),
    (PYPI, "django-cors-headers"), (PYPI, "nats-py"), (NPM, "socket.io"), (NPM, "socket.io-client"),
    (NPM, "jsonwebtoken"), (NPM, "jose"), (NPM, "cors"), (NPM, "nats"), (NATS_SERVER, "nats-server"),
}


@dataclass
class Detected:
    """What the repository holds: files per kind authlint reads, and the version pins it found."""

    kinds: Counter[str] = field(default_factory=Counter)
    pins: list = field(default_factory=list)  # authlint.versions.model.Pin
    uses_pre_commit: bool = False


@dataclass(frozen=True)
class Change:
    """A file ``init`` writes (``created`` when it did not exist) and the text it adds."""

    path: Path
    added: str
    created: bool


def detect(root: Path) -> Detected:
    """The kinds of the files a ``check`` of ``root`` would read, and the project's version pins."""
    from authlint.config.load import load_settings
    from authlint.files.classify import NGINX_FOLDERS, classify, needs_sniff
    from authlint.files.discover import discover
    from authlint.versions.prepass import collect

    settings, _ = load_settings([str(root)], None)
    found = Detected(uses_pre_commit=(root / ".pre-commit-config.yaml").is_file())
    for candidate in discover([str(root)], settings).candidates:
        path = Path(candidate.fspath)
        kind = classify(path.name, None)
        if kind is None and (needs_sniff(path.name) or path.parent.name.lower() in NGINX_FOLDERS):
            try:  # a `.conf` is nats-server's, nginx's or HOCON's by content, as `check` decides
                with open(path, "rb") as handle:
                    kind = classify(path.name, handle.read(65536), path.parent.name)
            except OSError:
                continue
        if kind in KIND_NAMES:
            found.kinds[kind] += 1
    found.pins = [pin for pin in collect(settings).pins if (pin.ecosystem, pin.package) in WATCHED]
    return found


def starter_toml(detected: Detected, table: str) -> str:
    """The starter config: ``table`` is ``[tool.authlint]`` (pyproject) or "" (authlint.toml)."""
    lines = [f"{table}" if table else "# authlint configuration (https://github.com/authlint/authlint#configuration)"]
    if detected.kinds:
        found = ", ".join(f"{KIND_NAMES[kind]} ({count})" for kind, count in sorted(
            detected.kinds.items(), key=lambda item: (-item[1], KIND_NAMES[item[0]])))
        lines.append(f"# inputs found by `authlint init`: {found}")
    lines += [
        'select = ["ALL"]',
        "ignore = []",
        '# per-file-ignores = { "tests/**" = ["JWT004"] }   # test keys are not production keys',
        '# extend-exclude = ["fixtures/"]',
        "# the origins your front end is served from: fixes that replace a wildcard origin use them",
        "# allowed-origins = [\"https://app.example.com\"]",
    ]
    nats = [pin for pin in detected.pins if pin.ecosystem == NATS_SERVER and pin.version]
    if nats:
        versions = sorted({pin.version for pin in nats})
        where = ", ".join(pin.where for pin in nats[:3])
        lines.append(f"# nats-server {' / '.join(versions)} detected ({where}); set this to judge configs by another")
        lines.append(f'# target-nats-version = "{versions[-1]}"')
    others = [pin for pin in detected.pins if pin.ecosystem != NATS_SERVER]
    if others:
        lines.append("# versions authlint follows (from your dependency files; rules change with them):")
        seen: set[tuple[str, str]] = set()
        for pin in others:
            if (pin.ecosystem, pin.package) in seen:
                continue
            seen.add((pin.ecosystem, pin.package))
            stated = pin.version or pin.spec or "unpinned"
            lines.append(f"#   {pin.package} {stated} ({pin.where})")
    return "\n".join(lines) + "\n"


def precommit_entry(indent: str) -> list[str]:
    item = f"{indent}- repo: {REPOSITORY}"
    inner = indent + "  "
    return [item, f"{inner}rev: v{__version__}", f"{inner}hooks:", f"{inner}  - id: authlint"]


def precommit_insertion(text: str) -> tuple[int, str] | None:
    """Where the authlint hook goes in a ``.pre-commit-config.yaml`` and its text: at the end of the
    ``repos`` list, indented like its items; None when the file already names authlint or has no
    block ``repos`` list authlint can extend without rewriting the file."""
    import yaml

    if "authlint" in text:
        return None
    try:
        document = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError:
        return None
    if not isinstance(document, yaml.MappingNode):
        return None
    repos = next((value for key, value in document.value if getattr(key, "value", None) == "repos"), None)
    if not isinstance(repos, yaml.SequenceNode) or repos.flow_style or not repos.value:
        return None
    first = repos.value[0].start_mark
    line_start = text.rfind("\n", 0, first.index) + 1
    dash = text.rfind("-", line_start, first.index)
    indent = text[line_start:dash] if dash >= line_start else " " * max(first.column - 2, 0)
    end = _last_scalar_end(repos.value[-1])  # a collection's own end mark runs on to the next key
    newline = "\r\n" if "\r\n" in text else "\n"
    at = text.find("\n", end)
    at = len(text) if at == -1 else at + 1
    block = newline.join(precommit_entry(indent)) + newline
    if at == len(text) and not text.endswith(("\n", "\r")):
        block = newline + block
    return at, block


def _last_scalar_end(node) -> int:
    """Where the text of ``node``'s last scalar ends: the end of a block item as written (comments
    and keys after it, which the collection's end mark includes, stay after the insertion)."""
    import yaml

    while isinstance(node, (yaml.MappingNode, yaml.SequenceNode)) and node.value:
        last = node.value[-1]
        node = last[1] if isinstance(node, yaml.MappingNode) else last
    return node.end_mark.index


def plan(root: Path, detected: Detected) -> list[Change]:
    """The changes ``init`` makes under ``root`` (none when authlint is already configured there)."""
    changes: list[Change] = []
    pyproject = root / "pyproject.toml"
    own = [root / name for name in ("authlint.toml", ".authlint.toml")]
    configured = any(path.is_file() for path in own) or (
        pyproject.is_file() and "[tool.authlint" in pyproject.read_bytes().decode("utf-8", errors="replace"))
    if not configured:
        if pyproject.is_file():
            text = pyproject.read_bytes().decode("utf-8")  # bytes: CRLF stays visible
            newline = "\r\n" if "\r\n" in text else "\n"
            starter = starter_toml(detected, "[tool.authlint]").replace("\n", newline)
            lead = "" if not text else (newline if text.endswith(("\n", "\r")) else newline * 2)
            changes.append(Change(pyproject, lead + starter, created=False))
        else:
            changes.append(Change(root / "authlint.toml", starter_toml(detected, ""), created=True))
    config = root / ".pre-commit-config.yaml"
    if detected.uses_pre_commit:
        text = config.read_bytes().decode("utf-8")
        insertion = precommit_insertion(text)
        if insertion is not None:
            changes.append(Change(config, insertion[1], created=False))
    return changes


def apply(root: Path, changes: list[Change]) -> None:
    """Write the changes atomically, each file's other bytes and mode kept."""
    from authlint.diagnostics.fix import write_atomic

    for change in changes:
        if change.created:
            temporary = change.path.with_name(f".{change.path.name}.authlint-tmp")
            temporary.write_bytes(change.added.encode("utf-8"))
            os.replace(temporary, change.path)
            continue
        text = change.path.read_bytes().decode("utf-8")
        if change.path.name == ".pre-commit-config.yaml":
            insertion = precommit_insertion(text)
            if insertion is None:
                continue
            at, block = insertion
            text = text[:at] + block + text[at:]
        else:
            text = text + change.added
        write_atomic(change.path, text.encode("utf-8"))
