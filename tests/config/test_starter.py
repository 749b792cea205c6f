"""``authlint init``: the starter config names the inputs and versions found, lands in pyproject.toml
or authlint.toml, the pre-commit hook joins the ``repos`` list where it ends, nothing is written
twice, and what is written is a config ``authlint check`` accepts."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import yaml

from authlint.config.starter import precommit_insertion

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10
    import tomli as tomllib

PRECOMMIT = """repos:
  - repo: https://github.com/pre-commit/pre-commit-hooks
    rev: v4.6.0
    hooks:
      - id: trailing-whitespace
# pre-commit.ci settings
ci:
  autofix_prs: false
"""


def authlint(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "authlint", *args], cwd=cwd, capture_output=True, text=True,
                          timeout=120)


def _project(root: Path) -> Path:
    (root / "app").mkdir(parents=True)
    (root / "app" / "server.py").write_text("import socketio\nsio = socketio.Server(cors_allowed_origins='*')\n")
    (root / "nats.conf").write_text("port: 4222\nauthorization { token: $TOKEN }\n")
    (root / "nginx").mkdir()
    (root / "nginx" / "site.conf").write_text("server {\n    location / { proxy_pass http://app:5000; }\n}\n")
    (root / "requirements.txt").write_text("python-socketio==5.11.0\nrequests==2.32.0\n")
    (root / "compose.yaml").write_text("services:\n  nats:\n    image: nats:2.10.7\n")
    return root


def test_init_appends_to_pyproject_and_the_result_is_a_valid_config(tmp_path: Path) -> None:
    root = _project(tmp_path)
    (root / "pyproject.toml").write_bytes(b'[project]\r\nname = "demo"\r\n')
    (root / "pyproject.toml").chmod(0o640)
    run = authlint("init", cwd=root)
    assert run.returncode == 0, run.stderr
    written = (root / "pyproject.toml").read_bytes()
    assert written.startswith(b'[project]\r\nname = "demo"\r\n\r\n[tool.authlint]\r\n') and b"\n" not in written.replace(b"\r\n", b"")
    assert (root / "pyproject.toml").stat().st_mode & 0o777 == 0o640
    table = tomllib.loads(written.decode())["tool"]["authlint"]
    assert table["select"] == ["ALL"]
    text = written.decode()
    assert "Python (1)" in text and "nats-server configs (1)" in text and "nginx (1)" in text
    assert 'target-nats-version = "2.10.7"' in text and "compose.yaml:3" in text
    assert "python-socketio 5.11.0 (requirements.txt:1)" in text and "requests" not in text
    assert authlint("check", ".", "--no-cache", cwd=root).returncode == 1  # the config loads; findings remain
    again = authlint("init", cwd=root)
    assert again.returncode == 0 and "nothing to write" in again.stdout
    assert (root / "pyproject.toml").read_bytes() == written


def test_init_writes_authlint_toml_without_pyproject(tmp_path: Path) -> None:
    root = _project(tmp_path)
    assert authlint("init", "--dry-run", cwd=root).returncode == 0
    assert not (root / "authlint.toml").exists()
    assert authlint("init", cwd=root).returncode == 0
    assert tomllib.loads((root / "authlint.toml").read_text())["select"] == ["ALL"]


def test_the_hook_joins_the_repos_list_before_other_keys(tmp_path: Path) -> None:
    root = _project(tmp_path)
    (root / ".pre-commit-config.yaml").write_text(PRECOMMIT)
    assert authlint("init", cwd=root).returncode == 0
    text = (root / ".pre-commit-config.yaml").read_text()
    data = yaml.safe_load(text)
    assert data["ci"] == {"autofix_prs": False}
    assert data["repos"][-1]["repo"] == "https://github.com/authlint/authlint"
    assert data["repos"][-1]["hooks"] == [{"id": "authlint"}]
    assert text.startswith(PRECOMMIT.split("# pre-commit.ci")[0])  # what was there is kept as written
    assert "  - repo: https://github.com/authlint/authlint\n    rev: v" in text


def test_insertion_edge_cases() -> None:
    assert precommit_insertion("repos: []\n") is None  # a flow list: not rewritten
    assert precommit_insertion("repos:\n- repo: https://github.com/authlint/authlint\n") is None  # already there
    at, block = precommit_insertion("repos:\n-   repo: local\n    hooks: []")  # no final newline, other indent
    assert block.startswith("\n- repo: https://github.com/authlint/authlint\n")
    assert precommit_insertion(": : :") is None
