"""Which names mean a token or a credential: in a browser-storage key, a cookie name, a URL query
parameter, a handshake query key, and a variable or config key that holds a secret.

One table per place a name is read, because the places differ on purpose: a cookie named ``sid`` is
a session token, but a storage key only counts when a whole word says so (``sidebar`` is not);
``key`` as a URL parameter is an API key, yet ``keyboard`` in a variable name holds no secret. The
tables are kept apart (and named for where they apply) so that widening one never silently widens
another; the extractors, the rules and the redactor all read them from here.

Cheap to import (``re`` only): the redactor and every rule module use it.
"""

from __future__ import annotations

import re

# -- names split into words: ``accessToken`` / ``access_token`` / ``X-Auth-Token`` ----------------
WORD_RE = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|[0-9]+")


def words(text: str) -> list[str]:
    """``accessToken`` / ``access_token`` / ``X-Auth-Token`` -> ``["access", "token"]`` ..."""
    return [word.lower() for word in WORD_RE.findall(text)]


# -- browser storage keys (TOK001): whole words ---------------------------------------------------
# Words that make a storage key or a stored value a credential.
STORAGE_KEY_WORDS = frozenset({
    "token", "jwt", "bearer", "auth", "authorization", "session", "sessionid", "sid", "credential",
    "credentials", "apikey",
})
# In a stored value's code only unambiguous words count (an editor's ``getSession()`` is no credential).
STORAGE_VALUE_WORDS = frozenset({"token", "jwt", "bearer", "apikey", "credential", "credentials"})
# A last word that makes the name about a token rather than the token itself (``tokenExpiry``).
META_WORDS = frozenset({
    "expiry", "expires", "expiration", "exp", "expire", "expired", "ttl", "type", "timestamp", "time", "at",
    "date", "count", "flag", "enabled", "mode", "provider", "method", "status", "state", "redirect", "url",
    "path", "route", "return", "next",
})
# A first word that makes the name a yes/no about a token (``isAuthenticated``, ``useAuth``).
PREDICATE_WORDS = ("is", "has", "use", "should")
# Keys that are plainly not credentials: a value stored there is not reported for its name alone.
BENIGN_STORAGE_KEYS = frozenset({
    "theme", "locale", "lang", "language", "i18n", "darkmode", "colorscheme", "sidebar", "layout", "timezone",
    "currency", "cart", "consent", "cookieconsent", "onboarding", "tour", "draft", "settings", "preferences",
    "prefs", "font", "fontsize", "volume", "viewmode", "tab", "lastvisited", "recent",
})


def names_credential(name: str, vocabulary: frozenset[str] = STORAGE_KEY_WORDS) -> bool:
    """Whether a name denotes a credential (``refreshToken``), not data about one (``tokenExpiry``)."""
    parts = words(name)
    if not parts:
        return False
    if parts[-1] in META_WORDS or parts[0] in PREDICATE_WORDS:
        return False
    joined = "".join(parts)
    return any(part in vocabulary for part in parts) or joined in vocabulary


def benign_storage_key(name: str) -> bool:
    return "".join(words(name)) in BENIGN_STORAGE_KEYS


# -- cookie names (TOK002): substrings, plus ``sid`` ending a word -------------------------------
# Searched anywhere in a cookie's name (``XSRF-SESSION``, ``remember_me``), or in the code of its
# value when the name is not a literal.
COOKIE_TOKEN_PARTS = ("token", "jwt", "session", "sess", "auth", "access", "refresh", "remember", "credential")
COOKIE_TOKEN_WORD_ENDS = ("sid",)  # only where a word ends there: ``sid``, ``connect.sid``; not ``side``
COOKIE_TOKEN_NAME = re.compile(
    "|".join((*COOKIE_TOKEN_PARTS, *(rf"{word}\b" for word in COOKIE_TOKEN_WORD_ENDS))), re.IGNORECASE
)


def cookie_carries_token(text: str) -> bool:
    """A cookie name (or the code of its value) that says it holds a token or a session."""
    return bool(COOKIE_TOKEN_NAME.search(text))


# -- cookies the page must read (TOK002): the double-submit CSRF token ----------------------------
# A CSRF cookie is copied by page script into a request header (Django ``csrftoken`` ->
# ``X-CSRFToken``, Angular/axios ``XSRF-TOKEN`` -> ``X-XSRF-TOKEN``, Flask-JWT-Extended
# ``csrf_access_token``/``csrf_refresh_token`` -> ``X-CSRF-TOKEN``, csurf ``_csrf``, Flask-WTF
# ``csrf_token``): HttpOnly would break that, and the cookie is worthless without the session it
# pairs with. Flask-JWT-Extended itself sets its CSRF cookies ``httponly=False``.
COOKIE_READ_BY_PAGE = re.compile(r"csrf|xsrf", re.IGNORECASE)


def cookie_read_by_page(text: str) -> bool:
    """A cookie name (or the code of its value) that says page script reads it: a CSRF token."""
    return bool(COOKIE_READ_BY_PAGE.search(text))


# -- Socket.IO handshake query keys and handler reads (SIO006): substrings -----------------------
HANDSHAKE_QUERY_PARTS = ("token", "jwt", "auth", "bearer", "api_?key", "session", "secret", "password")
HANDSHAKE_QUERY_TOKEN = re.compile("|".join(HANDSHAKE_QUERY_PARTS), re.IGNORECASE)


def query_key_carries_token(key: str) -> bool:
    """A key of a ``query`` object, or one a connect handler reads from the query string."""
    return bool(HANDSHAKE_QUERY_TOKEN.search(key))


# -- query parameters inside a URL literal (the Socket.IO client extractors) ---------------------
# Two tables, as the extractors have always had them: python-socketio URLs are matched against exact
# names (``key`` and ``session`` among them: a parameter named ``key`` is an API key), socket.io-client
# URLs against any ``*token`` name and API/access keys. Each pattern matches ``?name=`` / ``&name=``.
URL_TOKEN_PARAMS_EXACT = (
    "token", "access_token", "accesstoken", "id_token", "jwt", "auth", "auth_token", "authorization", "api_key",
    "apikey", "bearer", "key", "session",
)
URL_TOKEN_PARAM_EXACT = re.compile(r"[?&](?:" + "|".join(URL_TOKEN_PARAMS_EXACT) + r")=", re.IGNORECASE)
URL_TOKEN_PARAM_PATTERNS = (r"(?:[a-z]+[_-]?)?token", "jwt", "auth", "authorization", "bearer", r"api[_-]?key",
                            r"access[_-]?key")
URL_TOKEN_PARAM_SUFFIXED = re.compile(r"[?&](" + "|".join(URL_TOKEN_PARAM_PATTERNS) + r")=", re.IGNORECASE)


# -- variables and config keys that hold a secret (the redactor) ---------------------------------
# Fragments of a key whose value is a secret (``DB_PASSWORD = "..."``, ``apiKey: "..."``).
SECRET_NAME_PARTS = (r"pass(?:word|wd)?", "token", "secret", r"api[_-]?key", r"private[_-]?key", "seed", r"credentials?")
# Every secret key holds one of these words (lowercased): a line without any needs no redaction.
SECRET_KEY_WORDS = ("pass", "token", "secret", "api", "private", "seed", "credential")
SECRET_NAME = "(?:" + "|".join(SECRET_NAME_PARTS) + ")"
