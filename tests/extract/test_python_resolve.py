"""Imports, aliases, constants and env reads resolved by the Python extractor."""

from __future__ import annotations

from authlint.facts import JwtMint, JwtVerify
from tests.extract.helpers import facts_of


def test_alias_import_and_module_constant_followed() -> None:
    code = 'import jwt as pyjwt\nSECRET = "s3cr3t-value"\n\ndef mint(p):\n    return pyjwt.encode(p, SECRET, algorithm="HS256")\n'
    (mint,) = facts_of(code, JwtMint)
    assert mint.key.value == "s3cr3t-value"
    assert mint.key.text == "SECRET"
    assert code[mint.key.origin.start : mint.key.origin.end] == '"s3cr3t-value"'
    assert mint.algorithm.value == "HS256"


def test_from_import_alias() -> None:
    code = "from jwt import decode as jwt_decode\nclaims = jwt_decode(tok, KEY, algorithms=['HS256'])\n"
    (verify,) = facts_of(code, JwtVerify)
    assert verify.algorithms.value == ["HS256"]
    assert verify.key.ref == "name:KEY"


def test_env_and_settings_refs() -> None:
    code = (
        "import os\nimport jwt\nfrom os import getenv\nfrom django.conf import settings\n"
        "a = jwt.decode(t, os.environ['A'], algorithms=['HS256'])\n"
        "b = jwt.decode(t, os.getenv('B', 'dev'), algorithms=['HS256'])\n"
        "c = jwt.decode(t, os.environ.get('C'), algorithms=['HS256'])\n"
        "d = jwt.decode(t, getenv('D'), algorithms=['HS256'])\n"
        "e = jwt.decode(t, settings.SECRET_KEY, algorithms=['HS256'])\n"
        "f = jwt.decode(t, app.config['JWT_SECRET_KEY'], algorithms=['HS256'])\n"
    )
    refs = [v.key.ref for v in facts_of(code, JwtVerify)]
    assert refs == ["env:A", "env:B", "env:C", "env:D", "settings:SECRET_KEY", "settings:JWT_SECRET_KEY"]


def test_function_local_constant_and_parameter_shadowing() -> None:
    code = (
        "import jwt\nKEY = 'module-key'\n"
        "def a():\n    KEY = 'local-key'\n    return jwt.encode({}, KEY)\n"
        "def b(KEY):\n    return jwt.encode({}, KEY)\n"
    )
    first, second = facts_of(code, JwtMint)
    assert first.key.value == "local-key"
    assert not second.key.known


def test_numeric_constant_arithmetic() -> None:
    code = "import jwt, time\nTTL = 60 * 60 * 24\ntok = jwt.encode({'exp': time.time() + TTL}, K)\n"
    (mint,) = facts_of(code, JwtMint)
    assert mint.lifetime == 86400


def test_spans_are_char_offsets_with_non_ascii_text() -> None:
    code = "# ünïcödé → ok\nimport jwt\nx = jwt.decode(tök, 'clé', algorithms=['HS256'])\n"
    (verify,) = facts_of(code, JwtVerify)
    assert code[verify.key.span.start : verify.key.span.end] == "'clé'"
    assert code[verify.span.start : verify.span.end].startswith("jwt.decode(")


def test_unrelated_names_are_ignored() -> None:
    code = "import json\nfrom mylib import jwt\ndata = json.decode(x)\nclaims = jwt.decode(x)\n"
    assert facts_of(code, JwtVerify) == []
