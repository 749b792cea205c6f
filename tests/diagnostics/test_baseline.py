"""Baselines: findings keep matching across unrelated edits (lines added above, re-indented, the file
moved), a fixed finding drops out, a new one (even a second copy of a baselined one) is reported;
the file is stable sorted JSON and holds no secret."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

SECRET = "k3y-for-baseline-test-0123456789abcdef"  # a hard-coded JWT key JWT004 reports
SERVER = (
    "import jwt\n"
    "from flask_cors import CORS\n"
    "CORS(app, supports_credentials=True)\n"
    f"KEY = \"{SECRET}\"\n"
    "def check(token):\n"
    "    return jwt.decode(token, KEY, algorithms=['HS256'])\n"
)


def authlint(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "authlint", *args, "--no-cache", "--output-format", "json"],
                          cwd=cwd, capture_output=True, text=True, timeout=120)


def codes(run: subprocess.CompletedProcess) -> list[tuple[str, str, int]]:
    return sorted((f["code"], f["path"], f["line"]) for f in json.loads(run.stdout))


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "app").mkdir()
    (tmp_path / "app" / "server.py").write_text(SERVER)
    written = authlint("check", ".", "--write-baseline", "authlint-baseline.json", cwd=tmp_path)
    assert written.returncode == 0, written.stderr
    assert "wrote" in written.stderr and written.stdout == ""
    return tmp_path


def test_the_baseline_hides_todays_findings(project: Path) -> None:
    before = authlint("check", ".", cwd=project)
    assert before.returncode == 1 and len(codes(before)) >= 2
    after = authlint("check", ".", "--baseline", "authlint-baseline.json", cwd=project)
    assert after.returncode == 0 and codes(after) == [], after.stdout
    assert "in the baseline authlint-baseline.json not shown" in after.stderr


def test_the_file_is_sorted_stable_json_without_the_secret(project: Path) -> None:
    text = (project / "authlint-baseline.json").read_text()
    assert SECRET not in text and SECRET[:8] not in text
    data = json.loads(text)
    assert data["version"] == 1 and data["findings"]
    keys = [(f["path"], f["code"], f["fingerprint"]) for f in data["findings"]]
    assert keys == sorted(keys) and all("line" not in f for f in data["findings"])
    again = authlint("check", ".", "--write-baseline", "second.json", cwd=project)
    assert again.returncode == 0 and (project / "second.json").read_text() == text  # byte for byte


def test_edits_above_and_reindenting_keep_findings_matched(project: Path) -> None:
    server = project / "app" / "server.py"
    server.write_text("# a header comment\nimport os\n\n\n" + SERVER.replace("KEY = ", "KEY  =  "))
    run = authlint("check", ".", "--baseline", "authlint-baseline.json", cwd=project)
    assert codes(run) == [], run.stdout


def test_a_moved_file_keeps_its_findings_matched(project: Path) -> None:
    (project / "app" / "server.py").rename(project / "app" / "api.py")
    run = authlint("check", ".", "--baseline", "authlint-baseline.json", cwd=project)
    assert codes(run) == [], run.stdout


def test_a_copy_next_to_the_original_is_new(project: Path) -> None:
    (project / "app" / "copy.py").write_text(SERVER)
    run = authlint("check", ".", "--baseline", "authlint-baseline.json", cwd=project)
    assert run.returncode == 1 and {path for _, path, _ in codes(run)} == {"app/copy.py"}


def test_a_fixed_finding_drops_out_and_a_new_one_is_reported(project: Path) -> None:
    server = project / "app" / "server.py"
    fixed = SERVER.replace("CORS(app, supports_credentials=True)", "CORS(app, origins=['https://a.example.com'])")
    server.write_text(fixed + "def check_again(token):\n    return jwt.decode(token, KEY, algorithms=['HS256'], verify=False)\n"
                      + "TTL = 5\nCORS(app, supports_credentials=True, origins='*')\n")
    run = authlint("check", ".", "--baseline", "authlint-baseline.json", cwd=project)
    new = codes(run)
    assert new and all(line > 6 for _, _, line in new), new  # only the lines added after the baseline
    rewritten = authlint("check", ".", "--write-baseline", "authlint-baseline.json", cwd=project)
    assert rewritten.returncode == 0
    texts = {entry["text"] for entry in json.loads((project / "authlint-baseline.json").read_text())["findings"]}
    assert "CORS(app, supports_credentials=True)" not in texts  # the fixed line's entry is gone
    assert "CORS(app, supports_credentials=True, origins='*')" in texts  # the new one is recorded


@pytest.mark.parametrize("content", ["", "{}", '{"version": 1, "findings": [{"code": "X"}]}', "[1, 2]"])
def test_a_bad_baseline_is_a_usage_error(project: Path, content: str) -> None:
    (project / "bad.json").write_text(content)
    run = authlint("check", ".", "--baseline", "bad.json", cwd=project)
    assert run.returncode == 2 and "--baseline" in run.stderr and "Traceback" not in run.stderr


def test_a_missing_baseline_says_how_to_make_one(project: Path) -> None:
    run = authlint("check", ".", "--baseline", "nope.json", cwd=project)
    assert run.returncode == 2 and "--write-baseline nope.json" in run.stderr
