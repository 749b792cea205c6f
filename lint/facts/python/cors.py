"""CORS policies: Flask-CORS, Starlette/FastAPI ``CORSMiddleware``, Django ``CORS_*``, raw headers."""

from __future__ import annotations

import ast
from dataclasses import dataclass, field

from authlint.facts.model import UNKNOWN, CorsPolicy, Expr, Option, OptionBag
from authlint.facts.origins import settle
from authlint.facts.python.resolve import Resolver, dotted, keyword, string_value
from authlint.files.source import Span

FLASK_CORS = frozenset({"flask_cors.CORS", "flask_cors.cross_origin", "flask_cors.extension.CORS"})
AIOHTTP_CORS_SETUP = "aiohttp_cors.setup"
CORS_MIDDLEWARE_SUFFIX = "CORSMiddleware"
ALLOW_ORIGIN = "access-control-allow-origin"
ALLOW_CREDENTIALS = "access-control-allow-credentials"
# app.config keys Flask-CORS reads (``get_app_kwarg_dict``: ``CORS_X`` is option ``x``) that decide origins
FLASK_CONFIG = {"CORS_ORIGINS": "origins", "CORS_SUPPORTS_CREDENTIALS": "supports_credentials",
                "CORS_RESOURCES": "resources"}
FLASK_SETTING = {option: key for key, option in FLASK_CONFIG.items()}  # option -> its app.config key
DECIDING = frozenset({"origins", "supports_credentials", "resources"})  # keywords that make a policy here
# ``app.config`` methods that load settings from a file, object or the environment authlint does not read
FLASK_CONFIG_LOADERS = frozenset({"from_object", "from_pyfile", "from_envvar", "from_file", "from_prefixed_env"})
DJANGO_ORIGIN_LISTS = ("CORS_ALLOWED_ORIGINS", "CORS_ORIGIN_WHITELIST")
DJANGO_REGEXES = ("CORS_ALLOWED_ORIGIN_REGEXES", "CORS_ORIGIN_REGEX_WHITELIST")
DJANGO_ALLOW_ALL = ("CORS_ALLOW_ALL_ORIGINS", "CORS_ORIGIN_ALLOW_ALL")


@dataclass
class _Layer:
    """One place Flask-CORS options are written (app config, ``CORS(...)``, ``init_app(...)``, a
    resource's dict), as options and the ``ast`` values behind them."""

    bag: OptionBag
    nodes: dict[str, ast.expr] = field(default_factory=dict)


@dataclass
class FlaskCorsCall:
    """A ``CORS(...)`` / ``@cross_origin(...)`` call and the ``init_app(...)`` calls of its instance."""

    call: ast.Call
    decorator: bool
    has_app: bool
    init_calls: list[ast.Call] = field(default_factory=list)
    # ``cors.init_app(app, ...)`` on an instance made in another file: its ``CORS()`` keywords are
    # not seen, so origins not written here are not known
    foreign: bool = False


