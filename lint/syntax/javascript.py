"""JavaScript / TypeScript / JSX / TSX parsing with tree-sitter (grammar chosen by file suffix).

tree-sitter always returns a tree, marking what it could not parse as ERROR / MISSING nodes. A file
with a local syntax error still has plenty of valid code worth checking, so it is kept; only a file
whose errors cover most of it (not JavaScript at all: a template, minified garbage, binary-ish text)
is refused with a ``ParseError``, which the engine reports as E001.
"""

from __future__ import annotations

import re
from functools import cache
from typing import TYPE_CHECKING, Any

from authlint.files.source import Source
from authlint.syntax.errors import ParseError

if TYPE_CHECKING:
    from authlint.run.context import FileContext

JAVASCRIPT = "javascript"
TYPESCRIPT = "typescript"
TSX = "tsx"
ERROR_SHARE_LIMIT = 0.5  # refuse a file when ERROR nodes cover more than half of its bytes ...
ERROR_LINE_LIMIT = 0.6  # ... or touch most of its non-blank lines (tree-sitter recovers in small bites)
MIN_ERROR_LINES = 3
MIN_REFUSE_BYTES = 64  # tiny snippets are kept: their one error is a finding, not a wrong format


EMBEDDING_SUFFIXES = (".vue", ".svelte", ".html", ".htm")
SCRIPT_RE = re.compile(rb"<script\b([^>]*)>(.*?)</script\s*>", re.IGNORECASE | re.DOTALL)
LANG_RE = re.compile(rb"""\blang\s*=\s*["']?(ts|typescript|tsx)\b""", re.IGNORECASE)
TYPE_RE = re.compile(rb"""\btype\s*=\s*["']?([^"'\s>]+)""", re.IGNORECASE)
SRC_RE = re.compile(rb"\bsrc\s*=", re.IGNORECASE)
SCRIPT_TYPES = frozenset({b"module", b"text/javascript", b"application/javascript", b"text/babel", b"text/jsx", b"module/javascript"})


def embedded(source: Source) -> bool:
    """A Vue/Svelte component or an HTML page: only its ``<script>`` blocks are code."""
    return source.relpath.lower().endswith(EMBEDDING_SUFFIXES)


def script_blocks(data: bytes) -> list[tuple[int, int, bytes]]:
    """``(start, end, attributes)`` byte ranges of inline JS/TS ``<script>`` bodies."""
    blocks = []
    for match in SCRIPT_RE.finditer(data):
        attributes = match.group(1)
        script_type = TYPE_RE.search(attributes)
        if SRC_RE.search(attributes) or (script_type and script_type.group(1).lower() not in SCRIPT_TYPES):
            continue
        if match.end(2) > match.start(2):
            blocks.append((match.start(2), match.end(2), attributes))
    return blocks


def dialect_for(source: Source) -> str:
    """The grammar for a file: ``.ts/.mts/.cts`` TypeScript, ``.tsx`` TSX, else JavaScript (with JSX).

    Components and pages use their ``<script lang="ts">`` attribute.
    """
    name = source.relpath.lower()
    if name.endswith(EMBEDDING_SUFFIXES):
        langs = {m.group(1).lower() for _, _, attrs in script_blocks(source.utf8) for m in [LANG_RE.search(attrs)] if m}
        return TSX if b"tsx" in langs else TYPESCRIPT if langs else JAVASCRIPT
    if name.endswith(".tsx"):
        return TSX
    if name.endswith((".ts", ".mts", ".cts")):
        return TYPESCRIPT
    if source.kind == TYPESCRIPT and not name.endswith((".js", ".mjs", ".cjs", ".jsx")):
        return TYPESCRIPT
    return JAVASCRIPT


@cache
def language(dialect: str) -> Any:
    """The tree-sitter Language of a dialect, loaded once per process."""
    import tree_sitter

    if dialect == JAVASCRIPT:
        import tree_sitter_javascript

        return tree_sitter.Language(tree_sitter_javascript.language())
    import tree_sitter_typescript

    if dialect == TSX:
        return tree_sitter.Language(tree_sitter_typescript.language_tsx())
    return tree_sitter.Language(tree_sitter_typescript.language_typescript())


