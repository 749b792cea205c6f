from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterable

from authlint.diagnostics.diagnostic import Diagnostic, Fix, FixAvailability
from authlint.facts.model import CorsPolicy, NginxDirective, NginxProxy, NginxUpstream
from authlint.facts.nginx.includes import in_effect
from authlint.files.deployables import Deployables
from authlint.files.kinds import CODE_KINDS, NGINX, YAML
from authlint.files.source import Span
from authlint.rule import FixOffer, Invalid, Rule, Valid, Violation
from authlint.rules import kit
from authlint.syntax.errors import ParseError

ORIGIN_HEADER = "access-control-allow-origin"
CORS_HEADER_PREFIX = "access-control-"
# files that configure a proxy or an orchestrator (ingress annotations, Traefik middlewares), never
# an app's own responses: their CORS policies are not "the app behind the proxy"
NOT_APPS = frozenset({NGINX, YAML})
LOOPBACK = frozenset({"127.0.0.1", "localhost", "[::1]", "0.0.0.0", "unix"})


class TwoOrigins(Violation):
    location: str  # how the message names the proxied location (`location /api/`)
    target: str  # the proxy_pass target
    header_at: str  # relpath:line of the proxy's `add_header Access-Control-Allow-Origin`
    app: str  # the app's CORS mechanism (flask-cors, express-cors, ...)
    app_at: str  # relpath:line of the app's policy
    matched: bool  # the app was matched to the proxied target (its host or port), not just found in the project

    def message(self) -> str:
        behind = "the app it passes to" if self.matched else "an app of this project"
        return (f"nginx adds `Access-Control-Allow-Origin` ({self.header_at}) on {self.location} -> `{self.target}`, "
                f"and {behind} sets its own CORS headers ({self.app} at {self.app_at}): browsers refuse a response "
                "whose `Access-Control-Allow-Origin` holds two values (\"The 'Access-Control-Allow-Origin' header "
                "contains multiple values\"), so every cross-origin call the app allows fails")


@dataclass
class ProxyHeaders:
    """The CORS headers nginx adds on one proxied location, and which of the app's it hides."""

    origin: NginxDirective  # the `add_header Access-Control-Allow-Origin` in effect (or in an `if`)
    added: list[str]  # every Access-Control-* header name it adds, as written
    hidden: set[str]  # lowercased header names `proxy_hide_header` hides there
    hides: list[NginxDirective]  # the `proxy_hide_header` lines in effect


def proxy_headers(project, proxy: NginxProxy) -> ProxyHeaders | None:
    """What the location adds, with its includes joined; None when it adds no Origin header."""
    settings = in_effect(project, proxy).settings
    headers = [*settings.get("add_header", []), *(d for d in proxy.conditional if d.name == "add_header")]
    cors = [d for d in headers if d.args and d.args[0].lower().startswith(CORS_HEADER_PREFIX)]
    origin = next((d for d in cors if d.args[0].lower() == ORIGIN_HEADER), None)
    if origin is None:
        return None
    hides = settings.get("proxy_hide_header", [])
    hidden = {d.args[0].lower() for d in hides if d.args}
    added = list(dict.fromkeys(d.args[0] for d in cors))
    return ProxyHeaders(origin, added, hidden, hides)


def answers_origins(policy: CorsPolicy) -> bool:
    """Whether the app sends `Access-Control-Allow-Origin` to some cross-origin caller: not a
    server left at its same-origin default, an Origin check switched off, or an empty allow-list."""
    allowed = policy.allowed
    if allowed.kind in ("same-origin", "check-off"):
        return False
    if policy.socketio_server and allowed.default:
        return False  # a Socket.IO server without a CORS setting sends no cross-origin headers
    return not (allowed.kind == "list" and not allowed.entries)


def targets(project, proxy: NginxProxy) -> list[str]:
    """The ``host:port``s the location passes to: the upstream block's servers, or its own target."""
    upstreams = [u for u in project.facts(NginxUpstream) if u.name == proxy.upstream]
    found = [d.args[0] for u in upstreams for d in u.servers if d.args]
    return found or [proxy.upstream]


