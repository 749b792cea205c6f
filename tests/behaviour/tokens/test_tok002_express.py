"""TOK002 on express ``res.cookie(...)``, executed with express + cookie-parser: after the fix the
session cookie is sent Secure, HttpOnly, SameSite=Lax and still comes back to the app, the XSRF-TOKEN
cookie the page reads gains Secure but stays readable, and the layout (one option per line, trailing
commas, comments) is kept."""

from __future__ import annotations

import re

from authlint.testing import fix_files
from tests.behaviour.project import fixed

APP = '''\
const express = require("express");
const cookieParser = require("cookie-parser");

const app = express();
app.use(cookieParser());
app.use(express.json());

app.post("/login", (req, res) => {
  res.cookie("session", "s-" + req.body.user, {
    maxAge: 60 * 60 * 1000, // one hour
    secure: false, // TODO: prod
  });
  res.cookie(
    "refresh_token",
    "r-" + req.body.user, // rotated on use
  );
  // the page copies this one into the X-XSRF-TOKEN header
  res.cookie("XSRF-TOKEN", "x-" + req.body.user, { sameSite: "strict" });
  res.json({ ok: true });
});

app.post("/transfer", (req, res) => {
  if (!req.cookies.session || req.get("X-XSRF-TOKEN") !== req.cookies["XSRF-TOKEN"]) {
    return res.sendStatus(403);
  }
  res.json({ by: req.cookies.session, refresh: req.cookies.refresh_token });
});

module.exports = app;
'''

RUN = '''\
const app = require("./tok002/app");

const server = app.listen(0, "127.0.0.1", async () => {
  const base = `http://127.0.0.1:${server.address().port}`;
  const login = await fetch(`${base}/login`, {
    method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ user: "ann" }),
  });
  const setCookie = login.headers.getSetCookie();
  const jar = setCookie.map((header) => header.split(";")[0]);
  const xsrf = decodeURIComponent(jar.find((pair) => pair.startsWith("XSRF-TOKEN=")).split("=")[1]);
  const ok = await fetch(`${base}/transfer`, { method: "POST", headers: { cookie: jar.join("; "), "X-XSRF-TOKEN": xsrf } });
  const forged = await fetch(`${base}/transfer`, { method: "POST", headers: { cookie: jar.join("; ") } });
  console.log(JSON.stringify({ setCookie, ok: [ok.status, await ok.json()], forged: forged.status }));
  server.close();
});
'''


def _attributes(headers: list[str], name: str) -> set[str]:
    header = next(h for h in headers if h.startswith(name + "="))
    return {part.strip() for part in header.split(";")[1:]}


def test_fixed_express_cookies_are_protected_and_still_work(node_fixture) -> None:
    files = fixed({"tok002/app.js": APP}, "TOK002")
    assert fix_files(dict(files), unsafe=True, select=["ALL"]) == files  # a second fix changes nothing
    app = files["tok002/app.js"]
    assert ('    maxAge: 60 * 60 * 1000, // one hour\n    secure: true, // TODO: prod\n    httpOnly: true,\n'
            '    sameSite: "Lax",\n  });') in app
    assert ('    "r-" + req.body.user, // rotated on use\n    { httpOnly: true, secure: true, sameSite: "Lax" },\n  );'
            in app)
    assert 'res.cookie("XSRF-TOKEN", "x-" + req.body.user, { sameSite: "strict", secure: true });' in app
    assert not re.search(r"\S  \}", app)  # no `{ secure: true  }`
    node_fixture.write("tok002/app.js", app)
    node_fixture.write("tok002_run.js", RUN)
    result = node_fixture.run_script("tok002_run.js")
    for name in ("session", "refresh_token"):
        assert {"Secure", "HttpOnly", "SameSite=Lax"} <= _attributes(result["setCookie"], name)
    xsrf = _attributes(result["setCookie"], "XSRF-TOKEN")
    assert {"Secure", "SameSite=Strict"} <= xsrf and "HttpOnly" not in xsrf
    assert result["ok"] == [200, {"by": "s-ann", "refresh": "r-ann"}]
    assert result["forged"] == 403
