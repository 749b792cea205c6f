"""What ``authlint probe`` was asked: the URL and the options of both protocols, checked once.

A probe module receives ``ProbeOptions`` and a ``Redactor`` that already holds every credential
given here; it never prints, it returns a ``ProbeReport``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urlsplit

from authlint.probe.redact import Redactor
from authlint.probe.report import ProbeReport

NATS_SCHEMES = ("nats", "tls")
HTTP_SCHEMES = ("http", "https", "ws", "wss")
DEFAULT_TIMEOUT = 5.0


class ProbeUsageError(ValueError):
    """A command line the probe cannot run (exit 2): an unknown scheme, an option of the other
    protocol, a malformed ``--auth KEY=VALUE``, a file that cannot be read."""


@dataclass
class ProbeOptions:
    url: str
    timeout: float = DEFAULT_TIMEOUT
    output_format: str = "text"
    # NATS
    token: str | None = None
    user: str | None = None
    password: str | None = None
    creds: str | None = None  # path of a .creds file (user JWT + nkey seed)
    nkey: str | None = None  # path of a file holding an nkey seed
    tls_ca: str | None = None
    monitor: str | None = None  # the server's HTTP monitoring URL (``/varz``)
    # Socket.IO / HTTP
    origin: str | None = None
    auth: dict[str, str] = field(default_factory=dict)  # the Socket.IO ``auth`` payload
    headers: dict[str, str] = field(default_factory=dict)
    query: dict[str, str] = field(default_factory=dict)
    path: str = "/socket.io/"

    @property
    def scheme(self) -> str:
        return urlsplit(self.url).scheme.lower()

    @property
    def protocol(self) -> str:
        return "nats" if self.scheme in NATS_SCHEMES else "socketio"


NATS_ONLY = ("token", "user", "password", "creds", "nkey", "monitor")
HTTP_ONLY = ("origin", "auth", "headers", "query")
FLAGS = {"headers": "--header", "tls_ca": "--tls-ca"}


def pairs(values: list[str] | None, option: str, separator: str = "=") -> dict[str, str]:
    """``KEY=VALUE`` (or ``Name: value`` for headers) options as a dict; a malformed one is a usage error."""
    found: dict[str, str] = {}
    for value in values or ():
        key, sep, rest = value.partition(separator)
        if not sep or not key.strip():
            # (the value is not echoed: a mistyped --auth is most likely a bare token)
            raise ProbeUsageError(f"{option} expects KEY{separator}VALUE (one was given without {separator!r})")
        found[key.strip()] = rest.strip() if separator == ":" else rest
    return found


def validated(options: ProbeOptions, redactor: Redactor | None = None) -> Redactor:
    """Check the command line; ``redactor`` (a new one by default) then holds every credential on it."""
    parts = urlsplit(options.url)
    if parts.scheme.lower() not in NATS_SCHEMES + HTTP_SCHEMES or not parts.hostname:
        raise ProbeUsageError(
            f"cannot probe {options.url!r}: give nats://HOST:PORT (tls:// for TLS) or http(s)://HOST:PORT[/path]")
    if options.timeout <= 0:
        raise ProbeUsageError("--timeout must be a positive number of seconds")
    other = HTTP_ONLY if options.protocol == "nats" else NATS_ONLY
    given = [name for name in other if getattr(options, name)]
    if given:
        flags = ", ".join(FLAGS.get(name, "--" + name) for name in given)
        raise ProbeUsageError(f"{flags} {'does' if len(given) == 1 else 'do'} not apply to a {options.protocol} probe")
    if options.protocol == "nats" and sum(bool(x) for x in (options.token, options.user, options.creds, options.nkey)) > 1:
        raise ProbeUsageError("give one of --token, --user/--password, --creds, --nkey")
    if options.password and not options.user:
        raise ProbeUsageError("--password needs --user")
    redactor = redactor if redactor is not None else Redactor()
    redactor.add_url(options.url)
    redactor.add(options.token, options.password, *options.auth.values())
    for name, value in options.headers.items():
        if name.lower() in ("authorization", "cookie", "x-api-key", "x-auth-token"):
            redactor.add(value, value.partition(" ")[2] or None)
    for key, value in options.query.items():
        if any(word in key.lower() for word in ("token", "key", "secret", "auth", "pass", "jwt")):
            redactor.add(value)
    return redactor


def run(options: ProbeOptions, redactor: Redactor | None = None) -> tuple[ProbeReport, Redactor]:
    """The probe's report and the redactor for its output (the protocol module chosen by scheme).
    A protocol module adds what it reads (a creds file's JWT and seed) to the same redactor, so an
    error raised after reading them is masked too."""
    redactor = validated(options, redactor)
    if options.protocol == "nats":
        from authlint.probe.nats import probe
    else:
        from authlint.probe.socketio import probe
    return probe(options, redactor), redactor
