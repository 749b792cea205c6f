"""The real `pre-commit try-repo` runs both hooks of .pre-commit-hooks.yaml against a temporary repo."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BAD = "import socketio\n\nsio = socketio.Server(ping_timeout=20000)  # milliseconds pasted from JS\n"


def _git(cwd: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True)


@pytest.fixture
def hook_env(tmp_path: Path) -> dict[str, str]:
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    env = dict(os.environ)
    env["PRE_COMMIT_HOME"] = str(tmp_path / "pre-commit-home")
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env['PATH']}"
    env.update(GIT_AUTHOR_NAME="t", GIT_AUTHOR_EMAIL="t@example.invalid",
               GIT_COMMITTER_NAME="t", GIT_COMMITTER_EMAIL="t@example.invalid")
    return env


@pytest.fixture
def hook_repo(tmp_path: Path) -> Path:
    """A copy of this checkout committed as a hook repository (try-repo needs a git repo)."""
    repo = tmp_path / "hook-repo"
    shutil.copytree(
        ROOT, repo,
        ignore=shutil.ignore_patterns(".git", ".venv", ".venv-*", "venv", "node_modules", "__pycache__", "*.egg-info",
                                      ".pytest_cache", ".authlint_cache", "tests", "benchmarks", "examples"),
    )
    _git(repo, "init", "-q")
    _git(repo, "add", "-A")
    _git(repo, "-c", "user.name=t", "-c", "user.email=t@example.invalid", "commit", "-qm", "hooks")
    return repo


def _try_repo(hook_repo: Path, project: Path, hook: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "pre_commit", "try-repo", str(hook_repo), hook, "--all-files"],
        cwd=project, env=env, capture_output=True, text=True, timeout=900,
    )


def test_manifest_is_valid() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "pre_commit", "validate-manifest", str(ROOT / ".pre-commit-hooks.yaml")],
        capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_hooks_fail_on_a_bad_file_and_fix_it(tmp_path: Path, hook_repo: Path, hook_env: dict[str, str]) -> None:
    project = tmp_path / "project"
    project.mkdir()
    _git(project, "init", "-q")
    (project / "server.py").write_text(BAD)
    _git(project, "add", "server.py")

    check = _try_repo(hook_repo, project, "authlint", hook_env)
    assert check.returncode == 1, check.stdout + check.stderr
    assert "authlint check" in check.stdout and "Failed" in check.stdout
    assert "SIO001" in check.stdout
    assert (project / "server.py").read_text() == BAD

    fix = _try_repo(hook_repo, project, "authlint-fix", hook_env)
    assert fix.returncode == 1, fix.stdout + fix.stderr
    assert "files were modified by this hook" in fix.stdout
    assert (project / "server.py").read_text() == BAD.replace("ping_timeout=20000", "ping_timeout=20")

    _git(project, "add", "server.py")
    clean = _try_repo(hook_repo, project, "authlint", hook_env)
    assert clean.returncode == 0, clean.stdout + clean.stderr
