"""socket.io servers (options, CORS, connect middleware and handlers) and socket.io-client clients."""

from __future__ import annotations

import re
from typing import Any

from authlint.facts.javascript.model import JsModel, ModuleRef
from authlint.facts.knowledge import socketio_options as sio_options
from authlint.facts.knowledge import socketio_versions, token_names
from authlint.facts.knowledge.socketio_options import JS_CLIENT, JS_DURATIONS, JS_PING, JS_SERVER
from authlint.facts.model import (
    UNKNOWN,
    ConnectHandler,
    CorsPolicy,
    Expr,
    HandshakeCredential,
    OptionBag,
    SocketIOClient,
    SocketIOServer,
)
from authlint.facts.origins import settle
from authlint.facts.query_values import query_value
from authlint.files.source import Span

SERVER_MODULES = frozenset({"socket.io"})
CLIENT_MODULES = frozenset({"socket.io-client", "socket.io-client/dist/socket.io", "socket.io-client/dist/socket.io.js"})
SERVER_FACTORIES = frozenset({"*", "default", "Server", "listen"})
CLIENT_FACTORIES = frozenset({"*", "default", "io", "connect", "lookup", "Manager", "io.connect", "default.connect"})

# Option names: one list for the extractor and SIO004 (socket.io 4 / engine.io 6, socket.io-client).
SERVER_OPTIONS = JS_SERVER
CLIENT_OPTIONS = JS_CLIENT
# Removed in socket.io v3: silently ignored by v3+ servers.
V2_LEFTOVERS = frozenset({"origins", "handlePreflightRequest"})
TOKEN_PARAM_RE = token_names.URL_TOKEN_PARAM_SUFFIXED
CHANNELS = {"auth": "auth", "headers": "header", "query": "query", "_query": "query"}


def is_server_factory(ref: ModuleRef | None) -> bool:
    return ref is not None and ref.module in SERVER_MODULES and ref.export in SERVER_FACTORIES


def is_client_factory(ref: ModuleRef | None) -> bool:
    return ref is not None and ref.module in CLIENT_MODULES and ref.export in CLIENT_FACTORIES


def server_fact(model: JsModel, call: Any) -> tuple[SocketIOServer, CorsPolicy | None]:
    """``new Server(http, opts)``, ``new Server(opts)``, ``require("socket.io")(srv, opts)``."""
    args = model.args(call)
    options_node = None
    after = None
    if args:
        first = model.resolve(args[0])
        if len(args) == 1 and first is not None and first.type == "object":
            options_node = args[0]
        elif len(args) >= 2:
            options_node = args[1]
        else:
            after = args[-1]
    paren = call.child_by_field_name("arguments")
    open_paren = paren.start_byte + 1 if paren is not None and paren.type == "arguments" else None
    if options_node is None and after is None and open_paren is None:
        bag = OptionBag(insert_at=model.char(call.end_byte), insert_prefix="({ ", insert_suffix=" })", form="object")
    else:
        bag = model.option_bag(options_node, after=after, open_paren=open_paren)
    server = SocketIOServer(model.source, model.span(call), model.lang, library="socket.io", options=bag)
    # with a spread only the v2 leftovers are surely unknown: the rest may be set by it
    server.unknown_options = sio_options.unknown_options(
        bag, SERVER_OPTIONS, JS_DURATIONS, sio_options.REMOVED_FROM_SOCKETIO_SERVER,
        only=V2_LEFTOVERS if bag.spread else None,
    )
    server.ping_timeout = sio_options.timed(bag, JS_PING["timeout"])  # engine.io reads milliseconds
    server.ping_interval = sio_options.timed(bag, JS_PING["interval"])
    cors = _server_cors(model, server)
    server.cors = cors
    server.protocol_packages = socketio_versions.JS_SERVER_PACKAGES
    server.any_origin_before = socketio_versions.JS_ANY_ORIGIN_BEFORE
    server.origin_setting_since = socketio_versions.JS_CORS_OPTION_SINCE
    older = bag.get(socketio_versions.ALLOW_OLDER_PROTOCOL)
    server.older_protocol_allowed = older is not None and older.value.value is True
    legacy = bag.get(socketio_versions.JS_V2_ORIGIN_SETTING)
    server.legacy_origins = legacy.value if legacy is not None else None
    return server, cors


