"""A read-only libcst traversal, several times faster than ``CSTNode.visit``.

libcst's visitor rebuilds (and re-validates) every node on the way back up, even for a read-only
``CSTVisitor``, and looks ``visit_*_attr`` hooks up for every field. Fact extraction only reads, so
this walker iterates each node's dataclass fields directly and dispatches ``visit_<Type>`` /
``leave_<Type>`` methods looked up once per node type. Pre-order, children in field order.
"""

from __future__ import annotations

import dataclasses
from typing import Any, Callable

import libcst as cst

# Fields that only ever hold whitespace, punctuation or comments: never worth walking into.
SKIP_FIELDS = frozenset({
    "lpar", "rpar", "comma", "leading_lines", "lines_after_decorators", "header", "footer", "semicolon",
    "equal", "colon", "lbrace", "rbrace", "lbracket", "rbracket", "dot", "star_tok", "newline",
    "trailing_whitespace", "asynchronous", "whitespace", "empty_lines", "first_line", "lines", "indent",
    "encoding", "default_indent", "default_newline", "has_trailing_newline", "prefix", "quote",
})
_FIELDS: dict[type, tuple[str, ...]] = {}


def _fields(cls: type) -> tuple[str, ...]:
    names = _FIELDS.get(cls)
    if names is None:
        names = tuple(
            f.name for f in dataclasses.fields(cls)
            if f.name not in SKIP_FIELDS and not f.name.startswith("whitespace")
        )
        _FIELDS[cls] = names
    return names


class Walker:
    """Subclasses define ``visit_<Type>(node)`` (return False to skip children) and ``leave_<Type>(node)``."""

    def __init__(self) -> None:
        self._hooks: dict[type, tuple[Callable[[Any], Any] | None, Callable[[Any], Any] | None]] = {}

    def walk(self, node: cst.CSTNode) -> None:
        cls = type(node)
        hooks = self._hooks.get(cls)
        if hooks is None:
            name = cls.__name__
            hooks = (getattr(self, f"visit_{name}", None), getattr(self, f"leave_{name}", None))
            self._hooks[cls] = hooks
        visit, leave = hooks
        if visit is None or visit(node) is not False:
            for field in _fields(cls):
                value = getattr(node, field)
                if isinstance(value, cst.CSTNode):
                    self.walk(value)
                elif isinstance(value, (tuple, list)):
                    for item in value:
                        if isinstance(item, cst.CSTNode):
                            self.walk(item)
        if leave is not None:
            leave(node)
