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
    items: list[Expr] | None = None  # an array literal's elements (their spans, regex flags), in order
    entries: OptionBag | None = None  # an object literal's properties (keys known even if values are not)

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


@dataclass
class AuthRead:
    """A connect handler or middleware reading a credential from the handshake."""

    span: Span
    channel: str  # "auth" | "header" | "query" | "cookie"
    key: str | None  # auth["token"] -> "token"; header name lower-cased; None when dynamic


@dataclass
class ConnectHandler:
    """A Socket.IO connect handler (python) or ``io.use``/``connection`` handler (JS)."""

    span: Span
    reads: list[AuthRead] = field(default_factory=list)
    refuses: bool = False  # returns False / raises ConnectionRefusedError / next(new Error())
    takes_auth: bool = True  # the handler's signature can receive the auth payload
    opaque: bool = False  # defined elsewhere (imported, or built by a call such as authorize({...})):
    # what it reads and whether it refuses cannot be seen, so reads/refuses say nothing


@dataclass
class SocketIOServer(Fact):
    library: str = "python-socketio"  # | "flask-socketio" | "socket.io"
    options: OptionBag = field(default_factory=OptionBag)
    handlers: list[ConnectHandler] = field(default_factory=list)
    unknown_options: list[Option] = field(default_factory=list)


@dataclass
class SocketIOClient(Fact):
    library: str = "python-socketio"  # | "socket.io-client"
    url: Expr | None = None
    options: OptionBag = field(default_factory=OptionBag)  # python connect() kwargs / JS io() options
    auth_keys: list[str] | None = None  # keys of the auth payload when it is a literal
    url_token: Span | None = None  # a token-like query parameter inside the URL literal
    unknown_options: list[Option] = field(default_factory=list)


@dataclass
class CorsPolicy(Fact):
    framework: str = ""  # flask-cors | starlette | django | express-cors | header | ingress
    origins: Expr | None = None  # None: not given (framework default)
    credentials: Expr | None = None
    origin_regex: Expr | None = None
    options: OptionBag = field(default_factory=OptionBag)


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


@dataclass
class CookieSet(Fact):
    framework: str = ""  # flask | django | starlette | express | document.cookie
    name: Expr | None = None
    value: Expr | None = None
    options: OptionBag = field(default_factory=OptionBag)


@dataclass
class NatsClient(Fact):
    library: str = "nats-py"  # | "nats.js"
    servers: Expr | None = None
    options: OptionBag = field(default_factory=OptionBag)


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


F = TypeVar("F", bound=Fact)


@dataclass
class FileFacts:
    """All facts of one file, in source order."""

    items: list[Fact] = field(default_factory=list)

    def of(self, kind: type[F]) -> Iterator[F]:
        return (fact for fact in self.items if isinstance(fact, kind))

    def add(self, fact: Fact) -> None:
        self.items.append(fact)
