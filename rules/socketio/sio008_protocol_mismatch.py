from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable

from authlint.diagnostics.diagnostic import Diagnostic
from authlint.facts.knowledge.socketio_versions import engineio_revision
from authlint.facts.model import Dependency, SocketIOClient, SocketIOServer
from authlint.files.kinds import CODE_KINDS
from authlint.files.source import DecodeError, Source, Span
from authlint.rule import Invalid, Rule, Valid, Violation
from authlint.versions import ranges
from authlint.versions.example_files import package_json, package_lock, poetry_lock, requirements
from authlint.versions.model import Pin, ProjectVersions


class CannotTalk(Violation):
    older: str  # "socket.io-client 2 (package.json:12)": the side that speaks the older protocol
    older_role: str  # "client" | "server"
    newer: str
    newer_role: str
    older_revision: int
    newer_revision: int

    def message(self) -> str:
        text = (f"the {self.older_role}'s {self.older} speaks Engine.IO {self.older_revision}, the "
                f"{self.newer_role}'s {self.newer} Engine.IO {self.newer_revision}: ")
        if self.older_role == "client":
            return text + ("the server refuses every handshake (\"unsupported version\") and the client "
                           "reconnects forever; upgrade the client")
        return text + "the client cannot connect and reconnects forever; upgrade the server"


@dataclass(frozen=True)
class Side:
    """What one server or client speaks, by the first of its packages whose major is known."""

    role: str
    dependency: Dependency
    major: int
    revision: int
    pin: Pin
    older_allowed: bool = False  # a server that lets Engine.IO 3 clients in (``allowEIO3``)

    @property
    def label(self) -> str:
        return f"{self.dependency.package} {self.major}.x ({self.pin.where})"


def _sides(versions: ProjectVersions, role: str, packages: tuple[Dependency, ...], older_allowed: bool = False) -> list[Side]:
    for dependency in packages:
        found = []
        for major, pin in ranges.majors(versions, dependency.ecosystem, dependency.package):
            revision = engineio_revision(dependency, major)
            if revision is not None:
                found.append(Side(role, dependency, major, revision, pin, older_allowed))
        if found:
            return found
    return []


def _talk(server: Side, client: Side) -> bool:
    return server.revision == client.revision or (server.older_allowed and client.revision == server.revision - 1)


def dependency_source(project, relpath: str) -> Source | None:
    """The dependency file a pin names, as a Source findings can point into: the project's own
    context when the file is one, else read from the project root (suppression comments, masking and
    every output format then work on it like on any file)."""
    for ctx in project.files:
        if ctx.source.relpath == relpath:
            return ctx.source
    path = project.settings.root / relpath
    try:
        return Source.from_bytes(path, relpath, path.read_bytes())
    except (OSError, DecodeError):
        return None


def pin_span(source: Source, line: int) -> Span | None:
    """The declaration on the pin's line, without its indentation and trailing comma."""
    if line < 1 or line > len(source.line_starts):
        return None
    text = source.line_text(line)
    stripped = text.strip().rstrip(",").rstrip()
    if not stripped:
        return None
    start = source.line_starts[line - 1] + (len(text) - len(text.lstrip()))
    return Span(start, start + len(stripped))


PY_SERVER = "import socketio\nsio = socketio.AsyncServer(cors_allowed_origins=['https://app.example.com'])\n"
JS_CLIENT = 'import { io } from "socket.io-client";\nconst socket = io("https://api.example.com");\n'
JS_SERVER = 'const { Server } = require("socket.io");\nconst io = new Server(3000);\n'
PY_CLIENT = "import socketio\nsio = socketio.Client()\nsio.connect('http://localhost:3000')\n"


