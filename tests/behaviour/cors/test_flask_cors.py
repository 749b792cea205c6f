"""COR001/COR002/COR003 fixes of Flask-CORS policies, executed with Flask's test client.

Flask-CORS takes each option from the resource's dict, then the ``init_app``/``CORS()`` keywords,
then ``app.config["CORS_*"]``: the fix must edit the setting that decides, leave a working config
origin alone, and after it an evil origin gets no ``Access-Control-Allow-Origin`` at all.
"""

from __future__ import annotations

from tests.behaviour.project import codes, fixed

ALLOWED = ["https://app.example.com"]
EVIL = "https://evil.example.net"

# Preflight and actual requests from each origin, against the app the project builds.
PROBE = """
import json
from {module} import {factory}
app = {factory}{call}
client = app.test_client()
seen = {{}}
for path, origin in {requests!r}:
    pre = client.options(path, headers={{"Origin": origin, "Access-Control-Request-Method": "POST"}})
    got = client.get(path, headers={{"Origin": origin}})
    seen[path + " " + origin] = {{
        "preflight": pre.headers.get("Access-Control-Allow-Origin"),
        "actual": got.headers.get("Access-Control-Allow-Origin"),
        "credentials": got.headers.get("Access-Control-Allow-Credentials"),
        "status": got.status_code,
    }}
print(json.dumps(seen))
"""


def probe(python_project, files: dict[str, str], requests: list[tuple[str, str]], module: str = "app",
          factory: str = "create_app", call: str = "()") -> dict[str, dict]:
    script = PROBE.format(module=module, factory=factory, call=call, requests=requests)
    return python_project(files).run(script)


EXTENSIONS = '''from flask_cors import CORS

cors = CORS()
'''

INIT_APP = '''from flask import Flask, jsonify

from extensions import cors


def create_app():
    app = Flask(__name__)
    cors.init_app(
        app,
        resources={
            r"/api/*": {"origins": "*"},  # the SPA and the mobile web view
        },
        supports_credentials=True,  # session cookie
    )

    @app.get("/api/me")
    def me():
        return jsonify(user="alice")

    return app
'''


def test_init_app_resource_origins_are_fixed_where_they_decide(python_project) -> None:
    files = {"extensions.py": EXTENSIONS, "app.py": INIT_APP}
    requests = [("/api/me", ALLOWED[0]), ("/api/me", EVIL)]
    before = probe(python_project, files, requests)
    assert before[f"/api/me {EVIL}"]["actual"] == EVIL  # the hole: any site, with the user's cookies
    assert before[f"/api/me {EVIL}"]["credentials"] == "true"

    after_files = fixed(files, "COR002", **{"allowed-origins": ALLOWED})
    app = after_files["app.py"]
    assert '{"origins": ["https://app.example.com"]},  # the SPA and the mobile web view' in app
    assert after_files["extensions.py"] == EXTENSIONS  # CORS() decides nothing here: left alone
    after = probe(python_project, after_files, requests)
    assert after[f"/api/me {ALLOWED[0]}"] == {
        "preflight": ALLOWED[0], "actual": ALLOWED[0], "credentials": "true", "status": 200,
    }
    assert after[f"/api/me {EVIL}"]["preflight"] is None and after[f"/api/me {EVIL}"]["actual"] is None
    assert fixed_twice_changes_nothing(after_files)


def fixed_twice_changes_nothing(files: dict[str, str]) -> bool:
    from authlint.testing import fix_files

    return fix_files(dict(files), unsafe=True, select=["ALL"], **{"allowed-origins": ALLOWED}) == files


# The admin front end is configured app-wide; the public API opened every origin per resource.
CONFIGURED = '''from flask import Flask, jsonify
from flask_cors import CORS

PUBLIC_ORIGINS = [
    "*",  # TODO: lock down before launch
]


def create_app():
    app = Flask(__name__)
    app.config["CORS_ORIGINS"] = ["https://admin.example.com"]
    CORS(
        app,
        resources={
            r"/api/*": {"origins": PUBLIC_ORIGINS},
            r"/admin/*": {},
        },
    )

    @app.get("/api/items")
    def items():
        return jsonify([])

    @app.get("/admin/stats")
    def stats():
        return jsonify({})

    return app
'''


def test_config_origins_stay_and_the_open_resource_is_closed(python_project) -> None:
    files = {"app.py": CONFIGURED}
    admin = "https://admin.example.com"
    requests = [("/api/items", EVIL), ("/api/items", ALLOWED[0]), ("/admin/stats", admin), ("/admin/stats", EVIL)]
    before = probe(python_project, files, requests)
    assert before[f"/api/items {EVIL}"]["actual"] == EVIL
    assert before[f"/admin/stats {admin}"]["actual"] == admin

    assert codes(files, **{"allowed-origins": ALLOWED})["COR001"] == 1  # only the open resource
    after_files = fixed(files, "COR001", **{"allowed-origins": ALLOWED})
    app = after_files["app.py"]
    assert 'app.config["CORS_ORIGINS"] = ["https://admin.example.com"]' in app  # never replaced
    assert 'PUBLIC_ORIGINS = [\n    "https://app.example.com",  # TODO: lock down before launch\n]' in app
    after = probe(python_project, after_files, requests)
    assert after[f"/api/items {ALLOWED[0]}"]["actual"] == ALLOWED[0]
    assert after[f"/api/items {ALLOWED[0]}"]["preflight"] == ALLOWED[0]
    assert after[f"/api/items {EVIL}"]["actual"] is None and after[f"/api/items {EVIL}"]["preflight"] is None
    assert after[f"/admin/stats {admin}"]["actual"] == admin  # the admin front end keeps CORS
    assert after[f"/admin/stats {EVIL}"]["actual"] is None
    assert fixed_twice_changes_nothing(after_files)


