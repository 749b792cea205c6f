"""Secrets never appear in full in any output: tokens, passwords, keys and JWTs are redacted."""

from __future__ import annotations

import re

from authlint.facts.knowledge.token_names import SECRET_KEY_WORDS, SECRET_NAME

JWT_RE = re.compile(r"eyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*")
NKEY_SEED_RE = re.compile(r"\bS[UAONCX][A-Z2-7]{50,60}\b")


def redact(secret: str, keep: int = 2) -> str:
    """``T0pS3cr3t`` -> ``T0*******``: enough to recognise, never enough to use.

    Short secrets (under 8 characters) show nothing but their length.
    """
    if secret is None:
        return ""
    text = str(secret)
    if len(text) < 8:
        return "*" * max(len(text), 3)
    return text[:keep] + "*" * min(len(text) - keep, 12) + (f"(+{len(text) - keep - 12})" if len(text) - keep > 12 else "")


def redact_jwt(token: str) -> str:
    """Keep the header part (it says the algorithm), hide claims and signature."""
    head, _, _ = token.partition(".")
    return f"{head[:12]}…(JWT, {len(token)} chars)"


def scrub(text: str) -> str:
    """Redact any JWT or nkey seed found inside free text (used on code frames and messages)."""
    if "eyJ" in text:
        text = JWT_RE.sub(lambda m: redact_jwt(m.group(0)), text)
    return NKEY_SEED_RE.sub(lambda m: m.group(0)[:2] + "*" * 10, text)


SECRET_ASSIGNMENT = re.compile(
    r"""(?P<key>\b[\w.-]*""" + SECRET_NAME + r"""[\w-]*["']?\s*(?:[:=]|=>)\s*)"""
    r"""(?P<quote>["'`]?)(?P<value>[^\s"'`,;}\])]{4,})""",
    re.IGNORECASE,
)

# Every SECRET_ASSIGNMENT key holds one of SECRET_KEY_WORDS (lowercased): lines without any skip the regex.
URL_CREDENTIALS = re.compile(r"(?P<head>[a-z][a-z0-9+.-]*://[^/\s:@]+:)(?P<value>[^@\s/]+)(?=@)", re.IGNORECASE)


def scrub_line(line: str, secrets: tuple[str, ...] = (), code: bool = True) -> str:
    """A source line fit to print: known secrets, JWTs, seeds, URL passwords and ``password: value``
    values redacted. ``code`` is False for config formats, where a bare word is a literal value."""
    for secret in secrets:
        if secret and len(secret) >= 3:
            line = line.replace(secret, redact(secret))
    line = scrub(line)

    def hide(match: re.Match[str]) -> str:
        value = match.group("value")
        if value.startswith(("$", "process.env", "os.environ", "os.getenv", "env(", "settings.")) or "*" in value:
            return match.group(0)
        if code and value.replace(".", "").isidentifier() and match.group("quote") == "":
            return match.group(0)  # a variable name in code, not a literal secret
        return match.group("key") + match.group("quote") + redact(value)

    if "://" in line and "@" in line:
        line = URL_CREDENTIALS.sub(lambda m: m.group("head") + redact(m.group("value")), line)
    lower = line.lower()
    if line.isascii() and not any(word in lower for word in SECRET_KEY_WORDS):  # re folds "ſ" to "s"
        return line
    return SECRET_ASSIGNMENT.sub(hide, line)


def scrub_secret_values(line: str, secrets: tuple[str, ...] = (), code: bool = True) -> str:
    """``line`` with only secret values masked: the ``secrets`` a diagnostic declared, JWTs, nkey
    seeds and URL passwords; in a config format (``code`` False) also the value of a
    ``password:``/``token:`` setting, which that grammar makes a literal. In code no name-based
    guess: the fix diff prints code that must apply as a patch, and ``TOKEN_TTL =
    timedelta(...)`` is code, not a secret. A line holding none of them comes back unchanged."""
    for secret in secrets:
        if secret and len(secret) >= 3 and secret in line:
            line = line.replace(secret, redact(secret))
    line = scrub(line)
    if "://" in line and "@" in line:
        line = URL_CREDENTIALS.sub(lambda m: m.group("head") + redact(m.group("value")), line)
    if code:
        return line
    lower = line.lower()
    if line.isascii() and not any(word in lower for word in SECRET_KEY_WORDS):
        return line
    return SECRET_ASSIGNMENT.sub(_hide_config_value, line)


CONFIG_PLAIN_VALUES = frozenset({"true", "false", "yes", "no", "on", "off", "null", "none"})


def _hide_config_value(match: re.Match[str]) -> str:
    """A ``password: value`` value in a config format, masked unless it is a reference
    (``$VAR``), already masked, or a switch/number (``cors-allow-credentials: 'false'``)."""
    value = match.group("value")
    if value.startswith(("$", "env(")) or "*" in value:
        return match.group(0)
    if value.lower() in CONFIG_PLAIN_VALUES or value.replace(".", "").isdigit():
        return match.group(0)
    return match.group("key") + match.group("quote") + redact(value)
