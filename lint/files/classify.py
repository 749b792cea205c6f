"""File kind by name, and by content where the name is ambiguous (a ``.conf`` may be nginx's)."""

from __future__ import annotations

import re

from authlint.files.kinds import (
    CREDS,
    DOCKERFILE,
    DOTENV,
    HOCON,
    JAVASCRIPT,
    JSON,
    JWTFILE,
    NATSCONF,
    NGINX,
    NKEY,
    PROCFILE,
    PYTHON,
    TYPESCRIPT,
    YAML,
)

BY_SUFFIX: dict[str, str] = {
    ".py": PYTHON,
    ".pyi": PYTHON,
    ".js": JAVASCRIPT,
    ".mjs": JAVASCRIPT,
    ".cjs": JAVASCRIPT,
    ".jsx": JAVASCRIPT,
    ".ts": TYPESCRIPT,
    ".mts": TYPESCRIPT,
    ".cts": TYPESCRIPT,
    ".tsx": TYPESCRIPT,
    ".vue": JAVASCRIPT,  # single-file components and pages: their <script> blocks are parsed
    ".svelte": JAVASCRIPT,
    ".html": JAVASCRIPT,
    ".htm": JAVASCRIPT,
    ".yaml": YAML,
    ".yml": YAML,
    ".jwt": JWTFILE,
    ".creds": CREDS,
    ".env": DOTENV,  # `.env`, `prod.env`
    ".nk": NKEY,
    ".json": JSON,
    ".nginx": NGINX,  # `site.nginx`, `app.nginx` (a common name for a vhost kept in a repository)
    ".hocon": HOCON,  # Lightbend config (HOCON) by its own suffix; `application.conf` is told by content
}
SNIFF_SUFFIXES = (".conf", ".cfg", ".nats")
# `.env.local`, `.env.production`, `.env.development.local` (dotenv-flow, Next.js, Vite): a suffix
# that names another format (`.env.js`, `.env.json`) is that format's, decided before this
DOTENV_VARIANT = re.compile(r"^\.env\.(?!(?:json|toml|xml|ini|md|txt|lock|gpg|enc|age|vault)$)[a-z0-9_-]+(?:\.[a-z0-9_-]+)?$")

# Top-level keys only nats-server uses (nginx, supervisord and friends use none of them at depth 0).
NATS_TOP_KEYS = (
    "port|listen|authorization|jetstream|websocket|ws|cluster|leafnodes|leafnode|leaf|accounts|"
    "operator|operators|resolver|resolver_preload|server_name|http_port|monitor_port|https_port|"
    "ping_interval|ping_max|max_payload|max_pending|max_control_line|no_auth_user|system_account|"
    "gateway|mqtt|trusted_keys|trusted|max_connections|write_deadline|lame_duck_duration|store_dir|"
    "pid_file|pidfile|log_file|logfile|client_advertise|server_tags|mappings|no_sys_acc|users|token|"
    "tls|ocsp|http|https|prof_port|allow_non_tls|gateways|monitoring_port|debug|trace|logtime|"
    "publish|subscribe|permissions|max_subscriptions|max_subs|resolver_tls|default_js_domain"
)
# Values only NATS configs hold: nats URLs and unquoted $2a$ bcrypt hashes (a variable file).
NATS_VALUE = re.compile(rb"""(?:nats(?:-route|-leaf)?|wss?)://|[:=][ \t]*\$2a\$\d\d\$""", re.IGNORECASE)
# Other ``key value`` formats that share words with NATS (redis.conf has ``port 6379``, apache ``Listen``).
FOREIGN_DIRECTIVE = re.compile(
    rb"^[ \t]*(?:bind|daemonize|appendonly|maxmemory|requirepass|save[ \t]+\d|ServerRoot|<VirtualHost|"
    rb"LoadModule|DocumentRoot|nameserver)\b",
    re.MULTILINE,
)
NATS_LINE = re.compile(
    # (a quoted `"https://…",` opening a line of a list is a URL, not nats-server's `https: 8443`)
    rb"""^[ \t]*(?!["']https?://)["']?(?:""" + NATS_TOP_KEYS.encode() + rb""")["']?[ \t]*(?:[:=]|[ \t]+\S|\{|\[)""",
    re.IGNORECASE | re.MULTILINE,
)
INI_SECTION = re.compile(rb"^[ \t]*\[[A-Za-z0-9_.:\- ]+\][ \t]*$", re.MULTILINE)
NGINX_DIRECTIVE = re.compile(
    rb"^[ \t]*(?:worker_processes|events|http|server|upstream|location|map[ \t]+\$\S+[ \t]+\$)\b[^\n]*[;{]",
    re.MULTILINE,
)
# nginx directives found in vhost files and snippets, which have no `http`/`events` of their own
# (the snippets of h5bp/server-configs-nginx and nginx-proxy: `ssl_protocols ...;`, `gzip on;`,
# `deny all;`, `include h5bp/x.conf;`, `rewrite ^/a /b break;`), each ended by `;` on its line
NGINX_SNIPPET = re.compile(
    rb"^[ \t]*(?:proxy_[a-z_]+|server_name|add_header|listen[ \t]+[\d\[]|root[ \t]+/|fastcgi_[a-z_]+|"
    rb"uwsgi_[a-z_]+|try_files|return[ \t]+\d+|ssl_[a-z_]+|gzip(?:_[a-z_]+)?|brotli(?:_[a-z_]+)?|"
    rb"open_file_cache(?:_[a-z_]+)?|server_tokens|charset|default_type|error_page[ \t]+\d+|"
    rb"rewrite[ \t]+\S+[ \t]+\S+|deny[ \t]+all|allow[ \t]+[\d.:a-f\[]+/\d+|"
    rb"include[ \t]+[\w./*-]+(?=;)|log_format|access_log|error_log[ \t]+/\S+[ \t]+\w+|client_max_body_size)\b[^\n;{]*;",
    re.MULTILINE,
)
# Folders whose files are nginx's by convention (Debian's layout, the official image's conf.d):
# their files are sniffed whatever their name (`sites-available/example.com`, `default`)
NGINX_FOLDERS = frozenset({"sites-available", "sites-enabled", "conf.d", "nginx", "http.d", "vhosts.d", "snippets"})
# `default.conf.template` (the official image's envsubst templates), `nginx.conf.tmpl`, `app.conf.j2`
TEMPLATE_SUFFIXES = (".conf.template", ".conf.tmpl", ".conf.tpl", ".conf.j2", ".conf.erb")


