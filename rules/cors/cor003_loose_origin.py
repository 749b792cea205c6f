from __future__ import annotations

import re
from typing import Iterable

from authlint.diagnostics.diagnostic import Diagnostic, Edit, Fix, FixAvailability
from authlint.facts.model import CorsPolicy, OriginEntry
from authlint.files.kinds import CODE_KINDS, HOCON, NGINX
from authlint.files.source import Span
from authlint.rule import FixOffer, Invalid, Rule, Valid, Violation

LOCAL_HOST = re.compile(r"^http://(localhost|127\.0\.0\.1|\[::1\]|0\.0\.0\.0|[^/:]+\.(local|localhost|test))(:\d+)?$")


def loose_dots(pattern: str) -> list[int]:
    """Indexes of unescaped ``.`` outside ``[...]`` that are followed by a host character."""
    found = []
    escaped = in_class = False
    for index, char in enumerate(pattern):
        if escaped:
            escaped = False
            continue
        if char == "\\":
            escaped = True
        elif char == "[":
            in_class = True
        elif char == "]":
            in_class = False
        elif char == "." and not in_class:
            following = pattern[index + 1 : index + 2]
            if following and (following.isalnum() or following == "("):
                found.append(index)
    return found


def end_anchored(pattern: str) -> bool:
    return pattern.endswith("$") or pattern.endswith("\\Z")


def top_level_alternation(pattern: str) -> bool:
    """Whether ``pattern`` has a ``|`` outside any group or class: anchors must then wrap a group
    (``^(?:a|b)$``), since ``^a|b$`` anchors only the first branch's start and the last one's end."""
    depth = 0
    escaped = in_class = False
    for char in pattern:
        if escaped:
            escaped = False
        elif char == "\\":
            escaped = True
        elif in_class:
            in_class = char != "]"
        elif char == "[":
            in_class = True
        elif char == "(":
            depth += 1
        elif char == ")":
            depth = max(depth - 1, 0)
        elif char == "|" and depth == 0:
            return True
    return False


class NullOrigin(Violation):
    def message(self) -> str:
        return "the `null` origin is sent by sandboxed iframes and `file:` pages: any site can produce it"


class NoScheme(Violation):
    origin: str

    def message(self) -> str:
        return (f"origin `{self.origin}` has no scheme: origins are compared exactly (`https://{self.origin}`), "
                "so this entry never matches")


class TrailingSlash(Violation):
    origin: str

    def message(self) -> str:
        return (f"origin `{self.origin}` has a trailing `/`: browsers send origins without one, so this entry "
                "never matches")


class PlainHttp(Violation):
    origin: str

    def message(self) -> str:
        return f"plain-http origin `{self.origin}`: anyone on the network path can run script as that origin"


class LooseRegex(Violation):
    pattern: str
    loose_dots: bool  # an unescaped `.` matches any character
    unanchored: str  # "" (anchored), "start" (only the start is anchored), "search" (matches anywhere)
    open_start: bool = False  # (nginx) no `^` either, where that is reported too
    matcher: str = ""  # what applies a searched pattern, as messages name it ("" : `RegExp.test()`)

    def message(self) -> str:
        problems = []
        if self.loose_dots:
            problems.append("unescaped `.` matches any character (`evil-example.com`)")
        searcher = self.matcher or "`RegExp.test()`"
        if self.open_start and self.unanchored == "search":
            problems.append(f"no `^` at the start nor `$` at the end, and {searcher} searches anywhere "
                            "(`https://example.com.evil.net`, `https://evil-example.com`)")
        elif self.open_start:
            problems.append(f"no `^` at the start, and {searcher} searches anywhere (`https://evil-example.com`)")
        elif self.unanchored == "search":
            problems.append(f"no `$` at the end, and {searcher} searches anywhere (`...example.com.evil.net`)")
        elif self.unanchored:
            problems.append("no `$` at the end, and this framework only anchors the start (`...example.com.evil.net`)")
        return f"origin regex `{self.pattern}`: " + "; ".join(problems)


