"""Helpers for the JS/TS extractor tests: facts of an in-memory file, and source slices."""

from __future__ import annotations

from typing import TypeVar

from authlint.facts.model import Fact
from authlint.files.classify import classify
from authlint.files.source import Source, Span
from authlint.run.context import FileContext

F = TypeVar("F", bound=Fact)


def facts_of(name: str, code: str, kind: type[F]) -> list[F]:
    source = Source.from_text(code, name, classify(name, code.encode()) or "javascript")
    return list(FileContext(source).of(kind))


def one(name: str, code: str, kind: type[F]) -> F:
    found = facts_of(name, code, kind)
    assert len(found) == 1, found
    return found[0]


def text(fact: Fact, span: Span | None) -> str:
    assert span is not None
    return fact.source.slice(span)
