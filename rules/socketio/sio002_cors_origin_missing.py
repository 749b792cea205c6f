from __future__ import annotations

from typing import Iterable
from urllib.parse import urlsplit

from authlint.diagnostics.diagnostic import Diagnostic, Edit, Fix, FixAvailability
from authlint.facts.model import Option, SocketIOClient, SocketIOServer
from authlint.files.kinds import CODE_KINDS
from authlint.rule import Invalid, Rule, Valid
from authlint.rules.kit import legacy_codegen as codegen
from authlint.rules.kit.common import insert_option, quote_of

SCHEMES = {"ws": "http", "wss": "https", "http": "http", "https": "https"}


def origin_header(client: SocketIOClient) -> str | None:
    """The ``Origin`` a client sends: python ``headers={"Origin": ...}``, Node ``extraHeaders: {origin}``."""
    headers = client.options.get("headers" if client.lang == "python" else "extraHeaders")
    if headers is None:
        return None
    entries = headers.value.entries
    pairs = headers.value.value.items() if isinstance(headers.value.value, dict) else (
        [(name, item.value.value) for name, item in entries.items.items()] if entries is not None else []
    )
    for key, value in pairs:
        if isinstance(key, str) and key.lower() == "origin" and isinstance(value, str):
            return value.rstrip("/")
    return None


def url_origin(client: SocketIOClient) -> str | None:
    """``scheme://host[:port]`` of the URL, also from an f-string/template whose host part is literal."""
    if client.url is None:
        return None
    url = client.url.value if isinstance(client.url.value, str) else _static_prefix(client.url.text)
    if url is None:
        return None
    parts = urlsplit(url)
    scheme = SCHEMES.get(parts.scheme.lower())
    return f"{scheme}://{parts.netloc}" if scheme and parts.netloc else None


def _static_prefix(text: str) -> str | None:
    """``f"http://h:5000?token={t}"`` -> ``http://h:5000?token=`` when the host part ends before ``{``."""
    body = text.lstrip("rRbBuUfF")
    if not body or body[0] not in "'\"`":
        return None
    static = body[1:].split("{" if body[0] != "`" else "${", 1)[0]
    scheme, sep, rest = static.partition("://")
    if not sep or not any(c in rest for c in "/?#"):
        return None
    return static


def allowed(server: SocketIOServer) -> tuple[Option | None, list[str] | None]:
    """The server's origin option and its list; list None when any origin passes or it is unknown."""
    if server.lang == "python":
        option = server.options.get("cors_allowed_origins")
        if option is None:
            return None, []  # same origin only
        value = option.value.value
    else:
        cors = server.options.get("cors")
        entries = cors.value.entries if cors is not None else None
        option = entries.get("origin") if entries is not None else None
        if option is None:
            return None, None  # no cors option, or no origin in it: nothing to compare against
        value = option.value.value
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not value or "*" in value or not all(isinstance(v, str) for v in value):
        return option, None
    return option, list(value)


