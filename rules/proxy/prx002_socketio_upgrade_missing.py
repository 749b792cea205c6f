from __future__ import annotations

from typing import Iterable, Iterator

from authlint.diagnostics.diagnostic import Diagnostic, Edit, Fix, FixAvailability
from authlint.diagnostics.mask import Quoted
from authlint.facts.model import NginxProxy, SocketIOClient, SocketIOServer
from authlint.files.kinds import CODE_KINDS, NGINX
from authlint.files.source import Source
from authlint.rule import FixOffer, Invalid, Rule, Valid, Violation
from authlint.rules import kit
from authlint.rules.proxy.carriers import Carrier, carriers
from authlint.rules.proxy.upgrade import (
    CONNECTION_UPGRADE,
    HTTP_UPGRADE,
    WEBSOCKET_VERSION,
    Upgrade,
    connection_upgrades,
    connection_variable,
    own_level,
    read,
    sets_upgrade,
)

WEBSOCKET = "websocket"
EMPTY = '""'  # how an empty header value reads in nginx (it clears the header)


class NoUpgrade(Violation):
    where: Quoted  # "`location /socket.io/` (nginx/app.conf:7)"
    path: str  # the Socket.IO path it carries
    serving: str  # "the Socket.IO server in app.py:4" | "this project's Socket.IO clients"
    missing: str  # "`proxy_http_version 1.1`, `proxy_set_header Upgrade $http_upgrade`"

    def message(self) -> str:
        return (f"{self.where} carries Socket.IO (`{self.path}`) for {self.serving} without the WebSocket "
                f"upgrade: {self.missing}; nginx speaks HTTP/1.0 to the app unless told otherwise and "
                "never passes the hop-by-hop `Upgrade`/`Connection` headers on by itself, so WebSocket "
                "connections fail (clients stay on long-polling, websocket-only clients never connect)")


def _transports(option) -> list[str] | None:
    """A ``transports`` option as a list of names; None when absent or not a literal."""
    if option is None or not option.value.known:
        return None
    value = option.value.value
    if isinstance(value, str):
        return [value]
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return value
    return None


def polling_only(option) -> bool:
    names = _transports(option)
    return names is not None and WEBSOCKET not in names


def needs_upgrade(project, carrier: Carrier) -> bool:
    """Whether WebSocket is in use: not when the servers behind the location, or every client of
    the project, allow the polling transport only."""
    if carrier.servers and all(polling_only(s.options.get("transports")) for s in carrier.servers):
        return False
    clients = list(project.facts(SocketIOClient))
    return not (clients and all(polling_only(c.options.get("transports")) for c in clients))


def _where(proxy: NginxProxy) -> str:
    line, _ = proxy.source.position((proxy.location_span or proxy.span).start)
    if proxy.location_span is not None:
        match = proxy.source.slice(proxy.location_span)
        return f"`location {match}` ({proxy.source.relpath}:{line})"
    return f"the server block's `proxy_pass` ({proxy.source.relpath}:{line})"


def _serving(servers: list[SocketIOServer]) -> str:
    if not servers:
        return "this project's Socket.IO clients"
    places = []
    for server in servers[:3]:
        line, _ = server.source.position(server.span.start)
        places.append(f"{server.source.relpath}:{line}")
    return "the Socket.IO server in " + ", ".join(places)


