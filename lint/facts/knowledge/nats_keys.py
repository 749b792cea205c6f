"""The keys nats-server recognises, per block, with aliases and the release that introduced them.

Transcribed from ``server/opts.go`` (nats-config.md §2.1). A key without a version exists in 2.9.10
(Debian's build, authlint's default target); ``name@2.10.0`` means "first in v2.10.0". Aliases are
``a/b``: nats-server lower-cases keys and treats aliases as the same setting.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

_SPECS: dict[str, str] = {
    "top": """listen client_advertise port server_name host/net debug trace trace_verbose trace_headers@2.12.0
        logtime logtime_utc@2.10.0 mappings/maps disable_sublist_cache/no_sublist_cache accounts
        default_sentinel@2.12.0 authorization http https http_port/monitor_port https_port http_base_path
        cluster gateway leaf/leafnodes store_dir/storedir jetstream logfile/log_file
        logfile_size_limit/log_size_limit logfile_max_num/log_max_num@2.10.0 syslog remote_syslog
        pidfile/pid_file ports_file_dir prof_port prof_block_rate@2.11.0 max_control_line max_payload
        max_pending proxy_protocol@2.14.0 max_connections/max_conn max_traced_msg_len
        max_subscriptions/max_subs max_sub_tokens/max_subscription_tokens ping_interval ping_max tls ocsp
        allow_non_tls write_deadline write_timeout@2.14.0 lame_duck_duration lame_duck_grace_period
        operator/operators/roots/root/root_operators/root_operator
        resolver/account_resolver/accounts_resolver resolver_tls resolver_preload resolver_pinned_accounts
        no_auth_user system_account/system no_system_account/no_system/no_sys_acc no_header_support
        trusted/trusted_keys connect_error_reports reconnect_error_reports websocket/ws mqtt server_tags
        server_metadata@2.12.0 feature_flags@2.14.0 default_js_domain ocsp_cache@2.10.0
        no_fast_producer_stall@2.11.0 max_closed_clients@2.11.0 proxies@2.12.0""",
    "authorization": """user/username pass/password token timeout users
        default_permission/default_permissions/permissions auth_callout/auth_hook@2.10.0
        proxy_required@2.12.0""",
    "user": """nkey user/username pass/password permission/permissions/authorization
        allowed_connection_types/connection_types/clients proxy_required@2.12.0""",
    "auth_callout": """issuer@2.10.0 account/acc@2.10.0 auth_users/users@2.10.0 xkey/key@2.10.0
        allowed_accounts@2.11.0""",
    "permissions": "pub/publish/import sub/subscribe/export publish_allow_responses/allow_responses",
    "subject_permission": "allow deny",
    "allow_responses": "max/max_msgs/max_messages/max_responses expires/expiration/ttl",
    "account": """nkey imports exports jetstream users default_permissions mappings/maps limits
        msg_trace/trace_dest@2.11.0""",
    "account_limits": "max_connections/max_conn max_subscriptions/max_subs max_payload/max_pay max_leafnodes/max_leafs",
    "account_jetstream": """max_memory/max_mem/mem/memory max_store/max_file/max_disk/store/disk
        max_streams/streams max_consumers/consumers max_bytes_required/max_stream_bytes/max_bytes
        mem_max_stream_bytes/memory_max_stream_bytes disk_max_stream_bytes/store_max_stream_bytes
        max_ack_pending cluster_traffic@2.11.0""",
    "import": "stream service prefix to share allow_trace@2.11.0",
    "export": """stream service response/response_type
        threshold/response_threshold/response_max_time/response_time accounts latency
        account_token_position allow_trace@2.11.0""",
    "import_source": "account subject",
    "cluster": """name listen port host/net authorization routes tls cluster_advertise/advertise no_advertise
        connect_retries connect_backoff@2.12.0 permissions pool_size@2.10.0 accounts@2.10.0
        compression@2.10.0 ping_interval@2.11.0 ping_max@2.11.0 write_deadline@2.14.0 write_timeout@2.14.0""",
    "compression": "mode@2.10.0 rtt_thresholds/thresholds/rtts/rtt@2.10.0",
    "gateway": """name listen port host/net authorization tls advertise connect_retries connect_backoff@2.12.0
        gateways reject_unknown/reject_unknown_cluster write_deadline@2.14.0 write_timeout@2.14.0""",
    "gateway_entry": "name tls url urls",
    "leafnodes": """listen port host/net authorization remotes reconnect/reconnect_delay/reconnect_interval
        dial_timeout@2.14.5 tls leafnode_advertise/advertise no_advertise min_version/minimum_version
        compression@2.10.0 isolate_leafnode_interest/isolate@2.12.0 write_deadline@2.14.0
        write_timeout@2.14.0""",
    "leaf_authorization": "user/username pass/password nkey@2.11.0 timeout users account proxy_required@2.12.0",
    "leaf_user": "user/username pass/password account proxy_required@2.12.0",
    "remote": """no_randomize/dont_randomize url/urls account/local creds/credentials nkey/seed@2.11.0 tls hub
        deny_imports/deny_import deny_exports/deny_export
        ws_compress/ws_compression/websocket_compress/websocket_compression ws_no_masking/websocket_no_masking
        jetstream_cluster_migrate/js_cluster_migrate isolate_leafnode_interest/isolate@2.12.0
        request_isolation@2.12.0 compression@2.10.0 first_info_timeout@2.11.0 dial_timeout@2.14.5
        disabled@2.12.0 proxy@2.14.0 ignore_discovered_servers@2.14.0""",
    "remote_proxy": "url@2.14.0 username@2.14.0 password@2.14.0 timeout@2.14.0",
    "tls": """cert_file key_file ca_file insecure verify verify_and_map verify_cert_and_check_known_urls
        allow_insecure_cipher_suites@2.12.0 cipher_suites curve_preferences timeout connection_rate_limit
        pinned_certs cert_store@2.10.0 cert_match_by@2.10.0 cert_match@2.10.0 ca_certs_match@2.11.0
        handshake_first/first/immediate@2.10.0 cert_match_skip_invalid@2.11.0 ocsp_peer@2.10.0
        certs/certificates@2.11.0 min_version@2.11.0""",
    "tls_cert": "cert_file key_file",
    "websocket": """listen port host/net advertise no_tls tls same_origin
        allowed_origins/allowed_origin/allow_origins/allow_origin/origins/origin handshake_timeout
        compress/compression authorization/authentication jwt_cookie user_cookie@2.11.0 pass_cookie@2.11.0
        token_cookie@2.11.0 no_auth_user headers@2.11.0 ping_interval@2.14.0""",
    "mqtt": """listen port host/net tls authorization/authentication no_auth_user ack_wait/ackwait
        js_api_timeout/api_timeout@2.12.0 max_ack_pending/max_pending/max_inflight js_domain stream_replicas
        consumer_replicas consumer_memory_storage consumer_inactive_threshold/consumer_auto_cleanup
        reject_qos2_publish@2.11.0 downgrade_qos2_subscribe@2.11.0""",
    "simple_auth": "user/username pass/password token timeout",
    "jetstream": """strict@2.11.0 store/store_dir/storedir sync/sync_interval@2.10.0
        max_memory_store/max_mem_store/max_mem max_file_store/max_file domain enable/enabled
        key/ek/encryption_key prev_key/prev_ek/prev_encryption_key@2.10.0 cipher extension_hint limits
        tpm@2.11.0 unique_tag max_outstanding_catchup max_buffered_size@2.11.0 max_buffered_msgs@2.11.0
        request_queue_limit@2.11.0 info_queue_limit@2.14.0 meta_compact@2.14.0 meta_compact_size@2.14.0
        meta_compact_sync@2.14.0 max_concurrent_io@2.14.4""",
    "js_limits": "max_ack_pending max_ha_assets max_request_batch duplicate_window batch@2.12.0",
    "js_batch": "max_inflight_per_stream@2.12.0 max_inflight_total@2.12.0 max_msgs@2.12.0 timeout@2.12.0",
    "tpm": "keys_file@2.11.0 encryption_password@2.11.0 srk_password@2.11.0 pcr@2.11.0 cipher@2.11.0",
    "msg_trace": "dest@2.11.0 sampling@2.11.0",
    "proxies": "trusted@2.12.0",
    "proxy_trusted": "key/public_key@2.12.0",
}

# (block, canonical key) -> (child block, how): "map" = the value is that block; "list" = an array of
# that block; "names" = a map whose every value is that block (accounts).
CHILDREN: dict[tuple[str, str], tuple[str, str]] = {
    ("top", "authorization"): ("authorization", "map"),
    ("top", "accounts"): ("account", "names"),
    ("top", "cluster"): ("cluster", "map"),
    ("top", "gateway"): ("gateway", "map"),
    ("top", "leaf"): ("leafnodes", "map"),
    ("top", "jetstream"): ("jetstream", "map"),
    ("top", "websocket"): ("websocket", "map"),
    ("top", "mqtt"): ("mqtt", "map"),
    ("top", "tls"): ("tls", "map"),
    ("top", "resolver_tls"): ("tls", "map"),
    ("top", "proxies"): ("proxies", "map"),
    ("authorization", "users"): ("user", "list"),
    ("authorization", "default_permission"): ("permissions", "map"),
    ("authorization", "auth_callout"): ("auth_callout", "map"),
    ("user", "permission"): ("permissions", "map"),
    ("permissions", "pub"): ("subject_permission", "map"),
    ("permissions", "sub"): ("subject_permission", "map"),
    ("permissions", "publish_allow_responses"): ("allow_responses", "map"),
    ("account", "users"): ("user", "list"),
    ("account", "default_permissions"): ("permissions", "map"),
    ("account", "limits"): ("account_limits", "map"),
    ("account", "jetstream"): ("account_jetstream", "map"),
    ("account", "imports"): ("import", "list"),
    ("account", "exports"): ("export", "list"),
    ("account", "msg_trace"): ("msg_trace", "map"),
    ("import", "stream"): ("import_source", "map"),
    ("import", "service"): ("import_source", "map"),
    ("cluster", "authorization"): ("authorization", "map"),
    ("cluster", "tls"): ("tls", "map"),
    ("cluster", "permissions"): ("permissions", "map"),
    ("cluster", "compression"): ("compression", "map"),
    ("gateway", "authorization"): ("authorization", "map"),
    ("gateway", "tls"): ("tls", "map"),
    ("gateway", "gateways"): ("gateway_entry", "list"),
    ("gateway_entry", "tls"): ("tls", "map"),
    ("leafnodes", "authorization"): ("leaf_authorization", "map"),
    ("leafnodes", "remotes"): ("remote", "list"),
    ("leafnodes", "tls"): ("tls", "map"),
    ("leafnodes", "compression"): ("compression", "map"),
    ("leaf_authorization", "users"): ("leaf_user", "list"),
    ("remote", "tls"): ("tls", "map"),
    ("remote", "compression"): ("compression", "map"),
    ("remote", "proxy"): ("remote_proxy", "map"),
    ("tls", "certs"): ("tls_cert", "list"),
    ("websocket", "authorization"): ("simple_auth", "map"),
    ("websocket", "tls"): ("tls", "map"),
    ("mqtt", "authorization"): ("simple_auth", "map"),
    ("mqtt", "tls"): ("tls", "map"),
    ("jetstream", "limits"): ("js_limits", "map"),
    ("jetstream", "tpm"): ("tpm", "map"),
    ("js_limits", "batch"): ("js_batch", "map"),
    ("proxies", "trusted"): ("proxy_trusted", "list"),
}

BLOCK_TITLES: dict[str, str] = {
    "top": "the top level",
    "user": "a users entry",
    "account": "an account",
    "import": "an imports entry",
    "export": "an exports entry",
    "gateway_entry": "a gateways entry",
    "remote": "a leafnode remote",
    "leaf_user": "a leafnode users entry",
    "simple_auth": "websocket/mqtt authorization",
    "leaf_authorization": "leafnodes authorization",
    "tls_cert": "a tls certs entry",
}

# Keys from blog posts and LLM advice that never existed, and what to write instead (§5).
BLOG_KEYS: dict[str, str] = {
    "ping_timeout": "there is no ping timeout: use `ping_interval` (a duration string) and `ping_max` "
    "(a count); a client is stale after about (ping_max+1) x ping_interval",
    "auth_users": "write `authorization { users: [ {user: ..., password: ...} ] }`",
    "jwt_file": 'use `operator: "path/op.jwt"` (account JWTs go in `resolver`/`resolver_preload`)',
    "jwt_nkey_file": "no server equivalent: a leafnode uses `leafnodes { remotes: [ {credentials: ...} ] }`",
    "nkey_seed": "servers take public nkeys (`authorization { users: [ {nkey: U...} ] }`); seeds belong "
    "in client .creds files",
    "auth_timeout": "use `authorization { timeout: 2 }` (`auth_timeout` is only a /varz field)",
    "tls_timeout": "use `tls { timeout: 2 }` (`tls_timeout` is only a /varz field)",
    "max_pings_out": "use `ping_max`",
    "ping_max_out": "use `ping_max`",
    "max_pings": "use `ping_max`",
    "monitoring_port": "use `http_port` (or `monitor_port`, or `http: host:port`)",
    "monitoring": "use `http_port` (or `monitor_port`, or `http: host:port`)",
}


@dataclass(frozen=True)
class KeyInfo:
    name: str  # as written in the catalogue
    canonical: str  # first alias
    since: tuple[int, ...] | None  # None: present in 2.9.10 and before


def _version(text: str) -> tuple[int, ...]:
    return tuple(int(p) for p in text.split("."))


@lru_cache(maxsize=1)
def catalogue() -> dict[str, dict[str, KeyInfo]]:
    """block -> lower-cased key -> KeyInfo (aliases included)."""
    result: dict[str, dict[str, KeyInfo]] = {}
    for block, spec in _SPECS.items():
        keys: dict[str, KeyInfo] = {}
        for item in spec.split():
            names, _, since = item.partition("@")
            aliases = names.split("/")
            for alias in aliases:
                keys[alias] = KeyInfo(alias, aliases[0], _version(since) if since else None)
        result[block] = keys
    return result


def block_keys(block: str) -> dict[str, KeyInfo]:
    return catalogue().get(block, {})


def child(block: str, key: str) -> tuple[str, str] | None:
    """The block a key's value opens, by the key's canonical name."""
    info = block_keys(block).get(key.lower())
    if info is None:
        return None
    return CHILDREN.get((block, info.canonical))


def blocks_with(key: str) -> list[str]:
    """Blocks (other than free-form ones) in which ``key`` is a recognised key."""
    return [block for block, keys in catalogue().items() if key.lower() in keys]


def title(block: str) -> str:
    return BLOCK_TITLES.get(block, f"`{block}`" if block != "top" else "the top level")


def target_version(settings) -> tuple[int, int, int]:
    """The target nats-server as (major, minor, patch): ``target-nats-version`` ("2.10" means 2.10.0,
    "v2.11.1-RC" 2.11.1), else the version the project's files pin (``versions.nats_target``), else
    the newest release this catalogue knows (``newest``): with no target, no key is too new."""
    from authlint.versions.nats_target import nats_target

    target = nats_target(settings)
    return target.version if target is not None else newest()


@lru_cache(maxsize=1)
def newest() -> tuple[int, int, int]:
    """The newest nats-server release whose keys the catalogue lists."""
    known = [info.since for keys in catalogue().values() for info in keys.values() if info.since]
    top = max(known, default=(2, 9, 10))
    return tuple((list(top) + [0, 0, 0])[:3])  # type: ignore[return-value]


def available(info: KeyInfo, target: tuple[int, ...]) -> bool:
    return info.since is None or info.since <= target


# -- what a key decides: renaming a misspelt key into one of these changes who may connect or where
# the server listens, so the rename is never behaviour-preserving (NAT001's fix is unsafe for them).
# (block, canonical key) -> what it decides; a block of None means "in every block".
_LISTENER = "where the server listens or connects (peers of the old address fail)"
_AUTH = "who may connect and with what credentials"
_PERMS = "what a connection may publish or subscribe to"
_TLS = "which TLS connections are accepted"
_ORIGINS = "which browser origins may connect"
DECIDES: dict[tuple[str | None, str], str] = {
    **{(None, key): _LISTENER for key in (
        "listen", "port", "host", "http", "https", "http_port", "https_port", "client_advertise",
        "cluster_advertise", "advertise", "leafnode_advertise", "no_advertise", "routes", "url", "urls",
        "gateways", "remotes", "cluster", "gateway", "leaf", "websocket", "mqtt",
    )},
    **{(None, key): _AUTH for key in (
        "authorization", "user", "pass", "token", "users", "nkey", "no_auth_user", "accounts",
        "account", "operator", "resolver", "resolver_preload", "trusted", "system_account",
        "no_system_account", "auth_callout", "issuer", "auth_users", "xkey", "allowed_accounts",
        "allowed_connection_types", "proxy_required", "jwt_cookie", "user_cookie", "pass_cookie",
        "token_cookie", "creds", "proxies", "imports", "exports",
    )},
    **{(None, key): _PERMS for key in (
        "permission", "default_permission", "default_permissions", "permissions", "pub", "sub",
        "allow", "deny", "publish_allow_responses", "deny_imports", "deny_exports",
    )},
    **{(None, key): _TLS for key in (
        "tls", "verify", "verify_and_map", "verify_cert_and_check_known_urls", "insecure", "allow_non_tls",
        "no_tls", "ca_file", "cert_file", "key_file", "pinned_certs", "cipher_suites", "min_version",
        "allow_insecure_cipher_suites", "handshake_first",
    )},
    **{(None, key): _ORIGINS for key in ("same_origin", "allowed_origins")},
}

# Keys nats-server refuses together in one block (nats-config.md §3: "Cannot have a user/pass and
# token", "Can not have a single user/pass and a users array", "Can not have a token and a users
# array", "Nkey users do not take usernames or passwords"), as pairs of canonical-key groups. Only
# what `nats-server -t` 2.9.10 was seen to refuse: websocket/mqtt `authorization` takes user + token.
EXCLUSIVE: dict[str, tuple[tuple[frozenset[str], frozenset[str]], ...]] = {
    "authorization": (
        (frozenset({"user", "pass"}), frozenset({"token"})),
        (frozenset({"user", "pass"}), frozenset({"users"})),
        (frozenset({"token"}), frozenset({"users"})),
    ),
    "user": ((frozenset({"nkey"}), frozenset({"user", "pass"})),),
}


def decides(block: str, key: str) -> str | None:
    """What the key (any alias) decides when it is security- or reachability-relevant, else None."""
    info = block_keys(block).get(key.lower())
    canonical = info.canonical if info is not None else key.lower()
    return DECIDES.get((block, canonical)) or DECIDES.get((None, canonical))


def excluded_by(block: str, canonical: str, present: set[str]) -> str | None:
    """A canonical key in ``present`` that nats-server refuses next to ``canonical`` in ``block``."""
    for left, right in EXCLUSIVE.get(block, ()):
        for mine, theirs in ((left, right), (right, left)):
            if canonical in mine:
                clash = sorted(theirs & present)
                if clash:
                    return clash[0]
    return None
