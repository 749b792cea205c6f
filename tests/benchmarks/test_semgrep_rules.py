"""benchmarks/semgrep-rules.yml loads without errors and every rule fires on its own example.

Keeps the semgrep side of the benchmark honest: a rule that silently matches nothing would make
semgrep look cheaper than it is. Skipped where semgrep is not installed (the CI installs only
``.[test]``); run it with benchmarks/.venv-semgrep or a semgrep on PATH.
"""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import pytest
import run as bench

PYTHON_EXAMPLE = 'import socketio, jwt\nfrom flask_cors import CORS\nsio = socketio.AsyncServer(ping_timeout=20000, cors_allowed_origins="*")\nsio2 = socketio.Server(cors_allowed_origins=[])\nCORS(app)\nCORS(app, supports_credentials=True)\nCORS_ALLOW_ALL_ORIGINS = True\napp.add_middleware(CORSMiddleware, allow_origins=["*"], allow_credentials=True)\nt = jwt.encode({"sub": "x"}, "secret")\njwt.decode(t, key)\njwt.decode(t, key, options={"verify_signature": False})\njwt.decode(t, key, algorithms=["HS256"], leeway=0)\nresp.set_cookie("access_token", t)\nSECRET_KEY = "abc"\nclient.connect("http://x?token=abc")\nCORS(app, origins="http://evil.example.com")\n'
JS_EXAMPLE = 'const io2 = new Server(httpServer, { pingTimeout: 20, cors: { origin: \'*\' } });\nconst s = io("https://x", { query: { token: t } });\napp.use(cors());\napp.use(cors({ origin: true, credentials: true }));\njwt.sign({ sub: 1 }, "secret", { expiresIn: \'10s\' });\njwt.sign({ sub: 1 }, key, { expiresIn: \'365d\' });\njwt.sign({ sub: 1 }, key);\njwt.decode(tok);\njwt.verify(tok, key, { ignoreExpiration: true });\nlocalStorage.setItem(\'token\', t);\nlocalStorage.authToken = t;\nres.cookie(\'token\', t, { httpOnly: true });\ndocument.cookie = "token=" + t;\nconst x = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.abc";\njwt.verify(tok, key, { clockTolerance: 0 });\nconst seed = "SUAMLK2ZNL35WSMW37E7UD4VZ7ELPKW7DHC3BWBSD2GCZ7IUQQXZIORRBU";\napp.use(cors({ origin: "http://app.example.com" }));\n'
NATS_EXAMPLE = 'ping_interval: 2m\nauthorization { password: hunter2 }\n'


@pytest.fixture(scope="module")
def semgrep() -> str:
    found = bench.find_semgrep(None, create=False)
    if found is None:
        pytest.skip("semgrep is not installed (python benchmarks/run.py --install-semgrep)")
    return found


def test_every_rule_fires_on_its_example(semgrep: str, tmp_path: Path) -> None:
    (tmp_path / "app.py").write_text(PYTHON_EXAMPLE)
    (tmp_path / "app.js").write_text(JS_EXAMPLE)
    (tmp_path / "nats-server.conf").write_text(NATS_EXAMPLE)
    argv = [semgrep, "scan", "--config", str(bench.RULES_FILE), "--metrics=off", "--disable-version-check",
            "--json", "--project-root", ".", "--semgrepignore-v2", "."]
    done = subprocess.run(argv, cwd=tmp_path, capture_output=True, text=True, env=bench.semgrep_env(), timeout=240)
    data = json.loads(done.stdout)
    assert data["errors"] == []
    fired = {result["check_id"].rsplit(".", 1)[-1] for result in data["results"]}
    ids = set(re.findall(r"- id: (\S+)", bench.RULES_FILE.read_text()))
    assert ids and ids <= fired, sorted(ids - fired)
