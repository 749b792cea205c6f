"""Line numbers of declarations in JSON and TOML text, which their parsers do not keep.

A pin names the line that declares it (``package.json:12``), so the readers parse with the real
parser (the values) and find each declaration's line here (the place); a declaration not found
falls back to the line of its section, never to a wrong file.
"""

from __future__ import annotations

import re

_JSON_TOKEN = re.compile(r'"(?:[^"\\\n]|\\.)*"|[{}\[\],:]')


def json_key_lines(text: str) -> dict[tuple[str, ...], int]:
    """Every object key's path (``("dependencies", "jsonwebtoken")``) -> 1-based line of the key.

    Arrays are walked but add no path element (no reader needs a key below an array). The first
    occurrence of a duplicated path wins.
    """
    import json

    found: dict[tuple[str, ...], int] = {}
    stack: list[tuple[str, str | None]] = []  # (container "{" or "[", key of the value it is)
    pending: str | None = None  # the last key read in the innermost object
    last: str | None = None  # the last string token: a key when a ":" follows
    last_line = 1
    line = 1
    position = 0
    for match in _JSON_TOKEN.finditer(text):
        token = match.group()
        line += text.count("\n", position, match.start())
        position = match.start()
        if token == ":":
            if last is not None and stack and stack[-1][0] == "{":
                pending = last
                found.setdefault(_path(stack) + (pending,), last_line)
            last = None
        elif token in "{[":
            stack.append((token, pending))
            pending = None
            last = None
        elif token in "}]":
            if stack:
                stack.pop()
            pending = None
            last = None
        elif token == ",":
            last = None
        else:
            try:
                last = json.loads(token)
            except ValueError:
                last = None
            last_line = line
    return found


def _path(stack: list[tuple[str, str | None]]) -> tuple[str, ...]:
    """The keys leading to the innermost container (the root object has none)."""
    return tuple(key for _, key in stack[1:] if key is not None)


def toml_section_lines(text: str) -> list[tuple[str, int]]:
    """Each ``[table]`` / ``[[array]]`` header's dotted name (quotes removed) and 1-based line."""
    out = []
    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if line.startswith("[") and "]" in line:
            name = line.strip("[]").split("]")[0].strip()
            out.append((name.replace('"', "").replace("'", "").replace(" ", ""), number))
    return out


def toml_key_line(text: str, section: str, key: str) -> int | None:
    """The line of ``key = ...`` inside ``[section]`` (up to the next header), or of an inline
    table's ``key = ...`` line; None when absent."""
    lines = text.splitlines()
    headers = toml_section_lines(text)
    pattern = re.compile(rf"""^\s*["']?{re.escape(key)}["']?\s*=""", re.IGNORECASE)
    for index, (name, start) in enumerate(headers):
        if name != section:
            continue
        end = headers[index + 1][1] - 1 if index + 1 < len(headers) else len(lines)
        for number in range(start + 1, end + 1):
            if pattern.match(lines[number - 1]):
                return number
    return None


def string_line(text: str, needle: str, after_line: int = 1) -> int | None:
    """The first line at or after ``after_line`` that contains ``"needle`` or ``'needle`` (a list
    entry of a TOML array written as a string)."""
    for number, raw in enumerate(text.splitlines(), 1):
        if number < after_line:
            continue
        if f'"{needle}' in raw or f"'{needle}" in raw:
            return number
    return None
