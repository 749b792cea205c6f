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


def _try_repo(
    hook_repo: Path, project: Path, hook: str, env: dict[str, str], all_files: bool = True
) -> subprocess.CompletedProcess:
    """``all_files`` False: the hook gets only the staged files, as on a real commit."""
    return subprocess.run(
        [sys.executable, "-m", "pre_commit", "try-repo", str(hook_repo), hook, *(["--all-files"] if all_files else [])],
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


def test_a_staged_fragment_is_checked_with_its_committed_includer(
    tmp_path: Path, hook_repo: Path, hook_env: dict[str, str]
) -> None:
    """Only ``users.conf`` is staged: its includer is context, so no NAT001/NAT007 for the fragment
    and nothing of the includer's own (a plaintext password, NAT004) is reported."""
    project = tmp_path / "project"
    project.mkdir()
    _git(project, "init", "-q")
    server = 'port: 4222\nauthorization {\n  include users.conf\n}\nleafnodes {\n  authorization { user: leaf, password: "plaintext-password-123" }\n}\n'
    (project / "nats-server.conf").write_text(server)
    _git(project, "add", "nats-server.conf")
    subprocess.run(["git", "commit", "-qm", "server"], cwd=project, env=hook_env, check=True, capture_output=True)
    (project / "users.conf").write_text('users = [\n  {user: alice, password: "$2a$11$PWIFAL8RsWyGI3jVZtO9Nu8.6jOxzxfZo7c/W0eLk017hjgUKWrhy"}\n]\n')
    _git(project, "add", "users.conf")

    check = _try_repo(hook_repo, project, "authlint", hook_env, all_files=False)
    assert check.returncode == 0, check.stdout + check.stderr
    assert "Passed" in check.stdout
    assert "NAT001" not in check.stdout and "NAT007" not in check.stdout and "NAT004" not in check.stdout

    everything = _try_repo(hook_repo, project, "authlint", hook_env)  # both files: the includer's own finding
    assert everything.returncode == 1, everything.stdout + everything.stderr
    assert "NAT004" in everything.stdout and "users.conf" not in everything.stdout


def test_files_authlint_reads_by_folder_or_content_reach_the_hook(
    tmp_path: Path, hook_repo: Path, hook_env: dict[str, str]
) -> None:
    """The hook passes every staged text file and authlint decides: an nginx site without a suffix
    (``sites-available/chat``), a ``*.nginx`` file and a Play ``application.conf`` are checked."""
    project = tmp_path / "project"
    project.mkdir()
    _git(project, "init", "-q")
    files = {
        "sites-available/chat": "server {\n    location /api/ {\n        add_header Access-Control-Allow-Origin $http_origin;\n"
                                "        add_header Access-Control-Allow-Credentials true;\n"
                                "        proxy_pass http://127.0.0.1:5000;\n    }\n}\n",
        "deploy/app.nginx": "server {\n    add_header Access-Control-Allow-Origin null;\n}\n",
        "conf/application.conf": 'play.filters.cors {\n  allowedOrigins = null\n}\n',
    }
    for relpath, text in files.items():
        (project / relpath).parent.mkdir(parents=True, exist_ok=True)
        (project / relpath).write_text(text)
        _git(project, "add", relpath)
    check = _try_repo(hook_repo, project, "authlint", hook_env, all_files=False)
    assert check.returncode == 1, check.stdout + check.stderr
    for relpath in files:
        assert relpath in check.stdout, check.stdout
