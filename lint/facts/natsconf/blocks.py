"""Facts about a parsed nats-server config that the extractor and the NATS rules share: which block
each entry is in, Go durations, where credentials are written (auth-block passwords and tokens,
credentials in URLs) and the address a listener binds.

Kept apart from the parser so the parser stays a faithful copy of nats-server's grammar and the
rules read one vocabulary ("this entry is in block `authorization`"). Only facts live here, read
from the one parsed file: judgements (is a secret weak, is a host exposed) belong to the rules, and
what other files of the project say (is this file included by another) is joined in the project
phase from their cached facts (``ConfigIncludes``), never by reading sibling files from disk.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterator

from authlint.facts.knowledge import nats_keys
from authlint.syntax.natsconf import ArrayNode, Entry, Include, MapNode, NatsConfig, Node, is_bcrypt


@dataclass
class Placed:
    """An entry and the block it sits in (None: a free-form map nats-server does not check)."""

    entry: Entry
    block: str | None
    parent: MapNode
    path: tuple[str, ...]  # lower-cased keys from the top, "[]" for array items


def is_variable(named: Entry) -> bool:
    """Whether an entry of a named-blocks map (``accounts {}``) is a variable, not a block of its
    kind: one referenced as ``$NAME`` elsewhere. nats-server's ``parseAccounts`` skips such an entry
    (``tk.IsUsedVariable()``): ``accounts { PERMS { publish: ... }, A { users: [{..., permissions:
    $PERMS}] } }`` defines one account, ``A``; ``PERMS``'s keys are checked where it is used."""
    return named.used_as_variable


def walk_blocks(config: NatsConfig) -> Iterator[Placed]:
    yield from _walk_map(config.root, "top", ())


def _walk_map(node: MapNode, block: str | None, path: tuple[str, ...]) -> Iterator[Placed]:
    for entry in node.entries:
        here = path + (entry.lower,)
        yield Placed(entry, block, node, here)
        if block is None:
            continue
        sub = nats_keys.child(block, entry.key)
        if sub is None and block == "top" and entry.lower == "users":
            sub = ("user", "list")  # a users fragment meant for `include` inside authorization {}
        if sub is None:
            continue
        child_block, how = sub
        value = entry.value
        if how == "map" and isinstance(value, MapNode):
            yield from _walk_map(value, child_block, here)
        elif how == "list" and isinstance(value, ArrayNode):
            for item in value.items:
                if isinstance(item, MapNode):
                    yield from _walk_map(item, child_block, here + ("[]",))
        elif how == "names" and isinstance(value, MapNode):
            for named in value.entries:
                named_path = here + (named.lower,)
                yield Placed(named, None, value, named_path)
                if isinstance(named.value, MapNode) and not is_variable(named):
                    yield from _walk_map(named.value, child_block, named_path)


def blocks(config: NatsConfig, name: str) -> Iterator[tuple[MapNode, tuple[str, ...]]]:
    """Every map that is a ``name`` block (``user`` yields each users entry, top-level and per account)."""
    if name == "top":
        yield config.root, ()
    for placed in walk_blocks(config):
        if placed.block is None:
            continue
        sub = nats_keys.child(placed.block, placed.entry.key)
        if sub is None or sub[0] != name:
            continue
        value = placed.entry.value
        if sub[1] == "map" and isinstance(value, MapNode):
            yield value, placed.path
        elif sub[1] == "list" and isinstance(value, ArrayNode):
            for item in value.items:
                if isinstance(item, MapNode):
                    yield item, placed.path + ("[]",)
        elif sub[1] == "names" and isinstance(value, MapNode):
            for named in value.entries:
                if isinstance(named.value, MapNode) and not is_variable(named):
                    yield named.value, placed.path + (named.lower,)


def overridden(config: NatsConfig) -> set[int]:
    """``id`` of every value nats-server never sees: the value of an entry that a later entry with
    the same key in the same map replaces (the map is overwritten, last wins: a second
    ``authorization {}`` replaces the first entirely), and every node inside it."""
    gone: set[int] = set()

    def visit(node: Node, dead: bool) -> None:
        if dead:
            gone.add(id(node))
        if node.variable is not None:
            return
        if isinstance(node, MapNode):
            last = {entry.key: index for index, entry in enumerate(node.entries)}
            for index, entry in enumerate(node.entries):
                visit(entry.value, dead or last[entry.key] != index)
        elif isinstance(node, ArrayNode):
            for item in node.items:
                visit(item, dead)

    visit(config.root, False)
    return gone


# ------------------------------------------------------------------------------- listeners


