"""JWT001, JWT002, JWT003 and JWT006 (JS), executed with jsonwebtoken 9 and jose 5 (the shared npm
fixture): fixed verifications accept the project's own tokens (and a few seconds of clock skew) and
refuse ``alg: none``, other-key and expired tokens; fixed mints issue tokens that live the new
lifetime; the peek-then-verify pattern is left alone and keeps working."""

from __future__ import annotations

import json
import time

import jwt
import pytest

from authlint.testing import fix_files
from tests.behaviour.jwt.tokens import ENV, expired, forged
from tests.behaviour.project import codes, fixed

pytestmark = pytest.mark.usefixtures("_secret")


@pytest.fixture
def _secret(monkeypatch: pytest.MonkeyPatch) -> None:
    for name, value in ENV.items():
        monkeypatch.setenv(name, value)


def _write(node_fixture, folder: str, files: dict[str, str]) -> None:
    for relpath, text in files.items():
        node_fixture.write(f"{folder}/{relpath}", text)


OUTCOMES = '''const tokens = JSON.parse(process.argv[2]);
(async () => {
  const { mint } = await import("./%(mint)s");
  const { currentUser } = await import("./%(verify)s");
  const result = {};
  for (const [name, token] of Object.entries({ legit: await mint("alice"), ...tokens })) {
    try {
      result[name] = await currentUser(token);
    } catch (error) {
      result[name] = "rejected: " + error.name;
    }
  }
  console.log(JSON.stringify(result));
})();
'''


def _outcomes(node_fixture, folder: str, files: dict[str, str], mint: str, verify: str, tokens: dict[str, str]) -> dict:
    _write(node_fixture, folder, {**files, "outcomes.js": OUTCOMES % {"mint": mint, "verify": verify}})
    return node_fixture.run_script(f"{folder}/outcomes.js", json.dumps(tokens))


# -- JWT003 -------------------------------------------------------------------------------------
MINT_CJS = '''const jwt = require("jsonwebtoken");

const SECRET = process.env.JWT_SECRET;

function mint(sub) {
  return jwt.sign({ sub }, SECRET, {
    algorithm: "HS256",
    expiresIn: "15m",
  });
}

module.exports = { mint };
'''

DECODE_CJS = '''const jwt = require("jsonwebtoken");

function currentUser(token) {
  const claims = jwt.decode(token, {
    json: true, // the payload as an object
  });
  if (!claims) throw new Error("malformed token");
  return claims.sub;
}

module.exports = { currentUser };
'''


def test_jwt003_decode_becomes_verify_with_the_mints_key(node_fixture) -> None:
    files = {"mint.js": MINT_CJS, "verify.js": DECODE_CJS}
    before = _outcomes(node_fixture, "jwt003-decode-before", files, "mint.js", "verify.js", forged())
    assert before["legit"] == "alice" and before["alg-none"] == "admin"  # the hole
    after = fixed(files, "JWT003")
    assert after["verify.js"].startswith(
        'const jwt = require("jsonwebtoken");\n\nfunction currentUser(token) {\n'
        '  const claims = jwt.verify(token, process.env.JWT_SECRET, {\n'
        '    json: true, // the payload as an object\n'
        '    algorithms: ["HS256"],\n'
    )
    outcomes = _outcomes(node_fixture, "jwt003-decode-after", after, "mint.js", "verify.js", forged())
    assert outcomes == {"legit": "alice", "alg-none": "rejected: JsonWebTokenError",
                        "other-key": "rejected: JsonWebTokenError", "expired": "rejected: TokenExpiredError"}


CONFIG_MJS = '''import jwt from "jsonwebtoken";

export const SECRET = process.env.JWT_SECRET;

export function mint(sub) {
  return jwt.sign({ sub }, SECRET, { expiresIn: "15m" });
}
'''

NONE_MJS = '''import jwt from "jsonwebtoken";
import { SECRET, mint } from "./config.mjs";

export function currentUser(token) {
  const claims = jwt.verify(token, null, { algorithms: ["none"] });
  return claims.sub;
}

export function refresh(token) {
  return mint(currentUser(token));
}

'''


