"""JSON files: the decoded document, or None when the file is not strict JSON.

A ``.json`` is read for what rules look for in it (a nats CLI context, an nkey seed anywhere); many
are not strict JSON (``tsconfig.json`` allows comments), and judging that is no business of an
auth linter, so a file that does not decode is no parse error: its tree is None.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from authlint.files.source import Source

if TYPE_CHECKING:
    from authlint.run.context import FileContext


def parse_source(source: Source, ctx: FileContext | None = None) -> Any:
    try:
        return json.loads(source.text)
    except (ValueError, RecursionError):
        return None