def listen_host(block: MapNode, default: str = "0.0.0.0") -> tuple[str, Entry | None]:
    """The host a block listens on (``host``/``net`` or the host part of ``listen``; nats-server's
    ``DEFAULT_HOST`` when neither is set)."""
    host_entry = block.get("host", "net")
    listen = block.get("listen")
    if listen is not None and isinstance(listen.value.value, str):
        text = listen.value.value
        host, sep, _port = text.rpartition(":")
        if sep and host:
            return host, listen
        if not sep:
            return text, listen
    if host_entry is not None and isinstance(host_entry.value.value, str):
        return host_entry.value.value, host_entry
    return default, host_entry or listen


# ------------------------------------------------------------------------------- secrets


@dataclass
class Secret:
    """A password or token as written: ``node`` holds the text (after following variables)."""

    kind: str  # password | token
    entry: Entry  # the entry that uses it (``password: $P`` -> this entry)
    node: Node  # where the literal text is (the variable's definition when referenced)
    block: str | None
    path: tuple[str, ...]
    parent: MapNode | None = None

    @property
    def owner(self) -> str | None:
        """The user name next to this secret (users entries, single user/password blocks)."""
        if self.parent is None:
            return None
        user = self.parent.get("user", "username")
        if user is None or not isinstance(user.value.value, str):
            return None
        return user.value.value

    @property
    def value(self) -> str | None:
        value = self.node.value
        return value if isinstance(value, str) else None

    @property
    def hashed(self) -> bool:
        return is_bcrypt(self.value)


SECRET_KEYS = {"password": "password", "pass": "password", "token": "token"}
SECRET_BLOCKS = frozenset({"authorization", "user", "leaf_authorization", "leaf_user", "simple_auth", "remote_proxy"})


def secrets(config: NatsConfig) -> Iterator[Secret]:
    """Every password/token in an auth block whose text is in a config file (not the environment)."""
    for placed in walk_blocks(config):
        if placed.block not in SECRET_BLOCKS:
            continue
        kind = SECRET_KEYS.get(placed.entry.lower)
        if kind is None:
            continue
        node = placed.entry.value.origin
        if node is None or node.from_env or node.kind not in ("string", "integer", "float", "bool"):
            continue
        yield Secret(kind, placed.entry, node, placed.block, placed.path, placed.parent)


URL_CRED_RE = re.compile(r"^(?P<scheme>[a-z][a-z0-9+.-]*)://(?P<user>[^:@/\s]*)(?::(?P<password>[^@/\s]*))?@", re.I)


@dataclass
class UrlCredential:
    node: Node
    user: str
    password: str | None
    user_span: tuple[int, int]  # char offsets in node.source
    password_span: tuple[int, int] | None


def url_credentials(config: NatsConfig) -> Iterator[UrlCredential]:
    """``nats-route://user:pass@host`` in routes, gateway urls and leafnode remote urls."""
    url_keys = {
        ("cluster", "routes"),
        ("gateway_entry", "url"),
        ("gateway_entry", "urls"),
        ("remote", "url"),  # also its alias `urls`
        ("remote_proxy", "url"),
    }
    for placed in walk_blocks(config):
        if placed.block is None:
            continue
        info = nats_keys.block_keys(placed.block).get(placed.entry.lower)
        if info is None or (placed.block, info.canonical) not in url_keys:
            continue
        value = placed.entry.value
        nodes = value.items if isinstance(value, ArrayNode) else [value]
        for node in nodes:
            if node.kind != "string" or node.variable is not None or not isinstance(node.value, str):
                continue
            m = URL_CRED_RE.match(node.value)
            if not m or not m.group("user"):
                continue
            offset = node.span.start + (1 if node.style in ("double", "single") else 0)
            if not node.raw[offset - node.span.start :].startswith(node.value):
                continue  # escapes changed the text: no exact spans
            user_span = (offset + m.start("user"), offset + m.end("user"))
            pw_span = (
                (offset + m.start("password"), offset + m.end("password")) if m.group("password") is not None else None
            )
            yield UrlCredential(node, m.group("user"), m.group("password"), user_span, pw_span)


# ------------------------------------------------------------------------------- includes


def include_of(config: NatsConfig, entry: Entry, source) -> Include | None:
    """The ``include`` line of ``source`` through which ``entry`` came into the config (directly or
    through includes of includes), or None when ``entry`` did not come in through ``source``.

    A finding about an entry written in a fragment belongs to the config that includes it, and is
    reported there at the include line (a fragment checked alone does not know its includer)."""
    include = entry.include
    seen = 0
    while include is not None and include.source is not source and seen < 64:
        outer = include.source.path
        include = next((i for i in config.includes if i.resolved is not None and i.resolved == outer), None)
        seen += 1
    return include if include is not None and include.source is source else None
