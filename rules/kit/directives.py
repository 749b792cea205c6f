"""nginx directives written by fixes: an argument quoted as nginx reads it, a directive rendered
on its own line at its block's indent, an argument replaced in place.

nginx arguments need quotes when they hold blanks, ``;``, braces, quotes or ``#``, or are empty;
nginx reads ``\\"`` inside double quotes as a quote, so that is the one escape written.
"""

from __future__ import annotations

import re
from typing import Protocol, Sequence

from authlint.diagnostics.diagnostic import Edit
from authlint.facts.model import NginxDirective
from authlint.files.source import Source, Span

BARE = re.compile(r"""[^\s;{}"'#\\]+""")


class HasInsertion(Protocol):
    """A fact that knows where a new directive goes in its block (``NginxProxy``, ``NginxUpstream``)."""

    insert_at: int | None
    indent: str


def argument(value: str, like: str = "") -> str:
    """``value`` as an nginx argument: bare when it can be, else double-quoted; ``like``: an
    argument as written whose quote a same-place value keeps (``'...'``)."""
    if BARE.fullmatch(value) and not like.startswith(("'", '"')):
        return value
    if like.startswith("'") and "'" not in value and "\\" not in value:
        return "'" + value + "'"
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def directive(name: str, args: Sequence[str]) -> str:
    """``name arg ...;`` with each argument quoted as nginx needs."""
    return " ".join([name, *(argument(arg) for arg in args)]) + ";"


def insert_directives(source: Source, block: HasInsertion, lines: Sequence[tuple[str, Sequence[str]]]) -> Edit | None:
    """Insert directives (``(name, args)``, in order) at the end of ``block``: each on its own
    line at the block's indent, or after the last one on a block written on one line. None when
    the fact has no block to insert into."""
    if block.insert_at is None or not lines:
        return None
    if block.indent == " ":
        text = "".join(" " + directive(name, args) for name, args in lines)
    else:
        newline = source.newline
        text = "".join(newline + block.indent + directive(name, args) for name, args in lines)
    return Edit.insert(block.insert_at, text)


def replace_argument(source: Source, written: NginxDirective, index: int, value: str) -> Edit:
    """Replace the ``index``-th argument of a written directive, keeping its quote where it can."""
    span = written.arg_spans[index]
    return Edit.replace(span, argument(value, source.slice(span)))


def insert_directives_first(source: Source, body: Span | None, lines: Sequence[tuple[str, Sequence[str]]]) -> Edit | None:
    """Insert directives (``(name, args)``, in order) at the start of a block whose body (between
    its braces) is ``body``: on their own lines at the indent of the block's first line, or before
    the first directive of a block written on one line. Where order matters (a balancing method
    before ``keepalive`` in an ``upstream``) the new directives come first. None for an empty or
    absent block."""
    if body is None or not lines:
        return None
    text = source.text
    first = body.start
    while first < body.end and text[first].isspace():
        first += 1
    if first >= body.end:
        return None
    line_start = text.rfind("\n", body.start, first) + 1
    if line_start == 0:  # one line: ``upstream app { server a; server b; }``
        return Edit.insert(first, "".join(directive(name, args) + " " for name, args in lines))
    indent = text[line_start:first]
    newline = source.newline
    return Edit.insert(line_start, "".join(indent + directive(name, args) + newline for name, args in lines))


class HasSlot(Protocol):
    """A place before a block's first ``server`` where a new ``http``-level directive goes
    (``NginxLogSlot``)."""

    insert_at: int
    indent: str
    own_line: bool


def _readable(value: str) -> str:
    """An argument that holds double quotes (a ``log_format`` string) written in single quotes
    when it can be, as such strings are usually written."""
    return argument(value, "'" if '"' in value else "")


def insert_before_servers(source: Source, slot: HasSlot, lines: Sequence[tuple[str, Sequence[str]]]) -> Edit | None:
    """Insert directives (``(name, args)``) before the first ``server`` of a block, each on its own
    line at that server's indent (or before it on its line when it shares one)."""
    if not lines:
        return None
    rendered = [" ".join([name, *(_readable(arg) for arg in args)]) + ";" for name, args in lines]
    if slot.own_line:
        text = "".join(slot.indent + line + source.newline for line in rendered)
    else:
        text = "".join(line + " " for line in rendered)
    return Edit.insert(slot.insert_at, text)


def add_argument(source: Source, written: NginxDirective, index: int, value: str) -> Edit:
    """Add an argument to a written directive at position ``index`` (after the ``index``-1-th)."""
    return Edit.insert(written.arg_spans[index - 1].end, " " + argument(value))
