"""Resolved settings for one run: rule selection, global options and per-rule options."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from authlint.versions.model import ProjectVersions

DEFAULT_EXCLUDES = (
    ".bzr", ".direnv", ".eggs", ".git", ".git-rewrite", ".hg", ".ipynb_checkpoints", ".mypy_cache",
    ".nox", ".pants.d", ".pyenv", ".pytest_cache", ".pytype", ".ruff_cache", ".svn", ".tox", ".venv",
    ".vscode", "__pypackages__", "_build", "buck-out", "build", "dist", "node_modules",
    "site-packages", "venv", "__pycache__", ".next", "coverage", ".authlint_cache", "*.min.js",
)

DEFAULT_MAX_FILE_SIZE = 2 * 1024 * 1024


@dataclass
class Settings:
    root: Path = field(default_factory=Path.cwd)
    select: tuple[str, ...] = ("ALL",)
    ignore: tuple[str, ...] = ()
    extend_select: tuple[str, ...] = ()
    per_file_ignores: dict[str, tuple[str, ...]] = field(default_factory=dict)
    exclude: tuple[str, ...] = DEFAULT_EXCLUDES
    extend_exclude: tuple[str, ...] = ()
    respect_gitignore: bool = True
    force_exclude: bool = False
    # the nats-server version configs are judged against; None: the version the project's images
    # and tool pins name (``versions.nats_target``), else none (no version-gated finding)
    target_nats_version: str | None = None
    allowed_origins: tuple[str, ...] = ()
    max_file_size: int = DEFAULT_MAX_FILE_SIZE
    unsafe_fixes: bool = False
    rule_options: dict[str, dict[str, Any]] = field(default_factory=dict)
    config_path: Path | None = None
    # what the project's dependency files, images and tool pins say it runs (filled before the
    # file phase; empty: unknown, rules keep their version-independent behaviour)
    versions: ProjectVersions = field(default_factory=ProjectVersions)

    def nats_version(self) -> tuple[int, int, int] | None:
        """The target nats-server version as (major, minor, patch) ("2.10" == 2.10.0): configured,
        else detected from the project's files; None when neither says (``versions.nats_target``)."""
        from authlint.versions.nats_target import nats_target

        target = nats_target(self)
        return target.version if target is not None else None
