"""Known Socket.IO / Engine.IO option names per language (cheap to import: rules use them too).

Python names are the real signatures of python-socketio 5 / python-engineio 4 (checked with
``inspect.signature``) and Flask-SocketIO's own options; JavaScript names are socket.io 4 /
engine.io 6 ``ServerOptions`` and socket.io-client ``ManagerOptions & SocketOptions``.
"""

from __future__ import annotations

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
