"""Files over max-file-size: a walked one is counted in the summary and listed by --verbose, never a
finding; one named on the command line is an E002 finding. SARIF carries the skipped files as
notifications of the run's invocation, valid against the SARIF 2.1.0 schema."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.shared import ROOT, SHARED_SARIF_SCHEMA

SARIF_SCHEMA = ROOT / "tests" / "schemas" / "sarif-schema-2.1.0.json"
FINDING = 'import jwt\nclaims = jwt.decode(token, options={"verify_signature": False})\n'


@pytest.fixture
def sized(tmp_path: Path, monkeypatch) -> Path:
    (tmp_path / ".git").mkdir()
    (tmp_path / "authlint.toml").write_text("max-file-size = 2000\n")
    (tmp_path / "app.py").write_text(FINDING)
    (tmp_path / "bundle.py").write_text(FINDING + "# generated\n" * 400)
    (tmp_path / "notes.png").write_text("x" * 5000)  # a name no rule reads: neither counted nor listed
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_a_walked_file_over_the_cap_is_counted_not_reported(invoke, sized) -> None:
    result = invoke("check", ".", "--no-cache", "--output-format", "concise")
    assert result.exit_code == 1
    assert "E002" not in result.stdout
    # app.py, and authlint.toml, a text file NAT009 searches for nkey seeds
    assert "Found 1 finding in 2 files checked.\n" in result.stdout
    assert "1 file skipped (larger than max-file-size, 2,000 bytes); --verbose lists it." in result.stdout
    assert "bundle.py" not in result.output


def test_verbose_lists_the_skipped_files(invoke, sized) -> None:
    result = invoke("--verbose", "check", ".", "--no-cache", "--output-format", "concise")
    assert "authlint: skipped bundle.py: 4,875 bytes" in result.stderr and "is over max-file-size (2,000)" in result.stderr
    assert "notes.png" not in result.stderr


def test_a_file_named_on_the_command_line_is_an_e002_finding(invoke, sized) -> None:
    result = invoke("check", "bundle.py", "--no-cache", "--output-format", "concise")
    assert result.exit_code == 1
    assert "bundle.py:1:1: E002 skipped: " in result.stdout
    assert "skipped (larger than" not in result.stdout


def test_the_cache_keeps_the_count(invoke, sized) -> None:
    first = invoke("check", ".", "--output-format", "concise")
    second = invoke("check", ".", "--output-format", "concise")
    assert first.stdout == second.stdout and "1 file skipped" in second.stdout


def test_json_stays_an_array_of_findings_and_the_count_goes_to_stderr(invoke, sized) -> None:
    result = invoke("check", ".", "--no-cache", "--output-format", "json")
    records = json.loads(result.stdout)
    assert [r["code"] for r in records] == ["JWT003"]
    assert "authlint: 1 file skipped (larger than max-file-size, 2,000 bytes)" in result.stderr


def test_sarif_carries_the_skipped_files_as_invocation_notifications(invoke, sized) -> None:
    import jsonschema

    result = invoke("check", ".", "--no-cache", "--output-format", "sarif")
    document = json.loads(result.stdout)
    schema = SARIF_SCHEMA if SARIF_SCHEMA.exists() else SHARED_SARIF_SCHEMA
    jsonschema.Draft4Validator(json.loads(schema.read_text(encoding="utf-8"))).validate(document)
    run = document["runs"][0]
    assert [r["ruleId"] for r in run["results"]] == ["JWT003"]
    (invocation,) = run["invocations"]
    assert invocation["executionSuccessful"] is True
    (note,) = invocation["toolExecutionNotifications"]
    assert note["level"] == "note"
    assert note["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "bundle.py"
    assert invocation["properties"]["filesSkippedTooLarge"] == 1


def test_sarif_without_skipped_files_has_no_invocation(invoke, sized) -> None:
    (sized / "authlint.toml").write_text("")
    document = json.loads(invoke("check", ".", "--no-cache", "--output-format", "sarif").stdout)
    assert "invocations" not in document["runs"][0]


def test_a_walked_text_file_over_the_cap_is_counted_as_skipped(invoke, sized) -> None:
    """NAT009 searches plain text files for seeds; one over the cap is skipped like any other kind."""
    (sized / "server.log").write_text("x" * 5000)
    result = invoke("--verbose", "check", ".", "--no-cache", "--output-format", "concise")
    assert "2 files skipped (larger than max-file-size, 2,000 bytes)" in result.stdout
    assert "authlint: skipped server.log: 5,000 bytes" in result.stderr
