"""Origin lists rewritten entry by entry, so a fix keeps the list as its author laid it out.

A fix that makes a policy allow a given list of origins (COR001/COR002 replacing ``*``, SIO002
adding a client's origin, SIO003) edits only the entries that change: an entry no longer wanted is
replaced in place by the new ones, or removed; origins not yet listed are added at the end. Line
breaks, indentation, the trailing comma, comments and the quote style stay as written (Python
through libcst, ``python_cst.edit_list``; JS/TS as text at the tree-sitter spans of the array's
elements). Each origin is written once, whatever several fixes ask for, so fixes of several rules
on one list converge. A value that is not a list literal is replaced whole.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Sequence

from authlint.diagnostics.diagnostic import Edit
from authlint.facts.model import Expr, Option
from authlint.files.source import Source, Span
from authlint.rules.kit import render, text_edits
from authlint.rules.kit.options import replace_value


@dataclass
class ListPlan:
    """What changes in a list: ``replace[i]`` takes element ``i``'s place (empty: removed), ``append``
    goes after the last element."""

    replace: dict[int, list[str]] = field(default_factory=dict)
    append: list[str] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not self.replace and not self.append


def plan(current: Sequence[Any], origins: Sequence[str]) -> ListPlan:
    """How a list holding ``current`` (strings; anything else is kept as is) comes to hold exactly the
    strings ``origins``, each once: the first unwanted entry makes room for the new origins, other
    unwanted entries and repeats go."""
    wanted = list(dict.fromkeys(origins))
    present = [value for value in current if isinstance(value, str)]
    new = [origin for origin in wanted if origin not in present]
    result = ListPlan()
    seen: set[str] = set()
    for index, value in enumerate(current):
        if not isinstance(value, str):
            continue
        if value in wanted and value not in seen:
            seen.add(value)
            continue
        result.replace[index] = new if new and not any(result.replace.values()) else []
        if result.replace[index]:
            new = []
    result.append = new
    return result


def set_origins(source: Source, expr: Expr, origins: Sequence[str], like: Expr | Option | str | None = None,
                at: Span | None = None) -> list[Edit]:
    """Edits that make the literal ``expr`` (written at ``at`` when it is a constant defined
    elsewhere in the file) hold exactly ``origins``; [] when it already does."""
    like = like if like is not None else expr
    span = at or expr.span
    edit: Edit | bool | None = None
    if render.syntax(source) == render.PYTHON:
        flat = _flat_python(source, span)
        if flat is not None:  # one line, no comment: text edits, and ``check`` need not load libcst
            return _text_edits(source, flat, span, origins, like)
        edit = _python(source, span, origins, like)
    elif expr.items is not None:
        elements = [(item.value if isinstance(item.value, str) and not item.is_regex else None, item.span)
                    for item in expr.items]
        return _text_edits(source, elements, span, origins, like)
    if edit is not None:
        return [] if edit is False else [edit]
    if isinstance(expr.value, list) and list(dict.fromkeys(origins)) == expr.value:
        return []
    return [replace_value(source, span, list(dict.fromkeys(origins)), like)]


def _python(source: Source, span: Span, origins: Sequence[str], like: Any) -> Edit | bool | None:
    """The libcst edit of a Python list literal; False when nothing changes, None when it is no list."""
    from authlint.rules.kit import python_cst

    current = python_cst.list_values(source, span)
    if current is None:
        return None
    changes = plan(current, origins)
    if changes.empty:
        return False
    code = _coder(source, like)
    return python_cst.edit_list(
        source, span, {i: [code(v) for v in values] for i, values in changes.replace.items()},
        [code(v) for v in changes.append],
    )


def _coder(source: Source, like: Any):
    return lambda value: render.literal(source, value, like)


def _flat_python(source: Source, span: Span) -> list[tuple[Any, Span]] | None:
    """The elements of a one-line, comment-free Python list literal (standard ``ast``), else None."""
    import ast

    snippet = source.text[span.start : span.end]
    if "\n" in snippet or "\r" in snippet or "#" in snippet:
        return None
    try:
        node = ast.parse(snippet, mode="eval").body
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None
    if not isinstance(node, ast.List) or any(isinstance(e, ast.Starred) for e in node.elts):
        return None
    raw = snippet.encode("utf-8")

    def char(col: int) -> int:
        return span.start + len(raw[:col].decode("utf-8", "replace"))

    return [
        (element.value if isinstance(element, ast.Constant) and isinstance(element.value, str) else None,
         Span(char(element.col_offset), char(element.end_col_offset or element.col_offset)))
        for element in node.elts
    ]


def _text_edits(source: Source, elements: list[tuple[Any, Span]], span: Span, origins: Sequence[str],
                like: Any) -> list[Edit]:
    """Text edits at the elements' spans (ast's or tree-sitter's), laid out like their neighbours."""
    if not elements:
        return [replace_value(source, span, list(dict.fromkeys(origins)), like)]
    changes = plan([value for value, _ in elements], origins)
    if changes.empty:
        return []
    code = _coder(source, like)
    text = source.text
    spans = [where for _, where in elements]
    edits: list[Edit] = []
    last = len(spans) - 1
    for index, values in changes.replace.items():
        if not values:
            edits.append(text_edits.remove_element(text, spans[index]))
            continue
        codes = [code(v) for v in values]
        edits.append(Edit.replace(spans[index], codes[0]))
        if len(codes) > 1:
            edits.extend(_after(text, spans[index], codes[1:], last=index == last))
    if changes.append:
        edits.extend(_after(text, spans[last], [code(v) for v in changes.append], last=True))
    return _merged(edits)


def _own_line(text: str, span: Span) -> str | None:
    """The indentation of the line ``span`` starts, when only whitespace precedes it there."""
    line_start = text.rfind("\n", 0, span.start) + 1
    indent = text[line_start : span.start]
    return indent if not indent.strip() else None


def _after(text: str, span: Span, codes: list[str], last: bool) -> list[Edit]:
    """Insert elements after the one at ``span``: each on its own line when it has one (after the
    comment ending its line), else inline."""
    comma = text_edits.comma_after(text, span.end)
    indent = _own_line(text, span)
    if indent is None:
        return [Edit.insert(span.end, "".join(", " + c for c in codes))]
    line_end = text_edits.line_end(text, span.end)
    if comma is not None:  # ``a,  // note`` -> new lines after it, each with its comma
        return [Edit.insert(line_end, "".join(f"\n{indent}{c}," for c in codes))]
    if not last:
        return [Edit.insert(span.end, "".join(", " + c for c in codes))]
    lines = ",".join(f"\n{indent}{c}" for c in codes)  # the last element without a trailing comma
    return [Edit.insert(span.end, ","), Edit.insert(line_end, lines)]


def _merged(edits: list[Edit]) -> list[Edit]:
    """Insertions at one place joined in order, so the fix engine sees no clash among them."""
    merged: dict[tuple[int, int], str] = {}
    for edit in edits:
        key = (edit.start, edit.end)
        if key in merged and edit.start == edit.end:
            merged[key] += edit.content
        elif key not in merged:
            merged[key] = edit.content
    return [Edit(start, end, content) for (start, end), content in merged.items()]
