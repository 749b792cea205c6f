"""What a Python module offers other modules (``ModuleValues``): the values and framework settings
that travel through imports, ``app.config`` and settings objects to a ``jwt.encode`` three files away.

Read from the module's tree after the collector's walk (the resolver then holds every module-level
binding), never from other files: the project phase joins these facts (``facts.travel``).
Exported are only values that can matter elsewhere and that the secret finders already know:
environment and settings reads, names imported from another module, and string literals bound to a
name that says it holds a secret (``JWT_SECRET = "dev"``). Everything else stays in its file.
"""

from __future__ import annotations

import ast
import re
from typing import Iterable, Iterator

from authlint.facts.model import Expr, ModuleValues
from authlint.facts.python.cors import FLASK_CONFIG as FLASK_CORS_CONFIG
from authlint.facts.python.jwt_keys import module_path
from authlint.facts.python.resolve import Resolver, dotted, positional, string_value
from authlint.facts.python.walk import ordered_args
from authlint.facts.secrets.names import secret_name, secret_text
from authlint.files.source import Source, Span

LANG = "python"
PYDANTIC_SETTINGS = frozenset({"pydantic.BaseSettings", "pydantic_settings.BaseSettings", "pydantic.v1.BaseSettings"})
PYDANTIC_FIELD = frozenset({"pydantic.Field", "pydantic.fields.Field"})
FLASK_SECRET_ATTRIBUTE = "secret_key"  # ``app.secret_key = ...`` is Flask's ``SECRET_KEY``
UPPER = re.compile(r"^[A-Z][A-Z0-9_]*$")
# settings classes by the names projects give them (``Config``, ``ProductionConfig``, ``Settings``)
SETTINGS_CLASS_WORDS = ("config", "settings", "conf")


def package_of(relpath: str, level: int) -> str | None:
    """The package a relative import of ``level`` dots starts from in ``relpath``; None past the top."""
    parts = module_path(relpath).split(".") if relpath else []
    is_package = relpath.replace("\\", "/").endswith("__init__.py")
    drop = level - 1 if is_package else level
    if drop > len(parts):
        return None
    return ".".join(parts[: len(parts) - drop])


def settings_module(module: str) -> bool:
    """A Django settings module by the names projects give it (``proj.settings``, ``proj.settings.prod``)."""
    return "settings" in module.split(".")


def module_values(
    resolver: Resolver,
    tree: ast.Module,
    source: Source,
    servers: dict[str, int] | None = None,
    config_writes: list[tuple[ast.expr, ast.expr]] | None = None,
    config_calls: list[ast.Call] | None = None,
) -> ModuleValues | None:
    """The module's ``ModuleValues``, or None when it offers nothing that travels. From the
    collector's walk: ``servers``, the module-level names bound to a Socket.IO server (name -> its
    fact's start); ``config_writes`` and ``config_calls``, the Flask settings written here."""
    module = module_path(source.relpath)
    fact = ModuleValues(source=source, span=Span(0, 0), lang=LANG, module=module, servers=dict(servers or {}))
    django = settings_module(module)
    inherited = {base.id for statement in tree.body if isinstance(statement, ast.ClassDef)
                 for base in statement.bases if isinstance(base, ast.Name)}
    for statement in tree.body:
        if isinstance(statement, ast.ImportFrom):
            _reexports(resolver, statement, fact)
        for name, value in _bindings(statement):
            expr = _exported(resolver, name, value)
            if expr is not None:
                fact.values[name] = expr
            if django and UPPER.match(name) and expr is not None:
                fact.settings.setdefault(name, []).append(expr)
        if isinstance(statement, ast.ClassDef):
            _class(resolver, statement, fact, statement.name in inherited)
    for target, value in config_writes or ():
        _config_assignment(resolver, target, value, fact)
    defaults = _parameter_defaults(tree, config_calls or ())
    for call in config_calls or ():
        _config_call(resolver, call, fact, defaults.get(id(call), {}))
    return _nonempty(fact)