def _host_port(target: str) -> tuple[str, str]:
    if target.startswith("unix:"):
        return "unix", ""
    host, _, port = target.rpartition(":") if re.search(r":\d+$", target) else (target, "", "")
    return host.lower(), port


class AppMatcher:
    """Which app policies a proxied target reaches: by its host (a Compose service is reached by its
    name, commonly the folder its app is built from) or by its port (written in the app's file)."""

    def __init__(self, project, apps: list[CorsPolicy]) -> None:
        self.apps = apps
        self.deployables = Deployables(project.settings.root)

    def reached(self, hosts: list[str]) -> list[CorsPolicy]:
        found = []
        for policy in self.apps:
            folder = self.deployables.of(policy.source.relpath) or policy.source.relpath.rpartition("/")[0]
            parts = {part.lower() for part in folder.split("/") if part}
            for target in hosts:
                host, port = _host_port(target)
                by_name = host not in LOOPBACK and host.split(".")[0] in parts
                by_port = bool(port) and re.search(rf"(?<![\d.]){port}(?!\d)", policy.source.text) is not None
                if by_name or by_port:
                    found.append(policy)
                    break
        return found


INTERNAL_SUFFIXES = (".local", ".internal", ".lan", ".svc", ".cluster.local", ".localhost")


def may_be_ours(hosts: list[str]) -> bool:
    """Whether a target can be an app of this repository when no policy matched it: loopback, an
    IP address, a one-label name (a Compose service, an upstream) or an internal domain; a public
    host name (``api.github.com``) is someone else's service."""
    for target in hosts:
        host, _ = _host_port(target)
        if host in LOOPBACK or "." not in host or re.fullmatch(r"[\d.]+|\[[0-9a-f:]+\]", host):
            return True
        if host.endswith(INTERNAL_SUFFIXES):
            return True
    return False


def _where(source, span: Span) -> str:
    return f"{source.relpath}:{source.position(span.start)[0]}"


