"""Messages are masked when they are made, by construction: a secret enters a message only through
a ``Masked`` (or ``Quoted``) Violation field. Over every rule's INVALID examples: no message holds
the plaintext of a secret span of the example's files, and a message holds a mask only when its
violation names a secret."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from authlint.facts.secrets import secret_spans
from authlint.files.classify import classify
from authlint.files.source import Source
from authlint.rule import Rule
from authlint.rules import registry
from authlint.run.context import FileContext
from authlint.testing import lint_files, make_settings

MASK = re.compile(r"\*{3,}")
WINDOW = 8  # a long secret's every run of this many characters stays out of messages

CASES = [
    pytest.param(rule.code, example, id=f"{rule.code}-{i}")
    for rule in registry().values()
    for i, example in enumerate(rule.examples)
    if not example.valid
]


def _plaintexts(files: dict[str, str]) -> set[str]:
    """The characters of every secret span of the example's files, as the engine finds them."""
    found = set()
    settings = make_settings()
    for relpath, text in files.items():
        kind = classify(Path(relpath).name, text.encode("utf-8"))
        if kind is None:
            continue
        source = Source(path=settings.root / relpath, relpath=relpath, text=text, kind=kind)
        found |= {text[s.start : s.end] for s in secret_spans(FileContext(source, settings))}
    return found


def _runs(secret: str) -> set[str]:
    if len(secret) < 4:
        return set()  # "abc" is a word too: a short secret is kept out by the mask's form
    if len(secret) <= WINDOW:
        return {secret}
    return {secret[i : i + WINDOW] for i in range(len(secret) - WINDOW + 1)}


@pytest.mark.parametrize("code, example", CASES)
def test_messages_hold_no_plaintext_and_masks_only_for_secrets(code: str, example, monkeypatch) -> None:
    named: dict[int, bool] = {}
    report = Rule.report

    def recording(self, ctx_or_source, span, violation, *args, **kwargs):
        diag = report(self, ctx_or_source, span, violation, *args, **kwargs)
        named[id(diag)] = violation.names_secret()
        return diag

    monkeypatch.setattr(Rule, "report", recording)
    files = {**example.files, example.path: example.code}
    overrides = dict(example.settings)
    if example.options:
        overrides["rule_options"] = {code: example.options}
    diagnostics = lint_files(files, select=[code], **overrides).diagnostics
    runs = set().union(*(_runs(secret) for secret in _plaintexts(files)))
    for diag in diagnostics:
        for run in runs:
            assert run not in diag.message, (run, diag.message)
        if MASK.search(diag.message):
            assert named.get(id(diag)), f"{diag.code} shows a mask but names no secret: {diag.message}"
