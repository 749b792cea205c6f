from __future__ import annotations

from typing import Iterable

from authlint.diagnostics.diagnostic import Diagnostic, Edit, Fix, FixAvailability
from authlint.facts.knowledge import token_names
from authlint.facts.model import ConnectHandler, ForeignConnectHandler, SocketIOClient, SocketIOServer
from authlint.facts.travel import SERVER_SHARED_TRIGGERS, Travel
from authlint.files.kinds import CODE_KINDS
from authlint.files.source import Source
from authlint.rule import FixOffer, Invalid, Rule, Valid, Violation, Wanted
from authlint.rules import kit
from authlint.rules.socketio.handler_lenders import handler_lenders

TOKENISH = token_names.HANDSHAKE_QUERY_TOKEN
# what a handler reading the query is written with (``QUERY_STRING``, ``handshake.query``, Flask's ``request.args``)
QUERY_READ_WORDS = ("query", "request.args", "request.values")
FLASK_SERVER = (
    "from flask import request\nfrom flask_socketio import SocketIO\nsocketio = SocketIO(app)\n@socketio.on('connect')\n"
    "def connect():\n    if not check(request.args.get('access_token')):\n        return False\n"
)
JS_SERVER = (
    'const { Server } = require("socket.io");\nconst io = new Server(3000);\n'
    'io.use((socket, next) => (verify(socket.handshake.query.token) ? next() : next(new Error("no"))));\n'
)


class TokenInUrl(Violation):
    def message(self) -> str:
        return "token sent in the URL query: it ends up in server and proxy logs; send it in the `auth` payload"


class TokenInQueryOption(Violation):
    def message(self) -> str:
        return "token sent in `query`: use the `auth` option"


class HandlerReadsQueryToken(Violation):
    key: str

    def message(self) -> str:
        return (f"connect handler takes `{self.key}` from the query string: it is logged with the URL; "
                "read it from the `auth` payload")


