"""What each Socket.IO / Engine.IO library reads: option names, the unit of its timers, their
defaults, and what an unknown option most likely meant (cheap to import).

Python names are the real signatures of python-socketio 5 / python-engineio 4 (checked with
``inspect.signature``) and Flask-SocketIO's own options; JavaScript names are socket.io 4 /
engine.io 6 ``ServerOptions`` and socket.io-client ``ManagerOptions & SocketOptions``. Units and
defaults: python-engineio ``ping_interval=25, ping_timeout=20`` (seconds); engine.io
``pingTimeout: 20000, pingInterval: 25000`` (milliseconds).
"""

from __future__ import annotations

from dataclasses import dataclass

from authlint.facts.model import Option, OptionBag, TimedOption, UnknownOption

ENGINEIO_SERVER = frozenset({
    "async_mode", "ping_interval", "ping_timeout", "max_http_buffer_size", "allow_upgrades",
    "http_compression", "compression_threshold", "cookie", "cors_allowed_origins", "cors_credentials",
    "logger", "json", "async_handlers", "monitor_clients", "transports",
})
SOCKETIO_SERVER = frozenset({
    "client_manager", "logger", "serializer", "json", "async_handlers", "always_connect", "namespaces",
    "engineio_logger",
})
FLASK_SOCKETIO = frozenset({
    "app", "manage_session", "message_queue", "channel", "path", "resource", "json", "write_only",
    "logger", "engineio_logger", "kwargs",
})
PY_SERVER = ENGINEIO_SERVER | SOCKETIO_SERVER
PY_FLASK_SERVER = PY_SERVER | FLASK_SOCKETIO
PY_CLIENT = frozenset({
    "reconnection", "reconnection_attempts", "reconnection_delay", "reconnection_delay_max",
    "randomization_factor", "logger", "serializer", "json", "handle_sigint", "engineio_logger",
    "request_timeout", "http_session", "ssl_verify", "websocket_extra_options", "timestamp_requests",
})
PY_CONNECT = frozenset({
    "url", "headers", "auth", "transports", "namespaces", "namespace", "socketio_path", "wait",
    "wait_timeout", "retry",
})

JS_SERVER = frozenset({
    "pingTimeout", "pingInterval", "upgradeTimeout", "maxHttpBufferSize", "allowRequest", "transports",
    "allowUpgrades", "perMessageDeflate", "httpCompression", "wsEngine", "initialPacket", "cookie", "cors",
    "allowEIO3", "path", "destroyUpgrade", "destroyUpgradeTimeout", "addTrailingSlash", "serveClient",
    "adapter", "parser", "connectTimeout", "connectionStateRecovery", "cleanupEmptyChildNamespaces",
})
JS_CLIENT = frozenset({
    "forceNew", "multiplex", "reconnection", "reconnectionAttempts", "reconnectionDelay",
    "reconnectionDelayMax", "randomizationFactor", "timeout", "autoConnect", "parser", "auth",
    "ackTimeout", "retries", "path", "query", "extraHeaders", "withCredentials", "transports",
    "upgrade", "rememberUpgrade", "forceBase64", "timestampParam", "timestampRequests",
    "transportOptions", "agent", "pfx", "key", "passphrase", "cert", "ca", "ciphers",
    "rejectUnauthorized", "closeOnBeforeunload", "protocols", "tryAllTransports", "addTrailingSlash",
    "host", "hostname", "secure", "port", "autoUnref", "useNativeTimers", "onlyBinaryUpgrades",
    "requestTimeout", "perMessageDeflate",
})

# Names users write that are not typos of one option but mean a known one.
ALIASES = {
    "cors_allow_origins": "cors_allowed_origins",
    "cors_origins": "cors_allowed_origins",
    "cors_allowed_origin": "cors_allowed_origins",
    "allowed_origins": "cors_allowed_origins",
    "cors_allow_credentials": "cors_credentials",
    "pingtimeout": "ping_timeout",
    "pinginterval": "ping_interval",
}


