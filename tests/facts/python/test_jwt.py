"""PyJWT mints (lifetimes) and verifications, Flask-JWT-Extended settings, JWT literals."""

from __future__ import annotations

import pytest

from authlint.facts.model import PEEK, JwtConfig, JwtLiteral, JwtMint, JwtVerify
from tests.facts.helpers import facts_of

HEAD = "import jwt\nimport time\nimport datetime as dt\nfrom datetime import datetime, timedelta, timezone\n"


@pytest.mark.parametrize(
    "exp, lifetime",
    [
        ("datetime.now(timezone.utc) + timedelta(minutes=15)", 900),
        ("datetime.utcnow() + timedelta(seconds=30)", 30),
        ("dt.datetime.now(tz=dt.timezone.utc) + dt.timedelta(hours=2)", 7200),
        ("int(time.time()) + 300", 300),
        ("time.time() + 10", 10),
        ("int((datetime.now() + timedelta(days=7)).timestamp())", 604800),
        ("timedelta(1, 30) + datetime.utcnow()", 86430),
    ],
)
def test_lifetime_from_exp(exp: str, lifetime: float) -> None:
    (mint,) = facts_of(HEAD + f"tok = jwt.encode({{'sub': 'u', 'exp': {exp}}}, KEY, algorithm='HS256')\n", JwtMint)
    assert mint.has_exp is True
    assert mint.lifetime == lifetime


@pytest.mark.parametrize(
    "conversion",
    ["int(dt_exp.strftime('%s'))", "dt_exp.timestamp()", "calendar.timegm(dt_exp.utctimetuple())",
     "int(time.mktime(dt_exp.timetuple()))"],
)
def test_lifetime_through_a_local_and_a_timestamp_conversion(conversion: str) -> None:
    code = HEAD + "import calendar\n" + (
        "def mint(user):\n"
        "    dt_exp = datetime.now() + timedelta(days=60)\n"
        f"    return jwt.encode({{'id': user, 'exp': {conversion}}}, KEY, algorithm='HS256')\n"
    )
    (mint,) = facts_of(code, JwtMint)
    assert mint.lifetime == 60 * 86400
    assert mint.lifetime_expr.text == "timedelta(days=60)"


def test_other_strftime_formats_are_no_timestamp() -> None:
    code = HEAD + "dt_exp = datetime.now() + timedelta(days=60)\ntok = jwt.encode({'exp': int(dt_exp.strftime('%Y'))}, KEY)\n"
    (mint,) = facts_of(code, JwtMint)
    assert mint.has_exp is True and mint.lifetime is None


def test_exp_set_after_the_dict_and_through_constants() -> None:
    code = HEAD + (
        "ACCESS_TTL = timedelta(minutes=5)\n"
        "def mint(user):\n"
        "    payload = {'sub': user}\n"
        "    now = datetime.now(timezone.utc)\n"
        "    payload['exp'] = now + ACCESS_TTL\n"
        "    return jwt.encode(payload, KEY)\n"
    )
    (mint,) = facts_of(code, JwtMint)
    assert mint.has_exp is True and mint.lifetime == 300
    assert mint.lifetime_expr.text == "timedelta(minutes=5)"
    assert mint.algorithm is None


def test_missing_exp_and_unknown_payload() -> None:
    code = HEAD + "a = jwt.encode({'sub': 'u'}, KEY)\nb = jwt.encode(claims, KEY)\nc = jwt.encode({**base}, KEY)\n"
    first, second, third = facts_of(code, JwtMint)
    assert first.has_exp is False
    assert second.has_exp is None
    assert third.has_exp is None


def test_decode_options_and_positional_algorithms() -> None:
    code = HEAD + (
        "a = jwt.decode(tok, KEY, ['HS256'], {'verify_exp': False}, leeway=10)\n"
        "b = jwt.PyJWT().decode(tok, KEY, algorithms=['HS256'], options={'verify_signature': False})\n"
        "h = jwt.get_unverified_header(tok)\n"
    )
    a, b, h = facts_of(code, JwtVerify)
    assert a.algorithms.value == ["HS256"] and a.switches.value("verify_exp") is False
    assert a.verifies_exp is False and a.expiry_off is a.switches.get("verify_exp")
    assert a.options.value("leeway") == 10 and a.verifies_signature is True
    assert a.leeway.option is a.options.get("leeway") and a.leeway.seconds == 10
    assert b.verifies_signature is False and b.signature_off.name == "verify_signature"
    assert h.function == "get_unverified_header" and h.verifies_signature is False
    assert h.intent == PEEK and h.reads == "header" and h.leeway is None


def test_flask_jwt_extended_settings_and_mints() -> None:
    code = (
        "from datetime import timedelta\nfrom flask_jwt_extended import create_access_token\n"
        "app.config['JWT_ACCESS_TOKEN_EXPIRES'] = timedelta(days=30)\n"
        "app.config.update(JWT_COOKIE_SECURE=False)\n"
        "class Config:\n    JWT_TOKEN_LOCATION = ['cookies']\n"
        "t = create_access_token(identity=u, expires_delta=False)\n"
        "s = create_access_token(u, expires_delta=timedelta(seconds=20))\n"
    )
    (config,) = facts_of(code, JwtConfig)
    assert set(config.settings.items) == {"JWT_ACCESS_TOKEN_EXPIRES", "JWT_COOKIE_SECURE", "JWT_TOKEN_LOCATION"}
    assert config.settings.value("JWT_COOKIE_SECURE") is False
    forever, short = facts_of(code, JwtMint)
    assert forever.has_exp is False
    assert short.lifetime == 20


def test_jwt_literals_anywhere() -> None:
    token = "eyJhbGciOiJub25lIn0.eyJzdWIiOiIxIn0."
    code = f"# sample: {token}\nHEADERS = {{'Authorization': 'Bearer {token}'}}\n"
    literals = facts_of(code, JwtLiteral)
    assert [lit.token for lit in literals] == [token, token]
    assert code[literals[1].span.start : literals[1].span.end] == token


def test_positional_algorithm_and_constant_algorithm() -> None:
    code = HEAD + "ALG = 'HS512'\na = jwt.encode(p, KEY, 'RS256')\nb = jwt.encode(p, KEY, algorithm=ALG)\n"
    a, b = facts_of(code, JwtMint)
    assert a.algorithm.value == "RS256"
    assert b.algorithm.value == "HS512" and b.algorithm.text == "ALG"
