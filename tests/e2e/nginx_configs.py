"""Every nginx config of the fixture projects and examples/, made checkable by ``nginx -t`` here.

A project's nginx files are written for the machine they deploy to: its users, its /var paths, its
certificates, the hosts of its Compose network. What cannot exist on a test machine is neutralised,
and nothing else; each adjustment is listed in ``ADJUSTMENTS`` (the README of the tests says the
same). The edits are placed with authlint's own nginx reader (exact spans), never with regexes over
the text, so a comment or a quoted string is never touched.

Which files are checked, and how (``checks``):

- a main config (``events``/``http``/``stream`` at its top) is checked as it is, from its folder
  (nginx resolves relative includes against the main config's folder);
- a file another nginx file of the project includes (``conf.d/*.conf``, a snippet) is checked
  through that includer, not alone: it may use the includer's maps and upstreams;
- any other file is wrapped the way nginx would include it: a site file (``server``, ``upstream``,
  ``map`` at its top) in ``http { include FILE; }``, a file of ``location`` blocks in a ``server``,
  a snippet of simple directives in a ``location /``, a TCP site (servers without locations that
  ``proxy_pass``) in ``stream { }``; the wrapper sits in the folder nginx's tree starts at
  (``nginx/`` for ``nginx/conf.d/app.conf``), so relative includes resolve as deployed.
"""

from __future__ import annotations

import ipaddress
import os
from dataclasses import dataclass
from pathlib import Path

from authlint.facts.nginx.includes import matches
from authlint.files.classify import classify
from authlint.files.kinds import NGINX
from authlint.syntax.nginx import Config, Directive, parse
from tests.nginx_server import http_preamble, main_preamble

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures" / "nginx"
EXAMPLES = ROOT / "examples"
MACHINE = Path("/etc/nginx")  # Debian's, where a bare `include mime.types;` or `proxy_params` lives
MODULES = Path("/usr/lib/nginx/modules")  # Debian's dynamic modules (`libnginx-mod-stream`: `stream {}`)
FOLDERS = frozenset({"conf.d", "sites-available", "sites-enabled", "snippets", "http.d", "vhosts.d", "stream.d"})

ADJUSTMENTS = (
    "`user` is dropped: the named account need not exist here",
    "absolute `pid`, `error_log`, `access_log` and `*_temp_path` paths move under the test's prefix",
    "`ssl_certificate`/`ssl_certificate_key` files that are not in the project become a self-signed "
    "pair made for the test (`ssl_dhparam` missing here is dropped)",
    "hosts of `proxy_pass`/`grpc_pass`/`*_pass` and `upstream` servers that are names (Compose services, "
    "public hosts) become 127.0.0.1, ports kept: nginx resolves them when it loads the config",
    "an include that names a project file (by its last two path components, as authlint joins them) "
    "points at the project's copy; a relative one found only in Debian's /etc/nginx points there; an "
    "absolute glob naming no project file (`/etc/nginx/sites-enabled/*`) includes nothing: the machine's "
    "own sites are not the project's (`modules-enabled/*.conf` is kept)",
    "`${VAR}` of envsubst templates (the official image's `*.conf.template`) are filled: `*PORT*` -> 8080, "
    "others -> localhost",
    "when not run as root, `listen` ports below 1024 move to 127.0.0.1:8080 + n",
    "a main config with `http {}` and no `events {}` gains an empty `events {}`",
    "Debian's dynamic modules are found from the test's prefix (`modules` links to /usr/lib/nginx/modules), "
    "and a config with `stream {}` that loads no module gets `load_module` of Debian's stream module",
)

SERVER_CONTEXT = frozenset({"server", "upstream", "map", "geo", "split_clients", "log_format", "limit_req_zone",
                            "limit_conn_zone", "proxy_cache_path"})
