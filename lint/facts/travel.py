"""Values that travel: what an expression reads when its value is written in another module.

The project phase joins the ``ModuleValues`` facts of every file (cached facts on a warm run; the
disk is never read here): an ``Expr`` naming another module's value (``Expr.imported``) is followed
to that module's definition, and a framework setting read (``settings:SECRET_KEY``) to where the
project writes it (Flask ``app.config[...]`` and the classes handed to ``from_object``, a Django
settings module, pydantic ``BaseSettings`` defaults). Only modules of the project are looked at.

Rules ask ``Travel.follow(expr, fact)`` and get the definitions with the file each one is in; the
module naming is the extractors' (Python dotted paths, JS relpaths without extension), so rules
stay language-neutral.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Iterable, Iterator

from authlint.facts.model import ConnectHandler, CorsPolicy, Expr, Fact, ModuleValues
from authlint.facts.origins import settle
from authlint.files.source import Source

# words of the modules that offer values (a secret-named constant, an environment read, a settings
# class or module, ``from_object``): rules that follow values add them to their triggers, so those
# modules are parsed and join the project phase even when they name no library
TRAVEL_TRIGGERS = ("secret", "environ", "getenv", "from_object", "basesettings", "process.env", "import.meta.env")
# words of a module registering a handler on a Socket.IO server another module makes (``sio.on``,
# ``@socketio.on``): rules joining those handlers add them to their triggers
SERVER_SHARED_TRIGGERS = ("sio.", "socket")
MAX_HOPS = 6  # re-exports and settings read through constants, followed this far
SETTINGS = "settings:"


def family(lang: str) -> str:
    """JS and TS import each other; Python only Python."""
    return "python" if lang == "python" else "javascript"


@dataclass(frozen=True)
class Definition:
    """Where a travelled value is written: its expression and the file holding it."""

    expr: Expr
    source: Source
    name: str  # how the defining module names it (``JWT_SECRET``, ``Config.SECRET_KEY``, ``ENV.JWT_SECRET``)

    @property
    def where(self) -> str:
        line = self.source.position((self.expr.origin or self.expr.span).start)[0]
        return f"{self.source.relpath}:{line}"


class Travel:
    """The project's ``ModuleValues``, indexed by module and by setting."""

    def __init__(self, offered: Iterable[ModuleValues]) -> None:
        self.modules: dict[tuple[str, str], ModuleValues] = {}
        self.loads: list[tuple[str, str]] = []  # (family, dotted name given to from_object)
        for fact in offered:
            self.modules.setdefault((family(fact.lang), fact.module), fact)
            self.loads.extend((family(fact.lang), loaded) for loaded in fact.loads)

    @classmethod
    def of(cls, project) -> Travel:
        return cls(project.facts(ModuleValues))

    def __bool__(self) -> bool:
        return bool(self.modules)

    # -- modules ----------------------------------------------------------------------------
    def module(self, lang: str, name: str) -> ModuleValues | None:
        """The project's module ``name``: exactly, else the one module whose path ends with it (a
        package under ``src/`` is imported without that folder); None when absent or ambiguous."""
        key = (family(lang), name)
        if key in self.modules:
            return self.modules[key]
        if family(lang) != "python" or not name:
            return None
        found = [fact for (fam, module), fact in self.modules.items()
                 if fam == "python" and module.endswith("." + name)]
        return found[0] if len(found) == 1 else None

    def _split(self, lang: str, dotted: str) -> Iterator[tuple[ModuleValues, str]]:
        """``pkg.config.Config.SECRET_KEY`` -> (module ``pkg.config``, ``Config.SECRET_KEY``), longest
        module first; JS names come as ``module:name``."""
        if family(lang) != "python":
            module, _, name = dotted.partition(":")
            fact = self.module(lang, module)
            if fact is not None and name:
                yield fact, name
            return
        parts = dotted.split(".")
        for cut in range(len(parts) - 1, 0, -1):
            fact = self.module(lang, ".".join(parts[:cut]))
            if fact is not None:
                yield fact, ".".join(parts[cut:])

    def _value(self, fact: ModuleValues, name: str) -> tuple[str, Expr] | None:
        """A value of ``fact``'s module (and the name it is written under), a class attribute
        inherited from a same-module base included."""
        if name in fact.values:
            return name, fact.values[name]
        owner, _, attribute = name.rpartition(".")
        seen: set[str] = set()
        pending = list(fact.bases.get(owner, ())) if owner else []
        while pending:
            base = pending.pop(0)
            if base in seen:
                continue
            seen.add(base)
            if f"{base}.{attribute}" in fact.values:
                return f"{base}.{attribute}", fact.values[f"{base}.{attribute}"]
            pending.extend(fact.bases.get(base, ()))
        return None

    def imported(self, lang: str, dotted: str) -> Definition | None:
        """The definition of another module's value (one hop)."""
        for fact, name in self._split(lang, dotted):
            found = self._value(fact, name)
            if found is not None:
                return Definition(found[1], fact.source, found[0])
        return None

    def server(self, at: Fact, name: str) -> tuple[str, int] | None:
        """(relpath, span start) of the Socket.IO server fact another module binds to the imported
        ``name`` of fact ``at`` (``app.addon.sio``), through re-exports; None when not in the project."""
        lang = at.lang
        for _ in range(MAX_HOPS):
            step = None
            for fact, local in self._split(lang, name):
                if local in fact.servers:
                    return fact.source.relpath, fact.servers[local]
                found = self._value(fact, local)
                if found is not None and found[1].imported:
                    step = found[1].imported
                    break
            if step is None:
                return None
            name = step
        return None

    def handler(self, at: Fact, name: str) -> tuple[ConnectHandler, Source] | None:
        """The Socket.IO handler another module exports under the imported ``name`` of fact ``at``
        (``src/middleware/auth:default``), through re-exports, with the file it is written in."""
        lang = at.lang
        for _ in range(MAX_HOPS):
            step = None
            for fact, local in self._split(lang, name):
                if local in fact.handlers:
                    return fact.handlers[local], fact.source
                found = self._value(fact, local)
                if found is not None and found[1].imported:
                    step = found[1].imported
                    break
            if step is None:
                return None
            name = step
        return None

    # -- settings ---------------------------------------------------------------------------
    def setting(self, lang: str, name: str) -> list[Definition]:
        """Every place the project writes setting ``name``: settings written directly, and the
        attributes of the settings classes loaded by ``from_object``."""
        found: list[Definition] = []
        fam = family(lang)
        for (module_family, _), fact in self.modules.items():
            if module_family == fam:
                found.extend(Definition(expr, fact.source, name) for expr in fact.settings.get(name, ()))
        for load_family, loaded in self.loads:
            if load_family != fam:
                continue
            for fact, owner in self._split(lang, loaded):
                value = self._value(fact, f"{owner}.{name}")
                if value is not None:
                    found.append(Definition(value[1], fact.source, value[0]))
                    break
        unique: dict[tuple[str, int], Definition] = {}
        for definition in found:
            unique.setdefault((definition.source.relpath, definition.expr.span.start), definition)
        return list(unique.values())

    # -- following --------------------------------------------------------------------------
    def follow(self, expr: Expr, at: Fact) -> list[Definition]:
        """The definitions an expression of fact ``at`` reads when they are written in another module
        or in the project's settings; empty when it reads nothing that travels (or nothing the project
        writes). Re-exports and settings bound to settings are followed to their end."""
        lang = at.lang
        out: list[Definition] = []
        pending: list[tuple[Expr, Definition | None, int]] = [(expr, None, 0)]
        seen: set[tuple[str, int]] = set()
        while pending:
            current, defined, hops = pending.pop(0)
            step = self._step(current, lang) if hops < MAX_HOPS else None
            if step is None:
                if defined is not None:
                    out.append(defined)
                continue
            for definition in step:
                mark = (definition.source.relpath, definition.expr.span.start)
                if mark not in seen:
                    seen.add(mark)
                    pending.append((definition.expr, definition, hops + 1))
        return out

    def _step(self, expr: Expr, lang: str) -> list[Definition] | None:
        """One hop from ``expr``; None when it ends here (a literal, an env read, an unknown)."""
        if expr.known:
            return None
        if expr.imported:  # before the settings: ``from . import config; config.X`` is a module's value
            definition = self.imported(lang, expr.imported)
            if definition is not None:
                return [definition]
        ref = expr.ref or ""
        if ref.startswith(SETTINGS) and not ref.endswith(":?") and expr.fallback_span is None:
            found = self.setting(lang, ref[len(SETTINGS):])
            return found or None
        return None


