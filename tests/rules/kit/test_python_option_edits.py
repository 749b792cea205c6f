"""The kit's Python option edits go through libcst: every layout keeps its comments, trailing commas,
line breaks and indentation, and a new option follows the layout it joins.

Each row is exact output (and must compile); the property test checks that inserting an option and
removing it again gives back the same program.
"""

from __future__ import annotations

import ast
import subprocess
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from authlint.diagnostics.diagnostic import Fix
from authlint.diagnostics.fix import apply_fixes
from authlint.facts.model import OptionBag
from authlint.facts.python.resolve import Resolver
from authlint.files.source import Source
from authlint.rules import kit
from authlint.rules.kit import python_cst
from tests.shared import ROOT


def bag_of(text: str, target: str = "f") -> tuple[Source, OptionBag]:
    """The option bag of the call to ``target`` (or of the first dict literal, for ``"dict"``)."""
    source = Source.from_text(text, "m.py", "python")
    resolver = Resolver(source)
    for node in ast.walk(ast.parse(text)):
        if target == "dict" and isinstance(node, ast.Dict):
            bag = resolver.dict_bag(node)
            assert bag is not None
            return source, bag
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == target:
            return source, resolver.kwargs(node)
    raise AssertionError(f"no {target} in {text!r}")


def fixed(source: Source, edit) -> str:
    assert edit is not None
    text, applied = apply_fixes(source.text, [Fix.safe("edit", edit)], source.newline)
    assert applied == 1
    compile(text, "m.py", "exec")
    return text


INSERTS = [
    # (case, code, target, expected after inserting x=True / "x": True)
    ("one line", "f(a, b=1)\n", "f", "f(a, b=1, x=True)\n"),
    ("multi-line, trailing comma", "f(\n    a,\n    b=1,\n)\n", "f", "f(\n    a,\n    b=1,\n    x=True,\n)\n"),
    ("multi-line, no trailing comma", "f(\n    a,\n    b=1\n)\n", "f", "f(\n    a,\n    b=1,\n    x=True\n)\n"),
    ("comments between and after", "def g():\n    f(\n        a,  # first\n        b=1,  # last\n    )\n", "f",
     "def g():\n    f(\n        a,  # first\n        b=1,  # last\n        x=True,\n    )\n"),
    ("comment after the last, no comma", "f(a,  # first\n  b=1  # last\n)\n", "f", "f(a,  # first\n  b=1,  # last\n  x=True\n)\n"),
    ("comment line before the bracket", "f(\n    a,\n    # the end\n)\n", "f", "f(\n    a,\n    x=True,\n    # the end\n)\n"),
    ("one line, closing on the next", "f(a, b=1\n)\n", "f", "f(a, b=1, x=True\n)\n"),
    ("**kwargs", "f(a, **kw)\n", "f", "f(a, **kw, x=True)\n"),
    ("empty call", "f()\n", "f", "f(x=True)\n"),
    ("one line, trailing comma", "f(a, b=1,)\n", "f", "f(a, b=1, x=True,)\n"),
    ("nested call in a call: the outer", "f(g(1, y=2), b=3)\n", "f", "f(g(1, y=2), b=3, x=True)\n"),
    ("nested call in a call: the inner", "f(g(1, y=2), b=3)\n", "g", "f(g(1, y=2, x=True), b=3)\n"),
    ("parenthesised values", "f((a), b=(1))\n", "f", "f((a), b=(1), x=True)\n"),
    ("parenthesised call", "y = (f(a))\n", "f", "y = (f(a, x=True))\n"),
    ("dict literal", 'd = {"a": 1}\n', "dict", 'd = {"a": 1, "x": True}\n'),
    ("empty dict", "d = {}\n", "dict", 'd = {"x": True}\n'),
    ("multi-line dict, trailing comma", 'd = {\n    "a": 1,\n    "b": (2),  # two\n}\n', "dict",
     'd = {\n    "a": 1,\n    "b": (2),  # two\n    "x": True,\n}\n'),
    ("CRLF file", "f(\r\n    a,\r\n    b=1,\r\n)\r\n", "f", "f(\r\n    a,\r\n    b=1,\r\n    x=True,\r\n)\r\n"),
]


