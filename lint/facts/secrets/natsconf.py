"""Secret values in nats-server configs, from the parsed config (``ctx.tree``).

- the value of every ``password``/``pass``/``token`` entry (in ``authorization``, ``users``, account
  users, cluster/gateway/leafnode/websocket/mqtt authorization, and in fragments whose block the
  file alone does not show: nats-server has no other meaning for these keys), also
  ``auth_token`` and the TPM ``encryption_password``/``srk_password``;
- through a ``$VARIABLE``: the variable's definition (the reference itself is a name, shown);
- the JetStream encryption keys (``jetstream { key, prev_key }`` and their aliases);
- an ``nkey``/``seed`` value that is a seed (``S...``; public keys ``U...``/``A...`` are shown);
- credentials in route, gateway and leafnode URLs: the password, or the user part when it is alone
  (a token).

A bcrypt hash (``$2a$...``) is not the plaintext and stays shown; so do values from the
environment. Only this file's own characters: included files get their own spans.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Iterator

from authlint.facts.secrets.literals import trimmed_lines
from authlint.files.source import Span

if TYPE_CHECKING:
    from authlint.run.context import FileContext
    from authlint.syntax.natsconf import Node

SECRET_KEYS = frozenset({"password", "pass", "token", "auth_token", "encryption_password", "srk_password"})
SEED_KEYS = frozenset({"nkey", "seed"})
SCALARS = frozenset({"string", "integer", "float", "bool"})
# (block, canonical key) of JetStream's encryption keys
ENCRYPTION_KEYS = frozenset({("jetstream", "key"), ("jetstream", "prev_key")})
BASE32 = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567")


def find(ctx: FileContext) -> Iterator[Span]:
    from authlint.facts.knowledge import nats_keys
    from authlint.facts.natsconf.blocks import url_credentials, walk_blocks
    from authlint.syntax.natsconf import MapNode, is_bcrypt, iter_nodes

    config = ctx.tree
    source = ctx.source
    for node in iter_nodes(config.root):
        if not isinstance(node, MapNode):
            continue
        for entry in node.entries:
            key = entry.lower
            if key in SECRET_KEYS:
                origin = entry.value.origin
                if _written_here(origin, source) and not is_bcrypt(origin.value):  # type: ignore[union-attr]
                    yield from value_spans(origin)  # type: ignore[arg-type]
            elif key in SEED_KEYS and _is_seed(entry.value.origin, source):
                yield from value_spans(entry.value.origin)  # type: ignore[arg-type]
    for placed in walk_blocks(config):
        info = nats_keys.block_keys(placed.block or "").get(placed.entry.lower)
        if info is not None and (placed.block, info.canonical) in ENCRYPTION_KEYS:
            origin = placed.entry.value.origin
            if _written_here(origin, source):
                yield from value_spans(origin)  # type: ignore[arg-type]
    for cred in url_credentials(config):
        if cred.node.source is source:
            yield Span(*(cred.password_span if cred.password is not None else cred.user_span))  # type: ignore[misc]


def _written_here(node: Node | None, source) -> bool:
    """A literal written in this file (not from the environment, not a map or list)."""
    return node is not None and node.source is source and not node.from_env and node.kind in SCALARS


def _is_seed(node: Node | None, source) -> bool:
    if node is None or node.source is not source or node.kind != "string" or not isinstance(node.value, str):
        return False
    value = node.value
    return len(value) > 2 and value[0] == "S" and set(value) <= BASE32


def value_spans(node: Node) -> Iterator[Span]:
    """The characters of a scalar's value: inside its quotes, the whole bare word, the lines of a
    ``( ... )`` block string."""
    span = node.span
    if node.style in ("double", "single") and span.end - span.start >= 2:
        yield Span(span.start + 1, span.end - 1)
    elif node.style == "block":
        yield from trimmed_lines(node.source.text, span.start + 1, span.end - 1)
    else:
        yield span
