"""Imports, aliases, constants and env reads resolved by the Python extractor."""

from __future__ import annotations

import ast

import pytest

from authlint.facts.model import CookieSet, JwtMint, JwtVerify
from authlint.facts.python.positions import Positions
from authlint.files.source import Source
from tests.facts.helpers import facts_of


def test_alias_import_and_module_constant_followed() -> None:
    code = 'import jwt as pyjwt\nSECRET = "s3cr3t-value"\n\ndef mint(p):\n    return pyjwt.encode(p, SECRET, algorithm="HS256")\n'
    (mint,) = facts_of(code, JwtMint)
    assert mint.key.value == "s3cr3t-value"
    assert mint.key.text == "SECRET"
    assert code[mint.key.origin.start : mint.key.origin.end] == '"s3cr3t-value"'
    assert mint.algorithm.value == "HS256"


def test_from_import_alias() -> None:
    code = "from jwt import decode as jwt_decode\nclaims = jwt_decode(tok, KEY, algorithms=['HS256'])\n"
    (verify,) = facts_of(code, JwtVerify)
    assert verify.algorithms.value == ["HS256"]
    assert verify.key.ref == "name:KEY"


def test_env_and_settings_refs() -> None:
    code = (
        "import os\nimport jwt\nfrom os import getenv\nfrom django.conf import settings\n"
        "a = jwt.decode(t, os.environ['A'], algorithms=['HS256'])\n"
        "b = jwt.decode(t, os.getenv('B', 'dev'), algorithms=['HS256'])\n"
        "c = jwt.decode(t, os.environ.get('C'), algorithms=['HS256'])\n"
        "d = jwt.decode(t, getenv('D'), algorithms=['HS256'])\n"
        "e = jwt.decode(t, settings.SECRET_KEY, algorithms=['HS256'])\n"
        "f = jwt.decode(t, app.config['JWT_SECRET_KEY'], algorithms=['HS256'])\n"
    )
    refs = [v.key.ref for v in facts_of(code, JwtVerify)]
    assert refs == ["env:A", "env:B", "env:C", "env:D", "settings:SECRET_KEY", "settings:JWT_SECRET_KEY"]


def test_function_local_constant_and_parameter_shadowing() -> None:
    code = (
        "import jwt\nKEY = 'module-key'\n"
        "def a():\n    KEY = 'local-key'\n    return jwt.encode({}, KEY)\n"
        "def b(KEY):\n    return jwt.encode({}, KEY)\n"
        "def c(KEY='default-key', *args, **kwargs):\n    return jwt.encode({}, KEY)\n"
    )
    first, second, third = facts_of(code, JwtMint)
    assert first.key.value == "local-key"
    assert not second.key.known and second.key.ref == "name:KEY"
    assert not third.key.known  # the caller decides; the default is not the key


def test_numeric_constant_arithmetic() -> None:
    code = "import jwt, time\nTTL = 60 * 60 * 24\ntok = jwt.encode({'exp': time.time() + TTL}, K)\n"
    (mint,) = facts_of(code, JwtMint)
    assert mint.lifetime == 86400


def test_spans_are_char_offsets_with_non_ascii_text() -> None:
    code = "# ünïcödé → ok\nimport jwt\nx = jwt.decode(tök, 'clé', algorithms=['HS256'])\n"
    (verify,) = facts_of(code, JwtVerify)
    assert code[verify.key.span.start : verify.key.span.end] == "'clé'"
    assert code[verify.span.start : verify.span.end].startswith("jwt.decode(")


def test_unrelated_names_are_ignored() -> None:
    code = "import json\nfrom mylib import jwt\ndata = json.decode(x)\nclaims = jwt.decode(x)\n"
    assert facts_of(code, JwtVerify) == []


POSITION_TEXTS = [
    "# é → ü\r\nimport jwt\r\nx = jwt.decode(tök, 'clé',\r\n    algorithms=['HS256'])\r\n",
    "s = '😀' + \"é\" ; t = f'{s!r:>{w}} 😀 {jwt.encode({\"a\": \"ü\"}, k)}'\n",
    "if x:\n\ty = ('é'\n\t     'ü') \\\n\t    + z\n\tdef f(a: 'é' = 1, *b, c=2, **d): return a\n",
    "x = 1\ry = '😀'\r\nz = [y,\n     y]\n",
    "a = 1;\x0cb = ('€',\n  # comment (é\n  c)[0]\n",
    "def g():\n    \"\"\"docstring\n    é\"\"\"\n    return {**d, 'k': (v), 'ü': w}\n",
    "@deco('é')\nasync def h(x, /, y, *, z):\n    async with a as b, c:\n        await b.connect('ü', auth={'t': 1})\n",
    "lam = lambda é=1: é\nclass C(B, metaclass=M):\n    x: int = 'ü'\n    x += 1\n",
]