@pytest.mark.parametrize(("case", "code", "target", "expected"), INSERTS, ids=[row[0] for row in INSERTS])
def test_insert_option_keeps_the_layout(case: str, code: str, target: str, expected: str) -> None:
    source, bag = bag_of(code, target)
    assert fixed(source, kit.insert_option(source, bag, "x", True)) == expected


REMOVES = [
    # (case, code, target, option removed, expected)
    ("one line, first", "f(a, b=1, c=2)\n", "f", "b", "f(a, c=2)\n"),
    ("one line, last", "f(a, b=1, c=2)\n", "f", "c", "f(a, b=1)\n"),
    ("only option", "f(b=1)\n", "f", "b", "f()\n"),
    ("multi-line, trailing comma, middle", "f(\n    a,\n    b=1,\n    c=2,\n)\n", "f", "b", "f(\n    a,\n    c=2,\n)\n"),
    ("multi-line, trailing comma, last", "f(\n    a,\n    b=1,\n    c=2,\n)\n", "f", "c", "f(\n    a,\n    b=1,\n)\n"),
    ("multi-line, no trailing comma, last", "f(\n    a,\n    b=1\n)\n", "f", "b", "f(\n    a\n)\n"),
    ("comments: the removed line's comment stays", "def g():\n    f(\n        a,  # first\n        b=1,  # b's\n        c=2,  # last\n    )\n",
     "f", "b", "def g():\n    f(\n        a,  # first\n        # b's\n        c=2,  # last\n    )\n"),
    ("comments: last option", "f(\n    a,  # first\n    b=1  # last\n)\n", "f", "b", "f(\n    a  # first\n    # last\n)\n"),
    ("**kwargs", "f(b=1, **kw)\n", "f", "b", "f(**kw)\n"),
    ("nested call in a call", "f(g(1, y=2), b=3)\n", "g", "y", "f(g(1), b=3)\n"),
    ("parenthesised value", "f(a, b=(1))\n", "f", "b", "f(a)\n"),
    ("dict literal", 'd = {"a": 1, "b": (2)}\n', "dict", "a", 'd = {"b": (2)}\n'),
    ("multi-line dict", 'd = {\n    "a": 1,\n    "b": 2,\n}\n', "dict", "b", 'd = {\n    "a": 1,\n}\n'),
    ("CRLF file", "f(\r\n    a,\r\n    b=1,\r\n    c=2,\r\n)\r\n", "f", "b", "f(\r\n    a,\r\n    c=2,\r\n)\r\n"),
]


@pytest.mark.parametrize(("case", "code", "target", "name", "expected"), REMOVES, ids=[row[0] for row in REMOVES])
def test_remove_option_keeps_the_layout(case: str, code: str, target: str, name: str, expected: str) -> None:
    source, bag = bag_of(code, target)
    assert fixed(source, kit.remove_option(source, bag.items[name])) == expected


def test_edits_stay_small_so_fixes_in_one_call_combine() -> None:
    """An insert lands after the last option and a removal covers only the option, so another fix
    that replaces a value in the same call does not clash with it."""
    source, bag = bag_of("f(\n    a,\n    b=1,\n)\n")
    insert = kit.insert_option(source, bag, "x", True)
    assert insert is not None and (insert.start, insert.end, insert.content) == (17, 17, ",\n    x=True")
    assert source.text[: insert.start].endswith("b=1")
    remove = kit.remove_option(source, bag.items["b"])
    assert source.text[remove.start : remove.end] == "    b=1,\n"


def test_several_options_at_once_follow_the_layout() -> None:
    source, bag = bag_of("f(\n    a,\n    secure=False,\n)\n")
    edit = kit.insert_options(source, bag, [("httponly", True), ("samesite", "Lax")])
    assert fixed(source, edit) == "f(\n    a,\n    secure=False,\n    httponly=True,\n    samesite=\"Lax\",\n)\n"


