"""Which proxied locations carry Socket.IO: nginx's location choice for the server's path."""

from __future__ import annotations

from authlint.files.source import Source
from authlint.rules.proxy.carriers import carriers
from authlint.run.context import FileContext, Project

SITE = """server {
    listen 80;
    location / { proxy_pass http://web:3000; }
    location /socket.io/ { proxy_pass http://app:5000; }
    location /api/ { proxy_pass http://api:8000; }
}
server {
    listen 8080;
    location / { proxy_pass http://app:5000; }
}
"""


def project(files: dict[str, tuple[str, str]]) -> Project:
    return Project([FileContext(Source.from_text(text, path, kind)) for path, (kind, text) in files.items()])


def test_the_most_specific_location_of_each_server_carries_it() -> None:
    found = carriers(project({"nginx/site.conf": ("nginx", SITE),
                              "app.py": ("python", "import socketio\nsio = socketio.AsyncServer()\n")}))
    assert sorted((c.proxy.location, c.proxy.target, c.path) for c in found) == [
        ("/", "http://app:5000", "/socket.io/"), ("/socket.io/", "http://app:5000", "/socket.io/")]
    assert all(len(c.servers) == 1 for c in found)


def test_a_server_path_is_followed() -> None:
    app = 'const { Server } = require("socket.io");\nconst io = new Server(httpServer, { path: "/rt" });\n'
    site = "server { location /rt/ { proxy_pass http://app; } location / { proxy_pass http://web; } }\n"
    found = carriers(project({"site.conf": ("nginx", site), "server.js": ("javascript", app)}))
    assert [(c.proxy.location, c.path) for c in found] == [("/rt/", "/rt/")]


def test_no_socketio_no_carriers() -> None:
    assert carriers(project({"nginx/site.conf": ("nginx", SITE), "app.py": ("python", "print(1)\n")})) == []
