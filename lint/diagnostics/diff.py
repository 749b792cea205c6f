"""A fix shown as a unified diff, with secrets on removed and context lines redacted."""

from __future__ import annotations

from authlint.diagnostics.redact import scrub_line
from authlint.files.kinds import CODE_KINDS
from authlint.files.source import Source


def unified_diff(before: Source, after: Source, secrets: tuple[str, ...]) -> str:
    """The fix as a unified diff, with secrets on removed/context lines redacted."""
    import difflib

    code = before.kind in CODE_KINDS
    lines = difflib.unified_diff(
        before.text.splitlines(keepends=True),
        after.text.splitlines(keepends=True),
        fromfile=f"a/{before.relpath}",
        tofile=f"b/{before.relpath}",
    )
    out = []
    for line in lines:
        body = line.rstrip("\r\n")
        if not line.startswith(("---", "+++", "@@")):
            body = body[:1] + scrub_line(body[1:], secrets, code=code)
        out.append(body + "\n")
    return "".join(out)
