from __future__ import annotations

import json

import pytest

from authlint.report import FORMATS, render
from authlint.report.github import escape_data, escape_property
from tests.report.conftest import two_file_report

SECRET = "BADWORD-hunter2"


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_no_format_prints_a_secret(report, fmt: str) -> None:
    assert SECRET not in render(fmt, report)


def test_json_records_are_stable(report) -> None:
    records = json.loads(render("json", report))
    assert list(records[0]) == [
        "code", "name", "path", "line", "column", "end_line", "end_column", "message", "severity", "fix",
    ]
    first = records[0]
    assert (first["code"], first["path"], first["line"], first["column"]) == ("TST001", "app/main.py", 1, 13)
    assert (first["end_line"], first["end_column"]) == (1, 20)
    assert first["fix"]["applicability"] == "safe"
    assert first["fix"]["edits"][0] == {
        "file": "app/main.py", "content": "goodword", "line": 1, "column": 13, "end_line": 1, "end_column": 20
    }
    lines = render("json-lines", report).splitlines()
    assert [json.loads(line) for line in lines] == records


def test_concise_and_full(report) -> None:
    concise = render("concise", report).splitlines()
    assert concise[0].startswith("app/main.py:1:13: TST001 secret BA")
    full = render("full", report)
    assert "1 | password = \"BA" in full and "^^^^^^^" in full
    assert "= help: use goodword [safe fix]" in full
    assert "Found 2 findings in 1 file checked.\n2 fixable with `authlint fix --apply`." in full


def test_github_annotations_are_escaped(report) -> None:
    lines = render("github", report).splitlines()
    assert lines[0].startswith("::error title=authlint (TST001),file=app/main.py,line=1,col=13,endLine=1,endColumn=20::")
    assert "%0Asecond line" in lines[0] and "100%25" in lines[0]
    assert escape_property("a:b,c%") == "a%3Ab%2Cc%25"
    assert escape_data("a\r\nb") == "a%0D%0Ab"


def test_a_fix_of_two_files_names_each_edits_file(monkeypatch) -> None:
    report = two_file_report(monkeypatch)
    edits = json.loads(render("json", report))[0]["fix"]["edits"]
    assert [(e["file"], e["line"], e["column"], e["content"]) for e in edits] == [
        ("client.py", 1, 6, "goodword"), ("server.py", 2, 5, "peer"),
    ]
    full = render("full", report)
    assert "= help: pair [unsafe fix] (edits 2 files: client.py, server.py)" in full