def known_names(lang: str, kind: str, library: str = "") -> frozenset[str]:
    """All option names a server/client of that language accepts (kind: "server" | "client")."""
    if lang == "python":
        if kind == "server":
            if library == "python-engineio":
                return ENGINEIO_SERVER
            return PY_FLASK_SERVER if library == "flask-socketio" else PY_SERVER
        return PY_CLIENT | PY_CONNECT
    return JS_SERVER if kind == "server" else JS_CLIENT


# -- timers: options that set a length of time, and the unit each library reads them in -----------
SECONDS, MILLISECONDS = "s", "ms"
SECONDS_PER_UNIT = {SECONDS: 1.0, MILLISECONDS: 0.001}
PY_DURATIONS = {
    "ping_timeout": SECONDS, "ping_interval": SECONDS, "reconnection_delay": SECONDS,
    "reconnection_delay_max": SECONDS, "request_timeout": SECONDS, "wait_timeout": SECONDS,
}
JS_DURATIONS = {
    "pingTimeout": MILLISECONDS, "pingInterval": MILLISECONDS, "upgradeTimeout": MILLISECONDS,
    "connectTimeout": MILLISECONDS, "destroyUpgradeTimeout": MILLISECONDS, "reconnectionDelay": MILLISECONDS,
    "reconnectionDelayMax": MILLISECONDS, "timeout": MILLISECONDS, "ackTimeout": MILLISECONDS,
    "requestTimeout": MILLISECONDS,
}
ALL_DURATIONS = {**PY_DURATIONS, **JS_DURATIONS}


@dataclass(frozen=True)
class Timer:
    """A ping timer as one library spells and reads it."""

    name: str
    unit: str
    default: float  # seconds
    read_by: str


PY_PING = {"timeout": Timer("ping_timeout", SECONDS, 20.0, "python-engineio"),
           "interval": Timer("ping_interval", SECONDS, 25.0, "python-engineio")}
JS_PING = {"timeout": Timer("pingTimeout", MILLISECONDS, 20.0, "engine.io"),
           "interval": Timer("pingInterval", MILLISECONDS, 25.0, "engine.io")}


def timed(bag: OptionBag, timer: Timer) -> TimedOption | None:
    """The timer as the library reads it, from the option spelled as that library spells it."""
    option = bag.get(timer.name)
    if option is None:
        return None
    value = option.value.value
    number = isinstance(value, (int, float)) and not isinstance(value, bool)
    seconds = value * SECONDS_PER_UNIT[timer.unit] if number else None
    return TimedOption(option=option, unit=timer.unit, seconds=seconds, default=timer.default, read_by=timer.read_by)


# -- unknown options: what was meant -----------------------------------------------------------------
MAX_DISTANCE = 2
# socket.io v2 server options that v3+ ignores (CORS has been off by default since v3).
REMOVED_FROM_SOCKETIO_SERVER = {
    "origins": "CORS is now the `cors: { origin: [...] }` option",
    "handlePreflightRequest": "preflight requests are answered by the `cors` option",
}


