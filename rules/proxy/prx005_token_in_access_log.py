from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable

from authlint.diagnostics.diagnostic import Diagnostic, Edit, Fix, FixAvailability
from authlint.diagnostics.mask import Quoted
from authlint.facts.knowledge.token_names import query_key_carries_token
from authlint.facts.model import (
    NginxLogFormat,
    NginxLogSlot,
    NginxProxy,
    SocketIOClient,
    SocketIOServer,
)
from authlint.files.kinds import CODE_KINDS, NGINX
from authlint.files.source import Source, Span
from authlint.rule import FixOffer, Invalid, Rule, Valid, Violation
from authlint.rules import kit
from authlint.rules.proxy.carriers import carriers
from authlint.rules.proxy.prx005_access_logs import (
    COMBINED,
    QUERY_VARIABLES,
    LocationLogs,
    LogUse,
    credential_variable,
    definition,
    location_logs,
    used_formats,
    without,
)

SUFFIX = "_noquery"  # the format a fix defines: the one in use, without the query string

PY_CLIENT = "import socketio\nsio = socketio.Client()\nsio.connect(f'https://chat.example.com?token={token}')\n"
TS_CLIENT = 'import { io } from "socket.io-client";\nconst socket = io("https://chat.example.com", { query: { token } });\n'
AUTH_CLIENT = 'import { io } from "socket.io-client";\nconst socket = io("https://chat.example.com", { auth: { token } });\n'
PREFIX = "events {}\nhttp {\n"
SITE = (
    "    server {\n        listen 80;\n"
    "        location /socket.io/ {\n            proxy_pass http://127.0.0.1:5000;\n        }\n    }\n}\n"
)
NOQUERY = ("    log_format combined_noquery '$remote_addr - $remote_user [$time_local] "
           "\"$request_method $uri $server_protocol\" $status $body_bytes_sent \"$http_referer\" \"$http_user_agent\"';\n")
MAIN = "    log_format main '$remote_addr [$time_local] \"$request_method $request_uri\" $status';\n"


class QueryLogged(Violation):
    location: Quoted  # ``location /socket.io/``
    log: Quoted  # the access log file (``logs/access.log``, nginx's default when none is written)
    format: Quoted
    variable: str  # the query variable the format writes (``request``)
    default: bool  # no ``access_log`` is in effect: nginx's default log and format
    sender: str  # where the token is put in the query: ``client.ts:2``
    how: str

    def message(self) -> str:
        log = ("nginx's default access log (`combined` format)" if self.default
               else f"`{self.log}` (format `{self.format}`)")
        return (f"`{self.location}` carries Socket.IO requests whose query string holds a token ({self.how}, "
                f"{self.sender}), and writes `${self.variable}` to {log}: the token is stored in clear in the "
                "log with every handshake and polling request; log the path without the query string")


class CredentialLogged(Violation):
    format: Quoted
    variables: str  # ``$http_authorization``, ``$cookie_session``
    log: Quoted  # one access log using it

    def message(self) -> str:
        return (f"log_format `{self.format}` writes {self.variables} to the access log (`{self.log}`): every "
                "request's credential is stored in clear on disk; drop it from the format")


@dataclass(frozen=True)
class Sender:
    """Where the project puts a token into the Socket.IO query string (or reads it from there)."""

    source: Source
    span: Span
    how: str


def senders(project) -> list[Sender]:
    """Clients sending a token in the URL or the ``query`` option (one the library sends), and
    connect handlers reading one from the query string (its clients may live elsewhere) without
    reading the ``auth`` payload first."""
    found: list[Sender] = []
    for client in project.facts(SocketIOClient):
        ignored = any(unknown.name == "query" for unknown in client.unknown_options)
        for sent in client.sends:
            if sent.channel == "url":
                found.append(Sender(client.source, sent.span, "the client puts it in the URL"))
            elif sent.channel == "query" and not ignored and sent.key and query_key_carries_token(sent.key):
                found.append(Sender(client.source, sent.span, "the client sends it in `query`"))
    for server in project.facts(SocketIOServer):
        for handler in server.handlers:
            moved = {read.key for read in handler.reads if read.channel == "auth" and read.key}
            for read in handler.reads:
                if read.channel == "query" and read.key and query_key_carries_token(read.key) and read.key not in moved:
                    found.append(Sender(server.source, read.span, "the connect handler reads it from the query"))
    return found


