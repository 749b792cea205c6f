"""How a mint's key can be named elsewhere (``KeyReach``), the names a decode's file offers for it
(``KeyNames``), and the peek-then-verify pattern (``selects_verification``), in Python."""

from __future__ import annotations

import pytest

from authlint.facts.model import JwtMint, JwtVerify
from tests.facts.helpers import facts_of


def _mint(code: str, relpath: str = "app/auth.py") -> JwtMint:
    (mint,) = facts_of("import jwt\n" + code, JwtMint, relpath)
    return mint


def test_a_module_constant_read_from_the_environment() -> None:
    reach = _mint("import os\nSECRET = os.environ['JWT_SECRET']\ndef mint(u):\n    return jwt.encode({}, SECRET)\n").key_reach
    assert reach is not None
    assert reach.names == ["env:JWT_SECRET", "module:app.auth.SECRET"]
    assert reach.code == "os.environ['JWT_SECRET']" and reach.needs == {"os": "os"}


def test_an_imported_key_is_named_by_where_it_comes_from() -> None:
    reach = _mint("from app.settings import JWT_KEY\ntok = jwt.encode({}, JWT_KEY)\n").key_reach
    assert reach is not None and reach.names == ["module:app.settings.JWT_KEY"] and reach.code is None


@pytest.mark.parametrize("code", [
    "def mint(u, key):\n    return jwt.encode({}, key)\n",  # a parameter: only the caller knows
    "tok = jwt.encode({}, 'literal-secret-0123456789-0123456789')\n",  # a literal is never copied
])
def test_keys_that_cannot_be_named_elsewhere(code: str) -> None:
    assert _mint(code).key_reach is None


def test_a_read_with_a_literal_default_is_not_copied() -> None:
    reach = _mint("import os\ntok = jwt.encode({}, os.getenv('K', 'dev-secret'))\n").key_reach
    assert reach is not None and reach.names == ["env:K"] and reach.code is None


def test_the_names_a_decode_file_offers() -> None:
    code = ("import os\nimport jwt\nimport app.settings as cfg\nfrom app.auth import SECRET\nKEY = os.getenv('JWT_SECRET')\n"
            "def check(token, KEY2):\n    return jwt.decode(token, options={'verify_signature': False})\n")
    (verify,) = facts_of(code, JwtVerify, "app/api.py")
    names = verify.key_names
    assert names is not None and names.module == "app.api"
    assert names.spellings["env:JWT_SECRET"] == "KEY"
    assert names.spellings["module:app.auth.SECRET"] == "SECRET"
    assert names.spellings["module:app.api.KEY"] == "KEY"
    assert names.imports["cfg"] == "app.settings" and names.imports["os"] == "os"


def test_a_module_name_shadowed_by_a_parameter_is_not_offered() -> None:
    code = ("import os, jwt\nKEY = os.environ['K']\n"
            "def check(token, KEY):\n    return jwt.decode(token, options={'verify_signature': False})\n")
    (verify,) = facts_of(code, JwtVerify)
    assert "env:K" not in verify.key_names.spellings  # type: ignore[union-attr]


def test_a_decode_with_its_key_collects_no_names() -> None:
    (verify,) = facts_of("import jwt\nc = jwt.decode(t, KEY, algorithms=['HS256'])\n", JwtVerify)
    assert verify.key_names is None and verify.key_keyword == "key"


PEEKS = {
    "claims pick the key and issuer": (
        "def auth(token):\n    unverified = jwt.decode(token, options={'verify_signature': False})\n"
        "    tenant = TENANTS[unverified['iss']]\n"
        "    return jwt.decode(token, tenant.key, algorithms=['RS256'], issuer=unverified['iss'])\n", True),
    "header kid, through two names": (
        "def auth(token):\n    header = jwt.get_unverified_header(token)\n    kid = header['kid']\n    key = KEYS[kid]\n"
        "    return jwt.decode(token, key, algorithms=['HS256'])\n", True),
    "inline": ("def auth(token):\n    return jwt.decode(token, KEYS[jwt.get_unverified_header(token)['kid']], algorithms=['HS256'])\n", True),
    "another token verified": (
        "def auth(token, other):\n    claims = jwt.decode(token, options={'verify_signature': False})\n"
        "    jwt.decode(other, KEYS[claims['iss']], algorithms=['HS256'])\n    return claims\n", False),
    "the result does not choose the key": (
        "def auth(token):\n    claims = jwt.decode(token, options={'verify_signature': False})\n"
        "    jwt.decode(token, KEY, algorithms=['HS256'])\n    return claims\n", False),
    "the verify comes first": (
        "def auth(token):\n    jwt.decode(token, KEY, algorithms=['HS256'])\n"
        "    claims = jwt.decode(token, options={'verify_signature': False})\n    return KEYS[claims['iss']]\n", False),
    "another function": (
        "def peek(token):\n    return jwt.decode(token, options={'verify_signature': False})\n"
        "def auth(token, claims):\n    return jwt.decode(token, KEYS[claims['iss']], algorithms=['HS256'])\n", False),
}


@pytest.mark.parametrize("name", list(PEEKS))
def test_peek_then_verify(name: str) -> None:
    code, selects = PEEKS[name]
    looks = [v for v in facts_of("import jwt\n" + code, JwtVerify) if v.verifies_signature is False]
    assert looks and all(look.selects_verification is selects for look in looks)
