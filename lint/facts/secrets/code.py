"""Secret values in code, from the language-neutral facts both code extractors produce.

What the facts say is a secret, and only that: the literal key of a JWT mint or verification
(also the constant it was followed to, and an env read's literal fallback), JWT framework settings
that hold a key, NATS client tokens and passwords (and a lone token in a NATS server URL), Socket.IO
credentials a client sends as literals (auth payload, headers, ``?token=`` in its URL), literal
values of cookies that carry a token or session, literal tokens written to browser storage, and
JWTs written into the code.
Names never decide alone in code: ``TOKEN_TTL = timedelta(...)`` and ``localStorage.getItem("token")``
are code, not secrets.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Iterator

from authlint.facts.knowledge.token_names import cookie_carries_token, names_credential, query_key_carries_token
from authlint.facts.model import (
    CookieSet,
    Expr,
    JwtConfig,
    JwtLiteral,
    JwtMint,
    JwtVerify,
    ModuleValues,
    NatsClient,
    SocketIOClient,
    StorageWrite,
)
from authlint.facts.secrets.literals import Follow, literal_of, secret_value_of, string_bodies, trimmed_lines
from authlint.files.source import Span

if TYPE_CHECKING:
    from authlint.run.context import FileContext

# Framework settings whose value is a signing key (Flask-JWT-Extended, SimpleJWT, Flask/Django).
KEY_SETTINGS = frozenset({"JWT_SECRET_KEY", "JWT_PRIVATE_KEY", "SIGNING_KEY", "SECRET_KEY"})
# A header value's scheme word is shown, the credential after it masked (``Bearer <token>``).
AUTH_SCHEMES = ("bearer ", "basic ", "token ", "digest ")


def code_secrets(ctx: FileContext, follow: Follow | None = None) -> Iterator[Span]:
    """Every secret value the file's facts locate (Python and JS/TS alike); ``follow`` finds the
    literal at the end of a chain of constants, where the language needs it."""
    text = ctx.source.text
    for fact in ctx.facts.items:
        if isinstance(fact, (JwtMint, JwtVerify)):
            if not public_key(fact.key):
                yield from secret_value_of(text, fact.key, follow)
        elif isinstance(fact, JwtConfig):
            for name, option in fact.settings.items.items():
                if name in KEY_SETTINGS:
                    yield from secret_value_of(text, option.value, follow)
        elif isinstance(fact, NatsClient):
            for option in (fact.token, fact.password):
                if option is not None:
                    yield from secret_value_of(text, option.value, follow)
            yield from nats_url_credentials(text, fact.servers)
        elif isinstance(fact, SocketIOClient):
            yield from socketio_credentials(text, fact, follow)
        elif isinstance(fact, CookieSet):
            yield from cookie_value(text, fact, follow)
        elif isinstance(fact, StorageWrite):
            yield from stored_token(text, fact, follow)
        elif isinstance(fact, JwtLiteral):
            yield fact.span
        elif isinstance(fact, ModuleValues):  # (travel) keys other modules read: masked where written
            yield from offered_secrets(text, fact, follow)


def offered_secrets(text: str, fact: ModuleValues, follow: Follow | None = None) -> Iterator[Span]:
    """The literals (and literal fallbacks) a module offers under a name that says it holds a secret
    (``JWT_SECRET = os.getenv("JWT_SECRET", "dev")``, ``Config.SECRET_KEY``, a pydantic default)."""
    from authlint.facts.secrets.names import secret_name

    named = [*fact.values.items(), *((name, expr) for name, exprs in fact.settings.items() for expr in exprs)]
    for name, expr in named:
        if secret_name(name.rsplit(".", 1)[-1]) and not public_key(expr):
            yield from secret_value_of(text, expr, follow)


def known_names(ctx: FileContext) -> list[Span]:
    """Where the facts say a literal is a name, not a value: the key a token is stored under, the
    name of a cookie (``const TOKEN_KEY = "auth_token"; localStorage.setItem(TOKEN_KEY, t)``). A
    literal bound to a secret-sounding name that the code uses as such a name is shown."""
    found: list[Span] = []
    for fact in ctx.facts.items:
        named = fact.key if isinstance(fact, StorageWrite) else fact.name if isinstance(fact, CookieSet) else None
        if named is not None:
            found.append(named.span)
            if named.origin is not None:
                found.append(named.origin)
    return found


def without(spans: Iterator[Span], names: list[Span]) -> Iterator[Span]:
    """``spans`` less those inside a known name's literal."""
    for span in spans:
        if not any(name.start <= span.start and span.end <= name.end for name in names):
            yield span


