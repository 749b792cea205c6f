"""The check pipeline: load -> classify -> prefilter -> parse -> facts -> rules -> suppress.

``Linter`` is built once per run from settings; ``load`` turns a path into a FileContext (or an
E001/E002 diagnostic), ``check`` runs file rules on each context and project rules on the set.
"""

from __future__ import annotations

import codecs
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

from authlint.config.selection import matches_any, select_rules
from authlint.config.settings import Settings
from authlint.diagnostics.diagnostic import Diagnostic, Severity
from authlint.diagnostics.suppress import has_directives, scan
from authlint.errors import AuthlintError
from authlint.files.classify import NGINX_FOLDERS, classify, kind_by_name, needs_sniff
from authlint.files.kinds import NATSCONF, NGINX, TEXT, YAML
from authlint.files.prefilter import Prefilter
from authlint.files.source import DecodeError, Source, Span
from authlint.files.textfiles import binary, text_name
from authlint.rule import Rule, Violation
from authlint.rules.engine.e001_unparsable_file import CannotDecode, CannotParse, UnparsableFile
from authlint.rules.engine.e002_unreadable_file import CannotRead, NotFound, OverSizeCap, UnreadableFile
from authlint.run.context import FileContext, Project
from authlint.run.embedded import EMBEDDING_KINDS, check_embedded, may_embed
from authlint.run.embedded_nginx import guard_project_fixes, may_embed_nginx
from authlint.syntax.errors import ParseError

UNPARSABLE = "E001"
UNREADABLE = "E002"
UNUSED_SUPPRESSION = "E003"
ALWAYS_PARSE = frozenset({NATSCONF})  # parse errors here are worth reporting even without triggers
# Kinds whose files can include others: their facts name what they include, so the project phase
# knows which files are fragments (see ``Diagnostic.unless_included``) without reading the disk.
INCLUDING_KINDS = frozenset({NATSCONF})


@dataclass(frozen=True)
class Deferred:
    """What ``Linter.load`` returns for a code file no rule reports on, which may lend facts to
    project rules (``Rule.lend_triggers``) none of which has asked for it: the run comes back to it
    when one does (``run.runner``). Its words are searched only for the rules that ask, so on most
    runs most such files are never searched twice, and never parsed."""

    lends: frozenset[str] = frozenset()  # the rules it lends to, of those searched for
    checked: frozenset[str] = frozenset()  # the rules whose lend words were searched for


@dataclass
class CheckResult:
    diagnostics: list[Diagnostic] = field(default_factory=list)
    files_checked: int = 0
    errors: list[str] = field(default_factory=list)  # internal errors (exit 2)


