"""Secret values in code that the language finders may not see as such: the literal a NATS token or
password read from the environment falls back to (``os.environ.get("NATS_PASSWORD") or "…"``,
``process.env.NATS_TOKEN || "…"``), as the ``EnvFallback`` facts locate it."""

from __future__ import annotations

from typing import TYPE_CHECKING, Iterator

from authlint.facts.model import EnvFallback
from authlint.facts.nats_outside import credential_kind
from authlint.files.source import Span

if TYPE_CHECKING:
    from authlint.run.context import FileContext


def find(ctx: FileContext) -> Iterator[Span]:
    if "NATS" not in ctx.source.text.upper():  # no NATS_* read: no facts to extract for it
        return
    for fact in ctx.of(EnvFallback):
        if fact.value and credential_kind(fact.variable) is not None:
            yield fact.value_span
