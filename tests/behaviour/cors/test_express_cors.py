"""COR001/COR003 fixes of express ``app.use(cors({...}))``, executed with the real express and cors
packages: the fixed server is started and probed over HTTP from several origins."""

from __future__ import annotations

import json

from tests.behaviour.cors.test_flask_cors import ALLOWED, EVIL
from tests.behaviour.project import codes, fixed

PROBE = """
const http = require("http");
const app = require(process.argv[2]);
const origins = JSON.parse(process.argv[3]);

function request(port, method, origin) {
  return new Promise((resolve, reject) => {
    const headers = { Origin: origin };
    if (method === "OPTIONS") headers["Access-Control-Request-Method"] = "POST";
    const req = http.request({ port, path: "/api/me", method, headers }, (res) => {
      res.resume();
      res.on("end", () => resolve({
        origin: res.headers["access-control-allow-origin"] || null,
        credentials: res.headers["access-control-allow-credentials"] || null,
      }));
    });
    req.on("error", reject);
    req.end();
  });
}

const server = app.listen(0, async () => {
  const port = server.address().port;
  const seen = {};
  for (const origin of origins) {
    const pre = await request(port, "OPTIONS", origin);
    const got = await request(port, "GET", origin);
    seen[origin] = { preflight: pre.origin, actual: got.origin, credentials: got.credentials };
  }
  server.close();
  console.log(JSON.stringify(seen));
});
"""

SERVER = """const express = require('express');
const cors = require('cors');

const app = express();

app.use(
  cors({
    origin: '*', // open for the beta
    methods: ['GET', 'POST'],
  }),
);

app.get('/api/me', (req, res) => res.json({ user: 'alice' }));

module.exports = app;
"""


def run(node_fixture, name: str, server: str, origins: list[str]) -> dict:
    node_fixture.write("cors-behaviour/probe.js", PROBE)
    node_fixture.write(f"cors-behaviour/{name}", server)
    return node_fixture.run_script("cors-behaviour/probe.js", f"./{name}", json.dumps(origins))


def test_express_any_origin_becomes_the_allowed_list(node_fixture) -> None:
    origins = [ALLOWED[0], EVIL]
    before = run(node_fixture, "before.js", SERVER, origins)
    assert before[EVIL]["actual"] == "*" and before[EVIL]["preflight"] == "*"  # every site reads the answers

    after_files = fixed({"server.js": SERVER}, "COR001", **{"allowed-origins": ALLOWED})
    server = after_files["server.js"]
    assert "origin: ['https://app.example.com'], // open for the beta\n" in server  # quotes and comment kept
    after = run(node_fixture, "after.js", server, origins)
    assert after[ALLOWED[0]]["actual"] == ALLOWED[0] and after[ALLOWED[0]]["preflight"] == ALLOWED[0]
    assert after[EVIL]["actual"] is None and after[EVIL]["preflight"] is None


LIST_SERVER = """const express = require('express');
const cors = require('cors');

const ALLOWED_ORIGINS = [
  'https://admin.example.com', // back office
  '*', // partners, until they send their domains
];

const app = express();
app.use(cors({ origin: ALLOWED_ORIGINS, credentials: true }));
app.get('/api/me', (req, res) => res.json({ user: 'alice' }));

module.exports = app;
"""


def test_express_star_inside_a_list_opens_nothing(node_fixture) -> None:
    """The cors package compares array entries exactly: a ``'*'`` entry never matches, so nothing
    is open and COR001/COR002 stay silent (no fix rewrites a working list)."""
    admin = "https://admin.example.com"
    origins = [admin, EVIL]
    seen = run(node_fixture, "list.js", LIST_SERVER, origins)
    assert seen[admin] == {"preflight": admin, "actual": admin, "credentials": "true"}
    assert seen[EVIL]["actual"] is None and seen[EVIL]["preflight"] is None
    found = codes({"server.js": LIST_SERVER}, **{"allowed-origins": ALLOWED})
    assert not found["COR001"] and not found["COR002"]
    from authlint.testing import fix_files

    assert fix_files({"server.js": LIST_SERVER}, unsafe=True, select=["ALL"],
                     **{"allowed-origins": ALLOWED})["server.js"] == LIST_SERVER


REGEX_SERVER = """const express = require('express');
const cors = require('cors');

const app = express();
app.use(cors({
  origin: [
    /^https:\\/\\/[a-z]+\\.example\\.com/, // tenants
  ],
  credentials: true,
}));
app.get('/api/me', (req, res) => res.json({ user: 'alice' }));

module.exports = app;
"""


def test_express_regex_is_anchored(node_fixture) -> None:
    suffixed = "https://app.example.com.evil.io"
    origins = [ALLOWED[0], suffixed]
    before = run(node_fixture, "regex-before.js", REGEX_SERVER, origins)
    assert before[suffixed]["actual"] == suffixed and before[suffixed]["credentials"] == "true"

    after_files = fixed({"server.js": REGEX_SERVER}, "COR003")
    server = after_files["server.js"]
    assert "/^https:\\/\\/[a-z]+\\.example\\.com$/, // tenants\n" in server
    after = run(node_fixture, "regex-after.js", server, origins)
    assert after[suffixed]["actual"] is None and after[suffixed]["preflight"] is None
    assert after[ALLOWED[0]] == {"preflight": ALLOWED[0], "actual": ALLOWED[0], "credentials": "true"}