def _server_cors(model: JsModel, server: SocketIOServer) -> CorsPolicy | None:
    option = server.options.get("cors")
    if option is None:
        return None
    bag = model.option_bag(model.node_at(option.value.span))
    origin = bag.get("origin")
    credentials = bag.get("credentials")
    return settle(CorsPolicy(
        model.source,
        option.span,
        model.lang,
        framework="socket.io",
        origins=origin.value if origin else None,
        credentials=credentials.value if credentials else None,
        options=bag,
        socketio_server=True,
    ))


def client_fact(model: JsModel, call: Any) -> SocketIOClient:
    """``io(url, opts)``, ``io(opts)``, ``io.connect(url)``, ``new Manager(url, opts)``."""
    args = model.args(call)
    url_node = None
    options_node = None
    if args:
        first = model.resolve(args[0])
        if first is not None and first.type == "object":
            options_node = args[0]
        else:
            url_node = args[0]
            options_node = args[1] if len(args) > 1 else None
    paren = call.child_by_field_name("arguments")
    open_paren = paren.start_byte + 1 if paren is not None and paren.type == "arguments" else None
    bag = model.option_bag(options_node, after=url_node, open_paren=None if url_node is not None else open_paren)
    client = SocketIOClient(model.source, model.span(call), model.lang, library="socket.io-client", options=bag,
                            protocol_packages=socketio_versions.JS_CLIENT_PACKAGES)
    if url_node is not None:
        client.url = model.expr(url_node)
        found = url_credential(model, url_node)
        if found is not None:
            client.sends.append(found[0])
            client.bare_url = found[1]
            if found[1] is None:
                client.bare_url_expr = bare_name(model, url_node, found[0])
    auth = bag.get("auth")
    # absent from the options, the payload may still be set later (``socket.auth = {...}``)
    client.sends_auth = True if auth is not None else None
    if auth is not None:
        keys = _auth_keys(model, auth)
        if keys is None:
            client.sends.append(HandshakeCredential(span=auth.value.span, channel="auth", key=None))
        else:
            client.sends.extend(HandshakeCredential(span=span, channel="auth", key=key) for key, span in keys)
    for option, channel in (("extraHeaders", "header"), ("query", "query")):
        client.sends.extend(_keyed(model, bag, option, channel))
    if not bag.spread:
        client.unknown_options = sio_options.unknown_options(bag, CLIENT_OPTIONS, JS_DURATIONS)
    return client


def _auth_keys(model: JsModel, auth: Any) -> list[tuple[str, Span]] | None:
    """The keys of the auth payload (an object, or the object a callback hands on), or None."""
    if isinstance(auth.value.value, dict):
        entries = auth.value.entries
        return [(key, entries.items[key].span if entries is not None and key in entries.items else auth.value.span)
                for key in auth.value.value]
    node = model.resolve(model.node_at(auth.value.span))
    if node is not None and node.type == "object":
        return [(key, option.span) for key, option in model.object_bag(node).items.items()]
    if node is not None and node.type in ("arrow_function", "function_expression"):
        keys = _callback_keys(model, node)
        return None if keys is None else [(key, auth.value.span) for key in keys]
    return None


def _keyed(model: JsModel, bag: OptionBag, name: str, channel: str) -> list[HandshakeCredential]:
    """One credential per key of an object option (header names lower-cased)."""
    option = bag.get(name)
    if option is None:
        return []
    expr = option.value
    if isinstance(expr.value, dict):
        keys = [k for k in expr.value if isinstance(k, str)]
    elif expr.entries is not None:
        keys = list(expr.entries.items)
    else:
        return []
    entries = expr.entries.items if expr.entries is not None else {}
    return [
        HandshakeCredential(span=entries[key].span if key in entries else expr.span, channel=channel,
                            key=key.lower() if channel == "header" else key,
                            value=entries[key].value if key in entries else None)
        for key in keys
    ]