def distance(a: str, b: str) -> int:
    """Optimal-string-alignment edit distance (a swap of neighbours counts once)."""
    rows = [[0] * (len(b) + 1) for _ in range(len(a) + 1)]
    for i in range(len(a) + 1):
        rows[i][0] = i
    for j in range(len(b) + 1):
        rows[0][j] = j
    for i in range(1, len(a) + 1):
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            rows[i][j] = min(rows[i - 1][j] + 1, rows[i][j - 1] + 1, rows[i - 1][j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                rows[i][j] = min(rows[i][j], rows[i - 2][j - 2] + 1)
    return rows[-1][-1]


def suggestion(name: str, known: frozenset[str]) -> str | None:
    """The one known name this is a typo of (or a well-known wrong spelling of), else None."""
    alias = ALIASES.get(name) or ALIASES.get(name.lower())
    if alias in known:
        return alias
    scored = sorted((distance(name.lower(), k.lower()), k) for k in known)
    if not scored or scored[0][0] > MAX_DISTANCE:
        return None
    if len(scored) > 1 and scored[1][0] == scored[0][0]:
        return None  # ambiguous
    return scored[0][1]


def written_unit(name: str, meant_unit: str) -> str:
    """The unit a timer's value was written for: that of the spelling used (exactly, or the one
    spelling within two edits), else that of the option meant."""
    if name in ALL_DURATIONS:
        return ALL_DURATIONS[name]
    scored = sorted((distance(name, spelling), spelling) for spelling in ALL_DURATIONS)
    if scored[0][0] <= MAX_DISTANCE and scored[1][0] != scored[0][0]:
        return ALL_DURATIONS[scored[0][1]]
    return meant_unit


def unknown_options(bag: OptionBag, known: frozenset[str], durations: dict[str, str],
                    removed: dict[str, str] | None = None, only: frozenset[str] | None = None) -> list[UnknownOption]:
    """The options of ``bag`` the library does not read, each with what it meant when that is clear
    (``durations``: the library's timers and their units; ``removed``: options it dropped, and what
    replaced them; ``only``: consider just these names, when a spread may set the rest)."""
    found = []
    for name, option in bag.items.items():
        if name in known or (only is not None and name not in only):
            continue
        found.append(meaning(option, known, durations, removed or {}))
    return found


def meaning(option: Option, known: frozenset[str], durations: dict[str, str], removed: dict[str, str]) -> UnknownOption:
    unknown = UnknownOption(option.name, option.value, option.span, option.name_span)
    if option.name in removed:
        unknown.removed = removed[option.name]
        return unknown
    unknown.meant = suggestion(option.name, known)
    if unknown.meant is not None and unknown.meant in durations:
        unknown.meant_unit = durations[unknown.meant]
        unknown.unit = written_unit(option.name, unknown.meant_unit)
    return unknown


# -- what renaming an ignored option into a known one switches on ----------------------------------
# The ignored option had no effect; renamed, it takes effect. That is behaviour-preserving in spirit
# only when the option cannot open anything: a timer, a retry count, a logger. Every other option
# changes what the server accepts or what the client sends, so SIO004's rename into it is unsafe.
CANNOT_OPEN = frozenset({
    *ALL_DURATIONS,  # ping/upgrade/connect/request timers: when a peer is given up, never who may connect
    "reconnection", "reconnection_attempts", "reconnectionAttempts", "randomization_factor",
    "randomizationFactor", "retries", "retry", "logger", "engineio_logger", "handle_sigint",
})
# Options holding the server's allowed origins (python-engineio reads "*" as every origin)
ORIGIN_OPTIONS = frozenset({"cors_allowed_origins"})
# What each option decides, for the unsafe fix's title (options neither here nor in CANNOT_OPEN are
# unsafe too, with a generic reason: a new option is never safe by default).
DECIDES = {
    **dict.fromkeys(("cors_allowed_origins", "cors"), "which origins may connect"),
    **dict.fromkeys(("cors_credentials", "withCredentials"), "whether cross-origin requests carry cookies"),
    "allowRequest": "which handshakes are accepted",
    "always_connect": "whether a connection is accepted before the connect handler runs",
    **dict.fromkeys(("auth", "query", "headers", "extraHeaders"), "the credential the client sends"),
    **dict.fromkeys(("transports", "allow_upgrades", "allowUpgrades", "upgrade", "allowEIO3"), "which transports are accepted"),
    "cookie": "the cookie the server sets",
    **dict.fromkeys(("path", "socketio_path", "resource"), "the URL path the server answers on"),
    **dict.fromkeys(("manage_session", "http_session"), "where the session lives"),
    **dict.fromkeys(("max_http_buffer_size", "maxHttpBufferSize"), "the largest message accepted"),
    **dict.fromkeys(
        ("ssl_verify", "rejectUnauthorized", "ca", "cert", "key", "pfx", "passphrase", "ciphers", "secure", "agent"),
        "how the client verifies TLS",
    ),
    **dict.fromkeys(("namespaces", "namespace"), "which namespaces are served"),
}


def renaming_opens(meant: str) -> str | None:
    """What renaming an ignored option into ``meant`` switches on; None when it cannot open anything."""
    if meant in CANNOT_OPEN:
        return None
    return DECIDES.get(meant, "what the server or client does")