# How an OpenSSH public key line starts (``ssh-ed25519 AAAA...``): PyJWT loads these as verifying keys.
SSH_PUBLIC = ("ssh-", "ecdsa-sha2-", "sk-ssh-", "sk-ecdsa-sha2-")


def public_key(expr: Expr | None) -> bool:
    """A PEM public key, a certificate or an OpenSSH public key: what verifies, published on purpose."""
    value = expr.value if expr is not None else None
    if isinstance(value, bytes):
        value = value.decode("latin-1")
    if not isinstance(value, str):
        return False
    if value.lstrip().startswith(SSH_PUBLIC):
        return True
    return "-----BEGIN" in value and ("PUBLIC KEY" in value or "CERTIFICATE" in value)


def nats_url_credentials(text: str, servers: Expr | None) -> Iterator[Span]:
    """The credentials inside NATS server URL literals: the password of ``user:password@`` and a
    lone token user part (``nats://s3cr3t@host``), which is a token to nats-server."""
    from authlint.facts.natsconf.blocks import URL_CRED_RE

    if servers is None or not servers.known or (servers.ref or "").startswith(("env:", "settings:")):
        return
    where = servers.origin or servers.span
    for body in string_bodies(text, where.start, where.end):
        match = URL_CRED_RE.match(text[body.start : body.end])  # anchored at the literal's start
        if match is None or not match.group("user"):
            continue
        group = "password" if match.group("password") is not None else "user"
        if match.end(group) > match.start(group):
            yield Span(body.start + match.start(group), body.start + match.end(group))


def socketio_credentials(text: str, client: SocketIOClient, follow: Follow | None = None) -> Iterator[Span]:
    """Literal credentials a Socket.IO client sends: ``?token=LITERAL`` in its URL and the literal
    values of credential keys of its auth payload, headers and query."""
    for sent in client.sends:
        if sent.channel == "url":
            value = sent.value
            if value is not None and value.known and "{" not in text[value.span.start : value.span.end]:
                yield value.span
            continue
        if sent.key is None or not query_key_carries_token(sent.key):
            continue
        if sent.value is not None:
            yield from _credential_text(text, sent.value, follow)
    auth = client.options.get("auth")  # a JS auth object: its entries carry the values
    entries = auth.value.entries if auth is not None else None
    for key, entry in (entries.items.items() if entries is not None else ()):
        if query_key_carries_token(key):
            yield from _credential_text(text, entry.value, follow)


def _credential_text(text: str, value: Expr, follow: Follow | None) -> Iterator[Span]:
    """A literal credential, its ``Bearer``/``Basic`` scheme word left shown."""
    for span in literal_of(text, value, follow):
        lowered = text[span.start : span.end].lower()
        scheme = next((s for s in AUTH_SCHEMES if lowered.startswith(s)), None)
        yield Span(span.start + len(scheme), span.end) if scheme else span


def cookie_value(text: str, cookie: CookieSet, follow: Follow | None = None) -> Iterator[Span]:
    """The literal value of a cookie whose name says it carries a token or a session."""
    name = cookie.name
    if name is None or not isinstance(name.value, str) or not cookie_carries_token(name.value):
        return
    if cookie.script_writer and cookie.framework == "document.cookie":
        yield from _document_cookie_value(text, cookie)
        return
    yield from literal_of(text, cookie.value, follow)


def _document_cookie_value(text: str, cookie: CookieSet) -> Iterator[Span]:
    """``document.cookie = "session=VALUE; Secure"``: the text between ``name=`` and ``;``."""
    if cookie.name is None or cookie.value is None:
        return
    start = cookie.name.span.end
    if text[start : start + 1] != "=":
        return
    end = start + 1
    while end < len(text) and text[end] not in ";\"'`\r\n" and not text.startswith("${", end):
        end += 1
    if end < len(text) and text.startswith("${", end):
        return  # the value is code
    yield from trimmed_lines(text, start + 1, end)


def stored_token(text: str, write: StorageWrite, follow: Follow | None = None) -> Iterator[Span]:
    """A literal written to browser storage under a key that names a credential."""
    key = write.key
    if key is None:
        return
    name = key.value if isinstance(key.value, str) else key.text.rsplit(".", 1)[-1]
    if names_credential(name):
        yield from literal_of(text, write.value, follow)

