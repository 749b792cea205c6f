"""TOK002 on Flask-JWT-Extended cookie settings, executed against the real library.

Whatever the style of the settings (``app.config.update`` keywords or dict, ``from_mapping``,
``app.config[...]`` statements), the fixed file parses, login sets the access cookie ``Secure`` (the
library makes it HttpOnly itself), the CSRF cookie of its double submit stays readable, and a
protected POST still works with the cookie plus the ``X-CSRF-TOKEN`` header read from that cookie
(and fails without the header)."""

from __future__ import annotations

import pytest

from authlint.testing import fix_files
from tests.behaviour.project import fixed

HEAD = '''\
import os

from flask import Flask, jsonify
from flask_jwt_extended import JWTManager, create_access_token, get_jwt_identity, jwt_required, set_access_cookies

app = Flask(__name__)
'''

TAIL = '''
jwt = JWTManager(app)


@app.post("/login")
def login():
    resp = jsonify(login=True)
    set_access_cookies(resp, create_access_token(identity="ann"))
    return resp


@app.post("/transfer")
@jwt_required()
def transfer():
    return jsonify(user=get_jwt_identity())
'''

SETTINGS = {
    "update keywords, secure unset": '''\
app.config.update(
    JWT_SECRET_KEY=os.environ["JWT_SECRET_KEY"],
    JWT_TOKEN_LOCATION=["cookies"],  # the SPA never sees the token
    JWT_COOKIE_CSRF_PROTECT=True,
)
''',
    "update keywords, secure off with a comment": '''\
app.config.update(
    JWT_SECRET_KEY=os.environ["JWT_SECRET_KEY"],
    JWT_TOKEN_LOCATION=["cookies"],
    JWT_COOKIE_SECURE=False,  # TODO: prod
)
''',
    "update dict": '''\
app.config.update({
    "JWT_SECRET_KEY": os.environ["JWT_SECRET_KEY"],
    "JWT_TOKEN_LOCATION": ["headers", "cookies"],
})
''',
    "from_mapping, no trailing comma": '''\
app.config.from_mapping(
    JWT_SECRET_KEY=os.environ["JWT_SECRET_KEY"],
    JWT_TOKEN_LOCATION=["cookies"]
)
''',
    "item statements": '''\
app.config["JWT_SECRET_KEY"] = os.environ["JWT_SECRET_KEY"]
app.config["JWT_TOKEN_LOCATION"] = ["cookies"]  # cookies only
''',
}

RUN = '''\
import json
import os

os.environ["JWT_SECRET_KEY"] = "a-test-key-long-enough-for-hs256-0123456789"
from app import app

client = app.test_client()
login = client.post("/login", base_url="https://bank.example")
csrf = client.get_cookie("csrf_access_token", domain="bank.example").value
ok = client.post("/transfer", headers={"X-CSRF-TOKEN": csrf}, base_url="https://bank.example")
no_header = client.post("/transfer", base_url="https://bank.example")
print(json.dumps({"set_cookie": login.headers.getlist("Set-Cookie"), "ok": [ok.status_code, ok.get_json()],
                  "no_header": no_header.status_code}))
'''


def _attributes(headers: list[str], name: str) -> set[str]:
    header = next(h for h in headers if h.startswith(name + "="))
    return {part.strip() for part in header.split(";")[1:]}


@pytest.mark.parametrize("settings", list(SETTINGS.values()), ids=list(SETTINGS))
def test_fixed_jwt_cookies_are_secure_and_the_double_submit_still_works(python_project, settings: str) -> None:
    files = fixed({"app.py": HEAD + settings + TAIL}, "TOK002")
    assert fix_files(dict(files), unsafe=True, select=["ALL"]) == files  # a second fix changes nothing
    app = files["app.py"]
    compile(app, "app.py", "exec")
    assert "JWT_COOKIE_SECURE" in app and "JWT_COOKIE_SECURE=False" not in app
    assert "\nJWT_COOKIE_SECURE = True" not in app  # never a statement of its own in a call
    for line in settings.splitlines():  # every line of the settings is still there (comments too)
        if "JWT_COOKIE_SECURE" not in line:
            assert line in app
    result = python_project(files).run(RUN)
    access = _attributes(result["set_cookie"], "access_token_cookie")
    csrf = _attributes(result["set_cookie"], "csrf_access_token")
    assert {"Secure", "HttpOnly"} <= access
    assert "Secure" in csrf and "HttpOnly" not in csrf  # the page reads it for the X-CSRF-TOKEN header
    assert result["ok"] == [200, {"user": "ann"}]
    assert result["no_header"] == 401


def test_the_comment_stays_on_the_edited_setting() -> None:
    files = fixed({"app.py": HEAD + SETTINGS["update keywords, secure off with a comment"] + TAIL}, "TOK002")
    assert '    JWT_COOKIE_SECURE=True,  # TODO: prod\n)' in files["app.py"]


def test_a_missing_setting_is_added_to_the_call_in_its_layout() -> None:
    files = fixed({"app.py": HEAD + SETTINGS["update keywords, secure unset"] + TAIL}, "TOK002")
    assert ('    JWT_TOKEN_LOCATION=["cookies"],  # the SPA never sees the token\n    JWT_COOKIE_CSRF_PROTECT=True,\n'
            '    JWT_COOKIE_SECURE=True,\n)') in files["app.py"]
    files = fixed({"app.py": HEAD + SETTINGS["update dict"] + TAIL}, "TOK002")
    assert '    "JWT_TOKEN_LOCATION": ["headers", "cookies"],\n    "JWT_COOKIE_SECURE": True,\n})' in files["app.py"]
