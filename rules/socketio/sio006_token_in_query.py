from __future__ import annotations

from typing import Iterable

from authlint.diagnostics.diagnostic import Diagnostic, Edit, Fix, FixAvailability
from authlint.facts.knowledge import token_names
from authlint.facts.model import SocketIOClient, SocketIOServer
from authlint.files.kinds import CODE_KINDS
from authlint.rule import Invalid, Rule, Valid
from authlint.rules.kit import legacy_codegen as codegen
from authlint.rules.kit.common import insert_option

TOKENISH = token_names.HANDSHAKE_QUERY_TOKEN


def _keys(expr) -> list[str]:
    """Keys of a ``query`` object: from its literal value, or its entries when values are not literals."""
    if isinstance(expr.value, dict):
        return [k for k in expr.value if isinstance(k, str)]
    entries = getattr(expr, "entries", None)
    return list(entries.items) if entries is not None else []


def _move_js(ctx, client: SocketIOClient, url_span, token) -> Fix | None:
    """``io(`https://h?token=${t}`)`` -> ``io("https://h", { auth: { token: t } })`` (sole parameter only)."""
    text = ctx.source.text
    question, closing = token.start - 1, url_span.end - 1
    quote = text[url_span.start]
    if text[question] != "?" or token.end != closing or text[closing] != quote or quote not in "'\"`":
        return None
    name, _, value = text[token.start : token.end].partition("=")
    if quote == "`" and value.startswith("${") and value.endswith("}") and value.count("${") == 1:
        value_code = value[2:-1].strip()
    elif value and not any(c in value for c in "${}\\%"):
        value_code = codegen.string(client.lang, value, quote if quote != "`" else None)
    else:
        return None
    if quote == "`" and "${" in text[url_span.start : question]:
        return None  # the rest of the URL is dynamic too: leave it to the author
    key = name if name.isidentifier() else codegen.string(client.lang, name, quote if quote != "`" else None)
    entry = key if key == value_code else f"{key}: {value_code}"
    insert = insert_option(client.lang, client.options, "auth", "{ " + entry + " }")
    if insert is None:
        return None
    edits = [Edit(question, token.end, "")]
    if quote == "`":  # a template without substitutions left: a plain string literal
        edits += [Edit(url_span.start, url_span.start + 1, '"'), Edit(closing, closing + 1, '"')]
    return Fix.unsafe("Send the token in the `auth` payload", *edits, insert)


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
    passes no `auth` yet.
    """

    code = "SIO006"
    name = "token-in-query"
    summary = "Socket.IO token sent in the URL query instead of the auth payload"
    kinds = CODE_KINDS
    triggers = ("socketio", "socket.io")
    fix_availability = FixAvailability.SOMETIMES
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
        ),
        Invalid(
            'import { io } from "socket.io-client";\nio(URL, { query: { room, token } });\n',
            path="client.ts",
            fixed='import { io } from "socket.io-client";\nio(URL, { query: { room, token } });\n',  # `room` must stay
        ),
        Invalid(
            "import { io } from 'socket.io-client';\nexport const connect = (jwt: string) => io(`https://chat.example.com?jwt=${jwt}`);\n",
            path="socket.ts",
            fixed="import { io } from 'socket.io-client';\nexport const connect = (jwt: string) => io(\"https://chat.example.com\", { auth: { jwt } });\n",
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
            if client.url_token is not None:
                value = ctx.source.slice(client.url_token).partition("=")[2]
                yield self.diagnostic(
                    ctx, client.url_token,
                    "token sent in the URL query: it ends up in server and proxy logs; send it in the `auth` payload",
                    self._move(ctx, client),
                    secrets=(value,) if value and "{" not in value else (),
                )
            query = client.options.get("query")
            keys = _keys(query.value) if query is not None else []
            if query is not None and any(TOKENISH.search(k) for k in keys):
                fix = None
                # Renaming moves every key: only when they are all credentials (a `room` stays in the query).
                if "auth" not in client.options and (client.lang == "python" or all(TOKENISH.search(k) for k in keys)):
                    fix = Fix.unsafe("Send it as `auth`", Edit.replace(query.name_span, "auth"))
                yield self.diagnostic(ctx, query.span, "token sent in `query`: use the `auth` option", fix)
        for server in ctx.of(SocketIOServer):
            for handler in server.handlers:
                for read in handler.reads:
                    if read.channel == "query" and read.key and TOKENISH.search(read.key):
                        yield self.diagnostic(
                            ctx, read.span,
                            f"connect handler takes `{read.key}` from the query string: it is logged with the URL; "
                            "read it from the `auth` payload",
                        )

    def _move(self, ctx, client: SocketIOClient) -> Fix | None:
        url = client.url
        token = client.url_token
        if url is None or token is None or url.origin is not None or "auth" in client.options:
            return None
        if client.lang != "python":
            return _move_js(ctx, client, url.span, token)
        text = ctx.source.text
        question = token.start - 1
        closing = url.span.end - 1
        if text[question] != "?" or token.end != closing or text[closing] not in "'\"":
            return None
        name, _, value = text[token.start : token.end].partition("=")
        if value.startswith("{") and value.endswith("}") and value.count("{") == 1:
            value_code = value[1:-1].strip()
        elif value and not any(c in value for c in "{}\\%"):
            value_code = codegen.string(client.lang, value, "'")
        else:
            return None
        insert = insert_option(client.lang, client.options, "auth", "{" + f"{codegen.string(client.lang, name, chr(39))}: {value_code}" + "}")
        if insert is None:
            return None
        edits = [Edit(question, token.end, ""), insert]
        prefix = url.text[: url.text.index(url.text.lstrip("rRbBuUfF")[0])]
        rest = text[url.span.start + len(prefix) : question]
        if "f" in prefix.lower() and "{" not in rest:
            edits.append(Edit(url.span.start, url.span.start + len(prefix), prefix.replace("f", "").replace("F", "")))
        return Fix.unsafe("Send the token in the `auth` payload", *edits)
