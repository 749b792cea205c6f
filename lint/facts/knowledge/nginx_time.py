"""How nginx reads a length of time (``proxy_read_timeout 90s;``), in seconds, and the defaults of
the timeouts that decide how long an idle proxied connection lives.

nginx's ``ngx_parse_time`` (src/core/ngx_parse.c) reads a number followed by a unit, several of them
in a row from the largest unit down (``1h30m``, ``"1m 30s"``): ``y`` (365 days), ``M`` (30 days),
``w``, ``d``, ``h``, ``m``, ``s``, ``ms``; a number without a unit is seconds, and may only come
last. Each unit at most once, in decreasing order, else nginx refuses the config. Timeouts such as
``proxy_read_timeout`` are read in milliseconds: ``ms`` is allowed there and ``y``/``M`` are not
(nginx 1.22 ``-t`` refuses ``1M`` and ``1y`` for them; directives read in seconds take ``y``/``M``
but not ``ms``). A value with a variable (``$timeout``) is not a time nginx knows before a request.
"""

from __future__ import annotations

import re

# unit -> (rank: larger units first, seconds)
UNITS: dict[str, tuple[int, float]] = {
    "y": (0, 365 * 86400.0),
    "M": (1, 30 * 86400.0),
    "w": (2, 7 * 86400.0),
    "d": (3, 86400.0),
    "h": (4, 3600.0),
    "m": (5, 60.0),
    "s": (6, 1.0),
    "ms": (7, 0.001),
}
_PART = re.compile(r"(\d+)(ms|[yMwdhms])?")

# nginx's defaults (ngx_http_proxy_module, ngx_stream_proxy_module)
PROXY_READ_TIMEOUT = 60.0  # proxy_read_timeout / proxy_send_timeout (http)
STREAM_PROXY_TIMEOUT = 600.0  # proxy_timeout (stream): 10m


def nginx_seconds(text: str, msec: bool = True) -> float | None:
    """nginx's reading of a time argument in seconds; None when nginx would refuse it or it holds a
    variable. ``msec``: the directive reads milliseconds (every proxy timeout does)."""
    at = 0
    size = len(text)
    rank = -1
    total = 0.0
    seen = False
    while at < size:
        while at < size and text[at] == " ":
            at += 1
        if at >= size:
            break
        match = _PART.match(text, at)
        if match is None:
            return None
        unit = match.group(2)
        if unit is None:
            if match.end() != len(text.rstrip(" ")):
                return None  # a bare number only as the last part
            total += float(match.group(1))
            return total
        if (unit in ("y", "M")) if msec else unit == "ms":
            return None
        unit_rank, size_of = UNITS[unit]
        if unit_rank <= rank:
            return None  # units in decreasing order, each once
        rank = unit_rank
        total += float(match.group(1)) * size_of
        seen = True
        at = match.end()
    return total if seen else None
