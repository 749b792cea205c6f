"""tests/ mirrors the code: each stage folder of lint/ has a test folder of the same name."""

from __future__ import annotations

from tests.shared import ROOT


def test_every_lint_package_has_a_test_folder() -> None:
    packages = sorted(p.name for p in (ROOT / "lint").iterdir() if (p / "__init__.py").is_file())
    missing = [name for name in packages if not (ROOT / "tests" / name / "__init__.py").is_file()]
    assert packages and missing == [], f"tests/ lacks folders for lint/{missing}"
