"""The probe report: verdicts map to exit codes, refusals carry the explain catalogue's causes, and
both renderings show the server's exact words while masking every credential given."""

from __future__ import annotations

import json

import pytest

from authlint.probe.redact import Redactor
from authlint.probe.render import render
from authlint.probe.report import ACCEPTED, REFUSED, UNREACHABLE, ProbeReport, Step

TOKEN = "s3cr3t-token-value-91f2"


def _refused() -> ProbeReport:
    report = ProbeReport(target=f"nats://{TOKEN}@127.0.0.1:4222", protocol="nats")
    report.add(Step("info", "ok", "nats-server 2.9.10, auth required", {"auth_required": True}))
    report.add(Step("connect", "refused", f"CONNECT with token {TOKEN} refused", said="-ERR 'Authorization Violation'"))
    report.conclude(REFUSED, "-ERR 'Authorization Violation'")
    return report


def test_verdicts_give_the_documented_exit_codes() -> None:
    report = ProbeReport(target="nats://h:4222", protocol="nats")
    for verdict, code in ((ACCEPTED, 0), (REFUSED, 1), (UNREACHABLE, 2)):
        report.conclude(verdict, "why")
        assert report.exit_code == code
    with pytest.raises(ValueError):
        report.conclude("maybe")
    with pytest.raises(ValueError):
        Step("x", "fine", "")


def test_a_refusal_carries_the_explain_entries_it_matches() -> None:
    report = _refused()
    assert [entry["title"] for entry in report.causes] == ["NATS: Authorization Violation"]
    assert "NAT010" in report.causes[0]["codes"]
    accepted = ProbeReport(target="nats://h:4222", protocol="nats")
    accepted.conclude(ACCEPTED, "Authorization Violation")  # an accepted probe explains nothing
    assert accepted.causes == []


@pytest.mark.parametrize("output_format", ["text", "json"])
def test_renderings_mask_the_credentials_and_keep_the_server_words(output_format: str) -> None:
    redactor = Redactor()
    redactor.add_url(f"nats://{TOKEN}@127.0.0.1:4222")
    shown = render(_refused(), output_format, redactor)
    assert TOKEN not in shown and TOKEN[:6] not in shown
    assert "Authorization Violation" in shown and "127.0.0.1:4222" in shown
    if output_format == "json":
        data = json.loads(shown)
        assert data["verdict"] == "refused" and data["steps"][1]["said"] == "-ERR 'Authorization Violation'"
    else:
        assert "REFUSED: -ERR 'Authorization Violation'" in shown and "Likely causes" in shown


def test_the_redactor_masks_encoded_forms_and_url_passwords() -> None:
    redactor = Redactor()
    redactor.add("p@ss word/+")
    redactor.add_url("nats://alice:hunter2-long@h:4222")
    redactor.add_url("http://h:5000/socket.io/")  # no credentials: nothing to add
    text = redactor.text("a p@ss word/+ b p%40ss%20word%2F%2B c p%40ss+word%2F%2B d hunter2-long e alice")
    assert "p@ss" not in text and "p%40ss" not in text and "hunter2" not in text
    assert text.startswith("a ") and text.endswith(" e alice")  # the user name is not a secret
