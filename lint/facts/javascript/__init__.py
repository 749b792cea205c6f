"""Facts from JavaScript / TypeScript / JSX / TSX files (tree-sitter).

One tree-sitter query walks the tree in C and hands back only the nodes that can matter (imports,
declarations, calls, ``new``, assignments, functions, class fields, enums); they are visited innermost
first in source order, so ``const io = new Server(...)`` binds ``io`` to the server fact made by
its ``new`` before ``io.use(...)`` further down is seen. Function declarations are bound first
(JavaScript hoists them: ``io.use(auth)`` often precedes ``function auth(socket, next)``).

Conventions rules rely on (beyond the field comments in ``authlint.facts.model``):

- option values stay as written (engine.io milliseconds); ``SocketIOServer.ping_timeout`` /
  ``ping_interval`` carry the seconds they mean; ``JwtMint.lifetime`` is seconds, from
  ``expiresIn`` (numbers are seconds, strings use the ``ms`` grammar), an ``exp`` claim or jose's
  ``setExpirationTime``;
- ``Expr.ref``: ``env:X`` (``process.env.X``, ``import.meta.env.X``, also ``process.env.X || "dev"``),
  ``name:x`` (unresolved), ``call:f``, ``function`` (a callback, e.g. ``origin: (o, cb) => ...``),
  ``request:origin`` (an ACAO header echoing ``req.headers.origin``); ``Expr.origin`` is set whenever
  the value was followed through a constant, so a fix knows the literal is shared;
- ``Expr.items`` / ``Expr.entries`` carry array elements and object properties (regex flags, spans,
  keys of objects whose values are not literals);
- a missing options object is inserted as ``insert_prefix + "name: value" + insert_suffix`` with
  ``", { "`` / ``" }"``; inside an object the prefix follows its layout (``", "``, or newline plus the
  last property's indentation, keeping a trailing comma);
- a ``url`` credential in ``SocketIOClient.sends`` spans ``name=value`` inside the URL literal (``token=${t}``);
- ``ConnectHandler.opaque`` marks middleware defined elsewhere (``io.use(authorize({...}))``);
- ``CorsPolicy.framework``: ``socket.io`` (the server's ``cors`` option, also ``SocketIOServer.cors``),
  ``express-cors`` (also NestJS ``enableCors``), ``fastify-cors``, ``koa-cors``, ``header``; what each
  means for origins and credentials is in ``CorsPolicy.allowed`` / ``allows_credentials``, filled by
  ``facts/origins.py`` from ``knowledge/cors_origins.py`` (rules read those, never the name);
- ``CookieSet.framework``: ``express``, ``fastify``, ``next``, and script-set ``document.cookie`` /
  ``js-cookie`` (never HttpOnly);
- JWT ``library``: ``jsonwebtoken``, ``jose``, ``@nestjs/jwt`` (``JwtModule.register``: how every
  ``JwtService.sign`` mints), ``passport-jwt`` and ``express-jwt`` (verifiers configured by options).
"""

from __future__ import annotations

import re
from functools import cache
from typing import TYPE_CHECKING, Any, Iterable

from authlint.facts.javascript import bindings, cookies, cors, jwt, jwt_peeks, modules, nats, socketio, storage
from authlint.facts.javascript.model import JsModel
from authlint.facts.model import Fact, SocketIOServer, StorageWrite

if TYPE_CHECKING:
    from authlint.run.context import FileContext

# Member calls worth a look, by method name (everything else is skipped inside the C query).
METHODS = (
    "use on once prependListener setItem cookie header setHeader set append writeHead enableCors sign verify "
    "decode connect wsconnect listen Server Manager io lookup register registerAsync setCookie"
).split()
# One query, few patterns: the cursor's walk over the tree is most of its cost, and every extra
# pattern adds to it (measured: 7 separate patterns took 1.5x the time of these 3).
QUERY = (
    """
[(import_statement) (variable_declarator) (function_declaration) (new_expression) %s] @node
(call_expression function: [(identifier) (super) (call_expression) (member_expression property: (property_identifier) @_method (#any-of? @_method """
    + " ".join(f'"{name}"' for name in METHODS)
    + """))]) @call
(assignment_expression left: [(member_expression) (subscript_expression) (identifier)]) @assign
"""
)
# Grammar-specific declarations: class fields (and TypeScript enums) hold key constants.
DIALECT_NODES = {
    "javascript": ("field_definition",),
    "typescript": ("public_field_definition", "enum_declaration"),
    "tsx": ("public_field_definition", "enum_declaration"),
}
KINDS = {"import_statement": "import", "function_declaration": "function", "variable_declarator": "decl",
         "new_expression": "new", "field_definition": "field", "public_field_definition": "field",
         "enum_declaration": "enum"}
