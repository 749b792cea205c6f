"""Python option edits through libcst (Fixit's way): add or remove an argument of a call or an entry
of a dict literal as a change to the syntax tree, then hand the fix engine a plain text ``Edit``.

Why a tree and not text: comments between arguments, trailing commas, blank lines and the
indentation of a call laid out one argument per line belong to the tree's whitespace nodes, so a
structural change keeps them where they are, and a new argument copies its neighbours' layout.

How an edit is made: only the text of the ``Call``/``Dict`` being changed is parsed (the option bag's
span; for a removal, the innermost call or dict around the option, found with the standard ``ast``),
as a small module of its own: inside brackets, indentation is plain whitespace, so the snippet
round-trips exactly and costs milliseconds where a whole module costs a second. The node is changed,
the snippet rendered again, and the part that differs becomes one minimal ``Edit``, anchored where
the historic text edits put it (after the last argument, at the removed option, or at the start of a
removed line), so reports and the fix engine see small edits that combine with other fixes in the
same call.

libcst is imported lazily inside these functions: checking files never loads it, only fixing does.
Every function returns None when libcst cannot do the edit (a file libcst cannot parse, no node at
the span); the kit then falls back to its text edit.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Sequence

from authlint.diagnostics.diagnostic import Edit
from authlint.files.source import Source, Span

CACHED_SNIPPETS = 256  # calls/dicts whose parsed tree is kept (small: a few lines each)
CACHED_MODULES = 16  # files whose call/dict spans are kept: a fix pass edits one file at a time


@dataclass
class ParsedModule:
    """A snippet (one call or dict) parsed by libcst as a module, with the char spans of the nodes
    options live in."""

    code: str
    module: Any  # libcst.Module (the MetadataWrapper's copy, whose nodes the spans are keyed by)
    containers: list[tuple[Span, Any]] = field(default_factory=list)  # Call and Dict nodes
    elements: dict[int, tuple[Any, Any]] = field(default_factory=dict)  # start -> (Arg/DictElement, container)
    spans: dict[int, Span] = field(default_factory=dict)  # id(node) -> char span (containers, elements)


@lru_cache(maxsize=CACHED_SNIPPETS)
def parse(code: str) -> ParsedModule | None:
    """The libcst tree of ``code`` (None when libcst cannot parse it or does not round-trip it)."""
    import libcst as cst
    from libcst.metadata import ByteSpanPositionProvider, MetadataWrapper

    try:
        wrapper = MetadataWrapper(cst.parse_module(code))
    except (cst.ParserSyntaxError, RecursionError, ValueError):
        return None
    if wrapper.module.code != code:
        return None
    chars = Source.from_text(code)
    positions = wrapper.resolve(ByteSpanPositionProvider)

    def char_span(node: Any) -> Span:
        found = positions[node]
        return Span(chars.char_offset(found.start), chars.char_offset(found.start + found.length))

    parsed = ParsedModule(code=code, module=wrapper.module)
    for node in positions:
        if isinstance(node, (cst.Call, cst.Dict)):
            span = char_span(node)
            parsed.spans[id(node)] = span
            parsed.containers.append((span, node))
            for element in elements_of(node):
                element_span = char_span(element)  # parentheses included, comma and whitespace not
                parsed.spans[id(element)] = element_span
                parsed.elements.setdefault(element_span.start, (element, node))
    return parsed


def elements_of(container: Any) -> list[Any]:
    """A call's arguments or a dict's entries, in order."""
    import libcst as cst

    return list(container.args if isinstance(container, cst.Call) else container.elements)


def container_at(parsed: ParsedModule, span: Span) -> Any | None:
    """The Call or Dict written exactly over ``span`` (the bag's span; libcst's may add the
    parentheses around it, ast's never does)."""
    best = None
    for found, node in parsed.containers:
        if not found.contains(span):
            continue
        outside = parsed.code[found.start : span.start] + parsed.code[span.end : found.end]
        if outside.strip("() \t\r\n\\"):
            continue
        if best is None or parsed.spans[id(best)].contains(found):
            best = node
    return best


# -- the sequence of elements between the brackets, with the whitespace after each ---------------
@dataclass
class Layout:
    """A call's arguments or a dict's entries with their separators pulled out, so elements can be
    added and removed without thinking about where libcst keeps each piece of whitespace.

    ``seps[i]`` is the whitespace after element ``i`` (after its comma, or before the closing
    bracket for the last one); ``opening`` is the whitespace after the opening bracket.
    """

    node: Any
    opening: Any
    items: list[Any]
    comma_before: list[Any]
    seps: list[Any]
    trailing_comma: bool

    @classmethod
    def of(cls, node: Any) -> Layout:
        import libcst as cst

        is_call = isinstance(node, cst.Call)
        elements = elements_of(node)
        opening = node.whitespace_before_args if is_call else _open_bracket(node).whitespace_after
        items, before, seps = [], [], []
        trailing = bool(elements) and isinstance(elements[-1].comma, cst.Comma)
        for index, element in enumerate(elements):
            comma = element.comma
            last = index == len(elements) - 1
            if isinstance(comma, cst.Comma):
                before.append(comma.whitespace_before)
                if last and not is_call:  # a dict keeps what follows its trailing comma in the brace
                    closing_ws = _close_bracket(node).whitespace_before
                    if not _empty(comma.whitespace_after) and not _empty(closing_ws):
                        raise ValueError("whitespace on both sides of a trailing comma's brace")
                    seps.append(closing_ws if _empty(comma.whitespace_after) else comma.whitespace_after)
                else:
                    seps.append(comma.whitespace_after)
            else:  # the last element without a trailing comma: what follows it closes the brackets
                before.append(cst.SimpleWhitespace(""))
                if is_call:
                    seps.append(element.whitespace_after_arg)
                    element = element.with_changes(whitespace_after_arg=cst.SimpleWhitespace(""))
                else:
                    seps.append(_close_bracket(node).whitespace_before)
            items.append(element.with_changes(comma=cst.MaybeSentinel.DEFAULT))
        return cls(node, opening, items, before, seps, trailing)

    def build(self) -> Any:
        import libcst as cst

        is_call = isinstance(self.node, cst.Call)
        empty = cst.SimpleWhitespace("")
        if not self.items:
            self.trailing_comma = False
        elements = []
        closing = empty
        for index, element in enumerate(self.items):
            last = index == len(self.items) - 1
            if last and not self.trailing_comma:
                closing = self.seps[index]
                if is_call:
                    element = element.with_changes(whitespace_after_arg=closing)
                elements.append(element)
                continue
            after = self.seps[index]
            if last and not is_call:  # ``{..., }``: the brace keeps the whitespace
                closing, after = after, empty
            comma = cst.Comma(whitespace_before=self.comma_before[index], whitespace_after=after)
            elements.append(element.with_changes(comma=comma))
        if is_call:
            return self.node.with_changes(args=elements, whitespace_before_args=self.opening)
        if isinstance(self.node, cst.List):
            return self.node.with_changes(
                elements=elements,
                lbracket=self.node.lbracket.with_changes(whitespace_after=self.opening),
                rbracket=self.node.rbracket.with_changes(whitespace_before=closing),
            )
        return self.node.with_changes(
            elements=elements,
            lbrace=self.node.lbrace.with_changes(whitespace_after=self.opening),
            rbrace=self.node.rbrace.with_changes(whitespace_before=closing),
        )

    def separator_before(self, index: int) -> Any:
        return self.opening if index == 0 else self.seps[index - 1]

    def set_separator_before(self, index: int, value: Any) -> None:
        if index == 0:
            self.opening = value
        else:
            self.seps[index - 1] = value


def _open_bracket(node: Any) -> Any:
    """A dict's ``{`` or a list's ``[`` (libcst names them differently)."""
    import libcst as cst

    return node.lbracket if isinstance(node, cst.List) else node.lbrace


def _close_bracket(node: Any) -> Any:
    import libcst as cst

    return node.rbracket if isinstance(node, cst.List) else node.rbrace


def _empty(whitespace: Any) -> bool:
    import libcst as cst

    return isinstance(whitespace, cst.SimpleWhitespace) and not whitespace.value


def _breaks(whitespace: Any) -> bool:
    import libcst as cst

    return isinstance(whitespace, cst.ParenthesizedWhitespace)


def _line_break(template: Any, keep_first_line: Any | None = None) -> Any:
    """A line break to ``template``'s indentation, without the comment or blank lines it carries
    (those stay where they are); ``keep_first_line`` keeps the end of the current line as it was."""
    import libcst as cst

    first_line = keep_first_line if keep_first_line is not None else cst.TrailingWhitespace()
    return cst.ParenthesizedWhitespace(first_line=first_line, empty_lines=[], indent=template.indent,
                                       last_line=template.last_line)


def _append(layout: Layout, new_items: Sequence[Any]) -> None:
    """Add elements after the last one, laid out as the existing ones are: one per line (the trailing
    comma kept last) when the brackets are broken that way, else inline after ``, ``."""
    import libcst as cst

    if not layout.items:
        for item in new_items:
            if layout.items:
                layout.seps[-1] = cst.SimpleWhitespace(" ")
            layout.items.append(item)
            layout.comma_before.append(cst.SimpleWhitespace(""))
            layout.seps.append(cst.SimpleWhitespace(""))
        return
    count = len(layout.items)
    inner = [layout.separator_before(index) for index in range(count)]  # opening, then between elements
    closing = layout.seps[-1]
    one_per_line = _breaks(closing) and (layout.trailing_comma or any(_breaks(sep) for sep in inner))
    template = next((sep for sep in reversed(inner) if _breaks(sep)), None)
    for item in new_items:
        closing = layout.seps[-1]
        if one_per_line and template is not None:
            layout.seps[-1] = _line_break(template, keep_first_line=closing.first_line)
            after = cst.ParenthesizedWhitespace(first_line=cst.TrailingWhitespace(), empty_lines=closing.empty_lines,
                                                indent=closing.indent, last_line=closing.last_line)
        else:
            between = inner[-1] if len(layout.items) > 1 and not _breaks(inner[-1]) else cst.SimpleWhitespace(" ")
            layout.seps[-1] = between
            after = closing
        layout.items.append(item)
        layout.comma_before.append(cst.SimpleWhitespace(""))
        layout.seps.append(after)
        inner.append(layout.seps[-2])


def _merge(before: Any, after: Any, closes: bool) -> Any:
    """The whitespace left where an element was removed: what preceded it joined with what followed
    it (``closes``: what followed was the closing bracket's). A comment that ended the removed
    element's line stays, on a line of its own."""
    import libcst as cst

    if not _breaks(before):
        return after if _breaks(after) or closes else before
    if not _breaks(after):
        return before
    moved = []
    if after.first_line.comment is not None:
        moved.append(cst.EmptyLine(indent=before.indent, whitespace=before.last_line, comment=after.first_line.comment))
    return cst.ParenthesizedWhitespace(first_line=before.first_line, empty_lines=[*before.empty_lines, *moved, *after.empty_lines],
                                       indent=after.indent, last_line=after.last_line)


def _has_comment(whitespace: Any) -> bool:
    if not _breaks(whitespace):
        return False
    return whitespace.first_line.comment is not None or any(line.comment is not None for line in whitespace.empty_lines)


def _remove(layout: Layout, index: int) -> None:
    import libcst as cst

    closes = index == len(layout.items) - 1
    merged = _merge(layout.separator_before(index), layout.seps[index], closes)
    layout.set_separator_before(index, merged)
    del layout.items[index], layout.comma_before[index], layout.seps[index]
    if not layout.items and not _has_comment(layout.opening):
        layout.opening = cst.SimpleWhitespace("")


def _layout(node: Any) -> Layout | None:
    """The node's layout, when rebuilding it unchanged gives back the very same node (else a
    whitespace shape this module does not know: leave the edit to the text path)."""
    try:
        layout = Layout.of(node)
    except ValueError:
        return None
    return layout if Layout.of(node).build().deep_equals(node) else None


# -- from a changed node to one text edit --------------------------------------------------------
def _edit(parsed: ParsedModule, old: Any, new: Any, anchors: Sequence[int]) -> Edit | None:
    span = parsed.spans.get(id(old))
    if span is None:
        return None
    code = parsed.code
    rendered = parsed.module.deep_replace(old, new).code
    tail = len(code) - span.end
    if rendered[: span.start] != code[: span.start] or rendered[len(rendered) - tail :] != code[span.end :]:
        return None
    before, after = code[span.start : span.end], rendered[span.start : len(rendered) - tail]
    edit = minimal_edit(code, span.start, before, after, anchors)
    if edit is None:
        return None
    # edits are written with "\n"; the fix engine puts the file's own line ending back
    return Edit(edit.start, edit.end, edit.content.replace("\r\n", "\n"))


def minimal_edit(code: str, offset: int, before: str, after: str, anchors: Sequence[int] = ()) -> Edit | None:
    """The smallest edit turning ``before`` (at ``offset`` in ``code``) into ``after``.

    A pure insertion or deletion can often slide (inserting ``x=1,\\n`` before a line that starts
    like it ends): it goes to the first of ``anchors`` it can reach, else to the start of a line
    when it is whole lines, else stays where the common prefix ends, so edits land where a person
    would put them (and where the historic text edits did).
    """
    plain = Edit.between(before, after, offset)
    if plain is None:
        return None
    start, end, content = plain.start, plain.end, plain.content
    if start != end and content:
        return plain
    # every equivalent place, from the rightmost leftwards: (start, end, content)
    places = [(start, end, content)]
    while True:
        s, e, c = places[-1]
        if s == 0:
            break
        if c and code[s - 1] == c[-1]:  # insertion: the text before it is its last character
            places.append((s - 1, s - 1, c[-1] + c[:-1]))
        elif not c and code[s - 1] == code[e - 1]:  # deletion: the text before it ends it too
            places.append((s - 1, e - 1, ""))
        else:
            break
    for anchor in anchors:
        for place in places:
            if place[0] == anchor:
                return Edit(*place)
    for s, e, c in places:
        whole_lines = (c or code[s:e]).endswith("\n")
        if whole_lines and (s == 0 or code[s - 1] in "\r\n"):
            return Edit(s, e, c)
    return Edit(start, end, content)


# -- the two operations the kit offers -------------------------------------------------------------
def insert_elements(source: Source, span: Span, entries: Sequence[str], form: str) -> Edit | None:
    """Add entries (``name=value`` for call keywords, ``'name': value`` for a dict) after the last
    element of the Call/Dict written over ``span``."""
    import libcst as cst

    snippet = source.text[span.start : span.end]
    parsed = parse(snippet)
    if parsed is None:
        return None
    node = container_at(parsed, Span(0, len(snippet)))
    if node is None or isinstance(node, cst.Call) != (form == "kwargs"):
        return None
    try:
        if form == "kwargs":
            new_items = [cst.parse_expression(f"f({entry})").args[0] for entry in entries]
        else:
            new_items = [cst.parse_expression("{" + entry + "}").elements[0] for entry in entries]
    except cst.ParserSyntaxError:
        return None
    return _appended(parsed, node, new_items, span.start)


def _appended(parsed: ParsedModule, container: Any, new_items: Sequence[Any], offset: int) -> Edit | None:
    """The edit adding ``new_items`` after the last element of ``container`` in its layout
    (``offset``: where the parsed snippet starts in the file)."""
    old = elements_of(container)
    anchors = [parsed.spans[id(old[-1])].end] if old else []
    layout = _layout(container)
    if layout is None:
        return None
    _append(layout, new_items)
    return _shifted(_edit(parsed, container, layout.build(), anchors), offset)


@dataclass
class _ElementAt:
    """The argument or dict entry starting at a file offset, inside its parsed call/dict snippet."""

    around: Span  # the snippet's span in the file
    parsed: ParsedModule
    at: int  # the element's start within the snippet
    element: Any
    container: Any


def _element_at(source: Source, start: int) -> _ElementAt | None:
    around = enclosing_container(source.text, start)
    if around is None:
        return None
    parsed = parse(source.text[around.start : around.end])
    at = start - around.start
    if parsed is None or at not in parsed.elements:
        return None
    element, container = parsed.elements[at]
    return _ElementAt(around, parsed, at, element, container)


def remove_element(source: Source, start: int) -> Edit | None:
    """Remove the argument or dict entry that starts at ``start`` (its separating comma with it)."""
    found = _element_at(source, start)
    if found is None:
        return None
    old = elements_of(found.container)
    index = next(i for i, item in enumerate(old) if item is found.element)
    line_start = source.text.rfind("\n", 0, start) + 1
    anchors = [line_start - found.around.start, found.at]  # its whole line, itself, its comma before
    if index:
        anchors.append(found.parsed.spans[id(old[index - 1])].end)
    layout = _layout(found.container)
    if layout is None:
        return None
    _remove(layout, index)
    return _shifted(_edit(found.parsed, found.container, layout.build(), anchors), found.around.start)


def _shifted(edit: Edit | None, offset: int) -> Edit | None:
    """An edit made in a snippet, moved to where the snippet sits in the file."""
    if edit is None:
        return None
    return Edit(edit.start + offset, edit.end + offset, edit.content)


# -- list literals: origin lists edited entry by entry ---------------------------------------------
def _insert_after(layout: Layout, index: int, new_items: Sequence[Any]) -> None:
    """Add elements right after element ``index``, each on a line of its own when the element after
    it starts one (the comment ending ``index``'s line stays there), else inline as they are."""
    import libcst as cst

    if index >= len(layout.items) - 1:
        _append(layout, new_items)
        return
    for offset, item in enumerate(new_items):
        at = index + 1 + offset
        between = layout.seps[at - 1]
        after = between
        if _breaks(between):  # the comment ending the line before stays; comment lines stay above the next
            layout.seps[at - 1] = _line_break(between, keep_first_line=between.first_line)
            after = cst.ParenthesizedWhitespace(first_line=cst.TrailingWhitespace(), empty_lines=between.empty_lines,
                                                indent=between.indent, last_line=between.last_line)
        layout.items.insert(at, item)
        layout.comma_before.insert(at, cst.SimpleWhitespace(""))
        layout.seps.insert(at, after)


def edit_list(source: Source, span: Span, replace: dict[int, Sequence[str]], append: Sequence[str]) -> Edit | None:
    """Change the list literal written over ``span`` element by element: ``replace[i]`` is the code
    of the element(s) taking element ``i``'s place (none: it is removed), ``append`` the code of
    elements added at the end. Line breaks, indentation, trailing comma and comments are kept; new
    elements follow their neighbours' layout. None when the text is not a list libcst can edit."""
    import libcst as cst

    snippet = source.text[span.start : span.end]
    node = _list_at(snippet)
    if node is None or any(isinstance(e, cst.StarredElement) for e in node.elements):
        return None
    try:
        codes = {index: [cst.Element(cst.parse_expression(code)) for code in codes] for index, codes in replace.items()}
        added = [cst.Element(cst.parse_expression(code)) for code in append]
    except cst.ParserSyntaxError:
        return None
    try:
        layout = Layout.of(node)
    except ValueError:
        return None
    if not Layout.of(node).build().deep_equals(node):
        return None
    for index in sorted(codes, reverse=True):  # from the end: earlier indexes stay valid
        if index >= len(layout.items):
            return None
        new = codes[index]
        if not new:
            _remove(layout, index)
            continue
        layout.items[index] = new[0]
        _insert_after(layout, index, new[1:])
    if added:
        _append(layout, added)
    rendered = cst.Module(body=[]).code_for_node(layout.build())
    edit = minimal_edit(source.text, span.start, snippet, rendered)
    if edit is None:
        return None
    return Edit(edit.start, edit.end, edit.content.replace("\r\n", "\n"))


def _list_at(snippet: str) -> Any | None:
    """The list literal a snippet is (its only statement), else None."""
    import libcst as cst

    parsed = parse(snippet)
    if parsed is None:
        return None
    body = parsed.module.body
    if len(body) != 1 or not isinstance(body[0], cst.SimpleStatementLine) or len(body[0].body) != 1:
        return None
    statement = body[0].body[0]
    node = statement.value if isinstance(statement, cst.Expr) else None
    return node if isinstance(node, cst.List) else None


def list_values(source: Source, span: Span) -> list[Any] | None:
    """The elements of the list literal written over ``span``: a string's value, None for anything
    else (a name, a compiled regex, ``*rest``); None when it is not a list literal."""
    import libcst as cst

    node = _list_at(source.text[span.start : span.end])
    if node is None:
        return None
    values: list[Any] = []
    for element in node.elements:
        value = element.value if isinstance(element, cst.Element) else None
        text = value.evaluated_value if isinstance(value, cst.SimpleString) else None
        values.append(text if isinstance(text, str) else None)
    return values


@lru_cache(maxsize=CACHED_MODULES)
def _located(code: str) -> tuple[Any, Any] | None:
    """``code``'s standard ``ast`` tree (fast, and what the extractor's spans are made of: the one the
    check just parsed when there is one) and its positions; None when ``ast`` cannot parse it."""
    import ast

    from authlint.facts.python.positions import Positions
    from authlint.syntax.python import recent_tree

    tree = recent_tree(code)
    if tree is None:
        try:
            tree = ast.parse(code)
        except (SyntaxError, ValueError, RecursionError, MemoryError):
            return None
    return tree, Positions(Source.from_text(code))


def enclosing_container(code: str, start: int) -> Span | None:
    """The innermost call or dict literal that holds an element starting at ``start``.

    Only the statements whose lines (decorators included) hold ``start`` are searched, down to the
    innermost one: a call or dict lies inside its statement's lines, and walking a whole large
    module for each fix cost more than checking it."""
    import ast
    from bisect import bisect_right

    located = _located(code)
    if located is None:
        return None
    tree, positions = located
    line = bisect_right(positions.starts, start)  # 1-based line of ``start``
    holding: list[Span] = []
    pending: list[Any] = [tree]
    while pending:
        node = pending.pop()
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.stmt):
                first = min([child.lineno] + [d.lineno for d in getattr(child, "decorator_list", ())])
                if first <= line <= (child.end_lineno or child.lineno):
                    pending.append(child)  # a statement holding the line: searched further down
                continue
            for inner in ast.walk(child):  # the statement's own expressions (not its body's statements)
                if isinstance(inner, (ast.Call, ast.Dict)):
                    span = positions.span(inner)
                    if span.start < start < span.end:
                        holding.append(span)
    return min(holding, key=lambda span: span.end - span.start, default=None)


