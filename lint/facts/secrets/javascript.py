"""Secret values in JavaScript and TypeScript files: what the facts locate (``code.code_secrets``).

The JS extractor records what the Python one does (keys followed to their literal, env fallbacks,
NATS and Socket.IO credentials, cookies, storage writes), so nothing beyond the facts is needed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Iterator

from authlint.facts.secrets.code import code_secrets
from authlint.files.source import Span

if TYPE_CHECKING:
    from authlint.run.context import FileContext


def find(ctx: FileContext) -> Iterator[Span]:
    yield from code_secrets(ctx)
