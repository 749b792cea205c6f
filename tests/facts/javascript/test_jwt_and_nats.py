"""jsonwebtoken mint/verify/decode, nats.js connect, and JWT literals."""

from __future__ import annotations

import base64
import json

import pytest

from authlint.facts.knowledge.durations import ms_seconds
from authlint.facts.model import DECODE_ONLY, JwtLiteral, JwtMint, JwtVerify, NatsClient
from tests.facts.jsfacts import facts_of, one, text


@pytest.mark.parametrize(
    "value, seconds",
    [(60, 60.0), (3600, 3600.0), ("10s", 10.0), ("15m", 900.0), ("2h", 7200.0), ("2 days", 172800.0), ("7d", 604800.0),
     ("1y", 31557600.0), ("1w", 604800.0), ("120", 0.12), ("500ms", 0.5), ("1.5h", 5400.0), ("3 Minutes", 180.0),
     ("soon", None), (True, None)],
)
def test_ms_grammar_in_seconds(value: object, seconds: float | None) -> None:
    assert ms_seconds(value) == seconds


@pytest.mark.parametrize(
    "code",
    [
        'import jwt from "jsonwebtoken";\nconst t = jwt.sign({ sub }, secret, { expiresIn: "15m" });\n',
        'import * as jwt from "jsonwebtoken";\nconst t = jwt.sign({ sub }, secret, { expiresIn: 900 });\n',
        'const jwt = require("jsonwebtoken");\nconst t = jwt.sign({ sub }, secret, { expiresIn: 15 * 60 });\n',
        'const { sign } = require("jsonwebtoken");\nconst opts = { expiresIn: "0.25h" };\nconst t = sign({ sub }, secret, opts);\n',
        'import { sign as signJwt } from "jsonwebtoken";\nconst t = signJwt({ sub }, secret, { expiresIn: "15 minutes" });\n',
        'import jwt = require("jsonwebtoken");\nconst t = jwt.sign({ sub } as Claims, secret!, { expiresIn: "15m" } as SignOptions);\n',
    ],
)
def test_sign_forms_and_lifetime_in_seconds(code: str) -> None:
    mint = one("auth.ts", code, JwtMint)
    assert mint.library == "jsonwebtoken"
    assert mint.has_exp is True and mint.lifetime == 900.0
    assert mint.lifetime_expr is not None and mint.key is not None and mint.key.text.startswith("secret")


def test_sign_key_algorithm_and_spans() -> None:
    code = 'const jwt = require("jsonwebtoken");\nconst SECRET = "changeme";\njwt.sign(payload, SECRET, { algorithm: "HS256", expiresIn: "1y" }, cb);\n'
    mint = one("auth.js", code, JwtMint)
    assert mint.key is not None and mint.key.value == "changeme" and text(mint, mint.key.origin) == '"changeme"'
    assert mint.algorithm is not None and mint.algorithm.value == "HS256"
    assert mint.lifetime == 31557600.0 and text(mint, mint.lifetime_expr.span) == '"1y"'
    assert mint.has_exp is True


def test_exp_claim_lifetime() -> None:
    code = 'import jwt from "jsonwebtoken";\njwt.sign({ sub: 1, exp: Math.floor(Date.now() / 1000) + 60 * 60 }, process.env.JWT_SECRET);\n'
    mint = one("auth.mjs", code, JwtMint)
    assert mint.has_exp is True and mint.lifetime == 3600.0
    assert text(mint, mint.lifetime_expr.span) == "60 * 60"
    assert mint.key is not None and mint.key.ref == "env:JWT_SECRET"
    assert mint.options.insert_prefix == ", { "  # no options yet: a fresh object after the key


@pytest.mark.parametrize(
    "setup, exp, lifetime",
    [
        ("const today = new Date();\nconst d = new Date(today);\nd.setDate(today.getDate() + 60);", "parseInt(d.getTime() / 1000)", 60 * 86400.0),
        ("const d = new Date();\nd.setHours(d.getHours() + 2);", "Math.floor(d.valueOf() / 1000)", 7200.0),
        ("const d = new Date(Date.now() + 15 * 60 * 1000);", "Math.floor(d.getTime() / 1000)", 900.0),
        ("const d = new Date(Date.now() + 7 * 86400 * 1000);", "d.getTime() / 1000 | 0", 7 * 86400.0),
        ("const d = new Date('2030-01-01');", "Math.floor(d.getTime() / 1000)", None),  # a fixed time
        ("const d = new Date();\nd.setDate(15);", "Math.floor(d.getTime() / 1000)", None),  # not now plus
    ],
)
def test_exp_claim_lifetime_through_a_date_local(setup: str, exp: str, lifetime: float | None) -> None:
    code = f'import jwt from "jsonwebtoken";\nexport function mint(sub) {{\n{setup}\nreturn jwt.sign({{ sub, exp: {exp} }}, key);\n}}\n'
    mint = one("auth.mjs", code, JwtMint)
    assert mint.has_exp is True and mint.lifetime == lifetime
    assert mint.lifetime_expr is None  # the amount is in the setter's unit: nothing for a fix to rewrite


