from __future__ import annotations

from typing import Iterable

from authlint.diagnostics.diagnostic import Diagnostic, Edit, Fix, FixAvailability, Severity
from authlint.diagnostics.mask import Quoted
from authlint.facts.model import NginxUpstream, OptionBag, SocketIOClient, SocketIOServer
from authlint.files.kinds import CODE_KINDS, JAVASCRIPT, NGINX, PYTHON, TYPESCRIPT
from authlint.files.source import Source, Span
from authlint.rule import FixOffer, Invalid, Rule, Valid, Violation
from authlint.rules import kit
from authlint.rules.proxy.carriers import carriers

STICKY = frozenset({"ip_hash", "hash", "sticky"})  # what keeps one client on one server
INACTIVE = frozenset({"backup", "down"})  # servers round-robin does not balance over


class NotSticky(Violation):
    target: Quoted  # ``http://app``
    upstream: str  # ``app``
    upstream_at: str  # ``nginx/upstreams.conf:3``
    servers: int
    balancing: str  # "round-robin" | "least_conn" ...
    clients: str  # why polling is allowed: "client.js:2 sets no `transports`", "no Socket.IO client in the project"

    def message(self) -> str:
        return (f"`proxy_pass {self.target}` sends Socket.IO to upstream `{self.upstream}` ({self.upstream_at}), "
                f"which spreads requests over {self.servers} servers ({self.balancing}) without `ip_hash`, `hash` or "
                f"`sticky`, while clients may use HTTP long-polling ({self.clients}): the requests of one session "
                "reach servers that never saw its handshake and get HTTP 400 \"Session ID unknown\"")


def _where(source: Source, span: Span) -> str:
    return f"{source.relpath}:{source.position(span.start)[0]}"


def _transports(options: OptionBag) -> list[str] | None:
    """The transports a ``transports`` option lists; None when it is absent; [] when it cannot be read."""
    option = options.get("transports")
    if option is None:
        return None
    value = option.value.value
    if isinstance(value, (list, tuple)) and all(isinstance(item, str) for item in value):
        return [item.lower() for item in value]
    if isinstance(value, str):
        return [value.lower()]
    return []


def polling_clients(project) -> str | None:
    """Why the project's clients may poll (a message part), or None when every one is websocket-only
    (a ``transports`` that cannot be read counts as the author's choice, not as polling)."""
    clients = list(project.facts(SocketIOClient))
    if not clients:
        return "no Socket.IO client in the project, and clients poll first by default"
    for client in clients:
        listed = _transports(client.options)
        where = _where(client.source, client.span)
        if listed is None:
            return f"{where} sets no `transports`, so it starts with polling"
        if "polling" in listed:
            return f"{where} lists `polling`"
    return None


def _websocket_only(server: SocketIOServer) -> bool:
    listed = _transports(server.options)
    return bool(listed) and "polling" not in listed


PY_SERVER = "import socketio\nsio = socketio.AsyncServer(async_mode='aiohttp')\n"
JS_SERVER = 'const { Server } = require("socket.io");\nconst io = new Server(3000);\n'
JS_CLIENT = 'import { io } from "socket.io-client";\nconst socket = io("https://chat.example.com");\n'
JS_WS_CLIENT = ('import { io } from "socket.io-client";\n'
                'const socket = io("https://chat.example.com", { transports: ["websocket"] });\n')
SITE = ("http {\n    upstream app {\n        server 10.0.0.1:3000;\n        server 10.0.0.2:3000;\n    }\n"
        "    server {\n        location /socket.io/ {\n            proxy_pass http://app;\n        }\n    }\n}\n")
SITE_FIXED = ("http {\n    upstream app {\n        ip_hash;\n        server 10.0.0.1:3000;\n        server 10.0.0.2:3000;\n"
              "    }\n    server {\n        location /socket.io/ {\n            proxy_pass http://app;\n        }\n    }\n}\n")


