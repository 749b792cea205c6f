"""The JS/TS front end never crashes: mutated snippets, and real library code when installed."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from authlint.facts.model import Expr, Fact, OptionBag
from authlint.files.source import Source, Span
from authlint.rules import registry
from authlint.run.context import FileContext
from authlint.syntax.errors import ParseError
from tests.mutation import mutate

ROOT = Path(__file__).resolve().parents[3]  # the checkout
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
    return name, mutate(draw, code, SYNTAX, max_ops=5, width=16)


@settings(max_examples=150, deadline=None, derandomize=True, database=None, suppress_health_check=list(HealthCheck))
@given(mutated())
def test_mutated_snippets_never_crash_the_extractor(case: tuple[str, str]) -> None:
    _check(*case)


def test_real_library_code_extracts_cleanly() -> None:
    modules = ROOT / "tests" / "fixtures" / "js-e2e" / "node_modules"
    files = sorted(p for p in modules.rglob("*") if p.suffix in (".js", ".mjs", ".cjs", ".ts") and not p.name.endswith(".d.ts") and p.is_file())
    if not files:
        pytest.skip("npm ci has not been run in tests/fixtures/js-e2e")
    for path in files[:400]:
        _check(path.name, path.read_text(encoding="utf-8", errors="replace"))


def test_js_facts_survive_the_result_codec() -> None:
    """The worker pool and cache ship facts as JSON: every JS fact must encode and decode unchanged."""
    from authlint.run.serialize import decode, encode

    for name, code in SNIPPETS:
        kind = "typescript" if name.endswith(("ts", "tsx")) else "javascript"
        source = Source.from_text(code, name, kind)
        try:
            facts = FileContext(source).facts.items
        except ParseError:
            continue
        for fact in facts:
            assert decode(encode(fact, source), source) == fact, fact


def test_extraction_stays_linear_on_a_megabyte_of_dense_code() -> None:
    """A megabyte of fact-dense code yields every fact (its speed and linearity are measured by
    ``benchmarks/bench_scaling.py``, not asserted here: wall-clock limits make tests flaky)."""
    unit = (
        'const KEY_{i} = "token_{i}";\nlocalStorage.setItem(KEY_{i}, t);\n'
        "app.use(cors({{ origin: [/a{i}\\.example\\.com$/, \"https://b{i}.example\"], credentials: true }}));\n"
        'jwt.sign({{ sub: {i} }}, process.env.K, {{ expiresIn: "{i}m" }});\n'
    )
    code = 'import cors from "cors";\nimport jwt from "jsonwebtoken";\n' + "".join(unit.format(i=i) for i in range(4000))
    source = Source.from_text(code, "dense.js", "javascript")
    facts = FileContext(source).facts.items
    assert len(facts) == 3 * 4000
