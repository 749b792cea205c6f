"""The version claims JWT003 makes, checked against the real libraries (the linter never runs them).

PyJWT 2 is installed: without ``algorithms`` ``decode`` raises DecodeError, and ``verify=False`` does
nothing (the signature is checked anyway). jsonwebtoken 9 is in the js-e2e fixture: an unsigned
token is refused without ``algorithms`` even when the key is empty. jsonwebtoken 8.5.1 (the last 8.x)
is installed from the npm registry for the ``node`` test: there the same unsigned token passes.
"""

from __future__ import annotations

import base64
import json
import shutil
import subprocess
from pathlib import Path

import jwt
import pytest

from authlint.testing import lint_files
from authlint.versions.example_files import package_json, package_lock, requirements
from tests.node_project import make_node_fixture
from tests.shared import in_ci

KEY = "reality-check-secret-0123456789abcdef"
DECODE = "import jwt\nclaims = jwt.decode(token, KEY)\n"
DEAD_SWITCH = "import jwt\nclaims = jwt.decode(token, KEY, verify=False, algorithms=['HS256'])\n"
VERIFY_JS = 'const jwt = require("jsonwebtoken");\njwt.verify(token, process.env.JWT_SECRET);\n'


def _messages(code: str, files: dict[str, str]) -> list[str]:
    return [d.message for d in lint_files({"app.py": code, **files}, select=["JWT003"]).diagnostics]


def test_pyjwt_2_raises_without_algorithms_as_the_rule_says() -> None:
    assert int(jwt.__version__.split(".")[0]) >= 2
    token = jwt.encode({"sub": "a"}, KEY, algorithm="HS256")
    with pytest.raises(jwt.exceptions.DecodeError, match="algorithms"):
        jwt.decode(token, KEY)
    [message] = _messages(DECODE, {"requirements.txt": requirements(f"PyJWT=={jwt.__version__}")})
    assert "raises DecodeError on every call" in message


def test_pyjwt_2_verify_false_still_verifies_as_the_rule_says() -> None:
    forged = jwt.encode({"sub": "admin"}, "not-the-key-0123456789abcdef0123", algorithm="HS256")
    with pytest.warns(DeprecationWarning), pytest.raises(jwt.exceptions.InvalidSignatureError):
        jwt.decode(forged, KEY, verify=False, algorithms=["HS256"])
    [message] = _messages(DEAD_SWITCH, {"requirements.txt": requirements(f"PyJWT=={jwt.__version__}")})
    assert "does nothing" in message


def _b64(data: dict) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()


UNSIGNED = f"{_b64({'alg': 'none', 'typ': 'JWT'})}.{_b64({'sub': 'admin'})}."
# verify an unsigned token with an empty key (an unset JWT_SECRET) and no `algorithms`
PROBE = f"""
const jwt = require("jsonwebtoken");
let outcome;
try {{ outcome = {{ accepted: jwt.verify("{UNSIGNED}", process.env.UNSET_SECRET).sub }}; }}
catch (err) {{ outcome = {{ refused: err.message }}; }}
console.log(JSON.stringify(outcome));
"""


def _probe(root: Path, node: str) -> dict:
    (root / "probe.js").write_text(PROBE, encoding="utf-8")
    done = subprocess.run([node, "probe.js"], cwd=root, capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


@pytest.mark.node
def test_jsonwebtoken_9_refuses_an_unsigned_token_so_the_rule_is_silent(tmp_path_factory: pytest.TempPathFactory) -> None:
    fixture = make_node_fixture(tmp_path_factory)
    version = json.loads((fixture.root / "node_modules" / "jsonwebtoken" / "package.json").read_text())["version"]
    assert version.startswith("9.")
    assert "refused" in _probe(fixture.root, fixture.node)
    files = {"package.json": package_json({"jsonwebtoken": "^9.0.0"}), "package-lock.json": package_lock({"jsonwebtoken": version})}
    assert lint_files({"auth.js": VERIFY_JS, **files}, select=["JWT003"]).diagnostics == []


@pytest.mark.node
def test_jsonwebtoken_8_accepts_an_unsigned_token_as_the_rule_says(tmp_path: Path) -> None:
    node, npm = shutil.which("node"), shutil.which("npm")
    if not node or not npm:
        if in_ci():
            pytest.fail("node and npm are needed", pytrace=False)
        pytest.skip("node and npm are needed")
    (tmp_path / "package.json").write_text('{"name": "probe", "private": true}\n', encoding="utf-8")
    done = subprocess.run([npm, "install", "--no-audit", "--no-fund", "--ignore-scripts", "jsonwebtoken@8.5.1"],
                          cwd=tmp_path, capture_output=True, text=True, timeout=300, check=False)
    if done.returncode != 0:
        if in_ci():
            pytest.fail(f"npm install jsonwebtoken@8.5.1 failed: {done.stderr[-300:]}", pytrace=False)
        pytest.skip("the npm registry is unreachable")
    assert _probe(tmp_path, node) == {"accepted": "admin"}
    files = {"package.json": package_json({"jsonwebtoken": "^8.5.1"}), "package-lock.json": package_lock({"jsonwebtoken": "8.5.1"})}
    [found] = lint_files({"auth.js": VERIFY_JS, **files}, select=["JWT003"]).diagnostics
    assert "CVE-2022-23540" in found.message and "package-lock.json:12" in found.message
