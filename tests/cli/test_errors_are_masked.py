"""Error lines and ``--verbose`` tracebacks can quote a file's text: what the pattern set knows is
masked there too (a JWT, a PEM body, an nkey seed, a URL password)."""

from __future__ import annotations

from authlint.cli import commands

JWT = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJlc2lnbmF0dXJl"


def test_an_internal_error_and_its_traceback_mask_the_patterns(capsys) -> None:
    def crash() -> int:
        raise ValueError(f"bad literal {JWT} in nats://u:pw-secret-9@h")

    commands.set_verbose(True)
    try:
        assert commands.guarded(crash) == 2
    finally:
        commands.set_verbose(False)
    err = capsys.readouterr().err
    assert "Traceback" in err and "ValueError" in err
    assert JWT not in err and "pw-secret-9" not in err
    assert "bad literal ey************(+47) in nats://u:pw*********@h" in err


def test_plain_error_text_is_left_alone(capsys) -> None:
    commands.err("authlint: skipped nats-server.conf: secret word, token and password stay words")
    assert capsys.readouterr().err == "authlint: skipped nats-server.conf: secret word, token and password stay words\n"
