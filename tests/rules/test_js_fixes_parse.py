"""Every fix applied to a JavaScript/TypeScript example leaves code tree-sitter parses as before.

A text edit that forgets a comma or a brace would turn valid code into a file the next run reports
as E001 (or worse, code the user ships); this holds every rule's JS/TS examples to "no new errors".
"""

from __future__ import annotations

import pytest

from authlint.files.classify import classify
from authlint.files.source import Source
from authlint.rules import registry
from authlint.syntax.javascript import error_ranges, parse_source
from authlint.testing import fix_files

JS_SUFFIXES = (".js", ".mjs", ".cjs", ".jsx", ".ts", ".mts", ".cts", ".tsx", ".vue", ".html")
CASES = [
    pytest.param(rule.code, example, id=f"{rule.code}-{i}")
    for rule in registry().values()
    for i, example in enumerate(rule.examples)
    if not example.valid and example.path.endswith(JS_SUFFIXES)
]


def _errors(relpath: str, text: str) -> int:
    kind = classify(relpath.rsplit("/", 1)[-1], text.encode()) or "javascript"
    return len(error_ranges(parse_source(Source.from_text(text, relpath, kind)).root_node))


@pytest.mark.parametrize("code, example", CASES)
def test_fixed_js_parses_without_new_errors(code: str, example) -> None:
    files = {**example.files, example.path: example.code}
    overrides = {**example.settings, "select": [code]}
    if example.options:
        overrides["rule_options"] = {code: example.options}
    fixed = fix_files(files, unsafe=True, **overrides)
    for relpath, text in fixed.items():
        if relpath.endswith(JS_SUFFIXES):
            assert _errors(relpath, text) <= _errors(relpath, files[relpath]), text


def test_there_are_js_fixes_to_check() -> None:
    assert any(example.fixed is not None for _, example in (p.values for p in CASES))