def sibling_setting(statement: str, like: str, name: str, value_code: str) -> str | None:
    """``statement`` (an assignment to ``like``: a name, or a subscript by the string ``like``) with
    its target renamed to ``name`` and its value replaced by ``value_code``; None for anything else."""
    import libcst as cst

    try:
        line = cst.parse_statement(statement)
        value = cst.parse_expression(value_code)
    except cst.ParserSyntaxError:
        return None
    if not isinstance(line, cst.SimpleStatementLine) or len(line.body) != 1 or not isinstance(line.body[0], cst.Assign):
        return None
    assign = line.body[0]
    if len(assign.targets) != 1:
        return None
    target = assign.targets[0].target
    if isinstance(target, cst.Name) and target.value == like:
        renamed: Any = target.with_changes(value=name)
    elif isinstance(target, cst.Subscript) and len(target.slice) == 1:
        index = target.slice[0].slice
        key = index.value if isinstance(index, cst.Index) else None
        if not isinstance(key, cst.SimpleString) or key.evaluated_value != like:
            return None
        quote = key.quote
        new_key = key.with_changes(value=key.prefix + quote + name + quote)
        renamed = target.with_changes(slice=[target.slice[0].with_changes(slice=index.with_changes(value=new_key))])
    else:
        return None
    new = assign.with_changes(targets=[assign.targets[0].with_changes(target=renamed)], value=value)
    return cst.Module(body=[]).code_for_node(new)