@cache
def parser(dialect: str) -> Any:
    """One Parser per dialect and process (parsers are reusable; building one costs more than a parse)."""
    import tree_sitter

    return tree_sitter.Parser(language(dialect))


def parse_bytes(data: bytes, dialect: str) -> Any:
    return parser(dialect).parse(data)


@cache
def _embedded_parser(dialect: str) -> Any:
    """A separate parser for script blocks (its included ranges change per file)."""
    import tree_sitter

    return tree_sitter.Parser(language(dialect))


def parse_scripts(data: bytes, dialect: str) -> Any:
    """Parse only the ``<script>`` bodies of a page/component; offsets stay those of the whole file."""
    import tree_sitter

    ranges = []
    for start, end, _ in script_blocks(data):
        start_row = data.count(b"\n", 0, start)
        end_row = start_row + data.count(b"\n", start, end)
        start_col = start - (data.rfind(b"\n", 0, start) + 1)
        end_col = end - (data.rfind(b"\n", 0, end) + 1)
        ranges.append(tree_sitter.Range((start_row, start_col), (end_row, end_col), start, end))
    if not ranges:
        return parse_bytes(b"", dialect)
    embedded_parser = _embedded_parser(dialect)
    embedded_parser.included_ranges = ranges
    try:
        return embedded_parser.parse(data)
    finally:
        embedded_parser.included_ranges = []


def error_nodes(root: Any) -> list[Any]:
    """The outermost ERROR and MISSING nodes, in order (only subtrees with errors are visited)."""
    found: list[Any] = []
    stack = [root]
    while stack:
        node = stack.pop()
        if node.is_error or node.is_missing:
            found.append(node)
            continue
        if node.has_error:
            stack.extend(node.children)
    found.sort(key=lambda node: node.start_byte)
    return found


def error_ranges(root: Any) -> list[tuple[int, int]]:
    """Byte ranges of the outermost ERROR and MISSING nodes."""
    return [(node.start_byte, node.end_byte) for node in error_nodes(root)]


def _mostly_errors(data: bytes, nodes: list[Any]) -> str | None:
    """Why a file is not JavaScript at all, or None when its errors are local."""
    covered = sum(node.end_byte - node.start_byte for node in nodes)
    if covered > ERROR_SHARE_LIMIT * len(data):
        return f"syntax errors cover {covered * 100 // len(data)}% of the file"
    rows: set[int] = set()
    for node in nodes:
        rows.update(range(node.start_point[0], node.end_point[0] + 1))
    lines = sum(1 for line in data.splitlines() if line.strip())
    if len(rows) >= MIN_ERROR_LINES and lines and len(rows) > ERROR_LINE_LIMIT * lines:
        return f"syntax errors on {len(rows)} of {lines} lines"
    return None


def parse_source(source: Source, ctx: FileContext | None = None) -> Any:
    """The tree of one file; ParseError when it is clearly not JavaScript/TypeScript."""
    data = source.utf8
    if embedded(source):
        return parse_scripts(data, dialect_for(source))  # markup around the scripts is not ours to judge
    try:
        tree = parse_bytes(data, dialect_for(source))
    except (ValueError, RecursionError, MemoryError) as exc:  # pragma: no cover - tree-sitter limits
        raise ParseError(f"cannot parse as JavaScript/TypeScript: {exc.__class__.__name__}") from None
    root = tree.root_node
    if not root.has_error or len(data) < MIN_REFUSE_BYTES:
        return tree
    nodes = error_nodes(root)
    reason = _mostly_errors(data, nodes) if nodes else None
    if reason is not None:
        language_name = "TypeScript" if source.kind == TYPESCRIPT else "JavaScript"
        raise ParseError(f"not valid {language_name}: {reason}", source.char_offset(nodes[0].start_byte))
    return tree
