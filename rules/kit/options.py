"""Edits to options: insert, set, replace, remove and rename an option in a call, dict or object.

Each function returns text edits over the file, with values rendered by ``render``; the bag says
where a new option goes and in which form (keywords, dict entry, object property), so the same call
works for every language. Python calls and dicts are changed through libcst (``python_cst``:
comments, trailing commas and one-argument-per-line layouts survive, a new argument follows the
layout); JS/TS objects and YAML are edited as text at the spans their parsers recorded (tree-sitter
spans). libcst is imported only when a Python edit is made.
"""

from __future__ import annotations

from typing import Any

from authlint.diagnostics.diagnostic import Edit
from authlint.facts.model import Expr, Option, OptionBag
from authlint.files.source import Source, Span
from authlint.rules.kit import render, text_edits

TREE_FORMS = ("kwargs", "dict")  # bags edited through libcst in Python files


def insert_option(source: Source, bag: OptionBag, name: str, value: Any,
                  like: Expr | Option | str | None = None) -> Edit | None:
    """Add ``name`` with ``value`` after the bag's last option; None when the options are not a
    literal authlint can edit."""
    return insert_options(source, bag, [(name, value)], like)


def insert_options(source: Source, bag: OptionBag, options: list[tuple[str, Any]],
                   like: Expr | Option | str | None = None) -> Edit | None:
    """Add several options in one edit, in order (a cookie's ``httponly``, ``secure`` and
    ``samesite`` together); None when the options are not a literal authlint can edit."""
    if bag.insert_at is None or not options:
        return None
    entries = [render.entry(source, bag, name, value, like) for name, value in options]
    if _in_tree(source, bag) and bag.span is not None and not _flat(source, bag.span):
        from authlint.rules.kit import python_cst

        edit = python_cst.insert_elements(source, bag.span, entries, bag.form)
        if edit is not None:
            return edit
    return _insert_text(source, bag, entries)


def _insert_text(source: Source, bag: OptionBag, entries: list[str]) -> Edit:
    """``insert_options`` as a text edit at the parser's insertion point (JS/TS objects, YAML, flat
    Python). Where the bag is laid out one option per line (its prefix breaks the line and indents),
    each new option gets a line of its own; a comment ending the line of the last option stays with
    that option, the new lines go after it."""
    assert bag.insert_at is not None
    prefix, at = bag.insert_prefix, bag.insert_at
    line_break = prefix.lstrip(",")
    one_per_line = "\n" in line_break and not line_break.rsplit("\n", 1)[1].strip()
    content = prefix + (("," + line_break) if one_per_line else ", ").join(entries) + bag.insert_suffix
    if "\n" not in prefix:
        return Edit.insert(at, content)
    text = source.text
    line_end = text_edits.line_end(text, at)
    rest = text[at:line_end]
    if not _line_comment(rest.strip()):
        return Edit.insert(at, content)
    if not prefix.startswith(","):  # after the last option's comma: the new lines follow the comment
        return Edit.insert(line_end, content)
    return Edit(at, line_end, "," + rest + content[1:])  # its comma before the comment, new lines after


def _line_comment(code: str) -> bool:
    """Whether ``code`` (the rest of a line) is only a comment: ``// x``, ``/* x */``, ``# x``."""
    if code.startswith(("//", "#")):
        return True
    return code.startswith("/*") and code.endswith("*/") and "*/" not in code[2:-2]


def _in_tree(source: Source, bag: OptionBag | None) -> bool:
    """Whether this edit goes through libcst: Python keywords and dict literals."""
    return render.syntax(source) == render.PYTHON and (bag is None or bag.form in TREE_FORMS)


def _flat(source: Source, span: Span) -> bool:
    """A call or dict on one line without comments: it has no layout to keep, libcst would write the
    very same edit as the text path, and ``check`` (which builds every fix) need not load libcst."""
    written = source.slice(span)
    return "\n" not in written and "\r" not in written and "#" not in written


def _flat_removal(source: Source, option: Option) -> bool:
    """An option between ``,``/``(``/``{`` and ``,``/the closing bracket on one comment-free line:
    the text removal is exact (as libcst's would be). Not a dict value in parentheses (the fact's
    span stops before them) nor a positional argument."""
    text = source.text
    line_start = text.rfind("\n", 0, option.span.start) + 1
    line_end = text.find("\n", option.span.end)
    line = text[line_start : len(text) if line_end == -1 else line_end]
    if "#" in line or "\r" in line or "\n" in source.slice(option.span) or option.name_span == option.span:
        return False
    after_name = text[option.name_span.end : option.span.end].lstrip(" \t")
    closer = ")" if after_name.startswith("=") else "}"
    following = text[option.span.end : len(text) if line_end == -1 else line_end].lstrip(" \t")[:1]
    preceding = text[line_start : option.span.start].rstrip(" \t")[-1:]
    return following in (",", closer) and preceding in (",", "(", "{")


