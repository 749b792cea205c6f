"""``json.dumps(value, indent=2)``, byte for byte, at C-encoder speed for the values reports hold.

With ``indent`` set, the standard library falls back to its pure-Python encoder (a generator per
container level): ~40 ms for the JSON report of a 900-finding run, more than the warm run's check.
Here strings go through the C string encoder and containers are joined directly. Anything that is
not plain JSON data (a subclass, a custom type) hands the whole value back to ``json.dumps``.
"""

from __future__ import annotations

import json
import math
from json.encoder import encode_basestring_ascii
from typing import Any

INDENT = "  "


class _NotPlain(Exception):
    """A value this writer does not render exactly like ``json.dumps``."""


def dumps(value: Any) -> str:
    parts: list[str] = []
    try:
        _write(value, "\n", parts)
    except _NotPlain:
        return json.dumps(value, indent=2)
    return "".join(parts)


def _write(value: Any, newline: str, parts: list[str]) -> None:
    """``newline``: a line break followed by the current indentation."""
    kind = type(value)
    if kind is str:
        parts.append(encode_basestring_ascii(value))
    elif value is None:
        parts.append("null")
    elif value is True:
        parts.append("true")
    elif value is False:
        parts.append("false")
    elif kind is int:
        parts.append(int.__repr__(value))
    elif kind is float and math.isfinite(value):
        parts.append(float.__repr__(value))
    elif kind is dict:
        if not value:
            parts.append("{}")
            return
        inner = newline + INDENT
        opener = "{" + inner
        for key, item in value.items():
            if type(key) is not str:
                raise _NotPlain
            parts.append(opener)
            parts.append(encode_basestring_ascii(key))
            parts.append(": ")
            _write(item, inner, parts)
            opener = "," + inner
        parts.append(newline + "}")
    elif kind is list or kind is tuple:
        if not value:
            parts.append("[]")
            return
        inner = newline + INDENT
        opener = "[" + inner
        for item in value:
            parts.append(opener)
            _write(item, inner, parts)
            opener = "," + inner
        parts.append(newline + "]")
    else:  # NaN/Infinity (json's own spelling), str/int subclasses, anything else
        raise _NotPlain
