"""A fix shown as a unified diff that ``patch -p1`` applies, run from the root its paths are
relative to.

The diff is GNU diff's: lines end where ``\\n`` ends them (a ``\\r`` before it stays on the line,
a form feed or lone ``\\r`` inside it splits nothing), a side that ends without a newline gets
``\\ No newline at end of file``, and a UTF-8 byte-order mark stays on the first line.

Only secret values are masked, so a hunk of ordinary code applies as printed: the secrets the
file's diagnostics declare (``Diagnostic.secrets``), the values the JWT, nkey-seed and
URL-credential detectors recognise on their own, and in config formats (NATS, YAML, env) the value
of a ``password``/``token``-named setting, which the format's grammar makes a literal
(``redact.scrub_secret_values``). In code, a name says nothing about the expression after it
(``TOKEN_TTL = timedelta(...)``), so no name-based guess runs there. A line that holds none of
them is printed exactly as it is; a hunk that masks one will not apply, by design.
"""

from __future__ import annotations

import codecs
import difflib
from typing import Iterable

from authlint.diagnostics.redact import scrub_secret_values
from authlint.files.kinds import CODE_KINDS
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


def unified_diff(before: Source, after: Source, secrets: Iterable[str] = ()) -> str:
    """The fix as a unified diff, headed ``a/<relpath>`` / ``b/<relpath>``; secret values masked."""
    known = tuple(secrets)
    code = before.kind in CODE_KINDS
    lines = difflib.unified_diff(
        diff_lines(_text(before)),
        diff_lines(_text(after)),
        fromfile=f"a/{before.relpath}",
        tofile=f"b/{before.relpath}",
    )
    out = []
    for line in lines:
        if line.startswith(("--- ", "+++ ", "@@ ")):
            out.append(line if line.endswith("\n") else line + "\n")
            continue
        body = line[:1] + scrub_secret_values(line[1:], known, code=code)
        if body.endswith("\n"):
            out.append(body)
        else:
            out.append(body + "\n" + NO_NEWLINE)
    return "".join(out)
