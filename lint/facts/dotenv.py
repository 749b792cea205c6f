"""Facts from dotenv files: the values one ``.env`` file gives the code that loads it.

A dotenv file holds one environment (``EnvBlock``, origin "dotenv"): it serves the code under its
own folder (python-dotenv's ``load_dotenv()`` and the npm ``dotenv`` package read ``.env`` from the
working directory, the app's folder), unless a Compose service names it in ``env_file`` (the project
phase then gives it to that service). Templates (``.env.example``, ``.env.sample``, ``.env.template``,
``.env.dist``) are marked: their values are placeholders someone is meant to replace.
"""

from __future__ import annotations

import posixpath
import re
from typing import TYPE_CHECKING, Iterator

from authlint.facts.model import EnvBlock, EnvSetting, Fact
from authlint.files.source import Span

if TYPE_CHECKING:
    from authlint.run.context import FileContext

TEMPLATE = re.compile(r"(?:^|[._-])(?:example|sample|template|tpl|dist)(?:$|[._-])", re.IGNORECASE)


def is_template(relpath: str) -> bool:
    return TEMPLATE.search(posixpath.basename(relpath)) is not None


def extract(ctx: FileContext) -> Iterator[Fact]:
    assignments = ctx.tree
    if not assignments:
        return
    settings = [
        EnvSetting(a.name, a.value if a.literal else None, a.value_span if a.value_span.end > a.value_span.start or a.quote
                   else a.name_span)
        for a in assignments
    ]
    relpath = ctx.source.relpath
    yield EnvBlock(
        source=ctx.source, span=Span(assignments[0].name_span.start, assignments[-1].value_span.end), lang="dotenv",
        origin="dotenv", serves=posixpath.dirname(relpath), template=is_template(relpath), settings=settings,
    )