# -- CORS policies completed from travelled settings -------------------------------------------------
def travelled_policies(project) -> list[CorsPolicy]:
    """The project's CORS policies, each completed from the settings its library reads where the code
    leaves an option out (``CorsPolicy.reads_settings``): Flask-CORS's ``cors.init_app(app)`` takes
    ``CORS_SUPPORTS_CREDENTIALS`` / ``CORS_ORIGINS`` from ``app.config``, which a class loaded by
    ``from_object`` in another module writes. Rules read these instead of the bare facts."""
    policies = list(project.facts(CorsPolicy))
    if not any(policy.reads_settings for policy in policies):
        return policies
    travel = Travel.of(project)
    return [complete(policy, travel) if policy.reads_settings and travel else policy for policy in policies]


def complete(policy: CorsPolicy, travel: Travel) -> CorsPolicy:
    """``policy`` with the settings the project writes for its unwritten options; itself when none.
    Travelled origins move the policy to where they are written (its entries are spans of that file,
    and a finding is fixed there); travelled credentials leave it where the policy is made."""
    written = {field: _literal(travel, policy.lang, name) for field, name in policy.reads_settings.items()}
    origins, credentials = written.get("origins"), written.get("credentials")
    if origins is None and credentials is None:
        return policy
    completed = replace(policy, reads_settings={})
    if credentials is not None:
        completed.credentials = credentials.expr
    if origins is not None:
        completed.source, completed.span = origins.source, origins.expr.span
        completed.origins = origins.expr
        completed.options = replace(policy.options, items={}, span=None, insert_at=None)
    settled = settle(completed)
    settled.allowed.decided_elsewhere = origins is None and policy.allowed.decided_elsewhere
    return settled


