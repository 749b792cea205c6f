from __future__ import annotations

import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

from authlint.cli import app


@pytest.fixture
def with_demo_rule(demo_rule, monkeypatch):
    """Make the test rule TST001 part of the registry for in-process CLI runs."""
    import authlint.rules

    real = authlint.rules.registry()
    monkeypatch.setattr(authlint.rules, "registry", lambda: {**real, "TST001": type(demo_rule)})


@pytest.fixture
def project(tmp_path: Path, monkeypatch) -> Path:
    (tmp_path / ".git").mkdir()
    (tmp_path / "app.py").write_bytes(b'x = "BADWORD"\r\ny = 1\r\n')
    (tmp_path / "clean.py").write_text("z = 2\n")
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.fixture
def invoke():
    runner = CliRunner()

    def run(*args: str):
        return runner.invoke(app, list(args), prog_name="authlint")

    return run