def _callback_keys(model: JsModel, fn: Any) -> list[str] | None:
    """``auth: (cb) => cb({ token })``: the keys of the object handed to the callback, when literal."""
    params = model.params(fn)
    callback = params[0] if params else None
    if callback is None:
        return None
    stack = [fn.child_by_field_name("body")]
    while stack:
        node = stack.pop()
        if node is None:
            continue
        if node.type == "call_expression":
            callee = node.child_by_field_name("function")
            args = model.args(node)
            if callee is not None and callee.type == "identifier" and model.text(callee) == callback and args:
                payload = model.resolve(args[0])
                if payload is not None and payload.type == "object":
                    bag = model.object_bag(payload)
                    return None if bag.spread else list(bag.items)
                return None
        stack.extend(node.named_children)
    return None


BARE_NAME_RE = re.compile(r"^`\$\{(\s*)([A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)*)\s*\}\?")


def bare_name(model: JsModel, node: Any, credential: HandshakeCredential) -> Expr | None:
    """``URL`` of `` `${URL}?token=${token}` ``: a template that is one name, then the credential as
    its only parameter. What a fix leaves of the URL, as code."""
    target = model.resolve(node)
    if target is None or target.type != "template_string" or target != model.unwrap(node):
        return None
    text = model.text(target)
    found = BARE_NAME_RE.match(text)
    base = model.char(target.start_byte)
    if found is None or base + found.end() != credential.span.start or credential.span.end != base + len(text) - 1:
        return None
    at = base + 2 + len(found.group(1))
    return Expr(span=Span(at, at + len(found.group(2))), text=found.group(2))


def url_credential(model: JsModel, node: Any) -> tuple[HandshakeCredential, str | None] | None:
    """The ``token=...`` query parameter inside a URL literal, template or concatenation, and the
    URL without it when it is the only parameter of a literal whose rest is plain text."""
    target = model.resolve(node)
    if target is None:
        return None
    if target.type == "binary_expression":
        for part in (target.child_by_field_name("left"), target.child_by_field_name("right")):
            found = url_credential(model, part) if part is not None else None
            if found is not None:
                return found[0], None  # the URL is computed: nothing to leave behind
        return None
    if target.type not in ("string", "template_string"):
        return None
    text = model.text(target)
    match = TOKEN_PARAM_RE.search(text)
    if match is None:
        return None
    start = match.start() + 1
    end = len(text) - 1  # up to the closing quote, the next parameter, or the fragment
    depth = 0
    for index in range(match.end(), len(text) - 1):
        ch = text[index]
        if text.startswith("${", index):
            depth += 1
        elif ch == "}" and depth:
            depth -= 1
        elif depth == 0 and ch in "&#":
            end = index
            break
    base = model.char(target.start_byte)
    value = query_value(text, match.end(), end, base, "${" if target.type == "template_string" else None, "${}\\%")
    credential = HandshakeCredential(span=Span(base + start, base + end), channel="url", key=match.group(1), value=value)
    rest = text[1 : match.start()]
    sole = text[match.start()] == "?" and end == len(text) - 1 and text[:1] in ("'", '"', "`")
    plain = "\\" not in rest and "${" not in rest
    return credential, rest if sole and plain else None


def handler_fact(model: JsModel, event_call: Any, fn_node: Any | None, kind: str) -> ConnectHandler:
    """What an ``io.use`` middleware or ``connection`` handler reads and whether it refuses."""
    if fn_node is None:
        args = model.args(event_call)
        span = model.span(args[-1]) if args else model.span(event_call)
        from authlint.facts.javascript.modules import imported_function

        return ConnectHandler(span=span, reads=[], refuses=False, takes_auth=True, opaque=True,
                              imported=imported_function(model, args[-1]) if args else None)
    params = model.params(fn_node)
    socket_name = params[0] if params else None
    next_name = params[1] if kind == "use" and len(params) > 1 else None
    scan = _HandlerScan(model, socket_name, next_name)
    body = fn_node.child_by_field_name("body")
    if body is not None:
        scan.walk(body)
    span = model.span(fn_node)
    return ConnectHandler(span=span, reads=scan.reads, refuses=scan.refuses, takes_auth=socket_name is not None,
                          head=_first_line(model, span))


def _first_line(model: JsModel, span: Span) -> Span:
    """A handler's first line: where findings about it point."""
    end = model.source.text.find("\n", span.start)
    return Span(span.start, span.end if end == -1 or end > span.end else end)


