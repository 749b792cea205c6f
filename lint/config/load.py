"""Configuration: ``[tool.authlint]`` in pyproject.toml, or ``authlint.toml`` / ``.authlint.toml``.

The closest config file wins (no implicit merging, as in ruff); command-line flags override it.
Unknown keys and unknown rule codes are errors that name the key, so a typo never silently
disables a check.
"""

from __future__ import annotations

import sys
from dataclasses import replace
from pathlib import Path
from typing import Any

from authlint.config.settings import DEFAULT_EXCLUDES, Settings
from authlint.errors import ConfigError

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

CONFIG_NAMES = (".authlint.toml", "authlint.toml", "pyproject.toml")
ROOT_MARKERS = (".git", ".hg")


def _str_list(key: str, value: Any) -> tuple[str, ...]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"{key}: expected a list of strings")
    return tuple(value)


def _codes(key: str, value: Any) -> tuple[str, ...]:
    return tuple(code.strip().upper() for code in _str_list(key, value))


def _bool(key: str, value: Any) -> bool:
    if not isinstance(value, bool):
        raise ConfigError(f"{key}: expected true or false")
    return value


def _version(key: str, value: Any) -> str:
    if not isinstance(value, str) or not all(p.isdigit() for p in value.split(".")) or value.count(".") > 2:
        raise ConfigError(f"{key}: expected a version like \"2.10.0\"")
    return value


def _size(key: str, value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        raise ConfigError(f"{key}: expected a positive number of bytes")
    return value


def _per_file(key: str, value: Any) -> dict[str, tuple[str, ...]]:
    if not isinstance(value, dict):
        raise ConfigError(f"{key}: expected a table of glob = [codes]")
    return {str(glob): _codes(f"{key}.{glob}", codes) for glob, codes in value.items()}


def _origins(key: str, value: Any) -> tuple[str, ...]:
    origins = _str_list(key, value)
    for origin in origins:
        if origin == "*" or "://" not in origin or origin.endswith("/"):
            raise ConfigError(f"{key}: {origin!r} is not an origin like \"https://app.example.com\"")
    return origins


KEYS: dict[str, tuple[str, Any]] = {
    "select": ("select", _codes),
    "ignore": ("ignore", _codes),
    "extend-select": ("extend_select", _codes),
    "per-file-ignores": ("per_file_ignores", _per_file),
    "exclude": ("exclude", _str_list),
    "extend-exclude": ("extend_exclude", _str_list),
    "respect-gitignore": ("respect_gitignore", _bool),
    "force-exclude": ("force_exclude", _bool),
    "target-nats-version": ("target_nats_version", _version),
    "allowed-origins": ("allowed_origins", _origins),
    "max-file-size": ("max_file_size", _size),
    "unsafe-fixes": ("unsafe_fixes", _bool),
}


def find_config(start: Path) -> Path | None:
    """The closest config file at or above ``start`` (a pyproject.toml counts only with [tool.authlint])."""
    directory = start if start.is_dir() else start.parent
    for folder in (directory, *directory.parents):
        for name in CONFIG_NAMES:
            candidate = folder / name
            if not candidate.is_file():
                continue
            if name != "pyproject.toml" or "authlint" in _read(candidate).get("tool", {}):
                return candidate
    return None


def find_root(start: Path, cwd: Path | None = None) -> Path:
    """The project root of ``start``: the nearest folder with a repository marker. Without one,
    the working directory when ``start`` lies inside it (as ruff shows paths), so ``check
    util/token.py`` reports ``util/token.py`` and ``fix b d`` heads b's file ``b/app.py``; a path
    outside the working directory keeps its own folder as the root."""
    directory = start if start.is_dir() else start.parent
    for folder in (directory, *directory.parents):
        if any((folder / marker).exists() for marker in ROOT_MARKERS):
            return folder
    here = (cwd or Path.cwd()).resolve()
    if directory == here or here in directory.parents:
        return here
    return directory


def _read(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: invalid TOML: {exc}") from exc
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read: {exc.strerror}") from exc


def table_of(path: Path) -> dict[str, Any]:
    data = _read(path)
    if path.name == "pyproject.toml":
        table = data.get("tool", {}).get("authlint", {})
        if not isinstance(table, dict):
            raise ConfigError(f"{path}: [tool.authlint] must be a table")
        return table
    return data


def settings_from_table(table: dict[str, Any], base: Settings, where: str) -> Settings:
    values: dict[str, Any] = {}
    for key, value in table.items():
        if key == "rules":
            values["rule_options"] = _rule_options(value, where)
            continue
        if key == "output-format":
            continue  # read by the CLI
        if key not in KEYS:
            hint = _suggest(key, (*KEYS, "rules", "output-format"))
            raise ConfigError(f"{where}: unknown key {key!r}{hint}")
        field_name, convert = KEYS[key]
        values[field_name] = convert(key, value)
    return replace(base, **values)


def _rule_options(value: Any, where: str) -> dict[str, dict[str, Any]]:
    if not isinstance(value, dict) or not all(isinstance(v, dict) for v in value.values()):
        raise ConfigError(f"{where}: [rules] must hold one table per rule code")
    return {code.upper(): dict(options) for code, options in value.items()}


def _suggest(key: str, known: tuple[str, ...]) -> str:
    import difflib

    close = difflib.get_close_matches(key, known, n=1)
    return f" (did you mean {close[0]!r}?)" if close else ""


def load_settings(paths: list[str], config: str | None = None) -> tuple[Settings, dict[str, Any]]:
    """Settings for a run over ``paths``, and the raw table (for CLI-only keys like output-format)."""
    first = Path(paths[0]) if paths else Path(".")
    start = (first if first.is_absolute() else Path.cwd() / first).resolve()
    if config:
        config_path = Path(config).resolve()
        if not config_path.is_file():
            raise ConfigError(f"config file {config} not found")
        root = Path.cwd().resolve()
    else:
        config_path = find_config(start)
        root = config_path.parent if config_path else find_root(start)
    base = Settings(root=root, exclude=DEFAULT_EXCLUDES)
    if config_path is None:
        return base, {}
    table = table_of(config_path)
    settings = settings_from_table(table, base, str(config_path))
    return replace(settings, config_path=config_path), table
