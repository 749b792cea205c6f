"""Secret values in a plain text file (README, shell script, notes): what a code frame around a
NAT009 finding may show. The file has no grammar to read, so this is the checksum-valid nkey seeds
(the finding's own span) and the values written after a secret name on any line (``export
NATS_TOKEN=s3cr3t``, ``password: hunter2`` in a README), as in a file that does not parse."""

from __future__ import annotations

from typing import TYPE_CHECKING, Iterator

from authlint.facts.secrets.lines import named_values
from authlint.files.source import Span
from authlint.syntax.nkeys import find_valid_seeds

if TYPE_CHECKING:
    from authlint.run.context import FileContext


def find(ctx: FileContext) -> Iterator[Span]:
    text = ctx.source.text
    for seed in find_valid_seeds(text):
        yield seed.span
    yield from named_values(text, code=False)
