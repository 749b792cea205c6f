from __future__ import annotations

from typing import Iterable
from urllib.parse import urlsplit

from authlint.diagnostics.diagnostic import Diagnostic, Fix, FixAvailability
from authlint.facts.model import CorsPolicy, SocketIOClient, SocketIOServer
from authlint.files.kinds import CODE_KINDS
from authlint.rule import FixOffer, Invalid, Rule, Valid, Violation
from authlint.rules import kit
from authlint.rules.socketio.origin_versions import version_allows_any
from authlint.versions.example_files import poetry_lock

SCHEMES = {"ws": "http", "wss": "https", "http": "http", "https": "https"}
HEADER_OPTIONS = ("headers", "extraHeaders")  # python-socketio connect() / socket.io-client (Node)


def origin_header(client: SocketIOClient) -> str | None:
    """The ``Origin`` a client sends: python ``headers={"Origin": ...}``, Node ``extraHeaders: {origin}``."""
    headers = kit.option(client.options, *HEADER_OPTIONS)
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


def listed(policy: CorsPolicy) -> list[str] | None:
    """The origins a server's policy lists, [] for same origin only; None when any origin passes, the
    list is unknown or holds patterns: then there is nothing to compare a client's Origin with."""
    allowed = policy.allowed
    if allowed.kind == "same-origin":
        return []
    if allowed.kind != "list" or allowed.patterns or not allowed.values:
        return None
    return allowed.values


class SameOriginOnly(Violation):
    client: str  # the client file, relative
    origin: str  # the Origin it sends
    own: str  # the server's own origin, from the client's URL

    def message(self) -> str:
        return (f"client {self.client} sends Origin {self.origin}, but the server only allows its same origin "
                f"({self.own}): \"{self.origin} is not an accepted origin\"")


class RefusedByServer(Violation):
    client: str
    origin: str

    def message(self) -> str:
        return f"client {self.client} sends Origin {self.origin}: \"{self.origin} is not an accepted origin\""


class RefusedByBrowsers(Violation):
    client: str
    origin: str
    setting: str  # the origin setting, as messages name it

    def message(self) -> str:
        return (f"client {self.client} sends Origin {self.origin}, which `{self.setting}` does not list: browsers "
                "refuse the handshake responses (and an Origin-checking `allowRequest` the connection)")


