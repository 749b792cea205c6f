"""Code actions: a ``quickfix`` for each finding with a fix, and ``source.fixAll.authlint``.

A quick fix is the rule's own fix, sent as the engine's edits (``convert.workspace_edit``); an
unsafe one says so in its title, as ``authlint check`` labels it. Fix all runs ``authlint fix``'s
loop (``fix.fix_contexts``: safe fixes, re-checked until stable, a fix that breaks parsing
dropped) over the document and the files its fixes edit, the rest of the project lending its
facts, and sends each changed file as one edit cut to what changed.
"""

from __future__ import annotations

from lsprotocol import types

from authlint.diagnostics.diagnostic import Applicability, Diagnostic
from authlint.diagnostics.fix import applicable, fix_contexts
from authlint.diagnostics.mask import Masker, values_in
from authlint.files.source import Span
from authlint.server.convert import diff_edits, fix_title, to_lsp, uri_of, workspace_edit
from authlint.server.project import ProjectModel

FIX_ALL = "source.fixAll.authlint"
LABELS = {Applicability.SAFE: "", Applicability.UNSAFE: " (unsafe fix)"}


def overlaps(span: Span, start: int, end: int) -> bool:
    """Whether a finding's span touches the requested range (an empty range: the cursor)."""
    return span.start <= end and start <= span.end


def quick_fixes(project: ProjectModel, diagnostics: list[Diagnostic]) -> list[types.CodeAction]:
    """One action per finding whose fix can be applied (safe, or unsafe and labelled so)."""
    root = project.settings.root
    actions = []
    for diag in diagnostics:
        fix = diag.fix
        if fix is None or not applicable(fix, unsafe=True):
            continue
        edit = workspace_edit(diag, fix, root)
        if edit is None:
            continue
        actions.append(types.CodeAction(
            title=f"{diag.code}: {fix_title(fix)}{LABELS[fix.applicability]}",
            kind=types.CodeActionKind.QuickFix,
            diagnostics=[to_lsp(diag, root)],
            is_preferred=fix.applicability is Applicability.SAFE,
            edit=edit,
        ))
    return actions


def fix_all(project: ProjectModel, relpath: str) -> types.CodeAction | None:
    """The safe fixes of the document's findings, applied as ``authlint fix --apply`` would."""
    assert project.linter is not None
    contexts = project.contexts()
    if relpath not in contexts:
        return None
    targets = {relpath}
    for diag in project.results().get(relpath, []):
        if applicable(diag.fix, unsafe=False):
            targets |= set(diag.fix.by_file(relpath))  # type: ignore[union-attr]
    if not any(applicable(d.fix, unsafe=False) for d in project.results().get(relpath, [])):
        return None
    targets &= set(contexts)
    lenders = [entry.member for r, entry in project.entries.items() if r not in targets and entry.member is not None]
    result = fix_contexts(project.linter, [contexts[r] for r in sorted(targets)], unsafe=False, context=lenders)
    root = project.settings.root
    changes: dict[str, list[types.TextEdit]] = {}
    for changed, ctx in result.changed.items():
        before = contexts[changed].source
        edits = diff_edits(before, ctx.source.text)
        values = Masker.of(before).values() + Masker.of(ctx.source).values()
        if any(values_in(edit.new_text, values) for edit in edits):
            return None  # never send a secret's value (see ``convert``)
        if edits:
            changes[uri_of(root, changed)] = edits
    if not changes:
        return None
    return types.CodeAction(title="authlint: fix all safe fixes", kind=FIX_ALL,
                            edit=types.WorkspaceEdit(changes=changes))
