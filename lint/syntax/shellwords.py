"""Shell words with their positions: a command line as ``sh`` splits it, each word knowing which
characters of the file it came from (so a finding on ``--pass s3cr3t`` points at ``s3cr3t``).

Enough of POSIX ``sh`` for the command lines of deployment files (Dockerfile shell form, Compose
``command: "..."``, Procfile lines): blanks separate words; ``'...'`` is literal; ``"..."`` keeps
``\\`` only before ``$ ` " \\`` and newline; a ``\\`` outside quotes escapes the next character
(``\\`` + newline joins lines); ``;``, ``&&``, ``||``, ``|`` and ``&`` end a command; ``#`` at the
start of a word starts a comment. Expansions (``$VAR``, ``$(...)``) are kept as written and the
word is marked ``expands``: authlint never runs or expands anything.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from authlint.files.source import Span

SEPARATORS = (";", "&&", "||", "|", "&")
BLANKS = " \t\r\n"


@dataclass
class Word:
    """One word: its value after quote removal and, per character of the value, its file offset."""

    value: str
    offsets: list[int] = field(default_factory=list)
    expands: bool = False  # holds an unquoted or double-quoted ``$``/backtick: not a literal

    @property
    def span(self) -> Span:
        return self.part(0, len(self.value))

    def part(self, start: int, end: int) -> Span:
        """The file span of ``value[start:end]`` (an empty word: where it stood)."""
        if not self.offsets:
            return Span(0, 0)
        if end <= start:
            at = self.offsets[min(start, len(self.offsets) - 1)]
            return Span(at, at)
        return Span(self.offsets[start], self.offsets[end - 1] + 1)


def commands(text: str, start: int = 0, end: int | None = None) -> list[list[Word]]:
    """The simple commands of ``text[start:end]``, each a list of words (separators dropped)."""
    end = len(text) if end is None else end
    found: list[list[Word]] = [[]]
    at = start
    while at < end:
        char = text[at]
        if char in BLANKS:
            at += 1
            continue
        if text.startswith("\\\n", at):  # a continued line
            at += 2
            continue
        if char == "#":
            newline = text.find("\n", at, end)
            at = end if newline == -1 else newline + 1
            continue
        separator = next((s for s in SEPARATORS if text.startswith(s, at)), None)
        if separator is not None:
            if found[-1]:
                found.append([])
            at += len(separator)
            continue
        word, at = _word(text, at, end)
        found[-1].append(word)
    return [words for words in found if words]


def _word(text: str, at: int, end: int) -> tuple[Word, int]:
    word = Word("")
    chars: list[str] = []
    while at < end:
        char = text[at]
        if char in BLANKS or any(text.startswith(s, at) for s in SEPARATORS):
            break
        if char == "\\":
            if at + 1 < end and text[at + 1] == "\n":
                at += 2
                continue
            if at + 1 < end:
                chars.append(text[at + 1])
                word.offsets.append(at + 1)
            at += 2
            continue
        if char == "'":
            close = text.find("'", at + 1, end)
            close = end if close == -1 else close
            for i in range(at + 1, close):
                chars.append(text[i])
                word.offsets.append(i)
            at = close + 1
            continue
        if char == '"':
            at += 1
            while at < end and text[at] != '"':
                if text[at] == "\\" and at + 1 < end and text[at + 1] in '$`"\\\n':
                    if text[at + 1] != "\n":
                        chars.append(text[at + 1])
                        word.offsets.append(at + 1)
                    at += 2
                    continue
                if text[at] in "$`":
                    word.expands = True
                chars.append(text[at])
                word.offsets.append(at)
                at += 1
            at += 1
            continue
        if char in "$`":
            word.expands = True
        chars.append(char)
        word.offsets.append(at)
        at += 1
    word.value = "".join(chars)
    return word, at
