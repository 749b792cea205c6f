"""Where a JWT signing key can be named from: the mint side (``KeyReach``: what the key is, and the
expression that reads it) and the verification side (``KeyNames``: the names a file offers for a
key), so JWT003's fix writes the mint's key at a decode only with code that is valid there.

A key is never copied as a literal (that would spread a secret); it is written as a name the
decode's file binds to the same value, or as the environment/settings read itself when the
decode's file imports what that read uses (``os``, ``django.conf.settings``).
"""

from __future__ import annotations

import ast

from authlint.facts.model import UNKNOWN, KeyNames, KeyReach
from authlint.facts.python.resolve import Resolver
from authlint.files.source import Source

READS = ("env:", "settings:")  # refs naming a value that is the same wherever it is read


def module_path(relpath: str) -> str:
    """``app/auth.py`` -> ``app.auth``; ``app/__init__.py`` -> ``app``."""
    parts = relpath.replace("\\", "/").split("/")
    last = parts[-1]
    parts[-1] = last[: -len(".py")] if last.endswith(".py") else last
    if parts[-1] == "__init__" and len(parts) > 1:
        parts.pop()
    return ".".join(part for part in parts if part)


def _module_level(resolver: Resolver, name: str) -> ast.AST | None:
    """The module-level value of ``name`` when that binding is the one visible here (not shadowed
    by a parameter or a local of the enclosing function or class)."""
    bound = resolver.scopes[0].bindings.get(name)
    found = resolver.lookup(name)
    if bound is None or found is None or found[0] is not bound:
        return None
    return bound


def _imported(resolver: Resolver, name: str) -> str | None:
    """What an imported name refers to, when no assignment rebinds it."""
    qual = resolver.imports.get(name)
    return qual if qual is not None and resolver.lookup(name) is None else None


def _read_ref(resolver: Resolver, node: ast.AST) -> str | None:
    if not isinstance(node, ast.expr):
        return None
    ref = resolver.expr(node).ref
    return ref if ref is not None and ref.startswith(READS) and not ref.endswith(":?") else None


def key_reach(resolver: Resolver, node: ast.expr | None, source: Source) -> KeyReach | None:
    """How ``node`` (a mint's key argument) can be named from another place; None when it cannot."""
    if node is None:
        return None
    reach = KeyReach()
    ref = _read_ref(resolver, node)
    if ref is not None:
        reach.names.append(ref)
    if isinstance(node, ast.Name):
        qual = _imported(resolver, node.id)
        if qual is not None:
            reach.names.append(f"module:{qual}")
        elif _module_level(resolver, node.id) is not None:
            reach.names.append(f"module:{module_path(source.relpath)}.{node.id}")
    target = resolver.follow(node)
    if isinstance(target, ast.expr) and _read_ref(resolver, target) is not None:
        expr = resolver.expr(target)
        needs: dict[str, str] | None = {}
        for name in {n.id for n in ast.walk(target) if isinstance(n, ast.Name)}:
            qual = _imported(resolver, name)
            if qual is None:
                needs = None  # reads a local variable: valid only where it is bound
                break
            needs[name] = qual  # type: ignore[index]
        # a literal default (``os.getenv("K", "dev")``) is a secret in the code: never copied
        literal_fallback = expr.fallback is not UNKNOWN and expr.fallback is not None
        if needs is not None and not literal_fallback:
            reach.code, reach.needs = resolver.text(target), needs
    return reach if reach.names or reach.code else None


def key_names(resolver: Resolver, source: Source) -> KeyNames:
    """The names a verification's file offers for a key, at the call being visited."""
    module = module_path(source.relpath)
    names = KeyNames(module=module)
    for local in resolver.imports:
        qual = _imported(resolver, local)
        if qual is not None:
            names.imports[local] = qual
            names.spellings.setdefault(f"module:{qual}", local)
    for name in list(resolver.scopes[0].bindings):
        bound = _module_level(resolver, name)
        if bound is None:
            continue
        names.spellings.setdefault(f"module:{module}.{name}", name)
        ref = _read_ref(resolver, bound)
        if ref is not None:
            names.spellings.setdefault(ref, name)
    return names
