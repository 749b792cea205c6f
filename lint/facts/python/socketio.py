"""python-socketio / Flask-SocketIO servers and clients.

Known keyword arguments are the real signatures of python-socketio 5 / python-engineio 4 (verified
with ``inspect.signature``) and Flask-SocketIO's own options; anything else is an unknown option,
which python-engineio silently ignores (``**kwargs`` "reserved for future extensions").
"""

from __future__ import annotations

import ast
import re
from dataclasses import fields

from authlint.facts.knowledge import socketio_options as sio_options
from authlint.facts.knowledge import socketio_versions, token_names
from authlint.facts.model import (
    CorsPolicy,
    Expr,
    HandshakeCredential,
    OptionBag,
    SocketIOClient,
    SocketIOServer,
    UnknownOption,
)
from authlint.facts.origins import settle
from authlint.facts.python.resolve import Resolver, dotted, keyword, positional, string_value
from authlint.facts.query_values import query_value
from authlint.files.source import Span

SERVER_CLASSES = {
    "socketio.Server": "python-socketio",
    "socketio.AsyncServer": "python-socketio",
    "socketio.server.Server": "python-socketio",
    "socketio.async_server.AsyncServer": "python-socketio",
    "flask_socketio.SocketIO": "flask-socketio",
    "engineio.Server": "python-engineio",
    "engineio.AsyncServer": "python-engineio",
}
CLIENT_CLASSES = frozenset({
    "socketio.Client", "socketio.AsyncClient", "socketio.SimpleClient", "socketio.AsyncSimpleClient",
    "socketio.client.Client", "socketio.async_client.AsyncClient",
})
NAMESPACE_CLASSES = {
    "socketio.Namespace": "python-socketio",
    "socketio.AsyncNamespace": "python-socketio",
    "flask_socketio.Namespace": "flask-socketio",
}

KNOWN_CLIENT = sio_options.PY_CLIENT
KNOWN_CONNECT = sio_options.PY_CONNECT
DURATIONS = sio_options.PY_DURATIONS

TOKEN_PARAM = token_names.URL_TOKEN_PARAM_EXACT
STRING_PREFIX = re.compile(r"^[rRbBuUfF]*")


def unknown(bag: OptionBag, known: frozenset[str]) -> list[UnknownOption]:
    return sio_options.unknown_options(bag, known, DURATIONS)


def server(resolver: Resolver, call: ast.Call, qual: str, source, lang: str) -> SocketIOServer:
    library = SERVER_CLASSES[qual]
    fact = SocketIOServer(source=source, span=resolver.span(call), lang=lang, library=library)
    fact.protocol_packages = socketio_versions.PY_SERVER_PACKAGES.get(library, ())
    fact.any_origin_before = socketio_versions.PY_ANY_ORIGIN_BEFORE
    _set_options(fact, resolver.kwargs(call))
    fact.cors = server_cors(fact)
    return fact


def init_app(resolver: Resolver, fact: SocketIOServer, call: ast.Call) -> None:
    """Flask-SocketIO ``socketio.init_app(app, **options)``: later options win."""
    bag = resolver.kwargs(call)
    if not bag.items and fact.options.items:
        return
    merged = OptionBag(items={**fact.options.items, **bag.items}, span=bag.span, insert_at=bag.insert_at,
                       insert_prefix=bag.insert_prefix, spread=bag.spread or fact.options.spread, form=bag.form)
    _set_options(fact, merged)
    fact.cors = server_cors(fact, fact.cors)


def _set_options(fact: SocketIOServer, bag: OptionBag) -> None:
    """The options and what they mean: python-engineio reads its timers in seconds, and drops the
    rest of what it does not know."""
    fact.options = bag
    fact.unknown_options = unknown(bag, sio_options.known_names("python", "server", fact.library))
    fact.ping_timeout = sio_options.timed(bag, sio_options.PY_PING["timeout"])
    fact.ping_interval = sio_options.timed(bag, sio_options.PY_PING["interval"])


def server_cors(server: SocketIOServer, policy: CorsPolicy | None = None) -> CorsPolicy:
    """The server's origin policy (``cors_allowed_origins``, ``cors_credentials``) as a ``CorsPolicy``,
    like a JS socket.io server's ``cors`` option; ``policy`` (already a fact) is updated in place
    when ``init_app`` brings more options."""
    origins = server.options.get("cors_allowed_origins")
    credentials = server.options.get("cors_credentials")
    fresh = settle(CorsPolicy(
        source=server.source, span=origins.span if origins is not None else server.span, lang=server.lang,
        framework=server.library, origins=origins.value if origins is not None else None,
        credentials=credentials.value if credentials is not None else None, options=server.options,
        socketio_server=True,
    ))
    if policy is None:
        return fresh
    for item in fields(CorsPolicy):
        setattr(policy, item.name, getattr(fresh, item.name))
    return policy


