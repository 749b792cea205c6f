"""Facts and secrets of the nats-server configs a YAML file embeds (ConfigMaps, Secrets, the NATS
Helm chart's values; ``lint/syntax/embedded.py``), as facts and secret spans of the YAML file.

The configs' own facts (what each listener accepts, the client keep-alive) are extracted as for a
``.conf`` and moved into the YAML file (``run.embedded.rehome``), so the project rules weigh a
ConfigMap's server against the project's clients, and a warm run reads them from the cache. Their
``include`` facts are not kept: a ConfigMap's includes name files of the pod, not of the project.
Where a config cannot be edited in place (folded, quoted, base64, Helm-rendered), a keep-alive
value is not offered for a fix.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Iterator

from authlint.facts.model import ConfigIncludes, Fact, NatsServerPings
from authlint.files.source import Span
from authlint.syntax.errors import ParseError

if TYPE_CHECKING:
    from authlint.run.context import FileContext


def extract(ctx: FileContext) -> Iterator[Fact]:
    from authlint.facts.extract import extract as config_facts
    from authlint.run.embedded import elsewhere_spans, embedded_contexts, rehome

    for child in embedded_contexts(ctx):
        source = child.source
        try:
            found = list(config_facts(child).items)  # every extractor of the natsconf kind
        except ParseError:
            continue
        elsewhere = {source.host_span(span) for span in elsewhere_spans(child)}  # type: ignore[attr-defined]
        for fact in found:
            if isinstance(fact, ConfigIncludes):
                continue
            moved = rehome(fact, source)  # type: ignore[arg-type]
            if isinstance(moved, NatsServerPings) and not source.fixable:  # type: ignore[attr-defined]
                moved.interval_literal = moved.max_literal = False
            problems = getattr(moved, "problems", None)
            if isinstance(problems, list) and elsewhere:
                # an include of the pod's own file system: neither missing nor read (see InPod)
                moved.problems = [p for p in problems if not (getattr(p, "kind", "") == "include"  # type: ignore[attr-defined]
                                                              and getattr(p, "span", None) in elsewhere)]
            yield moved


def find(ctx: FileContext) -> Iterator[Span]:
    """The secret values of every embedded config (passwords, tokens, seeds, URL credentials), at
    their characters in the YAML file."""
    from authlint.facts.secrets import secret_spans
    from authlint.run.embedded import embedded_contexts

    for child in embedded_contexts(ctx):
        try:
            _ = child.tree
        except ParseError:
            continue
        for span in secret_spans(child):
            yield child.source.host_span(span)  # type: ignore[attr-defined]
