from __future__ import annotations

import re
from pathlib import Path
from typing import Iterable

import pytest

from authlint.diagnostics.diagnostic import Edit, Fix, FixAvailability
from authlint.files.kinds import PYTHON
from authlint.files.source import Span
from authlint.rule import Invalid, Rule, Valid
from tests.shared import ROOT, SHARED, require  # noqa: F401  (ROOT: used by tests)


class DemoRule(Rule):
    """
    ## What it does
    Test double: reports the word BADWORD in Python files.

    ## Why is this bad?
    It is only used by the engine tests.

    ## Example
    `x = "BADWORD"`

    ## Fix safety
    Safe: replaces the word with `goodword`.
    """

    code = "TST001"
    name = "demo-badword"
    summary = "test rule"
    kinds = frozenset({PYTHON})
    triggers = ("badword",)
    fix_availability = FixAvailability.ALWAYS
    examples = (Valid("x = 1\n", path="a.py"), Invalid('x = "BADWORD"\n', path="a.py", fixed='x = "goodword"\n'))

    def check(self, ctx) -> Iterable:
        for match in re.finditer("BADWORD", ctx.source.text):
            span = Span(match.start(), match.end())
            yield self.diagnostic(ctx, span, "BADWORD found", Fix.safe("use goodword", Edit.replace(span, "goodword")))


@pytest.fixture
def demo_rule() -> DemoRule:
    return DemoRule()


@pytest.fixture
def shared_dir() -> Path:
    return require(SHARED)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """In CI (AUTHLINT_REQUIRE_TOOLS=1) a real-component test may not skip for a missing tool:
    a green run must mean nats-server, Node and nginx really ran."""
    outcome = yield
    report = outcome.get_result()
    import os

    if report.skipped and os.environ.get("AUTHLINT_REQUIRE_TOOLS") == "1":
        if any(item.get_closest_marker(tool) for tool in ("broker", "node", "nginx")):
            report.outcome = "failed"
            report.longrepr = f"required tool missing in CI: {report.longrepr}"