def client(
    resolver: Resolver, connect: ast.Call, ctor: ast.Call | None, source, lang: str
) -> SocketIOClient:
    """A client from its ``connect(url, ...)`` call (and its constructor, when seen)."""
    bag = resolver.kwargs(connect)
    url_node = positional(connect, 0, "url")
    url = resolver.expr(url_node) if url_node is not None else None
    unknown_options = unknown(bag, KNOWN_CLIENT | KNOWN_CONNECT)
    if ctor is not None:
        unknown_options = unknown(resolver.kwargs(ctor), KNOWN_CLIENT | KNOWN_CONNECT) + unknown_options
    fact = SocketIOClient(
        source=source, span=resolver.span(connect), lang=lang, library="python-socketio", url=url,
        options=bag, unknown_options=unknown_options,
        # python-socketio takes the auth payload only as this call's argument
        sends_auth=True if "auth" in bag else (None if bag.spread else False),
        protocol_packages=socketio_versions.PY_CLIENT_PACKAGES,
    )
    fact.sends.extend(_keyed(resolver, connect, bag, "auth", "auth", dynamic=True))
    fact.sends.extend(_keyed(resolver, connect, bag, "headers", "header"))
    fact.sends.extend(_keyed(resolver, connect, bag, "query", "query"))  # not read by python-socketio: SIO004's
    found = url_credential(resolver, url_node)
    if found is not None:
        fact.sends.append(found[0])
        fact.bare_url = found[1]
        if found[1] is None and url_node is not None:
            fact.bare_url_expr = _bare_name(resolver, url_node, found[0])
    return fact


def _bare_name(resolver: Resolver, node: ast.expr, credential: HandshakeCredential) -> Expr | None:
    """``URL`` of ``f"{URL}?token={token}"``: an f-string that is one name (or dotted name), then the
    credential as its only parameter. What a fix leaves of the URL, as code."""
    target = resolver.follow(node)
    if not isinstance(target, ast.JoinedStr) or target is not node or len(target.values) < 2:
        return None
    first = target.values[0]
    if not isinstance(first, ast.FormattedValue) or first.conversion != -1 or first.format_spec is not None:
        return None
    name = dotted(first.value)
    if name is None:
        return None
    span = resolver.span(target)
    text = resolver.source.slice(span)
    prefix = STRING_PREFIX.match(text).group(0)  # type: ignore[union-attr]
    body = text[len(prefix) + 1 : -1]
    if body.startswith(quote := text[len(prefix)]) or quote not in ("'", '"'):
        return None
    head = "{" + resolver.source.slice(resolver.span(first.value)) + "}"
    if not body.startswith(head + "?") or span.start + len(prefix) + 1 + len(head) + 1 != credential.span.start:
        return None
    if credential.span.end != span.end - 1:
        return None
    at = resolver.span(first.value)
    return Expr(span=at, text=resolver.source.slice(at))


def _keyed(resolver: Resolver, call: ast.Call, bag: OptionBag, option: str, channel: str,
           dynamic: bool = False) -> list[HandshakeCredential]:
    """One credential per key of a dict option (header names lower-cased); with ``dynamic``, a
    payload built elsewhere (a callable, a variable) is one credential with no key."""
    found = bag.get(option)
    if found is None:
        return []
    keyed = resolver.dict_bag(keyword(call, option))  # type: ignore[arg-type]
    if keyed is None or keyed.spread:
        return [HandshakeCredential(span=found.value.span, channel=channel, key=None)] if dynamic else []
    return [
        HandshakeCredential(span=entry.span, channel=channel, key=name.lower() if channel == "header" else name,
                            value=entry.value)
        for name, entry in keyed.items.items()
    ]


def url_credential(resolver: Resolver, node: ast.expr | None) -> tuple[HandshakeCredential, str | None] | None:
    """A token-like query parameter written into a URL literal or f-string, and the URL without it
    when it is the only parameter and the rest is plain text."""
    if node is None:
        return None
    target = resolver.follow(node)
    literal = isinstance(target, ast.Constant) and isinstance(target.value, (str, bytes))
    if not (literal or isinstance(target, ast.JoinedStr)):  # a string, bytes or f-string literal
        return None
    span = resolver.span(target)
    text = resolver.source.slice(span)
    match = TOKEN_PARAM.search(text)
    if not match:
        return None
    end = match.end()
    while end < len(text) and text[end] not in "&\"'#":
        if text[end] == "{":
            close = text.find("}", end)
            end = close + 1 if close != -1 else len(text)
            continue
        end += 1
    start = span.start + match.start() + 1
    name = text[match.start() + 1 : match.end() - 1]
    credential = HandshakeCredential(span=Span(start, span.start + end), channel="url", key=name,
                                     value=query_value(text, match.end(), end, span.start,
                                                       "{" if isinstance(target, ast.JoinedStr) else None, "{}\\%"))
    return credential, _bare(text, match.start(), end)


def _bare(text: str, question: int, end: int) -> str | None:
    """The URL without ``?name=value`` when that is its only parameter and nothing else is computed."""
    prefix = STRING_PREFIX.match(text).group(0)  # type: ignore[union-attr]
    body = text[len(prefix):]
    quote = body[:1]
    if text[question] != "?" or quote not in ("'", '"') or body.startswith(quote * 3) or end != len(text) - 1:
        return None
    rest = text[len(prefix) + 1 : question]
    if "b" in prefix.lower() or "\\" in rest or ("f" in prefix.lower() and ("{" in rest or "}" in rest)):
        return None
    return rest


def event_name(call: ast.Call) -> str | None:
    """``sio.on("connect")`` -> "connect"."""
    node = positional(call, 0, "event")
    return string_value(node) if node is not None else None
