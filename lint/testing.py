"""Helpers for tests: lint and fix in-memory projects (``{relpath: text}``) without touching disk."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

from authlint.config.settings import Settings
from authlint.diagnostics.fix import FixResult, fix_contexts
from authlint.files.source import Source
from authlint.files.textfiles import classify_text
from authlint.run.context import FileContext
from authlint.run.engine import CheckResult, Linter


def make_settings(root: Path | None = None, **overrides: Any) -> Settings:
    """Settings from kebab- or snake-case overrides (``allowed-origins=[...]``)."""
    settings = Settings(root=root or Path("/nonexistent-root"))
    values = {key.replace("-", "_"): value for key, value in overrides.items()}
    for key in ("select", "ignore", "extend_select", "allowed_origins"):
        if key in values:
            values[key] = tuple(values[key])
    return replace(settings, **values)


def with_versions(files: dict[str, str], settings: Settings) -> Settings:
    """``settings`` with the versions the in-memory project's files declare (a ``Dockerfile`` or a
    ``package.json`` among ``files``), as the pre-pass of ``check`` and ``fix`` reads them from disk;
    versions given explicitly (``versions=ProjectVersions(...)``) are kept."""
    if settings.versions:
        return settings
    from authlint.versions.prepass import read_texts

    return replace(settings, versions=read_texts(files).versions)


def contexts_for(files: dict[str, str], settings: Settings) -> list[FileContext]:
    """The files' contexts; their settings carry the versions the files declare (``with_versions``)."""
    settings = with_versions(files, settings)
    contexts = []
    for relpath, text in files.items():
        kind = classify_text(Path(relpath).name, text.encode("utf-8"))
        if kind is None:
            continue
        source = Source(path=settings.root / relpath, relpath=relpath, text=text, kind=kind)
        contexts.append(FileContext(source, settings))
    return contexts


def fix_project(files: dict[str, str], unsafe: bool = True, **overrides: Any) -> tuple[dict[str, Source], FixResult]:
    """The files' sources before fixing (by relpath) and the fixer's result (``changed``: the
    fixed sources, with their secret spans carried through the edits): what ``fix`` prints."""
    if unsafe:
        overrides.setdefault("unsafe_fixes", True)
    settings = with_versions(files, make_settings(**overrides))
    contexts = contexts_for(files, settings)
    result = fix_contexts(Linter(settings), contexts, unsafe=unsafe)
    return {ctx.source.relpath: ctx.source for ctx in contexts}, result


def lint_files(files: dict[str, str], **overrides: Any) -> CheckResult:
    settings = with_versions(files, make_settings(**overrides))
    linter = Linter(settings)
    return linter.check(contexts_for(files, settings))


def fix_files(files: dict[str, str], unsafe: bool = True, **overrides: Any) -> dict[str, str]:
    """The files' texts after applying every applicable fix until stable."""
    _, result = fix_project(files, unsafe, **overrides)
    fixed = dict(files)
    for relpath, ctx in result.changed.items():
        fixed[relpath] = ctx.source.text
    return fixed