# Files named for what they do rather than by suffix (Docker's and Foreman's conventions).
DOCKERFILE_NAME = re.compile(r"^(?:(?:docker|container)file(?:\.[a-z0-9_.-]+)?|[a-z0-9_.-]+\.(?:docker|container)file)$")
PROCFILE_NAME = re.compile(r"^procfile(?:\.[a-z0-9_-]+)?$")


def kind_by_name(name: str) -> str | None:
    """The kind a file name decides alone; None when content must decide or the file is not ours."""
    lower = name.lower()
    kind = BY_SUFFIX.get(lower[lower.rfind(".") :]) if "." in lower else None  # every suffix has one dot
    if kind is None and DOCKERFILE_NAME.match(lower) and not lower.endswith((".dockerignore", ".md", ".txt")):
        return DOCKERFILE
    if kind is None and PROCFILE_NAME.match(lower):
        return PROCFILE
    if kind is None and DOTENV_VARIANT.match(lower):
        return DOTENV
    if kind is None or lower.endswith((".min.js", ".d.ts")):
        return None
    return kind


def needs_sniff(name: str) -> bool:
    return name.lower().endswith(SNIFF_SUFFIXES + TEMPLATE_SUFFIXES)


def nginx_by_name(relpath: str) -> bool:
    """Whether the name or folder says nginx (``nginx.conf``, ``sites-available/x``, ``x.nginx``):
    such a file that crossplane rejects is reported (E001); one only its content chose is not."""
    parts = relpath.lower().replace("\\", "/").split("/")
    name = parts[-1]
    return "nginx" in name or (len(parts) > 1 and parts[-2] in NGINX_FOLDERS)


def looks_like_nginx(raw: bytes) -> bool:
    """Whether a file holds nginx configuration: a context or directive only nginx has, ended the
    way nginx ends them (``;`` or ``{``), and no INI section."""
    head = raw[:65536]
    if INI_SECTION.search(head):
        return False
    return NGINX_DIRECTIVE.search(head) is not None or NGINX_SNIPPET.search(head) is not None


def looks_like_nats(raw: bytes) -> bool:
    """Whether a ``.conf`` holds nats-server configuration (a top-level NATS key, no INI/nginx shape)."""
    head = raw[:65536]
    if INI_SECTION.search(head) or NGINX_DIRECTIVE.search(head) or FOREIGN_DIRECTIVE.search(head):
        return False
    return NATS_LINE.search(head) is not None or NATS_VALUE.search(head) is not None


def classify(name: str, raw: bytes | None, folder: str = "") -> str | None:
    """The file's kind; ``folder``: the name of the folder holding it (nginx's ``sites-available``)."""
    kind = kind_by_name(name)
    if kind is not None:
        return kind
    if raw is None:
        return None
    lower = name.lower()
    if lower.endswith(SNIFF_SUFFIXES):
        if lower.endswith(("nats-server.conf", "nats.conf")) or looks_like_nats(raw):
            return NATSCONF
    if (lower.endswith(SNIFF_SUFFIXES + TEMPLATE_SUFFIXES) or folder.lower() in NGINX_FOLDERS) and looks_like_nginx(raw):
        return NGINX
    return hocon_by_content(lower, raw)


# -- HOCON (Play's and akka-http-cors's `application.conf`) ------------------------------------------
# A `.conf` is HOCON for authlint only when it holds the CORS settings authlint reads there (Play's
# CORS filter, akka-http-cors, Akka/Pekko HTTP's cors module); classify() asks after nats-server and
# nginx, so neither's file is ever taken.
HOCON_CORS = re.compile(
    rb"play\.filters\.cors|play\.filters\.enabled|CORSFilter|akka-http-cors|(?:akka|pekko)\.http\.cors|"
    rb"allowed-origins|allowedOrigins"
)
HOCON_NESTED_CORS = re.compile(rb"\b(?:play|akka|pekko)[ \t]*[:=]?[ \t]*\{")  # `play { filters { cors {`
HOCON_CORS_BLOCK = re.compile(rb"\bcors[ \t]*[:=]?[ \t]*\{")


def looks_like_hocon(raw: bytes) -> bool:
    """Whether a ``.conf`` holds HOCON CORS settings: a Play / akka-http-cors key, or a ``cors {``
    block inside ``play {`` / ``akka {`` / ``pekko {``; never an INI file."""
    head = raw[:65536]
    if INI_SECTION.search(head):
        return False
    if HOCON_CORS.search(head):
        return True
    return HOCON_CORS_BLOCK.search(head) is not None and HOCON_NESTED_CORS.search(head) is not None


def hocon_by_content(lower: str, raw: bytes) -> str | None:
    """``HOCON`` for a ``.conf`` that neither nats-server nor nginx claimed and that holds CORS
    settings authlint reads (called last by ``classify``)."""
    if lower.endswith(".conf") and looks_like_hocon(raw):
        return HOCON
    return None
