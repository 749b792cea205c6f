"""Every rule code, the module that holds it and its class: the one table of what rules exist.

Like ruff's ``codes.rs``, the table is written out instead of discovered by scanning modules, so a
code is stable and greppable, a module that fails to import fails loudly, and a rule module that is
not listed is an error the tests catch (``tests/rules/test_registry.py``). Codes never change
meaning: tests, suppressions and users' configs depend on them.
"""

from __future__ import annotations

# code -> (module under authlint.rules, class name)
CODES: dict[str, tuple[str, str]] = {
    "COR001": ("cors.cor001_cors_any_origin", "CorsAnyOrigin"),
    "COR002": ("cors.cor002_wildcard_credentials", "WildcardCredentials"),
    "COR003": ("cors.cor003_loose_origin", "LooseOrigin"),
    "E001": ("engine.e001_unparsable_file", "UnparsableFile"),
    "E002": ("engine.e002_unreadable_file", "UnreadableFile"),
    "E003": ("engine.e003_unused_suppression", "UnusedSuppressionRule"),
    "JWT001": ("jwt.jwt001_short_lifetime", "ShortLifetime"),
    "JWT002": ("jwt.jwt002_no_or_long_lifetime", "NoOrLongLifetime"),
    "JWT003": ("jwt.jwt003_unverified_decode", "UnverifiedDecode"),
    "JWT004": ("jwt.jwt004_weak_secret", "WeakSecret"),
    "JWT005": ("jwt.jwt005_key_mismatch", "KeyMismatch"),
    "JWT006": ("jwt.jwt006_no_leeway", "NoLeeway"),
    "JWT007": ("jwt.jwt007_literal_token", "LiteralToken"),
    "NAT001": ("nats.nat001_unknown_key", "UnknownKey"),
    "NAT002": ("nats.nat002_unit_trap", "UnitTrap"),
    "NAT003": ("nats.nat003_ping_window", "PingWindow"),
    "NAT004": ("nats.nat004_plaintext_secret", "PlaintextSecret"),
    "NAT005": ("nats.nat005_weak_token", "WeakToken"),
    "NAT006": ("nats.nat006_auth_conflict", "AuthConflict"),
    "NAT007": ("nats.nat007_open_listener", "OpenListener"),
    "NAT008": ("nats.nat008_jwt_expiry", "JwtExpiry"),
    "NAT009": ("nats.nat009_seed_leak", "SeedLeak"),
    "NAT010": ("nats.nat010_client_credential_mismatch", "ClientCredentialMismatch"),
    "NAT011": ("nats.nat011_unresolved_reference", "UnresolvedReference"),
    "NAT012": ("nats.nat012_value_type", "ValueType"),
    "NAT013": ("nats.nat013_start_failure", "StartFailure"),
    "NAT014": ("nats.nat014_public_demo_server", "PublicDemoServer"),
    "PRX001": ("proxy.prx001_cors_set_twice", "CorsSetTwice"),
    "PRX002": ("proxy.prx002_socketio_upgrade_missing", "SocketIOUpgradeMissing"),
    "PRX003": ("proxy.prx003_proxy_timeout_under_ping", "ProxyTimeoutUnderPing"),
    "PRX004": ("proxy.prx004_polling_without_stickiness", "PollingWithoutStickiness"),
    "PRX005": ("proxy.prx005_token_in_access_log", "TokenInAccessLog"),
    "SIO001": ("socketio.sio001_ping_timeout", "PingTimeout"),
    "SIO002": ("socketio.sio002_cors_origin_missing", "CorsOriginMissing"),
    "SIO003": ("socketio.sio003_cors_wildcard", "CorsWildcard"),
    "SIO004": ("socketio.sio004_unknown_option", "UnknownOption"),
    "SIO005": ("socketio.sio005_connect_without_auth", "ConnectWithoutAuth"),
    "SIO006": ("socketio.sio006_token_in_query", "TokenInQuery"),
    "SIO007": ("socketio.sio007_auth_field_mismatch", "AuthFieldMismatch"),
    "SIO008": ("socketio.sio008_protocol_mismatch", "ProtocolMismatch"),
    "TOK001": ("tokens.tok001_web_storage_token", "WebStorageToken"),
    "TOK002": ("tokens.tok002_insecure_token_cookie", "InsecureTokenCookie"),
}