class FlaskCorsSetup:
    """Everything of one file that makes a Flask-CORS policy, read the way Flask-CORS merges it.

    Flask-CORS (``CORS.init_app``: ``merge_options(app, self._options, kwargs)`` then
    ``get_cors_options(app, self._options, kwargs, resource_opts)``; its docstring: "1. Resource level
    settings 2. Keyword argument settings 3. App level configuration settings (e.g. CORS_*)
    4. Default settings") takes each option from the first of: the resource's dict, the
    ``init_app`` keywords, the ``CORS()`` keywords, ``app.config["CORS_*"]``, the default (origins
    ``*``, no credentials). ``@cross_origin`` merges its keywords over the app config the same way.
    So one policy is made per resource, and its origins fact is the setting that decides them.
    """

    def __init__(self) -> None:
        self.calls: list[FlaskCorsCall] = []
        # option name (``origins``) -> the CORS_* config settings, in the order they are written
        self.config: dict[str, list[tuple[Option, ast.expr]]] = {}
        self.config_elsewhere = False  # config loaded from another file (``from_object``...) may set origins

    def add_call(self, node: ast.Call, qual: str) -> FlaskCorsCall:
        decorator = qual.endswith("cross_origin")
        has_app = bool(node.args) or any(arg.arg == "app" for arg in node.keywords)
        use = FlaskCorsCall(call=node, decorator=decorator, has_app=has_app)
        self.calls.append(use)
        return use

    def add_foreign_init(self, node: ast.Call) -> None:
        """``<x>cors<y>.init_app(app, ...)`` where the instance is imported (``from .extensions import cors``)."""
        self.calls.append(FlaskCorsCall(call=node, decorator=False, has_app=True, foreign=True))

    def add_setting(self, key: str, option: Option, node: ast.expr) -> None:
        """An ``app.config`` entry: ``CORS_ORIGINS`` and the others Flask-CORS reads."""
        name = FLASK_CONFIG.get(key)
        if name is not None:
            self.config.setdefault(name, []).append((option, node))

    def config_before(self, offset: int | None) -> _Layer:
        """The app config as a call at ``offset`` reads it: ``init_app`` copies the config when it
        runs, so settings written after the call do not count (None: read at request time, as
        ``@cross_origin`` does, so the last setting counts)."""
        layer = _Layer(OptionBag())
        for name, settings in self.config.items():
            written = [(option, node) for option, node in settings if offset is None or option.span.start < offset]
            if written:
                layer.bag.items[name], layer.nodes[name] = written[-1]
        return layer

    def policies(self, resolver: Resolver, source, lang: str) -> list[CorsPolicy]:
        found: list[CorsPolicy] = []
        for use in self.calls:
            own = _call_layer(resolver, use.call)
            config = self.config_before(None if use.decorator else resolver.span(use.call).start)
            deferred = not (use.decorator or use.has_app)  # ``cors = CORS()``: the app comes with init_app
            if not deferred or (not use.init_calls and DECIDING & set(own.bag.items)):
                # a deferred CORS() whose init_app is in another file counts for what it writes itself
                found += self._resource_policies(resolver, source, lang, [config, own], resolver.span(use.call),
                                                 resources=not use.decorator, unseen=use.foreign or deferred)
            for init in use.init_calls:
                config = self.config_before(resolver.span(init).start)
                found += self._resource_policies(resolver, source, lang, [config, own, _call_layer(resolver, init)],
                                                 resolver.span(init), resources=True)
        return found

    def _resource_policies(self, resolver: Resolver, source, lang: str, layers: list[_Layer], span: Span,
                           resources: bool, unseen: bool = False) -> list[CorsPolicy]:
        """One policy per resource of a ``resources`` dict, else one for the call."""
        policies = []
        written = _deciding(layers, "resources") if resources else None
        if written is not None:
            for entry_span, _, value in _dict_entries(resolver, written[1]):
                inner = resolver.dict_bag(value)
                if inner is None:
                    continue  # options built elsewhere: what this resource allows is not known here
                resource = _Layer(inner, dict_values(resolver, value))
                policies.append(self._policy(source, lang, [*layers, resource], entry_span, "flask-cors-resource",
                                             unseen))
        if not policies:
            policies.append(self._policy(source, lang, layers, span, "flask-cors", unseen))
        return policies

    def _policy(self, source, lang: str, layers: list[_Layer], span: Span, framework: str,
                unseen: bool = False) -> CorsPolicy:
        origins = _deciding(layers, "origins")
        credentials = _deciding(layers, "supports_credentials")
        merged: dict[str, Option] = {}
        for layer in layers:
            merged.update(layer.bag.items)
        top = layers[-1].bag
        options = OptionBag(items=merged, span=top.span, insert_at=top.insert_at, insert_prefix=top.insert_prefix,
                            insert_suffix=top.insert_suffix, spread=any(layer.bag.spread for layer in layers[1:]),
                            form=top.form)
        policy = settle(CorsPolicy(
            source=source, span=span, lang=lang, framework=framework,
            origins=origins[0].value if origins else None,
            credentials=credentials[0].value if credentials else None, options=options,
        ), bag=top)
        # nothing here sets the origins but a config read from elsewhere, or the other half of a
        # CORS() / init_app pair in another file, may: a fix cannot know
        policy.allowed.decided_elsewhere = origins is None and (self.config_elsewhere or unseen)
        policy.reads_settings = unwritten_settings(policy)
        return policy


def unwritten_settings(policy: CorsPolicy) -> dict[str, str]:
    """(travel) The ``app.config`` settings Flask-CORS falls back to for the options nobody wrote in
    this file: its ``get_cors_options`` reads ``CORS_ORIGINS`` / ``CORS_SUPPORTS_CREDENTIALS`` from
    the app config, which a class loaded by ``from_object`` in another module may set."""
    unwritten = {}
    if policy.origins is None and policy.origin_regex is None:
        unwritten["origins"] = FLASK_SETTING["origins"]
    if policy.credentials is None:
        unwritten["credentials"] = FLASK_SETTING["supports_credentials"]
    return unwritten


def _call_layer(resolver: Resolver, call: ast.Call) -> _Layer:
    return _Layer(resolver.kwargs(call), {arg.arg: arg.value for arg in call.keywords if arg.arg is not None})


def dict_values(resolver: Resolver, node: ast.expr) -> dict[str, ast.expr]:
    """The ``ast`` values of a dict literal's string keys (or ``dict(...)``'s keywords), followed through names."""
    target = resolver.follow(node)
    if isinstance(target, ast.Call):
        return {arg.arg: arg.value for arg in target.keywords if arg.arg is not None}
    if not isinstance(target, ast.Dict):
        return {}
    found = {}
    for key, value in zip(target.keys, target.values):
        name = string_value(key) if key is not None else None
        if name is not None:
            found[name] = value
    return found


