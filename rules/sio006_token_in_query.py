from __future__ import annotations

import re
from typing import Iterable

from authlint import codegen
from authlint.diagnostic import Diagnostic, Edit, Fix, FixAvailability
from authlint.facts import SocketIOClient, SocketIOServer
from authlint.rule import CODE_KINDS, Invalid, Rule, Valid
from authlint.rules._common import insert_option

TOKENISH = re.compile(r"token|jwt|auth|bearer|api_?key|session|secret|password", re.IGNORECASE)


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

    ## Fix safety
    Unsafe: the token moves from the URL to `auth`, so the server must read `auth["token"]` instead
    of the query string. Offered only when the token is the URL's only query parameter and the call
    passes no `auth` yet.
    """

    code = "SIO006"
    name = "token-in-query"
    summary = "Socket.IO token sent in the URL query instead of the auth payload"
    kinds = CODE_KINDS
    triggers = ("token", "jwt", "auth", "key", "query")
    fix_availability = FixAvailability.SOMETIMES
    languages = "Python"
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
    )

    def check(self, ctx) -> Iterable[Diagnostic]:
        for client in ctx.of(SocketIOClient):
            if client.url_token is not None:
                yield self.diagnostic(
                    ctx, client.url_token,
                    "token sent in the URL query: it ends up in server and proxy logs; send it in the `auth` payload",
                    self._move(ctx, client),
                )
            query = client.options.get("query")
            if query is not None and isinstance(query.value.value, dict) and any(
                isinstance(k, str) and TOKENISH.search(k) for k in query.value.value
            ):
                fix = None
                if "auth" not in client.options:
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
        if url is None or token is None or url.origin is not None or "auth" in client.options or client.lang != "python":
            return None
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
