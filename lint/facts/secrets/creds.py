"""Secret values in NATS ``.creds`` and ``.jwt`` files: what their armour wraps.

A decorated file wraps the user JWT and the nkey seed in ``-----BEGIN NATS USER JWT-----`` /
``------END NATS USER JWT------`` lines: every line between a BEGIN and its END is masked (a
placeholder or truncated seed the pattern set would not recognise included), the marker lines and
the advice between the blocks are shown. A bare file (no armour) is nothing but the token or seed.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Iterator

from authlint.facts.secrets.literals import trimmed_lines
from authlint.files.source import Span

if TYPE_CHECKING:
    from authlint.run.context import FileContext

BEGIN = re.compile(r"^[ \t]*-{3,}\s*BEGIN\b[^\r\n]*$", re.MULTILINE)
END = re.compile(r"^[ \t]*-{3,}\s*END\b[^\r\n]*$", re.MULTILINE)


def find(ctx: FileContext) -> Iterator[Span]:
    text = ctx.source.text
    opened = BEGIN.search(text)
    if opened is None:
        yield from trimmed_lines(text, 0, len(text))
        return
    while opened is not None:
        closed = END.search(text, opened.end())
        body_end = closed.start() if closed is not None else len(text)
        yield from trimmed_lines(text, opened.end() + 1, body_end)
        opened = BEGIN.search(text, closed.end()) if closed is not None else None