def _parameter_defaults(tree: ast.Module, calls: Iterable[ast.Call]) -> dict[int, dict[str, ast.expr]]:
    """For each call, the defaults of the parameters of the innermost function holding it: an app
    factory's ``def create_app(config_class=Config)`` loads ``Config`` whenever it is called
    without one (the way the application runs; tests pass others)."""
    wanted = {id(call) for call in calls}
    found: dict[int, dict[str, ast.expr]] = {}
    if not wanted:
        return found
    for node in ast.walk(tree):  # breadth first: an inner function is seen after the outer one
        if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            continue
        arguments = node.args
        positional_args = [*arguments.posonlyargs, *arguments.args]
        defaults = {arg.arg: default for arg, default in
                    zip(positional_args[len(positional_args) - len(arguments.defaults):], arguments.defaults)}
        defaults.update({arg.arg: default for arg, default in zip(arguments.kwonlyargs, arguments.kw_defaults)
                         if default is not None})
        for inner in ast.walk(node):
            if id(inner) in wanted:
                found[id(inner)] = defaults
    return found


def _nonempty(fact: ModuleValues) -> ModuleValues | None:
    return fact if fact.values or fact.settings or fact.loads or fact.servers else None


def _reexports(resolver: Resolver, statement: ast.ImportFrom, fact: ModuleValues) -> None:
    """``from .config import JWT_SECRET`` makes ``JWT_SECRET`` this module's too (``keys.JWT_SECRET``
    elsewhere): names of relative imports that can travel on (constants, settings objects, Socket.IO
    servers), and names of any import that say they hold a secret (those of packages outside the
    project lead nowhere)."""
    for alias in statement.names:
        local = alias.asname or alias.name
        if alias.name == "*" or not (secret_name(local) or statement.level and _travels(local)):
            continue
        qual = resolver.relative_imports.get(local) if statement.level else resolver.imports.get(local)
        if qual is not None and resolver.lookup(local) is None:
            span = resolver.span(alias) if hasattr(alias, "lineno") else resolver.span(statement)
            fact.values[local] = Expr(span=span, text=resolver.source.slice(span), imported=qual)


def _travels(name: str) -> bool:
    """A name worth re-exporting from a relative import: a constant, a settings object, a server."""
    lower = name.lower()
    return bool(UPPER.match(name)) or lower in ("settings", "config", "conf") or "sio" in lower or "socket" in lower


def _bindings(statement: ast.stmt) -> Iterator[tuple[str, ast.expr]]:
    """``NAME = value`` / ``NAME: T = value`` at this level."""
    if isinstance(statement, ast.Assign):
        for target in statement.targets:
            if isinstance(target, ast.Name):
                yield target.id, statement.value
    elif isinstance(statement, ast.AnnAssign) and statement.value is not None and isinstance(statement.target, ast.Name):
        yield statement.target.id, statement.value


# what a key can be written as: a literal, a name, an environment/settings read, a fallback or a
# concatenation; anything else (a dict, a comprehension, a lambda) is never evaluated
KEY_SHAPES = (ast.Constant, ast.Name, ast.Attribute, ast.Subscript, ast.Call, ast.BoolOp, ast.BinOp)


def _exported(resolver: Resolver, name: str, value: ast.expr) -> Expr | None:
    if name in FLASK_CORS_CONFIG:  # Flask-CORS reads these from app.config (CorsPolicy.reads_settings)
        travelled = resolver.expr(value)
        return travelled if travelled.known else None
    if not isinstance(value, KEY_SHAPES) or isinstance(value, ast.Constant) and not secret_name(name):
        return None
    expr = resolver.expr(value)
    if expr.ref is not None and expr.ref.startswith(("env:", "settings:")) and not expr.ref.endswith(":?"):
        return expr
    if expr.imported is not None:
        return expr
    if isinstance(expr.value, str) and secret_name(name) and secret_text(expr.value):
        return expr
    return None