class SocketIOUpgradeMissing(Rule):
    """
    ## What it does
    Joins the project's nginx configuration with its Socket.IO server (python-socketio,
    Flask-SocketIO, socket.io) or clients: a `location` that nginx picks for the Socket.IO path
    (`/socket.io/`, the `path` the server sets, or the `location /` that catches it) is reported
    when it lacks any of `proxy_http_version 1.1`, `proxy_set_header Upgrade $http_upgrade` and
    `proxy_set_header Connection "upgrade"` (or a `map $http_upgrade $connection_upgrade { default
    upgrade; '' close; }` variable). The message names the nginx location and the Socket.IO server.

    What the location has in effect is read the way nginx applies it: directives of the enclosing
    `server` and `http` blocks, snippets it includes from the project (`include
    snippets/websocket.conf;`), and, for a fragment (`conf.d/app.conf`), the block of the project
    file that includes it. Includes the project does not ship: Debian's `proxy_params` is known
    to set only `Host`, `X-Real-IP`, `X-Forwarded-For` and `X-Forwarded-Proto`, `mime.types` and
    the other `*_params` files set no proxy directive, and a glob in the `http` block
    (`include /etc/nginx/conf.d/*.conf;`) pulls in site files; any other include may set the
    directives, so the rule stays silent then. A `Connection` variable no `map` of the project
    defines is taken as set elsewhere.

    No finding either when WebSocket is not in use: the Socket.IO servers behind the location
    allow only the polling transport (`transports=['polling']`), or every Socket.IO client of the
    project does (`transports: ['polling']`); their connections never ask for an upgrade.

    ## Why is this bad?
    nginx talks HTTP/1.0 to the upstream by default, and `Upgrade` and `Connection` are hop-by-hop
    headers it does not pass on: the WebSocket handshake reaches the app as a plain GET and fails.
    Socket.IO clients with the default transports stay on HTTP long-polling (more requests, more
    latency, and with several upstreams "Session ID unknown" errors); clients with
    `transports: ['websocket']` never connect.

    ## Example
    ```nginx
    location /socket.io/ {
        proxy_pass http://127.0.0.1:5000;
    }
    ```
    Use instead:
    ```nginx
    location /socket.io/ {
        proxy_pass http://127.0.0.1:5000;
        proxy_http_version 1.1;
        proxy_set_header Upgrade $http_upgrade;
        proxy_set_header Connection upgrade;
    }
    ```

    ## Fix safety
    Safe: the missing directives are added at the end of the location (`Connection` takes the
    project's `$connection_upgrade` map variable when the location's config defines one, else
    `upgrade`), and a `proxy_http_version` or `Connection` written in the location with another
    value is changed in place. The fix minds nginx's inheritance: a location that writes one
    `proxy_set_header` loses every header its `server`/`http` block sets, so when the location has
    none of its own the inherited ones (`Host`, `X-Forwarded-For`, ...) are copied into it first
    (an inherited `include proxy_params;` is copied as such). Only the nginx file of the location
    is edited. When the wrong value is written in a snippet included by the location (another
    file, which other locations may include too), the fix is display-only.

    ## References
    - nginx, WebSocket proxying: https://nginx.org/en/docs/http/websocket.html
    - nginx, `proxy_http_version` (default 1.0) and `proxy_set_header` (inherited only when the
      level sets none): https://nginx.org/en/docs/http/ngx_http_proxy_module.html#proxy_http_version
    - Socket.IO, Behind a reverse proxy (nginx): https://socket.io/docs/v4/reverse-proxy/
    - Flask-SocketIO, Using nginx as a WebSocket reverse proxy:
      https://flask-socketio.readthedocs.io/en/latest/deployment.html#using-nginx-as-a-websocket-reverse-proxy
    - python-socketio `transports` (server and client): https://python-socketio.readthedocs.io/en/latest/api.html
    """

    code = "PRX002"
    name = "socketio-upgrade-missing"
    summary = "nginx location carrying Socket.IO without the WebSocket upgrade headers"
    kinds = frozenset({NGINX}) | CODE_KINDS
    triggers = ("socketio", "socket.io")
    # every nginx file: a snippet with any directive may be what a location includes, and an
    # unread one would count as an include that may set anything
    kind_triggers = {NGINX: ()}
    project_rule = True
    fix_availability = FixAvailability.ALWAYS
    fix_offers = (
        FixOffer.safe(
            "Adds `proxy_http_version 1.1`, `proxy_set_header Upgrade $http_upgrade` and `Connection` "
            "upgrade to the location (copying the headers it would stop inheriting), or corrects a "
            "value written there."
        ),
        FixOffer.display_only(
            "Shows the change of a value written in an included snippet: other locations may include it."
        ),
    )
    languages = "nginx, Python, JS/TS"

    def check_project(self, project) -> Iterable[Diagnostic]:
        seen: set[tuple[str, int]] = set()
        for carrier in carriers(project):
            proxy = carrier.proxy
            key = (proxy.source.relpath, proxy.span.start)
            if key in seen or not needs_upgrade(project, carrier):
                continue
            upgrade = read(project, proxy)
            missing = list(self._missing(project, upgrade))
            if not missing or upgrade.unknown:
                continue
            seen.add(key)
            span = proxy.location_span or proxy.span
            violation = NoUpgrade(_where(proxy), carrier.path, _serving(carrier.servers),
                                  ", ".join(f"`{text}` {why}" for text, why in missing))
            diag = self.report(proxy.source, span, violation, self._fix(project, proxy, upgrade))
            diag.related = [(s.source, s.span, "the Socket.IO server") for s in carrier.servers]
            yield diag

    def _missing(self, project, upgrade: Upgrade) -> Iterator[tuple[str, str]]:
        version = upgrade.version
        if version is None:
            yield "proxy_http_version 1.1", "is missing (nginx's default is 1.0)"
        elif version.args[:1] != [WEBSOCKET_VERSION]:
            yield "proxy_http_version 1.1", f"is {' '.join(version.args)}"
        if not sets_upgrade(upgrade.header("Upgrade")):
            yield f"proxy_set_header Upgrade {HTTP_UPGRADE}", "is missing"
        connection = upgrade.header("Connection")
        if connection_upgrades(project, connection) is False:
            written = "is missing" if connection is None else f"is `{connection.value or EMPTY}`"
            yield f"proxy_set_header Connection {CONNECTION_UPGRADE}", written

    def _fix(self, project, proxy: NginxProxy, upgrade: Upgrade) -> Fix | None:
        source = proxy.source
        level = own_level(proxy)
        edits: list[Edit] = []
        elsewhere: list[Source] = []
        lines: list[tuple[str, list[str]]] = []

        def change(directive, index: int, value: str) -> bool:
            """Change a value written at the location's level; False when it is not written there."""
            if directive is None or directive.level != level:
                return False
            if directive.relpath and directive.relpath != source.relpath:
                other = _source(project, directive.relpath)
                if other is None:
                    return True  # cannot be shown: nothing added either (it would be a duplicate)
                elsewhere.append(other)
                edits.append(kit.replace_argument(other, directive, index, value).in_file(other.relpath))
                return True
            edits.append(kit.replace_argument(source, directive, index, value))
            return True

        version = upgrade.version
        if version is None or version.args[:1] != [WEBSOCKET_VERSION]:
            if not change(version, 0, WEBSOCKET_VERSION):
                lines.append(("proxy_http_version", [WEBSOCKET_VERSION]))
        wanted_connection = connection_variable(project, proxy) or CONNECTION_UPGRADE
        headers: list[tuple[str, list[str]]] = []
        if not sets_upgrade(upgrade.header("Upgrade")):
            written = upgrade.header("Upgrade")
            if not change(written.directive if written else None, 1, HTTP_UPGRADE):
                headers.append(("proxy_set_header", ["Upgrade", HTTP_UPGRADE]))
        connection = upgrade.header("Connection")
        if connection_upgrades(project, connection) is False:
            if not change(connection.directive if connection else None, 1, wanted_connection):
                headers.append(("proxy_set_header", ["Connection", wanted_connection]))
        if headers and not any(h.level == level for h in upgrade.headers):
            lines.extend(_inherited(upgrade))  # the location's first header: keep what it inherited
        lines.extend(headers)
        insertion = kit.insert_directives(source, proxy, lines)
        if insertion is not None:
            edits.insert(0, insertion)
        if not edits:
            return None
        title = "add the WebSocket upgrade to the location"
        if elsewhere:
            return Fix.display_only(title, *edits, files=tuple(elsewhere))
        return Fix.safe(title, *edits)


