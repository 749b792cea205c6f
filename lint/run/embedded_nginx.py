"""The nginx rules on nginx configuration embedded in YAML files (``lint/syntax/embedded_nginx.py``).

As for the NATS configs of ``lint/run/embedded.py``: each embedded config or snippet is checked as
an ``nginx`` file of its own (a ``FileContext`` whose source is an ``EmbeddedSource``) by the file
rules that read nginx, and what they report is moved into the YAML file (``into_host``): spans at
the file's own characters, fixes re-indented into a literal block scalar and applied as the rule
classed them, display-only elsewhere (folded, quoted, base64). A location snippet's fix that
inserts a directive is display-only too: the controller's template writes its own directives in
that location, and nginx refuses a location that holds one twice.
"""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING

from authlint.diagnostics.diagnostic import Applicability, Diagnostic, Fix
from authlint.files.kinds import NGINX, YAML
from authlint.syntax.embedded import EmbeddedSource
from authlint.syntax.errors import ParseError

if TYPE_CHECKING:
    from authlint.run.context import FileContext, Project
    from authlint.run.engine import CheckResult, Linter
    from authlint.syntax.embedded_nginx import NginxFound

# bytes a YAML file holds when it may embed nginx configuration (cheap, before parsing it)
HINTS = (b"nginx", b".conf", b"-snippet")
_CACHE = "_embedded_nginx"
_FOUND = "_embedded_nginx_found"


def may_embed_nginx(kind: str, lower: bytes) -> bool:
    return kind == YAML and any(hint in lower for hint in HINTS)


def nginx_contexts(ctx: FileContext) -> list[FileContext]:
    """The nginx configs and snippets a YAML file embeds, each as an ``nginx`` FileContext whose
    tree is already read (a ParseError kept as its tree); computed once per file."""
    cached = ctx.__dict__.get(_CACHE)
    if cached is not None:
        return cached
    found: list[FileContext] = []
    if ctx.kind == YAML and may_embed_nginx(ctx.kind, ctx.source.scan_bytes.lower()):
        from authlint.run.context import FileContext as Context
        from authlint.syntax.embedded import embedded_source
        from authlint.syntax.embedded_nginx import find_nginx, parse_embedded

        try:
            documents = ctx.tree or []
        except ParseError:
            documents = []
        for item in find_nginx(documents):
            source = embedded_source(ctx.source, item)
            child = Context(source, ctx.settings)
            try:
                child._tree = parse_embedded(source, item)
            except ParseError as exc:
                child._tree = exc
            except RecursionError:
                child._tree = ParseError("config nested too deeply", 0)
            child.__dict__[_FOUND] = item
            if item.template and not isinstance(child._tree, ParseError):
                _mark_template(child)
            found.append(child)
    ctx.__dict__[_CACHE] = found
    return found


def _mark_template(child: FileContext) -> None:
    """The directives the controller's template writes (empty spans, nowhere in the file) named
    as written in ``TEMPLATE``, like a directive joined from another file."""
    from authlint.facts.extract import extract
    from authlint.facts.model import NginxProxy
    from authlint.syntax.embedded_nginx import TEMPLATE

    facts = extract(child)
    for fact in facts.items:
        if isinstance(fact, NginxProxy):
            for directives in fact.settings.values():
                for directive in directives:
                    if directive.span.start == directive.span.end and not directive.relpath:
                        directive.relpath = TEMPLATE
    child._facts = facts


def found_of(child: FileContext) -> NginxFound:
    """Where an embedded nginx context came from (its role: file, server or location body)."""
    return child.__dict__[_FOUND]


def check_embedded_nginx(linter: Linter, ctx: FileContext, result: CheckResult) -> list[Diagnostic]:
    """The nginx file rules' findings on every nginx config ``ctx`` embeds, placed in ``ctx``'s file."""
    from authlint.run.embedded import into_host, unparsable
    from authlint.syntax.embedded_nginx import LOCATION

    rules = [r for r in linter.file_rules if NGINX in r.kinds]
    if not rules and NGINX not in linter.prefilter.kinds():
        return []
    found: list[Diagnostic] = []
    seen: set[tuple] = set()
    for child in nginx_contexts(ctx):
        source = child.source
        assert isinstance(source, EmbeddedSource)
        try:
            _ = child.tree
        except ParseError as exc:
            if found_of(child).named_nginx:  # a `*.conf` key that only looked like nginx: not ours
                found.append(unparsable(source, exc))
            continue
        linter.find_secrets(child, result)
        location = found_of(child).role == LOCATION
        lower = source.text.lower().encode("utf-8", "surrogatepass")
        for rule in rules:
            if not linter.prefilter.matches(rule, NGINX, lower):
                continue
            for diag in linter._run(rule, lambda r=rule, c=child: r.check(c), ctx.source.relpath, result, child):
                moved = into_host(diag, source)
                if location:
                    moved = dataclasses.replace(moved, fix=_no_insertion(moved.fix))
                key = (moved.code, moved.span, moved.message)  # one snippet, rendered in several locations
                if key not in seen:
                    seen.add(key)
                    found.append(moved)
    return found


def _no_insertion(fix: Fix | None) -> Fix | None:
    """A location snippet's fix that adds text (an insertion) only shown: the template's own
    directives share that location."""
    if fix is None or fix.applicability == Applicability.DISPLAY_ONLY or not any(e.start == e.end for e in fix.edits):
        return fix
    return Fix.display_only(fix.title, *fix.edits, files=fix.files)


def guard_project_fixes(project: Project, found: list[Diagnostic]) -> list[Diagnostic]:
    """Project rules' fixes that edit nginx embedded in a YAML file where it cannot be edited as
    nginx text (a folded, quoted or base64 value; an insertion into a location snippet) made
    display-only, as the file rules' are (``into_host``). The rules built them on the YAML file's
    facts (``facts/yaml/nginx_embedded.py``), which know nothing of the scalar around them."""
    from authlint.files.source import Span
    from authlint.syntax.embedded_nginx import LOCATION

    edited = {edit.relpath or diag.source.relpath for diag in found if diag.fix is not None
              and diag.fix.applicability != Applicability.DISPLAY_ONLY for edit in diag.fix.edits}
    guarded: dict[str, list[tuple[Span, bool]]] = {}  # relpath -> (scalar, only insertions refused)
    for ctx in project.files:
        if ctx.kind != YAML or ctx.source.relpath not in edited:
            continue
        for child in nginx_contexts(ctx):
            item = found_of(child)
            fixable = child.source.fixable  # type: ignore[attr-defined]
            if not fixable or item.role == LOCATION:
                scalar = Span(item.node.start_mark.index, item.node.end_mark.index)
                guarded.setdefault(ctx.source.relpath, []).append((scalar, fixable))
    if not guarded:
        return found
    out = []
    for diag in found:
        fix = diag.fix
        if fix is not None and fix.applicability != Applicability.DISPLAY_ONLY:
            for edit in fix.edits:
                relpath = edit.relpath or diag.source.relpath
                for scalar, insertions_only in guarded.get(relpath, []):
                    inside = scalar.start <= edit.start and edit.end <= scalar.end
                    if inside and (not insertions_only or edit.start == edit.end):
                        fix = Fix.display_only(fix.title, *fix.edits, files=fix.files)
                        break
                if fix is not diag.fix:
                    break
        out.append(diag if fix is diag.fix else dataclasses.replace(diag, fix=fix))
    return out
