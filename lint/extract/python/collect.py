"""The single traversal that collects every fact of a Python file.

One visitor walks the module once; per-family modules turn the calls and assignments it meets into
facts. Instances are tracked by the dotted name they are bound to (``sio``, ``self.sio``,
``async with ... as client``) so ``sio.init_app(...)``, ``@sio.event``, ``client.connect(...)`` and
``nc.connect(...)`` find their constructor.
"""

from __future__ import annotations

from typing import Any

import libcst as cst

from authlint.extract.python import cors, handlers, pyjwt, small, socketio
from authlint.extract.python.lifetime import duration
from authlint.extract.python.resolve import Resolver, dotted, positional, string_value
from authlint.facts import Fact, JwtLiteral, JwtMint, Option, SocketIOServer
from authlint.redact import JWT_RE
from authlint.source import Source, Span

LANG = "python"
FLASK_JWT_MINTS = frozenset({
    "flask_jwt_extended.create_access_token", "flask_jwt_extended.create_refresh_token",
})


class Collector(cst.CSTVisitor):
    def __init__(self, source: Source, resolver: Resolver) -> None:
        self.source = source
        self.r = resolver
        self.facts: list[Fact] = []
        self.created: dict[int, tuple[str, Any]] = {}  # id(call) -> (kind, payload)
        self.instances: dict[str, tuple[str, Any]] = {}
        self.functions: dict[str, cst.FunctionDef] = {}
        self.pending_handlers: list[tuple[str, cst.FunctionDef]] = []  # (owner, function)
        self.namespaces: dict[str, tuple[str, list[cst.FunctionDef]]] = {}  # class -> (library, on_connect)
        self.registered: list[tuple[SocketIOServer, str]] = []
        self.function_stack: list[cst.FunctionDef] = []
        self.class_stack: list[str | None] = []  # namespace library of each enclosing class, or None
        self.class_names: list[str] = []
        self.header_sets: dict[int, dict[str, tuple[cst.CSTNode, cst.BaseExpression]]] = {}
        self.django_cors: dict[str, Option] = {}
        self.jwt_settings: dict[str, Option] = {}
        self.simple_jwt: dict[str, Option] = {}

    # -- imports and scopes ---------------------------------------------------------------
    def visit_Module(self, node: cst.Module) -> None:
        for statement in node.body:  # module constants are visible to functions defined earlier
            if isinstance(statement, cst.SimpleStatementLine):
                for small_stmt in statement.body:
                    if isinstance(small_stmt, (cst.Import, cst.ImportFrom)):
                        self.r.add_import(small_stmt)
                    elif isinstance(small_stmt, cst.Assign):
                        for target in small_stmt.targets:
                            if isinstance(target.target, cst.Name):
                                self.r.bind(target.target.value, small_stmt.value)

    def visit_Import(self, node: cst.Import) -> None:
        self.r.add_import(node)

    def visit_ImportFrom(self, node: cst.ImportFrom) -> None:
        self.r.add_import(node)

    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        library = None
        for base in node.bases:
            library = socketio.NAMESPACE_CLASSES.get(self.r.qualname(base.value) or "") or library
        if library is not None:
            self.namespaces[node.name.value] = (library, [])
        self.class_stack.append(library)
        self.class_names.append(node.name.value)
        self.r.push()

    def leave_ClassDef(self, original_node: cst.ClassDef) -> None:
        self.class_stack.pop()
        self.class_names.pop()
        self.r.pop()

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        if not self.function_stack and not self.class_stack:
            self.functions[node.name.value] = node
        if self.class_stack and self.class_stack[-1] and not self.function_stack and node.name.value == "on_connect":
            self.namespaces[self.class_names[-1]][1].append(node)
        for decorator in node.decorators:
            owner = _handler_owner(decorator.decorator, node.name.value)
            if owner:
                self.pending_handlers.append((owner, node))
        self.function_stack.append(node)
        self.r.push()
        for param in (*node.params.posonly_params, *node.params.params, *node.params.kwonly_params):
            if param.default is None:
                self.r.bind(param.name.value, param.name)  # a parameter shadows module constants

    def leave_FunctionDef(self, original_node: cst.FunctionDef) -> None:
        self.function_stack.pop()
        self.r.pop()

    # -- assignments ----------------------------------------------------------------------
    def leave_Assign(self, original_node: cst.Assign) -> None:
        for target in original_node.targets:
            self._assigned(target.target, original_node.value, original_node)

    def leave_AnnAssign(self, original_node: cst.AnnAssign) -> None:
        if original_node.value is not None:
            self._assigned(original_node.target, original_node.value, original_node)

    def leave_WithItem(self, original_node: cst.WithItem) -> None:
        if original_node.asname is None:
            return
        name = dotted(original_node.asname.name)
        created = self.created.get(id(original_node.item))
        if name and created:
            self.instances[name] = created

    def _assigned(self, target: cst.BaseExpression, value: cst.BaseExpression, statement: cst.CSTNode) -> None:
        created = self.created.get(id(value))
        if isinstance(target, cst.Name):
            name = target.value
            self.r.bind(name, value)
            if created:
                self.instances[name] = created
            if not self.function_stack:
                self._setting(name, target, value, statement)
            return
        if isinstance(target, cst.Attribute):
            name = dotted(target)
            if name and created:
                self.instances[name] = created
            return
        if isinstance(target, cst.Subscript) and len(target.slice) == 1:
            index = target.slice[0].slice
            key = string_value(index.value) if isinstance(index, cst.Index) else None
            if key is None:
                return
            if isinstance(target.value, cst.Name):
                self.r.bind_item(target.value.value, key, value)
            header = cors.header_name(index.value)  # type: ignore[union-attr]
            if header:
                self._header(header, statement, value)
            base = dotted(target.value) or ""
            if base.endswith("config") and key.startswith(small.JWT_SETTINGS_PREFIX):
                self.jwt_settings[key] = self._option(key, statement, target, value)

    def _option(self, name: str, statement: cst.CSTNode, name_node: cst.CSTNode, value: cst.BaseExpression) -> Option:
        return Option(name=name, value=self.r.expr(value), span=self.r.span(statement), name_span=self.r.span(name_node))

    def _setting(self, name: str, target: cst.Name, value: cst.BaseExpression, statement: cst.CSTNode) -> None:
        """Module/class-level settings: Django ``CORS_*``, Flask-JWT-Extended ``JWT_*``, ``SIMPLE_JWT``."""
        if name.startswith("CORS_"):
            self.django_cors[name] = self._option(name, statement, target, value)
        elif name.startswith(small.JWT_SETTINGS_PREFIX):
            self.jwt_settings[name] = self._option(name, statement, target, value)
        elif name == small.SIMPLE_JWT:
            bag = self.r.dict_bag(value)
            if bag is not None:
                self.simple_jwt.update(bag.items)

    def _header(self, header: str, node: cst.CSTNode, value: cst.BaseExpression) -> None:
        key = id(self.function_stack[-1]) if self.function_stack else 0
        group = self.header_sets.setdefault(key, {})
        group.setdefault(header, (node, value))

    def visit_Dict(self, node: cst.Dict) -> None:
        for element in node.elements:
            if isinstance(element, cst.DictElement):
                header = cors.header_name(element.key)
                if header:
                    self._header(header, element, element.value)

    # -- calls ----------------------------------------------------------------------------
    def visit_Call(self, node: cst.Call) -> None:
        qual = self.r.qualname(node.func)
        if qual is not None and self._qualified_call(node, qual):
            return
        if isinstance(node.func, cst.Attribute):
            self._method_call(node, node.func.attr.value, node.func.value)

    def _qualified_call(self, node: cst.Call, qual: str) -> bool:
        src = self.source
        if qual in socketio.SERVER_CLASSES:
            fact = socketio.server(self.r, node, qual, src, LANG)
            self.facts.append(fact)
            self.created[id(node)] = ("sio-server", fact)
        elif qual in socketio.CLIENT_CLASSES:
            self.created[id(node)] = ("sio-client", node)
        elif qual in small.NATS_CLASSES:
            self.created[id(node)] = ("nats", None)
        elif qual in pyjwt.PYJWT_CLASSES:
            self.created[id(node)] = ("pyjwt", None)
        elif qual in pyjwt.ENCODE:
            self.facts.append(pyjwt.mint(self.r, node, pyjwt.ENCODE[qual], src, LANG))
        elif qual in pyjwt.DECODE:
            self.facts.append(pyjwt.verify(self.r, node, pyjwt.DECODE[qual], "decode", src, LANG))
        elif qual in pyjwt.UNVERIFIED:
            function = qual.rsplit(".", 1)[1]  # get_unverified_header | get_unverified_claims
            self.facts.append(pyjwt.verify(self.r, node, pyjwt.UNVERIFIED[qual], function, src, LANG))
        elif qual in cors.FLASK_CORS:
            self.facts.extend(cors.flask_cors(self.r, node, src, LANG))
        elif qual in small.NATS_CONNECT:
            self.facts.append(small.nats_client(self.r, node, src, LANG))
        elif qual.endswith(".Middleware") and cors.is_cors_middleware(self.r, positional(node, 0, "cls")):
            self.facts.append(cors.starlette(self.r, node, src, LANG))
        elif qual in FLASK_JWT_MINTS:
            self.facts.append(self._flask_jwt_mint(node))
        else:
            return False
        return True

    def _method_call(self, node: cst.Call, method: str, receiver: cst.BaseExpression) -> None:
        src = self.source
        kind, payload = self._instance(receiver)
        if kind == "sio-server":
            if method == "init_app":
                socketio.init_app(self.r, payload, node)
            elif method in ("register_namespace", "on_namespace") and node.args:
                ns = node.args[0].value
                if isinstance(ns, cst.Call) and isinstance(ns.func, cst.Name):
                    self.registered.append((payload, ns.func.value))
            elif method == "on" and len(node.args) >= 2 and socketio.event_name(node) == "connect":
                handler = node.args[1].value
                if isinstance(handler, cst.Name):
                    self.pending_handlers.append((dotted(receiver) or "", handler))  # type: ignore[arg-type]
        elif kind == "sio-client" and method == "connect":
            self.facts.append(socketio.client(self.r, node, payload, src, LANG))
        elif kind == "nats" and method == "connect":
            self.facts.append(small.nats_client(self.r, node, src, LANG))
        elif kind == "pyjwt" and method in ("encode", "decode", "decode_complete"):
            if method == "encode":
                self.facts.append(pyjwt.mint(self.r, node, "pyjwt", src, LANG))
            else:
                self.facts.append(pyjwt.verify(self.r, node, "pyjwt", "decode", src, LANG))
        elif method == "add_middleware" and cors.is_cors_middleware(self.r, positional(node, 0, "middleware_class")):
            self.facts.append(cors.starlette(self.r, node, src, LANG))
        elif method == "set_cookie":
            self.facts.append(small.cookie(self.r, node, src, LANG))
        elif method in ("add", "set", "append", "setdefault", "add_header") and len(node.args) >= 2:
            header = cors.header_name(node.args[0].value)
            if header and "header" in (dotted(receiver) or "").lower():
                self._header(header, node, node.args[1].value)
        elif method == "update" and (dotted(receiver) or "").endswith("config"):
            self._config_update(node)

    def _instance(self, receiver: cst.BaseExpression) -> tuple[str | None, Any]:
        if isinstance(receiver, cst.Call):  # ``jwt.PyJWT().decode(...)``: the inner call is not visited yet
            qual = self.r.qualname(receiver.func) or ""
            if qual in socketio.CLIENT_CLASSES:
                return "sio-client", receiver
            if qual in small.NATS_CLASSES:
                return "nats", None
            if qual in pyjwt.PYJWT_CLASSES:
                return "pyjwt", None
            return self.created.get(id(receiver), (None, None))
        name = dotted(receiver)
        if name is None:
            return None, None
        return self.instances.get(name, (None, None))

    def _config_update(self, node: cst.Call) -> None:
        for arg in node.args:
            if arg.keyword is not None and arg.keyword.value.startswith(small.JWT_SETTINGS_PREFIX):
                self.jwt_settings[arg.keyword.value] = self._option(arg.keyword.value, arg, arg.keyword, arg.value)
        if node.args and node.args[0].keyword is None:
            bag = self.r.dict_bag(node.args[0].value)
            if bag is not None:
                for name, option in bag.items.items():
                    if name.startswith(small.JWT_SETTINGS_PREFIX):
                        self.jwt_settings[name] = option

    def _flask_jwt_mint(self, node: cst.Call) -> JwtMint:
        """``create_access_token(identity, expires_delta=...)``: ``expires_delta=False`` mints without exp."""
        bag = self.r.kwargs(node)
        identity = positional(node, 0, "identity")
        delta = bag.get("expires_delta")
        has_exp: bool | None = None
        seconds = None
        lifetime_expr = None
        if delta is not None:
            has_exp = delta.value.value is not False
            found = duration(self.r, _kw(node, "expires_delta")) if has_exp else None
            if found is not None:
                seconds = found[0]
                lifetime_expr = self.r.expr(found[1])
        return JwtMint(
            source=self.source, span=self.r.span(node), lang=LANG, library="flask-jwt-extended",
            payload=self.r.expr(identity) if identity is not None else None, has_exp=has_exp,
            lifetime=seconds, lifetime_expr=lifetime_expr, options=bag,
        )

    # -- the end --------------------------------------------------------------------------
    def finish(self) -> list[Fact]:
        servers = [fact for fact in self.facts if isinstance(fact, SocketIOServer)]
        for owner, function in self.pending_handlers:
            if isinstance(function, cst.Name):
                resolved = self.functions.get(function.value)
                if resolved is None:
                    continue
                function = resolved
            kind, fact = self.instances.get(owner, (None, None))
            if kind != "sio-server":
                continue
            fact.handlers.append(handlers.analyse(self.r, function, fact.library, method=False))
        for cls, (library, methods) in self.namespaces.items():
            owners = [server for server, name in self.registered if name == cls]
            if not owners and len(servers) == 1:
                owners = servers
            for server in owners:
                for method in methods:
                    server.handlers.append(handlers.analyse(self.r, method, server.library, method=True))
        policy = cors.django(self.django_cors, self.source, LANG)
        if policy is not None and any(key in self.django_cors for key in _DJANGO_KEYS):
            self.facts.append(policy)
        for config, framework in ((self.jwt_settings, "flask-jwt-extended"), (self.simple_jwt, "simplejwt")):
            fact = small.jwt_config(config, framework, self.source, LANG)
            if fact is not None:
                self.facts.append(fact)
        for group in self.header_sets.values():
            origin = group.get(cors.ALLOW_ORIGIN)
            credentials = group.get(cors.ALLOW_CREDENTIALS)
            anchor = (origin or credentials)[0]  # type: ignore[index]
            self.facts.append(cors.header_policy(self.r, self.r.span(anchor), origin, credentials, self.source, LANG))
        for match in JWT_RE.finditer(self.source.text):
            self.facts.append(JwtLiteral(source=self.source, span=Span(match.start(), match.end()), lang=LANG,
                                         token=match.group(0)))
        return self.facts


_DJANGO_KEYS = frozenset({*cors.DJANGO_ORIGIN_LISTS, *cors.DJANGO_REGEXES, *cors.DJANGO_ALLOW_ALL,
                          "CORS_ALLOW_CREDENTIALS"})


def _handler_owner(decorator: cst.BaseExpression, function_name: str) -> str | None:
    """``@sio.event`` on ``connect`` / ``@sio.on("connect")`` -> "sio"."""
    if isinstance(decorator, cst.Attribute) and decorator.attr.value == "event" and function_name == "connect":
        return dotted(decorator.value)
    if isinstance(decorator, cst.Call) and isinstance(decorator.func, cst.Attribute):
        if decorator.func.attr.value == "on" and socketio.event_name(decorator) == "connect":
            return dotted(decorator.func.value)
        if decorator.func.attr.value == "event" and function_name == "connect":
            return dotted(decorator.func.value)
    return None


def _kw(call: cst.Call, name: str) -> cst.BaseExpression:
    node = positional(call, 99, name)
    assert node is not None
    return node
