"""Whether a place in a file is inside a comment, asked before a fix deletes a suppression.

The suppression scanner matches ``# authlint: ignore[...]`` wherever it is written, strings
included (as ruff's noqa scanner does); removing one from a string would change the program, so
E003's fix is safe only where the file's own grammar says the text is a comment: Python's
tokenizer, tree-sitter for JavaScript/TypeScript, the scalar spans of YAML. Elsewhere the answer
is None (cannot tell) and the fix is offered as unsafe.
"""

from __future__ import annotations

import io

from authlint.files.kinds import JAVASCRIPT, PYTHON, TYPESCRIPT, YAML
from authlint.files.source import Source


def in_comment(source: Source, offset: int) -> bool | None:
    try:
        if source.kind == PYTHON:
            return _python(source, offset)
        if source.kind in (JAVASCRIPT, TYPESCRIPT):
            return _javascript(source, offset)
        if source.kind == YAML:
            return _yaml(source, offset)
    except Exception:  # noqa: BLE001 - a file that does not tokenize or parse: cannot tell
        return None
    return None


def _python(source: Source, offset: int) -> bool:
    import tokenize

    line, column = source.position(offset)
    for token in tokenize.generate_tokens(io.StringIO(source.text).readline):
        if token.type == tokenize.COMMENT and token.start[0] == line and token.start[1] == column - 1:
            return True
        if token.start[0] > line:
            break
    return False


def _javascript(source: Source, offset: int) -> bool | None:
    from authlint.syntax.javascript import dialect_for, embedded, parse_bytes

    if embedded(source):
        return None  # a component's <script> block: its offsets are the block's, not the file's
    data = source.text.encode("utf-8")
    at = len(source.text[:offset].encode("utf-8"))
    node = parse_bytes(data, dialect_for(source)).root_node.descendant_for_byte_range(at, at + 1)
    return node is not None and node.type == "comment"


def _yaml(source: Source, offset: int) -> bool:
    import yaml

    for document in yaml.compose_all(source.text, Loader=yaml.SafeLoader):
        stack = [document] if document is not None else []
        while stack:
            node = stack.pop()
            if isinstance(node, yaml.ScalarNode):
                if node.start_mark.index <= offset < node.end_mark.index:
                    return False
            elif isinstance(node, yaml.MappingNode):
                stack.extend(part for pair in node.value for part in pair)
            elif isinstance(node, yaml.SequenceNode):
                stack.extend(node.value)
    return True
