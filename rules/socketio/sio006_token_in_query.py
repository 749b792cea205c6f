from __future__ import annotations

from typing import Iterable

from authlint.diagnostics.diagnostic import Diagnostic, Fix, FixAvailability
from authlint.facts.knowledge import token_names
from authlint.facts.model import SocketIOClient, SocketIOServer
from authlint.files.kinds import CODE_KINDS
from authlint.rule import FixOffer, Invalid, Rule, Valid, Violation
from authlint.rules import kit

TOKENISH = token_names.HANDSHAKE_QUERY_TOKEN


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
    Unsafe: the token moves from the URL to `auth`, so the server must read `auth["token"]` instead
    of the query string. Offered only when the token is the URL's only query parameter and the call
    passes no `auth` yet. A `query` option whose every key is a credential (or that the library
    ignores, as python-socketio does) is renamed to `auth`.

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
    fix_availability = FixAvailability.SOMETIMES
    fix_offers = (
        FixOffer.unsafe(
            "Moves the token from the URL query to the `auth` payload: the server must read it there."
        ),
    )
    languages = "Python, JS/TS"
    examples = (
        Valid("import socketio\nsio = socketio.Client()\nsio.connect('https://chat.example.com', auth={'token': tok})\n"),
        Valid("import socketio\nsio = socketio.Client()\nsio.connect('https://chat.example.com?room=lobby')\n"),
        Valid(
            "import socketio\nsio = socketio.Server()\n@sio.event\ndef connect(sid, environ, auth):\n"
            "    room = parse_qs(environ['QUERY_STRING']).get('room')\n    if not auth:\n        return False\n"
        ),
        Invalid(
            "import socketio\n\nasync def main(token):\n    sio = socketio.AsyncClient()\n"
            "    await sio.connect(f'http://localhost:5000?token={token}')\n",
            fixed="import socketio\n\nasync def main(token):\n    sio = socketio.AsyncClient()\n"
            "    await sio.connect('http://localhost:5000', auth={'token': token})\n",
            span=(5, 47, 5, 60),
        ),
        # a plain value moves as a string; the URL keeps its own quotes
        Invalid(
            'import socketio\nsio = socketio.Client()\nsio.connect("http://localhost:5000?access_token=abc")\n',
            fixed='import socketio\nsio = socketio.Client()\nsio.connect("http://localhost:5000", auth={"access_token": "abc"})\n',
        ),
        # python-socketio has no `query` option: renaming it to `auth` loses nothing, `room` included
        Invalid(
            "import socketio\nsio = socketio.Client()\nsio.connect('http://h', query={'room': 'a', 'token': t})\n",
            fixed="import socketio\nsio = socketio.Client()\nsio.connect('http://h', auth={'room': 'a', 'token': t})\n",
            message="`query`",
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
            fixed='import { io } from "socket.io-client";\nconst socket = io("https://chat.example.com", { auth: { token } });\n',
            message="`query`",
            count=1,
            span=(2, 49, 2, 65),
        ),
        Invalid(
            'import { io } from "socket.io-client";\nio("wss://rt.example.com?token=abc", { reconnection: false });\n',
            path="client.ts",
            fixed='import { io } from "socket.io-client";\nio("wss://rt.example.com", { reconnection: false, auth: { token: "abc" } });\n',
        ),
        Invalid(
            'import { io } from "socket.io-client";\nio(URL, { query: { room, token } });\n',
            path="client.ts",
            fixed='import { io } from "socket.io-client";\nio(URL, { query: { room, token } });\n',  # `room` must stay
        ),
        Invalid(
            "import { io } from 'socket.io-client';\nexport const connect = (jwt: string) => io(`https://chat.example.com?jwt=${jwt}`);\n",
            path="socket.ts",
            # the template left without substitutions becomes a string in the file's own quotes
            fixed="import { io } from 'socket.io-client';\nexport const connect = (jwt: string) => io('https://chat.example.com', { auth: { jwt } });\n",
            message="URL",
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
        ),
    )

    def check(self, ctx) -> Iterable[Diagnostic]:
        for client in ctx.of(SocketIOClient):
            for sent in client.sends:
                if sent.channel == "url":
                    value = ctx.source.slice(sent.span).partition("=")[2]
                    yield self.report(ctx, sent.span, TokenInUrl(), self._move(ctx, client),
                                      secrets=(value,) if value and "{" not in value else ())
            keys = [sent.key for sent in client.sends if sent.channel == "query" and sent.key]
            query = client.options.get("query")
            if query is not None and any(TOKENISH.search(k) for k in keys):
                fix = None
                # Renaming moves every key: only when they are all credentials (a `room` stays in the
                # query), or when the library ignores the option anyway.
                ignored = any(unknown.name == "query" for unknown in client.unknown_options)
                if "auth" not in client.options and (ignored or all(TOKENISH.search(k) for k in keys)):
                    fix = Fix.unsafe("Send it as `auth`", *kit.rename_option(ctx.source, query, "auth"))
                yield self.report(ctx, query.span, TokenInQueryOption(), fix)
        for server in ctx.of(SocketIOServer):
            for handler in server.handlers:
                for read in handler.reads:
                    if read.channel == "query" and read.key and TOKENISH.search(read.key):
                        yield self.report(ctx, read.span, HandlerReadsQueryToken(read.key))

    @staticmethod
    def _move(ctx, client: SocketIOClient) -> Fix | None:
        """``connect("https://h?token=" + t)`` -> ``connect("https://h", auth={"token": t})``: the URL
        keeps what is left of it, and the value moves into a new ``auth`` payload."""
        url = client.url
        sent = next(c for c in client.sends if c.channel == "url")
        if url is None or url.origin is not None or client.bare_url is None or sent.value is None or sent.key is None:
            return None
        if "auth" in client.options:
            return None
        value = sent.value.value if sent.value.known else kit.moved(sent.value)
        insert = kit.insert_option(ctx.source, client.options, "auth", {sent.key: value})
        if insert is None:
            return None
        edits = [kit.replace_value(ctx.source, url, client.bare_url, like=url), insert]
        return Fix.unsafe("Send the token in the `auth` payload", *edits)
