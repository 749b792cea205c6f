"""``kit.set_origins``: an origin list made to hold given origins entry by entry, its layout kept."""

from __future__ import annotations

import pytest

from authlint.diagnostics.diagnostic import Fix
from authlint.diagnostics.fix import apply_fixes
from authlint.facts.model import Expr
from authlint.files.source import Source, Span
from authlint.rules import kit
from authlint.rules.kit.origin_lists import plan
from tests.facts.jsfacts import facts_of as js_facts_of


def _python(text: str, origins: list[str]) -> str:
    source = Source.from_text(text, "app.py", "python")
    start, end = text.index("["), text.rindex("]") + 1
    expr = Expr(span=Span(start, end), text=text[start:end], value=[])
    edits = kit.set_origins(source, expr, origins)
    return apply_fixes(text, [Fix.unsafe("t", *edits)])[0] if edits else text


def test_plan_replaces_the_first_unwanted_entry_and_drops_repeats() -> None:
    changes = plan(["https://a", "*", "https://a", None], ["https://a", "https://b", "https://c"])
    assert changes.replace == {1: ["https://b", "https://c"], 2: []} and changes.append == []
    assert plan(["https://a"], ["https://a", "https://b"]).append == ["https://b"]
    assert plan(["https://a", "https://b"], ["https://b", "https://a"]).empty  # order is not a change


@pytest.mark.parametrize(
    "before, origins, after",
    [
        (  # one per line: comments stay on their lines, the trailing comma stays last
            'ORIGINS = [\n    "https://admin.example",  # back office\n    "*",  # everyone\n]\n',
            ["https://admin.example", "https://app.example", "https://www.example"],
            'ORIGINS = [\n    "https://admin.example",  # back office\n    "https://app.example",  # everyone\n'
            '    "https://www.example",\n]\n',
        ),
        (  # no trailing comma, a comment line between entries
            "ORIGINS = [\n    'https://a.example',\n    # partners\n    'https://b.example'\n]\n",
            ["https://a.example", "https://b.example", "http://localhost:3000"],
            "ORIGINS = [\n    'https://a.example',\n    # partners\n    'https://b.example',\n    'http://localhost:3000'\n]\n",
        ),
        (  # one line: only the entries change, the quote style is the list's
            "ORIGINS = ['*', \"https://b.example\"]\n",
            ["https://b.example", "https://a.example"],
            "ORIGINS = ['https://a.example', \"https://b.example\"]\n",
        ),
        (  # a repeated origin goes, with its line
            'ORIGINS = [\n    "https://a.example",\n    "https://a.example",\n]\n',
            ["https://a.example"],
            'ORIGINS = [\n    "https://a.example",\n]\n',
        ),
    ],
)
def test_python_lists_keep_their_layout(before: str, origins: list[str], after: str) -> None:
    fixed = _python(before, origins)
    assert fixed == after
    assert _python(fixed, origins) == fixed  # converged: a second pass changes nothing


def test_javascript_arrays_keep_their_layout() -> None:
    from authlint.facts.model import CorsPolicy

    text = ('import cors from "cors";\napp.use(cors({\n  origin: [\n    "https://admin.example", // back office\n'
            '    "https://old.example" // retired\n  ],\n}));\n')
    (policy,) = js_facts_of("app.mjs", text, CorsPolicy)
    edits = kit.set_origins(policy.source, policy.allowed.expr, ["https://admin.example", "https://app.example",
                                                                  "https://www.example"])
    fixed = apply_fixes(text, [Fix.unsafe("t", *edits)])[0]
    assert fixed == ('import cors from "cors";\napp.use(cors({\n  origin: [\n    "https://admin.example", // back office\n'
                     '    "https://app.example", // retired\n    "https://www.example"\n  ],\n}));\n')


def test_an_entry_dropped_from_a_crlf_array_takes_its_whole_line() -> None:
    """A repeated entry alone on its line goes with its CRLF line ending: no lone ``\\n`` is left
    (the list's own removal once stopped at the ``\\r``)."""
    from authlint.facts.model import CorsPolicy

    text = ('import cors from "cors";\r\napp.use(cors({\r\n  origin: [\r\n    "https://a.example",\r\n'
            '    "https://a.example",\r\n    "https://b.example",\r\n  ],\r\n}));\r\n')
    (policy,) = js_facts_of("app.mjs", text, CorsPolicy)
    edits = kit.set_origins(policy.source, policy.allowed.expr, ["https://a.example", "https://b.example"])
    fixed = apply_fixes(text, [Fix.unsafe("t", *edits)])[0]
    assert fixed == ('import cors from "cors";\r\napp.use(cors({\r\n  origin: [\r\n    "https://a.example",\r\n'
                     '    "https://b.example",\r\n  ],\r\n}));\r\n')