class ProtocolMismatch(Rule):
    """
    ## What it does
    Joins the project's Socket.IO server and client (Python or JavaScript, any pairing: python-socketio,
    Flask-SocketIO, python-engineio, socket.io, socket.io-client) with the versions its dependency
    files pin, and reports a pair whose majors speak Engine.IO protocol revisions that cannot talk:
    JS socket.io / socket.io-client 1.x and 2.x, python-socketio 4.x, python-engineio 3.x and
    Flask-SocketIO 4.x speak revision 3; JS 3.x and 4.x, python-socketio 5.x, python-engineio 4.x and
    Flask-SocketIO 5.x revision 4. The finding points at the dependency line of the side that speaks
    the older protocol (the one to upgrade) and names both lines (`package.json:12` and
    `requirements.txt:3`).

    It fires only when the project's code has both a Socket.IO server and a Socket.IO client (a
    client written for someone else's server is not reported), and only when both sides' majors are
    known from a lock file or a range bounded to one major (`^2.4.0`, `~=5.3`, `>=4,<5`); a range
    open upwards (`>=4`) or an unpinned package says nothing. A socket.io 3/4 server with
    `allowEIO3: true` accepts revision 3 clients: no finding then.

    ## Why is this bad?
    The client never connects: a revision 4 server answers a revision 3 client with "The client is
    using an unsupported version of the Socket.IO or Engine.IO protocols" (python-engineio) or HTTP
    400 "Unsupported protocol version" (engine.io), and the client retries forever; a revision 4
    client cannot parse a revision 3 server's handshake. Nothing fails at build time: the symptom is
    an endless reconnect loop in production.

    ## Example
    ```text
    requirements.txt:3   python-socketio==5.11.0      (server)
    package.json:12      "socket.io-client": "^2.4.0" (client)
    ```
    Use instead: `"socket.io-client": "^4.7.5"`.

    ## Fix safety
    No fix: upgrading a major changes the library's API; which side to move is the author's call.
    A dependency file such as `package.json` has no comments, so a finding there is silenced with
    `per-file-ignores` (`"package.json" = ["SIO008"]`) or by disabling the rule; in
    `requirements.txt` and `pyproject.toml` an `# authlint: ignore[SIO008]` comment on the line works.

    ## References
    - python-socketio, Version compatibility: https://github.com/miguelgrinberg/python-socketio#version-compatibility
    - python-socketio docs, intro (chart with python-engineio): https://python-socketio.readthedocs.io/en/latest/intro.html#version-compatibility
    - Flask-SocketIO docs, Version compatibility: https://flask-socketio.readthedocs.io/en/latest/intro.html#version-compatibility
    - socket.io, Client installation, version compatibility: https://socket.io/docs/v4/client-installation/#version-compatibility
    - socket.io v2 to v3 migration (`allowEIO3`): https://socket.io/docs/v4/migrating-from-2-x-to-3-0/#how-to-upgrade-an-existing-production-deployment
    - engine.io `allowEIO3` (lib/server.ts): https://github.com/socketio/socket.io/blob/main/packages/engine.io/lib/server.ts
    """

    code = "SIO008"
    name = "protocol-mismatch"
    summary = "Socket.IO client and server pin majors whose protocols cannot talk"
    kinds = CODE_KINDS
    triggers = ("socketio", "socket.io")
    project_rule = True
    languages = "Python, JS/TS"
    examples = (
        Invalid(  # a python-socketio 5 server, a socket.io-client 2 browser client
            PY_SERVER, path="server.py",
            files={"web/client.mjs": JS_CLIENT, "requirements.txt": requirements("python-socketio==5.11.0"),
                   "web/package.json": package_json({"socket.io-client": "^2.4.0"})},
            message="the client's socket.io-client 2.x (web/package.json:5) speaks Engine.IO 3, the server's "
            "python-socketio 5.x (requirements.txt:3) Engine.IO 4",
            count=1,
        ),
        Valid(  # the corrected twin: socket.io-client 4
            PY_SERVER, path="server.py",
            files={"web/client.mjs": JS_CLIENT, "requirements.txt": requirements("python-socketio==5.11.0"),
                   "web/package.json": package_json({"socket.io-client": "^4.7.5"})},
        ),
        Invalid(  # a socket.io 2 server (locked), a python-socketio 5 client
            JS_SERVER, path="server.js",
            files={"bot.py": PY_CLIENT, "requirements.txt": requirements("python-socketio~=5.8"),
                   "package.json": package_json({"socket.io": "^2.3.0"}),
                   "package-lock.json": package_lock({"socket.io": "2.5.0"})},
            message="the server's socket.io 2.x (package-lock.json:12) speaks Engine.IO 3",
        ),
        Valid(
            JS_SERVER, path="server.js",
            files={"bot.py": PY_CLIENT, "requirements.txt": requirements("python-socketio~=5.8"),
                   "package.json": package_json({"socket.io": "^4.8.1"}),
                   "package-lock.json": package_lock({"socket.io": "4.8.1"})},
        ),
        Valid(  # socket.io 4 with `allowEIO3: true` lets the python-socketio 4 client in
            'const { Server } = require("socket.io");\nconst io = new Server(3000, { allowEIO3: true });\n',
            path="server.js",
            files={"bot.py": PY_CLIENT, "poetry.lock": poetry_lock({"python-socketio": "4.6.1"}),
                   "package.json": package_json({"socket.io": "^4.8.1"})},
        ),
        Invalid(
            JS_SERVER, path="server.js",
            files={"bot.py": PY_CLIENT, "poetry.lock": poetry_lock({"python-socketio": "4.6.1"}),
                   "package.json": package_json({"socket.io": "^4.8.1"})},
            message="the client's python-socketio 4.x (poetry.lock:2)",
        ),
        Valid(  # only a server in the code: the client may live elsewhere, with other pins
            PY_SERVER, path="server.py",
            files={"requirements.txt": requirements("python-socketio==5.11.0"),
                   "web/package.json": package_json({"socket.io-client": "^2.4.0"})},
        ),
        Valid(  # a range open upwards says nothing about the major a fresh install gets tomorrow
            PY_SERVER, path="server.py",
            files={"web/client.mjs": JS_CLIENT, "requirements.txt": requirements("python-socketio>=4"),
                   "web/package.json": package_json({"socket.io-client": "^2.4.0"})},
        ),
        Valid(PY_SERVER, path="server.py", files={"web/client.mjs": JS_CLIENT}),  # nothing pinned
        Invalid(  # Flask-SocketIO 4 server (Engine.IO 3) and a socket.io-client 4 client
            "from flask_socketio import SocketIO\nsocketio = SocketIO(app)\n", path="app.py",
            files={"static/chat.js": JS_CLIENT, "requirements.txt": requirements("Flask-SocketIO==4.3.2"),
                   "static/package.json": package_json({"socket.io-client": "^4.7.5"}),
                   "static/package-lock.json": package_lock({"socket.io-client": "4.7.5"})},
            message="the server's flask-socketio 4.x (requirements.txt:3) speaks Engine.IO 3, the client's "
            "socket.io-client 4.x (static/package-lock.json:12) Engine.IO 4",
        ),
    )

    def check_project(self, project) -> Iterable[Diagnostic]:
        versions = project.settings.versions  # read per package: a lazy pre-pass parses only what is asked
        servers = [side for fact in project.facts(SocketIOServer)
                   for side in _sides(versions, "server", fact.protocol_packages, fact.older_protocol_allowed)]
        clients = [side for fact in project.facts(SocketIOClient)
                   for side in _sides(versions, "client", fact.protocol_packages)]
        if not servers or not clients or any(_talk(s, c) for s in servers for c in clients):
            return  # one pairing that can talk: which client talks to which server is not known
        fallback = {"server": next(project.facts(SocketIOServer)), "client": next(project.facts(SocketIOClient))}
        reported: set[tuple[str, str]] = set()
        for server in servers:
            for client in clients:
                key = (server.pin.where, client.pin.where)
                if key in reported:
                    continue
                reported.add(key)
                older, newer = (server, client) if server.revision < client.revision else (client, server)
                violation = CannotTalk(older.label, older.role, newer.label, newer.role,
                                             older.revision, newer.revision)
                source = dependency_source(project, older.pin.relpath)
                span = pin_span(source, older.pin.line) if source is not None else None
                if source is None or span is None:  # the file cannot be read: point at the code
                    fact = fallback[older.role]
                    source, span = fact.source, fact.span
                yield self.report(source, span, violation)
