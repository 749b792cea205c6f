"""``authlint server`` on the command line: served over stdio, or told how to install it."""

from __future__ import annotations

import sys

from typer.testing import CliRunner

from authlint.cli.app import app


def test_without_pygls_it_says_how_to_install_it(monkeypatch) -> None:
    monkeypatch.setitem(sys.modules, "authlint.server.server", None)  # its import fails as without pygls
    result = CliRunner().invoke(app, ["server"])
    assert result.exit_code == 2
    assert "pip install 'authlint[server]'" in result.output


def test_it_is_listed_with_the_other_commands() -> None:
    result = CliRunner().invoke(app, ["--help"])
    assert result.exit_code == 0 and "server" in result.output
