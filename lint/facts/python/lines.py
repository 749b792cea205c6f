"""Walking only the part of a Python tree that lies on some lines.

An extractor that looks for a few words (``Authorization``, ``NATS_``) finds them on a handful of
lines of a big file: walking every node of the file to find them cost more than the parse. These
helpers find the lines once (a substring test per line) and walk only the statements and
expressions that reach one of them.
"""

from __future__ import annotations

import ast
from bisect import bisect_left
from typing import Iterable, Iterator


def lines_with(lines: list[str], words: Iterable[str]) -> list[int]:
    """The (1-based, sorted) numbers of the lines holding one of ``words``."""
    wanted = tuple(words)
    return [number for number, line in enumerate(lines, 1) if any(word in line for word in wanted)]


def nodes_on(tree: ast.AST, lines: list[int]) -> Iterator[ast.AST]:
    """The nodes whose lines include one of ``lines`` (and the nodes without a position on the way
    to them): a walk that never enters a statement or expression lying wholly elsewhere. A
    function's or class's decorators count as its lines (``lineno`` is the ``def`` line)."""
    if not lines:
        return
    stack: list[ast.AST] = [tree]
    while stack:
        node = stack.pop()
        first = getattr(node, "lineno", None)
        if first is not None:
            decorators = getattr(node, "decorator_list", None)
            if decorators:
                first = min(first, *(decorator.lineno for decorator in decorators))
            at = bisect_left(lines, first)
            if at == len(lines) or lines[at] > (node.end_lineno or first):
                continue
        yield node
        stack.extend(ast.iter_child_nodes(node))
