"""PRX002 beyond its examples: the related place it names, and where its fix may write."""

from __future__ import annotations

from authlint.diagnostics.diagnostic import Applicability
from authlint.testing import lint_files

APP = "import socketio\nsio = socketio.AsyncServer(async_mode='aiohttp')\n"
SITE = "server {\n    location /socket.io/ {\n        proxy_pass http://app:5000;\n        include snippets/ws.conf;\n    }\n}\n"


def _found(files: dict[str, str]):
    result = lint_files(files, select=["PRX002"])
    assert not result.errors, result.errors
    return result.diagnostics


def test_the_socketio_server_is_a_related_place() -> None:
    (diag,) = _found({"app.py": APP, "site.nginx": "server { location / { proxy_pass http://app:5000; } }\n"})
    assert diag.path == "site.nginx"
    assert [(source.relpath, note) for source, _, note in diag.related] == [("app.py", "the Socket.IO server")]


def test_a_value_written_in_an_included_snippet_is_only_shown() -> None:
    snippet = "proxy_http_version 1.1;\nproxy_set_header Upgrade $http_upgrade;\nproxy_set_header Connection close;\n"
    (diag,) = _found({"app.py": APP, "sites-available/app.conf": SITE, "snippets/ws.conf": snippet})
    assert diag.fix is not None and diag.fix.applicability is Applicability.DISPLAY_ONLY
    (edit,) = diag.fix.edits
    assert edit.relpath == "snippets/ws.conf" and edit.content == "upgrade"
    assert snippet[edit.start:edit.end] == "close"


def test_a_connection_variable_defined_nowhere_in_the_project_is_taken_as_set() -> None:
    site = ("server {\n    location /socket.io/ {\n        proxy_pass http://app:5000;\n        proxy_http_version 1.1;\n"
            "        proxy_set_header Upgrade $http_upgrade;\n        proxy_set_header Connection $conn;\n    }\n}\n")
    assert _found({"app.py": APP, "site.nginx": site}) == []


def test_one_finding_per_location_when_several_paths_reach_it() -> None:
    js = 'const { Server } = require("socket.io");\nconst io = new Server(3000, { path: "/rt" });\n'
    found = _found({"app.py": APP, "server.js": js, "site.nginx": "server { location / { proxy_pass http://app; } }\n"})
    assert len(found) == 1
