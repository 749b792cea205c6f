"""Where a JWT signing key can be named from, in JS/TS: the mint side (``KeyReach``) and the
verification side (``KeyNames``), so JWT003's fix writes the mint's key at a decode only with code
valid there. See ``authlint.facts.python.jwt_keys`` for the Python side and the rules.

``process.env`` is a global of Node: an environment read is valid in every JS/TS file (it ``needs``
the global, which a Python file never offers). Module-level constants are named by their module's
path (``src/auth.ts`` -> ``src/auth``), and imports of them by the path they import from.
"""

from __future__ import annotations

import posixpath
from typing import Any

from authlint.facts.javascript.model import FUNCTIONS, JsModel
from authlint.facts.model import KeyNames, KeyReach

READS = ("env:",)
NODE_GLOBAL = "<node global>"  # what ``process`` refers to in every JS/TS file
EXTENSIONS = (".ts", ".tsx", ".mts", ".cts", ".js", ".jsx", ".mjs", ".cjs")


def module_path(relpath: str) -> str:
    """``src/auth.ts`` -> ``src/auth``; ``src/auth/index.js`` -> ``src/auth``."""
    path = relpath.replace("\\", "/")
    for extension in EXTENSIONS:
        if path.endswith(extension):
            path = path[: -len(extension)]
            break
    if path.endswith("/index"):
        path = path[: -len("/index")]
    return path


def _imported_module(model: JsModel, module: str) -> str | None:
    """A relative import's module path in the project (``./config`` from ``src/api.ts`` -> ``src/config``)."""
    if not module.startswith("."):
        return None
    here = posixpath.dirname(model.source.relpath.replace("\\", "/"))
    return module_path(posixpath.normpath(posixpath.join(here, module)))


def _top_level(node: Any) -> bool:
    """A value bound outside every function (a module constant)."""
    parent = node.parent
    while parent is not None:
        if parent.type in FUNCTIONS or parent.type in ("method_definition", "class_body"):
            return False
        parent = parent.parent
    return True


def _read(model: JsModel, node: Any) -> str | None:
    ref = model.expr(node).ref
    return ref if ref is not None and ref.startswith(READS) else None


def key_reach(model: JsModel, node: Any | None) -> KeyReach | None:
    if node is None:
        return None
    reach = KeyReach()
    ref = _read(model, node)
    if ref is not None:
        reach.names.append(ref)
    plain = model.unwrap(node)
    if plain is not None and plain.type == "identifier":
        name = model.text(plain)
        imported = model.modules.get(name)
        value = model.values.get(name)
        if imported is not None and imported.export not in ("*", "default"):
            where = _imported_module(model, imported.module)
            if where is not None:
                reach.names.append(f"module:{where}.{imported.export}")
        elif value is not None and _top_level(value):
            reach.names.append(f"module:{module_path(model.source.relpath)}.{name}")
    target = model.resolve(node)
    if target is not None and model.env_name(target) is not None:
        reach.code, reach.needs = model.text(target), {"process": NODE_GLOBAL}
    return reach if reach.names or reach.code else None


def key_names(model: JsModel) -> KeyNames:
    module = module_path(model.source.relpath)
    names = KeyNames(module=module, imports={"process": NODE_GLOBAL})
    for local, ref in model.modules.items():
        where = _imported_module(model, ref.module)
        if where is not None and ref.export not in ("*", "default"):
            names.spellings.setdefault(f"module:{where}.{ref.export}", local)
    for name, value in model.values.items():
        if "." in name or not _top_level(value):
            continue
        names.spellings.setdefault(f"module:{module}.{name}", name)
        ref = _read(model, value)
        if ref is not None:
            names.spellings.setdefault(ref, name)
    return names
