"""A JSON codec for one file's results (diagnostics and facts), shared by the worker pool and the cache.

JSON, not pickle: the cache lives inside the scanned repository, where anyone could plant a file, so
reading it must never run code. Only dataclasses of authlint's own fact and diagnostic modules can
be rebuilt; anything else makes decoding fail, and the caller recomputes instead of trusting it.
The file's Source is not stored: it is re-attached by whoever decodes. Nor are its secret values:
given the file's ``SecretTexts``, every string holding one is encoded as references to the file's
secret spans, which decoding reads back from the re-attached Source (``run.secret_refs``).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
from enum import Enum
from typing import Any

from authlint.diagnostics import diagnostic
from authlint.facts import model as facts
from authlint.files.source import Source, Span
from authlint.run.secret_refs import SEC, TAG, BadReference, SecretTexts, restore


class CodecError(ValueError):
    """Data that cannot be encoded or a payload that does not decode to known types."""


def _classes() -> dict[str, type]:
    found: dict[str, type] = {}
    for module in (facts, diagnostic):
        for name, value in vars(module).items():
            if isinstance(value, type) and (dataclasses.is_dataclass(value) or issubclass(value, Enum)):
                if value.__module__ == module.__name__:
                    found[name] = value
    return found


CLASSES = _classes()


def encode(value: Any, source: Source | None = None, secrets: SecretTexts | None = None) -> Any:
    """``value`` as JSON-able data; ``secrets``: the file's secret values, carried as references."""
    if isinstance(value, Enum):  # before str: Severity and Applicability are str enums
        return {TAG: "enum", "c": type(value).__name__, "v": value.value}
    if isinstance(value, str):
        if secrets is not None and (parts := secrets.split(value)) is not None:
            return {TAG: SEC, "p": parts}
        return value
    if value is None or isinstance(value, (bool, int)):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else {TAG: "f", "v": repr(value)}
    if value is facts.UNKNOWN:
        return {TAG: "?"}
    if isinstance(value, dt.timedelta):
        return {TAG: "td", "v": [value.days, value.seconds, value.microseconds]}
    if isinstance(value, bytes):
        return {TAG: "b", "v": encode(value.decode("latin-1"), source, secrets)}
    if isinstance(value, Span):
        return {TAG: "Span", "s": value.start, "e": value.end}
    if isinstance(value, Source):
        if source is not None and value is source:
            return {TAG: "src"}
        raise CodecError("a result refers to another file's source")
    if isinstance(value, list):
        return [encode(item, source, secrets) for item in value]
    if isinstance(value, (tuple, frozenset, set)):
        kind = "t" if isinstance(value, tuple) else "fs"
        items = value if isinstance(value, tuple) else sorted(value, key=repr)
        return {TAG: kind, "v": [encode(item, source, secrets) for item in items]}
    if isinstance(value, dict):
        if all(isinstance(k, str) and k != TAG and (secrets is None or not secrets.holds_one(k)) for k in value):
            return {k: encode(v, source, secrets) for k, v in value.items()}
        return {TAG: "d", "v": [[encode(k, source, secrets), encode(v, source, secrets)] for k, v in value.items()]}
    if dataclasses.is_dataclass(value) and CLASSES.get(type(value).__name__) is type(value):
        out: dict[str, Any] = {TAG: type(value).__name__}
        for field in dataclasses.fields(value):
            if field.name == "source" and isinstance(getattr(value, field.name), Source):
                continue
            out[field.name] = encode(getattr(value, field.name), source, secrets)
        return out
    raise CodecError(f"cannot encode {type(value).__name__}")


_SCALARS = (str, int, bool, float, type(None))
_FIELDS: dict[type, frozenset[str]] = {}


def _field_names(cls: type) -> frozenset[str]:
    names = _FIELDS.get(cls)
    if names is None:
        names = _FIELDS[cls] = frozenset(field.name for field in dataclasses.fields(cls))
    return names


def decode(data: Any, source: Source) -> Any:
    kind = type(data)
    if kind in _SCALARS:  # the bulk of a payload: names, codes, messages, offsets
        return data
    if kind is list:
        return [item if type(item) in _SCALARS else decode(item, source) for item in data]
    if kind is not dict:
        raise CodecError(f"unexpected {kind.__name__}")
    tag = data.get(TAG)
    if tag is None:
        return {k: v if type(v) in _SCALARS else decode(v, source) for k, v in data.items()}
    if tag == "Span":
        return Span(int(data["s"]), int(data["e"]))
    if tag == "src":
        return source
    if tag == "?":
        return facts.UNKNOWN
    if tag == "f":
        return float(data["v"])
    if tag == "td":
        days, seconds, micro = data["v"]
        return dt.timedelta(days=int(days), seconds=int(seconds), microseconds=int(micro))
    if tag == SEC:
        try:
            return restore(data.get("p"), source)
        except BadReference as exc:
            raise CodecError(str(exc)) from exc
    if tag == "b":
        text = data["v"] if type(data["v"]) is str else decode(data["v"], source)
        if type(text) is not str:
            raise CodecError("bytes must be text")
        return text.encode("latin-1")
    if tag == "t":
        return tuple(decode(item, source) for item in data["v"])
    if tag == "fs":
        return frozenset(decode(item, source) for item in data["v"])
    if tag == "d":
        return {decode(k, source): decode(v, source) for k, v in data["v"]}
    if tag == "enum":
        cls = CLASSES.get(data["c"])
        if cls is None or not issubclass(cls, Enum):
            raise CodecError(f"unknown enum {data['c']!r}")
        return cls(data["v"])
    cls = CLASSES.get(tag)
    if cls is None or not dataclasses.is_dataclass(cls):
        raise CodecError(f"unknown type {tag!r}")
    names = _field_names(cls)
    kwargs = {k: v if type(v) in _SCALARS else decode(v, source) for k, v in data.items() if k != TAG}
    if not kwargs.keys() <= names:
        raise CodecError(f"unknown fields for {tag}: {sorted(kwargs.keys() - names)}")
    if "source" in names and "source" not in kwargs:
        kwargs["source"] = source
    try:
        return cls(**kwargs)
    except TypeError as exc:
        raise CodecError(str(exc)) from exc
