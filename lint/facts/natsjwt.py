"""NATS JWTs as facts: every token of a ``.jwt``/``.creds`` file, and those written inline in a
nats-server config (``natsconf.extract`` calls ``inline_jwts``).

As facts they reach the project phase, where NAT008 sees every copy of a token at once: the same
user JWT in ``app/user.creds`` and ``keys/user.jwt`` is one credential, judged once, with both
places named.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Iterable

from authlint.facts.model import NatsJwt

if TYPE_CHECKING:
    from authlint.run.context import FileContext


def extract(ctx: FileContext) -> Iterable[NatsJwt]:
    """The JWTs of a ``.jwt`` or ``.creds`` file, armoured or bare."""
    for found in ctx.tree.jwts:
        yield NatsJwt(source=ctx.source, span=found.span, lang=ctx.kind, token=found.text, token_file=True)


def inline_jwts(ctx: FileContext) -> Iterable[NatsJwt]:
    """The JWTs a nats-server config writes in its own string values (not its comments, not a
    variable's reference, not an included file's: that file has its own facts)."""
    from authlint.syntax.natsconf import iter_nodes
    from authlint.syntax.natsjwt import find_jwts

    if "eyJ" not in ctx.source.text:
        return
    for node in iter_nodes(ctx.tree.root):
        if node.source is not ctx.source or node.variable is not None or node.kind != "string":
            continue
        if "eyJ" not in node.raw:
            continue
        for found in find_jwts(node.raw, node.span.start):
            yield NatsJwt(source=ctx.source, span=found.span, lang="natsconf", token=found.text)
