"""``kit.add_setting`` for a setting that is a keyword or entry of a call (Flask
``app.config.update(...)`` / ``from_mapping(...)``): the sibling becomes a keyword/entry of that call,
never a statement inside it (issue #10: ``JWT_COOKIE_SECURE = True`` inside the call did not parse)."""

from __future__ import annotations

import pytest

from authlint.files.source import Source, Span
from authlint.rules import kit
from tests.rules.kit.test_python_option_edits import fixed

IN_CALLS = [
    ("keywords, one per line, trailing comma, comment",
     'app.config.update(\n    JWT_SECRET_KEY=key,\n    JWT_TOKEN_LOCATION=["cookies"],  # cookies only\n)\n',
     'app.config.update(\n    JWT_SECRET_KEY=key,\n    JWT_TOKEN_LOCATION=["cookies"],  # cookies only\n'
     '    JWT_COOKIE_SECURE=True,\n)\n'),
    ("keywords, one per line, no trailing comma",
     'app.config.update(\n    JWT_TOKEN_LOCATION=["cookies"]\n)\n',
     'app.config.update(\n    JWT_TOKEN_LOCATION=["cookies"],\n    JWT_COOKIE_SECURE=True\n)\n'),
    ("keywords on one line", "app.config.from_mapping(JWT_TOKEN_LOCATION=['cookies'], DEBUG=False)\n",
     "app.config.from_mapping(JWT_TOKEN_LOCATION=['cookies'], DEBUG=False, JWT_COOKIE_SECURE=True)\n"),
    ("dict entry keeps its quote",
     "app.config.update({\n    'JWT_TOKEN_LOCATION': ['cookies'],  # jwt\n    'DEBUG': False,\n})\n",
     "app.config.update({\n    'JWT_TOKEN_LOCATION': ['cookies'],  # jwt\n    'DEBUG': False,\n    'JWT_COOKIE_SECURE': True,\n})\n"),
    ("nested in a function", 'def make():\n    app.config.update(JWT_TOKEN_LOCATION="cookies")\n',
     'def make():\n    app.config.update(JWT_TOKEN_LOCATION="cookies", JWT_COOKIE_SECURE=True)\n'),
]


@pytest.mark.parametrize(("case", "code", "expected"), IN_CALLS, ids=[row[0] for row in IN_CALLS])
def test_a_setting_in_a_call_gets_its_sibling_in_that_call(case: str, code: str, expected: str) -> None:
    source = Source.from_text(code, "m.py", "python")
    start = code.index("JWT_TOKEN_LOCATION") - (1 if code[code.index("JWT_TOKEN_LOCATION") - 1] in "'\"" else 0)
    end = code.index("]", start) + 1 if "[" in code[start:] else code.index('"cookies"') + len('"cookies"')
    edit = kit.add_setting(source, Span(start, end), "JWT_TOKEN_LOCATION", "JWT_COOKIE_SECURE", True)
    assert fixed(source, edit) == expected


def test_a_call_element_that_is_not_the_setting_gets_nothing() -> None:
    """Only a keyword or a string-keyed entry naming ``like`` is copied: a positional argument is not."""
    code = "app.config.update(JWT_TOKEN_LOCATION)\n"
    source = Source.from_text(code, "m.py", "python")
    start = code.index("JWT_TOKEN_LOCATION")
    assert kit.add_setting(source, Span(start, start + len("JWT_TOKEN_LOCATION")), "JWT_TOKEN_LOCATION",
                           "JWT_COOKIE_SECURE", True) is None
