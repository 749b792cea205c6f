"""Where an express cookie without options gets its options object: beside the value in a call on
one line, on a line of its own (after the trailing comma) in a call laid out one argument per line.
(A comment ending the value's line is stepped over by the kit: see TOK002's examples.)"""

from __future__ import annotations

import pytest

from authlint.facts.model import CookieSet
from tests.facts.jsfacts import one

CASES = [
    ("one line", 'res.cookie("session", sid);\n', 'res.cookie("session", sid, { httpOnly: true });\n'),
    ("one per line, trailing comma",
     'res.cookie(\n  "session",\n  sid,\n);\n',
     'res.cookie(\n  "session",\n  sid,\n  { httpOnly: true },\n);\n'),
    ("one per line, no trailing comma",
     'res.cookie(\n    "session",\n    sid\n);\n',
     'res.cookie(\n    "session",\n    sid,\n    { httpOnly: true }\n);\n'),
    ("arguments on the first line", 'res.cookie("session", sid\n);\n',
     'res.cookie("session", sid, { httpOnly: true }\n);\n'),
]


@pytest.mark.parametrize(("case", "code", "expected"), CASES, ids=[row[0] for row in CASES])
def test_new_options_object_follows_the_call_layout(case: str, code: str, expected: str) -> None:
    bag = one("auth.js", code, CookieSet).options
    assert bag.items == {} and bag.form == "object"
    at = bag.insert_at
    assert at is not None
    edited = code[:at] + bag.insert_prefix + "httpOnly: true" + bag.insert_suffix + code[at:]
    assert edited == expected
