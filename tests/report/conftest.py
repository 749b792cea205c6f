from __future__ import annotations

from pathlib import Path

import pytest

from authlint.config.settings import Settings
from authlint.diagnostics.diagnostic import Diagnostic, Severity
from authlint.diagnostics.mask import mask_value
from authlint.files.source import Source, Span
from authlint.report.base import ReportInput
from authlint.run.context import FileContext
from authlint.run.engine import Linter

TEXT = 'password = "BADWORD-hunter2"\n# comma, colon: and 100%\nx = "BADWORD"\n'


@pytest.fixture
def report(demo_rule) -> ReportInput:
    class Secretive(type(demo_rule)):
        def check(self, ctx):
            for diag in super().check(ctx):  # a rule names a secret in a message only masked
                diag.message = f"secret {mask_value('BADWORD-hunter2')} found, 100%, a:b,c\nsecond line"
                yield diag

    rule = Secretive()
    linter = Linter(Settings(), rules=[rule])
    source = Source(path=Path("app/main.py"), relpath="app/main.py", text=TEXT, kind="python")
    result = linter.check([FileContext(source, Settings())])
    assert len(result.diagnostics) == 2
    at = TEXT.index("BADWORD-hunter2")  # what a python finder says of the literal (test stand-in)
    source.secret_spans = (Span(at, at + len("BADWORD-hunter2")),)
    return ReportInput(result.diagnostics, [rule], 1)


def two_file_report(monkeypatch) -> ReportInput:
    """One finding in client.py whose fix also edits line 2 of server.py (a client/server pair)."""
    import authlint.rules
    from authlint.diagnostics.diagnostic import Edit, Fix

    client = Source(path=Path("client.py"), relpath="client.py", text='x = "BADWORD"\n', kind="python")
    server = Source(path=Path("server.py"), relpath="server.py", text="import a\ny = PEER\n", kind="python")
    span = Span(5, 12)
    at = server.text.index("PEER")
    fix = Fix.unsafe("pair", Edit.replace(span, "goodword"), Edit(at, at + 4, "peer", "server.py"), files=(server,))
    diag = Diagnostic(code="TST002", message="BADWORD found", source=client, span=span, fix=fix, name="demo-pair")
    monkeypatch.setattr(authlint.rules, "registry", lambda: {"TST002": _Pair})
    return ReportInput([diag], [_Pair()], 2)


class _Pair:
    code = "TST002"
    name = "demo-pair"
    summary = "test rule of a pair"
    severity = Severity.ERROR

    @staticmethod
    def docs() -> str:
        return "## What it does\nTest double."
