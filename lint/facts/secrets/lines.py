"""Secrets of a file that does not parse: ``name: value`` lines whose name says they hold one.

A finder reads the parsed file; when the parser refuses it (a nats-server config with a stray
brace, a YAML file cut short, Python with a syntax error) the E001 finding still shows the line
where parsing stopped, and that line may hold a password. This fallback reads the text line by
line: a value written after a secret name (``token: s3cr3t``, ``password = "x"``, ``NATS_TOKEN:
abc``, ``JWT_SECRET = "..."``) is masked. In code only a quoted value counts (a bare word there
is a variable); in a config format a bare word is a literal too. Names about a secret
(``TOKEN_TTL``) and references (``$VAR``) are left alone, as in the finders.
"""

from __future__ import annotations

import re
from typing import Iterator

from authlint.facts.secrets.names import mentions_secret_word, secret_name, secret_text
from authlint.files.source import Span

NAMED_VALUE = re.compile(
    r"""(?P<name>[A-Za-z_][\w.-]*)["']?[ \t]*(?::=|=>|[:=])[ \t]*"""
    r"""(?:(?P<quote>["'`])(?P<quoted>[^"'`\r\n]*)(?P=quote)|(?P<bare>[^\s,;#}\]"'`][^\s,;#}\]]*))"""
)


def named_values(text: str, code: bool) -> Iterator[Span]:
    """Spans of the values written after a secret name, line by line."""
    if not mentions_secret_word(text):
        return
    for match in NAMED_VALUE.finditer(text):
        if not secret_name(match.group("name")):
            continue
        group = "quoted" if match.group("quote") else "bare"
        if group == "bare" and code:
            continue
        value = match.group(group)
        if value and secret_text(value):
            yield Span(*match.span(group))
