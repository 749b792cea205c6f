"""JS/TS: how a mint's key can be named elsewhere, the names a decode's file offers, the decode's
verifying sibling, and the peek-then-verify pattern."""

from __future__ import annotations

import pytest

from authlint.facts.javascript.jwt_keys import NODE_GLOBAL
from authlint.facts.model import JwtMint, JwtVerify
from tests.facts.jsfacts import facts_of, one, text

CJS = 'const jwt = require("jsonwebtoken");\n'


def test_a_module_constant_read_from_the_environment() -> None:
    mint = one("src/auth.js", CJS + "const SECRET = process.env.JWT_SECRET;\nexports.mint = (s) => jwt.sign({ s }, SECRET);\n", JwtMint)
    assert mint.key_reach is not None
    assert mint.key_reach.names == ["env:JWT_SECRET", "module:src/auth.SECRET"]
    assert mint.key_reach.code == "process.env.JWT_SECRET" and mint.key_reach.needs == {"process": NODE_GLOBAL}


def test_an_imported_constant_is_named_by_its_module_path() -> None:
    code = 'import jwt from "jsonwebtoken";\nimport { KEY } from "../config";\nexport const m = (s: string) => jwt.sign({ s }, KEY);\n'
    mint = one("src/auth/mint.ts", code, JwtMint)
    assert mint.key_reach is not None and "module:src/config.KEY" in mint.key_reach.names


def test_a_function_local_key_is_not_a_module_constant() -> None:
    code = CJS + "function mint(s, key) {\n  return jwt.sign({ s }, key);\n}\n"
    assert one("auth.js", code, JwtMint).key_reach is None


def test_the_names_a_decode_file_offers_and_its_verifying_sibling() -> None:
    code = ('import jwt from "jsonwebtoken";\nimport { SECRET } from "./config.mjs";\nconst K = process.env.JWT_SECRET;\n'
            "export const check = (t) => jwt.decode(t);\n")
    verify = one("lib/check.mjs", code, JwtVerify)
    names = verify.key_names
    assert names is not None
    assert names.spellings["module:lib/config.SECRET"] == "SECRET" and names.spellings["env:JWT_SECRET"] == "K"
    assert names.imports["process"] == NODE_GLOBAL
    assert text(verify, verify.function_span) == "decode" and verify.verifying_sibling == "verify"


def test_a_decode_imported_by_name_has_no_sibling_to_call() -> None:
    verify = one("check.mjs", 'import { decode } from "jsonwebtoken";\nexport const c = (t) => decode(t);\n', JwtVerify)
    assert verify.function_span is None


PEEKS = {
    "header kid picks the key": (
        "function auth(token) {\n  const decoded = jwt.decode(token, { complete: true });\n"
        "  const key = KEYS[decoded.header.kid];\n  return jwt.verify(token, key, { algorithms: ['HS256'] });\n}\n", True),
    "destructured issuer": (
        "function auth(token) {\n  const { iss } = jwt.decode(token);\n"
        "  return jwt.verify(token, keys[iss], { issuer: iss });\n}\n", True),
    "another token verified": (
        "function auth(token, other) {\n  const claims = jwt.decode(token);\n"
        "  jwt.verify(other, keys[claims.iss]);\n  return claims;\n}\n", False),
    "claims returned, key fixed": (
        "function auth(token) {\n  const claims = jwt.decode(token);\n  jwt.verify(token, KEY);\n  return claims;\n}\n", False),
}


@pytest.mark.parametrize("name", list(PEEKS))
def test_peek_then_verify(name: str) -> None:
    code, selects = PEEKS[name]
    looks = [v for v in facts_of("auth.js", CJS + code, JwtVerify) if v.verifies_signature is False]
    assert looks and all(look.selects_verification is selects for look in looks)
