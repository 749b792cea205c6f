"""Facts from JavaScript / TypeScript / JSX / TSX files (tree-sitter).

One tree-sitter query walks the tree in C and hands back only the nodes that can matter (imports,
declarations, calls, ``new``, assignments, functions, class fields); they are visited innermost
first in source order, so ``const io = new Server(...)`` binds ``io`` to the server fact made by
its ``new`` before ``io.use(...)`` further down is seen. Function declarations are bound first
(JavaScript hoists them: ``io.use(auth)`` often precedes ``function auth(socket, next)``).
"""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING, Any, Iterable

from authlint.extract.javascript import bindings, socketio, tokens, web
from authlint.extract.javascript.model import JsModel
from authlint.facts import CorsPolicy, Fact, SocketIOServer, StorageWrite

if TYPE_CHECKING:
    from authlint.context import FileContext

# Member calls worth a look, by method name (everything else is skipped inside the C query).
METHODS = (
    "use on once prependListener setItem cookie header setHeader set append writeHead enableCors sign verify "
    "decode connect wsconnect listen Server Manager io lookup register"
).split()
BASE_PATTERNS = (
    """
(import_statement) @import
(variable_declarator) @decl
(function_declaration) @function
(call_expression function: (identifier)) @call
(call_expression function: (call_expression)) @call
(call_expression function: (member_expression property: (property_identifier) @_method (#any-of? @_method """
    + " ".join(f'"{name}"' for name in METHODS)
    + """))) @call
(new_expression) @new
(assignment_expression left: [(member_expression) (subscript_expression)] @_target (#match? @_target "Storage|cookie")) @assign
(assignment_expression left: [(identifier) (member_expression object: (this))] right: [(new_expression) (call_expression) (await_expression)]) @assign
"""
)
FIELD_PATTERNS = {"javascript": "(field_definition) @field", "typescript": "(public_field_definition) @field", "tsx": "(public_field_definition) @field"}
# Cheap text probe per family: a file without any of these words cannot hold that family's facts.
PROBES = (b"socket", b"Socket", b"io(", b"io.connect", b"Manager", b"cors", b"Cors", b"Access-Control", b"jsonwebtoken", b"jwt", b"JWT", b"jose", b"Storage", b"cookie", b"nats", b"connect(")


@lru_cache(maxsize=None)
def _query(dialect: str) -> Any:
    import tree_sitter

    from authlint.parsers.javascript import language

    return tree_sitter.Query(language(dialect), BASE_PATTERNS + FIELD_PATTERNS[dialect])


def extract(ctx: FileContext) -> Iterable[Fact]:
    from authlint.parsers.javascript import dialect_for

    tree = ctx.tree
    if tree is None:
        return []
    dialect = dialect_for(ctx.source)
    model = JsModel(ctx.source, tree, "javascript" if dialect == "javascript" else "typescript")
    facts: list[Fact] = list(tokens.jwt_literals(model))
    if not any(probe in model.data for probe in PROBES):
        return facts
    import tree_sitter

    captures = tree_sitter.QueryCursor(_query(dialect)).captures(tree.root_node)
    visitor = _Visitor(model, facts)
    for node in captures.get("import", ()):
        bindings.bind_import(model, node)
    for node in captures.get("function", ()):
        bindings.bind_function(model, node)
    ordered: list[tuple[int, int, str, Any]] = []
    for name in ("decl", "call", "new", "assign", "field"):
        ordered.extend((node.end_byte, -node.start_byte, name, node) for node in captures.get(name, ()))
    ordered.sort(key=lambda item: (item[0], item[1]))
    for _, _, name, node in ordered:
        visitor.visit(name, node)
    return facts


