"""Secrets in a portable payload as references to where they are written, never as their text.

A file's results (diagnostics and facts) hold its secret values: a literal signing key in
``JwtMint.key``, a NATS token in ``NatsRealm.tokens``, a password in a client's options, a fix
moving a token literal. The worker pool and the on-disk cache carry those results as JSON, and the
cache is a folder inside the scanned repository that CI systems cache and upload: it must never
hold a secret.

Every file whose results are carried has its secret spans (``Source.secret_spans``), and whoever
decodes the payload has the file's text: it reads the file to show or join anything. So a string
equal to a secret's text is carried as ``{"§": "sec", "p": [[start, end]]}`` (where the file writes
it) and a string holding one (an ``Expr.text`` with its quotes, a fix's content) as its parts,
literal text and offsets in turn; decoding reads each secret back from the file. Besides the spans,
secret values the facts name (``declared_secrets``: a literal signing key, a NATS token) are
referred to where the file writes them, so a secret the finders missed is not cached either.
The decoded results are exactly those of a cold run, so cross-file rules compare plaintext
as they always do (a bcrypt hash in a server config is checked against a client's password, which
no fingerprint could do), whatever came from the cache or a worker.

Why not a keyed fingerprint: it would need a key kept outside the repository, a ``Fingerprint`` type
that every rule comparing, hashing, measuring or checking a secret against a list must handle, and
it cannot answer a bcrypt check; a reference stores nothing derived from the secret at all.

What no reference can cover (a value that is not the file's text as written: an unescaped or
concatenated literal, a bytes key written with escapes, the secret of an included config) is
caught before anything is written: ``leaks`` finds any carried secret left in the results' own
strings, and such an entry is not cached (its file is checked again on every run; rare, and
always correct). The pool still carries it: a pipe between two processes of one run is memory.
"""

from __future__ import annotations

import re
from typing import Any, Iterable

from authlint.files.source import Source, Span

TAG = "§"  # the codec's type tag (``serialize.TAG``)
SEC = "sec"  # the codec's tag of a string holding secrets

Parts = list  # of str (text as is) and [start, end] (the file's text at those offsets: a secret)


class SecretTexts:
    """The secret values of one file as written, ready to be cut out of any string of its results."""

    def __init__(self, text: str, spans: Iterable[Span]) -> None:
        self.where: dict[str, list[int]] = {}
        for span in spans:
            if span.end > span.start:
                self.where.setdefault(text[span.start : span.end], [span.start, span.end])
        # longest first: a secret containing another is cut out whole
        ordered = sorted(self.where, key=len, reverse=True)
        self.pattern = re.compile("|".join(map(re.escape, ordered))) if ordered else None

    @classmethod
    def of(cls, source: Source, named: Iterable[str] = ()) -> SecretTexts | None:
        """The file's secret spans, and the first place each of ``named`` (secret values the facts
        name that no span covers) is written; None when there is none (most files), so the codec
        costs nothing more."""
        spans = list(source.secret_spans or ())
        known = {source.text[span.start : span.end] for span in spans}
        for value in named:
            if value and value not in known:
                at = source.text.find(value)
                if at >= 0:
                    spans.append(Span(at, at + len(value)))
        return cls(source.text, spans) if spans else None

    @property
    def values(self) -> set[str]:
        return set(self.where)

    def split(self, value: str) -> Parts | None:
        """``value`` as parts (literal text and secrets' offsets), or None when it holds no secret."""
        if self.pattern is None or not value:
            return None
        exact = self.where.get(value)
        if exact is not None:
            return [exact]
        parts: Parts = []
        last = 0
        for match in self.pattern.finditer(value):
            if match.start() > last:
                parts.append(value[last : match.start()])
            parts.append(self.where[match.group()])
            last = match.end()
        if not parts:
            return None
        if last < len(value):
            parts.append(value[last:])
        return parts

    def holds_one(self, value: str) -> bool:
        return self.pattern is not None and self.pattern.search(value) is not None


class BadReference(ValueError):
    """A reference that does not name text of the file (a planted, torn or stale payload)."""


def restore(parts: Any, source: Source) -> str:
    """The string ``parts`` stand for, each secret read back from the file's own text."""
    if type(parts) is not list:
        raise BadReference("secret parts must be a list")
    out: list[str] = []
    size = len(source.text)
    for part in parts:
        if type(part) is str:
            out.append(part)
        elif type(part) is list and len(part) == 2 and all(type(n) is int for n in part) and 0 <= part[0] < part[1] <= size:
            out.append(source.text[part[0] : part[1]])
        else:
            raise BadReference(f"not a secret of the file: {part!r}")
    return "".join(out)


def leaks(encoded: Any, secrets: Iterable[str]) -> bool:
    """Whether encoded results (``serialize.encode``'s output) still hold any of ``secrets`` in a
    string of their own: the codec's structure (type tags, field names, enum values) is not theirs,
    so a secret that happens to read ``secret`` or ``a`` does not count when only a field's name
    or a tag holds it."""
    ordered = sorted({s for s in secrets if s}, key=len, reverse=True)
    if not ordered:
        return False
    pattern = re.compile("|".join(map(re.escape, ordered)))
    stack = [encoded]
    while stack:
        value = stack.pop()
        if type(value) is str:
            if pattern.search(value):
                return True
        elif type(value) is list:
            stack.extend(value)
        elif type(value) is dict:
            tag = value.get(TAG)
            if tag is None:  # a dict of the results: its keys are theirs
                stack.extend(value)
                stack.extend(value.values())
            elif tag != "enum":
                stack.extend(v for k, v in value.items() if k != TAG)
    return False


def declared_secrets(items: Iterable[Any]) -> set[str]:
    """Secret values the facts themselves name (a literal signing key, a NATS token or password),
    found or not by the file's finders: a payload holding one in plain text is never cached.

    Only fields that are secrets whatever their value; a cookie's or a handshake field's value may
    be ordinary (``theme=dark``), and the file's finders say when it is not."""
    from authlint.facts import model

    found: set[str] = set()

    def add(value: Any) -> None:
        if isinstance(value, bytes):
            value = value.decode("latin-1")
        if isinstance(value, str) and value:
            found.add(value)

    def expr(value: model.Expr | None) -> None:
        if value is not None and value.known:
            add(value.value)
            add(value.fallback)

    def option(value: model.Option | None) -> None:
        if value is not None:
            expr(value.value)

    def presented(value: model.NatsPresented) -> None:
        add(value.token)
        add(value.password)

    for fact in items:
        if isinstance(fact, (model.JwtMint, model.JwtVerify)):
            expr(fact.key)
        elif isinstance(fact, model.JwtLiteral):
            add(fact.token)
        elif isinstance(fact, model.NatsClient):
            option(fact.token)
            option(fact.password)
        elif isinstance(fact, model.NatsServerAuth):
            for realm in fact.realms.values():
                for token in realm.tokens:
                    add(token)
                for passwords in realm.users.values():
                    for password in passwords:
                        add(password)
            for sent in fact.presented:
                presented(sent)
    return found
