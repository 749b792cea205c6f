"""PRX001's join: which app a proxied location reaches (the upstream's servers, the target's host as
a folder, its port in the app's file), the project-wide fallback, and what keeps it silent."""

from __future__ import annotations

from authlint.testing import lint_files

FLASK = "from flask_cors import CORS\nCORS(app, origins=['https://app.example.com'])\napp.run(port={port})\n"
EXPRESS = "const cors = require('cors');\napp.use(cors({{ origin: 'https://app.example.com' }}));\napp.listen({port});\n"


def prx001(files: dict[str, str]) -> list:
    result = lint_files(files, select=["PRX001"])
    assert not result.errors, result.errors
    return [d for d in result.diagnostics if d.code == "PRX001"]


def nginx(target: str, extra: str = "", location: str = "") -> str:
    return (f"{extra}server {{\n    add_header Access-Control-Allow-Origin https://app.example.com;\n"
            f"    location /api/ {{\n{location}        proxy_pass {target};\n    }}\n}}\n")


def test_the_upstream_servers_name_the_app_by_port() -> None:
    files = {
        "nginx.conf": nginx("http://backend", extra="upstream backend { server 10.0.0.5:3000; }\n"),
        "web/app.py": FLASK.format(port=8000),
        "node/server.js": EXPRESS.format(port=3000),
    }
    (found,) = prx001(files)
    assert "node/server.js:2" in found.message and "the app it passes to" in found.message
    source, _, note = found.related[-1]
    assert (source.relpath, note) == ("node/server.js", "the app's own CORS policy")


def test_the_target_host_names_the_app_folder() -> None:
    files = {
        "nginx.conf": nginx("http://web:8000"),
        "web/app.py": FLASK.format(port=8000),
        "node/server.js": EXPRESS.format(port=3000),
    }
    (found,) = prx001(files)
    assert "web/app.py:2" in found.message


def test_an_unmatched_target_falls_back_to_any_app_of_the_project() -> None:
    (found,) = prx001({"nginx.conf": nginx("http://127.0.0.1:9999"), "app.py": FLASK.format(port=5000)})
    assert "an app of this project" in found.message


def test_a_public_host_is_someone_elses_service() -> None:
    assert prx001({"nginx.conf": nginx("https://api.github.com"), "app.py": FLASK.format(port=5000)}) == []
    (found,) = prx001({"nginx.conf": nginx("http://api.default.svc.cluster.local"), "app.py": FLASK.format(port=5000)})
    assert "an app of this project" in found.message


def test_hidden_in_the_server_block_is_silent_and_a_location_that_writes_its_own_hides_is_not() -> None:
    hidden = "server {\n    proxy_hide_header Access-Control-Allow-Origin;\n" + nginx("http://web:8000").split("\n", 1)[1]
    assert prx001({"nginx.conf": hidden, "web/app.py": FLASK.format(port=8000)}) == []
    own = nginx("http://web:8000", location="        proxy_hide_header X-Powered-By;\n")
    own = own.replace("server {\n", "server {\n    proxy_hide_header Access-Control-Allow-Origin;\n", 1)
    # the location's own proxy_hide_header replaces the server's: the app's header passes again
    (found,) = prx001({"nginx.conf": own, "web/app.py": FLASK.format(port=8000)})
    assert "web/app.py" in found.message


def test_a_location_that_adds_its_own_headers_drops_the_servers_cors() -> None:
    text = nginx("http://web:8000", location="        add_header X-Frame-Options DENY;\n")
    assert prx001({"nginx.conf": text, "web/app.py": FLASK.format(port=8000)}) == []


def test_no_app_policy_no_finding() -> None:
    assert prx001({"nginx.conf": nginx("http://web:8000"), "web/app.py": "app.run(port=8000)\n"}) == []