CONFIG_WILDCARD = '''from flask import Flask, jsonify
from flask_cors import CORS

app = Flask(__name__)
app.config.update(
    CORS_ORIGINS="*",
    CORS_SUPPORTS_CREDENTIALS=True,
)
CORS(app)


@app.get("/orders")
def orders():
    return jsonify([])
'''


def test_config_wildcard_with_credentials_is_fixed_in_the_config(python_project) -> None:
    files = {"app.py": CONFIG_WILDCARD}
    requests = [("/orders", EVIL), ("/orders", ALLOWED[0])]
    before = probe(python_project, files, requests, factory="app", call="")
    assert before[f"/orders {EVIL}"] == {"preflight": EVIL, "actual": EVIL, "credentials": "true", "status": 200}

    after_files = fixed(files, "COR002", **{"allowed-origins": ALLOWED})
    assert 'CORS_ORIGINS=["https://app.example.com"],' in after_files["app.py"]
    assert "CORS(app)\n" in after_files["app.py"]  # a keyword there would hide the config from readers
    after = probe(python_project, after_files, requests, factory="app", call="")
    assert after[f"/orders {ALLOWED[0]}"] == {
        "preflight": ALLOWED[0], "actual": ALLOWED[0], "credentials": "true", "status": 200,
    }
    assert after[f"/orders {EVIL}"]["actual"] is None and after[f"/orders {EVIL}"]["preflight"] is None


REGEX_ORIGIN = '''from flask import Flask, jsonify
from flask_cors import CORS

app = Flask(__name__)
CORS(
    app,
    origins=[
        r"^https://[a-z]+\\.example\\.com",  # every tenant's front end
    ],
)


@app.get("/ping")
def ping():
    return jsonify(ok=True)
'''


def test_anchored_regex_refuses_a_suffixed_host(python_project) -> None:
    files = {"app.py": REGEX_ORIGIN}
    suffixed = "https://app.example.com.evil.io"
    requests = [("/ping", suffixed), ("/ping", ALLOWED[0])]
    before = probe(python_project, files, requests, factory="app", call="")
    assert before[f"/ping {suffixed}"]["actual"] == suffixed  # re.match anchors only the start

    after_files = fixed(files, "COR003")
    assert 'r"^https://[a-z]+\\.example\\.com$",  # every tenant' in after_files["app.py"]
    after = probe(python_project, after_files, requests, factory="app", call="")
    assert after[f"/ping {suffixed}"]["actual"] is None and after[f"/ping {suffixed}"]["preflight"] is None
    assert after[f"/ping {ALLOWED[0]}"]["actual"] == ALLOWED[0]


DEFAULT_ORIGINS = '''from flask import Flask, jsonify
from flask_cors import CORS

app = Flask(__name__)
CORS(
    app,
    max_age=600,  # cache preflights for ten minutes
)


@app.get("/report")
def report():
    return jsonify(rows=[])
'''


def test_default_any_origin_gets_the_allowed_list(python_project) -> None:
    files = {"app.py": DEFAULT_ORIGINS}
    requests = [("/report", EVIL), ("/report", ALLOWED[0])]
    before = probe(python_project, files, requests, factory="app", call="")
    assert before[f"/report {EVIL}"]["actual"] == EVIL  # Flask-CORS by default echoes every origin

    after_files = fixed(files, "COR001", **{"allowed-origins": ALLOWED})
    assert ('    max_age=600,  # cache preflights for ten minutes\n    origins=["https://app.example.com"],\n)'
            in after_files["app.py"])
    after = probe(python_project, after_files, requests, factory="app", call="")
    assert after[f"/report {ALLOWED[0]}"]["actual"] == ALLOWED[0]
    assert after[f"/report {ALLOWED[0]}"]["preflight"] == ALLOWED[0]
    assert after[f"/report {EVIL}"]["actual"] is None and after[f"/report {EVIL}"]["preflight"] is None
    assert fixed_twice_changes_nothing(after_files)


def test_config_from_another_file_is_shown_not_applied() -> None:
    """The config object may set CORS_ORIGINS: adding ``origins=`` would override it, so the fix is
    display-only and ``fix --apply`` leaves the file alone while ``check`` keeps reporting."""
    from authlint.testing import fix_files

    files = {"app.py": DEFAULT_ORIGINS.replace('app = Flask(__name__)\n',
                                               'app = Flask(__name__)\napp.config.from_object("config.Production")\n')}
    assert codes(files, **{"allowed-origins": ALLOWED})["COR001"] == 1
    assert fix_files(dict(files), unsafe=True, select=["ALL"], **{"allowed-origins": ALLOWED}) == files
