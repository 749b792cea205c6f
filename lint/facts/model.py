"""Language-neutral facts that extractors pull out of parsed files and rules reason about.

A rule such as "Socket.IO ping timeout too low" is written once against ``SocketIOServer`` and
holds for Python and JavaScript alike: the Python (ast) and JS/TS (tree-sitter) extractors each
produce the same fact. Every fact keeps the spans a fix needs (the value to replace, the place to
insert a missing option), so rules build text edits without touching syntax trees.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, ClassVar, Iterator, TypeVar

from authlint.files.source import Source, Span


class _Unknown:
    """The value of an expression that cannot be known without running the code."""

    _instance: ClassVar[_Unknown | None] = None

    def __new__(cls) -> _Unknown:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "UNKNOWN"

    def __bool__(self) -> bool:
        return False


UNKNOWN: Any = _Unknown()


@dataclass
class Expr:
    """An expression in code.

    ``value`` is its statically known value (str, int, float, bool, None, list, dict, or a compiled
    pattern's source for regexes) or UNKNOWN. ``ref`` names what it refers to when it is not a
    literal: ``env:JWT_SECRET`` (``os.environ``/``os.getenv``/``process.env``), ``settings:SECRET_KEY``,
    ``name:secret`` (an unresolved variable), ``call:...``. ``origin`` is the span of the literal a
    followed constant came from (``SECRET = "x"; jwt.encode(p, SECRET)``). ``fallback`` is the
    literal an env/settings read falls back to when the variable is unset.
    """

    span: Span
    text: str
    value: Any = UNKNOWN
    ref: str | None = None
    origin: Span | None = None
    is_regex: bool = False
    # the literal default of an env/settings read (``os.getenv("K", "dev")``, ``environ.get("K") or "dev"``)
    fallback: Any = UNKNOWN
    # where that literal default is written (the secret finders mask it); JS sets only the span,
    # its rules read the fallback from the text
    fallback_span: Span | None = None
    items: list[Expr] | None = None  # an array literal's elements (their spans, regex flags), in order
    entries: OptionBag | None = None  # an object literal's properties (keys known even if values are not)
    # (travel) a value another module of the project defines, read here through an import: Python
    # ``pkg.config.JWT_SECRET`` (the absolute dotted name, relative imports resolved), JS
    # ``src/config:ENV.JWT_SECRET`` (the module's relpath without extension, then the name). The
    # project phase finds its value in that module's ``ModuleValues`` (``facts.travel``).
    imported: str | None = None

    @property
    def known(self) -> bool:
        return self.value is not UNKNOWN

    @property
    def from_env(self) -> bool:
        return bool(self.ref and self.ref.startswith("env:"))


@dataclass
class Option:
    """One ``name=value`` keyword argument, ``name: value`` object property or dict entry."""

    name: str
    value: Expr
    span: Span  # the whole option, name through value
    name_span: Span


@dataclass
class OptionBag:
    """The options of a call (kwargs, an options object literal or a dict literal).

    ``insert_at`` is where a new option can be inserted as ``insert_prefix + rendered_option``
    (for example after the last argument, with ``", "``); None when the options are not a literal
    authlint can edit (``**kwargs``, a variable built elsewhere).
    """

    items: dict[str, Option] = field(default_factory=dict)
    span: Span | None = None
    insert_at: int | None = None
    insert_prefix: str = ", "
    insert_suffix: str = ""
    spread: bool = False  # has **kwargs / ...spread: absent options may still be set
    # how an option is written in it: "kwargs" (python call keywords), "dict" (python dict literal),
    # "object" (JS object literal), "mapping" (YAML); "" when not known (the kit then goes by the file)
    form: str = ""

    def get(self, name: str) -> Option | None:
        return self.items.get(name)

    def value(self, name: str, default: Any = UNKNOWN) -> Any:
        option = self.items.get(name)
        return option.value.value if option else default

    def __contains__(self, name: str) -> bool:
        return name in self.items


@dataclass
class Fact:
    """Base of every fact: where it is and in which language it was written."""

    source: Source = field(repr=False, compare=False)
    span: Span
    lang: str  # "python" | "javascript" | "typescript"


# -- (versions) behaviour that depends on the version of a library the project runs ----------------


@dataclass(frozen=True)
class Dependency:
    """A package of one ecosystem (``authlint.versions.model``: npm / pypi) whose version decides how
    a call behaves; rules ask the project's pins about it (``authlint.versions.ranges``)."""

    ecosystem: str
    package: str


@dataclass(frozen=True)
class VersionGate:
    """A behaviour a library had before one of its releases (``before``): jsonwebtoken's unsafe
    default algorithms before 9.0.0. Rules ask ``ranges.runs_below`` whether the project may run
    such a version; unknown versions keep the version-independent behaviour."""

    dependency: Dependency
    before: str


@dataclass
class UnknownOption(Option):
    """An option its library does not read (python-engineio and socket.io drop it silently), with
    what the author meant when that is clear, so a fix can apply it as meant."""

    meant: str | None = None  # the known option it misspells, or another library's spelling of it
    # when ``meant`` sets a length of time: the unit the value was written for (that of the spelling
    # used: ``pingInterval`` is engine.io's, in milliseconds) and the unit ``meant`` reads it in
    unit: str | None = None  # "s" | "ms"
    meant_unit: str | None = None  # "s" | "ms"
    removed: str | None = None  # removed from the library: what took its place (socket.io v2 ``origins``)


@dataclass
class TimedOption:
    """An option that sets a length of time (the Engine.IO ping timeout), read as its library reads it.

    ``seconds`` is the meaning; ``option`` and ``unit`` keep what the code wrote (the name and value
    spans, and the unit the library reads the number in) for messages and fixes.
    """

    option: Option
    unit: str  # "s" (python-engineio) | "ms" (engine.io)
    seconds: float | None  # the duration the library applies; None when the value is not a known number
    default: float  # the library's default, in seconds
    read_by: str  # the library that reads the value ("python-engineio", "engine.io"), named in messages


@dataclass
class HandshakeCredential:
    """Where a credential travels in the Socket.IO handshake: what a client sends, or what a connect
    handler reads, in one vocabulary for every language.

    ``channel``: "auth" (the handshake auth payload), "header", "cookie", "query" (the query string,
    as a ``query`` option or read on the server), "url" (a parameter written into the client's URL).
    """

    span: Span
    channel: str
    key: str | None  # auth["token"] -> "token"; header names lower-cased; None when dynamic or the whole channel
    # a client's sent value: the URL parameter's, when a fix can move it; an auth/header/query entry's
    # (where the secret finders look for a literal credential)
    value: Expr | None = None



@dataclass
class ConnectHandler:
    """A Socket.IO connect handler (python) or ``io.use``/``connection`` handler (JS)."""

    span: Span
    reads: list[HandshakeCredential] = field(default_factory=list)
    refuses: bool = False  # returns False / raises ConnectionRefusedError / next(new Error())
    takes_auth: bool = True  # the handler's signature can receive the auth payload
    opaque: bool = False  # defined elsewhere (imported, or built by a call such as authorize({...})):
    # what it reads and whether it refuses cannot be seen, so reads/refuses say nothing
    head: Span | None = None  # its first line (``def``/``async def``, past decorators): where findings point
    # -- Socket.IO (siofix): where a fix reading the auth payload finds it. ``auth_param``: the
    # parameter the payload arrives in (python); ``auth_param_insert``: (offset, text) that adds an
    # ``auth`` parameter to a handler without one, when the signature is plain and the name is free
    auth_param: str | None = None
    auth_param_insert: tuple[int, str] | None = None
    # (travel) an opaque handler imported from another module of the project, named as that module
    # offers it (``src/middleware/auth:default``); the project phase reads it there (``ModuleValues.handlers``)
    imported: str | None = None


@dataclass
class SocketIOServer(Fact):
    library: str  # "python-socketio" | "flask-socketio" | "python-engineio" | "socket.io"
    options: OptionBag = field(default_factory=OptionBag)
    handlers: list[ConnectHandler] = field(default_factory=list)
    unknown_options: list[UnknownOption] = field(default_factory=list)
    # -- timers, normalised (only the spelling the library reads; another library's is an unknown option)
    ping_timeout: TimedOption | None = None
    ping_interval: TimedOption | None = None
    # (proxytiming) the timers applied when not written: python-engineio 4 and engine.io 4 agree
    # (25 s / 20 s); a proxy in front must let this much silence through (PRX003)
    ping_interval_default: float = 25.0
    ping_timeout_default: float = 20.0
    # -- origins (the CORS part) ----------------------------------------------------------------
    cors: CorsPolicy | None = None  # the server's origin policy, also a fact of its own; None: no CORS
    # -- (versions) what changed between releases of the serving library
    # the packages whose major decides the Engine.IO protocol this server speaks, most specific first
    # (Flask-SocketIO, python-socketio, python-engineio; socket.io)
    protocol_packages: tuple[Dependency, ...] = ()
    # before these releases a server with no origin setting allowed every origin (socket.io < 3:
    # ``origins: '*:*'``; python-engineio < 3.9 and python-socketio < 4.3, which requires it); the
    # first gate whose answer is known decides
    any_origin_before: tuple[VersionGate, ...] = ()
    # the origin setting this server reads exists only from this release (socket.io ``cors``: 3.0;
    # socket.io 2 ignores it and allows every origin unless ``origins`` says otherwise)
    origin_setting_since: VersionGate | None = None
    # Engine.IO 3 clients are let in too (socket.io >= 3 ``allowEIO3: true``)
    older_protocol_allowed: bool = False
    # the origin setting the releases before ``origin_setting_since`` read instead (socket.io 2
    # ``origins``), when written
    legacy_origins: Expr | None = None


@dataclass
class SocketIOClient(Fact):
    library: str  # "python-socketio" | "socket.io-client"
    url: Expr | None = None
    options: OptionBag = field(default_factory=OptionBag)  # python connect() kwargs / JS io() options
    unknown_options: list[UnknownOption] = field(default_factory=list)
    # -- credentials, normalised: what it hands the library to send, by channel
    sends: list[HandshakeCredential] = field(default_factory=list)
    # an auth payload is passed (True), certainly not (False: python-socketio takes it only as a
    # ``connect()`` argument), or cannot tell (None: socket.io-client's ``socket.auth`` may be set
    # later; the options are spread from elsewhere)
    sends_auth: bool | None = None
    # the URL literal as it reads without its ``url`` credential, when that parameter is its only
    # query parameter and nothing else in it is computed: what a fix moving the credential leaves
    bare_url: str | None = None
    # (siofix) the same when what is left is one interpolated name (``f"{URL}?token={t}"`` -> ``URL``)
    bare_url_expr: Expr | None = None
    # (versions) the packages whose major decides the Engine.IO protocol this client speaks, most
    # specific first (python-socketio, python-engineio; socket.io-client)
    protocol_packages: tuple[Dependency, ...] = ()

    @property
    def auth_keys(self) -> list[str] | None:
        """Keys of the auth payload when it is a literal; None when not sent or built elsewhere."""
        sent = [c for c in self.sends if c.channel == "auth"]
        if not self.sends_auth or any(c.key is None for c in sent):
            return None
        return [c.key for c in sent if c.key is not None]

    @property
    def url_token(self) -> Span | None:
        """The token-like query parameter written into the URL (``token=...``)."""
        return next((c.span for c in self.sends if c.channel == "url"), None)


# -- allowed origins: one model for every CORS policy and Socket.IO server --------------------------

ORIGIN_KINDS = ("list", "any", "reflect", "regex", "same-origin", "check-off", "unknown")


@dataclass
class OriginEntry:
    """One origin (or origin pattern) a policy lists, where it is written and how it is matched."""

    value: str  # as written: ``https://app.example.com``, ``*``, ``null``, or a pattern's source
    span: Span  # where findings point: the text inside the literal's quotes, else the whole setting
    located: bool = False  # ``span`` is the literal's own text, so a fix may edit it in place
    pattern: bool = False  # a regular expression, not a plain origin
    raw: bool = False  # the pattern's backslashes are written once (``r"..."``, ``/.../``), not doubled
    # how a pattern is applied to the Origin: "full" (fullmatch), "start" (``re.match``: anchored at
    # the start only), "search" (``RegExp.test``: anywhere); "" for plain origins
    anchoring: str = ""
    # (nginx) a pattern without ``^`` matches anywhere too, and is written that way often enough
    # (``if ($http_origin ~* "example\\.com")``) that a missing ``^`` is reported and fixed as well
    anchor_start: bool = False
    matcher: str = ""  # (nginx) how messages name what applies a "search" pattern; "" for ``RegExp.test()``


@dataclass
class AllowedOrigins:
    """Which origins a CORS policy or Socket.IO server lets in, in one shape for every library.

    ``kind``: "list" (exactly ``entries``), "regex" (only patterns), "any" (every origin: ``*``
    written, or the library's default), "reflect" (the request's own Origin echoed back: ``origin:
    true``, a header copying ``req.headers.origin``), "same-origin" (only the server's own origin:
    python-engineio's default), "check-off" (the Origin check switched off: python-engineio
    ``cors_allowed_origins=[]``), "unknown" (read from the environment, a callback, a variable).
    """

    kind: str = "unknown"
    expr: Expr | None = None  # the written setting; None when the library default decides
    entries: list[OriginEntry] = field(default_factory=list)
    default: bool = False  # nothing written: ``kind`` is the library's default
    # "any" only: how the answer is sent. True: a literal ``Access-Control-Allow-Origin: *``, which
    # browsers refuse with credentials; False: the caller's origin is echoed (Flask-CORS, Starlette,
    # Django, python-engineio, ingress-nginx do this for ``*``), which credentials make dangerous
    literal_star: bool = False
    # the browser's Origin is compared byte for byte with each plain entry (the cors package,
    # python-engineio): an entry without a scheme or with a trailing ``/`` can never match
    exact: bool = False
    # the server itself refuses a connection whose Origin is not allowed (python-engineio), rather
    # than leaving it to browsers reading the CORS headers (the cors package behind socket.io)
    enforced_by_server: bool = False
    # hand-written headers: the extractors read the setting function, so an echo of the request's
    # Origin is "reflect" only when nothing there compares it with an allow-list first ("unknown" then)
    echo_in_code: bool = False
    # -- how a fix writes a list of origins ------------------------------------------------------
    setting: str = ""  # the option/setting/annotation that holds the origins, as the code names it
    shown_as: str = ""  # how messages name that setting (``cors.origin``), when it differs
    bag: OptionBag | None = None  # where ``setting`` is inserted when it is not written
    switch: Option | None = None  # an allow-all switch a fix turns into ``setting`` (Django)
    # "list": a list literal; "joined": one comma-separated string (ingress-nginx); "": no fix can
    # write a list here (one header per request, one dict key per origin)
    written_as: str = "list"
    joiner: str = ", "  # between origins when ``written_as`` is "joined"
    quote: str = ""  # the quote new strings must take when the format dictates one, else the file's
    # settings authlint does not read (a Flask config loaded from another file) may decide the
    # origins: a fix can show the list to write but cannot know it is the right place
    decided_elsewhere: bool = False
    # (nginx) the request's Origin echoed as one value written in one place (``add_header
    # Access-Control-Allow-Origin $http_origin``): a fix may put the one configured origin there
    echo: OriginEntry | None = None

    @property
    def values(self) -> list[str]:
        """The plain origins listed (patterns left out)."""
        return [entry.value for entry in self.entries if not entry.pattern]

    @property
    def patterns(self) -> list[OriginEntry]:
        return [entry for entry in self.entries if entry.pattern]


@dataclass
class CorsPolicy(Fact):
    """A CORS policy (a middleware, settings, headers, an ingress, or a Socket.IO server's origin
    check). ``origins``/``credentials``/``origin_regex`` are what the code wrote; ``allowed`` and
    ``allows_credentials`` are what that means under the library's rules, the same for every language."""

    framework: str = ""  # flask-cors | starlette | django | express-cors | header | ingress
    origins: Expr | None = None  # None: not given (framework default)
    credentials: Expr | None = None
    origin_regex: Expr | None = None
    options: OptionBag = field(default_factory=OptionBag)
    # -- the normalised model (what rules read) ------------------------------------------------------
    allowed: AllowedOrigins = field(default_factory=AllowedOrigins)
    allows_credentials: bool | None = None  # True / False, None when it cannot be known
    credentials_default: bool = False  # not written: ``allows_credentials`` is the library default
    socketio_server: bool = False  # the origin policy of a Socket.IO server: SIO rules report it
    # (travel) settings the library reads where the code here leaves an option out, by policy field
    # (``origins``/``credentials``) -> setting name (Flask-CORS: ``CORS_ORIGINS`` from ``app.config``):
    # the project phase completes the policy from where the project writes them (``facts.travel``)
    reads_settings: dict[str, str] = field(default_factory=dict)

    @property
    def label(self) -> str:
        """How messages name the library or mechanism; display only, rules never branch on it."""
        return self.framework


# -- which channel carries the users' credentials (COR001/SIO003 weigh a wildcard by it) -----------

AMBIENT = "ambient"  # the browser attaches it by itself: cookies, server sessions, credentialed requests
EXPLICIT = "explicit"  # page script attaches it: an ``Authorization`` header, the Socket.IO ``auth`` payload


@dataclass
class CredentialChannel(Fact):
    """Code that shows how the project's users' credentials travel: a server session or cookie read
    (Flask ``session``, express-session, ``req.cookies``), a client sending credentialed requests
    (``withCredentials: true``, ``credentials: "include"``) — AMBIENT; or a bearer token read from
    or sent in the ``Authorization`` header (FastAPI ``HTTPBearer``, passport-jwt
    ``fromAuthHeaderAsBearerToken``) — EXPLICIT. Cookies, storage writes, JWT settings and Socket.IO
    handshakes say the same through their own facts; rules join them all (``rules/cors/channels.py``)."""

    channel: str = AMBIENT  # AMBIENT | EXPLICIT
    via: str = ""  # what shows it, as messages name it ("Flask `session`", "the `Authorization` header")


@dataclass
class JwtMint(Fact):
    """A token minted: ``jwt.encode``, ``jwt.sign``, jose ``SignJWT``, ``create_access_token``,
    ``JwtModule.register`` (how every ``JwtService.sign`` mints)."""

    library: str = ""  # provenance for people and ``authlint facts``; rules read the fields below
    payload: Expr | None = None
    key: Expr | None = None
    algorithm: Expr | None = None
    has_exp: bool | None = None  # None: cannot tell (payload built elsewhere)
    lifetime: float | None = None  # seconds, when known
    lifetime_expr: Expr | None = None  # timedelta(...) / expiresIn value, for fixes
    options: OptionBag = field(default_factory=OptionBag)
    # the option that mints without expiry on purpose (Flask-JWT-Extended ``expires_delta=False``)
    expiry_off: Option | None = None
    # key and algorithm come from framework settings (Flask-JWT-Extended ``JWT_SECRET_KEY`` and
    # ``JWT_ALGORITHM``), not from this call: ``key``/``algorithm`` say nothing then
    signs_with_settings: bool = False
    verifier: str = ""  # the library that checks ``exp`` on these tokens, as messages name it ("PyJWT")
    # How another place can name the signing key (see ``KeyReach``), so a verification elsewhere
    # can be given the very key tokens are signed with; empty when it cannot be named elsewhere.
    key_reach: KeyReach | None = None


@dataclass
class KeyReach:
    """How a mint's signing key can be named from another place (the same file or another module).

    ``names``: what the key is, comparably across files: ``env:JWT_SECRET``, ``settings:SECRET_KEY``,
    ``module:app.auth.SECRET`` (a module-level name, by its dotted module path). ``code``: the
    expression that reads the key where it is bound (``os.environ["JWT_SECRET"]``), valid in any file
    that binds the names in ``needs`` (local name -> what it refers to, ``{"os": "os"}``) the same
    way; None when it reads local variables (or is a literal: a secret is never copied).
    """

    names: list[str] = field(default_factory=list)
    code: str | None = None
    needs: dict[str, str] = field(default_factory=dict)


@dataclass
class KeyNames:
    """The names a verification's file offers for a key (``KeyReach.names`` -> the code naming it at
    the call: ``{"env:JWT_SECRET": "KEY", "module:app.auth.SECRET": "SECRET"}``) and what the file's
    names refer to (``imports``: local name -> dotted name, ``{"os": "os", "SECRET": "app.auth.SECRET"}``)."""

    spellings: dict[str, str] = field(default_factory=dict)
    imports: dict[str, str] = field(default_factory=dict)
    module: str = ""  # this file's dotted module path (``app/api.py`` -> ``app.api``)


VERIFY = "verify"  # JwtVerify.intent: decode for authentication (signature, and expiry, checked)
PEEK = "peek"  # a deliberate unverified look whose API says so (``get_unverified_header``/``_claims``)
DECODE_ONLY = "decode-only"  # reads claims unverified under a name that reads like a check (``jwt.decode()`` in JS)


@dataclass
class LeewaySlot:
    """Where a verification's clock-skew allowance lives, so a rule reads and sets it without knowing
    the library: PyJWT ``leeway=``, python-jose ``options={"leeway": ...}``, jsonwebtoken and jose
    ``clockTolerance``, passport-jwt ``jsonWebTokenOptions.clockTolerance``, Flask-JWT-Extended's
    ``JWT_DECODE_LEEWAY`` setting."""

    name: str  # the option's name where it lives
    unit: float = 1.0  # seconds per unit of a number written there
    option: Option | None = None  # the leeway as written
    seconds: float | None = None  # its value in seconds, as the library reads it (None: unknown)
    # the options it is (or would be) written in, when authlint can edit them at this call
    bag: OptionBag | None = None
    # when it lives nested and the nested options are missing: the option to add around it
    # (``options``, ``jsonWebTokenOptions``) in the call's own options
    holder: str | None = None
    hidden: bool = False  # may be set where authlint cannot see (a spread, options built elsewhere)
    in_settings: bool = False  # a framework setting, not an argument of this call


@dataclass
class JwtVerify(Fact):
    """A token checked (or read): ``jwt.decode``, ``jwt.verify``, jose ``jwtVerify``, passport-jwt and
    express-jwt options, Flask-JWT-Extended ``decode_token``, ``get_unverified_header``."""

    library: str = ""  # provenance for people and ``authlint facts``; rules read the fields below
    function: str = ""  # the call as the library names it (provenance too)
    intent: str = VERIFY  # VERIFY | PEEK | DECODE_ONLY
    reads: str = "claims"  # "claims" | "header": what the call hands back
    label: str = ""  # how messages name the call: "`decode()`", "jose `decodeJwt()`"
    token: Expr | None = None
    key: Expr | None = None
    algorithms: Expr | None = None  # the accepted algorithms, when given at this call
    algorithms_at: str = "call"  # "call" (an argument or option here) | "settings" (framework config)
    # without a list the library raises (PyJWT) or accepts what the token names (python-jose); False
    # where it derives a safe default from the key (jsonwebtoken 9, jose)
    algorithms_required: bool = False
    options: OptionBag = field(default_factory=OptionBag)  # call kwargs / JS options object
    # where the verification switches live: a nested dict (PyJWT ``options={...}``) or the call's own
    # options (jsonwebtoken ``ignoreExpiration``); None when they cannot be read
    switches: OptionBag | None = None
    switches_holder: Option | None = None  # the option holding nested switches (``options=``), when nested
    verifies_signature: bool | None = True  # False when verification is switched off
    signature_off: Option | None = None  # the switch that turned it off, when written
    verifies_exp: bool | None = True  # None: cannot tell (switches spread or built elsewhere)
    expiry_off: Option | None = None  # ``verify_exp: False``, ``ignoreExpiration: true``, ``allow_expired=True``
    leeway: LeewaySlot | None = None  # None: the library has none
    # a look at the token (header or unverified claims) whose result picks the key, issuer or
    # audience of a verified decode of the same token later in the same function: the "peek, pick
    # the tenant key, then verify" pattern, secure as a whole
    selects_verification: bool = False
    # a look (unverified decode, header or claims peek) at a token that a verification of the same
    # token (same name or expression) earlier in the same function has checked on every path to it:
    # the claims it reads are already verified
    verified_before: bool = False
    # the names this call's file offers for a key (filled where a key may have to be written here)
    key_names: KeyNames | None = None
    # the function's name as written (``decode`` of ``jwt.decode``), when the call names it through
    # the library's module object, so a fix can call its verifying sibling instead
    function_span: Span | None = None
    verifying_sibling: str = ""  # that sibling (jsonwebtoken ``verify`` for ``decode``)
    # the keyword a key is passed by (PyJWT/python-jose ``key=``); "" where it is positional only
    key_keyword: str = ""
    # -- (versions) what changed between releases of the verifying library
    # without ``algorithms`` the default list is unsafe before this release: jsonwebtoken < 9 accepts
    # ``none`` for a falsy key and tries a key without PEM markers as an HMAC secret; express-jwt < 6
    algorithms_default_unsafe: VersionGate | None = None
    # without ``algorithms`` the call raises from this release on (PyJWT 2.0: DecodeError); before it,
    # any algorithm the token names is accepted
    algorithms_required_since: VersionGate | None = None
    # the written switch that turns verification off (``signature_off``) works only before this
    # release (PyJWT ``verify=False``: ignored from 2.0, which verifies anyway)
    signature_switch_until: VersionGate | None = None
    # the key is a function the library calls per token (jsonwebtoken ``getKey(header, cb)``,
    # express-jwt ``secret: jwksRsa.expressJwtSecret(...)``): what it returns cannot be seen
    key_from_callback: bool = False


@dataclass
class SettingLifetime:
    """One token-lifetime setting (``JWT_ACCESS_TOKEN_EXPIRES``, SimpleJWT ``ACCESS_TOKEN_LIFETIME``)."""

    option: Option
    seconds: float | None  # None: unknown, or never expires
    never: bool = False  # ``False`` written: these tokens never expire
    refresh: bool = False  # a refresh-token lifetime (meant to live long)


@dataclass
class JwtConfig(Fact):
    """Framework JWT settings (Flask-JWT-Extended ``JWT_*`` keys, Django SIMPLE_JWT)."""

    framework: str = ""  # provenance for people; rules read the fields below
    settings: OptionBag = field(default_factory=OptionBag)
    lifetimes: list[SettingLifetime] = field(default_factory=list)  # access lifetimes first


@dataclass
class StorageWrite(Fact):
    """A write to browser storage: ``localStorage.setItem(k, v)``, ``sessionStorage[k] = v``."""

    storage: str = "localStorage"  # | "sessionStorage"
    key: Expr | None = None
    value: Expr | None = None


COOKIE_FLAGS = ("HttpOnly", "Secure", "SameSite")  # the Set-Cookie attributes that protect a token


@dataclass
class CookieSet(Fact):
    """A cookie being set: by a server framework (``set_cookie``, ``res.cookie``) or by page script.

    ``flag_options`` says how this library spells each protecting attribute as an option (Werkzeug
    ``httponly``, express ``httpOnly``), so a rule asks for ``HttpOnly`` without knowing the library.
    """

    framework: str = ""  # flask | django | starlette | aiohttp | express | fastify | next | document.cookie | js-cookie
    name: Expr | None = None
    value: Expr | None = None
    options: OptionBag = field(default_factory=OptionBag)
    # COOKIE_FLAGS attribute -> the option that sets it here ({"HttpOnly": "httponly", ...})
    flag_options: dict[str, str] = field(default_factory=dict)
    # the SameSite the framework sends when none is given (Starlette: "lax"); None: none is sent
    samesite_default: str | None = None
    # the page-script API that wrote it, as people name it ("`document.cookie`", "js-cookie"); "" when a
    # server sets it. A cookie written by script is readable by script: it can never be HttpOnly.
    script_writer: str = ""

    def flag(self, attribute: str) -> Option | None:
        """The option setting one of COOKIE_FLAGS, when written."""
        name = self.flag_options.get(attribute)
        return self.options.get(name) if name else None


@dataclass
class NatsClient(Fact):
    """A NATS client connecting (nats-py ``nats.connect``, nats.js ``connect``), with the credentials
    it presents in their meaning, whatever the library calls them (nats-py ``password``, nats.js
    ``pass``)."""

    library: str  # "nats-py" | "nats.js": provenance for people; rules read the fields below
    servers: Expr | None = None
    options: OptionBag = field(default_factory=OptionBag)
    token: Option | None = None
    user: Option | None = None
    password: Option | None = None
    # -- keep-alive, whatever the library calls it (nats-py ``ping_interval`` in seconds /
    # ``max_outstanding_pings``, nats.js ``pingInterval`` in milliseconds / ``maxPingOut``); None: not
    # written, the library's default applies (both: 120 s and 2)
    ping_interval: TimedOption | None = None
    max_pings_out: Option | None = None
    default_ping_interval: float = 120.0
    default_max_pings_out: int = 2


@dataclass
class NatsServerPings(Fact):
    """A nats-server config's client keep-alive as the server applies it (``ping_interval``,
    ``ping_max``; defaults where not written, and where a 0 is written), with where each value is
    written so NAT003 can report and fix it and weigh the project's clients against it. Every config
    whose values can be read has one; ``span`` is empty."""

    interval: float = 120.0  # seconds the server applies
    written_interval: float = 120.0  # seconds as written (0 kept)
    ping_max: int = 2  # as applied (a written 0 is the default 2; a negative one is kept)
    interval_written: bool = False  # set by this config or a file it includes
    max_written: bool = False
    written_max: int | None = None  # as written
    interval_zero: bool = False
    max_zero: bool = False
    # the value's span when written in this file (None: not written, or by an included file), and
    # whether it is a literal a fix can replace
    interval_span: Span | None = None
    max_span: Span | None = None
    interval_literal: bool = False
    max_literal: bool = False
    # (proxytiming) the ports these pings travel on, which a proxy in front passes to (PRX003): the
    # client port (``port``/``listen``, default 4222; None: not a number) and the websocket port
    # (``websocket { port }``; None: no websocket listener, or not a number)
    client_port: int | None = 4222
    websocket_port: int | None = None

    @property
    def window(self) -> float:
        """How long a silent client stays connected: about (ping_max + 1) × ping_interval."""
        return (self.ping_max + 1) * self.interval


@dataclass
class JwtLiteral(Fact):
    """A JWT written into source or config (``eyJ...``)."""

    token: str = ""


@dataclass
class NatsRealm:
    """The credentials one kind of nats-server listener (client, leaf, route) accepts."""

    tokens: list[str] = field(default_factory=list)
    users: dict[str, list[str | None]] = field(default_factory=dict)  # name -> passwords (None: unknown)
    nkeys: int = 0
    opaque: bool = False  # some credential comes from the environment or could not be read
    where: list[str] = field(default_factory=list)

    @property
    def has_auth(self) -> bool:
        return bool(self.tokens or self.users or self.nkeys or self.opaque)

    def merge(self, other: NatsRealm) -> None:
        self.tokens.extend(other.tokens)
        for user, passwords in other.users.items():
            self.users.setdefault(user, []).extend(passwords)
        self.nkeys += other.nkeys
        self.opaque |= other.opaque
        self.where.extend(other.where)


@dataclass
class NatsPresented:
    """Credentials a NATS client sends: from options or from a ``scheme://user:pass@host`` URL."""

    source: Source = field(repr=False, compare=False)
    span: Span
    token: str | None = None
    user: str | None = None
    password: str | None = None
    password_span: Span | None = None
    label: str = "NATS client"
    realm: str = "client"  # the listener it talks to: client | leaf | route


@dataclass
class NatsServerAuth(Fact):
    """What one nats-server config accepts per listener and what it presents to its peers.

    A fact (not a tree walk in the project rule) so a warm run joins cached facts without parsing.
    """

    realms: dict[str, NatsRealm] = field(default_factory=dict)
    presented: list[NatsPresented] = field(default_factory=list)  # leafnode remote / route URLs
    unread_includes: bool = False  # an include could not be read: its credentials are unknown


@dataclass
class ConfigIncludes(Fact):
    """The files a config includes (nats-server's ``include``), as relpaths of the project.

    The project phase joins these to know which files are fragments of another config, from the
    files the run discovered (and their cached facts on a warm run), never by reading the disk.
    """

    targets: tuple[str, ...] = ()


# -- environment values a deployment gives the code (Compose, Kubernetes, dotenv files) ----------


@dataclass
class EnvSetting:
    """One variable a deployment file sets: ``JWT_SECRET: s3cr3t``, ``- JWT_SECRET=s3cr3t``,
    ``{name: JWT_SECRET, value: s3cr3t}``, ``JWT_SECRET=s3cr3t`` in a dotenv file."""

    name: str
    value: str | None  # the literal value; None when it is not one (``${VAR}``, ``valueFrom``, no value)
    span: Span  # where the value is written (the name's span when there is no value)


@dataclass
class EnvBlock(Fact):
    """The environment one deployable is given, as written in one file.

    ``origin``: "compose" (a service's ``environment``; its ``env_file`` entries are named in
    ``env_files`` and joined in the project phase), "kubernetes" (a container's ``env``), "dotenv"
    (a ``.env`` file's assignments). ``serves``: the project folder (relpath, "" for the root) whose
    code runs with these values: a Compose service's ``build`` context, a dotenv file's own folder;
    None when the file does not say (a Kubernetes container, a Compose service built elsewhere).
    """

    origin: str = ""
    service: str = ""  # the Compose service, ``Deployment/api`` (and ``:container`` when several); "" for dotenv
    image: str = ""  # the image the container runs, as written
    serves: str | None = None
    env_files: tuple[str, ...] = ()  # Compose ``env_file`` entries, as project relpaths, in order
    template: bool = False  # a dotenv template (``.env.example``): values to replace, not a deployment's
    settings: list[EnvSetting] = field(default_factory=list)


# -- (clientenv) NATS client settings outside a connect call ---------------------------------------


@dataclass
class NatsContext(Fact):
    """A nats CLI context (``context/NAME.json``, as ``nats context save`` writes it under
    ``~/.config/nats/context/``): the connection settings it holds, one ``EnvSetting`` per key
    (``url``, ``token``, ``user``, ``password``, ``creds``, ``nkey``) with its literal value."""

    name: str = ""  # the context's name: the file's stem
    settings: list[EnvSetting] = field(default_factory=list)


@dataclass
class EnvFallback(Fact):
    """An environment read that falls back to a literal when the variable is unset
    (``os.environ.get("NATS_TOKEN", "dev")``, ``process.env.NATS_TOKEN || "dev"``); ``span`` is the
    read, ``value_span`` the literal (inside its quotes)."""

    variable: str = ""
    value: str = ""
    value_span: Span = field(default_factory=lambda: Span(0, 0))
    # the text to delete so the read keeps no fallback (``, "dev"``, `` || "dev"``); None when
    # deleting it would not leave a plain read (``setdefault`` needs its value)
    drop: Span | None = None


# -- values that travel between modules (travel) ----------------------------------------------------


@dataclass
class ModuleValues(Fact):
    """What one module defines that other modules read, so the project phase follows imports and
    framework settings across files from facts alone (a warm run joins them from the cache).

    ``module``: how imports name this module (Python ``pkg.config``; JS ``src/config``, its relpath
    without extension or ``/index``). ``values``: module-level names (``JWT_SECRET``), class attributes
    (``Config.SECRET_KEY``) and object-literal properties (``ENV.JWT_SECRET``) whose value can matter
    elsewhere: environment and settings reads, imports of other modules, and string literals bound to
    a name that says it holds a secret (the secret finders mask exactly those). ``settings``: framework
    settings written here (Flask ``app.config[...]``, a Django settings module, pydantic
    ``BaseSettings`` defaults, read as fallbacks of the environment), by setting name. ``loads``:
    settings objects handed to Flask's ``config.from_object``, by dotted name. ``bases``: the
    same-module base classes of each class (a loaded class inherits their attributes).
    """

    module: str = ""
    values: dict[str, Expr] = field(default_factory=dict)
    settings: dict[str, list[Expr]] = field(default_factory=dict)
    loads: list[str] = field(default_factory=list)
    bases: dict[str, list[str]] = field(default_factory=dict)
    # module-level names bound to a Socket.IO server made here -> the start of its fact's span, so a
    # handler registered on the imported server in another module finds it
    servers: dict[str, int] = field(default_factory=dict)
    # exported functions written as Socket.IO middlewares or connect handlers (``export const
    # authenticate = (socket, next) => ...``; ``default`` for a default export), read as handlers
    handlers: dict[str, ConnectHandler] = field(default_factory=dict)


@dataclass
class ForeignConnectHandler(Fact):
    """A connect handler registered on a Socket.IO server another module of the project creates
    (``from .addon import sio`` then ``@sio.on("connect")``): the project phase gives it to that
    server. ``server`` names the server as imported (Python ``app.addon.sio``; JS ``src/io:io``)."""

    server: str = ""
    handler: ConnectHandler = field(default_factory=lambda: ConnectHandler(span=Span(0, 0)))


@dataclass
class NatsJwt(Fact):
    """A NATS JWT where a server or client reads it: a ``.jwt`` file, a ``.creds`` file, or inline
    in a nats-server config (``operator``, ``resolver_preload``). NAT008 judges each token once,
    however many files hold it (the same user JWT in ``user.creds`` and ``user.jwt``)."""

    token: str = ""
    token_file: bool = False  # a .jwt/.creds file (a copy of a credential), not a config's own setting


# -- how nats-server is started (command-line flags in Compose, Kubernetes, Dockerfile, Procfile) --


@dataclass
class NatsFlag:
    """One nats-server command-line flag as a deployment writes it (``--auth s3cr3t``, ``-c=/x.conf``)."""

    name: str  # canonical long name (``auth``, ``user``, ``pass``, ``config``, ``port``, ``jetstream``, ...)
    written: str  # as written, dashes included (``-c``, ``--config``)
    value: str | None  # None for a switch (``-js``)
    span: Span  # the value's characters (the flag's own for a switch)
    flag_span: Span
    literal: bool = True  # False: the shell or Compose expands it (``$NATS_TOKEN``, ``${PASS}``)


@dataclass
class NatsMount:
    """A path a deployment puts into the server's file system: ``target`` inside the container,
    ``relpath`` the project file or folder it comes from (None: a volume, a Secret, a host path)."""

    target: str
    relpath: str | None = None


@dataclass(frozen=True)
class NatsPublish:
    """A container port a deployment makes reachable from outside its container network: Compose
    ``ports`` (``"4222"``, ``"127.0.0.1:4222:4222"``, the long form), a Kubernetes ``hostPort``.
    ``host``: the host address as written ("" : every interface); ``ports``: the container port or
    range as written (``"4222"``, ``"4222-4225"``, ``"${P}"``)."""

    host: str
    ports: str
    via: str = ""  # a Kubernetes Service that exposes it ("Service `nats` (LoadBalancer)"); "": the port itself


@dataclass
class NatsLaunch(Fact):
    """One nats-server a deployment file starts, and what that start gives it.

    ``origin``: compose | kubernetes | dockerfile | procfile. ``config``: the ``-c`` path as the
    server sees it (or the official image's default config when the command is not overridden);
    ``config_relpath``: the project file that is, when the mounts or the file's folder tell.
    ``env``: variables the deployment sets (any value, literal or not); ``env_open``: it also takes
    variables authlint cannot list (Kubernetes ``envFrom``); ``env_files``: Compose ``env_file``s
    (joined in the project phase). ``container``: runs in a container, whose runtime sets ``HOSTNAME``.
    """

    origin: str = ""
    service: str = ""  # how messages name it: "Compose service `nats`", "`StatefulSet/nats`"
    image: str = ""
    flags: list[NatsFlag] = field(default_factory=list)
    config: str | None = None
    config_relpath: str | None = None
    env: tuple[str, ...] = ()
    env_open: bool = False
    env_files: tuple[str, ...] = ()
    mounts: list[NatsMount] = field(default_factory=list)
    container: bool = True
    # runs the official image as published (not built here): its files are the image's own plus
    # what the deployment mounts, so a path outside both is missing for sure
    stock: bool = False
    # where the deployment writes the command (its words, None: the image's own command) and the image
    command_span: Span | None = None
    image_span: Span | None = None
    # how the server's ports reach beyond its container network: published ports, the host's network
    published: list[NatsPublish] = field(default_factory=list)
    host_network: bool = False
    # the service takes settings from elsewhere (a YAML `<<` merge key, Compose `extends`): what
    # it runs with is not all written here
    inherits: bool = False

    def flag(self, *names: str) -> NatsFlag | None:
        """The last of these flags (Go's flag package: the last one wins)."""
        found = [f for f in self.flags if f.name in names]
        return found[-1] if found else None

    @property
    def where(self) -> str:
        """``Compose service `nats` (docker-compose.yml:7)``."""
        return f"{self.service} ({self.source.relpath}:{self.source.position(self.span.start)[0]})"


@dataclass
class NatsNeed:
    """Something a nats-server config needs from outside itself: an environment variable
    (``kind`` "variable", a ``$NAME`` it does not define) or a file (``kind`` "file", a TLS
    ``cert_file``/``key_file``/``ca_file``: ``name`` is the key, ``path`` the path as written)."""

    kind: str
    name: str
    span: Span
    path: str = ""


@dataclass
class NatsConfigProblem:
    """What nats-server would refuse in the config as written (the parser's ``Problem``): kept as a
    fact so NAT011 judges it in the project phase, next to the deployments that run the config."""

    kind: str  # variable | include | dangling
    message: str
    span: Span
    name: str = ""


@dataclass
class NatsConfigNeeds(Fact):
    """One config's unresolved references and outside needs (its own text only; ``span`` empty)."""

    problems: list[NatsConfigProblem] = field(default_factory=list)
    needs: list[NatsNeed] = field(default_factory=list)
    defined: tuple[str, ...] = ()  # the config's top-level keys (a reference to one is "defined later")
    unread_includes: bool = False


# -- nginx in front of the app (rules/proxy; lint/facts/nginx) ------------------------------------


@dataclass
class NginxDirective:
    """One nginx directive as written, as the nginx facts carry it (crossplane's tokens, with spans)."""

    name: str
    args: list[str]  # as nginx reads them (quotes removed)
    span: Span  # the name through its ``;`` (a block: through its ``}``)
    arg_spans: list[Span] = field(default_factory=list)  # each argument as written, quotes included
    level: str = ""  # the block it is written in: location | server | http | stream | main | if | upstream
    inherited: bool = False  # written in an enclosing block, not in the one the fact is about
    relpath: str = ""  # the file it is written in when not the fact's own (joined from an include)


@dataclass
class NginxProxy(Fact):
    """A ``location`` (or ``server``) whose requests nginx passes to an app (``proxy_pass``), or a
    ``stream {}`` server passing TCP connections on (a NATS port): what decides those connections,
    as nginx applies it there.

    ``settings`` holds every directive in effect, by name, under nginx's inheritance: a block that
    writes a directive replaces all the enclosing blocks' copies of it (``add_header`` and
    ``proxy_set_header`` included, which is the classic trap); directives written in an ``if``
    inside the location are in ``conditional`` instead, since they apply to some requests only.
    """

    context: str = "http"  # "http" (HTTP proxying) | "stream" (TCP: ``stream { server { proxy_pass } }``)
    location: str = ""  # the location's match (``/socket.io/``); "" for a server-level proxy_pass
    modifier: str = ""  # "", "=", "~", "~*", "^~"
    location_span: Span | None = None  # the location's match as written
    target: str = ""  # the ``proxy_pass`` argument
    target_span: Span | None = None
    upstream: str = ""  # its host part: an ``upstream`` block's name, or ``host:port``
    server_names: list[str] = field(default_factory=list)
    listens: list[str] = field(default_factory=list)  # ``listen`` arguments of the server, joined
    server: Span | None = None  # the enclosing ``server`` directive (locations of one server share it)
    settings: dict[str, list[NginxDirective]] = field(default_factory=dict)
    conditional: list[NginxDirective] = field(default_factory=list)
    block: Span | None = None  # the location's (or server's) body, between its braces
    insert_at: int | None = None  # where a new directive line is inserted: the end of the block's last line
    indent: str = ""  # the indent a new directive takes there
    # written outside any http{}/stream{} of this file: a fragment included elsewhere
    # (``conf.d/app.conf``), whose enclosing blocks' settings are the includer's (``facts.nginx.includes``)
    fragment: bool = False
    # the ``include`` directives of the location and its enclosing blocks: the snippets they pull in
    # add to ``settings`` (``facts.nginx.includes.in_effect`` joins them from the project)
    includes: list[NginxDirective] = field(default_factory=list)

    def setting(self, name: str) -> NginxDirective | None:
        """The directive in effect (the last one written at the deciding level), or None."""
        found = self.settings.get(name)
        return found[-1] if found else None


@dataclass
class NginxUpstream(Fact):
    """An ``upstream`` block: the servers a proxy balances over, and how it picks one."""

    name: str = ""
    context: str = "http"  # "http" | "stream"
    servers: list[NginxDirective] = field(default_factory=list)  # its ``server`` lines
    # the directives that choose the server: ip_hash, hash, sticky, least_conn, random, ...
    balancing: list[NginxDirective] = field(default_factory=list)
    block: Span | None = None
    insert_at: int | None = None
    indent: str = ""


@dataclass
class NginxMapEntry:
    key: str
    value: str
    key_span: Span
    value_span: Span


@dataclass
class NginxMap(Fact):
    """A ``map $source $variable { key value; ... }``: how a variable is computed from another
    (``$connection_upgrade`` from ``$http_upgrade``, an allowed origin from ``$http_origin``)."""

    source_var: str = ""
    variable: str = ""
    entries: list[NginxMapEntry] = field(default_factory=list)  # ``default`` included, in order
    context: str = "http"


@dataclass
class NginxSnippet(Fact):
    """The directives written at the top of an nginx file, outside any block: what an ``include``
    of it adds to the including block (``snippets/websocket.conf``, ``conf.d/*.conf``)."""

    settings: dict[str, list[NginxDirective]] = field(default_factory=dict)


@dataclass
class NginxInclude(Fact):
    """An ``include`` directive: which files it pulls in, in which block, with what that block
    already has in effect (a fragment's proxies inherit it)."""

    pattern: str = ""  # as written (a glob, relative to nginx's prefix or the including file)
    context: str = ""  # the enclosing block: main | http | server | location | stream | upstream
    settings: dict[str, list[NginxDirective]] = field(default_factory=dict)  # in effect at the include
    server_names: list[str] = field(default_factory=list)
    listens: list[str] = field(default_factory=list)


# -- nginx access logs (PRX005; lint/facts/nginx/logs.py) ----------------------------------------


@dataclass
class NginxLogVariable:
    """A variable a ``log_format`` writes, where it is written (``$name`` or ``${name}``)."""

    name: str  # without the ``$``: ``request_uri``, ``http_authorization``
    span: Span  # as written in the file, ``$`` (and braces) included


@dataclass
class NginxLogFormat(Fact):
    """A ``log_format name [escape=...] string ...;`` definition (``span``: its name).

    ``format`` is the line nginx writes per request: the strings concatenated as nginx does (no
    separator), quotes removed; ``variables`` are the variables in it, with their spans in the file.
    """

    name: str = ""
    format: str = ""
    escape: str = ""  # "default" | "json" | "none"; "" when not written (nginx's default escaping)
    variables: list[NginxLogVariable] = field(default_factory=list)
    context: str = "http"  # "http" | "stream"
    directive: NginxDirective | None = None

    @property
    def names(self) -> list[str]:
        return [variable.name for variable in self.variables]


@dataclass
class NginxAccessLog(Fact):
    """An ``access_log`` directive as written (any level, ``if`` blocks included): which files it
    writes and with which format. ``format`` is ``combined`` when none is named, "" for ``off``."""

    path: str = ""
    format: str = ""
    off: bool = False
    level: str = ""  # http | server | location | if | limit_except
    context: str = "http"
    directive: NginxDirective | None = None


@dataclass
class NginxLogSlot(Fact):
    """Where a new ``log_format`` can be defined for the servers of one ``http {}`` block (or of a
    fragment whose top-level ``server {}`` blocks are included into one): a line before its first
    ``server``. ``block`` is the http block's span, None for a fragment's top level."""

    block: Span | None = None
    insert_at: int = 0  # the start of the first server's line (or the server itself when not first on it)
    indent: str = ""  # that server's indent
    own_line: bool = True  # False: the server shares its line with what comes before


F = TypeVar("F", bound=Fact)


@dataclass
class FileFacts:
    """All facts of one file, in source order."""

    items: list[Fact] = field(default_factory=list)
    # kind -> its facts, in source order: project rules ask each file for the same kinds again and
    # again (every rule, every edit in the language server), and a file holds hundreds of facts
    _by_kind: dict[type, list] = field(default_factory=dict, repr=False, compare=False)

    def of(self, kind: type[F]) -> Iterator[F]:
        found = self._by_kind.get(kind)
        if found is None:
            found = self._by_kind[kind] = [fact for fact in self.items if isinstance(fact, kind)]
        return iter(found)

    def add(self, fact: Fact) -> None:
        self.items.append(fact)
        self._by_kind.clear()