def sibling_element(source: Source, start: int, like: str, name: str, value_code: str) -> Edit | None:
    """Add the setting ``name`` with ``value_code`` to the call or dict holding the element at
    ``start`` (the keyword ``like=...`` or the entry ``'like': ...``), written as that element is
    (a keyword, or an entry keyed in its quote) after the last element, in the container's layout.
    None when the element at ``start`` is not such a keyword or string-keyed entry."""
    import libcst as cst

    found = _element_at(source, start)
    if found is None:
        return None
    element = found.element
    try:
        value = cst.parse_expression(value_code)
    except cst.ParserSyntaxError:
        return None
    if isinstance(element, cst.Arg) and element.keyword is not None and element.keyword.value == like:
        new: Any = cst.Arg(keyword=cst.Name(name), value=value, equal=element.equal)
    elif isinstance(element, cst.DictElement) and isinstance(element.key, cst.SimpleString) \
            and element.key.evaluated_value == like:
        key = element.key
        new = cst.DictElement(key=key.with_changes(value=key.prefix + key.quote + name + key.quote), value=value,
                              whitespace_before_colon=element.whitespace_before_colon,
                              whitespace_after_colon=element.whitespace_after_colon)
    else:
        return None
    return _appended(found.parsed, found.container, [new], found.around.start)
