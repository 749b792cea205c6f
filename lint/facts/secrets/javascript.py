"""Secret values in JavaScript and TypeScript files: what the facts locate (``code.code_secrets``),
plus a string literal bound to a name that says it holds a secret (``const JWT_SECRET = "..."``,
``{ password: "..." }``, ``this.apiKey = "..."``; not ``TOKEN_TTL``: ``names.secret_name``).

The JS extractor records what the Python one does (keys followed to their literal, env fallbacks,
NATS and Socket.IO credentials, cookies, storage writes); the named literals are found with one
tree-sitter query over the tree the extractor already built, only in files that mention a secret word.
"""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING, Any, Iterator

from authlint.facts.secrets.code import code_secrets, known_names, without
from authlint.facts.secrets.literals import literal_spans
from authlint.facts.secrets.names import binds_named_literal, secret_name, secret_text
from authlint.files.source import Span

if TYPE_CHECKING:
    from authlint.run.context import FileContext

# name -> a plain string literal bound to it (declarations, object properties, assignments)
QUERY = """
(variable_declarator name: (identifier) @name value: [(string) (template_string)] @value)
(pair key: [(property_identifier) (string) (identifier)] @name value: [(string) (template_string)] @value)
(assignment_expression left: [(identifier) (member_expression)] @name right: [(string) (template_string)] @value)
"""


def find(ctx: FileContext) -> Iterator[Span]:
    yield from code_secrets(ctx)
    if binds_named_literal(ctx.source.text):
        yield from without(named_literals(ctx), known_names(ctx))


@cache
def _query(dialect: str) -> Any:
    import tree_sitter

    from authlint.syntax.javascript import language

    return tree_sitter.Query(language(dialect), QUERY)


def named_literals(ctx: FileContext) -> Iterator[Span]:
    """String literals (without substitutions) bound to a secret name."""
    import tree_sitter

    from authlint.syntax.javascript import dialect_for

    tree = ctx.tree
    if tree is None:
        return
    source = ctx.source
    for _, captures in tree_sitter.QueryCursor(_query(dialect_for(source))).matches(tree.root_node):
        (name,), (value,) = captures["name"], captures["value"]
        if value.type == "template_string" and any(c.type == "template_substitution" for c in value.children):
            continue
        written = name.text.decode("utf-8", "replace").strip("'\"`")
        if name.type == "member_expression":
            written = written.rpartition(".")[2]
        span = Span(source.char_offset(value.start_byte), source.char_offset(value.end_byte))
        if secret_name(written) and secret_text(source.text[span.start + 1 : span.end - 1]):
            yield from literal_spans(source.text, span)
