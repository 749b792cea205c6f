"""npm pins: package.json ranges and the versions the lock files resolved.

Lock files give the versions the project's own code runs: the *direct* dependencies only.
``require("jsonwebtoken")`` from the project resolves to the top-level ``node_modules/jsonwebtoken``;
a copy nested under another package (``node_modules/express-jwt/node_modules/jsonwebtoken``) is
that package's business, and reporting its version would judge the project by code it does not
call. So:

- package-lock.json / npm-shrinkwrap.json v2/v3: ``packages["node_modules/x"]`` (one
  ``node_modules`` segment), and ``packages["<workspace>/node_modules/x"]`` for workspaces;
  v1: the top-level ``dependencies`` entries, not the ``dependencies`` nested inside them.
- yarn.lock (v1 and berry): the entries whose ``name@range`` descriptor a package.json beside it
  declares (every entry when there is none).
- pnpm-lock.yaml: the importers' (v6-v9) or the root's (v5) ``dependencies``/``devDependencies``/
  ``optionalDependencies``, whose ``version`` may carry a peer suffix (``4.7.2(bufferutil@4.0.8)``,
  v5 ``4.7.2_bufferutil@4.0.8``), removed here.
"""

from __future__ import annotations

import json
import re
from typing import Any

from authlint.versions.lines import json_key_lines
from authlint.versions.model import NPM, Pin
from authlint.versions.sources import OpenOther, Unreadable

DEPENDENCY_FIELDS = ("dependencies", "devDependencies", "optionalDependencies", "peerDependencies")
_SEMVER = re.compile(r"^v?(\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?)$")


def exact(range_text: str) -> str | None:
    """The version a package.json range fixes: ``4.7.2``, ``=4.7.2``, ``v4.7.2``; None for ranges,
    tags, URLs and aliases."""
    text = range_text.strip()
    if text.startswith("="):
        text = text[1:].strip()
    match = _SEMVER.match(text)
    return match.group(1) if match else None


def _json(text: str) -> dict[str, Any]:
    try:
        data = json.loads(text)
    except ValueError as exc:
        raise Unreadable(f"invalid JSON: {exc}") from exc
    if not isinstance(data, dict):
        raise Unreadable("not a JSON object")
    return data


def read_package_json(text: str, relpath: str, open_other: OpenOther) -> list[Pin]:
    """The four dependency fields; an alias (``npm:other@1``) pins the package it names."""
    data = _json(text)
    keys = json_key_lines(text)
    pins = []
    for field in DEPENDENCY_FIELDS:
        table = data.get(field)
        if not isinstance(table, dict):
            continue
        for name, spec in table.items():
            if not isinstance(spec, str):
                continue
            package = name
            if spec.startswith("npm:"):  # an alias: "jwt": "npm:jsonwebtoken@^9"
                target = spec[4:]
                at = target.find("@", 1)
                package, spec = (target[:at], target[at + 1 :]) if at > 0 else (target, "")
            pins.append(Pin(NPM, package, exact(spec), spec, relpath, keys.get((field, name), 1)))
    return pins


def read_package_lock(text: str, relpath: str, open_other: OpenOther) -> list[Pin]:
    data = _json(text)
    keys = json_key_lines(text)
    pins = []
    packages = data.get("packages")
    if isinstance(packages, dict):  # lockfileVersion 2 and 3
        for key, entry in packages.items():
            if not isinstance(key, str) or not isinstance(entry, dict) or entry.get("link"):
                continue
            head, marker, name = key.rpartition("node_modules/")
            if not marker or "node_modules/" in head or not name:
                continue  # the root (""), workspace folders, and nested copies
            version = entry.get("version")
            if isinstance(version, str):
                pins.append(Pin(NPM, name, version, "", relpath, keys.get(("packages", key), 1)))
        return pins
    dependencies = data.get("dependencies")
    if isinstance(dependencies, dict):  # lockfileVersion 1: the top level only
        for name, entry in dependencies.items():
            version = entry.get("version") if isinstance(entry, dict) else None
            if isinstance(version, str) and exact(version):
                pins.append(Pin(NPM, name, exact(version), "", relpath, keys.get(("dependencies", name), 1)))
    return pins


# -- yarn.lock -------------------------------------------------------------------------------------

_YARN_VERSION = re.compile(r"""^\s+version:?\s+"?([^"\s]+)"?\s*$""")


