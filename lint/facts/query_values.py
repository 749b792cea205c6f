"""The value of a credential written into a URL's query string, for the Python and JS extractors
alike: a lone placeholder (``{token}`` in an f-string, ``${token}`` in a JS template) names the
expression that carries it; a plain literal value is itself. Anything else (several placeholders,
escapes, ``%``-encoding) cannot be moved into an ``auth`` payload as written, so it has none."""

from __future__ import annotations

from authlint.facts.model import Expr
from authlint.files.source import Span


def query_value(text: str, start: int, end: int, base: int, placeholder: str | None, forbidden: str) -> Expr | None:
    """The value at ``text[start:end]`` (``base``: where ``text`` starts in the file).

    ``placeholder`` opens an interpolation in this kind of literal (``"{"``, ``"${"``; None for a
    plain string); a literal value containing any of ``forbidden`` is not taken as written.
    """
    raw = text[start:end]
    if placeholder and raw.startswith(placeholder) and raw.endswith("}") and raw.count(placeholder) == 1:
        inner = raw[len(placeholder) : -1]
        lead = len(inner) - len(inner.lstrip())
        code = inner.strip()
        at = base + start + len(placeholder) + lead
        return Expr(span=Span(at, at + len(code)), text=code)
    if raw and not any(c in raw for c in forbidden):
        return Expr(span=Span(base + start, base + end), text=raw, value=raw)
    return None
