"""CORS headers set by hand, run against the real frameworks (Flask's test client, express over HTTP):
a browser-like request from another site is let in before the COR001 fix and not after it, and an
echo of the Origin guarded by an allow-list (which authlint leaves alone) really refuses that site."""

from __future__ import annotations

from tests.behaviour.cors.test_express_cors import PROBE as EXPRESS_PROBE
from tests.behaviour.cors.test_flask_cors import ALLOWED, EVIL, probe
from tests.behaviour.project import codes, fixed

FLASK_APP = '''from flask import Flask, jsonify


def create_app():
    app = Flask(__name__)

    @app.after_request
    def add_cors(response):
        response.headers["Access-Control-Allow-Origin"] = "*"  # the SPA lives on another host
        return response

    @app.get("/api/me")
    def me():
        return jsonify(user="alice")

    return app
'''


def test_flask_after_request_star_answers_only_the_configured_origin(python_project) -> None:
    requests = [("/api/me", ALLOWED[0]), ("/api/me", EVIL)]
    before = probe(python_project, {"app.py": FLASK_APP}, requests)
    assert before[f"/api/me {EVIL}"]["actual"] == "*"  # any site may read the answer

    after_files = fixed({"app.py": FLASK_APP}, "COR001", **{"allowed-origins": ALLOWED})
    assert 'response.headers["Access-Control-Allow-Origin"] = "https://app.example.com"  # the SPA' in after_files["app.py"]
    after = probe(python_project, after_files, requests)
    assert after[f"/api/me {ALLOWED[0]}"]["actual"] == ALLOWED[0]
    assert after[f"/api/me {EVIL}"]["actual"] not in (EVIL, "*")  # a browser on EVIL refuses the answer


EXPRESS_STAR = """const express = require('express');

const app = express();
app.use((req, res, next) => {
  res.setHeader('Access-Control-Allow-Origin', '*');
  res.setHeader('Access-Control-Allow-Methods', 'GET,POST');
  next();
});
app.get('/api/me', (req, res) => res.json({ user: 'alice' }));

module.exports = app;
"""

EXPRESS_ECHO = """const express = require('express');

const app = express();
app.use((req, res, next) => {
  const origin = req.get('origin');
  res.set('Access-Control-Allow-Origin', origin);
  res.set('Access-Control-Allow-Credentials', 'true');
  next();
});
app.get('/api/me', (req, res) => res.json({ user: 'alice' }));

module.exports = app;
"""

EXPRESS_GUARDED = EXPRESS_ECHO.replace(
    "  res.set('Access-Control-Allow-Origin', origin);\n  res.set('Access-Control-Allow-Credentials', 'true');\n",
    "  if (ALLOWED.includes(origin)) {\n    res.set('Access-Control-Allow-Origin', origin);\n"
    "    res.set('Access-Control-Allow-Credentials', 'true');\n  }\n",
).replace("const app = express();", "const ALLOWED = ['https://app.example.com'];\nconst app = express();")


def run(node_fixture, name: str, server: str, origins: list[str]) -> dict:
    import json

    node_fixture.write("cors-hand/probe.js", EXPRESS_PROBE)
    node_fixture.write(f"cors-hand/{name}", server)
    return node_fixture.run_script("cors-hand/probe.js", f"./{name}", json.dumps(origins))


def test_express_hand_set_star_answers_only_the_configured_origin(node_fixture) -> None:
    origins = [ALLOWED[0], EVIL]
    before = run(node_fixture, "star-before.js", EXPRESS_STAR, origins)
    assert before[EVIL]["actual"] == "*"

    server = fixed({"server.js": EXPRESS_STAR}, "COR001", **{"allowed-origins": ALLOWED})["server.js"]
    assert "res.setHeader('Access-Control-Allow-Origin', 'https://app.example.com');" in server
    after = run(node_fixture, "star-after.js", server, origins)
    assert after[ALLOWED[0]]["actual"] == ALLOWED[0]
    assert after[EVIL]["actual"] not in (EVIL, "*")


def test_express_echo_is_reported_and_its_guarded_twin_is_not(node_fixture) -> None:
    origins = [ALLOWED[0], EVIL]
    echo = run(node_fixture, "echo.js", EXPRESS_ECHO, origins)
    assert echo[EVIL]["actual"] == EVIL and echo[EVIL]["credentials"] == "true"  # any site, with cookies
    assert codes({"server.js": EXPRESS_ECHO})["COR002"] == 1

    guarded = run(node_fixture, "guarded.js", EXPRESS_GUARDED, origins)
    assert guarded[EVIL]["actual"] is None  # the allow-list refuses the other site
    assert guarded[ALLOWED[0]]["actual"] == ALLOWED[0] and guarded[ALLOWED[0]]["credentials"] == "true"
    found = codes({"server.js": EXPRESS_GUARDED})
    assert not found["COR001"] and not found["COR002"]
