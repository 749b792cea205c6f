"""What a Socket.IO connect handler reads from the handshake, and whether it ever refuses.

python-socketio handlers are ``connect(sid, environ, auth)`` (namespace methods add ``self``);
Flask-SocketIO handlers are ``connect(auth)`` and read the rest from ``flask.request``.
"""

from __future__ import annotations

import ast

from authlint.facts.model import ConnectHandler, HandshakeCredential
from authlint.facts.python.resolve import Resolver, arg_value, dotted, first_value, string_value
from authlint.facts.python.walk import Walker, ordered_args
from authlint.files.source import Span

Function = ast.FunctionDef | ast.AsyncFunctionDef

AUTH_DECORATOR_WORDS = ("auth", "login", "jwt", "token", "permission")
SESSION_NAMES = frozenset({"session", "flask.session", "current_user", "flask_login.current_user"})


def params(function: Function) -> tuple[list[str], bool]:
    """Positional parameter names and whether ``*args`` is accepted."""
    names = [p.arg for p in (*function.args.posonlyargs, *function.args.args)]
    return names, function.args.vararg is not None


def analyse(resolver: Resolver, function: Function, library: str, method: bool) -> ConnectHandler:
    names, star = params(function)
    if method and names:
        names = names[1:]
    if library == "flask-socketio":
        auth_name = names[0] if names else None
        environ_name = None
        takes_auth = bool(names) or star
    else:
        auth_name = names[2] if len(names) >= 3 else None
        environ_name = names[1] if len(names) >= 2 else None
        takes_auth = len(names) >= 3 or star
    finder = _Reads(resolver, auth_name, environ_name)
    finder.walk(function.body)
    for decorator in function.decorator_list:  # @authenticated_only, @jwt_required(), @login_required
        name = (dotted(decorator.func if isinstance(decorator, ast.Call) else decorator) or "").lower()
        if any(word in name for word in AUTH_DECORATOR_WORDS):
            finder.reads.append(HandshakeCredential(span=resolver.span(decorator), channel="auth", key=None))
    span = resolver.span(function)
    return ConnectHandler(
        span=span, reads=finder.reads, refuses=finder.refuses, takes_auth=takes_auth, head=head(resolver, span),
        auth_param=auth_name, auth_param_insert=None if auth_name else _auth_insert(resolver, function, library, method),
    )


def _auth_insert(resolver: Resolver, function: Function, library: str, method: bool) -> tuple[int, str] | None:
    """Where an ``auth=None`` parameter goes in a handler that has none: after ``environ``
    (python-socketio ``connect(sid, environ)``) or as the only one (Flask-SocketIO ``connect()``).
    None when the signature is anything else (``*args``, keyword-only, defaults before it) or the
    body already uses the name ``auth``."""
    arguments = function.args
    if arguments.vararg or arguments.kwarg or arguments.kwonlyargs or arguments.posonlyargs:
        return None
    if any(isinstance(node, ast.Name) and node.id == "auth" for node in ast.walk(function)):
        return None
    positional = arguments.args[1:] if method else arguments.args
    wanted = 0 if library == "flask-socketio" else 2
    if len(positional) != wanted or arguments.defaults:
        return None
    if positional:
        return resolver.span(positional[-1]).end, ", auth=None"
    text = resolver.source.text
    span = resolver.span(function)
    at = text.find("def ", span.start, span.end)
    if at == -1:
        return None
    opening = text.find("(", at)
    if method:
        self_end = resolver.span(arguments.args[0]).end
        return self_end, ", auth=None"
    return (opening + 1, "auth=None") if opening != -1 and text[opening + 1 : opening + 2] == ")" else None


def head(resolver: Resolver, span: Span) -> Span:
    """The handler's ``def`` line (with ``async``), past its decorators: where findings point."""
    text = resolver.source.text
    start = text.find("def ", span.start, span.end)
    start = span.start if start == -1 else start
    if text[max(span.start, start - 6) : start] == "async ":
        start -= 6
    end = text.find("\n", start)
    return Span(start, span.end if end == -1 or end > span.end else end)


