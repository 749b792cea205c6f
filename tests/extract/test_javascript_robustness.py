"""The JS/TS front end never crashes: mutated snippets, and real library code when installed."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from authlint.context import FileContext, ParseError
from authlint.facts import Expr, Fact, OptionBag
from authlint.rules import registry
from authlint.source import Source, Span

ROOT = Path(__file__).resolve().parents[2]
SNIPPETS = sorted(
    {(e.path, e.code) for rule in registry().values() for e in rule.examples if e.path.endswith((".js", ".jsx", ".ts", ".tsx", ".mjs"))}
    | {(p.name, p.read_text(encoding="utf-8")) for p in (ROOT / "examples" / "js").rglob("*.*s*") if p.is_file()}
)
SYNTAX = list("{}[]()'\":;,=/\\\n\t $`*.?!<>") + ["//", "/*", "${", "eyJ", "é", "😀", "as any", "=>", "...", "?."]


def _spans(fact: Fact) -> list[Span]:
    """Every span a fact carries (its own, its Exprs', its options')."""
    found = [fact.span]
    for value in vars(fact).values():
        if isinstance(value, Expr):
            found.append(value.span)
        elif isinstance(value, Span):
            found.append(value)
        elif isinstance(value, OptionBag):
            for option in value.items.values():
                found += [option.span, option.name_span, option.value.span]
            if value.span is not None:
                found.append(value.span)
    return found


def _check(name: str, code: str) -> None:
    kind = "typescript" if name.endswith(("ts", "tsx")) else "javascript"
    ctx = FileContext(Source.from_text(code, name, kind))
    try:
        facts = ctx.facts.items
    except ParseError:
        return
    for fact in facts:
        for span in _spans(fact):
            assert 0 <= span.start <= span.end <= len(code), (fact, span)
        bag = getattr(fact, "options", None)
        if isinstance(bag, OptionBag) and bag.insert_at is not None:
            assert 0 <= bag.insert_at <= len(code)


@st.composite
def mutated(draw):
    name, code = draw(st.sampled_from(SNIPPETS))
    for _ in range(draw(st.integers(1, 5))):
        i = draw(st.integers(0, len(code)))
        j = draw(st.integers(i, min(len(code), i + 16)))
        action = draw(st.sampled_from(["delete", "insert", "duplicate"]))
        if action == "delete":
            code = code[:i] + code[j:]
        elif action == "insert":
            code = code[:i] + draw(st.sampled_from(SYNTAX)) + code[i:]
        else:
            code = code[:j] + code[i:j] + code[j:]
    return name, code


@settings(max_examples=150, deadline=None, derandomize=True, database=None, suppress_health_check=list(HealthCheck))
@given(mutated())
def test_mutated_snippets_never_crash_the_extractor(case: tuple[str, str]) -> None:
    _check(*case)


def test_real_library_code_extracts_cleanly() -> None:
    modules = ROOT / "tests" / "fixtures" / "js-e2e" / "node_modules"
    files = sorted(p for p in modules.rglob("*") if p.suffix in (".js", ".mjs", ".cjs", ".ts") and not p.name.endswith(".d.ts"))
    if not files:
        pytest.skip("npm ci has not been run in tests/fixtures/js-e2e")
    for path in files[:400]:
        _check(path.name, path.read_text(encoding="utf-8", errors="replace"))
