from __future__ import annotations

import time

import jwt

KEY = "k" * 32


def _token(**claims) -> str:
    return jwt.encode(claims, KEY, algorithm="HS256")


def test_jwt_inspect_reports_expiry_and_verifies_key(invoke) -> None:
    now = int(time.time())
    token = _token(sub="u", iat=now - 100, exp=now - 40)
    result = invoke("jwt", "inspect", token, "--key", KEY)
    assert result.exit_code == 1
    assert "expired" in result.stdout and ": valid" in result.stdout
    assert token not in result.stdout and KEY not in result.stdout
    wrong = invoke("jwt", "inspect", token, "--key", "x" * 32)
    assert "INVALID (InvalidSignatureError" in wrong.stdout


def test_jwt_inspect_healthy_token_exits_0(invoke) -> None:
    now = int(time.time())
    result = invoke("jwt", "inspect", _token(iat=now, exp=now + 3600))
    assert result.exit_code == 0 and "findings: none" in result.stdout and "lifetime: 1h" in result.stdout


def test_jwt_inspect_flags_short_no_exp_and_future_iat(invoke) -> None:
    now = int(time.time())
    assert "lives only 30s" in invoke("jwt", "inspect", _token(iat=now, exp=now + 30)).stdout
    assert "no 'exp' claim" in invoke("jwt", "inspect", _token(sub="x")).stdout
    assert "in the future" in invoke("jwt", "inspect", _token(iat=now + 600, exp=now + 4200)).stdout


def test_jwt_inspect_rejects_garbage(invoke) -> None:
    result = invoke("jwt", "inspect", "not-a-token")
    assert result.exit_code == 2 and "not a decodable JWT" in result.stderr


def test_explain(invoke) -> None:
    result = invoke("explain", "nats: Authorization Violation")
    assert result.exit_code == 0 and "Likely causes" in result.stdout and "NAT010" in result.stdout
    assert invoke("explain", "everything is fine").exit_code == 1


def test_jwt_inspect_masks_the_token_and_the_key(invoke, tmp_path) -> None:
    """The token and the key are shown in the mask form every output uses; a PEM key by its size."""
    from authlint.diagnostics.mask import mask_value

    now = int(time.time())
    token = _token(sub="u", iat=now, exp=now + 3600)
    result = invoke("jwt", "inspect", token, "--key", KEY)
    assert f"token:   {mask_value(token)}\n" in result.stdout
    assert f"signature with key {mask_value(KEY)}: valid" in result.stdout
    pem = tmp_path / "key.pem"
    pem.write_text("-----BEGIN PUBLIC KEY-----\nMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE\n-----END PUBLIC KEY-----\n")
    shown = invoke("jwt", "inspect", token, "--key", f"@{pem}", "--algorithm", "ES256").stdout
    assert "MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE" not in shown and "(a 3-line PEM key)" in shown
