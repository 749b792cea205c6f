"""The rule contract: identity, documentation, options, examples, and the check hooks.

A rule module in ``rules/`` defines one ``Rule`` subclass. Its docstring is its documentation (the
sections "What it does", "Why is this bad?", "Example", "Fix safety"), its ``examples`` are its tests
(``tests/rules/test_examples.py`` runs every one), and its ``triggers`` feed the byte prefilter, so
a file without any trigger word is never parsed for it.
"""

from __future__ import annotations

import inspect
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Callable, ClassVar, Iterable

from authlint.diagnostics.diagnostic import Applicability, Diagnostic, Fix, FixAvailability, Severity
from authlint.diagnostics.mask import Quoted, mask_value, quote_text
from authlint.files.source import Span

if TYPE_CHECKING:
    from authlint.run.context import FileContext, Project

CODE_RE = re.compile(r"^[A-Z]{1,4}[0-9]{3}$")
NAME_RE = re.compile(r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$")
DOC_SECTIONS = ("## What it does", "## Why is this bad?", "## Example", "## Fix safety", "## References")


@dataclass(frozen=True)
class FixOffer:
    """One kind of fix a rule offers, with its class: what the README's fix table lists.

    ``applicability`` says whether ``fix --apply`` writes it (safe), only with ``--unsafe-fixes``
    (unsafe) or never (display-only); ``does`` says what it changes and, for unsafe and display-only
    fixes, why it is not safe. ``tests/rules/test_fix_offers.py`` holds the rule to it: every fix an
    example produces has a declared class, and every declared class is produced by an example.
    """

    applicability: Applicability
    does: str

    @classmethod
    def safe(cls, does: str) -> FixOffer:
        return cls(Applicability.SAFE, does)

    @classmethod
    def unsafe(cls, does: str) -> FixOffer:
        return cls(Applicability.UNSAFE, does)

    @classmethod
    def display_only(cls, does: str) -> FixOffer:
        return cls(Applicability.DISPLAY_ONLY, does)


@dataclass(frozen=True)
class RuleOption:
    """A per-rule setting, configured as ``[tool.authlint.rules.CODE] name = value``."""

    name: str
    default: Any
    help: str
    parse: Callable[[Any], Any] | None = None  # validates/converts a configured value; raises ValueError

    def convert(self, value: Any) -> Any:
        return self.parse(value) if self.parse else value


@dataclass(frozen=True)
class Example:
    """A snippet the rule must stay silent on (Valid) or report (Invalid).

    ``path`` decides the file kind (``server.py``, ``client.ts``, ``nats-server.conf``). For project
    rules, ``files`` adds the other files of the fixture project. ``fixed`` is the expected text of
    ``path`` after applying this rule's fixes (unsafe ones included, display-only never);
    ``count`` the exact number of diagnostics (None: at least one). ``fixed_files`` holds the
    expected texts of other ``files`` that the fix changes too (both sides of a client/server pair). ``settings`` overrides global
    settings (``allowed-origins``) and ``options`` this rule's options. ``span`` pins where the
    first finding (in report order) points.
    """

    code: str
    path: str = "example.py"
    fixed: str | None = None
    count: int | None = None
    files: dict[str, str] = field(default_factory=dict)
    options: dict[str, Any] = field(default_factory=dict)
    settings: dict[str, Any] = field(default_factory=dict)
    message: str | None = None  # a substring the first diagnostic's message must contain
    # where the first finding points: (line, column, end_line, end_column), 1-based, end exclusive,
    # as in the JSON report; pins carets so a refactor cannot move a finding unnoticed
    span: tuple[int, int, int, int] | None = None
    # the expected texts of other files of ``files`` after the fix (a fix of a client/server pair
    # edits both); a file not named here is not checked
    fixed_files: dict[str, str] = field(default_factory=dict)
    valid: ClassVar[bool]


@dataclass(frozen=True)
class Valid(Example):
    valid: ClassVar[bool] = True


@dataclass(frozen=True)
class Invalid(Example):
    valid: ClassVar[bool] = False


class Violation:
    """Typed message data of one finding, as ruff's ``Violation``: a rule declares a small class per
    kind of finding, with the facts the message needs as annotated fields, and ``message`` renders
    them. Messages are then made in one place per kind, and tests can assert on fields.

    Subclasses are plain annotated classes (``class Expired(Violation): key: str; days: int = 0``):
    the fields, positional and keyword arguments, defaults, equality, hashing, ``repr`` and
    immutability come from this base. Not ``@dataclass``: a hundred rule-local dataclasses cost
    ~1 ms each to build at import, on the path every pre-commit run takes.

    A field annotated ``Masked`` (``authlint.diagnostics.mask``) holds a secret value: whatever a
    rule passes there is masked when the violation is made, so a message names a secret only
    masked, and only through such a field. A field annotated ``Quoted`` holds text of a file
    (``mask.quote`` masks its secret spans; a plain string passed there goes through the pattern
    set): a mask in it also names a secret.
    """

    __slots__ = ()
    _fields: ClassVar[tuple[str, ...]] = ()
    _masked: ClassVar[frozenset[str]] = frozenset()
    _quoted: ClassVar[frozenset[str]] = frozenset()

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        annotations = cls.__dict__.get("__annotations__", {})
        own = [
            name for name, kind in annotations.items()
            if not str(kind).startswith(("ClassVar", "typing.ClassVar")) and name not in cls._fields
        ]
        cls._fields = (*cls._fields, *own)
        cls._masked = cls._masked | {name for name in own if str(annotations[name]).startswith("Masked")}
        cls._quoted = cls._quoted | {name for name in own if str(annotations[name]).startswith("Quoted")}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        fields = type(self)._fields
        if len(args) > len(fields):
            raise TypeError(f"{type(self).__name__} takes {len(fields)} fields, got {len(args)}")
        values = dict(zip(fields, args))
        for name, value in kwargs.items():
            if name not in fields or name in values:
                raise TypeError(f"{type(self).__name__}: unexpected or repeated field {name!r}")
            values[name] = value
        for name in fields:
            if name not in values:
                if not hasattr(type(self), name):
                    raise TypeError(f"{type(self).__name__}: missing field {name!r}")
                values[name] = getattr(type(self), name)
            if name in type(self)._masked and values[name] is not None:
                values[name] = mask_value(values[name])
            elif name in type(self)._quoted and isinstance(values[name], str) and not isinstance(values[name], Quoted):
                values[name] = quote_text(values[name])
            object.__setattr__(self, name, values[name])

    def names_secret(self) -> bool:
        """Whether the message names a secret (masked): the violation has a ``Masked`` field set."""
        values = [getattr(self, name) for name in type(self)._fields]
        return any(getattr(self, name) for name in type(self)._masked) or any(
            (isinstance(value, Violation) and value.names_secret()) or (isinstance(value, Quoted) and value.masks)
            for value in values
        )

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError(f"{type(self).__name__} is immutable")

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self) and all(getattr(self, f) == getattr(other, f) for f in self._fields)

    def __hash__(self) -> int:
        return hash((type(self), *(getattr(self, f) for f in self._fields)))

    def __repr__(self) -> str:
        return f"{type(self).__name__}({', '.join(f'{f}={getattr(self, f)!r}' for f in self._fields)})"

    def message(self) -> str:
        raise NotImplementedError