def _inherited(upgrade: Upgrade) -> list[tuple[str, list[str]]]:
    """The headers the location inherits, as lines it must now write itself (Upgrade and
    Connection excepted: they are being set)."""
    lines: list[tuple[str, list[str]]] = []
    for header in upgrade.headers:
        if header.name.lower() in ("upgrade", "connection"):
            continue
        if header.include:
            line = ("include", [header.include])
        else:
            assert header.directive is not None
            line = ("proxy_set_header", list(header.directive.args))
        if line not in lines:
            lines.append(line)
    return lines


def _source(project, relpath: str) -> Source | None:
    return next((ctx.source for ctx in project.files if ctx.source.relpath == relpath), None)


SITE_BROKEN = """server {
    listen 80;
    server_name chat.example.com;

    location /socket.io/ {
        proxy_pass http://127.0.0.1:5000;
    }
}
"""
SITE_FIXED = """server {
    listen 80;
    server_name chat.example.com;

    location /socket.io/ {
        proxy_pass http://127.0.0.1:5000;
        proxy_http_version 1.1;
        proxy_set_header Upgrade $http_upgrade;
        proxy_set_header Connection upgrade;
    }
}
"""
PY_SERVER = {"app.py": "import socketio\nsio = socketio.AsyncServer(async_mode='aiohttp')\n"}
FLASK_SERVER = {"app.py": "from flask import Flask\nfrom flask_socketio import SocketIO\n\napp = Flask(__name__)\n"
                "socketio = SocketIO(app)\n"}
