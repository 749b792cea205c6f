"""No secret leaves through authlint: planted canaries never appear in full in anything it writes.

A project holds one distinct canary per kind of secret the issue names: HMAC keys in Python (a str
and a bytes literal) and in JavaScript, a NATS token and password, a URL credential, an nkey seed,
a JWT and a PEM private key, a signing key in a ``.env`` file and one in a Compose service's
``environment`` (both read by the code that signs, so JWT004 shows their lines). Every output is read whole: each report format, ``--statistics``,
``--verbose``, the ``fix`` diff (safe and unsafe), the files of the cache folder, ``jwt inspect``
with the key, ``explain`` and the diagnostics of a file that does not parse, with one and two
worker processes, cold and warm, on the whole project and on each file alone (what else the project
holds must not change what is masked). A canary "appears" when any six characters in a row of its
secret part do (a mask keeps at most the first two characters).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.shared import SARIF_SCHEMA

WINDOW = 6


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _jwt(claims: dict, key: bytes) -> str:
    head = _b64(json.dumps({"alg": "HS256", "typ": "JWT"}, separators=(",", ":")).encode())
    body = _b64(json.dumps(claims, separators=(",", ":")).encode())
    signature = _b64(hmac.new(key, f"{head}.{body}".encode(), hashlib.sha256).digest())
    return f"{head}.{body}.{signature}"


PY_KEY = "QpC3J27XDCG2LmlZGEONYlgCtjfI"
PY_INLINE_KEY = "QpZ4SOcMz9CPVNPkNa1Hedcm4pMb"
PY_BYTES_KEY = "QpXDuCL1mHoOsFaQfDPrAJ71fTqu"
JS_KEY = "QpWoGsbeKXgzg2sye9b2Rann76dE"
NATS_TOKEN = "QpyTzAeKOmXRrvftva9AW7hipTga"
NATS_PASSWORD = "QpdDZFlRJmCGmUXiAPyhzAnar3ZL"
CLIENT_TOKEN = "Qpt4bnlz2MPKgcjnCqaXNv1syeef"
URL_PASSWORD = "QpnLOpaMxxNDi9LE1Ki3ylOjt6o0"
# 58 base32 characters with a valid checksum (NAT009 reports only real seeds): the canary letters,
# then the CRC-16 of their decoded bytes in the last ones (``authlint.syntax.nkeys``)
NKEY_SEED = "SUAQPCANARYSEEDWXYZ234567ABCDEFGHIJKLMNOPQRSTUVWXYZ2343BWI"
DOTENV_KEY = "QpE7nVw2KcR9sLm4TzX1bHq8DfYj"
COMPOSE_KEY = "QpC0mPoSe5Gh3Jk8Lr2Nv6Xw9ZaB"
PEM_LINE = "MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQQpCanaryPemBodyZ7"
JWT_TOKEN = _jwt({"sub": "qp-canary-jwt-subject-Zx9", "iat": 1700000000}, b"jwt-canary-signing-key")
# the header only names the algorithm, and every claims part starting with "sub" starts alike
# (``eyJzdWIiOi``, as in the rules' docs): the canary is the rest of the claims and the signature
JWT_SECRET_PARTS = (JWT_TOKEN.split(".")[1][12:], JWT_TOKEN.split(".")[2])

CANARIES: dict[str, tuple[str, ...]] = {
    "python HMAC key": (PY_KEY[2:],),
    "python inline HMAC key": (PY_INLINE_KEY[2:],),
    "python bytes key": (PY_BYTES_KEY[2:],),
    "javascript HMAC key": (JS_KEY[2:],),
    "NATS token": (NATS_TOKEN[2:],),
    "NATS password": (NATS_PASSWORD[2:],),
    "URL credential": (URL_PASSWORD[2:],),
    "NATS client token": (CLIENT_TOKEN[2:],),
    "nkey seed": (NKEY_SEED[2:],),
    "JWT": JWT_SECRET_PARTS,
    "PEM private key": (PEM_LINE[2:],),
    "dotenv signing key": (DOTENV_KEY[2:],),
    "Compose environment signing key": (COMPOSE_KEY[2:],),
}

FILES: dict[str, str] = {
    "app.py": f'''import datetime

import jwt

PRIVATE_KEY = """-----BEGIN PRIVATE KEY-----
{PEM_LINE}
{PEM_LINE[::-1]}
-----END PRIVATE KEY-----
"""
SECRET = "{PY_KEY}"
BYTES_SECRET = b"{PY_BYTES_KEY}"
TOKEN_TTL = datetime.timedelta(seconds=15)


def login(user):
    return jwt.encode({{"sub": user}}, "{PY_INLINE_KEY}", algorithm="HS256")


def login_bytes(user):
    expires = datetime.datetime.now(datetime.timezone.utc) + TOKEN_TTL  # 15 s: JWT006 wants a leeway (a safe fix)
    return jwt.encode({{"sub": user, "exp": expires}}, BYTES_SECRET, algorithm="HS256")


def login_rs(user):
    return jwt.encode({{"sub": user}}, PRIVATE_KEY, algorithm="RS256")


def verify(token):
    return jwt.decode(token, SECRET, algorithms=["HS256"])
''',
    "server.js": f'''const jwt = require("jsonwebtoken");

function login(req, res) {{
  const token = jwt.sign({{ sub: req.body.user }}, "{JS_KEY}");
  res.json({{ token }});
}}

const demo = "{JWT_TOKEN}";
localStorage.setItem("token", demo);
const again = localStorage.getItem("token");

module.exports = {{ login, again }};
''',
    "client.py": f'''import nats


async def main():
    nc = await nats.connect("nats://alice:{URL_PASSWORD}@localhost:4222")
    other = await nats.connect("nats://localhost:4222", token="{CLIENT_TOKEN}")
    return nc, other
''',
    "nats/nats-server.conf": f'''port: 4222
authorization {{
  users = [
    {{ user: alice, password: "{NATS_PASSWORD}" }}
    {{ nkey: {NKEY_SEED} }}
  ]
}}
''',
    "nats/token.conf": f'''port: 4223
authorization {{
  token: "{NATS_TOKEN}"
}}
''',
    "broken.py": f'''KEY = "{JWT_TOKEN}"]
''',
    ".env": f'''# local settings
API_JWT_SECRET={DOTENV_KEY}
''',
    "docker-compose.yml": f'''services:
  app:
    build: .
    environment:
      JWT_SIGNING_SECRET: "{COMPOSE_KEY}"
''',
    "env_app.py": '''import os

import jwt


def login(user):
    return jwt.encode({"sub": user}, os.environ["JWT_SIGNING_SECRET"], algorithm="HS256")


def api_token(user):
    return jwt.encode({"sub": user}, os.environ["API_JWT_SECRET"], algorithm="HS256")
''',
}


def leaks(text: str) -> list[str]:
    """The canaries any ``WINDOW`` characters of which appear in ``text``."""
    found = []
    for name, parts in CANARIES.items():
        for part in parts:
            if any(part[i : i + WINDOW] in text for i in range(len(part) - WINDOW + 1)):
                found.append(name)
                break
    return found


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / ".git").mkdir()
    for relpath, text in FILES.items():
        path = tmp_path / relpath
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return tmp_path


def authlint(cwd: Path, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    env = {**os.environ, "NO_COLOR": "1", "COLUMNS": "200"}
    env.pop("AUTHLINT_DEBUG", None)
    return subprocess.run([sys.executable, "-m", "authlint", *args], cwd=cwd, env=env, input=stdin,
                          capture_output=True, text=True, timeout=300)


def assert_no_leak(proc: subprocess.CompletedProcess, what: str) -> None:
    assert proc.returncode in (0, 1), f"{what}: exit {proc.returncode}\n{proc.stderr[-3000:]}"
    found = leaks(proc.stdout + proc.stderr)
    assert not found, f"{what} shows {found}"


def cache_bytes(root: Path) -> str:
    folder = root / ".authlint_cache"
    return "".join(p.read_bytes().decode("utf-8", "replace") for p in sorted(folder.rglob("*")) if p.is_file())


def test_the_project_has_findings_on_every_canary_line(project: Path) -> None:
    """The canaries sit where findings are shown: otherwise the test below proves nothing."""
    proc = authlint(project, "check", ".", "--no-cache", "--output-format", "json")
    shown = {(f["path"], n) for f in json.loads(proc.stdout) for n in range(f["line"], f["end_line"] + 1)}
    for relpath, text in FILES.items():
        for number, line in enumerate(text.splitlines(), 1):
            if leaks(line) and (relpath, number) not in shown:
                pytest.fail(f"no finding on {relpath}:{number}, which holds {leaks(line)}")


FORMATS = ["full", "concise", "json", "json-lines", "sarif", "github"]


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_no_report_shows_a_canary(project: Path, jobs: str) -> None:
    for output_format in FORMATS:
        for run in ("cold", "warm"):
            proc = authlint(project, "check", ".", "--jobs", jobs, "--output-format", output_format)
            assert_no_leak(proc, f"check --output-format {output_format} --jobs {jobs} ({run})")
    assert_no_leak(authlint(project, "check", ".", "--jobs", jobs, "--statistics"), "--statistics")
    assert_no_leak(authlint(project, "--verbose", "check", ".", "--jobs", jobs), "--verbose check")
    found = leaks(cache_bytes(project))
    assert not found, f"the cache folder holds {found}"


@pytest.mark.parametrize("relpath", sorted(FILES))
def test_each_file_alone_and_beside_the_others(project: Path, relpath: str) -> None:
    """What else the project holds never changes what is masked (the issue: a JWT002 frame printed
    an HMAC key only when a nats-server.conf sat beside app.py)."""
    for targets in ([relpath], [relpath, "nats/nats-server.conf"], [relpath, "app.py"]):
        proc = authlint(project, "check", *dict.fromkeys(targets), "--no-cache", "--output-format", "full")
        assert_no_leak(proc, f"check {' '.join(targets)}")


@pytest.mark.parametrize("unsafe", [False, True])
def test_fix_diffs_show_no_canary(project: Path, unsafe: bool) -> None:
    args = ["fix", ".", "--jobs", "1"] + (["--unsafe-fixes"] if unsafe else [])
    proc = authlint(project, *args)
    assert proc.stdout.strip(), "the canary project has fixes: an empty diff proves nothing"
    assert_no_leak(proc, " ".join(args))


def test_sarif_of_the_canary_project_validates(project: Path) -> None:
    import jsonschema

    proc = authlint(project, "check", ".", "--no-cache", "--output-format", "sarif")
    document = json.loads(proc.stdout)
    validator = jsonschema.Draft4Validator(json.loads(SARIF_SCHEMA.read_text(encoding="utf-8")))
    errors = sorted(validator.iter_errors(document), key=str)
    assert not errors, errors[0]


def test_jwt_inspect_and_explain_show_no_canary(project: Path) -> None:
    key = "jwt-canary-signing-key"
    assert_no_leak(authlint(project, "jwt", "inspect", JWT_TOKEN, "--key", key), "jwt inspect --key")
    assert_no_leak(authlint(project, "jwt", "inspect", "-", stdin=JWT_TOKEN + "\n"), "jwt inspect -")
    proc = authlint(project, "jwt", "inspect", JWT_TOKEN + "x", "--key", PY_KEY)
    assert not leaks(proc.stdout + proc.stderr), "jwt inspect of a damaged token"
    assert_no_leak(authlint(project, "explain", "Authorization Violation"), "explain")
    proc = authlint(project, "explain", f"nats: authorization violation for token {NATS_TOKEN}")
    assert not leaks(proc.stdout + proc.stderr), "explain quoting a message that holds a secret"
