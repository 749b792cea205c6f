"""Findings and fixes as LSP types: the CLI's message, the docs link, edits cut to the change."""

from __future__ import annotations

from lsprotocol import types

from authlint.diagnostics.diagnostic import Diagnostic, Edit, Severity
from authlint.files.source import Source, Span
from authlint.report.base import DOCS_URL
from authlint.server.convert import diff_edits, text_edits, to_lsp
from tests.server.harness import apply_text_edits

OLD = "one\ntwo \U0001F600 three\nfour\nfive\nsix\n"


def test_diff_edits_send_only_the_changed_characters() -> None:
    source = Source.from_text(OLD)
    new = OLD.replace("three", "3").replace("six", "6")
    edits = diff_edits(source, new)
    assert [e.new_text for e in edits] == ["3", "6"]
    assert edits[0].range.start == types.Position(line=1, character=len("two ") + 2 + 1)
    assert apply_text_edits(OLD, edits) == new
    assert diff_edits(source, OLD) == []


def test_diff_edits_of_inserted_and_removed_lines() -> None:
    source = Source.from_text(OLD)
    new = "zero\n" + OLD.replace("four\n", "")
    assert apply_text_edits(OLD, diff_edits(source, new)) == new


def test_an_edit_carrying_a_secret_is_not_sent() -> None:
    source = Source.from_text('KEY = "s3cr3t-value"\n')
    moved = Edit(0, 0, 'OLD = "s3cr3t-value"\n')
    assert text_edits(source, [moved], frozenset({"s3cr3t-value"})) is None
    plain = Edit(0, 0, "import os\n")
    assert [e.new_text for e in text_edits(source, [plain], frozenset({"s3cr3t-value"})) or []] == ["import os\n"]


def test_a_diagnostic_links_its_rule_and_masks_as_the_cli() -> None:
    source = Source.from_text("x = 1\n", "a.py")
    token = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U"
    diag = Diagnostic("JWT004", f"key {token} is weak", source, Span(0, 1), Severity.WARNING,
                      related=[(source, Span(4, 5), "the other place")])
    got = to_lsp(diag, source.path.parent)
    assert token not in got.message
    assert got.code == "JWT004" and got.source == "authlint" and got.code_description.href == DOCS_URL
    assert got.severity == types.DiagnosticSeverity.Warning
    assert got.related_information[0].message == "the other place"