class TokenInAccessLog(Rule):
    """
    ## What it does
    Reads the nginx access logs together with the app behind them, and finds credentials that nginx
    writes to disk in clear:

    - a location that carries the project's Socket.IO requests (the one nginx picks for the
      server's path) whose access log writes the query string (`$request`, the request line of
      nginx's default `combined` format; `$request_uri`, `$args`, `$query_string`) while the
      project's Socket.IO clients put the token in the URL or in `query` (SIO006's findings), or its
      connect handler reads the token from the query string;
    - a `log_format` used by an `access_log` that writes a credential whatever the app does:
      `$http_authorization`, `$http_cookie`, a session or token cookie (`$cookie_session`), a
      token-like query argument (`$arg_token`), a token-like header (`$http_x_api_key`), or the
      `Set-Cookie` header nginx sends (`$sent_http_set_cookie`).

    The access logs in effect are nginx's: the `access_log` directives written at the innermost
    level that has one (includes joined from the project); none written means nginx's default log
    with the `combined` format; `access_log off` logs nothing.

    ## Why is this bad?
    Every line of an access log is a copy of the credential, kept for as long as the logs are kept,
    readable by everyone who reads logs and shipped wherever logs are shipped (OWASP's Logging Cheat
    Sheet lists session identifiers, access tokens and passwords among the data never to log). A
    Socket.IO client that puts its token in the URL repeats it in every HTTP long-polling request
    and in the websocket upgrade, and nginx's default format writes each request line whole; the
    handshake `auth` payload is not part of the URL and is never logged.

    ## Example
    ```nginx
    http {
        access_log /var/log/nginx/access.log;          # format `combined`: "$request"
        server {
            location /socket.io/ { proxy_pass http://app:5000; }
        }
    }
    ```
    with a client `io(URL, { query: { token } })`. Use instead:
    ```nginx
    http {
        access_log /var/log/nginx/access.log;
        log_format combined_noquery '$remote_addr - $remote_user [$time_local] "$request_method $uri $server_protocol" $status $body_bytes_sent "$http_referer" "$http_user_agent"';
        server {
            location /socket.io/ {
                proxy_pass http://app:5000;
                access_log /var/log/nginx/access.log combined_noquery;
            }
        }
    }
    ```
    and send the token in the `auth` payload (SIO006). A format writing `"$http_authorization"`
    writes `"-"` instead.

    ## Fix safety
    Unsafe, because log formats feed other tools (parsers, dashboards, alerts, audit trails) and a
    fix changes what they receive. For a Socket.IO location the fix defines a format that is the
    one in use with the query string left out (`$request` becomes `$request_method $uri
    $server_protocol`, the request line's own shape, so parsers of the request line still parse
    it; `$request_uri` becomes `$uri`; `$args`, `$query_string` and the token's `$arg_` become
    `-`), named after it (`combined_noquery`; in an included fragment
    with the fragment's name too, `combined_noquery_app`, so fragments included side by side never
    define one name twice) and placed before the first `server` of the same
    `http` block (or of the included fragment), and makes the location write its access logs with
    it: the same files and parameters, only for that location, so the app and every other location
    keep their logs as they were. What those lines lose is the query string (Socket.IO's `EIO`,
    `transport` and `sid`), and `$uri` is the normalised path. It is display-only when no
    `access_log` is written: nginx's default log path is compiled in (`nginx -V`,
    `--http-log-path`; Debian's is `/var/log/nginx/access.log`), so the suggested
    `logs/access.log` must be checked. There is no fix when a location-level `access_log` comes
    from an included snippet (the fix would add a second log beside it) or when no `http` block or
    fragment of the location's file can hold a new `log_format`. A format that writes a
    credential gets it replaced by `-` (a field tools keep counting, empty as when the header is
    absent), in the format itself: every location using it changes, which is what is wanted,
    and any tool reading that field gets nothing from then on. The move of the token to `auth` is
    SIO006's fix; this one only keeps it out of the logs.

    ## References
    - nginx `log_format`, `access_log` and the predefined `combined` format:
      https://nginx.org/en/docs/http/ngx_http_log_module.html
    - nginx variables (`$request`, `$request_uri`, `$uri`, `$args`, `$arg_`, `$http_`, `$cookie_`):
      https://nginx.org/en/docs/http/ngx_http_core_module.html#variables
    - OWASP Logging Cheat Sheet, data to exclude (session identifiers, access tokens, passwords):
      https://cheatsheetseries.owasp.org/cheatsheets/Logging_Cheat_Sheet.html
    - OWASP, information exposure through query strings in URL:
      https://owasp.org/www-community/vulnerabilities/Information_exposure_through_query_strings_in_url
    - socket.io-client `auth` option (read as `socket.handshake.auth`, not part of the URL):
      https://socket.io/docs/v4/client-options/#auth ; socketio-jwt-auth#13 ("terrible idea to
      have JWT sent via query params")
    """

    code = "PRX005"
    name = "token-in-access-log"
    summary = "nginx access log writes a token: the query string of Socket.IO requests, or a credential variable"
    kinds = CODE_KINDS | {NGINX}
    triggers = ("socketio", "socket.io")
    kind_triggers = {NGINX: ("proxy_pass", "log_format", "access_log", "include")}
    fix_availability = FixAvailability.SOMETIMES
    fix_offers = (
        FixOffer.unsafe(
            "Defines the format in use without the query string (`$request` -> `$request_method $uri"
            " $server_protocol`) and makes the Socket.IO location write its access logs with it: log"
            " consumers see a request line without its query for that location only."
        ),
        FixOffer.unsafe(
            "Replaces a credential variable of a `log_format` (`$http_authorization`) with `-`: every"
            " location using the format stops logging it, and tools reading that field get `-`."
        ),
        FixOffer.display_only(
            "Shows the location's access log with the new format when no `access_log` is written:"
            " nginx's default log path is compiled in, so the path shown must be checked."
        ),
    )
    project_rule = True
    languages = "nginx, Python, JS/TS"
    examples = (
        # the client puts the token in the URL; nginx logs with the http block's access_log: the
        # location gets its own access_log with the format without the query string
        Invalid(
            PREFIX + "    access_log /var/log/nginx/access.log;\n" + SITE,
            path="nginx.conf",
            files={"client.py": PY_CLIENT},
            message="`location /socket.io/` carries Socket.IO requests",
            count=1,
            span=(6, 18, 6, 29),
            fixed=PREFIX + "    access_log /var/log/nginx/access.log;\n" + NOQUERY + SITE.replace(
                "5000;\n", "5000;\n            access_log /var/log/nginx/access.log combined_noquery;\n"),
        ),
        # a custom format writing $request_uri, named at the location itself: its argument changes
        Invalid(
            PREFIX + MAIN + SITE.replace("5000;\n", "5000;\n            access_log logs/sio.log main buffer=32k;\n"),
            path="nginx.conf",
            files={"client.ts": TS_CLIENT},
            message="format `main`",
            fixed=PREFIX + MAIN + MAIN.replace("main '", "main_noquery '").replace("$request_uri", "$uri") + SITE.replace(
                "5000;\n", "5000;\n            access_log logs/sio.log main_noquery buffer=32k;\n"),
        ),
        # no access_log written: nginx's default path is compiled in, so the change is only shown
        Invalid(
            PREFIX + SITE,
            path="nginx.conf",
            files={"client.ts": TS_CLIENT},
            message="nginx's default access log",
            fixed=PREFIX + SITE,
        ),
        # the connect handler reads the token from the query: its clients (elsewhere) send it there
        Invalid(
            PREFIX + SITE,
            path="nginx.conf",
            files={"server.js": 'const { Server } = require("socket.io");\nconst io = new Server(3000);\n'
                                "io.use((socket, next) => (verify(socket.handshake.query.token) ? next() : next(new Error('no'))));\n"},
            message="the connect handler reads it from the query",
        ),
        # a credential in a log_format in use: always reported, whatever the app
        Invalid(
            PREFIX + "    log_format auth '$remote_addr \"$request_method $uri\" \"$http_authorization\"';\n"
            "    access_log logs/access.log auth;\n" + SITE,
            path="nginx.conf",
            message="log_format `auth` writes `$http_authorization`",
            count=1,
            span=(3, 59, 3, 78),
            fixed=PREFIX + "    log_format auth '$remote_addr \"$request_method $uri\" \"-\"';\n"
            "    access_log logs/access.log auth;\n" + SITE,
        ),
        Invalid(
            PREFIX + "    log_format json escape=json '{\"uri\":\"$uri\",\"sid\":\"${cookie_session}\",\"t\":\"$arg_access_token\"}';\n"
            "    access_log logs/access.json json;\n" + SITE,
            path="nginx.conf",
            message="`$cookie_session`, `$arg_access_token`",
            fixed=PREFIX + "    log_format json escape=json '{\"uri\":\"$uri\",\"sid\":\"-\",\"t\":\"-\"}';\n"
            "    access_log logs/access.json json;\n" + SITE,
        ),
        # the clients send the token in the `auth` payload: the query string holds none
        Valid(PREFIX + SITE, path="nginx.conf", files={"client.ts": AUTH_CLIENT}),
        # python-socketio has no `query` option: nothing is sent in the query string
        Valid(PREFIX + SITE, path="nginx.conf", files={
            "client.py": "import socketio\nsio = socketio.Client()\nsio.connect('http://h', query={'token': t})\n"}),
        # the location logs nothing, or logs the path only
        Valid(PREFIX + SITE.replace("5000;\n", "5000;\n            access_log off;\n"), path="nginx.conf",
              files={"client.ts": TS_CLIENT}),
        Valid(PREFIX + "    log_format path '$remote_addr \"$request_method $uri\" $status';\n"
              "    access_log logs/access.log path;\n" + SITE, path="nginx.conf", files={"client.ts": TS_CLIENT}),
        # a location that does not carry the Socket.IO path
        Valid(PREFIX + SITE.replace("/socket.io/", "/api/"), path="nginx.conf", files={"client.ts": TS_CLIENT}),
        # a credential-writing format no access_log uses writes nothing
        Valid(PREFIX + "    log_format debug '$http_authorization';\n" + SITE, path="nginx.conf"),
    )

    def check_project(self, project) -> Iterable[Diagnostic]:
        yield from self._query_logged(project)
        yield from self._credentials_logged(project)

    # -- (a) the query string of Socket.IO requests carrying a token --------------------------------
    def _query_logged(self, project) -> Iterable[Diagnostic]:
        sent = senders(project)
        if not sent:
            return
        first = sent[0]
        where = f"{first.source.relpath}:{first.source.position(first.span.start)[0]}"
        seen: set[tuple[str, int]] = set()
        for carrier in carriers(project):
            proxy = carrier.proxy
            key = (proxy.source.relpath, proxy.span.start)
            if key in seen:
                continue
            seen.add(key)
            logs = location_logs(project, proxy)
            leaking = [(use, _query_variables(use)) for use in logs.uses]
            leaking = [(use, names) for use, names in leaking if names]
            if not leaking:
                continue
            use, names = leaking[0]
            span = proxy.location_span or proxy.span
            place = f"location {proxy.location}" if proxy.location else "server"
            violation = QueryLogged(place, use.path, use.format, names[0], use.written is None, where, first.how)
            diagnostic = self.report(proxy.source, span, violation, self._location_fix(project, proxy, logs))
            diagnostic.related.append((first.source, first.span, "the token is put in the query string here"))
            for use, _ in leaking:
                if use.written is not None and not use.written.relpath:
                    diagnostic.related.append((proxy.source, use.written.span, "the access log in effect"))
                if use.definition is not None:
                    diagnostic.related.append((use.definition.source, use.definition.span, "its format"))
            yield diagnostic

    def _location_fix(self, project, proxy: NginxProxy, logs: LocationLogs) -> Fix | None:
        """Every access log of the location written with a format that leaves the query out."""
        if not logs.known:
            return None
        slot = _slot(project, proxy)
        if slot is None:
            return None
        edits: list[Edit] = []
        defined: dict[str, str] = {}  # format in use -> the format written instead
        for use in logs.uses:
            names = _query_variables(use)
            if names and use.format not in defined:
                replacement = self._define(project, proxy, slot, use, names, edits)
                if replacement is None:
                    return None
                defined[use.format] = replacement
        level = "location" if proxy.location else "server"
        own_level = [use for use in logs.uses if use.written is not None and use.written.level == level
                     and (not use.written.inherited or use.written.relpath)]
        if own_level:
            if any(use.written.relpath for use in own_level):  # type: ignore[union-attr]
                return None  # written by an included snippet: a line here would add a second log
            for use in own_level:
                written = use.written
                assert written is not None
                if use.format in defined:
                    if len(written.args) > 1:
                        edits.append(kit.replace_argument(proxy.source, written, 1, defined[use.format]))
                    else:
                        edits.append(kit.add_argument(proxy.source, written, 1, defined[use.format]))
        else:
            lines = [("access_log", [use.path, defined.get(use.format, use.format), *use.params]) for use in logs.uses]
            insert = kit.insert_directives(proxy.source, proxy, lines)
            if insert is None:
                return None
            edits.append(insert)
        title = "Log this location's requests without the query string"
        if any(use.written is None for use in logs.uses):
            return Fix.display_only(title + " (a suggestion: the default access log's path is compiled into nginx, "
                                    "check it with `nginx -V`)", *edits)
        return Fix.unsafe(title, *edits)

    @staticmethod
    def _define(project, proxy: NginxProxy, slot: NginxLogSlot, use: LogUse, names: list[str],
                edits: list[Edit]) -> str | None:
        """The name of a format like ``use``'s without the query variables (``combined_noquery``; in a
        fragment, with the file's name: ``combined_noquery_app``): one the file (or, for a fragment,
        its includer) defines already, else a new definition added to ``edits``."""
        name = use.format + SUFFIX
        if proxy.fragment:  # fragments included side by side must not define the same name twice
            stem = proxy.source.relpath.rsplit("/", 1)[-1].split(".", 1)[0]
            name += "_" + "".join(c if c.isalnum() else "_" for c in stem)
        existing = definition(project, name, proxy.source.relpath)
        if existing is not None and (existing.source.relpath == proxy.source.relpath or proxy.fragment):
            return None if any(n in QUERY_VARIABLES for n in existing.names) else name
        text = COMBINED if use.definition is None else use.definition.format
        args = [name]
        if use.definition is not None and use.definition.escape:
            args.append("escape=" + use.definition.escape)
        args.append(without(text, set(names), QUERY_VARIABLES))
        insert = kit.insert_before_servers(proxy.source, slot, [("log_format", args)])
        if insert is None:
            return None
        edits.append(insert)
        return name

    # -- (b) a format that writes a credential ------------------------------------------------------
    def _credentials_logged(self, project) -> Iterable[Diagnostic]:
        used = used_formats(project)
        for fmt in project.facts(NginxLogFormat):
            if fmt.context != "http" or fmt.name not in used:
                continue
            found = [variable for variable in fmt.variables if credential_variable(variable.name)]
            if not found:
                continue
            names = ", ".join(dict.fromkeys(f"`${variable.name}`" for variable in found))
            logs = used[fmt.name]
            violation = CredentialLogged(fmt.name, names, logs[0].path)
            edits = [Edit.replace(variable.span, "-") for variable in found]
            fix = Fix.unsafe(f"Stop writing {names} to the access log", *edits)
            diagnostic = self.report(fmt.source, found[0].span, violation, fix)
            for log in logs:
                diagnostic.related.append((log.source, log.span, "an access log written with this format"))
            yield diagnostic


def _query_variables(use: LogUse) -> list[str]:
    """The variables of a log's format that write the query string (whole): what a token in it
    leaves in the log. ``$arg_`` of a token-like name is a credential variable, reported as such."""
    return [name for name in dict.fromkeys(use.variables) if name in QUERY_VARIABLES]


def _slot(project, proxy: NginxProxy) -> NginxLogSlot | None:
    """Where the location's file can define a new ``log_format``: its http block, or the top of a
    fragment of http servers."""
    for slot in project.facts(NginxLogSlot):
        if slot.source.relpath != proxy.source.relpath:
            continue
        if slot.block is None:
            if proxy.fragment and proxy.server is not None:
                return slot
        elif proxy.server is not None and slot.block.start <= proxy.server.start < slot.block.end:
            return slot
    return None

