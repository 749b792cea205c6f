from __future__ import annotations

import contextlib
import io
from pathlib import Path
from types import SimpleNamespace

import pytest
from typer.testing import CliRunner

from authlint.cli.app import app
from authlint.cli.main import main, parse_check


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


@pytest.fixture(params=["typer", "fast"])
def invoke(request):
    """Every CLI test runs through typer and through the fast ``check`` path of ``authlint.cli.main``
    (which hands anything but a plain ``check`` to typer)."""
    runner = CliRunner()

    def run(*args: str):
        if request.param == "fast" and parse_check(list(args)) is not None:
            return _run_fast(list(args))
        return runner.invoke(app, list(args), prog_name="authlint")

    return run


def _run_fast(args: list[str]) -> SimpleNamespace:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            main(args)
            code = 0
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else 1
    return SimpleNamespace(
        exit_code=code, stdout=out.getvalue(), stderr=err.getvalue(), output=out.getvalue() + err.getvalue()
    )
