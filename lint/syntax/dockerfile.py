"""Dockerfiles (and Containerfiles): the instructions a build runs, with positions.

Only what authlint reads: ``FROM`` (a new stage), ``ENV`` (values the container starts with),
``COPY``/``ADD`` (files of the build context placed in the image), ``CMD`` and ``ENTRYPOINT`` (what
the container runs) in the exec form (a JSON array) or the shell form (run by ``/bin/sh -c``). Lines
end in ``\\`` to continue; ``#`` lines are comments (also inside a continued instruction, which
Docker drops). Instructions are case-insensitive. A Dockerfile never fails to parse here: a line
that is none of these is skipped, as lines authlint does not need.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from authlint.files.source import Source, Span
from authlint.syntax.shellwords import Word, commands

if TYPE_CHECKING:
    from authlint.run.context import FileContext

INSTRUCTION = re.compile(r"[ \t]*([A-Za-z]+)[ \t]+")
JSON_STRING = re.compile(r'"(?:[^"\\\n]|\\.)*"')
ENV_PAIR = re.compile(r"([A-Za-z_][A-Za-z0-9_]*)=")


@dataclass
class Instruction:
    keyword: str  # upper case: CMD, ENTRYPOINT, ENV, FROM, COPY, ADD, ...
    span: Span  # the whole instruction, continuation lines included
    args: Span  # its arguments
    exec_form: bool = False
    words: list[Word] = field(default_factory=list)  # exec form: the array's strings; else all shell words
    commands: list[list[Word]] = field(default_factory=list)  # the simple commands (exec form: one)


@dataclass
class Stage:
    """One ``FROM`` stage: the image it starts from and its instructions in order."""

    image: str
    instructions: list[Instruction] = field(default_factory=list)

    def last(self, keyword: str) -> Instruction | None:
        found = [i for i in self.instructions if i.keyword == keyword]
        return found[-1] if found else None


def parse_source(source: Source, ctx: FileContext | None = None) -> list[Stage]:
    return parse(source.text)


def parse(text: str) -> list[Stage]:
    stages: list[Stage] = []
    for instruction in _instructions(text):
        if instruction.keyword == "FROM":
            words = [w for w in instruction.words if not w.value.startswith("--")]
            stages.append(Stage(words[0].value if words else ""))
        elif stages:
            stages[-1].instructions.append(instruction)
    return stages


def _instructions(text: str):
    at = 0
    size = len(text)
    while at < size:
        line_end = text.find("\n", at)
        line_end = size if line_end == -1 else line_end
        stripped = text[at:line_end].strip()
        if not stripped or stripped.startswith("#"):
            at = line_end + 1
            continue
        end = _instruction_end(text, at)
        match = INSTRUCTION.match(text, at, end)
        if match is not None:
            keyword = match.group(1).upper()
            args = Span(match.end(), end)
            instruction = Instruction(keyword, Span(at, end), args)
            body = text[args.start : args.end].strip()
            if keyword in ("CMD", "ENTRYPOINT", "RUN", "COPY", "ADD") and body.startswith("["):
                words = _exec_words(text, args)
                if words is not None:
                    instruction.exec_form, instruction.words, instruction.commands = True, words, [words]
            if not instruction.exec_form:
                instruction.commands = commands(text, args.start, args.end)
                instruction.words = [w for command in instruction.commands for w in command]
            yield instruction
        at = end + 1


def _instruction_end(text: str, at: int) -> int:
    """The offset of the newline that ends the instruction starting at ``at`` (continuations followed)."""
    size = len(text)
    while True:
        line_end = text.find("\n", at)
        if line_end == -1:
            return size
        line = text[at:line_end].rstrip(" \t\r")
        if not line.endswith("\\") or line.lstrip().startswith("#") and at != line_end:
            if line.lstrip().startswith("#"):  # a comment inside a continued instruction: skipped
                at = line_end + 1
                continue
            return line_end
        at = line_end + 1


def _exec_words(text: str, args: Span) -> list[Word] | None:
    """The strings of a JSON array (None when it is not one: Docker then runs it as shell form)."""
    raw = text[args.start : args.end]
    cleaned = re.sub(r"\\[ \t]*\r?\n", " ", raw)
    try:
        values = json.loads(cleaned.strip())
    except ValueError:
        return None
    if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
        return None
    words: list[Word] = []
    for match, value in zip(JSON_STRING.finditer(text, args.start, args.end), values):
        inner = match.start() + 1
        if "\\" in match.group(0):  # escapes: map every character onto the string's extent
            last = match.end() - 2
            offsets = [min(inner + i, last) for i in range(len(value))]
        else:
            offsets = list(range(inner, inner + len(value)))
        words.append(Word(value, offsets, expands=False))
    return words if len(words) == len(values) else None


def env_pairs(text: str, instruction: Instruction) -> list[tuple[str, Word | None]]:
    """``ENV A=1 B=2`` or the legacy ``ENV A 1``: (name, value word)."""
    words = instruction.words
    if words and "=" not in words[0].value:
        return [(words[0].value, words[1] if len(words) > 1 else None)]
    found: list[tuple[str, Word | None]] = []
    for word in words:
        match = ENV_PAIR.match(word.value)
        if match is None:
            continue
        cut = match.end()
        value = Word(word.value[cut:], word.offsets[cut:], word.expands)
        found.append((match.group(1), value))
    return found
