"""JS/TS option objects built from module-level constants: used inside methods of an exported
object literal, spread into the call's object (``{ ...baseOptions, algorithms }``), shorthand
properties naming constants. What is spread from another module stays unknown (``spread``)."""

from __future__ import annotations

from authlint.facts.model import JwtVerify
from tests.facts.jsfacts import one

CJS = 'const jwt = require("jsonwebtoken");\n'


def test_module_options_used_in_a_method_of_an_exported_object() -> None:
    code = CJS + ('const options = { algorithms: ["HS256"], clockTolerance: 5 };\nmodule.exports = {\n'
                  '  getProfile: async (req, res) => {\n    jwt.verify(req.token, process.env.K, options);\n  },\n};\n')
    verify = one("controllers/user.js", code, JwtVerify)
    assert verify.algorithms is not None and verify.algorithms.value == ["HS256"]
    assert verify.leeway is not None and verify.leeway.seconds == 5 and not verify.leeway.hidden


def test_spread_base_options_are_read_in_order() -> None:
    code = CJS + ('const baseOptions = { clockTolerance: 5, algorithms: ["RS256"] };\nconst algorithms = ["HS256"];\n'
                  'jwt.verify(t, process.env.K, { ...baseOptions, algorithms });\n')
    verify = one("auth.js", code, JwtVerify)
    assert not verify.options.spread
    assert verify.algorithms is not None and verify.algorithms.value == ["HS256"]  # the later property wins
    assert verify.leeway is not None and verify.leeway.seconds == 5


def test_a_later_spread_overrides_what_comes_before() -> None:
    code = CJS + 'const base = { algorithms: ["RS256"] };\njwt.verify(t, process.env.K, { algorithms: ["HS256"], ...base });\n'
    verify = one("auth.js", code, JwtVerify)
    assert verify.algorithms is not None and verify.algorithms.value == ["RS256"]


def test_nested_spreads_are_followed() -> None:
    code = CJS + ('const a = { clockTolerance: 10 };\nconst b = { ...a, algorithms: ["HS256"] };\n'
                  'jwt.verify(t, process.env.K, { ...b });\n')
    verify = one("auth.js", code, JwtVerify)
    assert not verify.options.spread and verify.leeway is not None and verify.leeway.seconds == 10


def test_options_spread_from_another_module_stay_unknown() -> None:
    code = CJS + 'const { baseOptions } = require("./jwt-options");\njwt.verify(t, process.env.K, { ...baseOptions });\n'
    verify = one("auth.js", code, JwtVerify)
    assert verify.options.spread
    assert verify.leeway is None or verify.leeway.hidden