def set_option(source: Source, bag: OptionBag, name: str, value: Any,
               like: Expr | Option | str | None = None) -> Edit | None:
    """Give ``name`` this value: its value replaced when written, inserted otherwise."""
    present = bag.get(name)
    if present is not None:
        return replace_value(source, present.value, value, like if like is not None else present)
    return insert_option(source, bag, name, value, like)


def replace_value(source: Source, expr: Expr | Span, value: Any, like: Expr | Option | str | None = None) -> Edit:
    """Replace an expression with the literal of ``value`` (quote style of ``like``, else of ``expr``)."""
    span = expr if isinstance(expr, Span) else expr.span
    if like is None and isinstance(expr, Expr):
        like = expr
    return Edit.replace(span, render.literal(source, value, like))


def remove_option(source: Source, option: Option) -> Edit:
    """Delete one option and its separating comma; an option alone on its line(s) goes with its
    whole lines, so the layout stays tidy (a comment ending its line stays, on a line of its own)."""
    if _in_tree(source, None) and not _flat_removal(source, option):
        from authlint.rules.kit import python_cst

        edit = python_cst.remove_element(source, option.span.start)
        if edit is not None:
            return edit
    return text_edits.remove_element(source.text, option.span)


def rename_option(source: Source, option: Option, new_name: str, scale: float | None = None) -> list[Edit] | None:
    """Rename an option, converting a number written in another unit (``scale``: new units per old
    unit, e.g. 0.001 from milliseconds to seconds). None when the value needs converting but is
    not a number literal (the rename alone would change its meaning)."""
    edits = [Edit.replace(option.name_span, new_name)]
    if scale is None or scale == 1:
        return edits
    value = option.value.value
    if isinstance(value, bool) or not isinstance(value, (int, float)) or option.value.origin is not None:
        return None
    edits.append(Edit.replace(option.value.span, render.number(value * scale)))
    return edits


def add_setting(source: Source, beside: Span, like: str, name: str, value: Any) -> Edit | None:
    """Add the setting ``name = value`` on a new line after the statement at ``beside``, written the
    way that statement writes the setting ``like``: a constant (``JWT_TOKEN_LOCATION = [...]`` ->
    ``JWT_COOKIE_SECURE = True``) or an item (``app.config['JWT_TOKEN_LOCATION'] = [...]`` ->
    ``app.config['JWT_COOKIE_SECURE'] = True``), at the same indentation. None when the statement
    is not such an assignment (or shares its line with other code). A comment ending the line stays
    on it.

    A setting that is a keyword or an entry of a call or dict (``app.config.update(JWT_...=...)``,
    ``app.config.from_mapping({...})``) gets its sibling as a keyword/entry of that same call or dict:
    a statement there would not parse."""
    if render.syntax(source) != render.PYTHON:
        return None
    from authlint.rules.kit import python_cst

    if python_cst.enclosing_container(source.text, beside.start) is not None:
        return python_cst.sibling_element(source, beside.start, like, name, render.literal(source, value))
    text = source.text
    line_start = text.rfind("\n", 0, beside.start) + 1
    indent = text[line_start : beside.start]
    if indent.strip():
        return None
    line_end = text_edits.line_end(text, beside.end)
    rest = text[beside.end : line_end].strip()
    if rest and not rest.startswith("#"):  # more code on the line (``; x = 1``)
        return None
    statement = python_cst.sibling_setting(source.slice(beside), like, name, render.literal(source, value))
    if statement is None:
        return None
    return Edit.insert(line_end, source.newline + indent + statement)  # after the comment ending the line


def insert_arguments(source: Source, after: Span, values: list[Any], like: Expr | Option | str | None = None) -> Edit:
    """Add positional arguments right after the argument at ``after`` (a key after the token:
    ``verify(token)`` -> ``verify(token, KEY, { algorithms: ["HS256"] })``), each rendered as a literal."""
    return Edit.insert(after.end, "".join(", " + render.literal(source, value, like) for value in values))


def replace_option(source: Source, option: Option, bag: OptionBag, options: list[tuple[str, Any]],
                   like: Expr | Option | str | None = None) -> Edit:
    """Replace one option with others, written in the bag's form where it stood (``options={...}``
    -> ``key=KEY, algorithms=['HS256']``): the layout around it (commas, comments, line breaks) stays."""
    return Edit.replace(option.span, ", ".join(render.entry(source, bag, name, value, like) for name, value in options))