@pytest.mark.parametrize(
    "code, has_exp",
    [
        ('const jwt = require("jsonwebtoken");\njwt.sign({ sub: user.id }, key);\n', False),
        ('const jwt = require("jsonwebtoken");\njwt.sign({ sub: user.id }, key, { algorithm: "RS256" });\n', False),
        ('const jwt = require("jsonwebtoken");\njwt.sign("user-1", key);\n', False),
        ('const jwt = require("jsonwebtoken");\njwt.sign(claims, key);\n', None),
        ('const jwt = require("jsonwebtoken");\njwt.sign({ ...claims }, key);\n', None),
    ],
)
def test_has_exp(code: str, has_exp: bool | None) -> None:
    mint = one("a.js", code, JwtMint)
    assert mint.has_exp is has_exp and mint.lifetime is None


def test_verify_and_decode() -> None:
    code = (
        'import jwt, { verify } from "jsonwebtoken";\n'
        'const claims = verify(token, publicKey, { algorithms: ["RS256"], clockTolerance: 5 });\n'
        "jwt.verify(token, secret, { ignoreExpiration: true }, (err, decoded) => {});\n"
        "const unsafe = jwt.decode(token, { complete: true });\n"
        "jwt.verify(token, secret, (err, decoded) => {});\n"
    )
    strict, ignore, decode, callback = facts_of("auth.ts", code, JwtVerify)
    assert strict.function == "verify" and strict.verifies_signature is True
    assert strict.algorithms is not None and strict.algorithms.value == ["RS256"]
    assert strict.options.value("clockTolerance") == 5
    assert strict.leeway.option is strict.options.get("clockTolerance") and strict.leeway.seconds == 5.0
    assert ignore.options.value("ignoreExpiration") is True and ignore.algorithms is None
    assert decode.function == "decode" and decode.verifies_signature is False
    assert decode.intent == DECODE_ONLY and decode.leeway is None
    assert ignore.verifies_exp is False and strict.verifies_exp is True
    assert decode.options.value("complete") is True
    assert callback.options.items == {} and callback.options.insert_at is not None
    code_text = callback.source.text
    edited = code_text[: callback.options.insert_at] + callback.options.insert_prefix + "clockTolerance: 30" + callback.options.insert_suffix + code_text[callback.options.insert_at :]
    assert "jwt.verify(token, secret, { clockTolerance: 30 }, (err, decoded) => {});" in edited


def test_unbound_jwt_receiver_from_another_module() -> None:
    code = 'import { jwtSecret } from "./config";\nexport const mint = (u) => jwt.sign({ id: u.id }, jwtSecret, { expiresIn: "30d" });\n'
    mint = one("mint.js", code, JwtMint)
    assert mint.lifetime == 30 * 86400


def test_other_sign_functions_are_not_jwt() -> None:
    code = 'import jose from "jose";\njose.sign(x);\ncrypto.sign("sha256", data, key);\nthis.jwtService.sign(payload);\n'
    assert facts_of("a.js", code, JwtMint) == []


@pytest.mark.parametrize(
    "code",
    [
        'import { connect } from "nats";\nconst nc = await connect({ servers: ["nats://localhost:4222"], token: process.env.NATS_TOKEN, pingInterval: 30000 });\n',
        'const { connect } = require("nats.ws");\nconst nc = await connect({ servers: ["nats://localhost:4222"], token: process.env.NATS_TOKEN, pingInterval: 30000 });\n',
        'import * as nats from "@nats-io/transport-node";\nconst nc = await nats.connect({ servers: ["nats://localhost:4222"], token: process.env.NATS_TOKEN, pingInterval: 30000 });\n',
    ],
)
def test_nats_connect(code: str) -> None:
    client = one("nats.ts", code, NatsClient)
    assert client.library == "nats.js"
    assert client.servers is not None and client.servers.value == ["nats://localhost:4222"]
    assert client.options.get("token") is not None and client.options.get("token").value.ref == "env:NATS_TOKEN"
    assert client.options.value("pingInterval") == 30000


def _token(claims: dict) -> str:
    def part(data: dict) -> str:
        return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()

    return f"{part({'alg': 'HS256', 'typ': 'JWT'})}.{part(claims)}.c2lnbmF0dXJlLXNpZw"


def test_jwt_literals_in_strings_templates_and_comments() -> None:
    token = _token({"sub": "1"})
    code = f'const a = "{token}";\nconst b = `Bearer {token}`;\n// example: {token}\nconst id = "eyJub3QiOiJqd3QifQ.x.y";\n'
    literals = facts_of("t.js", code, JwtLiteral)
    assert [lit.token for lit in literals] == [token, token, token]
    assert all(text(lit, lit.span) == token for lit in literals)


JOSE = """\
import { SignJWT, jwtVerify, decodeJwt } from "jose";
const secret = new TextEncoder().encode(process.env.JWT_SECRET);
export const mint = (sub: string) =>
  new SignJWT({ sub })
    .setProtectedHeader({ alg: "HS256" })
    .setIssuedAt()
    .setExpirationTime("2h")
    .sign(secret);
export const check = (t: string) => jwtVerify(t, secret, { algorithms: ["HS256"], clockTolerance: "30s" });
export const peek = (t: string) => decodeJwt(t);
"""


