"""JWT001, JWT002 and JWT006 (Python), executed: the fixed mint's tokens live the new lifetime
(``exp - iat``), and the fixed verification tolerates clock skew (a token expired a few seconds ago
passes) without accepting expired tokens (one expired a minute ago does not), forgeries neither."""

from __future__ import annotations

import json

import pytest

from tests.behaviour.jwt.tokens import ENV, expired, forged
from tests.behaviour.project import fixed

SETTINGS = '''import os

JWT_SECRET = os.environ["JWT_SECRET"]
'''

MINT = '''from datetime import datetime, timedelta, timezone

import jwt

from settings import JWT_SECRET

ACCESS_TOKEN_TTL = timedelta(seconds=5)  # short, "for security"


def mint(user):
    now = datetime.now(timezone.utc)
    payload = {
        "sub": user,
        "iat": now,
        "exp": now + ACCESS_TOKEN_TTL,
    }
    return jwt.encode(payload, JWT_SECRET, algorithm="HS256")
'''

LONG_MINT = '''import os
import time

import jwt

SECRET = os.environ["JWT_SECRET"]


def mint(user):
    now = int(time.time())
    return jwt.encode(
        {
            "sub": user,
            "iat": now,
            "exp": now + 60 * 60 * 24 * 30,  # a month: nobody likes logging in
        },
        SECRET,
        algorithm="HS256",
    )
'''

LIFETIME = '''
import json, jwt
from {module} import mint
claims = jwt.decode(mint("alice"), options={{"verify_signature": False}})
print(json.dumps({{"lifetime": int(claims["exp"]) - int(claims["iat"])}}))
'''


@pytest.fixture(autouse=True)
def _secret(monkeypatch: pytest.MonkeyPatch) -> None:
    for name, value in ENV.items():
        monkeypatch.setenv(name, value)


def test_jwt001_the_fixed_constant_mints_tokens_that_live_the_minimum(python_project) -> None:
    files = {"settings.py": SETTINGS, "auth.py": MINT}
    assert python_project(files).run(LIFETIME.format(module="auth"))["lifetime"] == 5
    after = fixed(files, "JWT001")
    assert "ACCESS_TOKEN_TTL = timedelta(minutes=1)  # short" in after["auth.py"]
    assert python_project(after).run(LIFETIME.format(module="auth"))["lifetime"] == 60


def test_jwt002_the_fixed_mint_issues_tokens_that_live_a_day(python_project) -> None:
    files = {"auth.py": LONG_MINT}
    assert python_project(files).run(LIFETIME.format(module="auth"))["lifetime"] == 30 * 86400
    after = fixed(files, "JWT002")
    assert "# a month: nobody likes logging in" in after["auth.py"]  # the comment stays on its line
    assert python_project(after).run(LIFETIME.format(module="auth"))["lifetime"] == 86400


VERIFY_PYJWT = '''import jwt

from settings import JWT_SECRET


def current_user(token):
    claims = jwt.decode(
        token,
        JWT_SECRET,
        algorithms=["HS256"],  # pinned
        options={"require": ["exp", "sub"]},
    )
    return claims["sub"]
'''

VERIFY_JOSE = '''from jose import jwt

from settings import JWT_SECRET


def current_user(token):
    return jwt.decode(token, JWT_SECRET, algorithms=["HS256"])["sub"]
'''

VERIFY_OPTIONS_IN_A_VARIABLE = '''import jwt

from settings import JWT_SECRET

DECODE_OPTIONS = {"require": ["exp"]}


def current_user(token):
    return jwt.decode(token, JWT_SECRET, algorithms=["HS256"], options=DECODE_OPTIONS)["sub"]
'''

VERIFY_KWARGS_IN_A_VARIABLE = '''import jwt

from settings import JWT_SECRET

DECODE_KWARGS = {
    "algorithms": ["HS256"],
    "options": {"require": ["exp"]},  # every token must expire
}


def current_user(token):
    return jwt.decode(token, JWT_SECRET, **DECODE_KWARGS)["sub"]
'''

SKEW = '''
import json
from api import current_user
result = {{}}
for name, token in json.loads({tokens!r}).items():
    try:
        result[name] = current_user(token)
    except Exception as exc:
        result[name] = "rejected: " + type(exc).__name__
print(json.dumps(result))
'''


def _skew(python_project, files: dict[str, str]) -> dict[str, str]:
    tokens = {"skewed": expired(4), "minute-ago": expired(60), **forged()}
    return python_project(files).run(SKEW.format(tokens=json.dumps(tokens)))


@pytest.mark.parametrize("api", [VERIFY_PYJWT, VERIFY_JOSE, VERIFY_OPTIONS_IN_A_VARIABLE, VERIFY_KWARGS_IN_A_VARIABLE],
                         ids=["pyjwt-multiline", "python-jose", "pyjwt-options-in-a-variable", "pyjwt-kwargs-in-a-variable"])
def test_jwt006_the_fixed_verify_tolerates_skew_but_not_expiry(python_project, api: str) -> None:
    settings = 'import os\n\nJWT_SECRET = os.environ["JWT_SECRET"]\n'
    files = {"settings.py": settings, "api.py": api}
    before = _skew(python_project, files)
    assert before["skewed"].startswith("rejected: ")  # a clock 4 s ahead rejects a valid token
    after = fixed(files, "JWT006")
    if api is VERIFY_PYJWT:
        assert 'algorithms=["HS256"],  # pinned\n        options={"require": ["exp", "sub"]},\n        leeway=10,\n' in after["api.py"]
    if api is VERIFY_KWARGS_IN_A_VARIABLE:  # edited where the keyword arguments are written
        assert '"options": {"require": ["exp"]},  # every token must expire\n    "leeway": 10,\n}' in after["api.py"]
    outcomes = _skew(python_project, after)
    assert outcomes["skewed"] == "alice"
    for name in ("minute-ago", "alg-none", "other-key", "expired"):
        assert outcomes[name].startswith("rejected: "), (name, outcomes)
