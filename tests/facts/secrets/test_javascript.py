"""Secret spans of JavaScript and TypeScript files: exactly the characters of every secret value the
facts locate, nothing the code merely names."""

from __future__ import annotations

import pytest

from tests.facts.secrets.marks import check, parses

JWT = 'const jwt = require("jsonwebtoken");\n'
IO = 'import { io } from "socket.io-client";\n'

POSITIVE = {
    "literal key": JWT + 'jwt.sign({ sub }, "⟦literal-signing-key⟧", { expiresIn: "1h" });\n',
    "verification key": JWT + "jwt.verify(token, '⟦verify-key⟧', { algorithms: ['HS256'] });\n",
    "followed constant": JWT + 'const JWT_SECRET = "⟦secret⟧";\njwt.sign({ sub }, JWT_SECRET, { expiresIn: "1h" });\n',
    "env fallback": JWT + 'const key = process.env.JWT_SECRET || "⟦dev-secret⟧";\njwt.verify(token, key);\n',
    "nullish fallback": JWT + "jwt.sign({ sub }, process.env.JWT_SECRET ?? '⟦dev⟧', { expiresIn: 60 });\n",
    "jose encoded key": (
        'import { SignJWT } from "jose";\nconst secret = new TextEncoder().encode("⟦my-secret⟧");\n'
        'export const mint = (sub) => new SignJWT({ sub }).setExpirationTime("1h").sign(secret);\n'
    ),
    "buffer key": JWT + 'jwt.sign({ sub }, Buffer.from("⟦c2VjcmV0LWtleQ==⟧", "base64"), { expiresIn: 60 });\n',
    "template key": JWT + "const KEY = `⟦tmpl-key⟧`;\njwt.verify(token, KEY);\n",
    "nest module": (
        'import { JwtModule } from "@nestjs/jwt";\n'
        'JwtModule.register({ secret: "⟦secretKey⟧", signOptions: { expiresIn: "60s" } });\n'
    ),
    "express-jwt": (
        'const { expressjwt } = require("express-jwt");\n'
        'app.use(expressjwt({ secret: "⟦shhhhhhared-secret⟧", algorithms: ["HS256"] }));\n'
    ),
    "nats credentials": (
        'import { connect } from "nats";\n'
        'const a = await connect({ servers: "nats://⟦t0ken⟧@localhost:4222" });\n'
        'const b = await connect({ servers: ["nats://localhost:4222"], token: "⟦s3cr3t⟧" });\n'
        'const c = await connect({ user: "alice", pass: "⟦wonderland⟧" });\n'
    ),
    "socket url token": IO + 'const s = io("https://chat.example.com/?token=⟦abc123⟧");\n',
    "socket auth payload": IO + 'const s = io("https://chat.example.com", { auth: { token: "⟦lit-token⟧", room: "x" } });\n',
    "socket header": (
        IO + 'const s = io("https://chat.example.com", { extraHeaders: { Authorization: "Bearer ⟦hdr⟧" } });\n'
    ),
    "session cookie": 'app.get("/", (req, res) => { res.cookie("session", "⟦s-123⟧", { httpOnly: true }); });\n',
    "document cookie": 'document.cookie = "token=⟦abc123⟧; Secure";\n',
    "script cookie": 'import Cookies from "js-cookie";\nCookies.set("auth_token", "⟦tok-1⟧");\n',
    "stored token": 'localStorage.setItem("token", "⟦abc123⟧");\nsessionStorage.jwt = "⟦def456⟧";\n',
    "constant named as a secret": "const JWT_SECRET = '⟦config-module-secret⟧';\nexport const dbPassword = \"⟦db-pass⟧\";\n",
    "property named as a secret": "const cfg = { host: 'db', password: '⟦hunter22⟧', 'api_key': `⟦k-123456⟧` };\n",
    "member named as a secret": "this.refreshToken = '⟦rt-998877⟧';\n",
}

NEGATIVE = {
    "mint from env": JWT + "const token = jwt.sign({ sub: req.body.user }, process.env.JWT_SECRET, { expiresIn: '1h' });\n",
    "storage read": 'const token = localStorage.getItem("token");\n',
    "other storage": 'localStorage.setItem("theme", "dark");\n',
    "stored variable": 'localStorage.setItem("token", token);\n',
    "key from a file": (
        'import jwt from "jsonwebtoken";\n'
        'jwt.verify(token, fs.readFileSync("public.pem"), { algorithms: ["RS256"] });\n'
    ),
    "jose from env": (
        'import { SignJWT } from "jose";\nconst secret = new TextEncoder().encode(process.env.JWT_SECRET);\n'
        'export const mint = (sub) => new SignJWT({ sub }).setExpirationTime("1h").sign(secret);\n'
    ),
    "query without token": IO + 'const socket = io(URL, { query: { room: "lobby" } });\n',
    "auth from variable": IO + 'const socket = io("https://chat.example.com", { auth: { token } });\n',
    "url placeholder": IO + "const socket = io(`https://chat.example.com/?token=${token}`);\n",
    "other cookie": 'app.get("/", (req, res) => { res.cookie("theme", "dark"); });\n',
    "nats from env": 'import { connect } from "nats";\nconst nc = await connect({ token: process.env.NATS_TOKEN });\n',
    "names about a secret": (
        "const TOKEN_TTL = '15m';\nconst SECRET_NAME = 'jwt-signing-key';\nconst tokenType = 'bearer';\n"
        "const cfg = { tokenUrl: 'https://auth.example.com/token', password: '', token: `${t}` };\n"
    ),
    "storage key names": (
        "const TOKEN_KEY = 'auth_token';\nlocalStorage.setItem(TOKEN_KEY, value);\n"
        "const KEYS = { token: 'user-token' };\nlocalStorage.setItem(KEYS.token, t);\n"
    ),
}


@pytest.mark.parametrize("marked", POSITIVE.values(), ids=POSITIVE.keys())
@pytest.mark.parametrize("relpath", ["app.js", "app.ts"])
def test_secret_values_are_found(relpath: str, marked: str) -> None:
    check(relpath, marked)


@pytest.mark.parametrize("text", NEGATIVE.values(), ids=NEGATIVE.keys())
@pytest.mark.parametrize("relpath", ["app.js", "app.ts"])
def test_code_is_not_a_secret(relpath: str, text: str) -> None:
    assert parses(relpath, text)
    check(relpath, text)