class _HandlerScan:
    """Walks one handler body for ``socket.handshake.auth/headers/query`` reads and refusals."""

    def __init__(self, model: JsModel, socket_name: str | None, next_name: str | None) -> None:
        self.model = model
        self.next_name = next_name
        self.roots: dict[str, tuple[str, ...]] = {}  # alias -> path from the socket
        if socket_name:
            self.roots[socket_name] = ()
        self.reads: list[HandshakeCredential] = []
        self.refuses = False
        self._seen: set[tuple[int, int]] = set()

    def walk(self, body: Any) -> None:
        stack = [body]
        while stack:
            node = stack.pop()
            kind = node.type
            if kind == "variable_declarator":
                self._alias(node)
            elif kind in ("member_expression", "subscript_expression"):
                if not self._is_inner(node):
                    self._chain(node)
            elif kind == "call_expression":
                self._refusal(node)
            elif kind == "identifier" and self.model.text(node) in self.roots and self.roots[self.model.text(node)]:
                self._bare_alias(node)
            stack.extend(reversed(node.named_children))

    @staticmethod
    def _is_inner(node: Any) -> bool:
        parent = node.parent
        return (
            parent is not None
            and parent.type in ("member_expression", "subscript_expression")
            and parent.child_by_field_name("object") == node
        )

    def _path(self, node: Any) -> tuple[str | None, ...] | None:
        """The property path of a member chain from a known root (``socket`` or an alias)."""
        model = self.model
        parts: list[str | None] = []
        current = model.unwrap(node)
        while current is not None and current.type in ("member_expression", "subscript_expression"):
            if current.type == "member_expression":
                prop = current.child_by_field_name("property")
                parts.append(model.text(prop) if prop is not None else None)
            else:
                index = current.child_by_field_name("index")
                value = model.value(index) if index is not None else UNKNOWN
                parts.append(value if isinstance(value, str) else None)
            current = model.unwrap(current.child_by_field_name("object"))
        if current is None or current.type != "identifier":
            return None
        root = self.roots.get(model.text(current))
        if root is None:
            return None
        return tuple(root) + tuple(reversed(parts))

    def _channel(self, path: tuple[str | None, ...]) -> tuple[str, str | None, bool] | None:
        """(channel, key, complete) for a path such as ``handshake.auth.token``."""
        if len(path) >= 2 and path[0] == "handshake" and path[1] in CHANNELS:
            channel, rest = CHANNELS[path[1]], path[2:]
        elif len(path) >= 2 and path[0] == "request" and path[1] == "headers":
            channel, rest = "header", path[2:]
        elif len(path) >= 3 and path[0] == "request" and path[1] == "_query":
            channel, rest = "query", path[2:]
        elif len(path) >= 2 and path[0] == "request" and path[1] in ("session", "user"):
            return "cookie", None, True  # express-session / passport, shared through io.engine.use()
        else:
            return None
        key = rest[0] if rest else None
        if channel == "header" and key is not None:
            key = key.lower()
            if key == "cookie":
                return "cookie", None, True
        return channel, key, bool(rest)

    def _add(self, node: Any, channel: str, key: str | None) -> None:
        span = self.model.span(node)
        if (span.start, span.end) in self._seen:
            return
        self._seen.add((span.start, span.end))
        self.reads.append(HandshakeCredential(span=span, channel=channel, key=key))

    def _chain(self, node: Any) -> None:
        path = self._path(node)
        if path is None:
            return
        found = self._channel(path)
        if found is None:
            return
        channel, key, complete = found
        parent = node.parent
        if not complete and parent is not None and parent.type == "variable_declarator":
            return  # `const auth = socket.handshake.auth`: an alias, its uses are the reads
        self._add(self._key_node(node, path), channel, key)

    def _key_node(self, node: Any, path: tuple[str | None, ...]) -> Any:
        """The sub-chain that ends at the key (``socket.handshake.auth.token`` of ``...token.split``)."""
        found = self._channel(path)
        wanted = len(path)
        if found is not None:  # every channel sits two levels down: handshake.auth, request.headers
            wanted = min(len(path), 2 + (1 if found[2] else 0))
        current = node
        excess = len(path) - wanted
        while excess > 0 and current is not None:
            current = current.child_by_field_name("object")
            excess -= 1
        return current if current is not None else node

    def _alias(self, node: Any) -> None:
        """``const auth = socket.handshake.auth`` / ``const { token } = socket.handshake.auth``."""
        name = node.child_by_field_name("name")
        value = self.model.unwrap(node.child_by_field_name("value"))
        if name is None or value is None:
            return
        if value.type == "identifier" and self.model.text(value) in self.roots:
            path: tuple[str | None, ...] | None = self.roots[self.model.text(value)]
        elif value.type in ("member_expression", "subscript_expression"):
            path = self._path(value)
        else:
            return
        if path is None or any(part is None for part in path):
            return
        if name.type == "identifier":
            found = self._channel(path)
            if found is None or not found[2]:  # an alias of the socket, handshake or a whole channel
                self.roots[self.model.text(name)] = tuple(p for p in path if p is not None)
            return
        if name.type != "object_pattern":
            return
        for child in name.named_children:
            if child.type == "shorthand_property_identifier_pattern":
                prop, local = self.model.text(child), self.model.text(child)
            elif child.type == "pair_pattern":
                key = child.child_by_field_name("key")
                target = child.child_by_field_name("value")
                prop = self.model.property_name(key)
                local = self.model.text(target) if target is not None and target.type == "identifier" else None
                if prop is None:
                    continue
            else:
                continue
            sub = tuple(p for p in path if p is not None) + (prop,)
            found = self._channel(sub)
            if found is not None and found[2]:
                self._add(child, found[0], found[1])
            elif local:
                self.roots[local] = sub

    def _bare_alias(self, node: Any) -> None:
        """An alias of a whole channel passed on (``verify(auth)``): a read with no key."""
        parent = node.parent
        if parent is not None and parent.type in ("member_expression", "subscript_expression", "variable_declarator"):
            return
        found = self._channel(self.roots[self.model.text(node)])
        if found is not None and not found[2]:
            self._add(node, found[0], found[1])

    def _refusal(self, call: Any) -> None:
        fn = self.model.unwrap(call.child_by_field_name("function"))
        if fn is None:
            return
        if fn.type == "identifier" and self.next_name and self.model.text(fn) == self.next_name:
            if self.model.args(call):
                self.refuses = True
        elif fn.type == "member_expression":
            prop = fn.child_by_field_name("property")
            obj = self.model.unwrap(fn.child_by_field_name("object"))
            if (
                prop is not None
                and self.model.text(prop) == "disconnect"
                and obj is not None
                and obj.type == "identifier"
                and self.roots.get(self.model.text(obj)) == ()
            ):
                self.refuses = True


