"""JWT003 (Python): an unverified decode fixed with the key and algorithm of the project's own mint,
executed with PyJWT and python-jose: the project's tokens still pass, forged ones no longer do.
The peek-then-verify pattern is left alone and keeps working."""

from __future__ import annotations

import json

import pytest

from tests.behaviour.jwt.tokens import ENV, SECRET, forged, other_key
from tests.behaviour.project import codes, fixed

SETTINGS = 'import os\n\nJWT_SECRET = os.environ["JWT_SECRET"]\nJWT_ALGORITHM = "HS256"\n'

MINT = '''"""Issues access tokens."""
from datetime import datetime, timedelta, timezone

import jwt

from settings import JWT_SECRET

ACCESS_TTL = timedelta(minutes=15)


def mint(user):
    now = datetime.now(timezone.utc)
    return jwt.encode(
        {"sub": user, "iat": now, "exp": now + ACCESS_TTL},
        JWT_SECRET,
        algorithm="HS256",
    )
'''

# the decode reads claims without verifying; the key is not even passed
API_NO_KEY = '''import jwt

import settings


def current_user(token):
    claims = jwt.decode(
        token,
        options={"verify_signature": False},  # TODO: verify before release
    )
    return claims["sub"]
'''

# the key is passed, `algorithms` is not (PyJWT 2 refuses every call without it once verifying)
API_WITH_KEY = '''import jwt
from settings import JWT_SECRET


def current_user(token):
    return jwt.decode(token, JWT_SECRET, options={"verify_signature": False, "verify_aud": False})["sub"]
'''

OUTCOMES = '''
import json, sys
from {module} import current_user
import auth
tokens = json.loads(sys.argv[1]) if len(sys.argv) > 1 else {{}}
result = {{"legit": current_user(auth.mint("alice"))}}
for name, token in json.loads({forged!r}).items():
    try:
        result[name] = current_user(token)
    except Exception as exc:
        result[name] = "rejected: " + type(exc).__name__
print(json.dumps(result))
'''


def _outcomes(python_project, files: dict[str, str], module: str) -> dict[str, str]:
    project = python_project(files)
    return project.run(OUTCOMES.format(module=module, forged=json.dumps(forged())))


@pytest.fixture(autouse=True)
def _secret(monkeypatch: pytest.MonkeyPatch) -> None:
    for name, value in ENV.items():
        monkeypatch.setenv(name, value)


@pytest.mark.parametrize("api", [API_NO_KEY, API_WITH_KEY], ids=["no-key", "key-without-algorithms"])
def test_the_fixed_decode_accepts_the_projects_tokens_and_refuses_forgeries(python_project, api: str) -> None:
    files = {"settings.py": SETTINGS, "auth.py": MINT, "api.py": api}
    before = _outcomes(python_project, files, "api")
    assert before["legit"] == "alice" and before["alg-none"] == "admin"  # the hole: anyone is admin

    after = fixed(files, "JWT003")
    api_text = after["api.py"]
    assert "verify_signature" not in api_text and "algorithms=['HS256']" in api_text.replace('"', "'")
    if api is API_NO_KEY:
        # the key as this module reaches it (``import settings``), the comment kept on its line
        assert "key=settings.JWT_SECRET, algorithms=['HS256'],  # TODO: verify before release" in api_text.replace('"', "'")
    else:
        assert '"verify_aud": False' in api_text  # the other switch stays
    outcomes = _outcomes(python_project, after, "api")
    assert outcomes["legit"] == "alice"
    assert outcomes["alg-none"].startswith("rejected")
    assert outcomes["other-key"] == "rejected: InvalidSignatureError"
    assert outcomes["expired"] == "rejected: ExpiredSignatureError"


def test_a_key_this_module_cannot_reach_is_shown_never_applied() -> None:
    """The mint signs with a name only its own module binds: the decode has no way to name it."""
    mint = MINT.replace("from settings import JWT_SECRET\n", "").replace(
        "ACCESS_TTL =", 'JWT_SECRET = open("/run/secrets/jwt").read().strip()\nACCESS_TTL =')
    api = API_NO_KEY.replace("import settings\n", "")
    files = {"auth.py": mint, "api.py": api}
    from authlint.testing import fix_files, lint_files

    (finding,) = [d for d in lint_files(files, select=["JWT003"]).diagnostics]
    assert finding.fix is not None and finding.fix.applicability.value == "display-only"
    assert "JWT_SECRET" in finding.fix.edits[0].content
    assert fix_files(files, select=["ALL"])["api.py"] == api