PASSES = frozenset({"proxy_pass", "grpc_pass", "uwsgi_pass", "scgi_pass", "fastcgi_pass", "memcached_pass"})
LOG_PATHS = frozenset({"pid", "error_log", "access_log", "client_body_temp_path", "proxy_temp_path",
                       "fastcgi_temp_path", "uwsgi_temp_path", "scgi_temp_path", "proxy_cache_path"})


def units() -> list[Path]:
    """The project trees authlint fixes one at a time: each variant of a fixture project
    (``tests/fixtures/nginx/<project>/broken``, ``.../fixed``; the project itself when it has no
    variant folders) and examples/."""
    found: list[Path] = []
    if FIXTURES.is_dir():
        for project in sorted(p for p in FIXTURES.iterdir() if p.is_dir()):
            variants = sorted(p for p in project.iterdir() if p.is_dir())
            loose = any(p.is_file() for p in project.iterdir())
            found.extend([project] if loose or not variants else variants)
    if EXAMPLES.is_dir():
        found.append(EXAMPLES)
    return found


def nginx_files(root: Path) -> list[Path]:
    """The files of ``root`` authlint reads as nginx (by name, folder and content, as it does)."""
    found = []
    for path in sorted(root.rglob("*")):
        if path.is_file() and "node_modules" not in path.parts:
            if classify(path.name, path.read_bytes(), path.parent.name) == NGINX:
                found.append(path)
    return found


@dataclass
class Check:
    """One ``nginx -t`` run: ``config`` (the main config), for ``files`` (what it covers)."""

    config: Path
    files: list[Path]


def _tree(path: Path) -> Config | None:
    try:
        return parse(path.read_text(encoding="utf-8"))
    except Exception:  # a file nginx reads only as part of another (a template piece): judged there
        return None


def _top(tree: Config) -> set[str]:
    return {d.name for d in tree.directives}


def _includes(tree: Config) -> list[str]:
    return [d.args[0] for d, _ in tree.walk() if d.name == "include" and d.args]


def checks(root: Path, prefix: Path) -> list[Check]:
    """How each nginx file of ``root`` is checked (see the module docs); wrappers are written."""
    files = nginx_files(root)
    trees = {path: _tree(path) for path in files}
    relpaths = {path: path.relative_to(root).as_posix() for path in files}
    included: set[Path] = set()
    for path, tree in trees.items():
        for pattern in _includes(tree) if tree else []:
            included |= {other for other in files if other != path and matches(pattern, relpaths[other])}
    found: list[Check] = []
    for index, path in enumerate(files):
        tree = trees[path]
        if tree is None or path in included:
            continue
        top = _top(tree)
        if top & {"events", "http", "stream"}:
            found.append(Check(path, [path]))
            continue
        found.append(Check(_wrap(path, tree, prefix, index), [path]))
    return found


def _wrap(path: Path, tree: Config, prefix: Path, index: int) -> Path:
    top = _top(tree)
    name = path.name
    if top & SERVER_CONTEXT:
        servers = [d for d in tree.directives if d.name == "server" and d.block is not None]
        stream = servers and all(any(x.name == "proxy_pass" for x in s.block or []) and
                                 not any(x.name == "location" for x in s.block or []) for s in servers)
        body = f"stream {{\n    include {name};\n}}\n" if stream else f"http {{\n    include {name};\n}}\n"
    elif "location" in top:
        body = f"http {{\n    server {{\n        listen 127.0.0.1:{8000 + index};\n        include {name};\n    }}\n}}\n"
    else:
        body = (f"http {{\n    server {{\n        listen 127.0.0.1:{8000 + index};\n        location / {{\n"
                f"            include {name};\n        }}\n    }}\n}}\n")
    home = path.parent.parent if path.parent.name in FOLDERS else path.parent
    include = path.relative_to(home).as_posix()
    wrapper = home / f"authlint-test-main-{index}.conf"
    wrapper.write_text(f"events {{}}\n{body.replace(f'include {name};', f'include {include};')}", encoding="utf-8")
    return wrapper


