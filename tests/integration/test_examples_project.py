"""The bundled example project: real findings, safe fixes that converge, and nothing left that a
safe fix could have handled (issue "done when")."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _authlint(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "authlint", *args], cwd=cwd, capture_output=True, text=True, timeout=300)


def test_check_fix_and_recheck(tmp_path: Path) -> None:
    project = tmp_path / "examples"
    shutil.copytree(ROOT / "examples", project)
    first = _authlint("check", ".", "--output-format", "json", "--no-cache", cwd=project)
    assert first.returncode == 1, first.stderr
    findings = json.loads(first.stdout)
    families = {f["code"][:3] for f in findings}
    assert {"NAT", "SIO", "JWT"} <= families, sorted(families)
    assert not any(f["code"] in ("E001", "E002") for f in findings), findings
    fixable = [f for f in findings if f["fix"] and f["fix"]["applicability"] == "safe"]
    assert fixable, "the example project should show at least one safe fix"

    applied = _authlint("fix", ".", "--apply", "--no-cache", cwd=project)
    assert applied.returncode == 1, applied.stderr  # files changed
    second = _authlint("check", ".", "--output-format", "json", "--no-cache", cwd=project)
    remaining = json.loads(second.stdout)
    assert remaining and all(not f["fix"] or f["fix"]["applicability"] != "safe" for f in remaining)
    assert len(remaining) < len(findings)

    again = _authlint("fix", ".", "--apply", "--no-cache", cwd=project)
    assert "fixed" not in again.stderr
    final = json.loads(_authlint("check", ".", "--output-format", "json", "--no-cache", cwd=project).stdout)
    where = lambda findings: [(f["code"], f["path"], f["line"], f["column"], f["message"]) for f in findings]  # noqa: E731
    assert where(final) == where(remaining)  # (unsafe bcrypt fixes carry a fresh salt each run)
