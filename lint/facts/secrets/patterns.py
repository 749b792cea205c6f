"""The documented pattern set: secrets recognisable by their shape alone, in any file.

- a JWT (``eyJ...`` header, two more base64url parts): the whole token;
- a PEM private key (``-----BEGIN ... PRIVATE KEY-----``): the body between its marker lines (the
  markers say what it is and are shown);
- an nkey seed (``SU...``, ``SA...``, ``SO...``: 58 base32 characters starting with ``S``);
- the password of a URL (``scheme://user:password@host``).

Patterns cannot match ordinary words: each needs a shape no identifier or prose has. Everything
else is masked only where an extractor says it is a secret (``FINDERS``).
"""

from __future__ import annotations

import re
from typing import Iterator

from authlint.files.source import Span

JWT = re.compile(r"eyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*")
PEM_PRIVATE = re.compile(
    r"-----BEGIN (?P<label>[A-Z0-9 ]*PRIVATE KEY)-----(?P<body>.*?)-----END (?P=label)-----", re.DOTALL
)
PEM_OPEN = re.compile(r"-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----")
# no look-behind: it would stop re from scanning for the literal "S" first (40x slower on a large
# corpus); the character before a match is checked in ``pattern_spans`` instead
NKEY_SEED = re.compile(r"S[UAONCXP][A-Z2-7]{54,56}(?![A-Z2-7])")
BASE32 = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567")
# a URL's user info after its "://" (found with str.find: a pattern starting at every letter to
# match the scheme was the slowest part of a run); the scheme before it is checked by SCHEME_END
USER_INFO = re.compile(r"[^/\s:@'\"`]+:(?P<password>[^@\s/'\"`]+)@")
SCHEME_END = re.compile(r"[a-z][a-z0-9+.-]*\Z", re.IGNORECASE)


def pattern_spans(text: str) -> Iterator[Span]:
    """The spans of the pattern set in ``text`` (cheap substring tests first: most files have none)."""
    if "eyJ" in text:
        for match in JWT.finditer(text):
            yield Span(match.start(), match.end())
    if "PRIVATE KEY-----" in text:
        for match in PEM_PRIVATE.finditer(text):
            body = match.span("body")
            yield Span(body[0], body[1])
        for opened in PEM_OPEN.finditer(text):  # a key cut short (no END marker): mask to the end
            if not PEM_PRIVATE.match(text, opened.start()):
                yield Span(opened.end(), len(text))
    for match in NKEY_SEED.finditer(text):
        if not match.start() or text[match.start() - 1] not in BASE32:
            yield Span(match.start(), match.end())
    if "@" in text:
        at = text.find("://")
        while at != -1:
            if SCHEME_END.search(text, max(0, at - 32), at):
                found = USER_INFO.match(text, at + 3)
                if found:
                    yield Span(*found.span("password"))
            at = text.find("://", at + 3)