def _or_empty(node: ast.expr) -> str | None:
    """``name`` of ``name or {}`` (a payload that may be None, read with a default), else None."""
    if isinstance(node, ast.BoolOp) and isinstance(node.op, ast.Or) and len(node.values) == 2:
        first, second = node.values
        if isinstance(first, ast.Name) and isinstance(second, ast.Dict) and not second.keys:
            return first.id
    return None


def header_key(environ_key: str) -> tuple[str, str | None] | None:
    """``HTTP_AUTHORIZATION`` -> ("header", "authorization"); ``QUERY_STRING`` -> ("query", None)."""
    if environ_key == "QUERY_STRING":
        return "query", None
    if environ_key == "HTTP_COOKIE":
        return "cookie", None
    if environ_key.startswith("HTTP_"):
        return "header", environ_key[5:].lower().replace("_", "-")
    return None


class _Reads(Walker):
    def __init__(self, resolver: Resolver, auth: str | None, environ: str | None) -> None:
        super().__init__()
        self.resolver = resolver
        self.auth = auth
        self.environ = environ
        self.reads: list[HandshakeCredential] = []
        self.refuses = False
        self._keyed: set[int] = set()  # ids of auth Names consumed by a keyed read

    def _add(self, node: ast.AST, channel: str, key: str | None) -> None:
        self.reads.append(HandshakeCredential(span=self.resolver.span(node), channel=channel, key=key))

    def _read(self, node: ast.AST, base: ast.expr, key: str | None) -> bool:
        """A keyed read ``base[key]`` / ``base.get(key)``; True when it was a handshake read."""
        if self.auth and _or_empty(base) == self.auth:  # ``(auth or {}).get("token")``
            self._add(node, "auth", key)
            return True
        name = dotted(base)
        if name is None:
            return False
        if self.auth and name == self.auth:
            self._keyed.add(id(base))
            self._add(node, "auth", key)
            return True
        if (self.environ and name == self.environ) or name in ("request.environ", "flask.request.environ"):
            found = header_key(key) if key else None
            if found:
                self._add(node, *found)
                return True
            return False
        if name in SESSION_NAMES:
            self._add(node, "cookie", "session")
            return True
        lowered = name.lower()
        if lowered.endswith("request.args") or lowered.endswith("request.values"):
            self._add(node, "query", key)
            return True
        if lowered.endswith("request.headers"):
            self._add(node, "header", key.lower() if key else None)
            return True
        if lowered.endswith("request.cookies"):
            self._add(node, "cookie", key)
            return True
        return False

    def visit_Attribute(self, node: ast.Attribute) -> None:
        # flask-login ``current_user.is_authenticated``: the session cookie is the credential
        if dotted(node.value) == "current_user":
            self._add(node, "cookie", "session")

    def visit_Subscript(self, node: ast.Subscript) -> None:
        index = self.resolver.index(node)
        if index is not None:
            self._read(node, node.value, string_value(index))

    def visit_Call(self, node: ast.Call) -> None:
        func = node.func
        if isinstance(func, ast.Attribute) and func.attr in ("get", "pop", "getlist"):
            first = first_value(node)
            self._read(node, func.value, string_value(first) if first is not None else None)
            return
        if self.auth:
            for arg in ordered_args(node):
                value = arg_value(arg)
                if isinstance(value, ast.Name) and value.id == self.auth:
                    self._add(value, "auth", None)

    def visit_Return(self, node: ast.Return) -> None:
        if isinstance(node.value, ast.Constant) and node.value.value is False:
            self.refuses = True

    def visit_Raise(self, node: ast.Raise) -> None:
        exc = node.exc
        if isinstance(exc, ast.Call):
            exc = exc.func
        name = dotted(exc) if exc is not None else None
        if name and name.endswith("ConnectionRefusedError"):
            self.refuses = True

    def visit_FunctionDef(self, node: Function) -> bool:
        return False  # nested functions are not the handler

    visit_AsyncFunctionDef = visit_FunctionDef
