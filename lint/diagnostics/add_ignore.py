"""``check --add-ignore``: an ``authlint: ignore[CODE]`` comment on every current finding (ruff's
``--add-noqa``), so a repository adopts authlint with today's findings written down where they are.

Each comment goes at the end of the finding's line in the comment syntax of its file (``#``, or
``//`` in JavaScript/TypeScript), joined to a suppression already there. A line whose end lies
inside a string (a Python triple-quoted string, a template literal, a YAML block scalar), after a
line continuation, or in JSX text cannot take a comment without changing the program: such
findings are listed as skipped, never edited. Files that hold no comments (JSON, JWTs, creds) are
skipped the same way.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from authlint.diagnostics.diagnostic import Diagnostic, Edit
from authlint.diagnostics.suppress import scan
from authlint.files import kinds
from authlint.files.source import Source

HASH = "#"
SLASHES = "//"
MARKERS = {
    kinds.PYTHON: HASH, kinds.YAML: HASH, kinds.NATSCONF: HASH, kinds.NGINX: HASH, kinds.HOCON: HASH,
    kinds.DOTENV: HASH, kinds.DOCKERFILE: HASH, kinds.JAVASCRIPT: SLASHES, kinds.TYPESCRIPT: SLASHES,
}
# files authlint reads versions from (their findings sit on dependency lines)
HASH_NAMES = (".txt", ".in", ".toml", ".cfg", ".tool-versions")


@dataclass
class Planned:
    """The edits per file, and the findings that could not take a comment (with why)."""

    edits: dict[str, tuple[Source, list[Edit]]] = field(default_factory=dict)
    skipped: list[tuple[Diagnostic, str]] = field(default_factory=list)
    added: int = 0  # codes written


def marker_for(source: Source) -> str | None:
    marker = MARKERS.get(source.kind)
    if marker is not None:
        return marker
    name = source.relpath.rsplit("/", 1)[-1].lower()
    if name == "go.mod":
        return SLASHES
    if name.endswith(HASH_NAMES) or name.startswith("dockerfile"):
        return HASH
    return None


def plan(diagnostics: list[Diagnostic]) -> Planned:
    planned = Planned()
    by_line: dict[tuple[str, int], list[Diagnostic]] = defaultdict(list)
    sources: dict[str, Source] = {}
    for diagnostic in diagnostics:
        if diagnostic.code == "E003":
            planned.skipped.append((diagnostic, "a suppression that covers nothing: remove it (`authlint fix --apply`)"))
            continue
        if not diagnostic.source.text:
            planned.skipped.append((diagnostic, "the file was not read (it has no line to comment)"))
            continue
        sources.setdefault(diagnostic.path, diagnostic.source)
        by_line[(diagnostic.path, diagnostic.start[0])].append(diagnostic)
    for (relpath, line), found in sorted(by_line.items()):
        source = sources[relpath]
        marker = marker_for(source)
        reason = "this kind of file holds no comments" if marker is None else blocked(source, line)
        if reason:
            planned.skipped.extend((diagnostic, reason) for diagnostic in found)
            continue
        edit, count = _comment(source, line, sorted({d.code for d in found}), marker)
        if edit is not None:
            planned.edits.setdefault(relpath, (source, []))[1].append(edit)
            planned.added += count
    return planned


def _comment(source: Source, line: int, codes: list[str], marker: str) -> tuple[Edit | None, int]:
    """The edit that makes line ``line`` suppress ``codes``: the codes added to a suppression
    already on the line, or a new comment at its end."""
    for directive in scan(source).directives:
        if directive.whole_file or directive.line != line:
            continue
        missing = [code for code in codes if not any(code.startswith(entry) or entry == "*" for entry in directive.codes)]
        if not missing:
            return None, 0
        if directive.codes_span is None:
            continue  # a bare directive covers every code already (handled above)
        inside = source.text[directive.codes_span.start : directive.codes_span.end].strip()
        return Edit.replace(directive.codes_span, ", ".join([inside, *missing]) if inside else ", ".join(missing)), len(missing)
    end = source.line_starts[line - 1] + len(source.line_text(line))
    return Edit.insert(end, f"  {marker} authlint: ignore[{', '.join(codes)}]"), len(codes)


def blocked(source: Source, line: int) -> str | None:
    """Why the end of ``line`` cannot take a comment, or None when it can."""
    text = source.line_text(line)
    if text.rstrip().endswith("\\"):
        return "the line continues on the next one (a comment would end it)"
    end = source.line_starts[line - 1] + len(text)
    try:
        if source.kind == kinds.PYTHON:
            return _python(source, line)
        if source.kind in (kinds.JAVASCRIPT, kinds.TYPESCRIPT):
            return _javascript(source, end)
        if source.kind == kinds.YAML:
            return _yaml(source, end)
    except Exception:  # noqa: BLE001 - a file that does not tokenize or parse: leave it alone
        return "the file does not parse, so where a comment may go is not known"
    return None


def _python(source: Source, line: int) -> str | None:
    import io
    import tokenize

    for token in tokenize.generate_tokens(io.StringIO(source.text).readline):
        if token.start[0] > line:
            break
        if token.start[0] <= line < token.end[0] and token.type not in (tokenize.NL, tokenize.NEWLINE):
            return "the line ends inside a multi-line string"
    return None


def _javascript(source: Source, end: int) -> str | None:
    from authlint.syntax.javascript import dialect_for, embedded, parse_bytes

    if embedded(source):
        return None  # a component's script block: `//` comments hold there
    data = source.text.encode("utf-8")
    at = len(source.text[:end].encode("utf-8"))
    node = parse_bytes(data, dialect_for(source)).root_node.descendant_for_byte_range(max(at - 1, 0), at)
    while node is not None:
        if node.type in ("template_string", "string", "jsx_text", "jsx_element", "jsx_fragment", "regex"):
            if node.start_point[0] < node.end_point[0] or node.type.startswith("jsx"):
                return "the line ends inside a template literal, string or JSX"
        node = node.parent
    return None


def _yaml(source: Source, end: int) -> str | None:
    import yaml

    for document in yaml.compose_all(source.text, Loader=yaml.SafeLoader):
        stack = [document] if document is not None else []
        while stack:
            node = stack.pop()
            if isinstance(node, yaml.ScalarNode):
                if node.start_mark.line < node.end_mark.line and node.start_mark.index <= end < node.end_mark.index:
                    return "the line ends inside a multi-line YAML value (a comment would become its text)"
            elif isinstance(node, yaml.MappingNode):
                stack.extend(part for pair in node.value for part in pair)
            elif isinstance(node, yaml.SequenceNode):
                stack.extend(node.value)
    return None


def apply(planned: Planned) -> list[str]:
    """Write each file's comments atomically (encoding, BOM, line endings and mode kept)."""
    from authlint.diagnostics.fix import write_atomic

    written = []
    for relpath, (source, edits) in sorted(planned.edits.items()):
        text = source.text
        for edit in sorted(edits, key=lambda e: (e.start, e.end), reverse=True):
            text = text[: edit.start] + edit.content + text[edit.end :]
        write_atomic(source.path, source.encode(text))
        written.append(relpath)
    return written