def test_jose_sign_verify_decode() -> None:
    mint = one("jose.ts", JOSE, JwtMint)
    assert mint.library == "jose" and mint.has_exp is True and mint.lifetime == 7200.0
    assert text(mint, mint.lifetime_expr.span) == '"2h"'
    assert mint.algorithm is not None and mint.algorithm.value == "HS256"
    assert mint.key is not None and mint.key.text == "secret"
    verify, decode = facts_of("jose.ts", JOSE, JwtVerify)
    assert verify.library == "jose" and verify.algorithms is not None and verify.algorithms.value == ["HS256"]
    assert verify.options.value("clockTolerance") == "30s"
    assert verify.leeway.name == "clockTolerance" and verify.leeway.seconds == 30.0  # jose reads a time span
    assert decode.function == "decode" and decode.verifies_signature is False


@pytest.mark.parametrize(
    "chain, has_exp, lifetime",
    [
        ('new jose.SignJWT({ sub }).setProtectedHeader({ alg: "ES256" }).sign(key)', False, None),
        ('new jose.SignJWT({ sub }).setExpirationTime("30 min").sign(key)', True, 1800.0),
        ("new jose.SignJWT({ sub }).setExpirationTime(Math.floor(Date.now() / 1000) + 45).sign(key)", True, 45.0),
        ("new jose.SignJWT(claims).sign(key)", None, None),
    ],
)
def test_jose_expiry_forms(chain: str, has_exp: bool | None, lifetime: float | None) -> None:
    mint = one("a.mjs", f'import * as jose from "jose";\nawait {chain};\n', JwtMint)
    assert mint.has_exp is has_exp and mint.lifetime == lifetime


NEST_AUTH = """\
import { Module, Injectable } from "@nestjs/common";
import { JwtModule } from "@nestjs/jwt";
import { PassportStrategy } from "@nestjs/passport";
import { ExtractJwt, Strategy } from "passport-jwt";

@Module({ imports: [JwtModule.register({ secret: "secretKey", signOptions: { expiresIn: "60s" } })] })
export class AuthModule {}

@Injectable()
export class JwtStrategy extends PassportStrategy(Strategy) {
  constructor() {
    super({ jwtFromRequest: ExtractJwt.fromAuthHeaderAsBearerToken(), ignoreExpiration: true, secretOrKey: "secretKey" });
  }
}
"""


def test_nestjs_jwt_module_and_passport_strategy() -> None:
    mint = one("auth.module.ts", NEST_AUTH, JwtMint)
    assert mint.library == "@nestjs/jwt" and mint.lifetime == 60.0 and mint.has_exp is True
    assert mint.key is not None and mint.key.value == "secretKey"
    verify = one("auth.module.ts", NEST_AUTH, JwtVerify)
    assert verify.library == "passport-jwt" and verify.options.value("ignoreExpiration") is True
    assert verify.verifies_exp is False and verify.expiry_off is verify.options.get("ignoreExpiration")
    assert verify.leeway.holder == "jsonWebTokenOptions"  # passport-jwt hands these to jsonwebtoken.verify
    assert verify.key is not None and verify.key.value == "secretKey"
    assert text(verify, verify.span).startswith("super({")


def test_nestjs_module_without_expiry_and_plain_passport_strategy() -> None:
    code = (
        'import { JwtModule } from "@nestjs/jwt";\nconst JwtStrategy = require("passport-jwt").Strategy;\n'
        'JwtModule.register({ secret: process.env.JWT_SECRET });\n'
        'passport.use(new JwtStrategy({ secretOrKey: process.env.JWT_SECRET, algorithms: ["HS256"] }, verifyUser));\n'
    )
    mint = one("auth.ts", code, JwtMint)
    assert mint.has_exp is False and mint.key is not None and mint.key.ref == "env:JWT_SECRET"
    verify = one("auth.ts", code, JwtVerify)
    assert verify.algorithms is not None and verify.algorithms.value == ["HS256"]


def test_named_socketio_client_import_with_connect() -> None:
    from authlint.facts.model import SocketIOClient

    client = one("c.js", 'import { io } from "socket.io-client";\nio.connect("https://x.example");\n', SocketIOClient)
    assert client.url is not None and client.url.value == "https://x.example"


@pytest.mark.parametrize(
    "code",
    [
        'import { expressjwt } from "express-jwt";\napp.use(expressjwt({ secret: "shhh", algorithms: ["HS256"] }));\n',
        'const jwt = require("express-jwt");\napp.use(jwt({ secret: "shhh", algorithms: ["HS256"] }));\n',
    ],
)
def test_express_jwt_middleware(code: str) -> None:
    verify = one("app.js", code, JwtVerify)
    assert verify.library == "express-jwt" and verify.key is not None and verify.key.value == "shhh"
    assert verify.algorithms is not None and verify.algorithms.value == ["HS256"]
