"""python-socketio / Flask-SocketIO servers and clients.

Known keyword arguments are the real signatures of python-socketio 5 / python-engineio 4 (verified
with ``inspect.signature``) and Flask-SocketIO's own options; anything else is an unknown option,
which python-engineio silently ignores (``**kwargs`` "reserved for future extensions").
"""

from __future__ import annotations

import ast

from authlint.facts.knowledge import socketio_options as sio_options
from authlint.facts.knowledge import token_names
from authlint.facts.model import Option, OptionBag, SocketIOClient, SocketIOServer
from authlint.facts.python.resolve import Resolver, keyword, positional, string_value
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

TOKEN_PARAM = token_names.URL_TOKEN_PARAM_EXACT


def unknown(bag: OptionBag, known: frozenset[str]) -> list[Option]:
    return [option for name, option in bag.items.items() if name not in known]


def server(resolver: Resolver, call: ast.Call, qual: str, source, lang: str) -> SocketIOServer:
    library = SERVER_CLASSES[qual]
    bag = resolver.kwargs(call)
    known = sio_options.known_names("python", "server", library)
    return SocketIOServer(
        source=source, span=resolver.span(call), lang=lang, library=library, options=bag,
        unknown_options=unknown(bag, known),
    )


def init_app(resolver: Resolver, fact: SocketIOServer, call: ast.Call) -> None:
    """Flask-SocketIO ``socketio.init_app(app, **options)``: later options win."""
    bag = resolver.kwargs(call)
    if not bag.items and fact.options.items:
        return
    merged = OptionBag(items={**fact.options.items, **bag.items}, span=bag.span, insert_at=bag.insert_at,
                       insert_prefix=bag.insert_prefix, spread=bag.spread or fact.options.spread, form=bag.form)
    fact.options = merged
    fact.unknown_options = unknown(merged, sio_options.known_names("python", "server", fact.library))


def client(
    resolver: Resolver, connect: ast.Call, ctor: ast.Call | None, source, lang: str
) -> SocketIOClient:
    """A client from its ``connect(url, ...)`` call (and its constructor, when seen)."""
    bag = resolver.kwargs(connect)
    url_node = positional(connect, 0, "url")
    url = resolver.expr(url_node) if url_node is not None else None
    auth_keys = None
    auth = bag.get("auth")
    if auth is not None:
        auth_bag = resolver.dict_bag(keyword(connect, "auth"))  # type: ignore[arg-type]
        if auth_bag is not None and not auth_bag.spread:
            auth_keys = list(auth_bag.items)
    unknown_options = unknown(bag, KNOWN_CONNECT)
    if ctor is not None:
        unknown_options = unknown(resolver.kwargs(ctor), KNOWN_CLIENT) + unknown_options
    return SocketIOClient(
        source=source, span=resolver.span(connect), lang=lang, library="python-socketio", url=url,
        options=bag, auth_keys=auth_keys, url_token=url_token(resolver, url_node),
        unknown_options=unknown_options,
    )


def url_token(resolver: Resolver, node: ast.expr | None):
    """The span of a token-like query parameter written into a URL literal or f-string."""
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
    return Span(span.start + match.start() + 1, span.start + end)



def event_name(call: ast.Call) -> str | None:
    """``sio.on("connect")`` -> "connect"."""
    node = positional(call, 0, "event")
    return string_value(node) if node is not None else None
