"""``authlint probe`` command lines the probe refuses before touching the network: exit 2, one
line, no credential echoed; and ``explain`` entries name the probe that asks the live server."""

from __future__ import annotations

import pytest

SECRET = "tok-5f1e9d0c2b7a"


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["ftp://h:21"], "give nats://HOST:PORT"),
        (["nats://"], "give nats://HOST:PORT"),
        (["nats://h:4222", "--origin", "https://a.example"], "--origin does not apply to a nats probe"),
        (["http://h:5000", "--token", SECRET], "--token does not apply to a socketio probe"),
        (["http://h:5000", "--auth", SECRET], "--auth expects KEY=VALUE"),
        (["http://h:5000", "--header", "X-Token"], "--header expects KEY:VALUE"),
        (["nats://h:4222", "--token", SECRET, "--user", "u"], "give one of --token"),
        (["nats://h:4222", "--password", SECRET], "--password needs --user"),
        (["nats://h:4222", "--timeout", "0"], "--timeout must be a positive"),
        (["nats://h:4222", "--output-format", "sarif"], "--output-format must be text or json"),
    ],
)
def test_usage_errors_exit_2_without_echoing_secrets(invoke, args: list[str], said: str) -> None:
    result = invoke("probe", *args)
    assert result.exit_code == 2, result.stdout
    assert said in result.stderr
    assert SECRET not in result.stderr and SECRET not in result.stdout


def test_explain_names_the_probe_for_live_questions(invoke) -> None:
    nats = invoke("explain", "nats: Authorization Violation").stdout
    assert "Ask the running server:\n  authlint probe nats://HOST:4222 --user USER" in nats
    origin = invoke("explain", "https://evil.example is not an accepted origin.").stdout
    assert "authlint probe http://HOST:PORT --origin" in origin
    config = invoke("explain", "unknown field 'authorisation'").stdout
    assert "Ask the running server" not in config  # a config warning: no live server can tell
