"""The GitHub Action (action.yml) runs its one shell step, action/run.sh, here as a runner would:
authlint installed from the action's own checkout into a virtualenv under RUNNER_TEMP, SARIF
written and valid against the SARIF 2.1.0 schema, annotations in the log, outputs in
$GITHUB_OUTPUT, and the step's status following `fail-on-findings`."""

from __future__ import annotations

import json
import os
import shutil
import site
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest
import yaml

from tests.shared import SARIF_SCHEMA

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "action" / "run.sh"


def _action_copy(tmp_path: Path) -> Path:
    """The action as a runner checks it out: the repository without tests, caches or virtualenvs."""
    copy = tmp_path / "action-checkout"
    shutil.copytree(ROOT, copy, ignore=shutil.ignore_patterns(
        ".git", ".venv", ".venv-*", "node_modules", "__pycache__", "*.egg-info", ".authlint_cache", "tests",
        "benchmarks", "build"))
    return copy


def _runner_temp(tmp_path: Path) -> Path:
    """RUNNER_TEMP with the action's virtualenv created ahead, its dependencies visible from this
    test environment (a .pth file), so the script's own `pip install` of the action checkout runs
    without downloading them."""
    runner = tmp_path / "runner"
    subprocess.run([sys.executable, "-m", "venv", str(runner / "authlint-venv")], check=True, timeout=120)
    venv_site = next((runner / "authlint-venv" / "lib").glob("python*/site-packages"))
    (venv_site / "test-deps.pth").write_text("\n".join(site.getsitepackages()) + "\n")
    return runner


def _run(tmp_path: Path, project: Path, **inputs: str) -> tuple[subprocess.CompletedProcess, dict[str, str]]:
    output = tmp_path / "github_output"
    output.write_text("")
    env = {
        **os.environ,
        "GITHUB_ACTION_PATH": str(_action_copy(tmp_path)),
        "RUNNER_TEMP": str(_runner_temp(tmp_path)),
        "GITHUB_OUTPUT": str(output),
        "PIP_NO_BUILD_ISOLATION": "0",  # pip's inverted spelling of --no-build-isolation: setuptools is here
        **{f"INPUT_{name.upper()}": value for name, value in inputs.items()},
    }
    env.pop("VIRTUAL_ENV", None)
    run = subprocess.run(["bash", str(SCRIPT)], cwd=project, env=env, capture_output=True, text=True, timeout=600)
    outputs = dict(line.split("=", 1) for line in output.read_text().splitlines() if "=" in line)
    return run, outputs


@pytest.fixture
def project(tmp_path: Path) -> Path:
    project = tmp_path / "repo"
    shutil.copytree(ROOT / "examples" / "python", project / "app")
    return project


def test_the_action_writes_valid_sarif_annotates_and_fails(tmp_path: Path, project: Path) -> None:
    run, outputs = _run(tmp_path, project, paths="app", sarif_file="out/authlint.sarif")
    assert run.returncode == 1, run.stdout + run.stderr
    sarif = json.loads((project / "out" / "authlint.sarif").read_text())
    jsonschema.validate(sarif, json.loads(SARIF_SCHEMA.read_text()))
    results = sarif["runs"][0]["results"]
    assert results and outputs == {"sarif-file": "out/authlint.sarif", "findings": str(len(results))}
    assert ",file=app/server.py,line=" in run.stdout and "::error title=authlint (" in run.stdout
    assert "JWT004" in run.stdout and "change-me" not in run.stdout + (project / "out" / "authlint.sarif").read_text()


def test_fail_on_findings_false_passes_and_args_reach_the_check(tmp_path: Path, project: Path) -> None:
    run, outputs = _run(tmp_path, project, paths="app", args="--select SIO", fail_on_findings="false")
    assert run.returncode == 0, run.stdout + run.stderr
    sarif = json.loads((project / "authlint.sarif").read_text())
    assert {r["ruleId"][:3] for r in sarif["runs"][0]["results"]} == {"SIO"}
    assert int(outputs["findings"]) == len(sarif["runs"][0]["results"]) > 0


def test_a_usage_error_is_exit_2(tmp_path: Path, project: Path) -> None:
    run, _ = _run(tmp_path, project, paths="app", args="--select")
    assert run.returncode == 2 and "::error title=authlint::" in run.stdout


def test_action_yml_passes_every_input_to_the_script() -> None:
    action = yaml.safe_load((ROOT / "action.yml").read_text())
    (step,) = action["runs"]["steps"]
    assert action["runs"]["using"] == "composite" and "action/run.sh" in step["run"]
    passed = {name.removeprefix("INPUT_").lower().replace("_", "-") for name in step["env"]}
    assert passed == set(action["inputs"])
    script = SCRIPT.read_text()
    assert all(f"INPUT_{name.upper().replace('-', '_')}" in script for name in action["inputs"])
