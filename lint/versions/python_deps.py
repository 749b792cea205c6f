"""PyPI pins: requirements files, pyproject.toml (PEP 621 and Poetry), Pipfile and the lock files
(poetry.lock, uv.lock, Pipfile.lock).

Specifiers are parsed with ``packaging`` (PEP 508 / PEP 440), never by hand. A pin's ``version``
is set only where the file fixes one version: a lock file's entry, ``==2.8.0`` (no wildcard),
``===2.8.0``, or a bare Poetry version (``pyjwt = "1.7.1"``, which Poetry reads as ``==``).
Python installs one version of a package per environment, so every package of a lock file is a
pin, direct or not.
"""

from __future__ import annotations

import json
import re
import sys
from typing import Any

from authlint.versions.lines import json_key_lines, string_line, toml_key_line, toml_section_lines
from authlint.versions.model import PYPI, Pin, normalise
from authlint.versions.sources import OpenOther, Unreadable

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

_INCLUDE = re.compile(r"^(?:-r|--requirement|-c|--constraint)(?:\s*=\s*|\s+)(\S+)")
_HASH = re.compile(r"\s--hash[=\s]\S+")
_EXACT = re.compile(r"^[0-9][0-9A-Za-z.+!-]*$")  # a bare version (Poetry's ``==``)


def _exact(specifier) -> str | None:
    """The one version a ``packaging`` SpecifierSet allows, when it names exactly one."""
    specs = list(specifier)
    if len(specs) == 1 and specs[0].operator in ("==", "===") and "*" not in specs[0].version:
        return specs[0].version
    return None


def _requirement(text: str, relpath: str, line: int) -> Pin | None:
    """One PEP 508 requirement string; None for URLs, paths and what does not parse."""
    from packaging.requirements import InvalidRequirement, Requirement

    try:
        requirement = Requirement(text)
    except InvalidRequirement:
        return None
    if requirement.url:
        return None
    spec = _as_written(text) or str(requirement.specifier)
    return Pin(PYPI, normalise(PYPI, requirement.name), _exact(requirement.specifier), spec, relpath, line)


_NAME_AND_EXTRAS = re.compile(r"^\s*[A-Za-z0-9][A-Za-z0-9._-]*\s*(?:\[[^\]]*\])?\s*")


def _as_written(text: str) -> str:
    """The specifier of a requirement string as the file writes it (``>=5.3,<6``; packaging
    reorders): without the name, extras, markers and the old-style parentheses."""
    rest = _NAME_AND_EXTRAS.sub("", text.split(";", 1)[0], count=1).strip()
    if rest.startswith("(") and rest.endswith(")"):
        rest = rest[1:-1].strip()
    return rest


# -- requirements*.txt -------------------------------------------------------------------------


def read_requirements(text: str, relpath: str, open_other: OpenOther, _seen: frozenset[str] = frozenset()) -> list[Pin]:
    """pip's requirements format: comments, ``\\`` continuations, options, ``-r``/``-c`` includes
    of files inside the project (each once), environment markers and extras; editable installs,
    URLs and local paths are skipped (they name no version)."""
    pins: list[Pin] = []
    seen = _seen | {relpath}
    for number, logical in _logical_lines(text):
        line = _HASH.sub("", " " + logical).strip()
        include = _INCLUDE.match(line)
        if include:
            other = _join(relpath, include.group(1))
            if other is not None and other not in seen:
                included = open_other(other)
                if included is not None:
                    pins.extend(read_requirements(included, other, open_other, seen))
            continue
        if not line or line.startswith("-") or "://" in line.split(";")[0] or line.startswith((".", "/")):
            continue
        pin = _requirement(line, relpath, number)
        if pin is not None:
            pins.append(pin)
    return pins


def _logical_lines(text: str) -> list[tuple[int, str]]:
    """(line of the first physical line, text) with comments removed and continuations joined."""
    out: list[tuple[int, str]] = []
    buffer = ""
    start = 0
    for number, raw in enumerate(text.splitlines(), 1):
        line = re.sub(r"(^|\s)#.*$", "", raw)
        if not buffer:
            start = number
        if line.endswith("\\"):
            buffer += line[:-1] + " "
            continue
        buffer += line
        if buffer.strip():
            out.append((start, buffer.strip()))
        buffer = ""
    if buffer.strip():
        out.append((start, buffer.strip()))
    return out


