"""The single traversal that collects every fact of a Python file.

One visitor walks the module once; per-family modules turn the calls and assignments it meets into
facts. Instances are tracked by the dotted name they are bound to (``sio``, ``self.sio``,
``async with ... as client``) so ``sio.init_app(...)``, ``@sio.event``, ``client.connect(...)`` and
``nc.connect(...)`` find their constructor.
"""

from __future__ import annotations

import ast
from typing import Any

from authlint.facts.model import ConnectHandler, Fact, ForeignConnectHandler, JwtLiteral, Option, SocketIOServer
from authlint.facts.python import cookies, cors, cors_echo, handlers, jwt, nats, socketio
from authlint.facts.python.resolve import Resolver, arg_keyword, arg_value, dotted, positional, string_value
from authlint.facts.python.walk import Walker, ordered_args
from authlint.facts.secrets.patterns import JWT as JWT_RE
from authlint.files.source import Source, Span

Function = ast.FunctionDef | ast.AsyncFunctionDef

LANG = "python"
FLASK_JWT_MINTS = frozenset({
    "flask_jwt_extended.create_access_token", "flask_jwt_extended.create_refresh_token",
})
FLASK_JWT_DECODE = "flask_jwt_extended.decode_token"
SOCKETIO_PACKAGES = frozenset({"socketio", "flask_socketio", "engineio"})  # a server imported from these is no module's


