from __future__ import annotations

import re
from typing import Iterable

from authlint.diagnostics.diagnostic import Diagnostic, Edit, Fix, FixAvailability
from authlint.facts.model import CorsPolicy, Expr, SocketIOServer
from authlint.files.kinds import CODE_KINDS
from authlint.files.source import Span
from authlint.rule import Invalid, Rule, Valid

REGEX_CHARS = set("*\\]?$^[()+")  # flask-cors treats an origin with these as a regex
MATCH_FRAMEWORKS = frozenset({"django", "flask-cors", "flask-cors-resource", "js-regex"})  # not end-anchored
JS_REGEX = "js-regex"  # a JavaScript RegExp origin: RegExp.test() searches, anchored nowhere
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


def element_span(ctx, container: Span, value: str) -> tuple[Span, bool] | None:
    """Where a string item's text sits in the source, and whether its literal is raw."""
    text = ctx.source.text
    start = text.find(value, container.start, container.end)
    while start != -1:
        end = start + len(value)
        if start > 0 and text[start - 1] in "'\"" and end < len(text) and text[end] == text[start - 1]:
            raw = start >= 2 and text[start - 2] in "rR"
            return Span(start, end), raw
        start = text.find(value, start + 1, container.end)
    return None


class LooseOrigin(Rule):
    """
    ## What it does
    Finds origin rules that let in more than their author meant: regexes with unescaped dots
    (`https://.*.example.com` also matches `https://evil-example.com`) or without an end anchor where
    the framework only anchors the start (Django `CORS_ALLOWED_ORIGIN_REGEXES`, Flask-CORS regex
    origins: `^https://app\\.example\\.com` matches `https://app.example.com.evil.net`), the `null`
    origin, plain-http origins that are not local, and Socket.IO origin entries that can never match
    (no scheme, trailing `/`).

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
    Anchoring and escaping a regex is unsafe: it narrows what matches, which is the point but may
    refuse an origin that relied on the looseness. Dropping a trailing `/` from a Socket.IO origin is
    safe: the entry could never match before.
    """

    code = "COR003"
    name = "loose-origin"
    summary = "origin rule matches more, or less, than intended"
    kinds = CODE_KINDS
    triggers = ("cors", "access-control-allow")
    fix_availability = FixAvailability.SOMETIMES
    languages = "Python, JS/TS"
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
        # JavaScript / TypeScript (the cors package behind express, socket.io, fastify, koa).
        Valid('import cors from "cors";\napp.use(cors({ origin: [/^https:\\/\\/[a-z]+\\.example\\.com$/, "http://localhost:3000"] }));\n', path="app.mjs"),
        Valid('const { Server } = require("socket.io");\nnew Server(3000, { cors: { origin: ["https://app.example.com"] } });\n', path="io.js"),
        Invalid(
            'import cors from "cors";\napp.use(cors({ origin: /https:\\/\\/.*.example.com/ }));\n',
            path="app.ts",
            fixed='import cors from "cors";\napp.use(cors({ origin: /https:\\/\\/.*\\.example\\.com$/ }));\n',
            message="RegExp.test()",
            count=1,
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
        Invalid("from flask_cors import CORS\nCORS(app, origins=['http://app.example.com'])\n", message="plain-http"),
    )

    def check(self, ctx) -> Iterable[Diagnostic]:
        for policy in ctx.of(CorsPolicy):
            if policy.origin_regex is not None:
                yield from self._regexes(ctx, policy.origin_regex, policy.framework)
            if policy.origins is not None and policy.lang != "python":
                yield from self._js_origins(ctx, policy.origins, policy.framework)
            elif policy.origins is not None:
                yield from self._origins(ctx, policy.origins, policy.framework, socketio=False)
        for server in ctx.of(SocketIOServer):
            found = server.options.get("cors_allowed_origins") if server.lang == "python" else None
            if found is not None:
                yield from self._origins(ctx, found.value, server.library, socketio=True)

    def _origins(self, ctx, expr: Expr, framework: str, socketio: bool) -> Iterable[Diagnostic]:
        values = expr.value if isinstance(expr.value, list) else [expr.value]
        for value in values:
            if not isinstance(value, str) or value == "*":
                continue
            located = element_span(ctx, expr.span, value) if expr.origin is None else None
            span = located[0] if located else expr.span
            if framework.startswith("flask-cors") and REGEX_CHARS & set(value):
                yield from self._regex(ctx, value, framework, located, expr.span)
            elif value.lower() == "null":
                yield self.diagnostic(ctx, span, "the `null` origin is sent by sandboxed iframes and `file:` pages: "
                                      "any site can produce it")
            elif socketio and "://" not in value:
                yield self.diagnostic(ctx, span, f"origin `{value}` has no scheme: origins are compared exactly "
                                      f"(`https://{value}`), so this entry never matches")
            elif socketio and value.endswith("/"):
                fix = Fix.safe("Drop the trailing `/`", Edit.delete(Span(span.end - 1, span.end))) if located else None
                yield self.diagnostic(ctx, span, f"origin `{value}` has a trailing `/`: browsers send origins "
                                      "without one, so this entry never matches", fix)
            elif value.startswith("http://") and not LOCAL_HOST.match(value):
                yield self.diagnostic(ctx, span, f"plain-http origin `{value}`: anyone on the network path can run "
                                      "script as that origin")

    def _js_origins(self, ctx, expr: Expr, framework: str) -> Iterable[Diagnostic]:
        """The cors package (express, socket.io, fastify, koa): strings compare exactly, and a RegExp
        is ``test()``-ed, which searches: without ``^``/``$`` it matches inside any origin."""
        items = expr.items if expr.items is not None else [expr]
        for item in items:
            if item.is_regex and isinstance(item.value, str):
                located = (Span(item.span.start + 1, item.span.start + 1 + len(item.value)), True)
                yield from self._regex(ctx, item.value, JS_REGEX, located if expr.origin is None else None, item.span)
            elif isinstance(item.value, str):
                yield from self._origins(ctx, item, framework, socketio=True)

    def _regexes(self, ctx, expr: Expr, framework: str) -> Iterable[Diagnostic]:
        values = expr.value if isinstance(expr.value, list) else [expr.value]
        for value in values:
            if isinstance(value, str):
                located = element_span(ctx, expr.span, value) if expr.origin is None else None
                yield from self._regex(ctx, value, framework, located, expr.span)

    def _regex(self, ctx, pattern: str, framework: str, located, fallback: Span) -> Iterable[Diagnostic]:
        dots = loose_dots(pattern)
        unanchored = framework in MATCH_FRAMEWORKS and not end_anchored(pattern)
        if not dots and not unanchored:
            return
        problems = []
        if dots:
            problems.append("unescaped `.` matches any character (`evil-example.com`)")
        if unanchored and framework == JS_REGEX:
            problems.append("no `$` at the end, and `RegExp.test()` searches anywhere (`...example.com.evil.net`)")
        elif unanchored:
            problems.append("no `$` at the end, and this framework only anchors the start (`...example.com.evil.net`)")
        span = located[0] if located else fallback
        fix = None
        if located:
            span, raw = located
            backslash = "\\" if raw else "\\\\"
            edits = [Edit.insert(span.start + index, backslash) for index in dots]
            if unanchored:
                edits.append(Edit.insert(span.end, "$"))
            fix = Fix.unsafe("Escape the dots and anchor the pattern", *edits)
        yield self.diagnostic(ctx, span, f"origin regex `{pattern}`: " + "; ".join(problems), fix)