def _join(relpath: str, target: str) -> str | None:
    """``target`` relative to ``relpath``'s folder, as a project relpath; None when it leaves the project."""
    import posixpath

    if "://" in target or target.startswith("/"):
        return None
    folder = posixpath.dirname(relpath)
    joined = posixpath.normpath(posixpath.join(folder, target))
    return None if joined.startswith("..") else joined


# -- TOML files ----------------------------------------------------------------------------------


def _toml(text: str) -> dict[str, Any]:
    try:
        return tomllib.loads(text)
    except (tomllib.TOMLDecodeError, ValueError) as exc:
        raise Unreadable(f"invalid TOML: {exc}") from exc


def read_pyproject(text: str, relpath: str, open_other: OpenOther) -> list[Pin]:
    """PEP 621 ``[project] dependencies`` / ``optional-dependencies``, PEP 735 ``[dependency-groups]``
    and Poetry's ``[tool.poetry.dependencies]`` (plus its groups and ``dev-dependencies``)."""
    data = _toml(text)
    pins: list[Pin] = []
    project = data.get("project")
    if isinstance(project, dict):
        pins.extend(_pep508_list(text, relpath, project.get("dependencies"), "project"))
        optional = project.get("optional-dependencies")
        if isinstance(optional, dict):
            for group in optional.values():
                pins.extend(_pep508_list(text, relpath, group, "project.optional-dependencies"))
    groups = data.get("dependency-groups")
    if isinstance(groups, dict):
        for group in groups.values():
            pins.extend(_pep508_list(text, relpath, group, "dependency-groups"))
    poetry = data.get("tool", {}).get("poetry") if isinstance(data.get("tool"), dict) else None
    if isinstance(poetry, dict):
        tables = [("tool.poetry.dependencies", poetry.get("dependencies")),
                  ("tool.poetry.dev-dependencies", poetry.get("dev-dependencies"))]
        if isinstance(poetry.get("group"), dict):
            for name, group in poetry["group"].items():
                if isinstance(group, dict):
                    tables.append((f"tool.poetry.group.{name}.dependencies", group.get("dependencies")))
        for section, table in tables:
            pins.extend(_poetry_table(text, relpath, section, table))
    return pins


def _pep508_list(text: str, relpath: str, entries: Any, section: str) -> list[Pin]:
    if not isinstance(entries, list):
        return []
    start = next((line for name, line in toml_section_lines(text) if name == section), 1)
    pins = []
    after = start
    for entry in entries:
        if not isinstance(entry, str):
            continue
        line = string_line(text, entry.strip(), after) or string_line(text, entry.strip()) or start
        after = line
        pin = _requirement(entry, relpath, line)
        if pin is not None:
            pins.append(pin)
    return pins


def _poetry_table(text: str, relpath: str, section: str, table: Any) -> list[Pin]:
    """Poetry's ``name = "^1.2"`` or ``name = {version = "~1.2", extras = [...]}``; Poetry's own
    operators (``^``, ``~``, bare versions) are kept as written in ``spec``."""
    if not isinstance(table, dict):
        return []
    fallback = next((line for name, line in toml_section_lines(text) if name == section), 1)
    pins = []
    for name, value in table.items():
        if not isinstance(name, str) or name.lower() == "python":
            continue
        if isinstance(value, dict):
            value = value.get("version")
        elif isinstance(value, list):  # multiple constraints: one per marker
            versions = [v.get("version") for v in value if isinstance(v, dict) and isinstance(v.get("version"), str)]
            value = ",".join(versions) if versions else None
        if not isinstance(value, str):
            continue  # git / path / url dependencies
        spec = value.strip()
        line = toml_key_line(text, section, name) or fallback
        pins.append(Pin(PYPI, normalise(PYPI, name), _poetry_exact(spec), spec, relpath, line))
    return pins