class Collector(Walker):
    def __init__(self, source: Source, resolver: Resolver) -> None:
        super().__init__()
        self.source = source
        self.r = resolver
        self.facts: list[Fact] = []
        self.created: dict[int, tuple[str, Any]] = {}  # id(call) -> (kind, payload)
        self.instances: dict[str, tuple[str, Any]] = {}
        self.functions: dict[str, Function] = {}
        self.methods: dict[tuple[str, str], Function] = {}  # (class, name) -> method
        # (owner, handler): a decorated function, a function name, or (class, method name)
        self.pending_handlers: list[tuple[str, Any]] = []
        self.namespaces: dict[str, tuple[str, list[Function]]] = {}  # class -> (library, on_connect)
        self.registered: list[tuple[SocketIOServer, str]] = []
        self.function_stack: list[Function] = []
        self.class_stack: list[str | None] = []  # namespace library of each enclosing class, or None
        self.class_names: list[str] = []
        # function -> header -> [(anchor, value, echo)]: echo says whether the value is the request's
        # Origin, and whether the function checks it first (cors_echo.ECHOED / CHECKED / None)
        self.header_sets: dict[int, dict[str, list[tuple[Span, ast.expr, str | None]]]] = {}
        self.django_cors: dict[str, Option] = {}
        self.flask_cors = cors.FlaskCorsSetup()
        self.jwt_settings: dict[str, Option] = {}
        self.simple_jwt: dict[str, Option] = {}
        # (travel) Flask settings written in this file: ``app.config[...] = v`` / ``app.secret_key = v``
        # as (target, value), and ``app.config.update/from_mapping/from_object(...)`` calls
        self.config_writes: list[tuple[ast.expr, ast.expr]] = []
        self.config_calls: list[ast.Call] = []

    # -- imports and scopes ---------------------------------------------------------------
    def visit_Module(self, node: ast.Module) -> None:
        for statement in node.body:  # module constants are visible to functions defined earlier
            if isinstance(statement, (ast.Import, ast.ImportFrom)):
                self.r.add_import(statement)
            elif isinstance(statement, ast.Assign):
                for target in statement.targets:
                    if isinstance(target, ast.Name):
                        self.r.bind(target.id, statement.value)

    def visit_Import(self, node: ast.Import) -> None:
        self.r.add_import(node)

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        self.r.add_import(node)

    def visit_ClassDef(self, node: ast.ClassDef) -> None:
        library = None
        for base in node.bases:
            base = base.value if isinstance(base, ast.Starred) else base
            library = socketio.NAMESPACE_CLASSES.get(self.r.qualname(base) or "") or library
        if library is not None:
            self.namespaces[node.name] = (library, [])
        self.class_stack.append(library)
        self.class_names.append(node.name)
        self.r.push()

    def leave_ClassDef(self, original_node: ast.ClassDef) -> None:
        self.class_stack.pop()
        self.class_names.pop()
        self.r.pop()

    def visit_FunctionDef(self, node: Function) -> None:
        if not self.function_stack and not self.class_stack:
            self.functions[node.name] = node
        elif not self.function_stack and self.class_names:
            self.methods[(self.class_names[-1], node.name)] = node
        if self.class_stack and self.class_stack[-1] and not self.function_stack and node.name == "on_connect":
            self.namespaces[self.class_names[-1]][1].append(node)
        for decorator in node.decorator_list:
            owner = _handler_owner(decorator, node.name)
            if owner:
                self.pending_handlers.append((owner, node))
        self.function_stack.append(node)
        self.r.push()
        params = node.args
        star = [p for p in (params.vararg, params.kwarg) if p is not None]
        for param in (*params.posonlyargs, *params.args, *params.kwonlyargs, *star):
            self.r.bind(param.arg, param)  # a parameter shadows module constants, default or not

    def leave_FunctionDef(self, original_node: Function) -> None:
        self.function_stack.pop()
        self.r.pop()

    visit_AsyncFunctionDef = visit_FunctionDef
    leave_AsyncFunctionDef = leave_FunctionDef

    # -- assignments ----------------------------------------------------------------------
    def leave_Assign(self, original_node: ast.Assign) -> None:
        for target in original_node.targets:
            self._assigned(target, original_node.value, original_node)

    def leave_AnnAssign(self, original_node: ast.AnnAssign) -> None:
        if original_node.value is not None:
            self._assigned(original_node.target, original_node.value, original_node)

    def leave_withitem(self, original_node: ast.withitem) -> None:
        if original_node.optional_vars is None:
            return
        name = dotted(original_node.optional_vars)
        created = self.created.get(id(original_node.context_expr))
        if name and created:
            self.instances[name] = created

    def _assigned(self, target: ast.expr, value: ast.expr, statement: ast.stmt) -> None:
        created = self.created.get(id(value))
        if isinstance(target, ast.Name):
            name = target.id
            self.r.bind(name, value)
            if created:
                self.instances[name] = created
            if not self.function_stack:
                self._setting(name, target, value, statement)
            return
        if isinstance(target, ast.Attribute):
            name = dotted(target)
            if name and created:
                self.instances[name] = created
            if target.attr == "secret_key":
                self.config_writes.append((target, value))
            return
        if isinstance(target, ast.Subscript):
            index = self.r.index(target)
            key = string_value(index)
            if key is None:
                return
            if isinstance(target.value, ast.Name):
                self.r.bind_item(target.value.id, key, value)
            header = cors.header_name(index)
            if header:
                self._header(header, self.r.span(statement), value)
            base = dotted(target.value) or ""
            if base.endswith("config"):
                self.config_writes.append((target, value))
            if base.endswith("config") and key.startswith(jwt.JWT_SETTINGS_PREFIX):
                self.jwt_settings[key] = self._option(key, statement, target, value)
            if base.endswith("config") and key in cors.FLASK_CONFIG:
                self.flask_cors.add_setting(key, self._option(key, statement, target, value), value)

    def _option(self, name: str, statement: ast.AST, name_node: ast.AST, value: ast.expr) -> Option:
        return Option(name=name, value=self.r.expr(value), span=self.r.span(statement), name_span=self.r.span(name_node))

    def _setting(self, name: str, target: ast.Name, value: ast.expr, statement: ast.stmt) -> None:
        """Module/class-level settings: Django ``CORS_*``, Flask-JWT-Extended ``JWT_*``, ``SIMPLE_JWT``."""
        if name.startswith("CORS_"):
            self.django_cors[name] = self._option(name, statement, target, value)
        elif name.startswith(jwt.JWT_SETTINGS_PREFIX):
            self.jwt_settings[name] = self._option(name, statement, target, value)
        elif name == jwt.SIMPLE_JWT:
            bag = self.r.dict_bag(value)
            if bag is not None:
                self.simple_jwt.update(bag.items)

    def _header(self, header: str, anchor: Span, value: ast.expr) -> None:
        function = self.function_stack[-1] if self.function_stack else None
        group = self.header_sets.setdefault(id(function) if function is not None else 0, {})
        echo = cors_echo.echo_of(self.r, value, function) if header == cors.ALLOW_ORIGIN else None
        if header == cors.ALLOW_CREDENTIALS:
            value = cors_echo.truthy_binding(value, function)
        group.setdefault(header, []).append((anchor, value, echo))

    def visit_Dict(self, node: ast.Dict) -> None:
        for index, key in enumerate(node.keys):
            header = cors.header_name(key)
            if header:
                self._header(header, self.r.entry_span(node, index), node.values[index])

    def visit_Tuple(self, node: ast.Tuple) -> None:
        """WSGI ``start_response(status, [("Access-Control-Allow-Origin", origin)])`` header pairs."""
        if len(node.elts) == 2:
            header = cors.header_name(node.elts[0])
            if header:
                self._header(header, self.r.span(node), node.elts[1])

    # -- calls ----------------------------------------------------------------------------
    def visit_Call(self, node: ast.Call) -> None:
        qual = self.r.qualname(node.func)
        if qual is not None and self._qualified_call(node, qual):
            return
        if isinstance(node.func, ast.Attribute):
            self._method_call(node, node.func.attr, node.func.value)

    def _qualified_call(self, node: ast.Call, qual: str) -> bool:
        src = self.source
        if qual in socketio.SERVER_CLASSES:
            fact = socketio.server(self.r, node, qual, src, LANG)
            self.facts.append(fact)
            if fact.cors is not None:
                self.facts.append(fact.cors)
            self.created[id(node)] = ("sio-server", fact)
        elif qual in socketio.CLIENT_CLASSES:
            self.created[id(node)] = ("sio-client", node)
        elif qual in nats.NATS_CLASSES:
            self.created[id(node)] = ("nats", None)
        elif qual in jwt.PYJWT_CLASSES:
            self.created[id(node)] = ("pyjwt", None)
        elif qual in jwt.ENCODE:
            self.facts.append(jwt.mint(self.r, node, jwt.ENCODE[qual], src, LANG))
        elif qual in jwt.DECODE:
            self.facts.append(jwt.verify(self.r, node, jwt.DECODE[qual], "decode", src, LANG))
        elif qual in jwt.UNVERIFIED:
            function = qual.rsplit(".", 1)[1]  # get_unverified_header | get_unverified_claims
            self.facts.append(jwt.verify(self.r, node, jwt.UNVERIFIED[qual], function, src, LANG))
        elif qual in cors.FLASK_CORS:  # policies made at the end, with init_app and app.config
            self.created[id(node)] = ("flask-cors", self.flask_cors.add_call(node, qual))
        elif qual in nats.NATS_CONNECT:
            self.facts.append(nats.nats_client(self.r, node, src, LANG))
        elif qual.endswith(".Middleware") and cors.is_cors_middleware(self.r, positional(node, 0, "cls")):
            self.facts.append(cors.starlette(self.r, node, src, LANG))
        elif qual.endswith(cors.CORS_MIDDLEWARE_SUFFIX):  # app = CORSMiddleware(app, allow_origins=...)
            self.facts.append(cors.starlette(self.r, node, src, LANG))
        elif qual == cors.AIOHTTP_CORS_SETUP:
            self.facts.extend(cors.aiohttp_cors(self.r, node, src, LANG))
        elif qual in FLASK_JWT_MINTS:
            self.facts.append(jwt.flask_mint(self.r, node, src, LANG))
        elif qual == FLASK_JWT_DECODE:  # decode_token(token, allow_expired=True): expiry off
            self.facts.append(jwt.flask_decode(self.r, node, src, LANG))
        else:
            return False
        return True

    def _method_call(self, node: ast.Call, method: str, receiver: ast.expr) -> None:
        src = self.source
        kind, payload = self._instance(receiver)
        args = ordered_args(node)
        if kind == "sio-server":
            if method == "init_app":
                socketio.init_app(self.r, payload, node)
            elif method in ("register_namespace", "on_namespace") and args:
                ns = arg_value(args[0])
                name = dotted(ns.func) if isinstance(ns, ast.Call) else None
                if name:
                    self.registered.append((payload, name))
            elif method == "on" and len(args) >= 2 and socketio.event_name(node) == "connect":
                handler = arg_value(args[1])
                owner = dotted(receiver) or ""
                if isinstance(handler, ast.Name):
                    self.pending_handlers.append((owner, handler))
                elif (isinstance(handler, ast.Attribute) and isinstance(handler.value, ast.Name)
                      and handler.value.id in ("self", "cls") and self.class_names):
                    self.pending_handlers.append((owner, (self.class_names[-1], handler.attr)))
        elif kind == "sio-client" and method == "connect":
            self.facts.append(socketio.client(self.r, node, payload, src, LANG))
        elif kind == "flask-cors" and method == "init_app":
            payload.init_calls.append(node)
        elif kind is None and method == "init_app" and self._foreign_server_init(node, receiver):
            pass
        elif kind is None and method == "init_app" and "cors" in (dotted(receiver) or "").rsplit(".", 1)[-1].lower():
            self.flask_cors.add_foreign_init(node)  # ``from .extensions import cors``; cors.init_app(app, ...)
        elif kind == "nats" and method == "connect":
            self.facts.append(nats.nats_client(self.r, node, src, LANG))
        elif kind == "pyjwt" and method in ("encode", "decode", "decode_complete"):
            if method == "encode":
                self.facts.append(jwt.mint(self.r, node, "pyjwt", src, LANG))
            else:
                self.facts.append(jwt.verify(self.r, node, "pyjwt", "decode", src, LANG))
        elif method == "add_middleware" and cors.is_cors_middleware(self.r, positional(node, 0, "middleware_class")):
            self.facts.append(cors.starlette(self.r, node, src, LANG))
        elif method == "set_cookie":
            self.facts.append(cookies.cookie(self.r, node, src, LANG))
        elif method in ("add", "set", "append", "setdefault", "add_header") and len(args) >= 2:
            header = cors.header_name(arg_value(args[0]))
            if header and "header" in (dotted(receiver) or "").lower():
                self._header(header, self.r.span(node), arg_value(args[1]))
        elif method in ("update", "from_mapping") and (dotted(receiver) or "").endswith("config"):
            self.config_calls.append(node)
            self._config_update(node)
        elif method in cors.FLASK_CONFIG_LOADERS and (dotted(receiver) or "").endswith("config"):
            self.config_calls.append(node)
            self.flask_cors.config_elsewhere = True

    def _instance(self, receiver: ast.expr) -> tuple[str | None, Any]:
        if isinstance(receiver, ast.Call):  # ``jwt.PyJWT().decode(...)``: the inner call is not visited yet
            qual = self.r.qualname(receiver.func) or ""
            if qual in socketio.CLIENT_CLASSES:
                return "sio-client", receiver
            if qual in nats.NATS_CLASSES:
                return "nats", None
            if qual in jwt.PYJWT_CLASSES:
                return "pyjwt", None
            return self.created.get(id(receiver), (None, None))
        name = dotted(receiver) if self.instances else None
        if name is None:
            return None, None
        return self.instances.get(name, (None, None))

    def _config_update(self, node: ast.Call) -> None:
        for arg in node.keywords:
            if arg.arg is not None and arg.arg.startswith(jwt.JWT_SETTINGS_PREFIX):
                span = self.r.span(arg)
                name, name_span = self.r.keyword_name(arg, span)
                self.jwt_settings[name] = Option(name, self.r.expr(arg.value), span, name_span)
            elif arg.arg in cors.FLASK_CONFIG:
                span = self.r.span(arg)
                name, name_span = self.r.keyword_name(arg, span)
                self.flask_cors.add_setting(arg.arg, Option(name, self.r.expr(arg.value), span, name_span), arg.value)
        args = ordered_args(node)
        if args and arg_keyword(args[0]) is None:
            first = arg_value(args[0])
            bag = self.r.dict_bag(first)
            if bag is not None:
                for name, option in bag.items.items():
                    if name.startswith(jwt.JWT_SETTINGS_PREFIX):
                        self.jwt_settings[name] = option
                values = cors.dict_values(self.r, first)
                for name, option in bag.items.items():
                    if name in cors.FLASK_CONFIG and name in values:
                        self.flask_cors.add_setting(name, option, values[name])

    # -- the end --------------------------------------------------------------------------
    def finish(self) -> list[Fact]:
        servers = [fact for fact in self.facts if isinstance(fact, SocketIOServer)]
        for owner, function in self.pending_handlers:
            kind, fact = self.instances.get(owner, (None, None))
            if kind != "sio-server":
                self._foreign_handler(owner, function)
                continue
            method = False
            reference = function
            if isinstance(function, ast.Name):
                function = self.functions.get(function.id)
            elif isinstance(function, tuple):
                function, method = self.methods.get(function), True
            if function is None:  # imported or built elsewhere: what it checks cannot be seen here
                if isinstance(reference, ast.AST):
                    fact.handlers.append(ConnectHandler(span=self.r.span(reference), opaque=True))
                continue
            fact.handlers.append(handlers.analyse(self.r, function, fact.library, method=method))
        for server, cls in self.registered:
            if cls not in self.namespaces:  # a namespace class imported from another module
                server.handlers.append(ConnectHandler(span=server.span, opaque=True))
        for cls, (_library, methods) in self.namespaces.items():
            owners = [server for server, name in self.registered if name == cls]
            if not owners and len(servers) == 1:
                owners = servers
            for server in owners:
                for method in methods:
                    server.handlers.append(handlers.analyse(self.r, method, server.library, method=True))
        self.facts.extend(self.flask_cors.policies(self.r, self.source, LANG))
        policy = cors.django(self.django_cors, self.source, LANG)
        if policy is not None and any(key in self.django_cors for key in _DJANGO_KEYS):
            self.facts.append(policy)
        for config, framework in ((self.jwt_settings, "flask-jwt-extended"), (self.simple_jwt, "simplejwt")):
            fact = jwt.jwt_config(config, framework, self.source, LANG)
            if fact is not None:
                self.facts.append(fact)
        for group in self.header_sets.values():  # one policy per origin a function may answer
            credentials = next(iter(group.get(cors.ALLOW_CREDENTIALS, ())), None)
            for origin in group.get(cors.ALLOW_ORIGIN) or [None]:
                anchor = (origin or credentials)[0]  # type: ignore[index]
                self.facts.append(cors.header_policy(self.r, anchor, origin, credentials, self.source, LANG))
        for match in JWT_RE.finditer(self.source.text):
            self.facts.append(JwtLiteral(source=self.source, span=Span(match.start(), match.end()), lang=LANG,
                                         token=match.group(0)))
        return self.facts


    # -- (travel) Socket.IO servers shared between modules -----------------------------------
    def servers(self) -> dict[str, int]:
        """Module-level names bound to a Socket.IO server made in this file -> its fact's start."""
        return {name: fact.span.start for name, (kind, fact) in self.instances.items()
                if kind == "sio-server" and "." not in name}

    def _foreign_server_init(self, node: ast.Call, receiver: ast.expr) -> bool:
        """``sio.init_app(app, cors_allowed_origins="*")`` on a Flask-SocketIO server another module
        of the project makes (``from .addon import sio``): the origin policy it sets is written here,
        so it is a fact of this file (SIO003 reports it where it can be changed). Only with an origin
        option, which only a Socket.IO server's ``init_app`` takes."""
        owner = dotted(receiver)
        if owner is None or self._imported_project_name(owner) is None:
            return False
        bag = self.r.kwargs(node)
        if "cors_allowed_origins" not in bag and "cors_credentials" not in bag:
            return False
        server = SocketIOServer(source=self.source, span=self.r.span(node), lang=LANG, library="flask-socketio")
        socketio.init_app(self.r, server, node)
        if server.cors is not None:
            self.facts.append(server.cors)
        return True

    def _imported_project_name(self, owner: str) -> str | None:
        """The dotted name ``owner`` (``sio``, ``s.sio``) refers to when it is imported from a module
        that is not a Socket.IO package (so, in a project, one of its modules); None otherwise."""
        head, _, rest = owner.partition(".")
        if not head or self.r.lookup(head) is not None:
            return None
        base = self.r.relative_imports.get(head) or self.r.imports.get(head)
        if base is None or base.split(".", 1)[0] in SOCKETIO_PACKAGES:
            return None
        return f"{base}.{rest}" if rest else base

    def _foreign_handler(self, owner: str, function: Any) -> None:
        """``@sio.on("connect")`` on a server imported from another module of the project: a fact the
        project phase gives to that server (python-socketio's ``connect(sid, environ, auth)`` or
        Flask-SocketIO's ``connect(auth)``, told apart by the parameters)."""
        qual = self._imported_project_name(owner)
        if qual is None:
            return
        if isinstance(function, ast.Name):
            function = self.functions.get(function.id)
        if not isinstance(function, (ast.FunctionDef, ast.AsyncFunctionDef)):
            return
        named = [*function.args.posonlyargs, *function.args.args]
        library = "flask-socketio" if len(named) <= 1 else "python-socketio"
        handler = handlers.analyse(self.r, function, library, method=False)
        self.facts.append(ForeignConnectHandler(source=self.source, span=handler.span, lang=LANG, server=qual,
                                                handler=handler))


_DJANGO_KEYS = frozenset({*cors.DJANGO_ORIGIN_LISTS, *cors.DJANGO_REGEXES, *cors.DJANGO_ALLOW_ALL,
                          "CORS_ALLOW_CREDENTIALS"})


def _handler_owner(decorator: ast.expr, function_name: str) -> str | None:
    """``@sio.event`` on ``connect`` / ``@sio.on("connect")`` -> "sio"."""
    if isinstance(decorator, ast.Attribute) and decorator.attr == "event" and function_name == "connect":
        return dotted(decorator.value)
    if isinstance(decorator, ast.Call) and isinstance(decorator.func, ast.Attribute):
        if decorator.func.attr == "on" and socketio.event_name(decorator) == "connect":
            return dotted(decorator.func.value)
        if decorator.func.attr == "event" and function_name == "connect":
            return dotted(decorator.func.value)
    return None