@pytest.mark.parametrize("text", POSITION_TEXTS)
def test_positions_equal_ast_source_segments(text: str) -> None:
    """Byte columns become char offsets exactly: every node's span is ``ast.get_source_segment``'s
    text (CRLF, lone CR, tabs, form feed, emoji, f-strings, continuations)."""
    positions = Positions(Source.from_text(text, "a.py", "python"))
    checked = 0
    for node in ast.walk(ast.parse(text)):
        if not hasattr(node, "end_col_offset") or isinstance(node, (ast.Tuple, ast.GeneratorExp, ast.arg)):
            continue  # those three follow libcst's conventions (tested below)
        span = positions.span(node)
        assert text[span.start : span.end] == ast.get_source_segment(text, node), ast.dump(node)
        checked += 1
    assert checked >= 5


def _spans(text: str, kind: type) -> list[str]:
    positions = Positions(Source.from_text(text, "a.py", "python"))
    found = sorted((node for node in ast.walk(ast.parse(text)) if isinstance(node, kind)),
                   key=lambda node: (node.lineno, node.col_offset))
    return [text[span.start : span.end] for span in map(positions.span, found)]


def test_tuples_generators_and_parameters_keep_libcst_spans() -> None:
    """A parenthesised tuple or generator is its inside (first token to last), a parameter its name."""
    assert _spans("x = ( # c\n 'é', (b) , )\ny = 1, 2\nz = (a), (b)\nw = ()\n", ast.Tuple) == [
        "'é', (b) ,", "1, 2", "(a), (b)", "",
    ]
    assert _spans("f(x for x in y)\ng = ( x for x in (y) )\n", ast.GeneratorExp) == ["x for x in y", "x for x in (y)"]
    assert _spans("def f(ü: int = 1, *rest: str): pass\n", ast.arg) == ["ü", "rest"]


def test_parenthesised_arguments_keep_their_parentheses() -> None:
    """Insertion goes after a parenthesised last argument, not inside it; a parenthesised positional
    cookie option covers its parentheses."""
    code = "import jwt\nx = jwt.encode(p, (  # k\n    KEY ) )\n"
    (mint,) = facts_of(code, JwtMint)
    assert code[mint.options.insert_at :] == " )\n" and mint.options.insert_prefix == ", "
    code = "from flask import Response\nr = Response()\nr.set_cookie('s', v, (3600), None,\n)\n"
    (cookie,) = facts_of(code, CookieSet)
    max_age = cookie.options.items["max_age"].span
    assert code[max_age.start : max_age.end] == "(3600)"
    assert cookie.options.insert_prefix == ",\n    " and code[cookie.options.insert_at :].startswith(",\n)")


def test_keyword_names_are_spanned_as_written() -> None:
    """ast normalises identifiers (NFKC: ``ﬁle`` is ``file``); options keep the name as written."""
    code = "import jwt\nx = jwt.decode(t, k, ﬁle=1, algorithms =['HS256'])\n"
    (verify,) = facts_of(code, JwtVerify)
    spans = {name: code[o.name_span.start : o.name_span.end] for name, o in verify.options.items.items()}
    assert spans == {"ﬁle": "ﬁle", "algorithms": "algorithms"}


def test_arguments_are_read_in_source_order() -> None:
    """``f(k=v, *rest)``: ast lists ``*rest`` before the keyword; the first argument is still ``k=v``."""
    code = "import os, jwt\nx = jwt.decode(t, os.getenv(key='A', *rest), algorithms=['HS256'])\n"
    (verify,) = facts_of(code, JwtVerify)
    assert verify.key.ref == "env:A"


def test_env_fallbacks() -> None:
    code = (
        "import os, jwt\nfrom os import getenv\nDEFAULT = 'dev-key'\n"
        "a = jwt.decode(t, os.getenv('A', DEFAULT), algorithms=['HS256'])\n"
        "b = jwt.decode(t, os.environ.get('B') or 'fallback', algorithms=['HS256'])\n"
        "c = jwt.decode(t, os.environ['C'], algorithms=['HS256'])\n"
    )
    a, b, c = (v.key for v in facts_of(code, JwtVerify))
    assert (a.ref, a.fallback) == ("env:A", "dev-key")
    assert (b.ref, b.fallback) == ("env:B", "fallback")
    assert c.ref == "env:C" and not c.fallback


def test_dict_insertion_point_is_after_a_parenthesised_last_value() -> None:
    from authlint.facts.python.resolve import Resolver

    for text in ('opts = {"a": (1)}\n', 'opts = {"a": ( (1) ) }\n', 'opts = {"a": int(1)}\n', 'opts = {"a": 1}\n'):
        source = Source.from_text(text, "m.py", "python")
        resolver = Resolver(source)
        value = ast.parse(text).body[0].value  # type: ignore[attr-defined]
        bag = resolver.dict_bag(value)
        assert bag is not None and bag.insert_at is not None
        edited = text[: bag.insert_at] + bag.insert_prefix + '"b": 2' + text[bag.insert_at :]
        assert eval(compile(edited, "m.py", "exec"), {}, (ns := {})) is None and ns["opts"] == {"a": 1, "b": 2}, edited