ALL_LENDERS = "all"  # ``lenders_wanted``: every file matching the rule's ``lend_triggers``
# None (no lender), ALL_LENDERS, or the (family, module) names of the modules wanted
Wanted = str | frozenset | None


class Rule:
    """Base class of every rule. Subclasses set the class attributes and override a check hook."""

    code: ClassVar[str]
    name: ClassVar[str]
    summary: ClassVar[str]
    kinds: ClassVar[frozenset[str]]  # file kinds this rule inspects
    triggers: ClassVar[tuple[str, ...]] = ()  # lowercase words a file must contain to be checked
    # per-kind replacements of ``triggers`` where one language needs a narrower word (``set_cookie``)
    kind_triggers: ClassVar[dict[str, tuple[str, ...]]] = {}
    # (project rules) words of files that only lend facts to this rule (a config module a key is
    # imported from, a file showing how clients authenticate): such a file is loaded only when
    # ``lenders_wanted`` asks for it after the other files were checked (``run.lending``)
    lend_triggers: ClassVar[tuple[str | tuple[str, ...], ...]] = ()  # a tuple: all its words
    # per kind, a regex over the file's raw (not lowered) bytes that also makes a file a candidate:
    # for shapes a lowered word cannot tell (an nkey seed ``SU...`` is upper case). A kind listed
    # here whose trigger words are empty is checked only when the pattern matches, never always.
    raw_triggers: ClassVar[dict[str, re.Pattern[bytes]]] = {}
    severity: ClassVar[Severity] = Severity.ERROR
    fix_availability: ClassVar[FixAvailability] = FixAvailability.NONE
    fix_offers: ClassVar[tuple[FixOffer, ...]] = ()  # each kind of fix and its class (README table)
    rule_options: ClassVar[tuple[RuleOption, ...]] = ()
    examples: ClassVar[tuple[Example, ...]] = ()
    project_rule: ClassVar[bool] = False  # True: check_project over the whole project model
    languages: ClassVar[str] = ""  # human list for the README, e.g. "Python, JS/TS"

    def __init__(self, options: dict[str, Any] | None = None) -> None:
        configured = options or {}
        known = {opt.name for opt in self.rule_options}
        unknown = sorted(set(configured) - known)
        if unknown:
            raise ValueError(f"{self.code}: unknown option(s) {', '.join(unknown)}")
        self.options = {
            opt.name: opt.convert(configured[opt.name]) if opt.name in configured else opt.default
            for opt in self.rule_options
        }

    @classmethod
    def triggers_for(cls, kind: str) -> tuple[str, ...]:
        return cls.kind_triggers.get(kind, cls.triggers)

    @classmethod
    def docs(cls) -> str:
        return inspect.getdoc(cls) or ""

    def check(self, ctx: FileContext) -> Iterable[Diagnostic]:
        """Diagnostics for one file (file rules)."""
        return ()

    def check_project(self, project: Project) -> Iterable[Diagnostic]:
        """Diagnostics across files (project rules)."""
        return ()

    def lenders_wanted(self, project: Project) -> Wanted:
        """Which files matching ``lend_triggers`` the project phase needs, judged on the files
        checked so far: ``ALL_LENDERS``, a set of module names ((family, module) pairs, see ``facts.travel.lender_modules``), or None.

        The default suits lenders that can only soften or complete a finding (evidence of a bearer
        token, a handler registered in another module): they are wanted when the rule has a
        finding without them. A rule whose lenders can *make* a finding overrides this."""
        return ALL_LENDERS if any(True for _ in self.check_project(project)) else None

    def report(
        self,
        ctx_or_source: Any,
        span: Span,
        violation: Violation,
        fix: Fix | None = None,
        severity: Severity | None = None,
        unless_included: bool = False,
    ) -> Diagnostic:
        """A diagnostic whose message is the violation's (a secret in it is masked: ``Masked``)."""
        return self.diagnostic(ctx_or_source, span, violation.message(), fix, severity, unless_included)

    def diagnostic(
        self,
        ctx_or_source: Any,
        span: Span,
        message: str,
        fix: Fix | None = None,
        severity: Severity | None = None,
        unless_included: bool = False,
    ) -> Diagnostic:
        """``unless_included``: the finding only holds for the file on its own (see Diagnostic)."""
        source = getattr(ctx_or_source, "source", ctx_or_source)
        return Diagnostic(
            code=self.code,
            message=message,
            source=source,
            span=span,
            severity=severity or self.severity,
            fix=fix,
            name=self.name,
            unless_included=unless_included,
        )
