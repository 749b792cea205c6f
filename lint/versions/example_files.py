"""Dependency files for rule examples and tests: a package.json, package-lock.json,
requirements.txt or poetry.lock whose pins sit on known lines, so an example's message can name them.

- ``package_json``: the first dependency on line 5, the next on line 6, ...
- ``package_lock``: the first package's entry (``"node_modules/NAME": {``) on line 11 + the number of
  packages (12 for one), then every 3 lines
- ``requirements``: the first given line on line 3 (two unrelated pins come first)
- ``poetry_lock``: the first package's ``name =`` on line 2, then every 6 lines
"""

from __future__ import annotations

import json


def package_json(dependencies: dict[str, str]) -> str:
    lines = ["{", '  "name": "app",', '  "private": true,', '  "dependencies": {']
    entries = [f"    {json.dumps(name)}: {json.dumps(spec)}" for name, spec in dependencies.items()]
    lines += [entry + ("," if index < len(entries) - 1 else "") for index, entry in enumerate(entries)]
    return "\n".join([*lines, "  }", "}"]) + "\n"


def package_lock(versions: dict[str, str]) -> str:
    """A lockfile v3 whose root package depends on each package at exactly its locked version."""
    lines = ["{", '  "name": "app",', '  "lockfileVersion": 3,', '  "requires": true,', '  "packages": {',
             '    "": {', '      "name": "app",', '      "dependencies": {']
    deps = [f"        {json.dumps(name)}: {json.dumps(version)}" for name, version in versions.items()]
    lines += [dep + ("," if index < len(deps) - 1 else "") for index, dep in enumerate(deps)]
    lines += ["      }", "    },"]
    entries: list[str] = []
    for index, (name, version) in enumerate(versions.items()):
        last = index == len(versions) - 1
        entries += [f"    {json.dumps('node_modules/' + name)}: {{", f"      \"version\": {json.dumps(version)}",
                    "    }" + ("" if last else ",")]
    return "\n".join([*lines, *entries, "  }", "}"]) + "\n"


def requirements(*lines: str) -> str:
    return "\n".join(["flask==3.0.3", "gunicorn==22.0.0", *lines]) + "\n"


def poetry_lock(versions: dict[str, str]) -> str:
    blocks = [f'[[package]]\nname = "{name}"\nversion = "{version}"\ndescription = ""\noptional = false\n'
              for name, version in versions.items()]
    return "\n".join(blocks)
