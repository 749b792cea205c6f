"""The CLI on a NATS fragment named alone, as pre-commit runs it: the includer lends its facts and
shows up nowhere (findings, JSON, statistics, exit code, files written)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from authlint.cli.app import app
from tests.nats_fragment_project import write_project


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / ".git").mkdir()
    write_project(tmp_path)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _run(*args: str):
    return CliRunner().invoke(app, list(args), prog_name="authlint")


@pytest.mark.parametrize("extra", [[], ["--no-cache"], ["--jobs", "2"]])
def test_checking_the_fragment_alone_reports_nothing(project: Path, extra: list[str]) -> None:
    for _ in range(2):  # the second run is warm where there is a cache
        result = _run("check", "--force-exclude", "--output-format", "json", *extra, "users.conf")
        assert result.exit_code == 0, result.output
        assert json.loads(result.stdout) == []
    stats = _run("check", "--force-exclude", "--statistics", *extra, "users.conf")
    assert stats.exit_code == 0, stats.output
    assert "NAT" not in stats.stdout


def test_the_includer_alone_still_reports_its_own_findings(project: Path) -> None:
    result = _run("check", "--output-format", "json", "nats-server.conf")
    assert result.exit_code == 1
    assert {r["code"] for r in json.loads(result.stdout)} >= {"NAT002", "NAT004"}


def test_fix_apply_on_a_fragment_leaves_the_includer_byte_identical(project: Path) -> None:
    before = (project / "nats-server.conf").read_bytes()
    result = _run("fix", "--apply", "--unsafe-fixes", "--force-exclude", "tuning.conf")
    assert result.exit_code == 1  # it wrote tuning.conf
    assert "fixed 1 finding(s) in tuning.conf" in result.output
    assert "nats-server.conf" not in result.output
    assert (project / "tuning.conf").read_text() == 'write_deadline: "10s"\n'
    assert (project / "nats-server.conf").read_bytes() == before
    again = _run("fix", "--apply", "--force-exclude", "tuning.conf", "users.conf")
    assert again.exit_code == 0, again.output  # nothing left: no NAT007 for either fragment


def test_an_excluded_includer_lends_nothing(project: Path) -> None:
    (project / "pyproject.toml").write_text('[tool.authlint]\nextend-exclude = ["nats-server.conf"]\n')
    result = _run("check", "--force-exclude", "--output-format", "json", "users.conf")
    assert result.exit_code == 1
    assert "NAT001" in {r["code"] for r in json.loads(result.stdout)}  # NAT007: users.conf opens no listener