def read_yarn_lock(text: str, relpath: str, open_other: OpenOther) -> list[Pin]:
    """yarn v1 (``"name@^1.0.0", name@~1.0.0:`` then ``  version "1.2.3"``) and berry (``"name@npm:^1.0.0":``
    then ``  version: 1.2.3``), read line by line (berry's file is YAML, v1's is not)."""
    declared = _declared_beside(relpath, open_other)
    pins: list[Pin] = []
    current: list[tuple[str, str]] = []  # the descriptors (name, range) of the entry being read
    header_line = 0
    for number, raw in enumerate(text.splitlines(), 1):
        if not raw.strip() or raw.lstrip().startswith("#"):
            continue
        if not raw[0].isspace():
            current = _descriptors(raw.rstrip().rstrip(":"))
            header_line = number
            continue
        match = _YARN_VERSION.match(raw)
        if not match or not current or raw.startswith("    "):
            continue
        version = match.group(1)
        names = {name for name, _ in current}
        for name in sorted(names):
            if name == "__metadata":
                continue
            ranges = [r for n, r in current if n == name]
            if declared is not None and not any((name, r) in declared for r in ranges):
                continue
            pins.append(Pin(NPM, name, version, "", relpath, header_line))
        current = []
    return pins


def _descriptors(header: str) -> list[tuple[str, str]]:
    """``"a@^1", a@~1.2`` -> [("a", "^1"), ("a", "~1.2")]; berry's ``npm:`` protocol is dropped."""
    out = []
    for part in header.split(","):
        part = part.strip().strip('"')
        if not part:
            continue
        at = part.find("@", 1)  # a scoped name starts with "@"
        if at < 0:
            out.append((part, ""))
            continue
        name, spec = part[:at], part[at + 1 :]
        if spec.startswith("npm:"):
            spec = spec[4:]
        out.append((name, spec))
    return out


def _declared_beside(relpath: str, open_other: OpenOther) -> set[tuple[str, str]] | None:
    """(name, range) of every dependency the package.json in the lock file's folder declares."""
    folder = relpath.rsplit("/", 1)[0] + "/" if "/" in relpath else ""
    text = open_other(folder + "package.json")
    if text is None:
        return None
    try:
        pins = read_package_json(text, folder + "package.json", open_other)
    except Unreadable:
        return None
    declared = set()
    for field_pin in pins:
        declared.add((field_pin.package, field_pin.spec))
    try:  # aliases are declared under their own name
        data = json.loads(text)
        for field in DEPENDENCY_FIELDS:
            for name, spec in (data.get(field) or {}).items():
                if isinstance(spec, str):
                    declared.add((name, spec))
    except (ValueError, AttributeError):
        pass
    return declared


# -- pnpm-lock.yaml --------------------------------------------------------------------------------


def read_pnpm_lock(text: str, relpath: str, open_other: OpenOther) -> list[Pin]:
    """pnpm v5 (``dependencies: {name: 4.7.2}`` at the root, ``specifiers:`` beside them) and
    v6-v9 (``importers: {'.': {dependencies: {name: {specifier: ^4, version: 4.7.2}}}}``; v6 also
    at the root for a single project)."""
    import yaml

    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        raise Unreadable(f"invalid YAML: {exc}") from exc
    if not isinstance(root, yaml.MappingNode):
        return []
    pins: list[Pin] = []
    importers = _get(root, "importers")
    projects = [node for _, node in _items(importers)] if importers is not None else [root]
    for project in projects:
        if not isinstance(project, yaml.MappingNode):
            continue
        specifiers = _get(project, "specifiers")
        for field in ("dependencies", "devDependencies", "optionalDependencies"):
            for key, value in _items(_get(project, field)):
                name = key.value
                spec = ""
                if isinstance(value, yaml.MappingNode):  # v6+
                    version_node = _get(value, "version")
                    spec_node = _get(value, "specifier")
                    spec = spec_node.value if isinstance(spec_node, yaml.ScalarNode) else ""
                    resolved = version_node.value if isinstance(version_node, yaml.ScalarNode) else None
                elif isinstance(value, yaml.ScalarNode):  # v5
                    resolved = value.value
                    spec_node = _get(specifiers, name)
                    spec = spec_node.value if isinstance(spec_node, yaml.ScalarNode) else ""
                else:
                    continue
                version = _pnpm_version(resolved)
                if version is not None or spec:
                    pins.append(Pin(NPM, name, version, spec, relpath, key.start_mark.line + 1))
    return pins


def _pnpm_version(resolved: str | None) -> str | None:
    """``4.7.2(bufferutil@4.0.8)`` / ``4.7.2_bufferutil@4.0.8`` -> ``4.7.2``; links and tarballs -> None."""
    if not isinstance(resolved, str):
        return None
    version = re.split(r"[(_]", resolved, maxsplit=1)[0]
    return exact(version)


def _get(node, key: str):
    import yaml

    if not isinstance(node, yaml.MappingNode):
        return None
    for k, v in node.value:
        if isinstance(k, yaml.ScalarNode) and k.value == key:
            return v
    return None


def _items(node):
    import yaml

    if not isinstance(node, yaml.MappingNode):
        return []
    return [(k, v) for k, v in node.value if isinstance(k, yaml.ScalarNode)]


READERS = {
    "package.json": read_package_json,
    "package-lock.json": read_package_lock,
    "npm-shrinkwrap.json": read_package_lock,
    "yarn.lock": read_yarn_lock,
    "pnpm-lock.yaml": read_pnpm_lock,
}
