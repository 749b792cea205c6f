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

DEFAULT_TARGET_NATS_VERSION = "2.9.10"
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
    target_nats_version: str = DEFAULT_TARGET_NATS_VERSION
    allowed_origins: tuple[str, ...] = ()
    max_file_size: int = DEFAULT_MAX_FILE_SIZE
    unsafe_fixes: bool = False
    rule_options: dict[str, dict[str, Any]] = field(default_factory=dict)
    config_path: Path | None = None
    # what the project's dependency files, images and tool pins say it runs (filled before the
    # file phase; empty: unknown, rules keep their version-independent behaviour)
    versions: ProjectVersions = field(default_factory=ProjectVersions)

    def nats_version(self) -> tuple[int, ...]:
        parts = [int(part) for part in self.target_nats_version.lstrip("v").split(".") if part.isdigit()]
        return tuple((parts + [0, 0, 0])[:3])  # "2.10" == "2.10.0"