class Linter:
    def __init__(self, settings: Settings, rules: list[Rule] | None = None) -> None:
        self.settings = settings
        self.rules = rules if rules is not None else select_rules(settings)
        self.file_rules = [r for r in self.rules if not r.project_rule and r.code not in ENGINE_CODES]
        self.project_rules = [r for r in self.rules if r.project_rule]
        self.prefilter = Prefilter(r for r in self.rules if r.code not in ENGINE_CODES)
        self.enabled_codes = {r.code for r in self.rules}
        self._kinds = self.prefilter.kinds()
        self._reads_text = TEXT in self._kinds  # some selected rule searches plain text files (NAT009)
        # code -> what that project rule asked to borrow (``Rule.lenders_wanted``): files lending to
        # it are loaded when they match; empty until the runner has asked (a run in memory, over
        # contexts already made, joins every file anyway)
        self.lending: dict[str, object] = {}
        # set while the runner checks files it set aside (``Deferred``): no rule reports on them, so
        # their load skips the trigger search it already did (a pass per word over each file)
        self.loading_deferred = False
        # files read this run that hold suppression comments (``register_suppressions``), judged
        # for E003 with the diagnostics' own files; cross-file rules' codes are judged only when
        # the run read a whole folder (``judge_cross_file``), not files named one by one
        self.suppression_sources: dict[str, Source] = {}
        self.judge_cross_file = True
        self._judges_suppressions = UNUSED_SUPPRESSION in self.enabled_codes
        # the kinds whose facts the project phase reads: project rules' kinds, and the including
        # kinds some selected rule inspects (their include facts decide which files are fragments)
        self._project_kinds = frozenset(k for r in self.project_rules for k in r.kinds) | (
            INCLUDING_KINDS & frozenset(k for r in self.rules for k in r.kinds)
        )
        # YAML files embed nats-server configs (ConfigMaps, Secrets, Helm values): read for the NATS rules
        if NATSCONF in self._kinds:
            self._kinds.add(YAML)
        if NATSCONF in self._project_kinds:
            self._project_kinds |= EMBEDDING_KINDS
        # ... and nginx configuration (ConfigMap keys, ingress snippets): lint/run/embedded_nginx.py
        if NGINX in self._kinds:
            self._kinds.add(YAML)
        if NGINX in self._project_kinds:
            self._project_kinds |= EMBEDDING_KINDS

    # -- loading ---------------------------------------------------------------------------
    def wants_name(self, name: str) -> bool:
        """Whether a file with this name can be of a kind some selected rule reads (no I/O).

        Discovery asks this first, so the ``.po``, ``.map`` and image files of a repository are
        never stat'ed, read or cached.
        """
        kind = kind_by_name(name)
        if kind is None:
            return needs_sniff(name) or self._reads_text and text_name(name)
        return kind in self._kinds or kind in ALWAYS_PARSE

    def over_size_cap(self, name: str, size: int) -> bool:
        """Whether ``load`` would refuse a file of this name and size for ``max-file-size`` (without
        reading it). The runner asks first: a walked file this large is counted as skipped, and only
        a file named on the command line becomes an E002 finding."""
        if size <= self.settings.max_file_size:
            return False
        return (
            classify(name, None) is not None
            or name.lower().endswith((".conf", ".cfg", ".nats"))
            or self._reads_text and text_name(name)  # a large text file (a log, a data dump) is not searched
        )

    def load(self, path: Path, relpath: str) -> FileContext | Diagnostic | Deferred | None:
        """Read and classify one file; None when it is not a kind any selected rule inspects,
        ``Deferred`` when it only lends to project rules that have not asked for it."""
        name = path.name
        try:
            kind = classify(name, None)
            text = kind is None and self._reads_text and text_name(name)  # may be plain text (``TEXT``)
            if kind is None and not needs_sniff(name) and not text and path.parent.name.lower() not in NGINX_FOLDERS:
                return None
            size = path.stat().st_size
            if size > self.settings.max_file_size:
                return self.engine_diagnostic(
                    Source.from_text("", relpath), OverSizeCap(size, self.settings.max_file_size), Severity.WARNING
                )
            raw = path.read_bytes()
        except OSError as exc:
            reason = exc.strerror or exc.__class__.__name__
            return self.engine_diagnostic(Source.from_text("", relpath), CannotRead(reason))
        return self.load_bytes(path, relpath, raw, bool(text))

    def load_bytes(
        self, path: Path, relpath: str, raw: bytes, text: bool | None = None
    ) -> FileContext | Diagnostic | Deferred | None:
        """``load`` of bytes already in hand: a file's, or an editor's unsaved buffer (the language
        server checks what the user sees, not the disk). ``text``: whether the name may be a plain
        text file some selected rule searches (None: decided here from the name)."""
        name = path.name
        if text is None:
            text = classify(name, None) is None and self._reads_text and text_name(name)
        if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            probe = raw.decode("utf-16", errors="replace").encode("utf-8")
        else:
            probe = raw
        kind = classify(name, probe, path.parent.name)
        if kind is None:
            if not text or binary(probe):
                return None
            kind = TEXT
        lends: frozenset[str] = frozenset()
        lower = probe.lower() if self.prefilter.needs_lower(kind) else b""  # TEXT: one raw regex, no lowering
        if self.loading_deferred or (
            not self.prefilter.wants(kind, probe, lower)
            and kind not in ALWAYS_PARSE
            and not (kind in EMBEDDING_KINDS and self._embeds(kind, lower or probe.lower()))
            and not (self._judges_suppressions and b"authlint:" in probe)  # E003 reads its comments
        ):
            if kind not in self.prefilter.lend_kinds:
                return None
            asking = self.asking(kind, relpath)
            searched = asking | self.prefilter.eager[kind]
            lends = self.prefilter.lends(kind, lower, searched)
            if not lends & asking:
                return Deferred(lends, searched)
        try:
            source = Source.from_bytes(path, relpath, raw, kind)
        except DecodeError as exc:
            if kind == TEXT:
                return None  # searched on the chance of a seed, not a file the user asked to have read
            return self.engine_diagnostic(Source.from_text("", relpath, kind), CannotDecode(str(exc)))
        return FileContext(source, self.settings, lends=lends)

    def asking(self, kind: str, relpath: str) -> frozenset[str]:
        """The rules that asked for this file if it lends to them (``lending``): those asking for
        every lender, and those asking for the module it is."""
        from authlint.rule import ALL_LENDERS

        found = set()
        for code, wanted in self.lending.items():
            if wanted == ALL_LENDERS:
                found.add(code)
            elif isinstance(wanted, frozenset):
                from authlint.facts.travel import lends_to

                if lends_to(kind, relpath, wanted):
                    found.add(code)
        return frozenset(found)

    def engine_diagnostic(
        self, source: Source, violation: Violation, severity: Severity | None = None, offset: int = 0
    ) -> Diagnostic:
        """An E001/E002 finding (the violation's module says which) from the offset to the end of its line."""
        offset = min(offset, len(source.text))
        end = offset
        if source.text:
            line, _ = source.position(offset)
            end = max(offset, source.line_starts[line - 1] + len(source.line_text(line)))
        rule = _ENGINE_RULES[type(violation)]
        return rule.report(source, Span(offset, end), violation, severity=severity)

    # -- checking --------------------------------------------------------------------------
    def check(
        self, contexts: Iterable[FileContext], extra: Iterable[Diagnostic] = (), context: Iterable[FileContext] = ()
    ) -> CheckResult:
        """Every file through ``check_one``, then the project phase over the files that joined it.

        ``context``: files that only lend their facts to the project phase (see ``files.includers``):
        checked the same way, never counted or reported, their internal errors left out too.
        """
        result = CheckResult()
        found: list[Diagnostic] = list(extra)
        joined: list[FileContext] = []
        for ctx in contexts:
            result.files_checked += 1
            self.register_suppressions(ctx.source)
            diagnostics, member = self.check_one(ctx, result)
            found.extend(diagnostics)
            if member is not None:
                joined.append(member)
        hidden: set[str] = set()
        for ctx in context:
            hidden.add(ctx.source.relpath)
            _, member = self.check_one(ctx, CheckResult())
            if member is not None:
                joined.append(member)
        result.diagnostics = self.finish(found, joined, result, frozenset(hidden))
        return result

    def check_one(self, ctx: FileContext, result: CheckResult) -> tuple[list[Diagnostic], FileContext | None]:
        """The per-file work of every path (in-memory check, pool worker, cache fill, fallback):
        file rules on ``ctx``, and ``ctx`` itself when it brings facts to the project phase."""
        diagnostics = self.check_file(ctx, result)
        member = ctx if self.joins_project(ctx, result) else None
        if diagnostics or member is not None:  # it will be shown or joined: know its secrets
            self.find_secrets(ctx, result)
        return diagnostics, member

    def find_secrets(self, ctx: FileContext, result: CheckResult) -> None:
        """``ctx.source.secret_spans``; a finder crash falls back to the pattern set (and is an
        internal error of this file, like a rule's), never to showing the file unmasked."""
        from authlint.facts.secrets import pattern_set, secret_spans

        try:
            ctx.source.secret_spans = secret_spans(ctx)
        except AuthlintError:
            raise
        except Exception as exc:
            result.errors.append(f"secret finder crashed on {ctx.source.relpath}: {_one_line(exc)}")
            if os.environ.get("AUTHLINT_DEBUG"):
                raise
            ctx.source.secret_spans = pattern_set(ctx.source.text)

    def joins_project(self, ctx: FileContext, result: CheckResult) -> bool:
        """Whether the project phase needs this file's facts: the one place that decides it.

        True when the file is of a kind the project phase reads (a project rule's, or an including
        kind), it parses, and it has facts (a file without any adds nothing to join, so neither the
        pool nor the cache carries it). Extracts the facts as a side effect, which is what the
        caller wants next. An extractor crash is an internal error of this file, like a rule's.
        """
        if ctx.kind not in self._project_kinds:
            return False
        try:
            return bool(ctx.facts.items)
        except ParseError:
            return False
        except AuthlintError:
            raise
        except Exception as exc:  # an extractor bug must not hide every other finding
            result.errors.append(f"fact extraction crashed on {ctx.source.relpath}: {_one_line(exc)}")
            if os.environ.get("AUTHLINT_DEBUG"):
                raise
            return False

    def finish(
        self, found: list[Diagnostic], joined: list[FileContext], result: CheckResult, hidden: frozenset[str] = frozenset()
    ) -> list[Diagnostic]:
        """The project phase and the final list: project rules over the joined files, fragments'
        stand-alone findings dropped, findings on context files (``hidden``) dropped, then ``finalize``."""
        project = Project(joined, self.settings)
        found = found + self.check_project(project, result)
        included = project.included_relpaths()
        if included:
            found = [d for d in found if not (d.unless_included and d.path in included)]
        if hidden:
            found = [d for d in found if d.path not in hidden]
        return self.finalize(found, hidden)

    def wanted_lenders(self, project: Project, codes: Iterable[str]) -> dict[str, object]:
        """What each project rule of ``codes`` asks to borrow, judged on ``project`` (the files
        checked so far): ``Rule.lenders_wanted``; a rule that crashes asking gets every lender (its
        crash is reported when the project phase runs it)."""
        from authlint.rule import ALL_LENDERS

        asked: dict[str, object] = {}
        for rule in self.project_rules:
            if rule.code not in codes or not rule.lend_triggers or self.lending.get(rule.code) == ALL_LENDERS:
                continue  # (a rule that asked for every lender keeps them: no need to run it again)
            try:
                wanted = rule.lenders_wanted(project)
            except AuthlintError:
                raise
            except Exception:
                if os.environ.get("AUTHLINT_DEBUG"):
                    raise
                wanted = ALL_LENDERS
            if wanted is not None:
                asked[rule.code] = wanted
        return asked

    def borrow(self, asked: dict[str, object]) -> None:
        """Add ``asked`` to ``lending`` (a rule asking for every lender keeps asking so)."""
        from authlint.rule import ALL_LENDERS

        for code, wanted in asked.items():
            before = self.lending.get(code)
            if before != ALL_LENDERS:
                self.lending[code] = wanted if wanted == ALL_LENDERS or before is None else before | wanted  # type: ignore[operator]

    def check_project(self, project: Project, result: CheckResult, rules: Iterable[Rule] | None = None) -> list[Diagnostic]:
        """Project rules (``rules``: those of them; default all) over the files whose facts they may join."""
        found: list[Diagnostic] = []
        for rule in self.project_rules if rules is None else rules:
            found.extend(self._run(rule, lambda r=rule: r.check_project(project), "<project>", result,
                                   [ctx.source for ctx in project.files]))
        return guard_project_fixes(project, found)  # nginx in YAML edited as such only in literal blocks

    def _embeds(self, kind: str, lower: bytes) -> bool:
        """Whether a file of this kind (its bytes lowered) may embed a nats-server config the NATS
        rules read, or nginx configuration the nginx rules read (lint/run/embedded_nginx.py)."""
        return (NATSCONF in self._kinds and may_embed(kind, lower)) or (
            NGINX in self._kinds and may_embed_nginx(kind, lower))

    def check_file(self, ctx: FileContext, result: CheckResult) -> list[Diagnostic]:
        raw = ctx.source.scan_bytes
        lower = raw.lower()  # once, for the triggers and the embedded configs alike
        found = self._check_own(ctx, result, raw, lower)
        if ctx.kind in EMBEDDING_KINDS and self._embeds(ctx.kind, lower):
            found.extend(check_embedded(self, ctx, result))  # configs inside it: lint/run/embedded.py
        return found

    def _check_own(self, ctx: FileContext, result: CheckResult, raw: bytes, lower: bytes) -> list[Diagnostic]:
        rules = [r for r in self.file_rules if ctx.kind in r.kinds and self.prefilter.matches(r, ctx.kind, lower, raw)]
        if not rules and ctx.kind not in ALWAYS_PARSE and not self._project_reads(ctx, lower, raw):
            return []
        try:
            _ = ctx.tree  # parse now: a ParseError surfaces here
        except ParseError as exc:
            if exc.foreign:  # only its content made it look like this format: not ours after all,
                # but still a committed text file: the rules that read any text (NAT009's seeds) read
                # it as they would had it never looked like the format
                rules = [r for r in rules if TEXT in r.kinds]
            else:
                return [self.engine_diagnostic(ctx.source, CannotParse(exc.message), offset=exc.offset)]
        found: list[Diagnostic] = []
        for rule in rules:
            found.extend(self._run(rule, lambda r=rule: r.check(ctx), ctx.source.relpath, result, ctx))
        return found

    def _project_reads(self, ctx: FileContext, lower: bytes, raw: bytes | None = None) -> bool:
        """Whether a project rule reads this file: it is parsed then too, so a file that does not
        parse is reported (E001) even when only project rules look at its kind (or borrow it)."""
        return bool(ctx.lends) or any(
            ctx.kind in r.kinds and self.prefilter.matches(r, ctx.kind, lower, raw) for r in self.project_rules
        )

    def _run(
        self, rule: Rule, call, where: str, result: CheckResult, read: FileContext | list[Source] | None = None
    ) -> list[Diagnostic]:
        """``call()``'s findings; a crash is an error line naming the rule and ``where``, its text
        masked by the secrets of what the rule ``read`` (an exception may quote a file's value)."""
        try:
            return list(call())
        except ParseError:
            return []
        except AuthlintError:  # authlint itself is broken (an extractor that does not import): end the run
            raise
        except Exception as exc:  # a rule bug must not hide every other finding
            result.errors.append(f"{rule.code} crashed on {where}: {self._masked(_one_line(exc), read, result)}")
            if os.environ.get("AUTHLINT_DEBUG"):
                raise
            return []

    def _masked(self, text: str, read: FileContext | list[Source] | None, result: CheckResult) -> str:
        """``text`` with the secret values of the files a rule read masked (and the pattern set)."""
        from authlint.diagnostics.mask import Masker, mask_new_text

        if isinstance(read, FileContext):
            if read.source.secret_spans is None:
                self.find_secrets(read, result)
            read = [read.source]
        values = [value for source in read or () for value in Masker.of(source).values()]
        return mask_new_text(text, values)

    def register_suppressions(self, source: Source) -> None:
        """A file read this run whose suppression comments E003 judges (it may have no finding)."""
        if UNUSED_SUPPRESSION in self.enabled_codes and has_directives(source.text):
            self.suppression_sources.setdefault(source.relpath, source)

    def finalize(self, diagnostics: list[Diagnostic], hidden: frozenset[str] = frozenset()) -> list[Diagnostic]:
        """Drop disabled codes, per-file ignores and suppressed lines; sort and de-duplicate; then
        the suppressions that covered nothing (E003)."""
        kept: dict[tuple, Diagnostic] = {}
        cache: dict[int, object] = {}
        used: dict[tuple[str, int], set[str]] = {}
        sources: dict[str, Source] = {}
        for diag in diagnostics:
            if diag.code not in self.enabled_codes:
                continue
            if self._ignored_for_file(diag):
                continue
            key = id(diag.source)
            if key not in cache:
                cache[key] = scan(diag.source)
                if diag.source.text:
                    sources.setdefault(diag.path, diag.source)
            covering = cache[key].covering(diag)  # type: ignore[attr-defined]
            if covering:
                for directive, names in covering:
                    used.setdefault((diag.path, directive.span.start), set()).update(names)
                continue
            kept.setdefault((diag.path, diag.span, diag.code, diag.message), diag)
        if UNUSED_SUPPRESSION in self.enabled_codes:
            for relpath, source in self.suppression_sources.items():
                sources.setdefault(relpath, source)
            self.suppression_sources = {}  # this run's: a fix's re-check registers the new texts
            judged = [source for relpath, source in sorted(sources.items()) if relpath not in hidden]
            for diag in self._unused_suppressions(judged, used):
                if not self._ignored_for_file(diag):
                    kept.setdefault((diag.path, diag.span, diag.code, diag.message), diag)
        return sorted(kept.values(), key=Diagnostic.sort_key)

    def _unused_suppressions(self, sources: list[Source], used: dict[tuple[str, int], set[str]]) -> list[Diagnostic]:
        from authlint.diagnostics.unused import unused_directives
        from authlint.rules import registry
        from authlint.rules.engine.e003_unused_suppression import (
            UnknownSuppressionCode,
            UnusedSuppression,
            UnusedSuppressionRule,
        )

        every = registry()
        cross_file = {code for code, rule in every.items() if rule.project_rule}
        rule = UnusedSuppressionRule()

        def named(entry: str) -> set[str]:
            return {code for code in every if entry == "*" or code.startswith(entry)}

        def judged(entry: str) -> bool:
            codes = named(entry) - {UNUSED_SUPPRESSION}
            if not codes <= self.enabled_codes:
                return False  # a rule left out of this run may have had a finding there
            return self.judge_cross_file or not codes & cross_file

        def report(source, span, kind, written, codes, fix):
            violation = (UnknownSuppressionCode if kind == "unknown" else UnusedSuppression)(written, codes)
            return rule.report(source, span, violation, fix=fix)

        return unused_directives(sources, used, lambda entry: bool(named(entry)), judged, report)

    def _ignored_for_file(self, diag: Diagnostic) -> bool:
        for pattern, codes in self.settings.per_file_ignores.items():
            if matches_any(diag.path, (pattern,)) and any(diag.code.startswith(c) or c == "ALL" for c in codes):
                return True
        return False


ENGINE_CODES = frozenset({UNPARSABLE, UNREADABLE, UNUSED_SUPPRESSION})
# which engine rule reports each kind of load or parse failure
_ENGINE_RULES: dict[type[Violation], Rule] = {
    **dict.fromkeys((CannotParse, CannotDecode), UnparsableFile()),
    **dict.fromkeys((CannotRead, NotFound, OverSizeCap), UnreadableFile()),
}


def _one_line(exc: BaseException) -> str:
    import traceback

    return "".join(traceback.format_exception_only(type(exc), exc)).strip()