class Neutraliser:
    """Rewrites a project tree in place so ``nginx -t`` can judge it here (``ADJUSTMENTS``)."""

    def __init__(self, root: Path, prefix: Path) -> None:
        self.root = root
        self.prefix = prefix
        self.files = [p for p in root.rglob("*") if p.is_file()]
        self.upstreams: set[str] = set()
        self._pair: tuple[Path, Path] | None = None
        self._port = 8080
        modules = prefix / "modules"  # Debian's `load_module modules/...` is relative to nginx's prefix
        if MODULES.is_dir() and not modules.exists():
            modules.symlink_to(MODULES)

    def run(self, paths: list[Path]) -> None:
        for path in paths:
            tree = _tree(path)
            if tree is None:
                continue
            self.upstreams |= {d.args[0] for d, _ in tree.walk() if d.name == "upstream" and d.args}
        for path in paths:
            self.rewrite(path)

    def rewrite(self, path: Path) -> None:
        text = path.read_text(encoding="utf-8")
        if "${" in text:
            text = _envsubst(text)
        tree = parse(text)
        edits: list[tuple[int, int, str]] = []
        for directive, parents in tree.walk():
            edits.extend(self._edits(path, directive, parents))
        if "events" not in _top(tree) and "http" in _top(tree):
            edits.append((0, 0, "events {}\n"))
        for start, end, content in sorted(edits, reverse=True):
            text = text[:start] + content + text[end:]
        path.write_text(text, encoding="utf-8")

    def _edits(self, path: Path, d: Directive, parents: tuple[Directive, ...]) -> list[tuple[int, int, str]]:
        name, args = d.name, d.args
        if name == "user" and not parents:
            return [(d.span.start, d.span.end, "")]
        if name in LOG_PATHS and args and args[0] not in ("off", "stderr") and ":" not in args[0]:
            if not args[0].startswith("/"):  # relative to the prefix: its folders must exist there
                (self.prefix / args[0]).parent.mkdir(parents=True, exist_ok=True)
                return []
            moved = self.prefix / "moved" / args[0].lstrip("/")
            (moved.parent if name in ("pid", "error_log", "access_log") else moved).mkdir(parents=True, exist_ok=True)
            return [_arg(d, 0, str(moved))]
        if name in ("ssl_certificate", "ssl_trusted_certificate", "ssl_client_certificate", "ssl_certificate_key") \
                and args and not self._exists(path, args[0]):
            cert, key = self.pair()
            return [_arg(d, 0, str(key if name == "ssl_certificate_key" else cert))]
        if name == "ssl_dhparam" and args and not self._exists(path, args[0]):
            return [(d.span.start, d.span.end, "")]
        if name in PASSES and args:
            return self._host(d, 0, args[0], scheme=True)
        if name == "server" and parents and parents[-1].name == "upstream" and args:
            return self._host(d, 0, args[0], scheme=False)
        if name == "include" and args:
            return self._include(path, d)
        if name == "listen" and args and os.geteuid() != 0:
            port = args[0].rsplit(":", 1)[-1]
            if port.isdigit() and int(port) < 1024:
                self._port += 1
                return [_arg(d, 0, f"127.0.0.1:{self._port}")]
        return []

    def _exists(self, path: Path, value: str) -> bool:
        return Path(value).is_absolute() and Path(value).exists() or (path.parent / value).exists()

    def _host(self, d: Directive, index: int, value: str, scheme: bool) -> list[tuple[int, int, str]]:
        if "$" in value or value.startswith("unix:") or "://unix:" in value:
            return []
        head, sep, rest = value.partition("://") if scheme else ("", "", value)
        if scheme and not sep:
            head, rest = "", value
        hostport, slash, path = rest.partition("/")
        if hostport.startswith("["):  # an IPv6 literal
            return []
        host, colon, port = hostport.rpartition(":") if hostport.count(":") == 1 else (hostport, "", "")
        if not colon:
            host, port = hostport, ""
        # a `*_pass` may name an upstream block; an upstream's own servers are hosts, never upstreams
        if (scheme and host in self.upstreams) or host in ("localhost", "") or _ip(host):
            return []
        new = ("127.0.0.1" + (":" + port if port else ""))
        text = (head + sep if sep else "") + new + slash + path
        return [_arg(d, index, text)]

    def _include(self, path: Path, d: Directive) -> list[tuple[int, int, str]]:
        pattern = d.args[0]
        mine = [f for f in self.files if f != path and matches(pattern, f.relative_to(self.root).as_posix())]
        if mine:
            if not any(c in pattern for c in "*?["):
                return [_arg(d, 0, str(mine[0]))]
            folder = mine[0].parent
            return [_arg(d, 0, str(folder / Path(pattern).name))]
        if Path(pattern).is_absolute():
            if any(c in pattern for c in "*?[") and "modules-enabled" not in pattern:
                empty = self.prefix / "machine-sites"  # the machine's own sites are not the project's
                empty.mkdir(exist_ok=True)
                return [_arg(d, 0, str(empty / Path(pattern).name))]
            return []
        if any(True for _ in MACHINE.glob(pattern)) and not any(True for _ in path.parent.glob(pattern)):
            return [_arg(d, 0, str(MACHINE / pattern))]
        return []

    def pair(self) -> tuple[Path, Path]:
        """A self-signed certificate and key for ``localhost``, made once (with ``cryptography``,
        which the test extras install)."""
        if self._pair is None:
            self._pair = self_signed(self.prefix)
        return self._pair


