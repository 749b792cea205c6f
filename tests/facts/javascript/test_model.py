"""Static values and offsets of the JS model: literals, env references, constants, char offsets."""

from __future__ import annotations

import pytest

from authlint.facts.javascript.model import JsModel, number_value, unescape
from authlint.facts.model import UNKNOWN
from authlint.files.source import Source
from authlint.syntax.javascript import parse_source


def _model(code: str, name: str = "m.ts") -> JsModel:
    source = Source.from_text(code, name, "typescript" if name.endswith("ts") else "javascript")
    return JsModel(source, parse_source(source))


def _value_of(code: str, name: str = "m.ts"):
    """The Expr of the last declarator's value, after binding all earlier ones."""
    from authlint.facts.javascript.bindings import bind_declarator

    model = _model(code, name)
    declarators = []
    stack = [model.tree.root_node]
    while stack:
        node = stack.pop()
        if node.type == "variable_declarator":
            declarators.append(node)
        stack.extend(reversed(node.children))
    for node in declarators[:-1]:
        bind_declarator(model, node)
    return model.expr(declarators[-1].child_by_field_name("value"))


@pytest.mark.parametrize(
    "text, value",
    [("20000", 20000), ("20_000", 20000), ("0x1F", 31), ("1e6", 1e6), ("2.5", 2.5), ("10n", 10), ("0b11", 3)],
)
def test_numbers(text: str, value: object) -> None:
    assert number_value(text) == value


def test_unescape() -> None:
    assert unescape(r"a\nb\x41\u0042\u{1F600}\'\\") == "a\nbAB\U0001F600'\\"


@pytest.mark.parametrize(
    "code, value",
    [
        ("const x = 60 * 1000;", 60000),
        ("const x = '15' + 'm';", "15m"),
        ("const x = -5;", -5),
        ("const x = [1, 'a', true, null];", [1, "a", True, None]),
        ("const x = { a: { b: [1] } } as const;", {"a": {"b": [1]}}),
        ("const A = 'k'; const x = A;", "k"),
        ("const A = { k: 'v' }; const x = A.k;", "v"),
        ("const x = `plain`;", "plain"),
        ("const x = undefined ?? 'd';", "d"),
        ("const x = '' || 'fallback';", "fallback"),
        ("const x = (<any>'cast')!;", "cast"),
    ],
)
def test_static_values(code: str, value: object) -> None:
    assert _value_of(code).value == value


@pytest.mark.parametrize(
    "code, ref",
    [
        ("const x = process.env.JWT_SECRET;", "env:JWT_SECRET"),
        ("const x = process.env['JWT_SECRET'];", "env:JWT_SECRET"),
        ("const x = import.meta.env.VITE_API;", "env:VITE_API"),
        ("const x = process.env.SECRET || 'dev';", "env:SECRET"),
        ("const S = process.env.S!; const x = S;", "env:S"),
        ("const x = secret;", "name:secret"),
        ("const x = config.jwt.secret;", "name:config.jwt.secret"),
        ("const x = getSecret();", "call:getSecret"),
        ("const x = `a${b}`;", None),
    ],
)
def test_references(code: str, ref: str | None) -> None:
    expr = _value_of(code)
    assert expr.value is UNKNOWN and expr.ref == ref


def test_char_offsets_match_source_for_wide_text() -> None:
    code = "// é ✓ 😀 \ud800x\nconst a = 'ü';\nconst b = \"😀😀\";\n"
    model = _model(code, "w.js")
    source = model.source
    for byte in range(len(source.utf8) + 1):
        try:
            expected = source.char_offset(byte)
        except IndexError:
            continue
        if source.utf8[byte : byte + 1] and (source.utf8[byte] & 0xC0) == 0x80:
            continue  # inside a character: tree-sitter never reports such offsets
        assert model.char(byte) == expected, byte
        assert model.byte(expected) == byte


def test_array_items_and_object_entries() -> None:
    expr = _value_of('const ORIGINS = [/\\.example\\.com$/, "https://a.example"];\nconst x = { origin: ORIGINS, query: { token } };\n')
    assert expr.entries is not None
    origin = expr.entries.get("origin")
    assert origin is not None and origin.value.items is not None
    regex, exact = origin.value.items
    assert regex.is_regex and regex.value == "\\.example\\.com$" and exact.value == "https://a.example" and not exact.is_regex
    query = expr.entries.get("query")
    assert query is not None and query.value.value is UNKNOWN  # `token` is not a literal ...
    assert query.value.entries is not None and list(query.value.entries.items) == ["token"]  # ... but its key is known


@pytest.mark.parametrize(
    "code, value, ref",
    [
        ('const x = new TextEncoder().encode("s3cret");', b"s3cret", None),
        ('const x = Buffer.from("s3cret", "utf8");', b"s3cret", None),
        ("const x = new TextEncoder().encode(process.env.JWT_SECRET);", UNKNOWN, "env:JWT_SECRET"),
        ("const x = Buffer.from(readKey());", UNKNOWN, "call:Buffer.from"),
    ],
)
def test_keys_turned_into_bytes_keep_their_source(code: str, value: object, ref: str | None) -> None:
    expr = _value_of(code)
    assert expr.value == value and expr.ref == ref