class TokenInQuery(Rule):
    """
    ## What it does
    Finds Socket.IO credentials carried in the URL: a client connecting to `...?token=...`, a JS client
    passing the token in `query`, and connect handlers that read the token from the query string.
    Handlers written in another module are read there (an `io.use` middleware imported from
    `./middleware/auth`, `@sio.on("connect")` on a server imported from another module); their
    fix edits only that module.

    ## Why is this bad?
    URLs end up in access logs, proxy logs, browser history and `Referer` headers, so the token
    leaks (socketio-jwt-auth#13). Query parameters are also not refreshed on reconnect. The
    handshake `auth` payload (python `connect(url, auth={...})`, JS `io(url, {auth})`) is the
    channel Socket.IO provides for credentials; the server reads it as the `auth` argument of
    `connect` / `socket.handshake.auth`.

    ## Example
    ```python
    await sio.connect(f"https://chat.example.com?token={token}")
    ```
    Use instead:
    ```python
    await sio.connect("https://chat.example.com", auth={"token": token})
    ```

    In JavaScript: `io(url, { query: { token } })` -> `io(url, { auth: { token } })`; the server reads
    `socket.handshake.auth.token`.

    ## Fix safety
    Unsafe, and both sides or neither. The client's token moves from the URL (only when it is the
    URL's one query parameter, the rest of the URL is plain text or one interpolated name such as
    `f"{URL}?token={token}"`, which becomes `URL`, and the call passes no `auth` yet) or from a
    `query` option (renamed to `auth` when every key is a credential, or when the library ignores
    `query`, as python-socketio does) into the `auth` payload; in the same fix every server of the project that
    reads that field from the query is made to read `auth` first and keep the query as a fallback,
    so clients not yet moved still log in: `socket.handshake.query.token` becomes
    `socket.handshake.auth.token ?? socket.handshake.query.token`, and a python connect handler's
    `request.args.get("token")` becomes `(auth or {}).get("token") or request.args.get("token")`,
    with `auth=None` added to a handler that has no `auth` parameter. A server's query read alone
    gets that same edit as its fix. The fix edits several files at once (`fix --apply` writes all or
    none of them). It is display-only when a server read of the field cannot be found or rewritten:
    no server in the project (it may live elsewhere), a handler defined elsewhere, the query string
    parsed by hand (`environ["QUERY_STRING"]`), or the field read through an alias. A query read
    beside an `auth` read of the same field (the fallback) is not reported.

    ## References
    - socket.io-client `auth` option, read as `socket.handshake.auth`:
      https://socket.io/docs/v4/client-options/#auth
    - python-socketio `connect(url, auth=...)`: https://python-socketio.readthedocs.io/en/latest/client.html
    - socketio-jwt-auth#13 ("terrible idea to have JWT sent via query params"); OWASP, information
      exposure through query strings: https://owasp.org/www-community/vulnerabilities/Information_exposure_through_query_strings_in_url
    """

    code = "SIO006"
    name = "token-in-query"
    summary = "Socket.IO token sent in the URL query instead of the auth payload"
    kinds = CODE_KINDS
    triggers = ("socketio", "socket.io")
    # handlers registered in other modules that read the query (``handler_lenders``)
    lend_triggers = tuple((word, query) for word in SERVER_SHARED_TRIGGERS for query in QUERY_READ_WORDS)
    fix_availability = FixAvailability.SOMETIMES
    fix_offers = (
        FixOffer.unsafe(
            "Moves the token from the client's URL query to the `auth` payload and, in the same fix, every"
            " server read of it to read `auth` first and keep the query for clients not yet moved."
        ),
        FixOffer.display_only(
            "Shows the move when a server read of the token is not in the project or not understood:"
            " moving one side alone would lock every client out."
        ),
    )
    project_rule = True  # the fix edits the servers' reads of the token with the client
    languages = "Python, JS/TS"
    examples = (
        Valid("import socketio\nsio = socketio.Client()\nsio.connect('https://chat.example.com', auth={'token': tok})\n"),
        Valid("import socketio\nsio = socketio.Client()\nsio.connect('https://chat.example.com?room=lobby')\n"),
        Valid(
            "import socketio\nsio = socketio.Server()\n@sio.event\ndef connect(sid, environ, auth):\n"
            "    room = parse_qs(environ['QUERY_STRING']).get('room')\n    if not auth:\n        return False\n"
        ),
        # no server in the project: moving the token alone would lock everyone out, so the move is
        # only shown (display-only); the examples with a server below apply it on both sides
        Invalid(
            "import socketio\n\nasync def main(token):\n    sio = socketio.AsyncClient()\n"
            "    await sio.connect(f'http://localhost:5000?token={token}')\n",
            fixed="import socketio\n\nasync def main(token):\n    sio = socketio.AsyncClient()\n"
            "    await sio.connect(f'http://localhost:5000?token={token}')\n",
            span=(5, 47, 5, 60),
        ),
        # a plain value moves as a string; the URL keeps its own quotes
        Invalid(
            'import socketio\nsio = socketio.Client()\nsio.connect("http://localhost:5000?access_token=abc")\n',
            fixed='import socketio\nsio = socketio.Client()\nsio.connect("http://localhost:5000?access_token=abc")\n',
        ),
        # with the Flask-SocketIO server that reads it from the query: both sides move in one fix
        Invalid(
            'import socketio\nsio = socketio.Client()\nsio.connect("http://localhost:5000?access_token=abc")\n',
            path="client.py",
            files={"server.py": FLASK_SERVER},
            fixed='import socketio\nsio = socketio.Client()\nsio.connect("http://localhost:5000", auth={"access_token": "abc"})\n',
            fixed_files={"server.py": FLASK_SERVER.replace(
                "def connect():", "def connect(auth=None):").replace(
                "check(request.args.get('access_token'))",
                "check((auth or {}).get('access_token') or request.args.get('access_token'))")},
        ),
        # python-socketio has no `query` option: renaming it to `auth` loses nothing, `room` included
        Invalid(
            "import socketio\nsio = socketio.Client()\nsio.connect('http://h', query={'room': 'a', 'token': t})\n",
            fixed="import socketio\nsio = socketio.Client()\nsio.connect('http://h', query={'room': 'a', 'token': t})\n",
            message="`query`",
        ),
        Invalid(  # a python-socketio server that reads `auth` already: the client alone moves
            "import socketio\nsio = socketio.Client()\nsio.connect('http://h', query={'room': 'a', 'token': t})\n",
            path="client.py",
            files={"server.py": "import socketio\nsio = socketio.Server()\n@sio.event\ndef connect(sid, environ, auth):\n"
                   "    if not auth or not valid(auth.get('token')):\n        return False\n"},
            fixed="import socketio\nsio = socketio.Client()\nsio.connect('http://h', auth={'room': 'a', 'token': t})\n",
        ),
        Invalid(  # the server parses the query string by hand: which field it takes is unknown, no move
            "import socketio\nsio = socketio.Client()\nsio.connect('http://h?token=abc')\n",
            path="client.py",
            files={"server.py": "import socketio\nfrom urllib.parse import parse_qs\nsio = socketio.Server()\n@sio.event\n"
                   "def connect(sid, environ):\n    if not valid(parse_qs(environ['QUERY_STRING']).get('token')):\n"
                   "        return False\n"},
            fixed="import socketio\nsio = socketio.Client()\nsio.connect('http://h?token=abc')\n",
        ),
        # the base URL in a constant: the constant stays, the token moves to auth with its server read
        Invalid(
            "import socketio\nURL = 'http://localhost:5000'\nsio = socketio.Client()\ndef go(token):\n"
            "    sio.connect(f'{URL}?token={token}')\n",
            path="client.py",
            files={"server.py": FLASK_SERVER.replace("access_token", "token")},
            fixed="import socketio\nURL = 'http://localhost:5000'\nsio = socketio.Client()\ndef go(token):\n"
            "    sio.connect(URL, auth={'token': token})\n",
            fixed_files={"server.py": FLASK_SERVER.replace("access_token", "token").replace(
                "def connect():", "def connect(auth=None):").replace(
                "check(request.args.get('token'))", "check((auth or {}).get('token') or request.args.get('token'))")},
        ),
        # the rest of the f-string is computed: no fix
        Invalid(
            "import socketio\nsio = socketio.Client()\nsio.connect(f'http://{host}?token={token}')\n",
            fixed="import socketio\nsio = socketio.Client()\nsio.connect(f'http://{host}?token={token}')\n",
            message="URL",
        ),
        Invalid(
            "import socketio\nsio = socketio.Client()\n"
            "sio.connect('http://localhost:5000/?room=1&access_token=abc', auth={'x': 1})\n",
            message="URL",
        ),
        Invalid(
            "from flask import request\nfrom flask_socketio import SocketIO\nsocketio = SocketIO(app)\n"
            "@socketio.on('connect')\ndef connect():\n    if not check(request.args.get('token')):\n        return False\n",
            message="query string",
        ),
        # JavaScript / TypeScript.
        Valid('import { io } from "socket.io-client";\nconst socket = io("https://chat.example.com", { auth: { token } });\n', path="client.ts"),
        Valid('import { io } from "socket.io-client";\nconst socket = io(URL, { query: { room: "lobby" } });\n', path="client.mjs"),
        Invalid(
            'import { io } from "socket.io-client";\nconst socket = io("https://chat.example.com", { query: { token } });\n',
            path="client.ts",
            fixed='import { io } from "socket.io-client";\nconst socket = io("https://chat.example.com", { query: { token } });\n',
            message="`query`",
            count=1,
            span=(2, 49, 2, 65),
        ),
        Invalid(  # with its server: the client sends `auth`, the server reads it first, old clients still log in
            'import { io } from "socket.io-client";\nconst socket = io("https://chat.example.com", { query: { token } });\n',
            path="client.ts",
            files={"server.js": JS_SERVER},
            fixed='import { io } from "socket.io-client";\nconst socket = io("https://chat.example.com", { auth: { token } });\n',
            fixed_files={"server.js": JS_SERVER.replace(
                "verify(socket.handshake.query.token)",
                "verify(socket.handshake.auth.token ?? socket.handshake.query.token)")},
        ),
        Invalid(
            'import { io } from "socket.io-client";\nio("wss://rt.example.com?token=abc", { reconnection: false });\n',
            path="client.ts",
            fixed='import { io } from "socket.io-client";\nio("wss://rt.example.com?token=abc", { reconnection: false });\n',
        ),
        Invalid(
            'import { io } from "socket.io-client";\nio(URL, { query: { room, token } });\n',
            path="client.ts",
            fixed='import { io } from "socket.io-client";\nio(URL, { query: { room, token } });\n',  # `room` must stay
        ),
        Invalid(
            "import { io } from 'socket.io-client';\nexport const connect = (jwt: string) => io(`https://chat.example.com?jwt=${jwt}`);\n",
            path="socket.ts",
            fixed="import { io } from 'socket.io-client';\nexport const connect = (jwt: string) => io(`https://chat.example.com?jwt=${jwt}`);\n",
            message="URL",
        ),
        Invalid(
            "import { io } from 'socket.io-client';\nexport const connect = (jwt: string) => io(`https://chat.example.com?jwt=${jwt}`);\n",
            path="socket.ts",
            files={"server.ts": "import { Server } from 'socket.io';\nconst io = new Server(3000);\n"
                   "io.on('connection', (socket) => {\n  const user = check(socket.handshake.query?.jwt);\n});\n"},
            # the template left without substitutions becomes a string in the file's own quotes
            fixed="import { io } from 'socket.io-client';\nexport const connect = (jwt: string) => io('https://chat.example.com', { auth: { jwt } });\n",
            fixed_files={"server.ts": "import { Server } from 'socket.io';\nconst io = new Server(3000);\n"
                         "io.on('connection', (socket) => {\n"
                         "  const user = check(socket.handshake.auth?.jwt ?? socket.handshake.query?.jwt);\n});\n"},
        ),
        Invalid(  # the base URL in a constant: it stays as the name, the token moves with its server read
            'const { io } = require("socket.io-client");\nconst URL = "http://localhost:3000";\n'
            "exports.connect = (token) => io(`${URL}?token=${token}`);\n",
            path="client.js",
            files={"server.js": JS_SERVER},
            fixed='const { io } = require("socket.io-client");\nconst URL = "http://localhost:3000";\n'
            "exports.connect = (token) => io(URL, { auth: { token } });\n",
            fixed_files={"server.js": JS_SERVER.replace(
                "verify(socket.handshake.query.token)",
                "verify(socket.handshake.auth.token ?? socket.handshake.query.token)")},
        ),
        Invalid(  # the server reads the query through an alias: not rewritten, so the move is only shown
            'import { io } from "socket.io-client";\nio(URL, { query: { token } });\n',
            path="client.js",
            files={"server.js": 'const io = require("socket.io")(3000);\nio.use((socket, next) => {\n'
                   '  const q = socket.handshake.query;\n  return verify(q.token) ? next() : next(new Error("no"));\n});\n'},
            fixed='import { io } from "socket.io-client";\nio(URL, { query: { token } });\n',
        ),
        Invalid(
            'const { io } = require("socket.io-client");\nconst s = io("http://localhost:3000/?access_token=" + getToken(), { reconnection: false });\n',
            path="client.js",
            message="URL",
        ),
        Invalid(
            'import { Server } from "socket.io";\nconst io = new Server(3000);\n'
            'io.use((socket, next) => (verify(socket.handshake.query.token) ? next() : next(new Error("no"))));\n',
            path="server.js",
            message="query string",
            fixed='import { Server } from "socket.io";\nconst io = new Server(3000);\n'
            'io.use((socket, next) => (verify(socket.handshake.auth.token ?? socket.handshake.query.token) ? next() : next(new Error("no"))));\n',
        ),
        Invalid(  # the server alone: it reads `auth` first, old clients keep the query (read twice: one `auth`)
            FLASK_SERVER.replace("if not check(", "log(request.args.get('access_token'))\n    if not check("),
            path="server.py",
            count=2,
            fixed=FLASK_SERVER.replace("if not check(", "log(request.args.get('access_token'))\n    if not check(").replace(
                "def connect():", "def connect(auth=None):").replace(
                "request.args.get('access_token')", "(auth or {}).get('access_token') or request.args.get('access_token')"),
        ),
        # a server that reads `auth` first and falls back to the query serves old and moved clients
        Valid(
            'import { Server } from "socket.io";\nconst io = new Server(3000);\n'
            'io.use((socket, next) => (verify(socket.handshake.auth.token ?? socket.handshake.query.token) ? next() : next(new Error("no"))));\n',
            path="server.js",
        ),
        Valid(
            "from flask import request\nfrom flask_socketio import SocketIO\nsocketio = SocketIO(app)\n@socketio.on('connect')\n"
            "def connect(auth=None):\n    if not check((auth or {}).get('token') or request.args.get('token')):\n        return False\n"
        ),
        # (travel) a middleware or connect handler written in another module of the project.
        Invalid(
            'import { Server } from "socket.io";\nimport authenticate from "./middleware/auth";\n'
            'const io = new Server(3000);\nio.use(authenticate);\n',
            path="src/server.ts",
            files={"src/middleware/auth.ts": 'export default function authenticate(socket, next) {\n'
                                             '  const token = socket.handshake.query?.token;\n'
                                             '  return check(token) ? next() : next(new Error("unauthorized"));\n}\n'},
            message="from the query string",
            count=1,
            span=(2, 17, 2, 46),
            fixed='import { Server } from "socket.io";\nimport authenticate from "./middleware/auth";\n'
                  'const io = new Server(3000);\nio.use(authenticate);\n',
            fixed_files={"src/middleware/auth.ts": 'export default function authenticate(socket, next) {\n'
                                                   '  const token = socket.handshake.auth?.token ?? socket.handshake.query?.token;\n'
                                                   '  return check(token) ? next() : next(new Error("unauthorized"));\n}\n'},
        ),
        Valid(
            'import { Server } from "socket.io";\nimport authenticate from "./middleware/auth";\n'
            'const io = new Server(3000);\nio.use(authenticate);\n',
            path="src/server.ts",
            files={"src/middleware/auth.ts": 'export default function authenticate(socket, next) {\n'
                                             '  const token = socket.handshake.auth?.token;\n'
                                             '  return check(token) ? next() : next(new Error("unauthorized"));\n}\n'},
        ),
        Invalid(
            "from flask import request\nfrom .addon import sio\n\n@sio.on('connect')\ndef connect():\n"
            "    if not check(request.args.get('token')):\n        return False\n",
            path="app/events.py",
            files={"app/addon.py": "from flask_socketio import SocketIO\nsio = SocketIO()\n"},
            message="from the query string",
            count=1,
        ),
    )

    def lenders_wanted(self, project) -> Wanted:
        return handler_lenders(self, project, foreign=True)

    def check_project(self, project) -> Iterable[Diagnostic]:
        servers = list(project.facts(SocketIOServer))
        for client in project.facts(SocketIOClient):
            yield from self._client(client, servers)
        for server in servers:
            for handler in server.handlers:
                moved = {read.key for read in handler.reads if read.channel == "auth" and read.key}
                for read in handler.reads:
                    if read.channel != "query" or not read.key or not TOKENISH.search(read.key):
                        continue
                    if read.key in moved:
                        continue  # `auth.token ?? query.token`: the query is the old clients' fallback
                    edits = kit.read_auth_first(server.source, handler, read)
                    fix = Fix.unsafe("Read the `auth` payload first, keep the query as the old clients' fallback",
                                     *edits) if edits else None
                    yield self.report(server.source, read.span, HandlerReadsQueryToken(read.key), fix)
        yield from self._imported_handlers(project, servers)

    def _imported_handlers(self, project, servers: list[SocketIOServer]) -> Iterable[Diagnostic]:
        """(travel) Middlewares imported from another module of the project (``io.use(authenticate)``
        with ``authenticate`` in ``./middleware/auth``): their reads, reported where they are written
        (each once, however many servers use it); the fix edits only that file."""
        travel = Travel.of(project)
        if not travel:
            return
        found: list[tuple[ConnectHandler, Source]] = []
        for server in servers:
            for opaque in server.handlers:
                if opaque.opaque and opaque.imported:
                    read_there = travel.handler(server, opaque.imported)
                    if read_there is not None:
                        found.append(read_there)
        for fact in project.facts(ForeignConnectHandler):  # ``@sio.on("connect")`` on an imported server
            if travel.server(fact, fact.server) is not None:
                found.append((fact.handler, fact.source))
        seen: set[tuple[str, int]] = set()
        for handler, source in found:
            if (source.relpath, handler.span.start) in seen:
                continue
            seen.add((source.relpath, handler.span.start))
            moved = {read.key for read in handler.reads if read.channel == "auth" and read.key}
            for read in handler.reads:
                if read.channel != "query" or not read.key or not TOKENISH.search(read.key) or read.key in moved:
                    continue
                edits = kit.read_auth_first(source, handler, read)
                fix = Fix.unsafe("Read the `auth` payload first, keep the query as the old clients' fallback",
                                 *edits) if edits else None
                yield self.report(source, read.span, HandlerReadsQueryToken(read.key), fix)

    def _client(self, client: SocketIOClient, servers: list[SocketIOServer]) -> Iterable[Diagnostic]:
        source = client.source
        for sent in client.sends:
            if sent.channel == "url":
                fix = self._both_sides(self._move(source, client), [sent.key], servers)
                yield self.report(source, sent.span, TokenInUrl(), fix)
        keys = [sent.key for sent in client.sends if sent.channel == "query" and sent.key]
        query = client.options.get("query")
        if query is not None and any(TOKENISH.search(k) for k in keys):
            fix = None
            # Renaming moves every key: only when they are all credentials (a `room` stays in the
            # query), or when the library ignores the option anyway.
            ignored = any(unknown.name == "query" for unknown in client.unknown_options)
            if "auth" not in client.options and (ignored or all(TOKENISH.search(k) for k in keys)):
                renamed = kit.rename_option(source, query, "auth")
                if renamed:
                    fix = self._both_sides(Fix.unsafe("Send it as `auth`", *renamed), keys, servers)
            yield self.report(source, query.span, TokenInQueryOption(), fix)

    @staticmethod
    def _both_sides(client_fix: Fix | None, keys: list[str | None], servers: list[SocketIOServer]) -> Fix | None:
        """The client's move together with every server read of the moved fields, in one fix: the
        server reads ``auth`` first and keeps the query for clients not yet moved. Display-only
        when a server read cannot be found or rewritten (no server in the project, a handler
        defined elsewhere, the query string parsed by hand, an alias)."""
        if client_fix is None:
            return None
        server_edits = _server_edits(servers, [k for k in keys if k and TOKENISH.search(k)])
        if server_edits is None:
            return Fix.display_only(f"{client_fix.title} (a suggestion: the server's read of the token is not "
                                    "in the project or cannot be rewritten, so it must change with it)",
                                    *client_fix.edits)
        edits, files = server_edits
        return Fix.unsafe(client_fix.title + (" and read it there on the server" if edits else ""),
                          *client_fix.edits, *edits, files=files)

    @staticmethod
    def _move(source, client: SocketIOClient) -> Fix | None:
        """``connect("https://h?token=" + t)`` -> ``connect("https://h", auth={"token": t})``: the URL
        keeps what is left of it, and the value moves into a new ``auth`` payload."""
        url = client.url
        sent = next(c for c in client.sends if c.channel == "url")
        bare = client.bare_url if client.bare_url is not None else (
            kit.moved(client.bare_url_expr) if client.bare_url_expr is not None else None)
        if url is None or url.origin is not None or bare is None or sent.value is None or sent.key is None:
            return None
        if "auth" in client.options:
            return None
        value = sent.value.value if sent.value.known else kit.moved(sent.value)
        insert = kit.insert_option(source, client.options, "auth", {sent.key: value})
        if insert is None:
            return None
        edits = [kit.replace_value(source, url, bare, like=url), insert]
        return Fix.unsafe("Send the token in the `auth` payload", *edits)


def _server_edits(servers: list[SocketIOServer], keys: list[str]) -> tuple[list[Edit], tuple[Source, ...]] | None:
    """Edits making every server read of ``keys`` take the auth payload first (none needed where a
    handler reads it there already), with the sources they edit; None when some read is unknown."""
    handlers = [(server, handler) for server in servers for handler in server.handlers]
    if not handlers or any(handler.opaque for _, handler in handlers):
        return None
    edits: list[Edit] = []
    files: dict[str, Source] = {}
    for key in keys:
        found = False
        for server, handler in handlers:
            moved = any(r.channel == "auth" and r.key == key for r in handler.reads)
            for read in handler.reads:
                if read.channel == "query" and read.key is None:
                    return None  # the query string read whole: where the token is taken is unknown
                if read.key != key or read.channel not in ("auth", "query"):
                    continue
                found = True
                if read.channel == "auth" or moved:
                    continue
                rewrite = kit.read_auth_first(server.source, handler, read)
                if rewrite is None:
                    return None
                edits.extend(edit.in_file(server.source.relpath) for edit in rewrite)
                files[server.source.relpath] = server.source
        if not found:
            return None
    return edits, tuple(files.values())