class CorsOriginMissing(Rule):
    """
    ## What it does
    Joins the project's Socket.IO clients and servers: a client that sends an `Origin` (python
    `headers={"Origin": ...}`) the server does not allow, either because the origin is missing from
    `cors_allowed_origins` or because the server keeps the same-origin default and the client
    connects from elsewhere.

    ## Why is this bad?
    python-engineio refuses the connection with HTTP 400 and logs "<origin> is not an accepted
    origin." (python-socketio#639, Flask-SocketIO#1480); native and script clients that send an
    Origin header hit it too (python-socketio#351).

    ## Example
    ```python
    # server.py
    sio = socketio.Server(cors_allowed_origins=["https://app.example.com"])
    # client.py
    sio.connect("http://localhost:5000", headers={"Origin": "http://localhost:3000"})
    ```

    ## Fix safety
    Unsafe: adding the client's origin to the server's list widens who may connect. When the server
    has no list, the fix keeps its same-origin behaviour by listing the server's own origin too.
    """

    code = "SIO002"
    name = "cors-origin-missing"
    summary = "Socket.IO client connects from an origin the server does not allow"
    kinds = CODE_KINDS
    triggers = ("socketio", "socket.io")
    fix_availability = FixAvailability.SOMETIMES
    project_rule = True
    languages = "Python, JS/TS"
    CLIENT = ("import socketio\nc = socketio.Client()\n"
              "c.connect('http://127.0.0.1:5000', headers={'Origin': 'http://localhost:3000'})\n")
    JS_CLIENT = (
        'import { io } from "socket.io-client";\n'
        'io("http://127.0.0.1:3000", { extraHeaders: { origin: "http://localhost:5173" } });\n'
    )
    examples = (
        Valid("import socketio\nsio = socketio.Server(cors_allowed_origins=['http://localhost:3000'])\n",
              path="server.py", files={"client.py": CLIENT}),
        Valid("import socketio\nsio = socketio.Server(cors_allowed_origins='*')\n", path="server.py", files={"client.py": CLIENT}),
        Valid("import socketio\nsio = socketio.Server()\n", path="server.py",
              files={"client.py": "import socketio\nc = socketio.Client()\nc.connect('http://127.0.0.1:5000')\n"}),
        Invalid(
            "import socketio\nsio = socketio.Server(cors_allowed_origins=['https://app.example.com'])\n",
            path="server.py", files={"client.py": CLIENT},
            fixed="import socketio\nsio = socketio.Server(cors_allowed_origins=['https://app.example.com', 'http://localhost:3000'])\n",
            message="not an accepted origin",
        ),
        Invalid(
            "import socketio\nsio = socketio.Server(async_mode='threading')\n",
            path="server.py", files={"client.py": CLIENT},
            fixed="import socketio\nsio = socketio.Server(async_mode='threading', "
            "cors_allowed_origins=['http://127.0.0.1:5000', 'http://localhost:3000'])\n",
            message="same origin",
        ),
        # JavaScript / TypeScript: a Node client's `extraHeaders.origin` against `cors.origin`.
        Valid(
            'import { Server } from "socket.io";\nnew Server(3000, { cors: { origin: ["http://localhost:5173"] } });\n',
            path="server.mjs", files={"client.mjs": JS_CLIENT},
        ),
        Valid('import { Server } from "socket.io";\nnew Server(3000);\n', path="server.mjs", files={"client.mjs": JS_CLIENT}),
        Invalid(
            'import { Server } from "socket.io";\nnew Server(3000, { cors: { origin: "https://app.example.com", credentials: true } });\n',
            path="server.mjs", files={"client.mjs": JS_CLIENT},
            fixed='import { Server } from "socket.io";\nnew Server(3000, { cors: { origin: ["https://app.example.com", "http://localhost:5173"], credentials: true } });\n',
            message="does not list",
        ),
    )

    def check_project(self, project) -> Iterable[Diagnostic]:
        servers = list(project.facts(SocketIOServer))
        if len(servers) != 1:
            return  # which server a client talks to is only clear with one
        server = servers[0]
        option, origins = allowed(server)
        if origins is None:
            return
        seen: set[str] = set()
        for client in project.facts(SocketIOClient):
            origin = origin_header(client)
            if origin is None or origin in seen:
                continue
            own = url_origin(client)
            if option is None:
                if own is None or origin == own:
                    continue
                message = (f"client {client.source.relpath} sends Origin {origin}, but the server only allows its same "
                           f"origin ({own}): \"{origin} is not an accepted origin\"")
            elif origin in origins:
                continue
            elif server.lang != "python":
                message = (f"client {client.source.relpath} sends Origin {origin}, which `cors.origin` does not list: "
                           "browsers refuse the handshake responses (and an Origin-checking `allowRequest` the connection)")
            else:
                message = f"client {client.source.relpath} sends Origin {origin}: \"{origin} is not an accepted origin\""
            seen.add(origin)
            span = option.value.span if option is not None else server.span
            yield self.diagnostic(server.source, span, message, self._fix(server, option, origins, origin, own))

    @staticmethod
    def _fix(server: SocketIOServer, option: Option | None, origins: list[str], origin: str, own: str | None) -> Fix | None:
        quote = quote_of(server.source)
        if server.lang != "python":  # JS: `option` is the `origin` entry of the `cors` object
            if option is None or option.value.origin is not None:
                return None
            like = option.value.text.lstrip("[")[:1]
            rendered = codegen.literal(server.lang, [*origins, origin], like if like in "'\"`" else quote)
            return Fix.unsafe(f"Allow {origin}", Edit.replace(option.value.span, rendered))
        if option is None:
            if any("origin" in unknown.name for unknown in server.unknown_options):
                return None  # a misspelt origin option (SIO004 renames it): adding one would repeat the keyword
            edit = insert_option(server.lang, server.options, "cors_allowed_origins",
                                 codegen.literal(server.lang, [own, origin], quote))
            return Fix.unsafe(f"Allow {origin} (and keep the same origin)", edit) if edit else None
        if option.value.origin is not None:
            return None  # the list is a shared constant: edit it where it is defined
        like = option.value.text.lstrip("[(")[:1]
        rendered = codegen.literal(server.lang, [*origins, origin], like if like in "'\"" else quote)
        return Fix.unsafe(f"Allow {origin}", Edit.replace(option.value.span, rendered))
