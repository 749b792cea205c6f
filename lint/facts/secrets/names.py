"""Whether a name says its value is a secret: the one place code and config finders ask it.

A name alone never masks code (``TOKEN_TTL = timedelta(seconds=15)``, ``const token =
jwt.sign(...)`` are shown as written); a *string literal* bound to a name that names a secret
(``JWT_SECRET = "..."``, ``password: "..."``, ``NATS_TOKEN: s3cr3t``) is one. Names about a secret
rather than holding one (``TOKEN_TTL``, ``SECRET_NAME``, ``PASSWORD_FILE``, ``token_type``) are not.
"""

from __future__ import annotations

import re

from authlint.facts.knowledge.token_names import META_WORDS, SECRET_KEY_WORDS, SECRET_NAME, words

SECRET_NAME_RE = re.compile(SECRET_NAME, re.IGNORECASE)
# A last word that makes the name point at a secret kept elsewhere, or describe one.
ABOUT_WORDS = frozenset({"name", "names", "file", "files", "path", "dir", "ref", "secret_ref", "length", "len",
                         "min", "max", "size", "bytes", "id", "source", "store", "header", "param", "field", "env",
                         "hint", "label", "prompt", "pattern", "regex", "policy", "prefix", "suffix", "placeholder"})
PLAIN_VALUES = frozenset({"true", "false", "yes", "no", "on", "off", "null", "none", "~", ""})


# a secret word, then on the same line ``=``/``:`` and later a quote (``SECRET_KEY: str = '``,
# ``config['SECRET_KEY'] = "``): a module without one binds no literal to a secret name, so its
# tree need not be walked
NAMED_LITERAL = re.compile(
    r"(?:pass|token|secret|api.?key|private.?key|seed|credential)[^\r\n=:]{0,60}[:=][^\r\n]{0,80}?['\"`]",
    re.IGNORECASE,
)


# what every ``NAMED_LITERAL`` match holds, lowered: a line without one is not searched
NAMED_LITERAL_WORDS = ("pass", "token", "secret", "api", "private", "seed", "credential")


def binds_named_literal(text: str) -> bool:
    """Cheap gate before a walk of code: some secret-sounding name is given a string literal.

    A match lies on one line (the pattern crosses no line break), so only the lines holding one of
    its words are searched: a regex led by an alternation tries every position of the text, which
    on a 100 KB module costs more than the walk it gates."""
    if not mentions_secret_word(text):
        return False
    for line in text.replace("\r", "\n").split("\n"):
        lower = line.lower()
        if any(word in lower for word in NAMED_LITERAL_WORDS) and NAMED_LITERAL.search(line):
            return True
    return False


def mentions_secret_word(text: str) -> bool:
    """Cheap gate before a walk: the text holds some word every secret name holds."""
    lower = text.lower()
    return any(word in lower for word in SECRET_KEY_WORDS)


def secret_name(name: str) -> bool:
    """A variable or key whose value is a secret: it names one (``JWT_SECRET``, ``dbPassword``) and
    is not about one (``TOKEN_TTL``, ``SECRET_NAME``, ``PASSWORD_FILE``)."""
    if not SECRET_NAME_RE.search(name):
        return False
    parts = words(name)
    return not parts or (parts[-1] not in META_WORDS and parts[-1] not in ABOUT_WORDS)


def secret_text(value: str) -> bool:
    """A literal that can be a secret: not empty, a switch, a number or a reference (``$VAR``, ``${X}``)."""
    stripped = value.strip()
    if stripped.lower() in PLAIN_VALUES or stripped.startswith("$"):
        return False
    return not stripped.replace(".", "", 1).replace("_", "").lstrip("-").isdigit()
