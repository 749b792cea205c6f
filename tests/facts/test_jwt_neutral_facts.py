"""The same verification written with a Python and a JS library gives the same neutral facts: whether
signature and expiry are checked, where the leeway lives (and in which unit), what the algorithm list
holds and where, and whether the call verifies or only peeks. Rules read these fields only."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from authlint.facts.knowledge.durations import go_seconds, jose_seconds, jose_tolerance_seconds, setting_seconds
from authlint.facts.model import DECODE_ONLY, PEEK, VERIFY, JwtMint, JwtVerify
from tests.facts import helpers, jsfacts


@dataclass(frozen=True)
class Neutral:
    """The fields a rule may read, with the library-specific spelling left out."""

    intent: str
    reads: str
    verifies_signature: bool | None
    verifies_exp: bool | None
    expiry_switch: bool  # an expiry switch is written
    algorithms: list | None
    algorithms_at: str
    leeway_seconds: float | None
    leeway_written: bool
    leeway_unit: float | None
    leeway_editable: bool  # a fix can add or set it at this call (beside the options, or in new nested ones)
    leeway_hidden: bool


def neutral(fact: JwtVerify) -> Neutral:
    slot = fact.leeway
    return Neutral(
        intent=fact.intent, reads=fact.reads, verifies_signature=fact.verifies_signature,
        verifies_exp=fact.verifies_exp, expiry_switch=fact.expiry_off is not None,
        algorithms=fact.algorithms.value if fact.algorithms is not None else None, algorithms_at=fact.algorithms_at,
        leeway_seconds=slot.seconds if slot else None, leeway_written=bool(slot and slot.option),
        leeway_unit=slot.unit if slot else None,
        leeway_editable=bool(slot and (slot.bag is not None and slot.bag.insert_at is not None or slot.holder)),
        leeway_hidden=bool(slot and slot.hidden),
    )


def python_verify(code: str) -> JwtVerify:
    (fact,) = helpers.facts_of(code, JwtVerify)
    return fact


def js_verify(code: str, path: str = "auth.ts") -> JwtVerify:
    return jsfacts.one(path, code, JwtVerify)


EQUIVALENT = [
    pytest.param(  # leeway given, expiry checked
        "import jwt\nc = jwt.decode(t, KEY, algorithms=['HS256'], leeway=30)\n",
        'import jwt from "jsonwebtoken";\njwt.verify(t, KEY, { algorithms: ["HS256"], clockTolerance: 30 });\n',
        id="pyjwt-leeway=jsonwebtoken-clockTolerance",
    ),
    pytest.param(
        "from jose import jwt\nc = jwt.decode(t, KEY, algorithms=['RS256'], options={'leeway': 30})\n",
        'import { jwtVerify } from "jose";\nawait jwtVerify(t, KEY, { algorithms: ["RS256"], clockTolerance: "30s" });\n',
        id="python-jose-options-leeway=jose-clockTolerance-span",
    ),
    pytest.param(  # no leeway: both can be given one at this call
        "import jwt\nc = jwt.decode(t, KEY, algorithms=['HS256'])\n",
        'import jwt from "jsonwebtoken";\njwt.verify(t, KEY, { algorithms: ["HS256"] });\n',
        id="no-leeway",
    ),
    pytest.param(  # nested options missing: the fix creates them around the leeway
        "from jose import jwt\nc = jwt.decode(t, KEY, algorithms=['HS256'])\n",
        'const { Strategy } = require("passport-jwt");\nnew Strategy({ secretOrKey: KEY, algorithms: ["HS256"] }, done);\n',
        id="python-jose-no-options=passport-no-jsonWebTokenOptions",
    ),
    pytest.param(  # expiry switched off
        "import jwt\nc = jwt.decode(t, KEY, algorithms=['HS256'], options={'verify_exp': False})\n",
        'import jwt from "jsonwebtoken";\njwt.verify(t, KEY, { algorithms: ["HS256"], ignoreExpiration: true });\n',
        id="verify_exp-False=ignoreExpiration-true",
    ),
    pytest.param(  # the options (where python-jose keeps its leeway) could hold anything
        "from jose import jwt\nc = jwt.decode(t, KEY, algorithms=['HS256'], options={**BASE})\n",
        'import jwt from "jsonwebtoken";\njwt.verify(t, KEY, { algorithms: ["HS256"], ...BASE });\n',
        id="spread-options",
    ),
]


@pytest.mark.parametrize("python, javascript", EQUIVALENT)
def test_equivalent_python_and_js_verifications_give_equal_neutral_facts(python: str, javascript: str) -> None:
    path = "auth.js" if "require(" in javascript else "auth.ts"
    py, js = neutral(python_verify(python)), neutral(js_verify(javascript, path))
    assert py == js


def test_leeway_slots_name_where_each_library_reads_it() -> None:
    pyjwt = python_verify("import jwt\nc = jwt.decode(t, KEY, algorithms=['HS256'], leeway=30)\n").leeway
    assert (pyjwt.name, pyjwt.holder, pyjwt.bag is not None, pyjwt.seconds) == ("leeway", None, True, 30.0)
    jose_py = python_verify("from jose import jwt\nc = jwt.decode(t, KEY, algorithms=['HS256'])\n").leeway
    assert (jose_py.name, jose_py.holder, jose_py.bag) == ("leeway", "options", None)
    passport = js_verify(
        'const { Strategy } = require("passport-jwt");\n'
        'new Strategy({ secretOrKey: KEY, jsonWebTokenOptions: { clockTolerance: 5 } }, done);\n', "p.js"
    ).leeway
    assert (passport.name, passport.holder, passport.seconds) == ("clockTolerance", None, 5.0)
    assert passport.bag is not None and "clockTolerance" in passport.bag
    flask = python_verify("from flask_jwt_extended import decode_token\nc = decode_token(t)\n")
    assert flask.leeway.in_settings and flask.leeway.name == "JWT_DECODE_LEEWAY"
    assert flask.algorithms_at == "settings" and flask.intent == VERIFY
    timedelta_leeway = python_verify(
        "import jwt\nfrom datetime import timedelta\nc = jwt.decode(t, KEY, algorithms=['HS256'], leeway=timedelta(minutes=2))\n"
    ).leeway
    assert timedelta_leeway.seconds == 120.0


def test_options_built_elsewhere_hide_the_nested_leeway() -> None:
    jose_py = python_verify("from jose import jwt\nc = jwt.decode(t, KEY, algorithms=['HS256'], options=OPTS)\n")
    assert jose_py.leeway.hidden and jose_py.verifies_exp is None and jose_py.switches is None
    passport = js_verify(
        'const { Strategy } = require("passport-jwt");\nnew Strategy({ secretOrKey: KEY, jsonWebTokenOptions: opts }, done);\n',
        "p.js",
    )
    assert passport.leeway.hidden and passport.leeway.bag is None and passport.leeway.holder is None


def test_peeks_and_unverified_decodes_say_so() -> None:
    header = python_verify("import jwt\nh = jwt.get_unverified_header(t)\n")
    claims = python_verify("from jose import jwt\nc = jwt.get_unverified_claims(t)\n")
    assert (header.intent, header.reads, claims.intent, claims.reads) == (PEEK, "header", PEEK, "claims")
    decode = js_verify('import jwt from "jsonwebtoken";\nconst c = jwt.decode(t);\n')
    decode_jwt = js_verify('import { decodeJwt } from "jose";\nconst c = decodeJwt(t);\n')
    for fact in (decode, decode_jwt):
        assert fact.intent == DECODE_ONLY and fact.verifies_signature is False and fact.leeway is None
    assert (decode.label, decode_jwt.label) == ("jsonwebtoken `decode()`", "jose `decodeJwt()`")


def test_signature_and_expiry_switches_are_the_options_written() -> None:
    py = python_verify("import jwt\nc = jwt.decode(t, KEY, algorithms=['HS256'], options={'verify_signature': False})\n")
    assert py.verifies_signature is False and py.signature_off is not None
    assert py.source.slice(py.signature_off.span) == "'verify_signature': False"
    assert py.switches_holder is not None and py.switches_holder.name == "options"
    js = js_verify('import jwt from "jsonwebtoken";\njwt.verify(t, KEY, { ignoreExpiration: true });\n')
    assert js.verifies_exp is False and js.source.slice(js.expiry_off.span) == "ignoreExpiration: true"
    assert js.switches is js.options and js.switches_holder is None


def test_mints_name_their_verifier_and_settings_signing_without_a_default_library() -> None:
    (pyjwt,) = helpers.facts_of("import jwt\nt = jwt.encode({'sub': u}, KEY)\n", JwtMint)
    (flask,) = helpers.facts_of(
        "from flask_jwt_extended import create_access_token\nt = create_access_token(identity=u, expires_delta=False)\n",
        JwtMint,
    )
    js = jsfacts.one("a.ts", 'import jwt from "jsonwebtoken";\njwt.sign({ sub }, KEY);\n', JwtMint)
    assert (pyjwt.verifier, js.verifier) == ("PyJWT", "jsonwebtoken")
    assert not pyjwt.signs_with_settings and flask.signs_with_settings
    assert flask.has_exp is False and flask.expiry_off is not None and flask.expiry_off.name == "expires_delta"
    assert JwtMint.__dataclass_fields__["library"].default == ""
    assert JwtVerify.__dataclass_fields__["library"].default == ""
    assert JwtVerify.__dataclass_fields__["function"].default == ""


@pytest.mark.parametrize(
    "read, value, seconds",
    [
        (go_seconds, "2m30s", 150.0), (go_seconds, "1.5h", 5400.0), (go_seconds, "10", None), (go_seconds, "0", 0.0),
        (jose_seconds, "2h", 7200.0), (jose_seconds, "30 min", 1800.0), (jose_seconds, "2h ago", None),
        (jose_seconds, 60, None), (jose_tolerance_seconds, 60, 60.0), (jose_tolerance_seconds, "1m", 60.0),
        (setting_seconds, "15m", 900.0), (setting_seconds, 30, 30.0), (setting_seconds, False, None),
    ],
)
def test_each_library_reads_durations_its_own_way(read, value, seconds) -> None:
    assert read(value) == seconds