BINDING_VALUES = frozenset({"new_expression", "call_expression", "await_expression"})
# Cheap text probe: a file without any of these cannot hold a fact (nats.js, socket.io-client's
# Manager, jsonwebtoken... all need an import naming their package).
PROBES = re.compile(
    rb"socket|Socket|\bio\(|\bio\.connect|cors|Cors|(?i:access-control-allow)|jsonwebtoken|jwt|JWT|jose|Storage|cookie|Cookie|nats"
)


@cache
def _query(dialect: str) -> Any:
    import tree_sitter

    from authlint.syntax.javascript import language

    return tree_sitter.Query(language(dialect), QUERY % " ".join(f"({name})" for name in DIALECT_NODES[dialect]))


def extract(ctx: FileContext) -> Iterable[Fact]:
    from authlint.syntax.javascript import dialect_for

    tree = ctx.tree
    if tree is None:
        return []
    dialect = dialect_for(ctx.source)
    model = JsModel(ctx.source, tree, "javascript" if dialect == "javascript" else "typescript")
    facts: list[Fact] = list(jwt.jwt_literals(model))
    if PROBES.search(model.data) is None:
        return _with_offered(model, facts)
    import tree_sitter

    captures = tree_sitter.QueryCursor(_query(dialect)).captures(tree.root_node)
    visitor = _Visitor(model, facts)
    ordered: list[tuple[int, int, str, Any]] = []
    for node in captures.get("node", ()):
        kind = KINDS[node.type]
        if kind == "import":
            bindings.bind_import(model, node)
        elif kind == "function":
            bindings.bind_function(model, node)  # hoisted: known before any use
        elif kind == "enum":
            bindings.bind_enum(model, node)
        else:
            ordered.append((node.end_byte, -node.start_byte, kind, node))
    ordered.extend((node.end_byte, -node.start_byte, "call", node) for node in captures.get("call", ()))
    data = model.data
    for node in captures.get("assign", ()):
        if _worth_visiting(node, data):
            ordered.append((node.end_byte, -node.start_byte, "assign", node))
    ordered.sort(key=lambda item: (item[0], item[1]))
    for _, _, name, node in ordered:
        visitor.visit(name, node)
    cors.written_headers(model, visitor.header_policies)  # header objects and setters the hook missed
    facts.extend(visitor.header_policies.policies())
    jwt_peeks.mark(model, facts)  # needs every JWT fact of the file
    return _with_offered(model, facts)


def _with_offered(model: JsModel, facts: list[Fact]) -> list[Fact]:
    """(travel) The facts, and what the module offers other modules (after the walk: imports bound)."""
    offered = modules.module_values(model)
    if offered is not None:
        facts.append(offered)
    return facts


