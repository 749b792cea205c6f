"""authlint findings and fixes as LSP types, with the same masking as every other report.

Messages go through ``report.base.safe_message`` (what the CLI prints); a related location's note
and a fix's title through the pattern set too. A fix is sent as the edits the engine itself makes
(``fix.apply_edits``), each cut to what it really changes, and never when one would carry a
secret value of the files it edits: an editor may log the protocol, and the values are masked in
every other output.
"""

from __future__ import annotations

from pathlib import Path

from lsprotocol import types
from pygls.uris import from_fs_path

from authlint.diagnostics.diagnostic import Diagnostic, Edit, Fix, Severity
from authlint.diagnostics.fix import apply_edits
from authlint.diagnostics.mask import Masker, scrub_patterns, values_in
from authlint.files.source import Source, Span
from authlint.report.base import DOCS_URL, safe_message
from authlint.server.positions import lsp_range

SOURCE = "authlint"
SEVERITIES = {
    Severity.ERROR: types.DiagnosticSeverity.Error,
    Severity.WARNING: types.DiagnosticSeverity.Warning,
    Severity.INFO: types.DiagnosticSeverity.Information,
}


def uri_of(root: Path, relpath: str) -> str:
    return from_fs_path(str(Path(root) / relpath)) or ""


def to_lsp(diag: Diagnostic, root: Path) -> types.Diagnostic:
    """One finding: where, how bad, which rule (linking its documentation), the CLI's message, and
    the other places it is about (a cross-file finding's other side)."""
    related = [
        types.DiagnosticRelatedInformation(
            location=types.Location(uri=uri_of(root, source.relpath), range=lsp_range(source, span)),
            message=scrub_patterns(note),
        )
        for source, span, note in diag.related
    ]
    return types.Diagnostic(
        range=lsp_range(diag.source, diag.span),
        message=safe_message(diag),
        severity=SEVERITIES[diag.severity],
        code=diag.code,
        code_description=types.CodeDescription(href=DOCS_URL),
        source=SOURCE,
        related_information=related or None,
    )


def text_edits(source: Source, edits, values: frozenset[str]) -> list[types.TextEdit] | None:
    """``edits`` (the engine's, of one file) as LSP text edits over ``source``: each applied by
    ``apply_edits`` alone and cut to the characters it changes. None when one would carry a secret."""
    found = []
    for edit in edits:
        new = apply_edits(source.text, [edit], source.newline)
        found.append(minimal_edit(source, new))
    found = [edit for edit in found if edit is not None]
    if any(values_in(edit.new_text, tuple(values)) for edit in found):
        return None
    return found


def minimal_edit(source: Source, new: str) -> types.TextEdit | None:
    """One edit turning ``source``'s text into ``new`` (None when they are equal)."""
    cut = Edit.between(source.text, new)
    if cut is None:
        return None
    return types.TextEdit(range=lsp_range(source, Span(cut.start, cut.end)), new_text=cut.content)


def diff_edits(source: Source, new: str) -> list[types.TextEdit]:
    """Edits turning ``source``'s text into ``new``: one per run of changed lines (difflib), each
    cut to the characters it changes, so unchanged text between two fixes is never sent."""
    import difflib

    old_lines = source.text.splitlines(keepends=True)
    new_lines = new.splitlines(keepends=True)
    old_starts = [0]
    for line in old_lines:
        old_starts.append(old_starts[-1] + len(line))
    edits = []
    matcher = difflib.SequenceMatcher(None, old_lines, new_lines, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        base = old_starts[i1]
        cut = Edit.between(source.text[base : old_starts[i2]], "".join(new_lines[j1:j2]), base)
        if cut is not None:
            edits.append(types.TextEdit(range=lsp_range(source, Span(cut.start, cut.end)), new_text=cut.content))
    return edits


def workspace_edit(diag: Diagnostic, fix: Fix, root: Path) -> types.WorkspaceEdit | None:
    """The fix's edits of every file it changes, or None when it cannot be sent (a file it edits
    is not at hand, or an edit would carry a secret)."""
    sources = fix.sources(diag.source)
    grouped = fix.by_file(diag.path)
    if set(grouped) - set(sources):
        return None
    values = frozenset(value for source in sources.values() for value in Masker.of(source).values())
    changes: dict[str, list[types.TextEdit]] = {}
    for relpath, edits in grouped.items():
        made = text_edits(sources[relpath], edits, values)
        if made is None:
            return None
        if made:
            changes[uri_of(root, relpath)] = made
    return types.WorkspaceEdit(changes=changes) if changes else None


def fix_title(fix: Fix) -> str:
    return scrub_patterns(fix.title)
