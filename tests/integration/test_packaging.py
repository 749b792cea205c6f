"""The installed entry point, and the wheel's layout: only the `authlint` package, never `lint`/`rules`."""

from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _authlint() -> list[str]:
    exe = shutil.which("authlint", path=str(Path(sys.executable).parent))
    return [exe] if exe else [sys.executable, "-m", "authlint"]


def test_entry_point_runs(tmp_path: Path) -> None:
    version = subprocess.run([*_authlint(), "--version"], capture_output=True, text=True, timeout=60)
    assert version.returncode == 0 and version.stdout.startswith("authlint ")
    clean = subprocess.run([*_authlint(), "check", str(tmp_path)], capture_output=True, text=True, timeout=60)
    assert clean.returncode == 0, clean.stderr
    assert "All checks passed" in clean.stdout
    bad = subprocess.run([*_authlint(), "check", "--select", "NOPE1"], capture_output=True, text=True, timeout=60)
    assert bad.returncode == 2 and "Traceback" not in bad.stderr


def test_module_entry_point(tmp_path: Path) -> None:
    result = subprocess.run([sys.executable, "-m", "authlint", "--version"], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0 and result.stdout.startswith("authlint ")


def test_every_package_directory_is_declared() -> None:
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # the package supports 3.10, where tomllib is the tomli backport it depends on
        import tomli as tomllib

    declared = set(tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"])
    found = set()
    for top, package in (("lint", "authlint"), ("rules", "authlint.rules")):
        for init in (ROOT / top).rglob("__init__.py"):
            rel = init.parent.relative_to(ROOT / top).parts
            found.add(".".join((package, *rel)))
    assert found == declared


def test_wheel_installs_only_the_authlint_package(tmp_path: Path) -> None:
    pytest.importorskip("setuptools")
    result = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(tmp_path), str(ROOT)],
        capture_output=True, text=True, timeout=300,
    )
    assert result.returncode == 0, result.stderr
    wheel = next(tmp_path.glob("authlint-*.whl"))
    tops = {name.split("/")[0] for name in zipfile.ZipFile(wheel).namelist()}
    assert "authlint" in tops and "lint" not in tops and "rules" not in tops
    names = zipfile.ZipFile(wheel).namelist()
    assert "authlint/rules/__init__.py" in names and "authlint/cli/__init__.py" in names
