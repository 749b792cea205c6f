"""HOCON fixture projects (tests/fixtures/hocon) through the CLI: each broken tree is reported,
``fix --apply --unsafe-fixes`` turns it into its corrected twin (or leaves only what a person must
decide), the twin is clean, and every file parses with pyhocon to the values the libraries need."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from pyhocon import ConfigFactory

from authlint.syntax.hocon import plain, without_includes

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "hocon"
ORIGINS = ["https://app.example.com", "https://admin.example.com"]
CONFIGS = {
    "play": "conf/application.conf",
    "akka": "src/main/resources/application.conf",
    "play-origins": "conf/application.conf",
}


def authlint(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "authlint", *args, "--no-cache", "."], cwd=cwd,
                          capture_output=True, text=True, check=False)


def findings(cwd: Path) -> list[str]:
    """``path:line:col: CODE`` of each finding (the concise format)."""
    done = authlint("check", "--output-format", "concise", cwd=cwd)
    assert done.returncode in (0, 1), done.stderr
    return [line.split(" ")[0] + " " + line.split(" ")[1] for line in done.stdout.splitlines() if ": " in line
            and line.split(" ")[1][:3] in ("COR", "E00")]


def copy(project: str, tree: str, tmp_path: Path) -> Path:
    target = tmp_path / project
    shutil.copytree(FIXTURES / project / tree, target)
    (target / ".git").mkdir()
    return target


def values(path: Path) -> dict:
    """pyhocon's reading of a config (its ``include`` blanked: a test reads no other file either)."""
    return plain(ConfigFactory.parse_string(without_includes(path.read_text(encoding="utf-8")), resolve=False))


@pytest.mark.parametrize(
    ("project", "expected"),
    [
        ("play", ["conf/application.conf:10:22: COR002"]),
        ("akka", ["src/main/resources/application.conf:7:21: COR002"]),
        ("play-origins", ["conf/application.conf:3:4: COR003", "conf/application.conf:4:4: COR003"]),
    ],
)
def test_broken_tree_is_reported_and_its_twin_is_clean(project: str, expected: list[str], tmp_path: Path) -> None:
    assert findings(copy(project, "broken", tmp_path / "broken")) == expected
    assert findings(copy(project, "fixed", tmp_path / "fixed")) == []


@pytest.mark.parametrize("project", ["play", "akka"])
def test_fix_turns_the_broken_tree_into_its_twin(project: str, tmp_path: Path) -> None:
    tree = copy(project, "broken", tmp_path)
    done = authlint("fix", "--apply", "--unsafe-fixes", cwd=tree)
    assert done.returncode in (0, 1) and f"fixed 1 finding(s) in {CONFIGS[project]}" in done.stderr, done.stderr
    config = CONFIGS[project]
    assert (tree / config).read_text(encoding="utf-8") == (FIXTURES / project / "fixed" / config).read_text(encoding="utf-8")


def test_the_null_origin_is_left_to_a_person(tmp_path: Path) -> None:
    tree = copy("play-origins", "broken", tmp_path)
    authlint("fix", "--apply", cwd=tree)  # safe fixes only: the trailing `/` goes
    assert findings(tree) == ["conf/application.conf:4:4: COR003"]
    assert values(tree / CONFIGS["play-origins"])["play"]["filters"]["cors"]["allowedOrigins"] == [
        "https://app.example.com", "null"]


def test_twins_hold_what_the_libraries_need() -> None:
    play = values(FIXTURES / "play" / "fixed" / CONFIGS["play"])["play"]["filters"]
    assert play["cors"]["allowedOrigins"] == ORIGINS and play["cors"]["pathPrefixes"] == ["/api"]
    assert play["hosts"]["allowed"] == ["."]
    akka = values(FIXTURES / "akka" / "fixed" / CONFIGS["akka"])["akka-http-cors"]
    assert akka["allowed-origins"] == ORIGINS and akka["allowed-methods"][0] == "GET"
    origins = values(FIXTURES / "play-origins" / "fixed" / CONFIGS["play-origins"])["play"]["filters"]["cors"]
    assert origins["allowedOrigins"] == ["https://app.example.com"] and origins["supportsCredentials"] is False
