from __future__ import annotations

from pathlib import Path

import pytest

from authlint.config.settings import Settings
from authlint.files.source import Source
from authlint.report.base import ReportInput
from authlint.run.context import FileContext
from authlint.run.engine import Linter

TEXT = 'password = "BADWORD-hunter2"\n# comma, colon: and 100%\nx = "BADWORD"\n'


@pytest.fixture
def report(demo_rule) -> ReportInput:
    class Secretive(type(demo_rule)):
        def check(self, ctx):
            for diag in super().check(ctx):
                diag.secrets = ("BADWORD-hunter2",)
                diag.message = "secret BADWORD-hunter2 found, 100%, a:b,c\nsecond line"
                yield diag

    rule = Secretive()
    linter = Linter(Settings(), rules=[rule])
    source = Source(path=Path("app/main.py"), relpath="app/main.py", text=TEXT, kind="python")
    result = linter.check([FileContext(source, Settings())])
    assert len(result.diagnostics) == 2
    return ReportInput(result.diagnostics, [rule], 1)
