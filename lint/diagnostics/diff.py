"""A fix shown as a unified diff that ``patch -p1`` applies, run from the root its paths are
relative to.

The diff is GNU diff's: lines end where ``\\n`` ends them (a ``\\r`` before it stays on the line,
a form feed or lone ``\\r`` inside it splits nothing), a side that ends without a newline gets
``\\ No newline at end of file``, and a UTF-8 byte-order mark stays on the first line.

Only secret values are masked (``mask.Masker``): an old line by the old file's secret spans, a
new line by the new file's (the old spans carried through the fix's edits, plus the secret values
an inserted text holds: ``fix.carried_spans``). A line that holds none is printed exactly as it is,
so a hunk of ordinary code applies as printed; a hunk that masks a secret will not apply, by design.
"""

from __future__ import annotations

import codecs
from difflib import SequenceMatcher

from authlint.diagnostics.mask import Masker
from authlint.files.source import Source

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


def _masked_lines(source: Source) -> tuple[list[str], list[str]]:
    """The diff lines of ``source`` and the same lines as printed (secret spans masked)."""
    text = _text(source)
    lines = diff_lines(text)
    masker = Masker.of(source)
    if not masker.spans:
        return lines, lines
    shift = len(text) - len(source.text)  # a byte-order mark before the text
    shown, offset = [], 0
    for line in lines:
        start, end = max(offset - shift, 0), offset + len(line) - shift
        shown.append(text[offset : start + shift] + masker.text(start, end))
        offset += len(line)
    return lines, shown


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
    old, old_shown = _masked_lines(before)
    new, new_shown = _masked_lines(after)
    out: list[str] = []
    for group in SequenceMatcher(None, old, new).get_grouped_opcodes(3):
        if not out:
            out += [f"--- a/{before.relpath}\n", f"+++ b/{before.relpath}\n"]
        first, last = group[0], group[-1]
        out.append(f"@@ -{_range(first[1], last[2])} +{_range(first[3], last[4])} @@\n")
        for tag, i1, i2, j1, j2 in group:
            if tag == "equal":
                out += [_line(" ", line) for line in old_shown[i1:i2]]
                continue
            if tag in ("replace", "delete"):
                out += [_line("-", line) for line in old_shown[i1:i2]]
            if tag in ("replace", "insert"):
                out += [_line("+", line) for line in new_shown[j1:j2]]
    return "".join(out)


def _line(mark: str, line: str) -> str:
    return mark + line if line.endswith("\n") else mark + line + "\n" + NO_NEWLINE