JS_SERVER = {"server.js": 'const { Server } = require("socket.io");\nconst io = new Server(3000);\n'}

SocketIOUpgradeMissing.examples = (
    Invalid(
        SITE_BROKEN, path="nginx/sites-available/chat.conf", files=PY_SERVER, fixed=SITE_FIXED, count=1,
        message="`location /socket.io/` (nginx/sites-available/chat.conf:5) carries Socket.IO (`/socket.io/`) for "
        "the Socket.IO server in app.py:2 without the WebSocket upgrade: `proxy_http_version 1.1` is missing",
        span=(5, 14, 5, 25),
    ),
    Valid(SITE_FIXED, path="nginx/sites-available/chat.conf", files=PY_SERVER),
    Valid(SITE_BROKEN, path="nginx/sites-available/chat.conf", files={"app.py": "print('no socket.io here')\n"}),
    Invalid(  # a socket.io server at a path of its own, caught by `location /`
        "server {\n    location / {\n        proxy_pass http://app:3000;\n    }\n}\n",
        path="conf.d/app.conf",
        files={"server.js": 'const { Server } = require("socket.io");\nconst io = new Server(3000, { path: "/rt" });\n'},
        fixed="server {\n    location / {\n        proxy_pass http://app:3000;\n        proxy_http_version 1.1;\n"
        "        proxy_set_header Upgrade $http_upgrade;\n        proxy_set_header Connection upgrade;\n    }\n}\n",
        message="carries Socket.IO (`/rt/`) for the Socket.IO server in server.js:2",
    ),
    Invalid(  # the inheritance trap: Host and X-Forwarded-For are copied, the map's variable is used
        "http {\n    map $http_upgrade $connection_upgrade {\n        default upgrade;\n        '' close;\n    }\n"
        "    server {\n        proxy_set_header Host $host;\n"
        "        proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;\n"
        "        location /socket.io/ {\n            proxy_pass http://app;\n            proxy_http_version 1.1;\n"
        "        }\n    }\n}\n",
        path="nginx.conf", files=FLASK_SERVER,
        fixed="http {\n    map $http_upgrade $connection_upgrade {\n        default upgrade;\n        '' close;\n    }\n"
        "    server {\n        proxy_set_header Host $host;\n"
        "        proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;\n"
        "        location /socket.io/ {\n            proxy_pass http://app;\n            proxy_http_version 1.1;\n"
        "            proxy_set_header Host $host;\n"
        "            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;\n"
        "            proxy_set_header Upgrade $http_upgrade;\n"
        "            proxy_set_header Connection $connection_upgrade;\n"
        "        }\n    }\n}\n",
        message="`proxy_set_header Upgrade $http_upgrade` is missing, `proxy_set_header Connection upgrade` is missing",
    ),
    Valid(  # the map equivalent
        "http {\n    map $http_upgrade $connection_upgrade {\n        default upgrade;\n        '' close;\n    }\n"
        "    server {\n        location /socket.io/ {\n            proxy_pass http://app;\n"
        "            proxy_http_version 1.1;\n            proxy_set_header Upgrade $http_upgrade;\n"
        "            proxy_set_header Connection $connection_upgrade;\n        }\n    }\n}\n",
        path="nginx.conf", files=JS_SERVER,
    ),
    Invalid(  # a map that never yields `upgrade` is no equivalent; the wrong version is corrected in place
        "http {\n    map $http_upgrade $connection_upgrade {\n        default close;\n    }\n"
        "    server {\n        location /socket.io/ {\n            proxy_pass http://app;\n"
        "            proxy_http_version 1.0;\n            proxy_set_header Upgrade $http_upgrade;\n"
        "            proxy_set_header Connection $connection_upgrade;\n        }\n    }\n}\n",
        path="nginx.conf", files=JS_SERVER,
        fixed="http {\n    map $http_upgrade $connection_upgrade {\n        default close;\n    }\n"
        "    server {\n        location /socket.io/ {\n            proxy_pass http://app;\n"
        "            proxy_http_version 1.1;\n            proxy_set_header Upgrade $http_upgrade;\n"
        "            proxy_set_header Connection upgrade;\n        }\n    }\n}\n",
        message="`proxy_http_version 1.1` is 1.0, `proxy_set_header Connection upgrade` is `$connection_upgrade`",
    ),
    Valid(  # a snippet of the project sets them
        "server {\n    location /socket.io/ {\n        proxy_pass http://app:5000;\n"
        "        include snippets/websocket.conf;\n    }\n}\n",
        path="sites-available/app.conf",
        files={**PY_SERVER, "snippets/websocket.conf": "proxy_http_version 1.1;\nproxy_set_header Upgrade $http_upgrade;\n"
               'proxy_set_header Connection "upgrade";\n'},
    ),
    Valid(  # an include the project does not ship may set them
        "server {\n    location /socket.io/ {\n        proxy_pass http://app:5000;\n"
        "        include /etc/nginx/ws_headers.conf;\n    }\n}\n",
        path="sites-available/app.conf", files=PY_SERVER,
    ),
    Invalid(  # Debian's proxy_params sets no upgrade header; the inherited include is copied
        "server {\n    include proxy_params;\n    location /socket.io/ {\n        proxy_pass http://app:5000;\n"
        "    }\n}\n",
        path="sites-available/app.conf", files=PY_SERVER,
        fixed="server {\n    include proxy_params;\n    location /socket.io/ {\n        proxy_pass http://app:5000;\n"
        "        proxy_http_version 1.1;\n        include proxy_params;\n"
        "        proxy_set_header Upgrade $http_upgrade;\n        proxy_set_header Connection upgrade;\n"
        "    }\n}\n",
    ),
    Invalid(  # a fragment inherits its includer's http block: only Connection is missing
        "server {\n    location /socket.io/ {\n        proxy_pass http://app:5000;\n"
        "        proxy_set_header Upgrade $http_upgrade;\n    }\n}\n",
        path="nginx/conf.d/app.conf",
        files={**PY_SERVER, "nginx/nginx.conf": "events {}\nhttp {\n    proxy_http_version 1.1;\n"
               "    include conf.d/*.conf;\n}\n"},
        fixed="server {\n    location /socket.io/ {\n        proxy_pass http://app:5000;\n"
        "        proxy_set_header Upgrade $http_upgrade;\n        proxy_set_header Connection upgrade;\n    }\n}\n",
        message="`proxy_set_header Connection upgrade` is missing",
        count=1,
    ),
    Invalid(  # a snippet included by the location writes the wrong value: shown, not applied
        "server {\n    location /socket.io/ {\n        proxy_pass http://app:5000;\n"
        "        include snippets/ws.conf;\n    }\n}\n",
        path="sites-available/app.conf",
        files={**PY_SERVER, "snippets/ws.conf": "proxy_http_version 1.0;\nproxy_set_header Upgrade $http_upgrade;\n"
               "proxy_set_header Connection upgrade;\n"},
        fixed="server {\n    location /socket.io/ {\n        proxy_pass http://app:5000;\n"
        "        include snippets/ws.conf;\n    }\n}\n",
        message="`proxy_http_version 1.1` is 1.0",
    ),
    Valid(  # the project's clients use long-polling only: no upgrade is asked for
        SITE_BROKEN, path="nginx/sites-available/chat.conf",
        files={**PY_SERVER, "client.py": "import socketio\nsio = socketio.Client()\n"
               "sio.connect('https://chat.example.com', transports=['polling'])\n"},
    ),
    Invalid(  # a websocket-only client (JS) and no server in the project
        SITE_BROKEN, path="nginx/sites-available/chat.conf",
        files={"web/main.js": 'import { io } from "socket.io-client";\n'
               'const socket = io("https://chat.example.com", { transports: ["websocket"] });\n'},
        fixed=SITE_FIXED,
        message="for this project's Socket.IO clients without the WebSocket upgrade",
    ),
    Invalid(  # proxy_params included in the location: its headers are the location's own, nothing to copy
        "server {\n    proxy_set_header X-Request-Id $request_id;\n    location /socket.io/ {\n"
        "        proxy_pass http://app:5000;\n        include proxy_params;\n    }\n}\n",
        path="sites-available/app.conf", files=PY_SERVER,
        fixed="server {\n    proxy_set_header X-Request-Id $request_id;\n    location /socket.io/ {\n"
        "        proxy_pass http://app:5000;\n        include proxy_params;\n        proxy_http_version 1.1;\n"
        "        proxy_set_header Upgrade $http_upgrade;\n        proxy_set_header Connection upgrade;\n    }\n}\n",
    ),
    Invalid(  # keepalive upstreams clear Connection in the server block: the location sets its own
        "upstream app {\n    server 10.0.0.5:5000;\n    keepalive 16;\n}\nserver {\n    proxy_http_version 1.1;\n"
        '    proxy_set_header Connection "";\n    proxy_set_header Host $host;\n'
        "    location /socket.io/ {\n        proxy_pass http://app;\n    }\n}\n",
        path="conf.d/app.conf", files=JS_SERVER,
        fixed="upstream app {\n    server 10.0.0.5:5000;\n    keepalive 16;\n}\nserver {\n    proxy_http_version 1.1;\n"
        '    proxy_set_header Connection "";\n    proxy_set_header Host $host;\n'
        "    location /socket.io/ {\n        proxy_pass http://app;\n        proxy_set_header Host $host;\n"
        "        proxy_set_header Upgrade $http_upgrade;\n        proxy_set_header Connection upgrade;\n    }\n}\n",
        message='`proxy_set_header Connection upgrade` is `""`',
    ),
    Valid(  # an include the project does not ship, in the server block, may set them too
        "server {\n    include /etc/nginx/websocket_params;\n    location /socket.io/ {\n"
        "        proxy_pass http://app:5000;\n    }\n}\n",
        path="sites-available/app.conf", files=JS_SERVER,
    ),
    Valid(  # a server that allows the polling transport only
        SITE_BROKEN, path="nginx/sites-available/chat.conf",
        files={"app.py": "import socketio\nsio = socketio.AsyncServer(transports=['polling'])\n"},
    ),
)