def _poetry_exact(spec: str) -> str | None:
    if _EXACT.match(spec):
        return spec
    if spec.startswith("==") and _EXACT.match(spec[2:].strip()):
        return spec[2:].strip()
    return None


def read_pipfile(text: str, relpath: str, open_other: OpenOther) -> list[Pin]:
    """Pipfile's ``[packages]`` and ``[dev-packages]``: ``"*"``, a PEP 440 specifier or a table."""
    data = _toml(text)
    pins = []
    for section in ("packages", "dev-packages"):
        table = data.get(section)
        if not isinstance(table, dict):
            continue
        for name, value in table.items():
            if isinstance(value, dict):
                value = value.get("version")
            if not isinstance(value, str):
                continue
            spec = "" if value.strip() == "*" else value.strip()
            line = toml_key_line(text, section, name) or 1
            pin = _requirement(f"{name}{spec}", relpath, line) if spec else Pin(PYPI, normalise(PYPI, name), None, "", relpath, line)
            if pin is not None:
                pins.append(pin)
    return pins


_LOCK_FIELD = re.compile(r"""^(name|version)\s*=\s*"([^"]*)"\s*$""")


def read_toml_lock(text: str, relpath: str, open_other: OpenOther) -> list[Pin]:
    """poetry.lock and uv.lock: each ``[[package]]`` table's ``name`` and ``version``.

    Read line by line: both tools write these files in one fixed layout (``name = "..."`` and
    ``version = "..."`` first in each table), and a whole-file TOML parse of a 300 KB uv.lock cost
    more than checking a project's configs. uv.lock's entry for the project itself (``source =
    { editable = "." }`` / ``{ virtual = "." }``) is no dependency. A file with no ``[[package]]``
    table and no ``[metadata]`` / ``version = 1`` header is not a lock file: ``Unreadable``."""
    pins: list[Pin] = []
    current: dict[str, str] = {}
    line = 0
    recognised = False

    def close() -> None:
        if "name" in current and "version" in current and not current.get("project"):
            pins.append(Pin(PYPI, normalise(PYPI, current["name"]), current["version"], "", relpath, line))

    for number, raw in enumerate(text.splitlines(), 1):
        stripped = raw.strip()
        if stripped.startswith("["):
            close()
            current = {}
            in_package = stripped == "[[package]]"
            recognised = recognised or in_package or stripped == "[metadata]"
            current["open"] = "1" if in_package else ""
            continue
        if not current.get("open"):
            recognised = recognised or stripped.startswith(("version = ", "requires-python"))
            continue
        match = _LOCK_FIELD.match(stripped)
        if match and match.group(1) not in current:
            current[match.group(1)] = match.group(2)
            if match.group(1) == "name":
                line = number
        elif stripped.startswith("source = {") and ("editable =" in stripped or "virtual =" in stripped):
            current["project"] = "1"
    close()
    if not recognised and text.strip():
        raise Unreadable("not a poetry.lock / uv.lock: no [[package]] table")
    return pins


def read_pipfile_lock(text: str, relpath: str, open_other: OpenOther) -> list[Pin]:
    """Pipfile.lock (JSON): ``default`` and ``develop``, each ``{name: {"version": "==1.2.3"}}``."""
    try:
        data = json.loads(text)
    except ValueError as exc:
        raise Unreadable(f"invalid JSON: {exc}") from exc
    if not isinstance(data, dict):
        raise Unreadable("not a JSON object")
    keys = json_key_lines(text)
    pins = []
    for section in ("default", "develop"):
        table = data.get(section)
        if not isinstance(table, dict):
            continue
        for name, entry in table.items():
            version = entry.get("version") if isinstance(entry, dict) else None
            if not isinstance(version, str):
                continue
            exact = version[2:] if version.startswith("==") else None
            pins.append(Pin(PYPI, normalise(PYPI, name), exact, version, relpath, keys.get((section, name), 1)))
    return pins


READERS = {
    "pyproject.toml": read_pyproject,
    "Pipfile": read_pipfile,
    "Pipfile.lock": read_pipfile_lock,
    "poetry.lock": read_toml_lock,
    "uv.lock": read_toml_lock,
}
