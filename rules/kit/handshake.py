"""Server edits of a Socket.IO credential move: read the handshake ``auth`` payload first and fall
back to the old read, so clients sending either way log in while they are moved.

JS/TS: ``socket.handshake.query.token`` -> ``socket.handshake.auth.token ?? socket.handshake.query.token``
(``?.`` and ``["token"]`` forms too). Python (python-socketio / Flask-SocketIO connect handlers):
``request.args.get("token")`` -> ``(auth or {}).get("token") or request.args.get("token")``, with an
``auth=None`` parameter added to a handler that has none. Any other shape of read (an alias, a
destructuring, the whole query string parsed by hand) is not rewritten: None.
"""

from __future__ import annotations

import re

from authlint.diagnostics.diagnostic import Edit
from authlint.facts.model import ConnectHandler, HandshakeCredential
from authlint.files.source import Source, Span
from authlint.rules.kit.render import Code, literal, string, syntax

# a member chain ending in ``.handshake.query.KEY`` / ``.handshake.query["KEY"]`` (optional chaining kept)
JS_QUERY_READ = re.compile(
    r"^(?P<base>[A-Za-z_$][\w$]*(?:\??\.[A-Za-z_$][\w$]*)*\??\.handshake)(?P<dot>\??\.)query"
    r"(?P<key>\??\.[A-Za-z_$][\w$]*|\??\.?\[\s*(?P<q>['\"])[^'\"\\]*(?P=q)\s*\])$"
)
# a keyed read of Flask's query arguments: ``request.args.get("token")`` / ``request.args["token"]``
PY_QUERY_READ = re.compile(r"^(?:flask\.)?request\.(?:args|values)(?:\.get\(\s*(['\"]).*\1\s*\)|\[\s*(['\"]).*\2\s*\])$", re.S)
SAFE_BEFORE = ("(", ",", "[", "{", "return", "if", "elif", "while", "await")
SAFE_AFTER = (")", ",", "]", "}", ":", ";", "\n", "#", "")


def read_auth_first(source: Source, handler: ConnectHandler, read: HandshakeCredential) -> list[Edit] | None:
    """Edits of ``source`` that make ``read`` (a keyed query read of ``handler``) take the auth
    payload's field of the same name first; None when the read's shape is not one known to be safe."""
    if read.channel != "query" or not read.key:
        return None
    text = source.slice(read.span)
    if syntax(source) == "javascript":
        found = JS_QUERY_READ.match(text)
        if found is None:
            return None
        twin = f"{found['base']}{found['dot']}auth{found['key']}"
        expression = f"{twin} ?? {text}"
        return [Edit.replace(read.span, _grouped(source, read.span, expression))]
    if syntax(source) != "python" or PY_QUERY_READ.match(text) is None:
        return None
    edits = []
    name = handler.auth_param
    if name is None:
        if handler.auth_param_insert is None:
            return None
        name = "auth"
        edits.append(Edit.insert(*handler.auth_param_insert))
    quoted = re.search(r"['\"]", text)
    key = string(source, read.key, like=text[quoted.start() :] if quoted else None)
    expression = f"({name} or {{}}).get({key}) or {text}"
    edits.append(Edit.replace(read.span, _grouped(source, read.span, expression)))
    return edits


def _grouped(source: Source, span: Span, expression: str) -> str:
    """``expression`` in parentheses unless what stands around ``span`` already delimits it (an
    argument, an assignment's value, a condition)."""
    text = source.text
    before = text[: span.start].rstrip(" \t")
    after = text[span.end :].lstrip(" \t")
    assigned = before.endswith("=") and not before.endswith(("==", "!=", "<=", ">=", "=>"))
    word = re.search(r"(\w+)$", before)
    if (before.endswith(SAFE_BEFORE) and not word) or assigned or (word and word.group(1) in SAFE_BEFORE):
        if after[:1] in SAFE_AFTER or after.startswith(("\r\n", "//")):
            return expression
    return f"({expression})"


# engine.io runs ``allowRequest(req, callback)`` on every handshake, polling and WebSocket alike
# (``Server.verify``), and checks no Origin itself: its ``cors`` option only sets response headers
ORIGIN_GATE = "allowRequest"


def origin_gate(source: Source, origins: list[str]) -> tuple[str, Code] | None:
    """The option and function that make a socket.io server refuse a handshake whose ``Origin``
    header is present and not one of ``origins`` (a client that sends none, such as a Node or
    mobile client, is let through as before); None where the library checks Origin itself."""
    if syntax(source) != "javascript":
        return None
    listed = literal(source, list(origins))
    return ORIGIN_GATE, Code(
        f"(req, callback) => callback(null, !req.headers.origin || {listed}.includes(req.headers.origin))"
    )