def _deciding(layers: list[_Layer], name: str) -> tuple[Option, ast.expr] | None:
    """The option of the highest-precedence layer that writes ``name`` (and its ``ast`` value)."""
    for layer in reversed(layers):
        option = layer.bag.get(name)
        if option is not None:
            return option, layer.nodes[name]
    return None


def is_cors_middleware(resolver: Resolver, node: ast.expr | None) -> bool:
    if node is None:
        return False
    qual = resolver.qualname(node) or dotted(node) or ""
    return qual.endswith(CORS_MIDDLEWARE_SUFFIX)


def starlette(resolver: Resolver, call: ast.Call, source, lang: str) -> CorsPolicy:
    """``app.add_middleware(CORSMiddleware, ...)`` or ``Middleware(CORSMiddleware, ...)``."""
    bag = resolver.kwargs(call)
    origins = bag.get("allow_origins")
    regex = bag.get("allow_origin_regex")
    credentials = bag.get("allow_credentials")
    return settle(CorsPolicy(
        source=source, span=resolver.span(call), lang=lang, framework="starlette",
        origins=origins.value if origins else None, credentials=credentials.value if credentials else None,
        origin_regex=regex.value if regex else None, options=bag,
    ))


def django(settings: dict[str, Option], source, lang: str) -> CorsPolicy | None:
    """One policy for a Django settings module's ``CORS_*`` assignments."""
    if not settings:
        return None
    first = min(option.span.start for option in settings.values())
    last = max(option.span.end for option in settings.values())
    origins = next((settings[k].value for k in DJANGO_ORIGIN_LISTS if k in settings), None)
    allow_all = next((settings[k] for k in DJANGO_ALLOW_ALL if k in settings), None)
    if allow_all is not None and allow_all.value.value is True:
        origins = Expr(span=allow_all.value.span, text=allow_all.value.text, value="*")
    regex = next((settings[k].value for k in DJANGO_REGEXES if k in settings), None)
    credentials = settings.get("CORS_ALLOW_CREDENTIALS")
    policy = CorsPolicy(
        source=source, span=Span(first, last), lang=lang, framework="django", origins=origins,
        credentials=credentials.value if credentials else None, origin_regex=regex,
        options=OptionBag(items=dict(settings)),
    )
    switch = allow_all if allow_all is not None and allow_all.value.value is True else None
    return settle(policy, switch=switch)


def header_name(node: ast.expr | None) -> str | None:
    value = string_value(node)
    if value is None:
        return None
    lowered = value.lower()
    return lowered if lowered in (ALLOW_ORIGIN, ALLOW_CREDENTIALS) else None


def header_policy(
    resolver: Resolver, span: Span, origin: tuple[Span, ast.expr, str | None] | None,
    credentials: tuple[Span, ast.expr, str | None] | None, source, lang: str,
) -> CorsPolicy:
    """One hand-set ``Access-Control-Allow-Origin`` (with the function's ``-Credentials``); ``origin``'s
    third item says whether it echoes the request's Origin (``cors_echo.ECHOED`` / ``CHECKED``),
    decided where the header is set, while the function's names are in scope."""
    origins = None
    if origin is not None:
        origins = resolver.expr(origin[1])
        if origin[2] is not None:
            origins.ref = origin[2]
            origins.value = UNKNOWN  # ``request.headers.get("Origin", "*")``: the fallback is not the answer
    creds = None
    if credentials is not None:
        creds = resolver.expr(credentials[1])
        if isinstance(creds.value, str):
            creds.value = creds.value.strip().lower() == "true"
    return settle(CorsPolicy(source=source, span=span, lang=lang, framework="header", origins=origins,
                             credentials=creds))


def _dict_entries(resolver: Resolver, node: ast.expr | None) -> list[tuple[Span, ast.expr, ast.expr]]:
    """``(entry span, key, value)`` of a dict literal (followed through names), ``**spread`` left out."""
    target = resolver.follow(node) if node is not None else None
    if not isinstance(target, ast.Dict):
        return []
    return [(resolver.entry_span(target, index), key, target.values[index])
            for index, key in enumerate(target.keys) if key is not None]


def aiohttp_cors(resolver: Resolver, call: ast.Call, source, lang: str) -> list[CorsPolicy]:
    """``aiohttp_cors.setup(app, defaults={"*": ResourceOptions(allow_credentials=True)})``: one policy
    per origin key (``"*"`` reflects the request's origin)."""
    defaults = keyword(call, "defaults")
    policies = []
    for entry_span, key, value in _dict_entries(resolver, defaults):
        options = resolver.follow(value)
        bag = resolver.kwargs(options) if isinstance(options, ast.Call) else OptionBag()
        credentials = bag.get("allow_credentials")
        policies.append(settle(CorsPolicy(
            source=source, span=entry_span, lang=lang, framework="aiohttp-cors",
            origins=resolver.expr(key), credentials=credentials.value if credentials else None, options=bag,
        )))
    return policies
