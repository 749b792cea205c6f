"""Where a file's secret values are: the character spans every output masks, and nothing else.

Redaction works from spans, not from guesses over printed lines: the extractors know which literal
is a signing key, a NATS password or token, an nkey seed, a URL credential, a cookie value, and
say so through a finder per file kind (``FINDERS``). A small documented pattern set
(``patterns.pattern_spans``: JWTs, PEM private-key bodies, nkey seeds, URL passwords) covers text
no extractor understood, in every kind of file, even one that does not parse.

The engine computes the spans of every file that has something to show or to join
(``Linter.check_one``), stores them on ``Source.secret_spans`` and carries them in the pool's and
the cache's payload (offsets only, never the characters).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Callable, Iterable

from authlint.facts.extract import extractor
from authlint.facts.secrets.lines import named_values
from authlint.facts.secrets.patterns import pattern_spans
from authlint.files.kinds import CODE_KINDS
from authlint.files.source import Span
from authlint.syntax.errors import ParseError

if TYPE_CHECKING:
    from authlint.run.context import FileContext

# kind -> "module:function"s; each takes a FileContext and returns the spans of secret values it knows.
FINDERS: dict[str, tuple[str, ...]] = {
    "python": ("authlint.facts.secrets.python:find", "authlint.facts.secrets.fallbacks:find"),
    "javascript": ("authlint.facts.secrets.javascript:find", "authlint.facts.secrets.fallbacks:find"),
    "typescript": ("authlint.facts.secrets.javascript:find", "authlint.facts.secrets.fallbacks:find"),
    "natsconf": ("authlint.facts.secrets.natsconf:find",),
    "yaml": ("authlint.facts.secrets.yaml:find", "authlint.facts.launches:secret_spans",
             "authlint.facts.yaml.natsconf_embedded:find"),
    "creds": ("authlint.facts.secrets.creds:find",),
    "jwt": ("authlint.facts.secrets.creds:find",),
    "dotenv": ("authlint.facts.secrets.dotenv:find",),
    "dockerfile": ("authlint.facts.launches:secret_spans",),
    "procfile": ("authlint.facts.launches:secret_spans",),
    "json": ("authlint.facts.natscontext:find",),
    "text": ("authlint.facts.secrets.text:find",),
}


def merged(spans: Iterable[Span]) -> tuple[Span, ...]:
    """Sorted, with overlapping or touching spans joined, empty ones dropped."""
    out: list[Span] = []
    for span in sorted(s for s in spans if s.end > s.start):
        if out and span.start <= out[-1].end:
            if span.end > out[-1].end:
                out[-1] = Span(out[-1].start, span.end)
        else:
            out.append(span)
    return tuple(out)


def pattern_set(text: str) -> tuple[Span, ...]:
    """The pattern set's spans alone, merged: what masks a text no finder has read."""
    return merged(pattern_spans(text))


def secret_spans(ctx: FileContext) -> tuple[Span, ...]:
    """Every secret value of the file: what its kind's finders know plus the pattern set."""
    found: list[Span] = list(pattern_spans(ctx.source.text))
    for target in FINDERS.get(ctx.kind, ()):
        finder: Callable[[FileContext], Iterable[Span]] = extractor(target)  # type: ignore[assignment]
        try:
            found.extend(finder(ctx))
        except ParseError:  # the patterns and the named values still cover it
            found.extend(named_values(ctx.source.text, code=ctx.kind in CODE_KINDS))
            break
    return merged(found)
