"""E003 through the real CLI: suppressions that cover nothing are found in files with no finding at
all, the same cold, warm and with several jobs; codes of rules left out of the run are not judged,
nor cross-file rules' codes when files are named one by one; `fix --apply` removes them."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

FILES = {
    "app/quiet.py": "import os\nTIMEOUT = 20  # authlint: ignore[SIO001]\n",  # no finding anywhere in the file
    "app/server.py": (
        "import socketio\n"
        "sio = socketio.Server(ping_timeout=20000)  # authlint: ignore[SIO001]\n"  # used
        "other = socketio.Server(ping_timeout=25)  # authlint: ignore[SIO001, SIO007]\n"  # SIO001 unused; SIO007 cross-file
    ),
    "deploy/values.yaml": "nats:\n  port: 4222  # authlint: ignore[NAT00X]\n",
}


def authlint(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "authlint", *args], cwd=cwd, capture_output=True, text=True, timeout=120)


def found(run: subprocess.CompletedProcess) -> list[tuple[str, int, str]]:
    return sorted((f["path"], f["line"], f["message"]) for f in json.loads(run.stdout) if f["code"] == "E003")


@pytest.fixture
def project(tmp_path: Path) -> Path:
    for relpath, text in FILES.items():
        (tmp_path / relpath).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / relpath).write_text(text)
    return tmp_path


EXPECTED = [
    ("app/quiet.py", 2, "unused suppression of SIO001 in `# authlint: ignore[SIO001]`: no such finding here"),
    ("app/server.py", 3, "unused suppression of SIO001, SIO007 in `# authlint: ignore[SIO001, SIO007]`: no such finding here"),
    ("deploy/values.yaml", 2, "suppression names unknown code NAT00X in `# authlint: ignore[NAT00X]` (see `authlint rules`)"),
]


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_cold_and_warm_runs_agree(project: Path, jobs: str) -> None:
    cold = authlint("check", ".", "--output-format", "json", "-j", jobs, cwd=project)
    warm = authlint("check", ".", "--output-format", "json", "-j", jobs, cwd=project)
    assert found(cold) == found(warm) == EXPECTED, cold.stdout


def test_rules_left_out_are_not_judged(project: Path) -> None:
    run = authlint("check", ".", "--output-format", "json", "--no-cache", "--select", "E,NAT", cwd=project)
    assert found(run) == [EXPECTED[2]]  # the SIO entries could have had findings this run did not look for


def test_named_files_leave_cross_file_codes_alone(project: Path) -> None:
    run = authlint("check", "app/server.py", "app/quiet.py", "--output-format", "json", "--no-cache", cwd=project)
    assert found(run) == [
        EXPECTED[0],
        ("app/server.py", 3, "unused suppression of SIO001 in `# authlint: ignore[SIO001, SIO007]`: no such finding here"),
    ]


def test_fix_apply_removes_them(project: Path) -> None:
    fixed = authlint("fix", ".", "--apply", "--unsafe-fixes", "--no-cache", cwd=project)
    assert fixed.returncode in (0, 1), fixed.stderr
    assert (project / "app/quiet.py").read_text() == "import os\nTIMEOUT = 20\n"
    server = (project / "app/server.py").read_text()
    assert "ping_timeout=20000)  # authlint: ignore[SIO001]\n" in server  # the used one stays
    assert server.endswith("other = socketio.Server(ping_timeout=25)\n")
    assert (project / "deploy/values.yaml").read_text() == "nats:\n  port: 4222\n"
    again = authlint("check", ".", "--output-format", "json", "--no-cache", cwd=project)
    assert found(again) == []