def _literal(travel: Travel, lang: str, name: str) -> Definition | None:
    """The one value the project writes for setting ``name``, when it is a literal; None when it
    writes none, several (which one runs is not known), or one built at run time."""
    found = travel.setting(lang, name)
    if len(found) != 1 or not found[0].expr.known:
        return None
    return found[0]


# -- lenders: which not-yet-checked modules following a value needs ----------------------------------
def lender_modules(project, roots: Iterable[tuple[Expr | None, Fact]]) -> frozenset[tuple[str, str]] | str | None:
    """What ``Rule.lenders_wanted`` answers for rules that follow ``roots`` (a key expression and
    the fact it is read at): the (family, module) names of the modules those values are read from
    that the project has not joined yet, through the re-exports of the ones it has; ``ALL_LENDERS``
    when a value is read from the project's settings (whoever writes them is not named by an
    import); None when nothing is read from another module.

    A module name is wanted with every dotted prefix (``pkg.config.JWT_SECRET`` may be the value
    ``JWT_SECRET`` of ``pkg.config`` or a module of its own): a few modules too many are cheap, one
    too few is a missed finding."""
    from authlint.rule import ALL_LENDERS

    travel = Travel.of(project)
    wanted: set[tuple[str, str]] = set()
    pending = [(expr, at.lang) for expr, at in roots if expr is not None and not expr.known]
    seen: set[tuple[str, str]] = set()
    while pending:
        expr, lang = pending.pop()
        ref = expr.ref or ""
        if ref.startswith(SETTINGS) and not ref.endswith(":?") and expr.fallback_span is None:
            return ALL_LENDERS
        if not expr.imported or (family(lang), expr.imported) in seen or len(seen) > 512:
            continue
        seen.add((family(lang), expr.imported))
        wanted.update(_module_keys(lang, expr.imported))
        for fact, name in travel._split(lang, expr.imported):
            found = travel._value(fact, name)
            if found is not None:
                pending.append((found[1], lang))
    return frozenset(wanted) or None


def _module_keys(lang: str, dotted: str) -> Iterator[tuple[str, str]]:
    """The module names an imported value may live in: JS ``src/config:ENV.X`` -> ``src/config``;
    Python ``pkg.config.X`` -> ``pkg``, ``pkg.config``, ``pkg.config.X``."""
    fam = family(lang)
    if fam != "python":
        yield fam, dotted.partition(":")[0]
        return
    parts = dotted.split(".")
    for cut in range(1, len(parts) + 1):
        yield fam, ".".join(parts[:cut])


def lends_to(kind: str, relpath: str, wanted: frozenset[tuple[str, str]]) -> bool:
    """Whether the file ``relpath`` of ``kind`` is one of the modules ``wanted`` names (Python also
    by a dotted suffix: a package under ``src/`` is imported without that folder)."""
    if kind == "python":
        from authlint.facts.python.jwt_keys import module_path

        parts = module_path(relpath).split(".")
        return any(("python", ".".join(parts[i:])) in wanted for i in range(len(parts)))
    from authlint.facts.javascript.modules import module_name

    return ("javascript", module_name(relpath)) in wanted
