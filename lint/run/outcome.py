"""One file's checked result in a portable form: what workers send back and what the cache stores.

The per-file work (read, classify, prefilter, parse, file rules, facts for the project phase) is
``Linter.check_one``, which ``check_candidate`` wraps in a codec; the parent re-attaches the file's
Source only where there is something to show, so the thousands of files with no findings cost it
nothing but a stat.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from authlint.diagnostics.diagnostic import Diagnostic
from authlint.diagnostics.suppress import has_directives
from authlint.facts.model import FileFacts
from authlint.files.source import DecodeError, Source, Span
from authlint.run.context import FileContext
from authlint.run.engine import UNUSED_SUPPRESSION, CheckResult, Deferred, Linter
from authlint.run.secret_refs import SecretTexts, declared_secrets, leaks
from authlint.run.serialize import CodecError, decode, encode


@dataclass
class Outcome:
    """``payload`` is JSON-able: {kind, diagnostics, facts, errors, secrets (the secret spans, which
    the encoded results refer to), uncacheable (a secret is left in plain text: never written to
    the cache)}; empty kind = not ours."""

    relpath: str
    payload: dict[str, Any] = field(default_factory=dict)
    text: str | None = None  # sent by workers when the parent will need the source

    @property
    def interesting(self) -> bool:
        return bool(self.payload.get("diagnostics") or self.payload.get("facts") is not None
                    or self.payload.get("directives"))


def check_candidate(linter: Linter, path: Path, relpath: str, with_text: bool) -> Outcome:
    """``Linter.check_one`` on one file, as a JSON-able outcome (for the pool and the cache)."""
    item = linter.load(path, relpath)
    if item is None:
        return Outcome(relpath, {"kind": None})
    if isinstance(item, Deferred):  # nothing to show or join until a rule asks (``runner``)
        return Outcome(relpath, {"kind": None, "deferred": True, "lends": sorted(item.lends), "checked": sorted(item.checked)})
    if isinstance(item, Diagnostic):  # E001/E002 before any parsing: keep the message, no source
        return Outcome(relpath, {"kind": item.source.kind, "load_error": encode(item, item.source)}, None)
    ctx = item
    scratch = CheckResult()
    diagnostics, member = linter.check_one(ctx, scratch)
    named = _named_secrets(diagnostics, member)
    secrets = SecretTexts.of(ctx.source, named) if ctx.source.secret_spans or named else None
    try:
        payload = {
            "kind": ctx.kind,
            "diagnostics": encode(diagnostics, ctx.source, secrets),
            "facts": encode(member.facts.items, ctx.source, secrets) if member is not None else None,
            "errors": scratch.errors,
            "secrets": [[span.start, span.end] for span in ctx.source.secret_spans or ()],
        }
        if ctx.lends:  # a borrowed file: the next run defers it again until a rule asks
            payload["lends"] = sorted(ctx.lends)
        if UNUSED_SUPPRESSION in linter.enabled_codes and has_directives(ctx.source.text):
            payload["directives"] = True  # suppression comments E003 judges after the project phase
    except CodecError:  # a value the codec does not know: the parent checks this file itself
        return Outcome(relpath, {"kind": ctx.kind, "inprocess": True})
    if (named or secrets is not None) and leaks(
        [payload["diagnostics"], payload["facts"], payload["errors"]], named | (secrets.values if secrets else set())
    ):
        payload["uncacheable"] = True  # a value no reference could carry: the pool may, the cache not
    outcome = Outcome(relpath, payload)
    if with_text and outcome.interesting:
        outcome.text = ctx.source.text
    return outcome


def _named_secrets(diagnostics: list[Diagnostic], member: FileContext | None) -> set[str]:
    """Secret values the results themselves name, whether or not a finder marked them: those of
    the facts (``declared_secrets``) and those diagnostics declare."""
    named = declared_secrets(member.facts.items) if member is not None else set()
    for diag in diagnostics:
        named.update(s for s in getattr(diag, "secrets", ()) if isinstance(s, str) and s)
    return named


def check_in_process(linter: Linter, path: Path, relpath: str) -> tuple[list[Diagnostic], FileContext | None, list[str]]:
    """The same work as ``check_candidate`` without the codec (its fallback)."""
    item = linter.load(path, relpath)
    if item is None or isinstance(item, Deferred):
        return [], None, []
    if isinstance(item, Diagnostic):
        return [item], None, []
    scratch = CheckResult()
    linter.register_suppressions(item.source)
    diagnostics, member = linter.check_one(item, scratch)
    return diagnostics, member, scratch.errors


def materialize(linter: Linter, outcome: Outcome, fspath: str) -> tuple[list[Diagnostic], FileContext | None]:
    """Rebuild diagnostics (and a context with preloaded facts) from an outcome.

    Most outcomes have nothing to show or join and return at once: their path is never built.
    """
    payload = outcome.payload
    if payload.get("inprocess"):
        raise CodecError("checked in process")
    if payload.get("load_error") is not None:
        placeholder = Source.from_text("", outcome.relpath, payload.get("kind") or "unknown")
        return [decode(payload["load_error"], placeholder)], None
    if not outcome.interesting or not payload.get("kind"):
        return [], None
    path = Path(fspath)
    if outcome.text is not None:
        source = Source(path=path, relpath=outcome.relpath, text=outcome.text, kind=payload["kind"])
    else:
        try:
            source = Source.from_bytes(path, outcome.relpath, path.read_bytes(), payload["kind"])
        except (OSError, DecodeError) as exc:
            raise CodecError(f"file changed while checking: {exc}") from exc
    source.secret_spans = _secret_spans(payload.get("secrets"), source.text)
    if payload.get("directives"):
        linter.register_suppressions(source)
    diagnostics = decode(payload.get("diagnostics") or [], source)
    ctx = None
    if payload.get("facts") is not None:
        ctx = FileContext(source, linter.settings)
        ctx._facts = FileFacts(decode(payload["facts"], source))
    return diagnostics, ctx


def _secret_spans(stored: object, text: str) -> tuple[Span, ...]:
    """The stored spans, checked to lie inside the text, joined with the pattern set run again: a
    planted or stale payload that leaves a span out still cannot unmask a JWT, a PEM key, a seed or
    a URL password (a cold run has them too, so a warm run shows the same)."""
    from authlint.facts.secrets import merged
    from authlint.facts.secrets.patterns import pattern_spans

    try:
        spans = [Span(int(s), int(e)) for s, e in stored or ()]  # type: ignore[attr-defined]
    except (TypeError, ValueError) as exc:  # a planted or torn payload: recompute, never trust it
        raise CodecError(f"bad secret spans: {exc}") from exc
    if any(span.end > len(text) for span in spans):
        raise CodecError("secret spans outside the file")
    return merged([*spans, *pattern_spans(text)])
