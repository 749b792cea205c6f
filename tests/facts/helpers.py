"""Helpers for extractor tests: facts of an in-memory Python file."""

from __future__ import annotations

from authlint.facts.model import Fact
from authlint.files.source import Source
from authlint.run.context import FileContext


def facts_of(text: str, kind: type[Fact] | None = None, relpath: str = "app.py") -> list:
    ctx = FileContext(Source.from_text(text, relpath, "python"))
    items = list(ctx.facts.items)
    return [f for f in items if kind is None or isinstance(f, kind)]