class LooseOrigin(Rule):
    """
    ## What it does
    Finds origin rules that let in more than their author meant: regexes with unescaped dots
    (`https://.*.example.com` also matches `https://evil-example.com`) or without an end anchor where
    the framework only anchors the start (Django `CORS_ALLOWED_ORIGIN_REGEXES`, Flask-CORS regex
    origins: `^https://app\\.example\\.com` matches `https://app.example.com.evil.net`), the `null`
    origin, plain-http origins that are not local, and Socket.IO origin entries that can never match
    (no scheme, trailing `/`). HOCON: Play's `allowedOrigins` and akka-http-cors's `allowed-origins`
    compare origins exactly, and Play lets in the `null` origin when the list holds the string `"null"`.

    In nginx, the patterns that decide which origins `add_header Access-Control-Allow-Origin` answers:
    `if ($http_origin ~* "regex")` around the header (or around a `set $var $http_origin` the header
    uses), `if ($http_origin !~* "regex") { return 403; }` before an echo, and the regex keys of
    `map $http_origin $var { ~regex $http_origin; }`. nginx's `~` is an
    unanchored PCRE search, so a pattern without `^` *or* without `$` is reported: `example\\.com$`
    matches `https://evilexample.com`, `^https://app\\.example\\.com` matches
    `https://app.example.com.evil.net`. A literal `null` origin in the header is reported too.

    ## Why is this bad?
    An over-broad origin rule is a wildcard in disguise: an attacker registers a matching domain and
    gets the same access as your own front end. `null` is what sandboxed iframes and `file:` pages
    send, so anyone can produce it. Entries without a scheme or with a trailing slash never equal a
    browser's `Origin` header, so the real front end is refused (Flask-SocketIO#1319).

    ## Example
    ```python
    CORS_ALLOWED_ORIGIN_REGEXES = [r"^https://\\w+.example.com"]
    ```
    Use instead:
    ```python
    CORS_ALLOWED_ORIGIN_REGEXES = [r"^https://\\w+\\.example\\.com$"]
    ```

    ## Fix safety
    Anchoring and escaping a regex is unsafe: the fix puts a backslash before each loose dot and a `$` at
    the end of the pattern, inside the literal (raw strings and JS regex literals get one
    backslash, plain strings two), so the list around it keeps its layout and comments. It
    narrows what matches, which is the point, but may refuse an origin that relied on the
    looseness. Dropping a trailing `/` from an origin compared exactly (the cors package,
    python-engineio) is safe: the entry could never match before. It is the same correction SIO002
    makes when a client sends that origin, so the list ends up holding it once. `null`, plain-http
    and scheme-less origins are reported without a fix: only their author knows the right origin.

    ## References
    - django-cors-headers `CORS_ALLOWED_ORIGIN_REGEXES` (matched with `re.match`): https://github.com/adamchainz/django-cors-headers#cors_allowed_origin_regexes-sequencestr--patternstr
    - Flask-CORS `origins` (strings with regex characters are regexes): https://flask-cors.readthedocs.io/en/latest/api.html
    - the `cors` package (`origin` strings compare exactly, RegExps are tested): https://github.com/expressjs/cors#configuration-options
    - Play CORS filter (`play.filters.cors`, `allowedOrigins` null = every origin, `supportsCredentials` default true): https://www.playframework.com/documentation/latest/CorsFilter
    - akka-http-cors `reference.conf` (`allowed-origins = "*"`, `allow-credentials = yes`): https://github.com/lomigmegard/akka-http-cors/blob/HEAD/akka-http-cors/src/main/resources/reference.conf ; Pekko HTTP `pekko.http.cors`: https://github.com/apache/pekko-http/blob/HEAD/http-cors/src/main/resources/reference.conf
    - PortSwigger, CORS misconfigurations (`null` origin, broken parsing): https://portswigger.net/web-security/cors
    - Flask-SocketIO#1319 (an origin entry that never matches): https://github.com/miguelgrinberg/Flask-SocketIO/issues/1319
    """

    code = "COR003"
    name = "loose-origin"
    summary = "origin rule matches more, or less, than intended"
    kinds = CODE_KINDS | {HOCON, NGINX}
    triggers = ("cors", "access-control-allow")
    fix_availability = FixAvailability.SOMETIMES
    fix_offers = (
        FixOffer.safe(
            "Drops a trailing `/` from a Socket.IO origin: the entry could never match before."
        ),
        FixOffer.unsafe(
            "Escapes the dots and anchors the pattern: it narrows what matches, which may refuse an origin that relied on the looseness."
        ),
    )
    languages = "Python, JS/TS, nginx, HOCON"
    examples = (
        Valid("CORS_ALLOWED_ORIGIN_REGEXES = [r'^https://\\w+\\.example\\.com$']\n", path="settings.py"),
        Valid(
            "from fastapi.middleware.cors import CORSMiddleware\n"
            "app.add_middleware(CORSMiddleware, allow_origin_regex=r'https://[a-z]+\\.example\\.com')\n"
        ),
        Valid("import socketio\nsio = socketio.Server(cors_allowed_origins=['https://app.example.com', 'http://localhost:3000'])\n"),
        Invalid(
            "CORS_ALLOWED_ORIGIN_REGEXES = [r'^https://\\w+.example.com']\n",
            path="settings.py",
            fixed="CORS_ALLOWED_ORIGIN_REGEXES = [r'^https://\\w+\\.example\\.com$']\n",
            count=1,
            span=(1, 34, 1, 58),
        ),
        Invalid(
            "from starlette.middleware.cors import CORSMiddleware\n"
            "app.add_middleware(CORSMiddleware, allow_origin_regex='https://.*.example.com')\n",
            fixed="from starlette.middleware.cors import CORSMiddleware\n"
            "app.add_middleware(CORSMiddleware, allow_origin_regex='https://.*\\\\.example\\\\.com')\n",
            message="unescaped",
        ),
        Invalid(
            "import socketio\nsio = socketio.Server(cors_allowed_origins=['https://app.example.com/'])\n",
            fixed="import socketio\nsio = socketio.Server(cors_allowed_origins=['https://app.example.com'])\n",
            message="trailing",
        ),
        Invalid("import socketio\nsio = socketio.Server(cors_allowed_origins='app.example.com')\n", message="scheme"),
        Invalid(  # a multi-line list keeps its layout and comments
            "CORS_ALLOWED_ORIGIN_REGEXES = [\n    r'^https://\\w+\\.example\\.com',  # tenants\n    r'^https://partner\\.io$',\n]\n",
            path="settings.py",
            fixed="CORS_ALLOWED_ORIGIN_REGEXES = [\n    r'^https://\\w+\\.example\\.com$',  # tenants\n    r'^https://partner\\.io$',\n]\n",
            count=1,
        ),
        # JavaScript / TypeScript (the cors package behind express, socket.io, fastify, koa).
        Valid('import cors from "cors";\napp.use(cors({ origin: [/^https:\\/\\/[a-z]+\\.example\\.com$/, "http://localhost:3000"] }));\n', path="app.mjs"),
        Valid('const { Server } = require("socket.io");\nnew Server(3000, { cors: { origin: ["https://app.example.com"] } });\n', path="io.js"),
        Invalid(
            'import cors from "cors";\napp.use(cors({ origin: /https:\\/\\/.*.example.com/ }));\n',
            path="app.ts",
            fixed='import cors from "cors";\napp.use(cors({ origin: /https:\\/\\/.*\\.example\\.com$/ }));\n',
            message="RegExp.test()",
            count=1,
            span=(2, 25, 2, 49),
        ),
        Invalid(
            'const cors = require("cors");\nconst corsOptions = { origin: ["https://app.example.com/", "null"] };\napp.use(cors(corsOptions));\n',
            path="app.js",
            fixed='const cors = require("cors");\nconst corsOptions = { origin: ["https://app.example.com", "null"] };\napp.use(cors(corsOptions));\n',
            count=2,
        ),
        Invalid('import { Server } from "socket.io";\nnew Server(srv, { cors: { origin: "app.example.com" } });\n', path="io.ts", message="scheme"),
        Invalid('res.setHeader("Access-Control-Allow-Origin", "http://partner.example.com");\n', path="api/handler.js", message="plain-http"),
        Invalid("from flask_cors import CORS\nCORS(app, origins=['null', 'https://a.example'])\n", message="null"),
        # the `null` origin set by hand, with credentials
        Invalid(
            "@app.after_request\ndef cors(resp):\n    resp.headers['Access-Control-Allow-Origin'] = 'null'\n"
            "    resp.headers['Access-Control-Allow-Credentials'] = 'true'\n    return resp\n",
            message="null",
            span=(3, 52, 3, 56),
        ),
        Valid(
            "@app.after_request\ndef cors(resp):\n    resp.headers['Access-Control-Allow-Origin'] = 'https://app.example.com'\n"
            "    resp.headers['Access-Control-Allow-Credentials'] = 'true'\n    return resp\n",
        ),
        Invalid(
            "app.use((req, res, next) => {\n  res.setHeader('Access-Control-Allow-Origin', 'null');\n"
            "  res.setHeader('Access-Control-Allow-Credentials', 'true');\n  next();\n});\n",
            path="server.js",
            message="null",
        ),
        Valid(
            "app.use((req, res, next) => {\n  res.setHeader('Access-Control-Allow-Origin', 'https://app.example.com');\n"
            "  res.setHeader('Access-Control-Allow-Credentials', 'true');\n  next();\n});\n",
            path="server.js",
        ),
        Invalid("from flask_cors import CORS\nCORS(app, origins=['http://app.example.com'])\n", message="plain-http"),
        # nginx: `~` / `~*` are PCRE searches, so a pattern needs `^` and `$` (and escaped dots).
        Invalid(
            "server {\n    location / {\n        if ($http_origin ~* \"https://app.example.com\") {\n"
            "            add_header Access-Control-Allow-Origin $http_origin;\n        }\n"
            "        proxy_pass http://app:5000;\n    }\n}\n",
            path="nginx.conf",
            fixed="server {\n    location / {\n        if ($http_origin ~* \"^https://app\\.example\\.com$\") {\n"
            "            add_header Access-Control-Allow-Origin $http_origin;\n        }\n"
            "        proxy_pass http://app:5000;\n    }\n}\n",
            message="nginx's `~` searches anywhere",
            count=1,
            span=(3, 30, 3, 53),
        ),
        Invalid(  # a variable set inside the `if`; branches are grouped before anchoring
            "server {\n    set $cors \"\";\n    if ($http_origin ~ \"https://a\\.example\\.com|https://b\\.example\\.com\") {\n"
            "        set $cors $http_origin;\n    }\n    add_header Access-Control-Allow-Origin $cors;\n}\n",
            path="nginx.conf",
            fixed="server {\n    set $cors \"\";\n    if ($http_origin ~ \"^(?:https://a\\.example\\.com|https://b\\.example\\.com)$\") {\n"
            "        set $cors $http_origin;\n    }\n    add_header Access-Control-Allow-Origin $cors;\n}\n",
            message="`^`",
        ),
        Invalid(  # a map's regex key
            "map $http_origin $cors_origin {\n    default \"\";\n    ~https://[a-z]+.example.com$ $http_origin;\n}\n"
            "server {\n    add_header Access-Control-Allow-Origin $cors_origin;\n}\n",
            path="conf.d/cors.conf",
            fixed="map $http_origin $cors_origin {\n    default \"\";\n    ~^https://[a-z]+\\.example\\.com$ $http_origin;\n}\n"
            "server {\n    add_header Access-Control-Allow-Origin $cors_origin;\n}\n",
            span=(3, 6, 3, 33),
        ),
        Valid(
            "map $http_origin $cors_origin {\n    default \"\";\n    \"~*^https://[a-z]+\\.example\\.com$\" $http_origin;\n"
            "    https://partner.example.net $http_origin;\n}\n"
            "server {\n    add_header Access-Control-Allow-Origin $cors_origin;\n}\n",
            path="conf.d/cors.conf",
        ),
        Invalid(  # an if that refuses the other origins before the echo
            "server {\n    if ($http_origin !~ '^https://app.example.com') {\n        return 403;\n    }\n"
            "    add_header Access-Control-Allow-Origin $http_origin;\n}\n",
            path="nginx.conf",
            fixed="server {\n    if ($http_origin !~ '^https://app\\.example\\.com$') {\n        return 403;\n    }\n"
            "    add_header Access-Control-Allow-Origin $http_origin;\n}\n",
            count=1,
        ),
        Invalid(
            "server {\n    add_header Access-Control-Allow-Origin null;\n"
            "    add_header Access-Control-Allow-Credentials true;\n}\n",
            path="nginx.conf",
            message="null",
            span=(2, 44, 2, 48),
        ),
        # HOCON: Play compares `allowedOrigins` exactly; the string "null" lets in the null origin.
        Invalid(
            'play.filters.cors {\n  allowedOrigins = ["https://app.example.com", "null"]\n  supportsCredentials = false\n}\n',
            path="conf/application.conf",
            message="null",
            span=(2, 49, 2, 53),
        ),
        Invalid(
            "akka-http-cors.allowed-origins = [\"https://app.example.com/\"]\n",
            path="src/main/resources/application.conf",
            fixed="akka-http-cors.allowed-origins = [\"https://app.example.com\"]\n",
            message="trailing `/`",
        ),
        Valid('play.filters.cors.allowedOrigins = ["https://app.example.com", "http://localhost:9000"]\n',
              path="conf/application.conf"),
    )

    def check(self, ctx) -> Iterable[Diagnostic]:
        for policy in ctx.of(CorsPolicy):
            exact = policy.allowed.exact
            for entry in policy.allowed.entries:
                if entry.pattern:
                    yield from self._regex(ctx, entry)
                elif entry.value != "*":
                    yield from self._origin(ctx, entry, exact)

    def _origin(self, ctx, entry: OriginEntry, exact: bool) -> Iterable[Diagnostic]:
        value, span = entry.value, entry.span
        if value.lower() == "null":
            yield self.report(ctx, span, NullOrigin())
        elif exact and "://" not in value:
            yield self.report(ctx, span, NoScheme(value))
        elif exact and value.endswith("/"):
            fix = Fix.safe("Drop the trailing `/`", Edit.delete(Span(span.end - 1, span.end))) if entry.located else None
            yield self.report(ctx, span, TrailingSlash(value), fix)
        elif value.startswith("http://") and not LOCAL_HOST.match(value):
            yield self.report(ctx, span, PlainHttp(value))

    def _regex(self, ctx, entry: OriginEntry) -> Iterable[Diagnostic]:
        pattern = entry.value
        dots = loose_dots(pattern)
        unanchored = entry.anchoring if entry.anchoring != "full" and not end_anchored(pattern) else ""
        open_start = entry.anchor_start and not pattern.startswith("^")
        if not dots and not unanchored and not open_start:
            return
        fix = None
        if entry.located:
            backslash = "\\" if entry.raw else "\\\\"  # one backslash in the pattern, as the literal writes it
            edits = [Edit.insert(entry.span.start + index, backslash) for index in dots]
            # (nginx) both anchors around a pattern with branches: ``^(?:a|b)$``
            grouped = open_start and top_level_alternation(pattern)
            if open_start:
                edits.insert(0, Edit.insert(entry.span.start, "^(?:" if grouped else "^"))
            if unanchored:
                edits.append(Edit.insert(entry.span.end, ")$" if grouped else "$"))
            elif grouped:  # the group closes before the `$` already written
                edits.append(Edit.insert(entry.span.end - (2 if pattern.endswith("\\Z") else 1), ")"))
            fix = Fix.unsafe("Escape the dots and anchor the pattern", *edits)
        violation = LooseRegex(pattern, bool(dots), unanchored, open_start, entry.matcher)
        yield self.report(ctx, entry.span, violation, fix)