class _Visitor:
    """Turns the captured nodes into facts, in innermost-first source order."""

    def __init__(self, model: JsModel, facts: list[Fact]) -> None:
        self.model = model
        self.facts = facts
        self.made: dict[tuple[int, int], Fact] = {}  # node (start, end) -> the fact it created
        self.header_policies: dict[tuple[int, int], CorsPolicy] = {}

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
        if fn.type == "identifier":
            if model.text(fn) == "io" and "io" not in model.values and _looks_like_client_call(model, call):
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
        elif method in web.HEADER_METHODS:
            self._headers(call, method)
        elif method == "enableCors":
            self._add(call, web.cors_middleware(model, call))
        elif method == "sign" and getattr(model.unwrap(receiver), "type", "") in ("call_expression", "new_expression"):
            fact = tokens.jose_sign(model, call)
            if fact is not None:
                self._add(call, fact)
        elif method == "register":
            self._fastify_cors(call)
        elif method in ("sign", "verify", "decode") and _unbound_jwt(model, receiver):
            fact = tokens.jwt_call(model, call, method)
            if fact is not None:
                self._add(call, fact)
        elif method == "connect" and model.text(receiver) == "io" and "io" not in model.values:
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
        elif ref.module in tokens.JWT_MODULES:
            fact = tokens.jwt_call(model, call, ref.export)
            if fact is not None:
                self._add(call, fact)
        elif ref.module in tokens.JOSE_MODULES:
            fact = tokens.jose_verify(model, call, ref.export)
            if fact is not None:
                self._add(call, fact)
        elif ref.module in web.CORS_MIDDLEWARES and ref.export in ("*", "default"):
            self._add(call, web.cors_middleware(model, call, web.CORS_MIDDLEWARES[ref.module]))
        elif ref.module in tokens.NATS_MODULES and ref.export in tokens.NATS_CONNECTS:
            self._add(call, tokens.nats_connect(model, call))

    def _fastify_cors(self, call: Any) -> None:
        """``fastify.register(require("@fastify/cors"), { origin, credentials })``."""
        model = self.model
        args = model.args(call)
        ref = model.module_of(args[0]) if args else None
        if ref is None or ref.module not in web.FASTIFY_CORS or ref.export not in ("*", "default"):
            return
        self._add(call, web.cors_plugin(model, call, args))

    def new(self, node: Any) -> None:
        model = self.model
        ref = model.module_of(node.child_by_field_name("constructor"))
        if socketio.is_server_factory(ref):
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
        if len(args) < 2 or model.value(args[0]) not in ("connection", "connect"):
            return
        server.handlers.append(socketio.handler_fact(model, call, model.function_node(args[1]), "connection"))

    def _storage_call(self, call: Any, receiver: Any) -> None:
        model = self.model
        storage = web.storage_name(model, receiver)
        args = model.args(call)
        if storage is None or not args:
            return
        fact = StorageWrite(model.source, model.span(call), model.lang, storage=storage, key=model.expr(args[0]))
        if len(args) > 1:
            fact.value = model.expr(args[1])
        self._add(call, fact)

    def _cookie(self, call: Any, receiver: Any) -> None:
        model = self.model
        if model.text(receiver) in ("document", "Cookies", "cookies") or model.module_of(receiver) is not None:
            return
        fact = web.express_cookie(model, call)
        if fact is not None:
            self._add(call, fact)

    def _headers(self, call: Any, method: str) -> None:
        """Hand-set ``Access-Control-Allow-Origin`` / ``-Credentials``: one policy per function."""
        model = self.model
        pairs = [pair for pair in web.header_values(model, call, method) if pair[0] in (web.ACAO, web.ACAC)]
        if not pairs:
            return
        scope = web.enclosing_function(call)
        key = (scope.start_byte, scope.end_byte) if scope is not None else (0, 0)
        policy = self.header_policies.get(key)
        if policy is None:
            policy = CorsPolicy(model.source, model.span(call), model.lang, framework="header")
            self.header_policies[key] = policy
            self.facts.append(policy)
        for name, _, value in pairs:
            if value is None:
                continue
            if name == web.ACAO:
                policy.origins = web.origin_expr(model, value)
                policy.span = model.span(call)
            else:
                policy.credentials = model.expr(value)

    # -- assignments ----------------------------------------------------------------------------
    def assign(self, node: Any) -> None:
        model = self.model
        left = model.unwrap(node.child_by_field_name("left"))
        right = node.child_by_field_name("right")
        if left is None or right is None:
            return
        if left.type in ("member_expression", "subscript_expression"):
            obj = left.child_by_field_name("object")
            storage = web.storage_name(model, obj) if obj is not None else None
            if storage is not None:
                key = web.storage_key_expr(model, left)
                fact = StorageWrite(model.source, model.span(node), model.lang, storage=storage, key=key, value=model.expr(right))
                self._add(node, fact)
                return
            if model.text(left).replace(" ", "") in ("document.cookie", "window.document.cookie"):
                self._add(node, web.document_cookie(model, node, right))
                return
        if left.type in ("identifier", "member_expression"):
            bindings.bind_target(model, left, right, self._made_by(right))


def _unbound_jwt(model: JsModel, receiver: Any) -> bool:
    """``jwt.sign`` where ``jwt`` comes from another file of the project (no local binding)."""
    name = model.text(receiver)
    return name in ("jwt", "jsonwebtoken", "JWT") and name not in model.modules and name not in model.values


def _looks_like_client_call(model: JsModel, call: Any) -> bool:
    args = model.args(call)
    if not args:
        return True
    first = model.unwrap(args[0])
    return first is not None and first.type in ("string", "template_string", "object", "binary_expression", "identifier", "member_expression")
