"""Code actions: each fix as the engine makes it (over every file it edits), fix all as ``fix``."""

from __future__ import annotations

from pathlib import Path

from lsprotocol import types

from authlint.config.load import load_settings
from authlint.diagnostics.fix import apply_edits
from authlint.run.engine import Linter
from authlint.run.runner import run_fix
from authlint.server.actions import FIX_ALL, fix_all, quick_fixes
from authlint.server.convert import uri_of
from tests.server.harness import apply_text_edits, loaded_example


def test_a_fix_of_two_files_is_one_workspace_edit_of_both(tmp_path: Path) -> None:
    project = loaded_example(tmp_path, "js")
    [diag] = [d for d in project.results()["client.ts"] if d.code == "SIO006"]
    [action] = quick_fixes(project, [diag])
    assert action.kind == types.CodeActionKind.QuickFix
    assert action.title.endswith("(unsafe fix)") and not action.is_preferred
    assert action.edit is not None and action.edit.changes is not None
    root = project.settings.root
    assert set(action.edit.changes) == {uri_of(root, "client.ts"), uri_of(root, "server.js")}
    sources = diag.fix.sources(diag.source)
    for relpath, edits in diag.fix.by_file(diag.path).items():
        source = sources[relpath]
        engine = apply_edits(source.text, edits, source.newline)
        assert apply_text_edits(source.text, action.edit.changes[uri_of(root, relpath)]) == engine


def test_fix_all_writes_what_fix_apply_writes(tmp_path: Path) -> None:
    project = loaded_example(tmp_path, "python")
    root = project.settings.root
    settings, _ = load_settings([str(root)])
    expected, _ = run_fix([str(root)], settings, Linter(settings), unsafe=False, jobs=1, use_cache=False)
    assert expected.changed, "the example has safe fixes"
    for relpath, ctx in expected.changed.items():
        action = fix_all(project, relpath)
        assert action is not None and action.kind == FIX_ALL and action.edit is not None
        before = project.contexts()[relpath].source.text
        assert apply_text_edits(before, action.edit.changes[uri_of(root, relpath)]) == ctx.source.text


def test_no_fix_all_without_a_safe_fix(tmp_path: Path) -> None:
    project = loaded_example(tmp_path, "js")
    assert fix_all(project, "src/useAuth.jsx") is None
