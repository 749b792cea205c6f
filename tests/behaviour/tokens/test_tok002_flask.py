"""TOK002 on Flask ``response.set_cookie(...)``, executed: after ``fix --apply`` the login response's
Set-Cookie carries Secure, HttpOnly and SameSite=Lax, the app still gets its cookie back on the next
(same-site, HTTPS) request, and the CSRF cookie the page copies into a header stays readable."""

from __future__ import annotations

import re

from authlint.testing import fix_files
from tests.behaviour.project import fixed

APP = '''\
from flask import Flask, abort, jsonify, make_response, request

app = Flask(__name__)


@app.post("/login")
def login():
    user = request.get_json()["user"]
    resp = make_response(jsonify(user=user))
    resp.set_cookie(
        "access_token",
        "session-of-" + user,
        max_age=3600,  # one hour
        secure=False,  # TODO: turn on in production
    )
    # double submit: the page reads this one and sends it back as X-CSRF-Token
    resp.set_cookie("csrf_token", "csrf-" + user, path="/")
    return resp


@app.post("/transfer")
def transfer():
    token = request.cookies.get("access_token")
    if token is None or request.headers.get("X-CSRF-Token") != request.cookies.get("csrf_token"):
        abort(403)
    return jsonify(by=token)
'''

RUN = '''\
import json
from app import app

client = app.test_client()
login = client.post("/login", json={"user": "ann"}, base_url="https://shop.example")
csrf = client.get_cookie("csrf_token", domain="shop.example").value
ok = client.post("/transfer", headers={"X-CSRF-Token": csrf}, base_url="https://shop.example")
forged = client.post("/transfer", base_url="https://shop.example")
print(json.dumps({"set_cookie": login.headers.getlist("Set-Cookie"), "transfer": [ok.status_code, ok.get_json()],
                  "forged": forged.status_code}))
'''


def _cookie(headers: list[str], name: str) -> set[str]:
    """The attributes of cookie ``name`` in Set-Cookie headers (``Secure``, ``HttpOnly``, ``SameSite=Lax``)."""
    header = next(h for h in headers if h.startswith(name + "="))
    return {part.strip() for part in header.split(";")[1:]}


def test_the_fixed_flask_cookie_is_protected_and_still_sent_back(python_project) -> None:
    files = fixed({"app.py": APP}, "TOK002")
    assert fix_files(dict(files), unsafe=True, select=["ALL"]) == files  # a second fix changes nothing
    app = files["app.py"]
    # one argument per line, trailing comma, the comment on the argument it annotated
    assert '        secure=True,  # TODO: turn on in production\n        httponly=True,\n        samesite="Lax",\n    )' in app
    assert re.search(r'set_cookie\("csrf_token", "csrf-" \+ user, path="/", secure=True, samesite="Lax"\)', app)
    result = python_project(files).run(RUN)
    assert {"Secure", "HttpOnly", "SameSite=Lax"} <= _cookie(result["set_cookie"], "access_token")
    csrf = _cookie(result["set_cookie"], "csrf_token")
    assert {"Secure", "SameSite=Lax"} <= csrf and "HttpOnly" not in csrf  # the page must read it
    assert result["transfer"] == [200, {"by": "session-of-ann"}]
    assert result["forged"] == 403


def test_the_unfixed_app_lacked_the_flags(python_project) -> None:
    """The same run on the original file: the flags really came from the fix."""
    result = python_project({"app.py": APP}).run(RUN)
    assert not {"Secure", "HttpOnly"} & _cookie(result["set_cookie"], "access_token")
    assert result["transfer"] == [200, {"by": "session-of-ann"}]