def self_signed(folder: Path) -> tuple[Path, Path]:
    import datetime

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    now = datetime.datetime.now(datetime.timezone.utc)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now - datetime.timedelta(days=1))
            .not_valid_after(now + datetime.timedelta(days=2)).sign(key, hashes.SHA256()))
    cert_path, key_path = folder / "test.crt", folder / "test.key"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    return cert_path, key_path


def _arg(d: Directive, index: int, value: str) -> tuple[int, int, str]:
    from authlint.rules.kit.directives import argument

    span = d.arg_spans[index]
    return (span.start, span.end, argument(value))


def _ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host.strip("[]"))
        return True
    except ValueError:
        return host == "*"


def _envsubst(text: str) -> str:
    import re

    def value(match: re.Match[str]) -> str:
        return "8080" if "PORT" in match.group(1).upper() else "localhost"

    return re.sub(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}", value, text)


def main_config(check: Check, prefix: Path) -> Path:
    """``check.config`` with the test's pid/temp/log preamble: written next to it (nginx resolves
    relative includes against the main config's folder), the original included from it."""
    original = check.config
    text = original.read_text(encoding="utf-8")
    tree = parse(text)
    preamble_main = main_preamble(prefix)
    edits: list[tuple[int, int, str]] = []
    top = {d.name: d for d in tree.directives}
    for name in ("pid", "error_log", "worker_processes"):
        for d in tree.directives:
            if d.name == name:
                edits.append((d.span.start, d.span.end, ""))
    for block in ("http",):
        found = top.get(block)
        if found is not None and found.body is not None:
            have = {d.name for d in found.block or []}
            lines = [line for line in http_preamble(prefix).split("\n    ")
                     if line.split(" ", 1)[0] not in have]
            edits.append((found.body.start, found.body.start, "\n    " + "\n    ".join(lines) + "\n"))
    for start, end, content in sorted(edits, reverse=True):
        text = text[:start] + content + text[end:]
    if "stream" in top and "ngx_stream_module" not in text and "modules-enabled" not in text \
            and (MODULES / "ngx_stream_module.so").exists():
        preamble_main += f"\nload_module {MODULES / 'ngx_stream_module.so'};"
    checked = original.with_name(original.name + ".test.conf")
    checked.write_text(preamble_main + "\n" + text, encoding="utf-8")
    return checked
