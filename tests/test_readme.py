"""The README stays true: its rule table matches the registry, its first commands are the real ones."""

from __future__ import annotations

import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _script():
    spec = importlib.util.spec_from_file_location("update_readme", ROOT / "scripts" / "update_readme.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    return module


def test_rules_table_matches_the_registry() -> None:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    script = _script()
    for marker in (script.START, script.END, script.FIXES_START, script.FIXES_END):
        assert text.count(marker) == 1, f"README.md must hold {marker} once"
    assert script.updated(text) == text, "run: python scripts/update_readme.py"


def test_readme_starts_with_the_two_commands() -> None:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    block = text.split("```bash", 1)[1].split("```", 1)[0]
    commands = [line for line in block.splitlines() if line and not line.startswith("#")]
    assert commands == [
        "python3 -m venv .venv && .venv/bin/pip install -q -e . && .venv/bin/authlint check examples/",
        "bash .ci/run",
    ]
    assert (ROOT / ".ci" / "run").is_file()


def test_development_section_names_real_folders() -> None:
    """The flow drawn in the Development section names the folder that owns each stage: each one
    must exist, and every folder of lint/ must be drawn."""
    import re

    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("## Development", 1)[1]
    named = set(re.findall(r"\b((?:lint|rules)/[a-z_]+)/", section))
    assert named, "the Development section draws no folders"
    for folder in sorted(named):
        assert (ROOT / folder).is_dir(), f"README names {folder}/, which does not exist"
    packages = {f"lint/{p.name}" for p in (ROOT / "lint").iterdir() if (p / "__init__.py").is_file()}
    assert packages <= named, f"README's flow leaves out {sorted(packages - named)}"