def gateway_handlers(model: JsModel, decorator_call: Any) -> list[ConnectHandler]:
    """NestJS ``@WebSocketGateway(...) class G { handleConnection(client) {...} }``."""
    decorator = decorator_call.parent
    if decorator is None or decorator.type != "decorator" or decorator.parent is None:
        return []
    holder = decorator.parent
    cls = holder.child_by_field_name("declaration") if holder.type == "export_statement" else holder
    body = cls.child_by_field_name("body") if cls is not None and cls.type in ("class_declaration", "class") else None
    if body is None:
        return []
    handlers = []
    for member in body.named_children:
        name = member.child_by_field_name("name") if member.type == "method_definition" else None
        if name is not None and model.text(name) == "handleConnection":
            handlers.append(handler_fact(model, decorator_call, member, "connection"))
    return handlers


def server_key(model: JsModel, receiver: Any) -> str | None:
    """The binding a handler registration hangs off: ``io`` of ``io.of("/x").use`` / ``io.sockets.on``."""
    current = model.unwrap(receiver)
    for _ in range(4):
        if current is None:
            return None
        key = model.key_of(current)
        if key is not None and key in model.objects:
            return key
        if current.type == "call_expression":
            fn = model.unwrap(current.child_by_field_name("function"))
            prop = fn.child_by_field_name("property") if fn is not None and fn.type == "member_expression" else None
            if prop is None or model.text(prop) not in ("of", "in", "to"):
                return None
            current = fn.child_by_field_name("object")
        elif current.type == "member_expression":
            prop = current.child_by_field_name("property")
            if prop is None or model.text(prop) != "sockets":  # io.engine.use takes HTTP middleware
                return None
            current = current.child_by_field_name("object")
        else:
            return None
    return None