def test_unparsable_text_falls_back_to_the_text_edit() -> None:
    assert python_cst.parse("f(a,\n") is None
    source = Source.from_text("f(a, b=1)\n", "m.py", "python")
    _, bag = bag_of(source.text)
    assert python_cst.insert_elements(source, bag.span.__class__(0, 1), ["x=1"], "kwargs") is None  # no call there


def test_the_parse_is_shared_by_the_fixes_of_one_file() -> None:
    python_cst.parse.cache_clear()
    source, bag = bag_of("f(\n    a,\n    b=1,\n    c=2,\n)\n")
    kit.insert_option(source, bag, "x", 1)
    kit.remove_option(source, bag.items["b"])
    kit.remove_option(source, bag.items["c"])
    info = python_cst.parse.cache_info()
    assert (info.misses, info.hits) == (1, 2)


def test_checking_never_imports_libcst() -> None:
    """libcst loads only when a fix is made: the pre-commit path (``check``) stays fast."""
    result = subprocess.run([sys.executable, "-X", "importtime", "-m", "authlint", "check", "examples/"],
                            cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert "authlint" in result.stderr  # the import log is there
    assert "libcst" not in result.stderr


# -- property: insert then remove gives back the same program ---------------------------------------
NAMES = st.sampled_from(["a", "b", "timeout", "secure", "key_2"])
VALUES = st.sampled_from(["1", "(2)", "'s'", "None", "[1, 2]", "g(3)", "{'k': 1}"])
COMMENT = st.sampled_from(["", "  # note"])


@st.composite
def calls(draw) -> str:
    """A call to ``f`` in one of the layouts people write, with a few keyword arguments."""
    names = draw(st.lists(NAMES, unique=True, max_size=4))
    values = [draw(VALUES) for _ in names]
    positional = draw(st.lists(st.sampled_from(["p", "(q)", "*rest"]), max_size=2))
    args = positional + [f"{name}={value}" for name, value in zip(names, values)]
    if draw(st.booleans()):
        args.append("**extra")
    if draw(st.booleans()) or not args:
        return "f(" + ", ".join(args) + ")\n"
    trailing = draw(st.booleans())
    lines = []
    for index, arg in enumerate(args):
        last = index == len(args) - 1
        comma = "," if not last or trailing else ""
        lines.append(f"    {arg}{comma}{draw(COMMENT)}\n")
    body = "def outer():\n" + "".join("    " + line for line in ["x = f(\n", *lines, ")\n"])
    return body


@settings(max_examples=150, deadline=None)
@given(code=calls(), newline=st.sampled_from(["\n", "\r\n"]))
def test_insert_then_remove_gives_back_the_same_program(code: str, newline: str) -> None:
    code = code.replace("\n", newline)
    source, bag = bag_of(code)
    if "added" in bag.items:
        return
    inserted = fixed(source, kit.insert_option(source, bag, "added", 42))
    source2, bag2 = bag_of(inserted)
    assert ast.literal_eval(bag2.items["added"].value.text) == 42
    removed = fixed(source2, kit.remove_option(source2, bag2.items["added"]))
    assert ast.dump(ast.parse(removed)) == ast.dump(ast.parse(code))
    assert removed == code  # and the very same text: the layout survived both edits


ONE_LINE_INSERTS = [row for row in INSERTS if "\n" not in row[1].rstrip("\n") and "#" not in row[1]]
ONE_LINE_REMOVES = [row for row in REMOVES if "\n" not in row[1].rstrip("\n") and "#" not in row[1]]


@pytest.mark.parametrize(("case", "code", "target", "expected"), ONE_LINE_INSERTS, ids=[row[0] for row in ONE_LINE_INSERTS])
def test_one_line_inserts_are_libcst_edits_without_loading_libcst(case: str, code: str, target: str, expected: str) -> None:
    """A call or dict on one comment-free line takes the text path (``check`` builds every fix and must
    not load libcst); the edit is the very one libcst makes."""
    source, bag = bag_of(code, target)
    entry = "x=True" if bag.form == "kwargs" else '"x": True'
    assert kit.insert_option(source, bag, "x", True) == python_cst.insert_elements(source, bag.span, [entry], bag.form)


@pytest.mark.parametrize(("case", "code", "target", "name", "expected"), ONE_LINE_REMOVES, ids=[row[0] for row in ONE_LINE_REMOVES])
def test_one_line_removals_are_libcst_edits_without_loading_libcst(case: str, code: str, target: str, name: str, expected: str) -> None:
    source, bag = bag_of(code, target)
    option = bag.items[name]
    assert fixed(source, kit.remove_option(source, option)) == fixed(source, python_cst.remove_element(source, option.span.start))


@pytest.mark.parametrize(("code", "expected"), [
    ("JWT_TOKEN_LOCATION = ['cookies']\n", "JWT_TOKEN_LOCATION = ['cookies']\nJWT_COOKIE_SECURE = True\n"),
    ("class C:\n    JWT_TOKEN_LOCATION = ['cookies']  # jwt\n",
     "class C:\n    JWT_TOKEN_LOCATION = ['cookies']  # jwt\n    JWT_COOKIE_SECURE = True\n"),
    ("A = 1\r\nJWT_TOKEN_LOCATION = ['cookies']\r\n", "A = 1\r\nJWT_TOKEN_LOCATION = ['cookies']\r\nJWT_COOKIE_SECURE = True\r\n"),
    ('app.config["JWT_TOKEN_LOCATION"] = ["cookies"]\n',
     'app.config["JWT_TOKEN_LOCATION"] = ["cookies"]\napp.config["JWT_COOKIE_SECURE"] = True\n'),
])
def test_add_setting_writes_it_like_its_sibling(code: str, expected: str) -> None:
    source = Source.from_text(code, "m.py", "python")
    start = code.index("JWT_TOKEN_LOCATION") - (len('app.config["') if code.startswith("app") else 0)
    end = code.index("]", code.index("= ")) + 1
    from authlint.files.source import Span

    edit = kit.add_setting(source, Span(start, end), "JWT_TOKEN_LOCATION", "JWT_COOKIE_SECURE", True)
    assert fixed(source, edit) == expected


def test_add_setting_leaves_other_statements_alone() -> None:
    from authlint.files.source import Span

    source = Source.from_text("JWT_TOKEN_LOCATION = ['cookies']; x = 1\n", "m.py", "python")
    assert kit.add_setting(source, Span(0, source.text.index(";")), "JWT_TOKEN_LOCATION", "JWT_COOKIE_SECURE", True) is None
    other = Source.from_text("OTHER = ['cookies']\n", "m.py", "python")
    assert kit.add_setting(other, Span(0, len(other.text) - 1), "JWT_TOKEN_LOCATION", "JWT_COOKIE_SECURE", True) is None


@st.composite
def dicts(draw) -> str:
    """A dict literal in one of the usual layouts, with a few string keys."""
    keys = draw(st.lists(NAMES, unique=True, max_size=4))
    entries = [f"'{key}': {draw(VALUES)}" for key in keys]
    if draw(st.booleans()):
        entries.append("**more")
    if draw(st.booleans()) or not entries:
        return "d = {" + ", ".join(entries) + "}\n"
    trailing = draw(st.booleans())
    lines = [f"    {entry}{',' if index < len(entries) - 1 or trailing else ''}{draw(COMMENT)}\n"
             for index, entry in enumerate(entries)]
    return "d = {\n" + "".join(lines) + "}\n"


@settings(max_examples=100, deadline=None)
@given(code=dicts(), newline=st.sampled_from(["\n", "\r\n"]))
def test_dict_insert_then_remove_gives_back_the_same_program(code: str, newline: str) -> None:
    code = code.replace("\n", newline)
    source, bag = bag_of(code, "dict")
    inserted = fixed(source, kit.insert_option(source, bag, "added", 42))
    source2, bag2 = bag_of(inserted, "dict")
    assert ast.literal_eval(bag2.items["added"].value.text) == 42
    removed = fixed(source2, kit.remove_option(source2, bag2.items["added"]))
    assert ast.dump(ast.parse(removed)) == ast.dump(ast.parse(code))
    assert removed == code  # and the very same text: the layout survived both edits