class _Visitor:
    """Turns the captured nodes into facts, in innermost-first source order."""

    def __init__(self, model: JsModel, facts: list[Fact]) -> None:
        self.model = model
        self.facts = facts
        self.made: dict[tuple[int, int], Fact] = {}  # node (start, end) -> the fact it created
        self.header_policies = cors.HeaderPolicies(model)

    def visit(self, kind: str, node: Any) -> None:
        if kind == "call":
            self.call(node)
        elif kind == "new":
            self.new(node)
        elif kind == "decl":
            value = node.child_by_field_name("value")
            bindings.bind_declarator(self.model, node, self._made_by(value))
        elif kind == "assign":
            self.assign(node)
        elif kind == "field":
            bindings.bind_field(self.model, node)

    def _made_by(self, node: Any) -> Fact | None:
        node = self.model.unwrap(node)
        while node is not None and node.type == "await_expression" and node.named_children:
            node = self.model.unwrap(node.named_children[0])
        return self.made.get((node.start_byte, node.end_byte)) if node is not None else None

    def _add(self, node: Any, fact: Fact) -> None:
        self.facts.append(fact)
        self.made[(node.start_byte, node.end_byte)] = fact

    # -- calls ----------------------------------------------------------------------------------
    def call(self, call: Any) -> None:
        model = self.model
        fn = model.unwrap(call.child_by_field_name("function"))
        if fn is None:
            return
        ref = model.module_of(fn)
        if ref is not None:
            self._module_call(call, ref)
            return
        if fn.type == "super":
            fact = jwt.nest_strategy_super(model, call) if b"passport-jwt" in model.data else None
            if fact is not None:
                self._add(call, fact)
            return
        if fn.type == "identifier":
            if model.text(fn) == "io" and _looks_like_client_call(model, call):
                self._add(call, socketio.client_fact(model, call))  # the CDN build's global `io`
            return
        if fn.type != "member_expression":
            return
        prop = fn.child_by_field_name("property")
        receiver = fn.child_by_field_name("object")
        if prop is None or receiver is None:
            return
        method = model.text(prop)
        if method in ("use", "on", "once", "prependListener"):
            self._server_hook(call, receiver, method)
        elif method == "setItem":
            self._storage_call(call, receiver)
        elif method == "cookie":
            self._cookie(call, receiver)
        elif method == "setCookie":  # fastify (@fastify/cookie): express's signature and defaults
            fact = cookies.express_cookie(model, call, framework="fastify")
            if fact is not None:
                self._add(call, fact)
        elif method == "set" and cookies.is_next_cookies(model, receiver):
            fact = cookies.express_cookie(model, call, framework="next")
            if fact is not None:
                self._add(call, fact)
        elif method in cors.HEADER_METHODS:
            self._headers(call, method)
        elif method == "enableCors":
            self._add(call, cors.cors_middleware(model, call))
        elif method == "sign" and getattr(model.unwrap(receiver), "type", "") in ("call_expression", "new_expression"):
            fact = jwt.jose_sign(model, call)
            if fact is not None:
                self._add(call, fact)
        elif method == "register":
            self._fastify_cors(call)
        elif method in ("sign", "verify", "decode") and _unbound_jwt(model, receiver):
            fact = jwt.jwt_call(model, call, method)
            if fact is not None:
                self._add(call, fact)
        elif method == "connect" and model.text(receiver) == "io":
            if _looks_like_client_call(model, call):
                self._add(call, socketio.client_fact(model, call))

    def _module_call(self, call: Any, ref: Any) -> None:
        model = self.model
        if socketio.is_server_factory(ref):
            self._server(call)
        elif ref.module == "@nestjs/websockets" and ref.export == "WebSocketGateway":
            server = self._server(call)
            server.handlers.extend(socketio.gateway_handlers(model, call))
        elif socketio.is_client_factory(ref):
            self._add(call, socketio.client_fact(model, call))
        elif ref.module in jwt.JWT_MODULES:
            fact = jwt.jwt_call(model, call, ref.export)
            if fact is not None:
                self._add(call, fact)
        elif ref.module == jwt.EXPRESS_JWT and ref.export in jwt.EXPRESS_JWT_EXPORTS:
            self._add(call, jwt.express_jwt(model, call))
        elif ref.module in jwt.JOSE_MODULES:
            fact = jwt.jose_verify(model, call, ref.export)
            if fact is not None:
                self._add(call, fact)
        elif ref.module in cors.CORS_MIDDLEWARES and ref.export in ("*", "default"):
            self._add(call, cors.cors_middleware(model, call, cors.CORS_MIDDLEWARES[ref.module]))
        elif ref.module in cookies.SCRIPT_COOKIE_MODULES and ref.export == "set":
            fact = cookies.script_cookie(model, call, cookies.SCRIPT_COOKIE_MODULES[ref.module])
            if fact is not None:
                self._add(call, fact)
        elif ref.module == jwt.NEST_JWT and ref.export in ("JwtModule.register", "JwtModule.registerAsync"):
            fact = jwt.nest_jwt_module(model, call) if ref.export.endswith("register") else None
            if fact is not None:
                self._add(call, fact)
        elif ref.module in nats.NATS_MODULES and ref.export in nats.NATS_CONNECTS:
            self._add(call, nats.nats_connect(model, call))

    def _fastify_cors(self, call: Any) -> None:
        """``fastify.register(require("@fastify/cors"), { origin, credentials })``."""
        model = self.model
        args = model.args(call)
        ref = model.module_of(args[0]) if args else None
        if ref is None or ref.module not in cors.FASTIFY_CORS or ref.export not in ("*", "default"):
            return
        self._add(call, cors.cors_plugin(model, call, args))

    def new(self, node: Any) -> None:
        model = self.model
        ref = model.module_of(node.child_by_field_name("constructor"))
        if ref is not None and ref.module == jwt.PASSPORT_JWT and ref.export == "Strategy":
            args = model.args(node)
            self._add(node, jwt.passport_strategy(model, node, args[0] if args else None))
        elif socketio.is_server_factory(ref):
            self._server(node)
        elif socketio.is_client_factory(ref):
            self._add(node, socketio.client_fact(model, node))

    def _server(self, node: Any) -> SocketIOServer:
        server, cors = socketio.server_fact(self.model, node)
        self._add(node, server)
        if cors is not None:
            self.facts.append(cors)
        return server

    def _server_hook(self, call: Any, receiver: Any, method: str) -> None:
        """``io.use(mw)`` and ``io.on("connection", handler)`` on a known server."""
        model = self.model
        key = socketio.server_key(model, receiver)
        server = model.objects.get(key) if key is not None else None
        if not isinstance(server, SocketIOServer):
            return
        args = model.args(call)
        if method == "use":
            if args:
                server.handlers.append(socketio.handler_fact(model, call, model.function_node(args[0]), "use"))
            return
        if len(args) < 2 or model.string_value(model.resolve(args[0])) not in ("connection", "connect"):
            return
        server.handlers.append(socketio.handler_fact(model, call, model.function_node(args[1]), "connection"))

    def _storage_call(self, call: Any, receiver: Any) -> None:
        model = self.model
        which = storage.storage_name(model, receiver)
        args = model.args(call)
        if which is None or not args:
            return
        fact = StorageWrite(model.source, model.span(call), model.lang, storage=which, key=model.expr(args[0]))
        if len(args) > 1:
            fact.value = model.expr(args[1])
        self._add(call, fact)

    def _cookie(self, call: Any, receiver: Any) -> None:
        model = self.model
        if model.text(receiver) in ("document", "Cookies", "cookies") or model.module_of(receiver) is not None:
            return
        fact = cookies.express_cookie(model, call)
        if fact is not None:
            self._add(call, fact)

    def _headers(self, call: Any, method: str) -> None:
        """Hand-set ``Access-Control-Allow-Origin`` / ``-Credentials`` (policies made at the end)."""
        self.header_policies.add(call, cors.header_values(self.model, call, method))

    # -- assignments ----------------------------------------------------------------------------
    def assign(self, node: Any) -> None:
        model = self.model
        left = model.unwrap(node.child_by_field_name("left"))
        right = node.child_by_field_name("right")
        if left is None or right is None:
            return
        if left.type in ("member_expression", "subscript_expression"):
            obj = left.child_by_field_name("object")
            which = storage.storage_name(model, obj) if obj is not None else None
            if which is not None:
                key = storage.storage_key_expr(model, left)
                fact = StorageWrite(model.source, model.span(node), model.lang, storage=which, key=key, value=model.expr(right))
                self._add(node, fact)
                return
            if model.text(left).replace(" ", "") in ("document.cookie", "window.document.cookie"):
                self._add(node, cookies.document_cookie(model, node, right))
                return
        if left.type in ("identifier", "member_expression"):
            bindings.bind_target(model, left, right, self._made_by(right))