class PollingWithoutStickiness(Rule):
    """
    ## What it does
    Finds a location that carries Socket.IO (the server's path, `/socket.io/` by default; see the
    other PRX rules) whose `proxy_pass` names an `upstream` (in any nginx file of the project)
    with more than one active server (`backup` and `down` servers do not count) and nothing that
    keeps a client on one server: no `ip_hash`, `hash` or `sticky`. It reports only while the
    project's clients may use HTTP long-polling: a Socket.IO client without a `transports` option
    (socket.io-client and python-socketio start with polling, then upgrade), one that lists
    `polling`, or no client in the project at all (someone else's client, with the defaults). When
    every client is `transports: ['websocket']`, or the server itself accepts only WebSocket, one
    connection is one TCP stream to one server, and round-robin is harmless.

    ## Why is this bad?
    A polling session is a series of HTTP requests carrying its `sid`. The server that answered the
    handshake is the only one that knows that `sid`; round-robin sends the next request to the
    other one, which answers HTTP 400 `{"code":1,"message":"Session ID unknown"}`. Clients fail to
    connect, or connect and drop at once, and the upgrade to WebSocket (itself a request with the
    `sid`) fails the same way. The Socket.IO docs require sticky sessions for exactly this when
    several nodes are behind one address.

    ## Example
    ```nginx
    upstream app {
        server 10.0.0.1:3000;
        server 10.0.0.2:3000;
    }
    ```
    Use instead:
    ```nginx
    upstream app {
        ip_hash;
        server 10.0.0.1:3000;
        server 10.0.0.2:3000;
    }
    ```

    ## Fix safety
    Unsafe: the fix adds `ip_hash;` as the first line of the upstream (a balancing method must
    come before `keepalive`), which changes how every request through that upstream is balanced:
    clients behind one NAT or corporate proxy all land on the same server, and servers marked
    `backup` would be refused by nginx (no fix is offered then). A `hash` on a cookie or a `sticky`
    directive (nginx Plus) may suit better; that choice is the operator's. No fix either when the
    upstream already names another method (`least_conn`, `random`): replacing it is a decision too.

    ## References
    - Socket.IO, Using multiple nodes (sticky sessions, nginx `ip_hash`): https://socket.io/docs/v4/using-multiple-nodes/
    - Socket.IO, Behind a reverse proxy: https://socket.io/docs/v4/reverse-proxy/
    - Socket.IO, Troubleshooting ("Session ID unknown"): https://socket.io/docs/v4/troubleshooting-connection-issues/
    - nginx `ip_hash` / `hash` / `sticky`: https://nginx.org/en/docs/http/ngx_http_upstream_module.html#ip_hash
    - python-socketio, Using multiple workers / sticky sessions: https://python-socketio.readthedocs.io/en/latest/server.html#scalability-notes
    - authlint reference, versions-and-deployments.md "nginx in front of Socket.IO"
    """

    code = "PRX004"
    name = "polling-without-stickiness"
    summary = "Socket.IO balanced over several upstream servers without sticky sessions while clients may poll"
    kinds = frozenset({NGINX}) | CODE_KINDS
    languages = "nginx, Python, JS/TS"
    triggers = ("proxy_pass", "upstream")
    kind_triggers = {PYTHON: ("socketio", "socket.io"), JAVASCRIPT: ("socket.io",), TYPESCRIPT: ("socket.io",)}
    project_rule = True
    severity = Severity.ERROR
    fix_availability = FixAvailability.SOMETIMES
    fix_offers = (
        FixOffer.unsafe("Adds `ip_hash;` to the upstream: every request through it is then balanced by client address."),
    )
    examples = (
        Invalid(  # two socket.io servers round-robin, a browser client with the default transports
            SITE, path="nginx/nginx.conf", files={"server.js": JS_SERVER, "web/client.js": JS_CLIENT},
            message="`proxy_pass http://app` sends Socket.IO to upstream `app` (nginx/nginx.conf:2), which spreads "
            "requests over 2 servers (round-robin) without `ip_hash`, `hash` or `sticky`, while clients may use "
            "HTTP long-polling (web/client.js:2 sets no `transports`, so it starts with polling)",
            span=(8, 24, 8, 34), count=1, fixed=SITE_FIXED,
        ),
        Valid(SITE_FIXED, path="nginx/nginx.conf", files={"server.js": JS_SERVER, "web/client.js": JS_CLIENT}),
        Valid(  # every client is websocket-only: one connection, one server
            SITE, path="nginx/nginx.conf", files={"server.js": JS_SERVER, "web/client.js": JS_WS_CLIENT},
        ),
        Invalid(  # a python server and no client in the project: someone's client polls by default
            "upstream app {\n    server 127.0.0.1:5001;\n    server 127.0.0.1:5002;\n    keepalive 16;\n}\n"
            "server {\n    location / {\n        proxy_pass http://app;\n    }\n}\n",
            path="conf.d/app.conf", files={"app.py": PY_SERVER},
            message="(no Socket.IO client in the project, and clients poll first by default)",
            fixed="upstream app {\n    ip_hash;\n    server 127.0.0.1:5001;\n    server 127.0.0.1:5002;\n"
            "    keepalive 16;\n}\nserver {\n    location / {\n        proxy_pass http://app;\n    }\n}\n",
        ),
        Invalid(  # the upstream in another file: the fix edits that file
            "server {\n    location /socket.io/ {\n        proxy_pass http://app;\n    }\n}\n",
            path="conf.d/site.conf",
            files={"conf.d/upstreams.conf": "upstream app { server a:5000; server b:5000; }\n", "app.py": PY_SERVER,
                   "bot.py": "import socketio\nsio = socketio.Client()\nsio.connect('https://chat.example.com')\n"},
            message="upstream `app` (conf.d/upstreams.conf:1)",
            fixed="server {\n    location /socket.io/ {\n        proxy_pass http://app;\n    }\n}\n",
            fixed_files={"conf.d/upstreams.conf": "upstream app { ip_hash; server a:5000; server b:5000; }\n"},
        ),
        Valid(  # hash on the client address keeps a client on one server
            "upstream app {\n    hash $remote_addr consistent;\n    server a:5000;\n    server b:5000;\n}\n"
            "server {\n    location /socket.io/ {\n        proxy_pass http://app;\n    }\n}\n",
            path="conf.d/app.conf", files={"app.py": PY_SERVER},
        ),
        Valid(  # one active server, the other a backup
            "upstream app {\n    server a:5000;\n    server b:5000 backup;\n}\n"
            "server {\n    location /socket.io/ {\n        proxy_pass http://app;\n    }\n}\n",
            path="conf.d/app.conf", files={"app.py": PY_SERVER},
        ),
        Valid(  # the server accepts WebSocket only
            SITE, path="nginx/nginx.conf",
            files={"app.py": "import socketio\nsio = socketio.AsyncServer(transports=['websocket'])\n"},
        ),
        Invalid(  # least_conn is not sticky: reported, no fix (replacing a method is the operator's call)
            "upstream app {\n    least_conn;\n    server a:5000;\n    server b:5000;\n}\n"
            "server {\n    location /socket.io/ {\n        proxy_pass http://app;\n    }\n}\n",
            path="conf.d/app.conf",
            files={"app.py": PY_SERVER, "client.py": "import socketio\nsio = socketio.Client()\n"
                   "sio.connect('http://chat', transports=['polling', 'websocket'])\n"},
            message="over 2 servers (least_conn)",
        ),
    )

    def check_project(self, project) -> Iterable[Diagnostic]:
        found = carriers(project)
        if not found:
            return
        upstreams: dict[str, list[NginxUpstream]] = {}
        for upstream in project.facts(NginxUpstream):
            if upstream.context == "http":
                upstreams.setdefault(upstream.name, []).append(upstream)
        reported: set[tuple[str, int]] = set()
        clients: str | None | bool = False  # False: not asked yet
        for carrier in found:
            proxy = carrier.proxy
            if proxy.target_span is None or "$" in proxy.target:
                continue
            if carrier.servers and all(_websocket_only(server) for server in carrier.servers):
                continue
            for upstream in upstreams.get(proxy.upstream, []):
                active = [s for s in upstream.servers if not INACTIVE & set(s.args[1:])]
                methods = [d.name for d in upstream.balancing]
                if len(active) < 2 or STICKY & set(methods):
                    continue
                key = (upstream.source.relpath, upstream.span.start)
                if key in reported:
                    continue
                if clients is False:
                    clients = polling_clients(project)
                if clients is None:
                    return
                reported.add(key)
                violation = NotSticky(proxy.target, upstream.name, _where(upstream.source, upstream.span), len(active),
                                      ", ".join(methods) or "round-robin", clients)
                diagnostic = self.report(proxy.source, proxy.target_span, violation, self._fix(proxy.source, upstream))
                diagnostic.related = [(upstream.source, upstream.span, "the upstream it balances over")]
                yield diagnostic

    @staticmethod
    def _fix(source: Source, upstream: NginxUpstream) -> Fix | None:
        """``ip_hash;`` first in the upstream, unless it names a method already or has backups."""
        if upstream.balancing or any("backup" in s.args[1:] for s in upstream.servers):
            return None
        edit = kit.insert_directives_first(upstream.source, upstream.block, [("ip_hash", [])])
        if edit is None:
            return None
        title = f"Add `ip_hash;` to upstream `{upstream.name}`"
        if upstream.source.relpath == source.relpath:
            return Fix.unsafe(title, edit)
        moved = Edit(edit.start, edit.end, edit.content, upstream.source.relpath)
        return Fix.unsafe(title, moved, files=(upstream.source,))
