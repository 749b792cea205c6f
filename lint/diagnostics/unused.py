"""E003: the suppression comments that suppressed nothing, and the edits that remove them.

The engine records, while it applies suppressions (``Linter.finalize``), which entries of which
directive covered a finding; every directive of every file read is then judged here. An entry is
judged only when the rules it names ran (``judged``): a code left out by the selection, or a
cross-file rule's code in a run over named files, could have had a finding this run did not look
for.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from authlint.diagnostics.comments import in_comment
from authlint.diagnostics.diagnostic import Diagnostic, Edit, Fix
from authlint.diagnostics.suppress import Directive, scan
from authlint.files.source import Source, Span


def unused_directives(
    sources: Iterable[Source],
    used: dict[tuple[str, int], set[str]],
    known: Callable[[str], bool],
    judged: Callable[[str], bool],
    report: Callable[[Source, Span, str, str, str, Fix | None], Diagnostic],
) -> list[Diagnostic]:
    """E003 findings for the directives of ``sources``. ``used[(relpath, start)]`` holds the
    entries of the directive starting there that covered a finding; ``known(entry)`` whether a
    rule code starts with it; ``judged(entry)`` whether the rules it names all ran;
    ``report(source, span, kind, written, codes, fix)`` makes the diagnostic (kind: "unused" or
    "unknown")."""
    found: list[Diagnostic] = []
    for source in sources:
        for directive in scan(source).directives:
            if directive.whole_file is False and directive.codes == frozenset({"*"}) and not judged("*"):
                continue
            entries = sorted(directive.codes)
            hits = used.get((source.relpath, directive.span.start), set())
            unknown = [code for code in entries if code != "*" and not known(code)]
            unused = [code for code in entries if code not in hits and code not in unknown and judged(code)]
            if not unknown and not unused:
                continue
            comment = in_comment(source, directive.span.start)
            if comment is False:
                continue  # the text sits in a string: not a suppression anyone wrote as one
            written = source.text[directive.span.start : directive.span.end]
            kept = [code for code in _written_codes(source, directive) if code.upper() not in unknown + unused]
            fix = _removal(source, directive, kept, safe=comment is True)
            if unknown:
                found.append(report(source, directive.span, "unknown", written, ", ".join(unknown), fix))
                fix = None  # one fix per directive: the first finding carries it
            if unused:
                codes = "" if unused == ["*"] else ", ".join(unused)
                found.append(report(source, directive.span, "unused", written, codes, fix))
    return found


def _written_codes(source: Source, directive: Directive) -> list[str]:
    if directive.codes_span is None:
        return []
    inside = source.text[directive.codes_span.start : directive.codes_span.end]
    return [code.strip() for code in inside.split(",") if code.strip()]


def _removal(source: Source, directive: Directive, kept: list[str], safe: bool) -> Fix:
    """Drop the unused entries (``kept`` stay, as written), or the whole directive: its line when
    it stands alone, else the comment from the space before it; text after it in the same
    comment keeps its comment marker."""
    make = Fix.safe if safe else Fix.unsafe
    if kept and directive.codes_span is not None:
        return make("Remove the unused codes", Edit.replace(directive.codes_span, ", ".join(kept)))
    text = source.text
    line_start = source.line_starts[directive.line - 1]
    line_end = text.find("\n", directive.span.end)
    line_end = len(text) if line_end == -1 else line_end
    end = directive.span.end
    rest = text[end:line_end].rstrip("\r")
    closing = {"/*": "*/", "<!--": "-->"}.get(directive.marker)
    closed = bool(closing) and rest.lstrip().startswith(closing)
    if closed:  # `/* authlint: ignore */`: the comment ends here, its closing goes with it
        end += rest.index(closing) + len(closing)
        rest = text[end:line_end].rstrip("\r")
    elif rest.strip():  # `# authlint: ignore[X] see ticket 12` -> `# see ticket 12`
        spaces = len(rest) - len(rest.lstrip(" \t"))
        return make("Remove the unused suppression", Edit.replace(Span(directive.span.start, end + spaces),
                                                                   directive.marker + " "))
    if directive.own_line and not rest.strip():  # the comment is the whole line
        return make("Remove the unused suppression", Edit.delete(Span(line_start, min(line_end + 1, len(text)))))
    start = directive.span.start
    while start > line_start and text[start - 1] in " \t":
        start -= 1
    return make("Remove the unused suppression", Edit.delete(Span(start, end)))
