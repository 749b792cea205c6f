"""Code rendering for fixes, in the file's own syntax and quote style.

The only place that knows how a value is spelled in Python, JavaScript/TypeScript or YAML, so rules
say *what* to write (a list of origins, ``True``, a dict of options) and never build code by
concatenating strings. What a file's language is comes from its source kind; rules never ask.
"""

from __future__ import annotations

import json
import re
from typing import Any

from authlint.facts.model import Expr, Option, OptionBag
from authlint.files.kinds import HOCON, JS_KINDS, NATSCONF, PYTHON, YAML
from authlint.files.source import Source

IDENTIFIER = re.compile(r"^[A-Za-z_$][A-Za-z0-9_$]*$")
QUOTES = ("'", '"', "`")
YAML_PLAIN_KEY = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_./-]*$")  # a plain scalar that needs no quotes as a key
HOCON_PLAIN_KEY = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_-]*$")  # `allowed-origins`: an unquoted HOCON key segment


class Code(str):
    """Code the kit rendered (a call such as ``timedelta(minutes=1)``, a name): placed as is, never quoted.

    Rules get ``Code`` values from kit functions; they do not make their own from strings.
    """


def syntax(source: Source) -> str:
    """``python``, ``javascript`` (JS and TS alike), ``yaml`` or ``natsconf``: how values are spelled
    in this file."""
    if source.kind in JS_KINDS:
        return "javascript"
    if source.kind == YAML:
        return "yaml"
    if source.kind == NATSCONF:
        return NATSCONF
    if source.kind == HOCON:
        return HOCON
    return PYTHON


def quote_style(source: Source, like: Expr | Option | str | None = None) -> str:
    """The quote to write a new string with: that of ``like`` (an existing literal, or the first
    string inside a list/call written as ``like``), else the file's dominant quote (nats-server
    configs: double quotes, as nats-server's own docs and ``nats server passwd`` write them). HOCON
    has only double-quoted strings (a ``'`` is an ordinary character there)."""
    if source.kind == HOCON:
        return '"'
    text = _text_of(like)
    if text:
        first = text.lstrip("[({ \t\r\n")[:1]
        if first in ("'", '"'):
            return first
        if first == "`":
            return "'"
    if source.kind == NATSCONF:
        return '"'
    return "'" if source.text.count("'") > source.text.count('"') else '"'


def string(source: Source, value: str, like: Expr | Option | str | None = None) -> str:
    """A string literal in the quote style of ``like`` (or of the file)."""
    quote = quote_style(source, like)
    body = json.dumps(value)[1:-1]
    if quote == "'":
        body = body.replace('\\"', '"').replace("'", "\\'")
    return f"{quote}{body}{quote}"


def literal(source: Source, value: Any, like: Expr | Option | str | None = None) -> str:
    """A literal of a plain value: str, bool, None, int, float, list/tuple, dict (keys are strings),
    or ``Code`` placed as is."""
    if isinstance(value, Code):
        return str(value)
    if isinstance(value, str):
        return string(source, value, like)
    lang = syntax(source)
    if isinstance(value, bool):
        if lang == PYTHON:
            return "True" if value else "False"
        return "true" if value else "false"
    if value is None:
        return "None" if lang == PYTHON else "null"
    if isinstance(value, (int, float)):
        return number(value)
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(literal(source, item, like) for item in value) + "]"
    if isinstance(value, dict):
        entries = [_pair(source, name, item, like) for name, item in value.items()]
        if lang == PYTHON:
            return "{" + ", ".join(entries) + "}"
        return "{ " + ", ".join(entries) + " }" if entries else "{}"
    raise TypeError(f"cannot render {type(value).__name__} as a literal")


def number(value: float) -> str:
    """``20.0`` -> ``20``, ``0.5`` -> ``0.5``: a number as a person would write it."""
    if isinstance(value, bool):
        raise TypeError("a bool is not a number")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, float):
        return repr(round(value, 3))
    return str(value)


def key(source: Source, name: str, like: Expr | Option | str | None = None) -> str:
    """A mapping key: quoted in Python dicts, bare in JS objects and YAML when it is an identifier."""
    if syntax(source) != PYTHON and IDENTIFIER.match(name):
        return name
    if syntax(source) == YAML and YAML_PLAIN_KEY.match(name):  # annotation keys: a.io/b-c
        return name
    if syntax(source) == HOCON and HOCON_PLAIN_KEY.match(name):
        return name
    return string(source, name, like)


def entry(source: Source, bag: OptionBag, name: str, value: Any, like: Expr | Option | str | None = None) -> str:
    """One option in the bag's own form: ``name=value`` (call keywords), ``'name': value`` (dict),
    ``name: value`` (JS object, YAML mapping), ``name = value`` (a HOCON object)."""
    code = literal(source, value, like)
    if bag.form == "kwargs" or (bag.form == "" and syntax(source) == PYTHON):
        return f"{name}={code}"
    if syntax(source) == HOCON:
        return f"{key(source, name, like)} = {code}"
    return f"{key(source, name, like)}: {code}"


def moved(expr: Expr) -> Code:
    """An expression's own code, for a fix that moves it elsewhere (a token from a URL into ``auth``)."""
    return Code(expr.text)


def spelled(code: str) -> Code:
    """Code a fact spelled for the place it goes (a name the file binds, an env read valid there, a
    function name of the same library), placed as is."""
    return Code(code)


def _pair(source: Source, name: str, item: Any, like: Expr | Option | str | None) -> str:
    """One dict/object entry; in JS an identifier holding its own key is written shorthand (``{ jwt }``)."""
    if syntax(source) != PYTHON and isinstance(item, Code) and item == name and IDENTIFIER.match(name):
        return name
    return f"{key(source, name, like)}: {literal(source, item, like)}"


def _text_of(like: Expr | Option | str | None) -> str:
    if like is None:
        return ""
    if isinstance(like, str):
        return like
    if isinstance(like, Option):
        return like.value.text
    return like.text
