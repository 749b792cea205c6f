"""The tree-sitter front end: grammar per suffix, error tolerance, refusal of non-JS text."""

from __future__ import annotations

import pytest

from authlint.files.source import Source
from authlint.run.context import FileContext
from authlint.syntax.errors import ParseError
from authlint.syntax.javascript import JAVASCRIPT, TSX, TYPESCRIPT, dialect_for, error_ranges, parse_source, parser


def _source(name: str, text: str) -> Source:
    kind = "typescript" if name.endswith(("ts", "tsx")) else "javascript"
    return Source.from_text(text, name, kind)


@pytest.mark.parametrize(
    "name, dialect",
    [("a.js", JAVASCRIPT), ("a.mjs", JAVASCRIPT), ("a.cjs", JAVASCRIPT), ("a.jsx", JAVASCRIPT),
     ("a.ts", TYPESCRIPT), ("a.mts", TYPESCRIPT), ("a.cts", TYPESCRIPT), ("A.TSX", TSX)],
)
def test_dialect_by_suffix(name: str, dialect: str) -> None:
    assert dialect_for(_source(name, "")) == dialect


@pytest.mark.parametrize(
    "name, code",
    [
        ("app.jsx", "const el = <Login onSubmit={(t) => localStorage.setItem('t', t)} />;\n"),
        ("svc.ts", "class A { private readonly K: string = 'k'; f(x?: number): void { g(x!, y as any); } }\n"),
        ("view.tsx", "export const V = ({ token }: Props) => <div data-t={token as string}>{token}</div>;\n"),
        ("mod.mjs", "import { Server } from 'socket.io';\nexport default new Server();\n"),
        ("chain.js", "const t = socket?.handshake?.auth?.token ?? null;\n"),
    ],
)
def test_valid_code_parses_without_errors(name: str, code: str) -> None:
    tree = parse_source(_source(name, code))
    assert not tree.root_node.has_error


def test_typescript_generics_are_not_jsx_in_ts_files() -> None:
    code = "const x = <any>value;\nfunction id<T>(v: T): T { return v; }\n"
    assert not parse_source(_source("cast.ts", code)).root_node.has_error


def test_local_syntax_error_keeps_the_tree() -> None:
    code = "const a = {b: 1;\n" + "io.use((socket, next) => next());\n" * 10
    tree = parse_source(_source("broken.js", code))
    assert tree.root_node.has_error
    ranges = error_ranges(tree.root_node)
    assert ranges and sum(end - start for start, end in ranges) < len(code) // 2


def test_non_javascript_is_refused_with_the_first_error_offset() -> None:
    text = "SELECT * FROM users WHERE id = 1 AND name = 'x' ORDER BY id DESC LIMIT 10;\n" * 3
    with pytest.raises(ParseError) as info:
        parse_source(_source("query.js", text))
    assert "syntax errors" in info.value.message
    assert 0 <= info.value.offset < len(text)


def test_offsets_after_non_ascii_text_are_char_offsets() -> None:
    code = "// héllo wörld ✓\nlocalStorage.setItem('token', t);\n"
    source = _source("u.js", code)
    ctx = FileContext(source)
    (write,) = list(ctx.facts.items)
    assert source.slice(write.span) == "localStorage.setItem('token', t)"


def test_parser_objects_are_cached_per_dialect() -> None:
    assert parser(TYPESCRIPT) is parser(TYPESCRIPT)
    assert parser(JAVASCRIPT) is not parser(TSX)


def test_engine_reports_e001_for_refused_files() -> None:
    from authlint.testing import lint_files

    text = "SELECT * FROM users WHERE id = 1 AND name = 'x'; -- localStorage token\n" * 3
    result = lint_files({"q.js": text})
    assert [d.code for d in result.diagnostics] == ["E001"]


VUE = """\
<template>
  <button @click="save({ token: 'x' })">{{ user.name }}</button>
</template>

<script setup lang="ts">
const save = (t: { token: string }) => localStorage.setItem("token", t.token);
</script>

<style scoped>
button { color: red; }
</style>
"""

HTML = """\
<!doctype html>
<html>
<head>
  <script src="/socket.io/socket.io.js"></script>
  <script type="application/ld+json">{"@context": "https://schema.org", "token": "x"}</script>
  <script>
    const socket = io("/", { query: { token: sessionStorage.getItem("jwt") } });
    sessionStorage.jwt = "abc";
  </script>
</head>
<body><p>{{ not js }}</p></body>
</html>
"""


def test_vue_components_parse_their_script_blocks_in_place() -> None:
    from authlint.facts.model import StorageWrite
    from tests.facts.jsfacts import one

    source = Source.from_text(VUE, "Save.vue", "javascript")
    assert dialect_for(source) == TYPESCRIPT
    tree = parse_source(source)
    assert not tree.root_node.has_error
    write = one("Save.vue", VUE, StorageWrite)
    assert write.lang == "typescript"
    assert source.slice(write.span) == 'localStorage.setItem("token", t.token)'
    assert source.position(write.span.start) == (6, 40)


def test_html_inline_scripts_only() -> None:
    from authlint.facts.model import SocketIOClient, StorageWrite
    from tests.facts.jsfacts import facts_of, one

    source = Source.from_text(HTML, "index.html", "javascript")
    assert dialect_for(source) == JAVASCRIPT
    assert not parse_source(source).root_node.has_error  # markup, JSON-LD and src scripts are skipped
    client = one("index.html", HTML, SocketIOClient)
    assert client.options.get("query") is not None
    (write,) = facts_of("index.html", HTML, StorageWrite)
    assert source.slice(write.span) == 'sessionStorage.jwt = "abc"'


def test_page_without_scripts_has_nothing_to_parse() -> None:
    source = Source.from_text("<p>{{ a && b }} <b>x</p>\n" * 20, "page.html", "javascript")
    assert not parse_source(source).root_node.has_error
