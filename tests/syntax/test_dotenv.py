"""The dotenv syntax the loaders share: export, quotes, comments, escapes, references left unexpanded."""

from __future__ import annotations

import pytest

from authlint.syntax.dotenv import parse


def _values(text: str) -> dict[str, tuple[str, bool]]:
    return {a.name: (a.value, a.literal) for a in parse(text)}


def test_plain_exported_and_commented_lines() -> None:
    text = "# comment\n\nexport JWT_SECRET=abc # trailing note\nPORT=8080\nURL=http://x/#frag\n"
    assert _values(text) == {"JWT_SECRET": ("abc", True), "PORT": ("8080", True), "URL": ("http://x/#frag", True)}


def test_quotes_and_spans() -> None:
    text = "A='single # not a comment'\nB=\"double \\\"q\\\" \\n\"\nC=\n"
    found = {a.name: a for a in parse(text)}
    assert found["A"].value == "single # not a comment" and found["A"].quote == "'"
    assert text[found["A"].value_span.start : found["A"].value_span.end] == "single # not a comment"
    assert found["B"].value == 'double "q" \n'
    assert found["C"].value == "" and found["C"].value_span.start == found["C"].value_span.end


def test_multiline_double_quotes() -> None:
    text = 'KEY="-----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY-----"\nNEXT=1\n'
    found = {a.name: a for a in parse(text)}
    assert found["KEY"].value.count("\n") == 2
    assert found["NEXT"].value == "1"


@pytest.mark.parametrize("line", ["K=${OTHER}", "K=$OTHER", 'K="prefix-${OTHER}"', "K=a${B:-c}"])
def test_references_are_not_literals(line: str) -> None:
    assert _values(line + "\n")["K"][1] is False


def test_single_quotes_keep_dollars_literal() -> None:
    assert _values("K='$NOT_EXPANDED'\n")["K"] == ("$NOT_EXPANDED", True)


def test_lines_that_are_not_assignments_are_skipped() -> None:
    assert _values("just words\n=value\n  INDENTED = yes\r\nLAST=x") == {"INDENTED": ("yes", True), "LAST": ("x", True)}


def test_an_unterminated_quote_reads_as_unquoted() -> None:
    assert _values("K='open\nN=1\n") == {"K": ("'open", True), "N": ("1", True)}
