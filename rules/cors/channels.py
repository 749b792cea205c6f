"""Which channel carries the project's credentials, and what that makes of a wildcard origin.

A wildcard (or reflected) origin is the hole CORS exists to stop when the browser attaches the
user's credentials by itself: cookies and server sessions (AMBIENT). When the project's
credentials are bearer tokens that page script attaches (the ``Authorization`` header, the
Socket.IO ``auth`` payload: EXPLICIT), another site's script never holds them, so the wildcard
gives it only what an anonymous caller can get: COR001 and SIO003 then report a note (INFO)
instead of an error. Without evidence either way, or with any AMBIENT evidence, they stay errors.

The evidence is every fact that shows a channel: ``CredentialChannel`` (sessions, cookie reads,
credentialed clients, ``Authorization`` reads and sends), ``CookieSet`` (a cookie set by server or
script), ``JwtConfig`` (Flask-JWT-Extended ``JWT_TOKEN_LOCATION`` with or without ``cookies``),
``StorageWrite`` of a token (script keeps it, so script sends it), and Socket.IO handshakes
(``SocketIOClient.sends``, ``withCredentials``; ``ConnectHandler.reads``).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from authlint.diagnostics.diagnostic import Diagnostic, Severity
from authlint.facts.knowledge.token_names import STORAGE_KEY_WORDS, words
from authlint.facts.model import (
    AMBIENT,
    EXPLICIT,
    CookieSet,
    CredentialChannel,
    Fact,
    JwtConfig,
    SocketIOClient,
    SocketIOServer,
    StorageWrite,
)
from authlint.rule import Rule, Violation, Wanted

# Words a project rule must see in a file for its channel evidence to be read (the file is loaded
# and parsed for them). Narrow on purpose: ``session`` alone is every SQLAlchemy file.
CHANNEL_TRIGGERS = (
    "authorization", "cookie", "withcredentials", "'include'", '"include"', "-session", "flask_login",
    "session[", "session.get", "jwtmanager", "jwt_token_location", "fastapi.security", "authentication",
    "frombearer", "fromauthheader", "express-jwt", "httptokenauth", "django.contrib.auth",
)
AMBIENT_HANDSHAKE = frozenset({"cookie"})
EXPLICIT_HANDSHAKE = frozenset({"auth", "header", "query", "url"})


@dataclass(frozen=True)
class Evidence:
    channel: str
    via: str
    where: str  # ``relpath:line``


@dataclass
class Channels:
    """The project's evidence, by channel, in the order it was found."""

    ambient: list[Evidence] = field(default_factory=list)
    explicit: list[Evidence] = field(default_factory=list)

    def add(self, fact: Fact, channel: str, via: str) -> None:
        line, _ = fact.source.position(fact.span.start)
        (self.ambient if channel == AMBIENT else self.explicit).append(
            Evidence(channel, via, f"{fact.source.relpath}:{line}"))

    @property
    def bearer_only(self) -> bool:
        return bool(self.explicit) and not self.ambient


def _location(config: JwtConfig) -> list[str] | None:
    option = config.settings.get("JWT_TOKEN_LOCATION")
    if option is None or not option.value.known:
        return None
    value = option.value.value
    return [value] if isinstance(value, str) else [v for v in value if isinstance(v, str)] if isinstance(value, list) else None


def _token_key(write: StorageWrite) -> bool:
    key = write.key.value if write.key is not None else None
    return isinstance(key, str) and bool(STORAGE_KEY_WORDS & set(words(key)))


def project_channels(facts: Any) -> Channels:
    """The evidence of a project: ``facts(kind)`` yields the facts of one kind (``Project.facts``)."""
    found = Channels()
    for fact in facts(CredentialChannel):
        found.add(fact, fact.channel, fact.via)
    for cookie in facts(CookieSet):
        name = cookie.name.value if cookie.name is not None and isinstance(cookie.name.value, str) else ""
        found.add(cookie, AMBIENT, f"the cookie `{name}`" if name else "a cookie")
    for config in facts(JwtConfig):
        location = _location(config)
        if location is not None:
            cookies = "cookies" in location
            found.add(config, AMBIENT if cookies else EXPLICIT,
                      f"`JWT_TOKEN_LOCATION` {'with' if cookies else 'without'} cookies")
    for write in facts(StorageWrite):
        if _token_key(write):
            found.add(write, EXPLICIT, f"a token kept in `{write.storage}`")
    for client in facts(SocketIOClient):
        if client.options.value("withCredentials") is True:
            found.add(client, AMBIENT, "a Socket.IO client `withCredentials: true`")
        for sent in client.sends:
            channel = AMBIENT if sent.channel in AMBIENT_HANDSHAKE else EXPLICIT
            found.add(client, channel, f"a Socket.IO client sending its credential in the {sent.channel}")
    for server in facts(SocketIOServer):
        for handler in server.handlers:
            for read in handler.reads:
                if read.channel in AMBIENT_HANDSHAKE or read.channel in EXPLICIT_HANDSHAKE:
                    channel = AMBIENT if read.channel in AMBIENT_HANDSHAKE else EXPLICIT
                    found.add(server, channel, f"a Socket.IO connect handler reading the {read.channel}")
    return found


def channel_lenders(rule: Rule, project) -> Wanted:
    """``Rule.lenders_wanted`` of the rules weighing the channel (COR001, SIO003): the files that
    only show a channel can change a finding's weight alone, and only while the evidence seen so
    far has no cookie session (with one, the finding keeps its severity whatever else is found)."""
    if project_channels(project.facts).ambient:
        return None
    return Rule.lenders_wanted(rule, project)


def weight(channels: Channels) -> tuple[Severity | None, Evidence | None]:
    """INFO and the first bearer evidence when the project's credentials are bearer tokens only;
    (None, None) otherwise: the rule's own severity holds."""
    if channels.bearer_only:
        return Severity.INFO, channels.explicit[0]
    return None, None


class BearerOnly(Violation):
    """A wildcard finding, told that the project's credentials travel as bearer tokens."""

    finding: str  # the finding's own message, as its violation rendered it
    via: str
    where: str

    def message(self) -> str:
        return (f"{self.finding} (a note: this project's credentials are bearer tokens, {self.via} at "
                f"{self.where}, which browsers never attach for another site; only what an anonymous caller can "
                "read is exposed, which matters behind a network perimeter)")


def weighed(finding: Violation, channels: Channels) -> tuple[Violation, Severity | None]:
    """The violation to report and its severity (None: the rule's own) for a wildcard finding."""
    severity, evidence = weight(channels)
    if evidence is None:
        return finding, None
    return BearerOnly(finding.message(), evidence.via, evidence.where), severity


def weighed_diagnostic(diagnostic: Diagnostic, channels: Channels) -> Diagnostic:
    """A wildcard finding already made, weighed the same way (its message extended, its severity INFO)."""
    severity, evidence = weight(channels)
    if evidence is None or severity is None:
        return diagnostic
    note = BearerOnly(diagnostic.message, evidence.via, evidence.where)
    return replace(diagnostic, message=note.message(), severity=severity)