PYTHON_JOSE_MINT = '''from datetime import datetime, timedelta, timezone

from jose import jwt

from settings import JWT_SECRET


def mint(user):
    now = datetime.now(timezone.utc)
    return jwt.encode({"sub": user, "iat": now, "exp": now + timedelta(minutes=15)}, JWT_SECRET, algorithm="HS384")
'''

PYTHON_JOSE_API = '''from jose import jwt

from settings import JWT_SECRET


def current_user(token):
    claims = jwt.decode(
        token,
        JWT_SECRET,
        options={
            "verify_signature": False,
            "verify_aud": False,
        },
    )
    return claims["sub"]
'''


def test_python_jose_decode_verifies_with_the_minted_algorithm(python_project) -> None:
    files = {"settings.py": SETTINGS, "auth.py": PYTHON_JOSE_MINT, "api.py": PYTHON_JOSE_API}
    before = _outcomes(python_project, files, "api")
    assert before["alg-none"] == "admin"
    after = fixed(files, "JWT003")
    assert "algorithms=['HS384']" in after["api.py"].replace('"', "'")
    outcomes = _outcomes(python_project, after, "api")
    assert outcomes["legit"] == "alice"
    for name in ("alg-none", "other-key", "expired"):
        assert outcomes[name].startswith("rejected: "), (name, outcomes)


PEEK = '''import jwt

TENANTS = {
    "https://a.example.com": {"key": "tenant-a-key-0123456789abcdef0123", "audience": "api"},
    "https://b.example.com": {"key": "tenant-b-key-0123456789abcdef0123", "audience": "api"},
}


def authenticate(token):
    unverified = jwt.decode(token, options={"verify_signature": False})
    tenant = TENANTS[unverified["iss"]]
    claims = jwt.decode(
        token,
        tenant["key"],
        algorithms=["HS256"],
        audience=tenant["audience"],
        issuer=unverified["iss"],
        leeway=10,
    )
    return claims["sub"]


def kid_then_verify(token, keys):
    header = jwt.get_unverified_header(token)
    key = keys[header["kid"]]
    return jwt.decode(token, key, algorithms=["HS256"], leeway=10)["sub"]
'''

PEEK_RUN = '''
import json, time
import jwt
from tenants import authenticate, kid_then_verify, TENANTS
now = int(time.time())
claims = {"sub": "alice", "iss": "https://a.example.com", "aud": "api", "exp": now + 600}
good = jwt.encode(claims, TENANTS["https://a.example.com"]["key"], algorithm="HS256")
wrong_tenant_key = jwt.encode(claims, TENANTS["https://b.example.com"]["key"], algorithm="HS256")
keys = {"k1": "kid-key-0123456789abcdef0123456789"}
by_kid = jwt.encode({"sub": "bob", "exp": now + 600}, keys["k1"], algorithm="HS256", headers={"kid": "k1"})
forged_kid = jwt.encode({"sub": "eve", "exp": now + 600}, "x" * 32, algorithm="HS256", headers={"kid": "k1"})
result = {"good": authenticate(good), "kid": kid_then_verify(by_kid, keys)}
for name, call in (("wrong-tenant-key", lambda: authenticate(wrong_tenant_key)),
                   ("forged-kid", lambda: kid_then_verify(forged_kid, keys))):
    try:
        result[name] = call()
    except jwt.InvalidTokenError as exc:
        result[name] = "rejected: " + type(exc).__name__
print(json.dumps(result))
'''


def test_peek_then_verify_is_not_reported_and_keeps_working(python_project) -> None:
    files = {"tenants.py": PEEK}
    assert not codes(files)["JWT003"]
    from authlint.testing import fix_files

    assert fix_files(files, select=["ALL"]) == files
    outcomes = python_project(files).run(PEEK_RUN)
    assert outcomes == {"good": "alice", "kid": "bob", "wrong-tenant-key": "rejected: InvalidSignatureError",
                        "forged-kid": "rejected: InvalidSignatureError"}


def test_other_key_helper_is_really_another_key() -> None:
    import jwt

    with pytest.raises(jwt.InvalidSignatureError):
        jwt.decode(other_key({"sub": "x"}), SECRET, algorithms=["HS256"])