def test_jwt003_alg_none_and_no_key_verify_with_the_imported_key(node_fixture) -> None:
    files = {"config.mjs": CONFIG_MJS, "check.mjs": NONE_MJS}
    tokens = forged()
    before = _outcomes(node_fixture, "jwt003-none-before", files, "config.mjs", "check.mjs", tokens)
    # jsonwebtoken 9 accepts unsigned tokens with no key, and refuses the project's own
    assert before["alg-none"] == "admin" and before["legit"] == "rejected: JsonWebTokenError"
    after = fixed(files, "JWT003")
    assert "jwt.verify(token, SECRET, { algorithms: [\"HS256\"]" in after["check.mjs"]
    outcomes = _outcomes(node_fixture, "jwt003-none-after", after, "config.mjs", "check.mjs", tokens)
    assert outcomes["legit"] == "alice"
    assert all(outcomes[name].startswith("rejected: ") for name in ("alg-none", "other-key", "expired")), outcomes


PEEK_CJS = '''const jwt = require("jsonwebtoken");

const KEYS = {
  k1: "kid-one-key-0123456789abcdef012345",
  k2: "kid-two-key-0123456789abcdef012345",
};

function mint(sub) {
  return jwt.sign({ sub }, KEYS.k2, { keyid: "k2", expiresIn: "15m" });
}

function currentUser(token) {
  const decoded = jwt.decode(token, { complete: true });
  if (!decoded) throw new Error("malformed token");
  const key = KEYS[decoded.header.kid];
  return jwt.verify(token, key, { algorithms: ["HS256"], clockTolerance: 10 }).sub;
}

module.exports = { mint, currentUser };
'''


def test_peek_then_verify_is_not_reported_and_keeps_working(node_fixture) -> None:
    files = {"tenants.js": PEEK_CJS}
    assert not codes(files)["JWT003"]
    assert fix_files(files, select=["ALL"])["tenants.js"] == PEEK_CJS
    forged_kid = jwt.encode({"sub": "eve", "exp": int(time.time()) + 600}, "x" * 32, algorithm="HS256",
                            headers={"kid": "k1"})
    outcomes = _outcomes(node_fixture, "jwt003-peek", files, "tenants.js", "tenants.js", {"forged-kid": forged_kid})
    assert outcomes == {"legit": "alice", "forged-kid": "rejected: JsonWebTokenError"}


# -- JWT006 -------------------------------------------------------------------------------------
JOSE_MINT = '''import { SignJWT } from "jose";

const key = new TextEncoder().encode(process.env.JWT_SECRET);

export async function mint(sub) {
  return new SignJWT({ sub }).setProtectedHeader({ alg: "HS256" }).setIssuedAt().setExpirationTime("15m").sign(key);
}
'''

JOSE_VERIFY = '''import { jwtVerify } from "jose";

const key = new TextEncoder().encode(process.env.JWT_SECRET);

export async function currentUser(token) {
  const { payload } = await jwtVerify(token, key, {
    algorithms: ["HS256"], // pinned
  });
  return payload.sub;
}
'''

JSONWEBTOKEN_VERIFY = '''const jwt = require("jsonwebtoken");

const VERIFY_OPTIONS = {
  algorithms: ["HS256"],
};

function currentUser(token) {
  return jwt.verify(token, process.env.JWT_SECRET, VERIFY_OPTIONS).sub;
}

module.exports = { currentUser, mint: require("./mint.js").mint };
'''

CALLBACK_VERIFY = '''const jwt = require("jsonwebtoken");

function currentUser(token) {
  return new Promise((resolve, reject) =>
    jwt.verify(
      token,
      process.env.JWT_SECRET,
      (error, claims) => (error ? reject(error) : resolve(claims.sub)),
    ),
  );
}

module.exports = { currentUser, mint: require("./mint.js").mint };
'''


SHORT_LIFETIME = {"JWT006": {"short-lifetime": "15m"}}