class CorsSetTwice(Rule):
    """
    ## What it does
    Finds nginx locations that add CORS headers (`add_header Access-Control-Allow-Origin ...`, in
    the location, inherited from its server or `http` block, from an included snippet, or inside an
    `if`) and pass requests (`proxy_pass`) to an app of the same repository that sets its own CORS
    headers: Flask-CORS, Starlette/FastAPI `CORSMiddleware`, django-cors-headers, the `cors`
    package behind express/NestJS/socket.io, a Socket.IO server's `cors` / `cors_allowed_origins`,
    headers set by hand. A location with `proxy_hide_header Access-Control-Allow-Origin` in effect
    is not reported: the app's header is dropped there.

    Which app: the proxy's target (`proxy_pass http://api:5000`, or the servers of the `upstream`
    it names) is matched with the apps' CORS policies by host (a Compose service is reached by its
    name, commonly the folder the app is built from: `api` matches a policy under `api/`) or by
    port (`5000` written in the policy's file: `app.run(port=5000)`, `listen(5000)`). When no
    policy matches, any app policy of the project is taken (the message says so), since a proxy in
    a repository usually fronts that repository's app; not for a target on a public host name
    (`proxy_pass https://api.github.com`), which is someone else's service (loopback, IP
    addresses, one-label names and `.local`/`.internal`/`.svc` names may be the project's). Apps that send no CORS header to other
    origins are left out: a Socket.IO server with no CORS setting, python-engineio's
    `cors_allowed_origins=[]`, an empty allow-list.

    ## Why is this bad?
    nginx's `add_header` adds a header; it never replaces one the app sent. Every response the app
    answers with its own `Access-Control-Allow-Origin` then carries two, and browsers refuse it:
    "The 'Access-Control-Allow-Origin' header contains multiple values '...', but only one is
    allowed" (MDN: CORSMultipleAllowOriginNotAllowed). Every cross-origin call the app allows fails,
    while the origins it refuses still get the proxy's one header: the proxy's policy decides
    anyway, and the app's origin checks only break things.

    ## Example
    ```nginx
    location /api/ {
        add_header Access-Control-Allow-Origin $cors_origin always;
        proxy_pass http://api:5000;   # the Flask app behind it calls CORS(app, ...)
    }
    ```
    Use instead (keep one of the two, here the proxy's):
    ```nginx
    location /api/ {
        add_header Access-Control-Allow-Origin $cors_origin always;
        proxy_pass http://api:5000;
        proxy_hide_header Access-Control-Allow-Origin;
    }
    ```
    or remove the `add_header Access-Control-*` lines and let the app answer.

    ## Fix safety
    Unsafe: the fix adds `proxy_hide_header` for each `Access-Control-*` header the location adds
    (the app's copies are dropped, the proxy's stay; the app's other CORS headers pass), at the end
    of the location, copying the `proxy_hide_header` lines it would otherwise stop inheriting. After
    it the proxy's policy answers every origin: origins the app refuses already got only the
    proxy's header, and the ones both allow start working, so no origin is let in that the proxy
    did not already let in; but the app's checks stop mattering, which its authors may have meant
    to be the policy (then delete the proxy's `add_header` lines instead: that choice is theirs).
    No fix where the location's block cannot take a new line, or a hidden header is inherited
    from an included file.

    ## References
    - MDN, CORSMultipleAllowOriginNotAllowed: https://developer.mozilla.org/en-US/docs/Web/HTTP/CORS/Errors/CORSMultipleAllowOriginNotAllowed
    - nginx `add_header` (adds to the response; inherited only where a block writes none): https://nginx.org/en/docs/http/ngx_http_headers_module.html#add_header
    - nginx `proxy_hide_header` (drops a header of the proxied server's response): https://nginx.org/en/docs/http/ngx_http_proxy_module.html#proxy_hide_header
    - Fetch standard, the CORS check (one `Access-Control-Allow-Origin` value): https://fetch.spec.whatwg.org/#cors-check
    """

    code = "PRX001"
    name = "cors-set-twice"
    summary = "CORS headers set by both the proxy and the app behind it"
    kinds = CODE_KINDS | {NGINX}
    triggers = ("cors", "access-control-allow")
    project_rule = True
    fix_availability = FixAvailability.SOMETIMES
    fix_offers = (
        FixOffer.unsafe(
            "Adds `proxy_hide_header` for each `Access-Control-*` header the location adds: the proxy's answer becomes the only one, and the app's origin checks stop mattering."
        ),
    )
    languages = "Python, JS/TS, nginx"
    examples = (
        Invalid(
            "server {\n    listen 80;\n    location /api/ {\n        add_header Access-Control-Allow-Origin https://app.example.com always;\n"
            "        proxy_pass http://api:5000;\n    }\n}\n",
            path="deploy/nginx.conf",
            files={"api/app.py": "from flask import Flask\nfrom flask_cors import CORS\n\napp = Flask(__name__)\n"
                   "CORS(app, origins=['https://app.example.com'])\n"},
            fixed="server {\n    listen 80;\n    location /api/ {\n        add_header Access-Control-Allow-Origin https://app.example.com always;\n"
            "        proxy_pass http://api:5000;\n        proxy_hide_header Access-Control-Allow-Origin;\n    }\n}\n",
            message="api/app.py:5",
            count=1,
            span=(4, 9, 4, 79),
        ),
        Invalid(  # inherited from the server; the app is found by the port it listens on
            "server {\n    add_header Access-Control-Allow-Origin $http_origin;\n"
            "    add_header Access-Control-Allow-Credentials true;\n"
            "    proxy_hide_header X-Powered-By;\n"
            "    location / {\n        proxy_pass http://127.0.0.1:3000;\n    }\n}\n",
            path="nginx.conf",
            files={"server.js": "const cors = require('cors');\napp.use(cors({ origin: 'https://app.example.com', credentials: true }));\n"
                   "app.listen(3000);\n"},
            fixed="server {\n    add_header Access-Control-Allow-Origin $http_origin;\n"
            "    add_header Access-Control-Allow-Credentials true;\n"
            "    proxy_hide_header X-Powered-By;\n"
            "    location / {\n        proxy_pass http://127.0.0.1:3000;\n        proxy_hide_header X-Powered-By;\n"
            "        proxy_hide_header Access-Control-Allow-Origin;\n        proxy_hide_header Access-Control-Allow-Credentials;\n"
            "    }\n}\n",
            message="the app it passes to",
        ),
        Valid(  # the app's header is hidden: nginx's is the only one
            "server {\n    location /api/ {\n        add_header Access-Control-Allow-Origin https://app.example.com;\n"
            "        proxy_hide_header Access-Control-Allow-Origin;\n        proxy_pass http://api:5000;\n    }\n}\n",
            path="nginx.conf",
            files={"api/app.py": "from flask_cors import CORS\nCORS(app, origins=['https://app.example.com'])\n"},
        ),
        Valid(  # the app leaves CORS to the proxy
            "server {\n    location /api/ {\n        add_header Access-Control-Allow-Origin https://app.example.com;\n"
            "        proxy_pass http://api:5000;\n    }\n}\n",
            path="nginx.conf",
            files={"api/app.py": "from flask import Flask\napp = Flask(__name__)\n"},
        ),
        Valid(  # a Socket.IO server with no CORS setting sends no CORS headers to other origins
            "server {\n    location /socket.io/ {\n        add_header Access-Control-Allow-Origin https://app.example.com;\n"
            "        proxy_pass http://127.0.0.1:5000;\n    }\n}\n",
            path="nginx.conf",
            files={"app.py": "import socketio\nsio = socketio.Server()\n"},
        ),
        Valid(  # the proxy adds no CORS header: the app's is the only one
            "server {\n    location /api/ {\n        proxy_pass http://api:5000;\n    }\n}\n",
            path="nginx.conf",
            files={"api/app.py": "from flask_cors import CORS\nCORS(app, origins=['https://app.example.com'])\n"},
        ),
    )

    def check_project(self, project) -> Iterable[Diagnostic]:
        apps = [policy for ctx in project.files if ctx.kind not in NOT_APPS for policy in _policies(ctx)
                if answers_origins(policy)]
        if not apps:
            return
        matcher = AppMatcher(project, apps)
        for proxy in project.facts(NginxProxy):
            if proxy.context != "http":
                continue
            headers = proxy_headers(project, proxy)
            if headers is None or ORIGIN_HEADER in headers.hidden:
                continue
            hosts = targets(project, proxy)
            reached = matcher.reached(hosts)
            if not reached and not may_be_ours(hosts):
                continue
            app = (reached or apps)[0]
            yield self._report(proxy, headers, app, matched=bool(reached))

    def _report(self, proxy: NginxProxy, headers: ProxyHeaders, app: CorsPolicy, matched: bool) -> Diagnostic:
        origin = headers.origin
        own_file = not origin.relpath
        span = origin.span if own_file and not origin.inherited else (proxy.location_span or proxy.span)
        header_at = _where(proxy.source, origin.span) if own_file else f"{origin.relpath}"
        location = f"`location {proxy.location}`" if proxy.location else "the server"
        violation = TwoOrigins(location, proxy.target, header_at, app.label, _where(app.source, app.span), matched)
        diagnostic = self.report(proxy.source, span, violation, _hide_fix(proxy, headers))
        diagnostic.related = [(app.source, app.span, "the app's own CORS policy")]
        if not own_file or origin.inherited:
            diagnostic.related.insert(0, (proxy.source, proxy.span, "the location that passes requests on"))
        return diagnostic


def _policies(ctx) -> list[CorsPolicy]:
    try:
        return list(ctx.of(CorsPolicy))
    except ParseError:  # a file that does not parse lends no policy
        return []


def _hide_fix(proxy: NginxProxy, headers: ProxyHeaders) -> Fix | None:
    """``proxy_hide_header`` for every Access-Control-* header the proxy adds; a location that
    inherits ``proxy_hide_header`` lines stops inheriting them once it writes one, so they are
    copied (not when they come from another file: their text is not at hand to judge)."""
    lines: list[tuple[str, list[str]]] = []
    if headers.hides and all(d.inherited for d in headers.hides):
        if any(d.relpath for d in headers.hides):
            return None
        lines += [("proxy_hide_header", list(d.args)) for d in headers.hides]
    lines += [("proxy_hide_header", [name]) for name in headers.added if name.lower() not in headers.hidden]
    edit = kit.insert_directives(proxy.source, proxy, lines)
    if edit is None:
        return None
    return Fix.unsafe("Hide the app's CORS headers behind the proxy's (`proxy_hide_header`)", edit)