def _class(resolver: Resolver, node: ast.ClassDef, fact: ModuleValues, inherited: bool = False) -> None:
    """Class attributes (``Config.SECRET_KEY``); pydantic ``BaseSettings`` field defaults as settings."""
    bases = [resolver.qualname(base) or dotted(base) or "" for base in node.bases]
    pydantic = any(base in PYDANTIC_SETTINGS for base in bases)
    local_bases = [base for base in (dotted(b) for b in node.bases) if base and "." not in base]
    if local_bases:
        fact.bases[node.name] = local_bases
    named = node.name.lower()
    if not (pydantic or inherited or local_bases or any(word in named for word in SETTINGS_CLASS_WORDS)):
        return  # a settings class says so in its name, or is part of a hierarchy here; others keep theirs
    for statement in node.body:
        for name, value in _bindings(statement):
            if pydantic:
                default = _field_default(resolver, value)
                expr = resolver.expr(default) if default is not None else None
                if expr is not None and isinstance(expr.value, str):
                    fact.settings.setdefault(name, []).append(_default_of_environment(expr, name))
                continue
            expr = _exported(resolver, name, value)
            if expr is not None:
                fact.values[f"{node.name}.{name}"] = expr


def _field_default(resolver: Resolver, value: ast.expr) -> ast.expr | None:
    """A pydantic field's default: the value, or ``Field("x")`` / ``Field(default="x")``."""
    if isinstance(value, ast.Call):
        if (resolver.qualname(value.func) or "") in PYDANTIC_FIELD:
            return positional(value, 0, "default")
        return None
    return value


def _default_of_environment(default: Expr, name: str) -> Expr:
    """pydantic reads the field from the environment (``JWT_SECRET`` for ``jwt_secret``) and falls
    back to the default: the setting is that read, with the default as its literal fallback."""
    return Expr(span=default.span, text=default.text, ref=f"settings:{name}", origin=default.origin,
                fallback=default.value, fallback_span=default.origin or default.span)


def _config_base(node: ast.expr) -> bool:
    """``app.config`` / ``current_app.config`` / ``self.app.config``."""
    return (dotted(node) or "").endswith("config")


def _setting(resolver: Resolver, name: str, value: ast.expr, fact: ModuleValues) -> None:
    """A setting written here, when its value can matter elsewhere (as ``_exported`` decides)."""
    expr = _exported(resolver, name, value)
    if expr is not None:
        fact.settings.setdefault(name, []).append(expr)


def _config_assignment(resolver: Resolver, target: ast.expr, value: ast.expr, fact: ModuleValues) -> None:
    """``app.config["JWT_SECRET"] = v`` and ``app.secret_key = v``."""
    if isinstance(target, ast.Subscript) and _config_base(target.value):
        key = string_value(resolver.index(target))
        if key is not None:
            _setting(resolver, key, value, fact)
    elif isinstance(target, ast.Attribute) and target.attr == FLASK_SECRET_ATTRIBUTE and isinstance(target.value, ast.Name):
        _setting(resolver, "SECRET_KEY", value, fact)


def _config_call(resolver: Resolver, node: ast.Call, fact: ModuleValues,
                 defaults: dict[str, ast.expr] | None = None) -> None:
    """``app.config.update(K=v)`` / ``from_mapping``, and ``app.config.from_object(Config)``."""
    func = node.func
    assert isinstance(func, ast.Attribute)
    if not _config_base(func.value):
        return
    if func.attr in ("update", "from_mapping"):
        for arg in node.keywords:
            if arg.arg is not None:
                _setting(resolver, arg.arg, arg.value, fact)
        args = ordered_args(node)
        first = args[0] if args else None
        if isinstance(first, ast.Dict):
            for key_node, value in zip(first.keys, first.values):
                key = string_value(key_node)
                if key is not None:
                    _setting(resolver, key, value, fact)
    elif func.attr == "from_object":
        target = positional(node, 0, "obj")
        if isinstance(target, ast.Name) and target.id in (defaults or {}):
            target = (defaults or {})[target.id]  # a factory's parameter: the class it loads by default
        loaded = _loaded(resolver, target, fact.module) if target is not None else None
        if loaded is not None:
            fact.loads.append(loaded)


def _loaded(resolver: Resolver, node: ast.expr, module: str) -> str | None:
    """What ``from_object`` is given, as a dotted name: ``"pkg.config.Config"``, an imported class,
    or a class of this module."""
    text = string_value(node)
    if text is not None:
        return text if text and all(part.isidentifier() for part in text.split(".")) else None
    imported = resolver.imported_name(node)
    if imported is not None:
        return imported
    name = dotted(node)
    return f"{module}.{name}" if name else None