def _worth_visiting(assignment: Any, data: bytes) -> bool:
    """Storage / ``document.cookie`` writes, and ``x = new Server(...)``-style bindings."""
    left = assignment.child_by_field_name("left")
    if left is None:
        return False
    if left.type != "identifier":
        target = data[left.start_byte : left.end_byte]
        if b"Storage" in target or b"cookie" in target:
            return True
        obj = left.child_by_field_name("object")
        if left.type != "member_expression" or obj is None or obj.type != "this":
            return False
    right = assignment.child_by_field_name("right")
    return right is not None and right.type in BINDING_VALUES


def _unbound_jwt(model: JsModel, receiver: Any) -> bool:
    """``jwt.sign`` where ``jwt`` comes from another file of the project (no local binding)."""
    name = model.text(receiver)
    return name in ("jwt", "jsonwebtoken", "JWT") and name not in model.modules and name not in model.values


def _looks_like_client_call(model: JsModel, call: Any) -> bool:
    """The socket.io CDN build's global ``io(url?, opts?)``: only when the file defines no ``io`` itself."""
    if "io" in model.values or "io" in model.functions or "io" in model.modules:
        return False
    args = model.args(call)
    if len(args) > 2:
        return False
    if not args:
        return True
    first = model.unwrap(args[0])
    return first is not None and first.type in ("string", "template_string", "object", "binary_expression", "identifier", "member_expression")
