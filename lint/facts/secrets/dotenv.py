"""Secret values in dotenv files: a value whose name says it holds a secret (``JWT_SECRET``,
``DB_PASSWORD``, ``NATS_TOKEN``), as in Compose ``environment`` (``secrets.yaml``): the name alone
decides in a config format, unless the value is a reference (``${VAR}``), a switch or a number, or
the name is about a secret rather than one (``TOKEN_TTL``, ``SECRET_NAME``, ``PASSWORD_FILE``).

An environment variable is also a secret when its name ends in ``KEY`` or names a signing key
(``JWT_KEY``, ``SIGNING_KEY``, ``APP_KEY``, ``JWT_SIGNER``): deployments pass signing keys under
such names, and JWT004/JWT005 show the lines that set them."""

from __future__ import annotations

from typing import TYPE_CHECKING, Iterator

from authlint.facts.knowledge.token_names import words
from authlint.facts.secrets.literals import trimmed_lines
from authlint.facts.secrets.names import secret_name, secret_text
from authlint.files.source import Span

if TYPE_CHECKING:
    from authlint.run.context import FileContext


def find(ctx: FileContext) -> Iterator[Span]:
    text = ctx.source.text
    for assignment in ctx.tree:
        if env_secret_name(assignment.name) and (secret_text(assignment.value) or assignment.quote == "'" and assignment.value):
            yield from trimmed_lines(text, assignment.value_span.start, assignment.value_span.end)


# a last word that names the key itself (``JWT_KEY``, ``SIGNING_KEY``, ``JWT_SIGNER``, ``JWT``)
KEY_WORDS = frozenset({"key", "keys", "jwt", "signer", "hmac"})


def env_secret_name(name: str) -> bool:
    """An environment variable whose value is a secret: a secret name, or a key's (``JWT_KEY``,
    ``SIGNING_KEY``), not one about a key (``JWT_TTL``, ``JWT_ALGORITHM``, ``KEY_FILE``)."""
    if secret_name(name):
        return True
    parts = words(name)
    return bool(parts) and parts[-1] in KEY_WORDS
