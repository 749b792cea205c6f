"""PyJWT findings against reality: tokens minted as the fixture does behave as the rules say.

The fixture module is loaded from the original and the fixed text (the test runs fixture code;
the linter never does).
"""

from __future__ import annotations

import importlib.util
from datetime import datetime, timedelta, timezone
from pathlib import Path
from types import ModuleType

import jwt
import pytest

from authlint.testing import fix_files, lint_files

FIXTURE = Path(__file__).parent.parent / "fixtures" / "python" / "jwt_service.py"
SKEW = timedelta(seconds=6)  # the minting machine's clock is 6 s behind the verifier's


@pytest.fixture(autouse=True)
def secret(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("JWT_SECRET", "integration-test-secret-0123456789abcdef")


def _load(text: str, tmp_path: Path, name: str) -> ModuleType:
    path = tmp_path / f"{name}.py"
    path.write_text(text)
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _skewed_token(service: ModuleType) -> str:
    return service.mint("alice", now=datetime.now(timezone.utc) - SKEW)


def test_findings_on_the_fixture() -> None:
    found = {(d.code, d.source.line_text(d.start[0]).strip()) for d in lint_files({"svc.py": FIXTURE.read_text()}).diagnostics}
    assert ("JWT001", "TTL = timedelta(seconds=5)") in found
    assert ("JWT006", 'return jwt.decode(token, KEY, algorithms=["HS256"])') in found
    assert ("JWT003", 'return jwt.decode(token, KEY, algorithms=["HS256"], options={"verify_signature": False})') in found
    assert ("JWT002", 'return jwt.encode({"sub": name}, KEY, algorithm="HS256")') in found
    assert not any(code == "JWT004" for code, _ in found)  # the key comes from the environment


def test_short_lifetime_without_leeway_is_rejected_and_the_fixes_accept_it(tmp_path: Path) -> None:
    original_text = FIXTURE.read_text()
    original = _load(original_text, tmp_path, "svc_original")
    with pytest.raises(jwt.ExpiredSignatureError):
        original.verify(_skewed_token(original))

    safe_only = fix_files({"svc.py": original_text}, unsafe=False)["svc.py"]
    assert "leeway=10" in safe_only and "timedelta(seconds=5)" in safe_only  # JWT006 is safe, JWT001 is not
    leeway = _load(safe_only, tmp_path, "svc_leeway")
    assert leeway.verify(_skewed_token(leeway))["sub"] == "alice"

    fixed_text = fix_files({"svc.py": original_text}, unsafe=True)["svc.py"]
    compile(fixed_text, "svc.py", "exec")
    assert fix_files({"svc.py": fixed_text}, unsafe=True)["svc.py"] == fixed_text
    fixed = _load(fixed_text, tmp_path, "svc_fixed")
    token = _skewed_token(fixed)
    assert fixed.verify(token)["sub"] == "alice"
    lifetime = jwt.decode(token, options={"verify_signature": False})["exp"] - (datetime.now(timezone.utc) - SKEW).timestamp()
    assert 55 <= lifetime <= 61  # JWT001's fix: min-lifetime


def test_unverified_decode_accepts_forgeries_until_fixed(tmp_path: Path) -> None:
    forged = jwt.encode({"sub": "admin"}, "attacker-key-0123456789abcdef0123456789", algorithm="HS256")
    original = _load(FIXTURE.read_text(), tmp_path, "svc_peek")
    assert original.peek(forged)["sub"] == "admin"
    fixed = _load(fix_files({"svc.py": FIXTURE.read_text()}, unsafe=True)["svc.py"], tmp_path, "svc_peek_fixed")
    with pytest.raises(jwt.InvalidSignatureError):
        fixed.peek(forged)


def test_token_without_exp_is_accepted_forever(tmp_path: Path) -> None:
    service = _load(FIXTURE.read_text(), tmp_path, "svc_forever")
    token = service.mint_service_token("billing")
    claims = service.verify(token)
    assert "exp" not in claims  # nothing will ever make PyJWT reject it as expired
    with pytest.raises(jwt.MissingRequiredClaimError):
        jwt.decode(token, "integration-test-secret-0123456789abcdef", algorithms=["HS256"], options={"require": ["exp"]})


@pytest.mark.parametrize(
    "written, value",
    [("leeway=20", 20), ("leeway=timedelta(seconds=20)", timedelta(seconds=20)), ("leeway=20.0", 20.0)],
)
def test_leeway_fact_is_the_skew_pyjwt_tolerates(written: str, value: object) -> None:
    """The extractor reads ``leeway=`` as PyJWT does: a token expired a little less than the recorded
    seconds ago passes, one expired a little more is rejected."""
    from authlint.facts.model import JwtVerify
    from tests.facts.helpers import facts_of

    code = f"import jwt\nfrom datetime import timedelta\nc = jwt.decode(t, KEY, algorithms=['HS256'], {written})\n"
    (verify,) = facts_of(code, JwtVerify)
    seconds = verify.leeway.seconds
    assert seconds == 20.0 and verify.leeway.unit == 1.0
    key = "integration-test-secret-0123456789abcdef"
    now = datetime.now(timezone.utc)
    inside = jwt.encode({"exp": now - timedelta(seconds=seconds - 5)}, key, algorithm="HS256")
    outside = jwt.encode({"exp": now - timedelta(seconds=seconds + 5)}, key, algorithm="HS256")
    assert jwt.decode(inside, key, algorithms=["HS256"], leeway=value)["exp"]
    with pytest.raises(jwt.ExpiredSignatureError):
        jwt.decode(outside, key, algorithms=["HS256"], leeway=value)


def test_verify_exp_false_fact_matches_pyjwt_accepting_expired_tokens() -> None:
    """``verifies_exp`` False is what PyJWT does with ``options={"verify_exp": False}``."""
    from authlint.facts.model import JwtVerify
    from tests.facts.helpers import facts_of

    (verify,) = facts_of("import jwt\nc = jwt.decode(t, KEY, algorithms=['HS256'], options={'verify_exp': False})\n", JwtVerify)
    assert verify.verifies_exp is False and verify.expiry_off is not None
    key = "integration-test-secret-0123456789abcdef"
    expired = jwt.encode({"exp": datetime.now(timezone.utc) - timedelta(days=1)}, key, algorithm="HS256")
    assert jwt.decode(expired, key, algorithms=["HS256"], options={"verify_exp": False})["exp"]
