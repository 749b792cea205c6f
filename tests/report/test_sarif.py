from __future__ import annotations

import json

import pytest

from authlint.report import render
from tests.report.conftest import two_file_report
from tests.shared import SARIF_SCHEMA, SHARED_SARIF_SCHEMA, require


@pytest.fixture(scope="module")
def validator():
    import jsonschema  # a test dependency: a missing one fails, never skips

    return jsonschema.Draft4Validator(json.loads(SARIF_SCHEMA.read_text(encoding="utf-8")))


def test_the_shipped_schema_is_the_official_one() -> None:
    """The copy in tests/schemas is byte for byte the schema in ../shared (which CI always has)."""
    assert SARIF_SCHEMA.read_bytes() == require(SHARED_SARIF_SCHEMA).read_bytes()


def test_sarif_validates_against_the_official_schema(report, validator, monkeypatch) -> None:
    import authlint.rules

    monkeypatch.setattr(authlint.rules, "registry", lambda: {r.code: type(r) for r in report.rules})
    document = json.loads(render("sarif", report))
    errors = sorted(validator.iter_errors(document), key=str)
    assert not errors, errors[0]
    run = document["runs"][0]
    assert len(document["runs"]) == 1
    rule = run["tool"]["driver"]["rules"][0]
    assert rule["id"] == "TST001" and rule["help"]["text"].startswith("## What it does")
    result = run["results"][0]
    location = result["locations"][0]["physicalLocation"]
    assert location["artifactLocation"] == {"uri": "app/main.py", "uriBaseId": "%SRCROOT%"}
    assert location["region"] == {"startLine": 1, "startColumn": 13, "endLine": 1, "endColumn": 20}
    fingerprints = [r["partialFingerprints"]["primaryLocationLineHash"] for r in run["results"]]
    assert len(set(fingerprints)) == 2
    assert result["fixes"][0]["artifactChanges"][0]["replacements"][0]["insertedContent"] == {"text": "goodword"}


def test_empty_sarif_validates(validator) -> None:
    from authlint.report.base import ReportInput

    document = json.loads(render("sarif", ReportInput([], [], 0)))
    assert not list(validator.iter_errors(document))


def test_a_fix_of_two_files_has_one_artifact_change_per_file(validator, monkeypatch) -> None:
    document = json.loads(render("sarif", two_file_report(monkeypatch)))
    assert not list(validator.iter_errors(document))
    changes = document["runs"][0]["results"][0]["fixes"][0]["artifactChanges"]
    assert [c["artifactLocation"]["uri"] for c in changes] == ["client.py", "server.py"]
    server = changes[1]["replacements"][0]
    assert server["deletedRegion"] == {"startLine": 2, "startColumn": 5, "endLine": 2, "endColumn": 9}
    assert server["insertedContent"] == {"text": "peer"}
