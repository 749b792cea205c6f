"""Procfiles (Heroku, Foreman, honcho, Dokku): one ``name: command`` line per process type.

The command is run by a shell, so it is split into shell words (``syntax.shellwords``). Lines that
are not ``name: command`` (blank lines, ``#`` comments) are skipped: a Procfile never fails to parse.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from authlint.files.source import Source, Span
from authlint.syntax.shellwords import Word, commands

if TYPE_CHECKING:
    from authlint.run.context import FileContext

LINE = re.compile(r"^[ \t]*([A-Za-z0-9_-]+)[ \t]*:[ \t]*(.*?)[ \t\r]*$", re.MULTILINE)


@dataclass
class Process:
    name: str
    span: Span  # the name
    commands: list[list[Word]] = field(default_factory=list)


def parse_source(source: Source, ctx: FileContext | None = None) -> list[Process]:
    return parse(source.text)


def parse(text: str) -> list[Process]:
    found = []
    for match in LINE.finditer(text):
        if match.group(2):
            found.append(Process(match.group(1), Span(match.start(1), match.end(1)),
                                 commands(text, match.start(2), match.end(2))))
    return found
