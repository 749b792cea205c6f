"""The project phase of a resident project, run again only where a change may matter.

``authlint check`` runs every project rule once over every file with facts. In the server an edit
changes one file; running every project rule again over the whole project on each keystroke costs
what a check of the project costs (hundreds of milliseconds on a large repository). A project rule
reads what its prefilter lets in: the files of its kinds holding its trigger or lend words, and the
configs every NATS and nginx rule reads (``--select CODE`` loads no other file, and reports the
same). So a change runs again only the project rules the file may matter to, before or after the
edit; the others keep their findings. (``tests/server/test_phase.py`` holds this equal to a full
project phase, edit after edit.) The final step (suppressions, per-file ignores, order) is
``Linter.finalize``, per file (with the file's suppression comments, which E003 judges), redone
only for files whose findings or text changed.
"""

from __future__ import annotations

from typing import Iterable, Mapping, Protocol

from authlint.config.settings import Settings
from authlint.diagnostics.diagnostic import Diagnostic
from authlint.files.kinds import NATSCONF, NGINX
from authlint.files.source import Source
from authlint.rule import Rule
from authlint.run.context import FileContext, Project
from authlint.run.embedded import EMBEDDING_KINDS
from authlint.run.engine import ALWAYS_PARSE, CheckResult, Linter

EMBEDDED = frozenset({NATSCONF, NGINX})  # the kinds YAML may embed (``run.embedded``, ``run.embedded_nginx``)


class Kept(Protocol):
    """What the phase needs of a file's entry (``project.Entry``)."""

    own: list[Diagnostic]
    member: FileContext | None
    suppressions: Source | None  # the file, when it holds suppression comments (E003 judges them)


class ProjectPhase:
    def __init__(self, linter: Linter, settings: Settings) -> None:
        self.linter = linter
        self.settings = settings
        self.by_rule: dict[str, list[Diagnostic]] | None = None  # None: not run yet
        self.rule_errors: dict[str, list[str]] = {}
        self.dirty: set[str] = set()  # project rules to run again
        # relpath -> (inputs, the file with suppression comments, finalized)
        self.final: dict[str, tuple[list[Diagnostic], Source | None, list[Diagnostic]]] = {}
        self.errors: list[str] = []
        # id(member) -> (member, the project rules that read it): asked when it joins, and again
        # when an edit replaces it (a search of its text for every rule's words, done once)
        self._readers: dict[int, tuple[FileContext, frozenset[str]]] = {}

    def changed(self, member: FileContext | None) -> None:
        """A file with these facts left or joined the project (call for the old and the new)."""
        if member is None:
            return
        known = self._readers.pop(id(member), None)
        if known is not None and known[0] is member:  # it leaves: the rules it was read by
            self.dirty |= known[1]
            return
        raw = member.source.scan_bytes
        lower = raw.lower()  # once for every rule's words
        readers = frozenset(rule.code for rule in self.linter.project_rules if reads(self.linter, rule, member, raw, lower))
        self._readers[id(member)] = (member, readers)
        if self.by_rule is not None:
            self.dirty |= readers

    def results(self, entries: Mapping[str, Kept]) -> dict[str, list[Diagnostic]]:
        """Every file's findings: the file phase kept in ``entries`` and the project rules' own."""
        members = [entry.member for entry in entries.values() if entry.member is not None]
        project = Project(members, self.settings)
        rules: Iterable[Rule]
        if self.by_rule is None:
            self.by_rule, rules = {}, self.linter.project_rules
        else:
            rules = [rule for rule in self.linter.project_rules if rule.code in self.dirty]
        self.dirty = set()
        for rule in rules:
            result = CheckResult()
            self.by_rule[rule.code] = self.linter.check_project(project, result, [rule])
            self.rule_errors[rule.code] = result.errors
        self.errors = [error for errors in self.rule_errors.values() for error in errors]
        return self._finalized(entries, project.included_relpaths())

    def _finalized(self, entries: Mapping[str, Kept], included: frozenset[str]) -> dict[str, list[Diagnostic]]:
        assert self.by_rule is not None
        grouped: dict[str, list[Diagnostic]] = {}
        for entry in entries.values():
            for diag in entry.own:
                grouped.setdefault(diag.path, []).append(diag)
        for found in self.by_rule.values():
            for diag in found:
                grouped.setdefault(diag.path, []).append(diag)
        directives = {relpath: entry.suppressions for relpath, entry in entries.items() if entry.suppressions is not None}
        final: dict[str, tuple[list[Diagnostic], Source | None, list[Diagnostic]]] = {}
        out: dict[str, list[Diagnostic]] = {}
        for relpath in sorted(grouped.keys() | directives.keys()):
            inputs = grouped.get(relpath, [])
            if relpath in included:  # a fragment: checked where it is included (``Linter.finish``)
                inputs = [diag for diag in inputs if not diag.unless_included]
            source = directives.get(relpath)
            cached = self.final.get(relpath)
            if (cached is not None and cached[1] is source and len(cached[0]) == len(inputs)
                    and all(a is b for a, b in zip(cached[0], inputs))):
                kept = cached[2]
            else:
                if source is not None:  # its comments are judged with its findings (E003)
                    self.linter.register_suppressions(source)
                kept = self.linter.finalize(inputs)
            final[relpath] = (inputs, source, kept)
            if kept:
                out[relpath] = kept
        self.final = final
        return out


def reads(linter: Linter, rule: Rule, ctx: FileContext, raw: bytes | None = None, lower: bytes | None = None) -> bool:
    """Whether a project rule may read this file's facts: what ``--select CODE`` would join for it
    (``Linter``'s project kinds): files of its kinds holding its trigger or lend words, every NATS
    config when it reads NATS configs, and the YAML that may embed a NATS or nginx config."""
    kind = ctx.kind
    if kind in EMBEDDING_KINDS and rule.kinds & EMBEDDED:
        return True
    if kind not in rule.kinds:
        return False
    if kind in ALWAYS_PARSE or rule.code in ctx.lends:
        return True
    raw = ctx.source.scan_bytes if raw is None else raw
    lower = raw.lower() if lower is None else lower
    prefilter = linter.prefilter
    return prefilter.matches(rule, kind, lower, raw) or bool(prefilter.lends(kind, lower, frozenset({rule.code})))
