"""A fix shown as a unified diff that ``patch -p1`` applies, run from the root its paths are
relative to.

The diff is GNU diff's: lines end where ``\\n`` ends them (a ``\\r`` before it stays on the line,
a form feed or lone ``\\r`` inside it splits nothing), a side that ends without a newline gets
``\\ No newline at end of file``, and a UTF-8 byte-order mark stays on the first line.

Only secret values are masked (``mask.Masker``): an old line by the old file's secret spans, a
new line by the new file's (the old spans carried through the fix's edits, plus the secret values
an inserted text holds: ``fix.carried_spans``). A line that holds none is printed exactly as it is,
so a hunk of ordinary code applies as printed; a hunk that masks a secret will not apply, by design.
Where a changed line keeps characters of the other side, a secret on either side is masked on
both (a fix renaming ``tokn: "abc"`` to ``token: "abc"`` makes ``abc`` a secret: the old line
hides it too).
"""

from __future__ import annotations

import codecs
from difflib import SequenceMatcher

from authlint.diagnostics.mask import Masker, spans_of
from authlint.facts.secrets import merged
from authlint.files.source import Source, Span

NO_NEWLINE = "\\ No newline at end of file\n"


def diff_lines(text: str) -> list[str]:
    """``text`` cut into lines as diff and patch see them: after each ``\\n`` and nowhere else."""
    lines = text.split("\n")
    last = lines.pop()
    out = [line + "\n" for line in lines]
    if last:
        out.append(last)  # the final line, without its newline
    return out


def _text(source: Source) -> str:
    """The file's text as its bytes start: a UTF-8 byte-order mark is part of the first line."""
    return ("\ufeff" if source.bom == codecs.BOM_UTF8 else "") + source.text


def _starts(lines: list[str]) -> list[int]:
    """Where each line starts, and the text's end."""
    starts = [0]
    for line in lines:
        starts.append(starts[-1] + len(line))
    return starts


def _spans(source: Source, text: str) -> list[Span]:
    """The source's secret spans as offsets of ``text`` (its text after a byte-order mark)."""
    shift = len(text) - len(source.text)
    return [Span(s.start + shift, s.end + shift) for s in spans_of(source)]


def _through(spans: list[Span], start: int, to: int, size: int) -> list[Span]:
    """The ``spans`` lying whole inside the shared run ``[start, start + size)``, with a character of
    it on either side at least, moved to start at ``to``: a secret a changed line keeps unchanged
    is secret on both sides. (Runs a replaced secret shares by chance with its bcrypt hash are
    single characters: they take no mask.)"""
    return [Span(s.start - start + to, s.end - start + to)
            for s in spans if start < s.start and s.end < start + size]


def _range(start: int, stop: int) -> str:
    """A hunk's line range, as ``difflib.unified_diff`` (and GNU diff) write it."""
    beginning, length = start + 1, stop - start
    if length == 1:
        return f"{beginning}"
    if not length:
        beginning -= 1
    return f"{beginning},{length}"


def unified_diff(before: Source, after: Source) -> str:
    """The fix as a unified diff, headed ``a/<relpath>`` / ``b/<relpath>``; secret values masked."""
    old_text, new_text = _text(before), _text(after)
    old, new = diff_lines(old_text), diff_lines(new_text)
    old_at, new_at = _starts(old), _starts(new)
    old_spans, new_spans = _spans(before, old_text), _spans(after, new_text)
    groups = list(SequenceMatcher(None, old, new).get_grouped_opcodes(3))
    for group in groups:  # a changed line: what is secret on one side is on the other where unchanged
        for tag, i1, i2, j1, j2 in group:
            if tag != "replace" or not (old_spans or new_spans):
                continue
            a0, b0 = old_at[i1], new_at[j1]
            chars = SequenceMatcher(None, old_text[a0 : old_at[i2]], new_text[b0 : new_at[j2]], autojunk=False)
            for a, b, size in chars.get_matching_blocks():
                if size:
                    old_spans += _through(new_spans, b0 + b, a0 + a, size)
                    new_spans += _through(old_spans, a0 + a, b0 + b, size)
    old_masker, new_masker = Masker(old_text, merged(old_spans)), Masker(new_text, merged(new_spans))
    out: list[str] = []
    for group in groups:
        if not out:
            out += [f"--- a/{before.relpath}\n", f"+++ b/{before.relpath}\n"]
        first, last = group[0], group[-1]
        out.append(f"@@ -{_range(first[1], last[2])} +{_range(first[3], last[4])} @@\n")
        for tag, i1, i2, j1, j2 in group:
            if tag == "equal":
                out += [_line(" ", old_masker.text(old_at[i], old_at[i + 1])) for i in range(i1, i2)]
                continue
            if tag in ("replace", "delete"):
                out += [_line("-", old_masker.text(old_at[i], old_at[i + 1])) for i in range(i1, i2)]
            if tag in ("replace", "insert"):
                out += [_line("+", new_masker.text(new_at[j], new_at[j + 1])) for j in range(j1, j2)]
    return "".join(out)


def _line(mark: str, line: str) -> str:
    return mark + line if line.endswith("\n") else mark + line + "\n" + NO_NEWLINE
