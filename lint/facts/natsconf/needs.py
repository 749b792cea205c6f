"""What a nats-server config needs from where it runs (``NatsConfigNeeds``): the ``$VARIABLES`` it
reads from the process environment, the TLS files it opens, and the parser's other problems.

A fact, so NAT011 and NAT013 can judge a config in the project phase next to the deployments that
run it (``NatsLaunch``: their environment, their mounts) from cached facts, never re-parsing.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Iterator

from authlint.facts.model import Fact, NatsConfigNeeds, NatsConfigProblem, NatsNeed
from authlint.files.source import Span

if TYPE_CHECKING:
    from authlint.run.context import FileContext

TLS_FILES = ("cert_file", "key_file", "ca_file")


def extract(ctx: FileContext) -> Iterator[Fact]:
    from authlint.facts.natsconf.blocks import walk_blocks

    config = ctx.tree
    problems = [NatsConfigProblem(p.kind, p.message, p.span, p.name) for p in config.problems if p.source is ctx.source]
    defined = tuple(e.key for e in config.root.entries)
    needs = [NatsNeed("variable", p.name, p.span) for p in problems
             if p.kind == "variable" and p.name not in defined and not p.name.startswith(("2b$", "2y$"))]
    for placed in walk_blocks(config):
        entry = placed.entry
        if entry.source is not ctx.source or entry.lower not in TLS_FILES or "tls" not in placed.path[:-1]:
            continue
        value = entry.value
        if isinstance(getattr(value, "value", None), str) and value.value and not value.from_env:
            needs.append(NatsNeed("file", entry.lower, value.span, value.value))
    unread = any(p.kind == "include" for p in config.problems)
    if problems or needs:
        yield NatsConfigNeeds(source=ctx.source, span=Span(0, 0), lang="natsconf", problems=problems, needs=needs,
                              defined=defined, unread_includes=unread)
