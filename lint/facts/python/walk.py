"""A read-only ``ast`` traversal with ``visit_<Type>`` / ``leave_<Type>`` hooks.

Faster than ``ast.NodeVisitor`` (hooks and child fields are looked up once per node type, and
context/operator singletons are never visited) and iterative, so generated code nested thousands of
levels deep needs no recursion limit. Pre-order; children in the order the extractor walked them
before it moved to ``ast`` (source order where ``ast`` groups fields differently: call arguments,
dict entries; class bodies before bases, handler bodies before exception types), so facts,
bindings and instances come out exactly as before.
"""

from __future__ import annotations

import ast
from operator import attrgetter
from typing import Any, Callable, Iterable

# Fields that never hold a node worth visiting (names, flags, and the Load/Store/operator singletons).
SKIP_FIELDS = frozenset({
    "ctx", "op", "ops", "type_comment", "kind", "conversion", "simple", "level", "is_async", "names",
    "kwd_attrs", "id", "attr", "arg", "module", "asname", "tag", "rest",
})
LITERALS = (ast.Constant, ast.MatchSingleton)  # their ``value`` is a Python value, never a node
Children = Callable[[Any, list], None]


def _fields(cls: type, order: tuple[str, ...] | None = None) -> tuple[str, ...]:
    """The fields to walk, reversed (children are pushed on a stack)."""
    if cls in LITERALS:
        return ()
    names = [name for name in cls._fields if name not in SKIP_FIELDS]  # type: ignore[attr-defined]
    if order is not None:
        names = [name for name in order if name in names] + [name for name in names if name not in order]
    return tuple(reversed(names))


def _push_fields(fields: tuple[str, ...]) -> Children | None:
    """A function pushing a node's children (None for leaves such as Name and Constant)."""
    if not fields:
        return None
    get = attrgetter(*fields)
    AST, list_ = ast.AST, list

    if len(fields) == 1:
        def push_one(node: Any, stack: list) -> None:
            value = get(node)
            if value.__class__ is list_:
                stack.extend(reversed(value))
            elif isinstance(value, AST):
                stack.append(value)

        return push_one

    def push(node: Any, stack: list) -> None:
        for value in get(node):
            if value.__class__ is list_:
                stack.extend(reversed(value))
            elif isinstance(value, AST):
                stack.append(value)

    return push


def ordered_args(call: ast.Call) -> list[ast.expr | ast.keyword]:
    """Positional arguments (``*x`` as ``Starred``) and keywords (``**x`` with ``arg=None``) in source
    order. May be the call's own list: read it, do not change it."""
    args, keywords = call.args, call.keywords
    if not keywords:
        return args
    if not args:
        return keywords
    last, first = args[-1], keywords[0]
    if (last.lineno, last.col_offset) < (first.lineno, first.col_offset):
        return [*args, *keywords]
    return sorted((*args, *keywords), key=lambda node: (node.lineno, node.col_offset))


def _push_call(node: ast.Call, stack: list) -> None:
    stack.extend(reversed(ordered_args(node)))
    stack.append(node.func)


def _push_dict(node: ast.Dict, stack: list) -> None:
    for key, value in zip(reversed(node.keys), reversed(node.values)):
        stack.append(value)
        if key is not None:
            stack.append(key)


def _push_arguments(node: ast.arguments, stack: list) -> None:
    """The former order: parameters, ``*args``, keyword-only, ``**kwargs``, then positional-only;
    each parameter's annotation before its default."""
    positional = [*node.posonlyargs, *node.args]
    defaults: list[ast.expr | None] = [None] * (len(positional) - len(node.defaults)) + list(node.defaults)
    split = len(node.posonlyargs)
    order: list[ast.AST | None] = []
    for param, default in zip(positional[split:], defaults[split:]):
        order += [param, default]
    order.append(node.vararg)
    for param, default in zip(node.kwonlyargs, node.kw_defaults):
        order += [param, default]
    order.append(node.kwarg)
    for param, default in zip(positional[:split], defaults[:split]):
        order += [param, default]
    stack.extend(child for child in reversed(order) if child is not None)


SPECIAL: dict[type, Children] = {ast.Call: _push_call, ast.Dict: _push_dict, ast.arguments: _push_arguments}
ORDER: dict[type, tuple[str, ...]] = {
    ast.ClassDef: ("name", "body", "bases", "keywords", "decorator_list"),
    ast.ExceptHandler: ("body", "type"),
    ast.match_case: ("pattern", "body", "guard"),
}


Hook = Callable[[Any, Any], Any]
Entry = tuple[Hook | None, Hook | None, Children | None]
_ENTRIES: dict[type, dict[type, Entry | None]] = {}  # walker class -> node class -> hooks and children
_MISSING: Any = object()


class Walker:
    """Subclasses define ``visit_<Type>(node)`` (return False to skip children) and ``leave_<Type>(node)``."""

    @classmethod
    def _entry(cls, node_cls: type) -> Entry | None:
        """``(visit, leave, children)`` as plain functions, or None when there is nothing to do."""
        name = node_cls.__name__
        children = SPECIAL.get(node_cls) or _push_fields(_fields(node_cls, ORDER.get(node_cls)))
        visit, leave = getattr(cls, f"visit_{name}", None), getattr(cls, f"leave_{name}", None)
        entry = None if visit is None and leave is None and children is None else (visit, leave, children)
        _ENTRIES.setdefault(cls, {})[node_cls] = entry
        return entry

    def walk(self, root: ast.AST | Iterable[ast.AST]) -> None:
        """Walk a node, or a list of nodes (a function body) in order."""
        stack: list[Any] = list(reversed(list(root))) if isinstance(root, (list, tuple)) else [root]
        walker = self.__class__
        entries = _ENTRIES.setdefault(walker, {})
        pop, push = stack.pop, stack.append
        while stack:
            node = pop()
            cls = node.__class__
            if cls is tuple:  # a pending leave hook
                node[0](self, node[1])
                continue
            entry = entries.get(cls, _MISSING)
            if entry is _MISSING:
                entry = walker._entry(cls)
            if entry is None:
                continue
            visit, leave, children = entry
            if leave is not None:
                push((leave, node))
            if (visit is None or visit(self, node) is not False) and children is not None:
                children(node, stack)
