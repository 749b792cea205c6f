"""TRANSITIONAL: the old per-language renderer, kept only until every rule uses the kit (render, options). Delete when unused."""

from __future__ import annotations

from typing import Any

PY = "python"


def string(lang: str, value: str, like: str | None = None) -> str:
    """A string literal; ``like`` is an existing literal whose quote style is kept."""
    quote = '"'
    if like and like[:1] in ("'", '"', "`"):
        quote = like[0] if like[0] != "`" else "'"
    import json

    body = json.dumps(value)[1:-1]
    if quote == "'":
        body = body.replace('\\"', '"').replace("'", "\\'")
    return f"{quote}{body}{quote}"


def literal(lang: str, value: Any, like: str | None = None) -> str:
    """A literal of a plain value (str, bool, None, number, list/tuple of those)."""
    if isinstance(value, str):
        return string(lang, value, like)
    if isinstance(value, bool):
        if lang == PY:
            return "True" if value else "False"
        return "true" if value else "false"
    if value is None:
        return "None" if lang == PY else "null"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(literal(lang, item, like) for item in value) + "]"
    raise TypeError(f"cannot render {type(value).__name__} as a literal")


def option(lang: str, name: str, value_code: str) -> str:
    """A keyword argument (python ``name=value``) or object property (JS ``name: value``)."""
    return f"{name}={value_code}" if lang == PY else f"{name}: {value_code}"


def comment_prefix(kind: str) -> str:
    return "//" if kind in ("javascript", "typescript") else "#"