def _skew_tokens() -> dict[str, str]:
    return {"skewed": expired(4), "minute-ago": expired(60), **forged()}


@pytest.mark.parametrize(("name", "files", "mint", "verify", "expected"), [
    ("jose", {"mint.mjs": JOSE_MINT, "verify.mjs": JOSE_VERIFY}, "mint.mjs", "verify.mjs",
     '    algorithms: ["HS256"], // pinned\n    clockTolerance: 10,\n  });'),
    ("options-in-a-variable", {"mint.js": MINT_CJS, "verify.js": JSONWEBTOKEN_VERIFY}, "verify.js", "verify.js",
     'const VERIFY_OPTIONS = {\n  algorithms: ["HS256"],\n  clockTolerance: 10,\n};'),
    ("callback", {"mint.js": MINT_CJS, "verify.js": CALLBACK_VERIFY}, "verify.js", "verify.js",
     "      process.env.JWT_SECRET,\n      { clockTolerance: 10 },\n      (error, claims)"),
])
def test_jwt006_the_fixed_verify_tolerates_skew_but_not_expiry(node_fixture, name, files, mint, verify, expected) -> None:
    before = _outcomes(node_fixture, f"jwt006-{name}-before", files, mint, verify, _skew_tokens())
    assert before["legit"] == "alice" and before["skewed"].startswith("rejected: ")
    # One project mints and verifies these 15-minute tokens: JWT006 reports that only when 15 minutes
    # count as short enough for replica skew to matter, so the threshold is raised to exercise the fix.
    after = fixed(files, "JWT006", rule_options=SHORT_LIFETIME)
    assert expected in after[verify]
    outcomes = _outcomes(node_fixture, f"jwt006-{name}-after", after, mint, verify, _skew_tokens())
    assert outcomes["legit"] == "alice" and outcomes["skewed"] == "alice"
    for token in ("minute-ago", "alg-none", "other-key", "expired"):
        assert outcomes[token].startswith("rejected: "), (token, outcomes)


# -- JWT001 / JWT002 ----------------------------------------------------------------------------
LIFETIME = '''(async () => {
  const { mint } = await import("./%s");
  const token = await mint("alice");
  const [, payload] = token.split(".");
  const claims = JSON.parse(Buffer.from(payload, "base64url").toString());
  console.log(JSON.stringify({ lifetime: claims.exp - claims.iat }));
})();
'''

SHORT_MINT = MINT_CJS.replace('expiresIn: "15m",', 'expiresIn: "5s", // short-lived on purpose')
LONG_MINT = MINT_CJS.replace('expiresIn: "15m"', "expiresIn: 60 * 60 * 24 * 365")
JOSE_LONG_MINT = JOSE_MINT.replace('setExpirationTime("15m")', 'setExpirationTime("30d")')


@pytest.mark.parametrize(("code", "name", "text", "before", "after", "kept"), [
    ("JWT001", "mint.js", SHORT_MINT, 5, 60, 'expiresIn: "1m", // short-lived on purpose\n'),
    ("JWT002", "mint.js", LONG_MINT, 365 * 86400, 86400, "algorithm: \"HS256\",\n"),
    ("JWT002", "mint.mjs", JOSE_LONG_MINT, 30 * 86400, 86400, ".setIssuedAt()"),
])
def test_lifetime_fixes_mint_tokens_that_live_the_new_lifetime(node_fixture, code, name, text, before, after, kept) -> None:
    folder = f"{code.lower()}-{name.replace('.', '-')}"
    _write(node_fixture, f"{folder}-before", {name: text, "lifetime.js": LIFETIME % name})
    assert node_fixture.run_script(f"{folder}-before/lifetime.js")["lifetime"] == before
    fixed_files = fixed({name: text}, code)
    assert kept in fixed_files[name]
    _write(node_fixture, f"{folder}-after", {name: fixed_files[name], "lifetime.js": LIFETIME % name})
    assert node_fixture.run_script(f"{folder}-after/lifetime.js")["lifetime"] == after