class CorsOriginMissing(Rule):
    """
    ## What it does
    Joins the project's Socket.IO clients and servers: a client that sends an `Origin` (python
    `headers={"Origin": ...}`) the server does not allow, either because the origin is missing from
    `cors_allowed_origins` or because the server keeps the same-origin default and the client
    connects from elsewhere.

    When the release the project runs lets every origin in (socket.io before 3.0, python-engineio
    before 3.9 with no `cors_allowed_origins`: SIO003 reports that) no client is refused, so nothing
    is said here.

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
    Unsafe: adding the client's origin to the server's list widens who may connect. The origin is
    added as a new entry at the end of the list (a multi-line list keeps its line breaks, comments
    and trailing comma); an entry that differs from it only by a trailing `/` (which never matches)
    is corrected in place instead, as COR003's fix does, so the list holds each origin once
    whichever fix runs first. When the server has no list, the fix keeps its same-origin behaviour
    by listing the server's own origin too. No fix when the list is a constant defined elsewhere.
    The origin goes into the list where it is written (python `cors_allowed_origins`, JS
    `cors.origin`): python-engineio then admits it on polling and WebSocket and still refuses every
    other Origin; socket.io (JS) sends the CORS header for it, and an `allowRequest` reading the
    same list admits it too (socket.io checks no Origin itself: see SIO003).

    ## References
    - python-engineio `cors_allowed_origins` (same origin only by default): https://python-engineio.readthedocs.io/en/latest/api.html#engineio.Server
    - python-socketio#639 ("is not an accepted origin"): https://github.com/miguelgrinberg/python-socketio/issues/639
    - Flask-SocketIO#1480: https://github.com/miguelgrinberg/Flask-SocketIO/issues/1480
    - python-socketio#351 (native clients send an Origin): https://github.com/miguelgrinberg/python-socketio/issues/351
    - socket.io, Handling CORS: https://socket.io/docs/v4/handling-cors/
    """

    code = "SIO002"
    name = "cors-origin-missing"
    summary = "Socket.IO client connects from an origin the server does not allow"
    kinds = CODE_KINDS
    triggers = ("socketio", "socket.io")
    fix_availability = FixAvailability.SOMETIMES
    fix_offers = (
        FixOffer.unsafe(
            "Adds the client's origin to the server's list (and keeps the server's own origin): more origins may connect."
        ),
    )
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
            span=(2, 44, 2, 71),
        ),
        Invalid(
            "import socketio\nsio = socketio.Server(async_mode='threading')\n",
            path="server.py", files={"client.py": CLIENT},
            fixed="import socketio\nsio = socketio.Server(async_mode='threading', "
            "cors_allowed_origins=['http://127.0.0.1:5000', 'http://localhost:3000'])\n",
            message="same origin",
        ),
        Valid(  # python-engineio 3.8: the default lets every origin in (SIO003 reports that)
            "import socketio\nsio = socketio.Server(async_mode='threading')\n",
            path="server.py", files={"client.py": CLIENT, "poetry.lock": poetry_lock({"python-engineio": "3.8.2"})},
        ),
        Invalid(
            "import socketio\nsio = socketio.Server(async_mode='threading')\n",
            path="server.py", files={"client.py": CLIENT, "poetry.lock": poetry_lock({"python-engineio": "4.9.1"})},
            message="same origin",
        ),
        Invalid(  # the entry with a trailing `/` is corrected, not duplicated (COR003 makes the same edit)
            "import socketio\nsio = socketio.Server(cors_allowed_origins=[\n    'http://localhost:3000/',  # dev\n])\n",
            path="server.py", files={"client.py": CLIENT},
            fixed="import socketio\nsio = socketio.Server(cors_allowed_origins=[\n    'http://localhost:3000',  # dev\n])\n",
            message="not an accepted origin",
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
            span=(2, 36, 2, 61),
        ),
    )

    def check_project(self, project) -> Iterable[Diagnostic]:
        servers = list(project.facts(SocketIOServer))
        if len(servers) != 1:
            return  # which server a client talks to is only clear with one
        server = servers[0]
        if version_allows_any(server, project.settings.versions) is not None:
            return  # the release the project runs lets every origin in (SIO003 says so)
        policy = server.cors
        origins = listed(policy) if policy is not None else None
        if policy is None or origins is None:
            return
        allowed = policy.allowed
        seen: set[str] = set()
        for client in project.facts(SocketIOClient):
            origin = origin_header(client)
            if origin is None or origin in seen:
                continue
            own = url_origin(client)
            violation: Violation
            if allowed.kind == "same-origin":
                if own is None or origin == own:
                    continue
                violation = SameOriginOnly(client.source.relpath, origin, own)
            elif origin in origins:
                continue
            elif allowed.enforced_by_server:
                violation = RefusedByServer(client.source.relpath, origin)
            else:
                violation = RefusedByBrowsers(client.source.relpath, origin, allowed.shown_as)
            seen.add(origin)
            span = allowed.expr.span if allowed.expr is not None else server.span
            yield self.report(server.source, span, violation, self._fix(server, policy, origins, origin, own))

    @staticmethod
    def _fix(server: SocketIOServer, policy: CorsPolicy, origins: list[str], origin: str, own: str | None) -> Fix | None:
        allowed = policy.allowed
        if allowed.expr is None:  # same origin only: list the server's own origin and the client's
            if own is None or allowed.bag is None or any("origin" in unknown.name for unknown in server.unknown_options):
                return None  # a misspelt origin option (SIO004 renames it): adding one would repeat the keyword
            edit = kit.insert_option(policy.source, allowed.bag, allowed.setting, [own, origin])
            return Fix.unsafe(f"Allow {origin} (and keep the same origin)", edit) if edit else None
        if allowed.expr.origin is not None:
            return None  # the list is a shared constant: edit it where it is defined
        # an entry that differs only by a trailing ``/`` (which never matches) becomes the origin, as
        # COR003's fix makes it: the list holds each origin once whichever fix runs first
        target = [origin if entry.rstrip("/") == origin else entry for entry in origins]
        edits = kit.set_origins(policy.source, allowed.expr, [*target, origin])
        return Fix.unsafe(f"Allow {origin}", *edits) if edits else None
