"""nats-server configs as facts: the credentials each listener accepts and those the server presents,
and the files each config includes.

NAT010 joins the credentials with the NATS clients found in code, and the project phase joins the
includes to know which configs are fragments; as facts they are cached, so a warm run never
re-parses a config for either.
"""

from __future__ import annotations

import posixpath
from typing import TYPE_CHECKING, Iterable, Iterator

from authlint.facts.model import ConfigIncludes, Fact, NatsPresented, NatsRealm, NatsServerAuth
from authlint.files.source import Source, Span

if TYPE_CHECKING:
    from authlint.run.context import FileContext

LANG = "natsconf"
REALMS = ("client", "leaf", "route")


def extract(ctx: FileContext) -> Iterable[Fact]:
    from authlint.facts.natsconf.blocks import blocks

    config = ctx.tree
    name = ctx.source.relpath
    includes = _includes(ctx)
    if includes is not None:
        yield includes
    realms = {realm: NatsRealm() for realm in REALMS}
    for block, path in blocks(config, "authorization"):
        realm_key = {"authorization": "client", "cluster": "route"}.get(path[0] if path else "")
        if realm_key is not None:
            _collect(block, realms[realm_key], name)
    for block, _path in blocks(config, "leaf_authorization"):
        _collect(block, realms["leaf"], name)
    for block, path in blocks(config, "user"):
        if path[:1] in (("authorization",), ("accounts",)):
            _collect_user(block, realms["client"], name)
    for block, _path in blocks(config, "leaf_user"):
        _collect_user(block, realms["leaf"], name)
    presented = list(_presented(ctx)) if "@" in ctx.source.text else []  # URL credentials need ``user@``
    unread = any(p.kind == "include" for p in config.problems)
    kept = {realm: found for realm, found in realms.items() if found.has_auth}
    if kept or presented or unread:
        yield NatsServerAuth(
            source=ctx.source, span=Span(0, 0), lang=LANG, realms=kept, presented=presented, unread_includes=unread
        )
    from authlint.facts.natsconf.pings import server_pings

    pings = server_pings(ctx)  # NAT003: the server's keep-alive, weighed against the clients in code
    if pings is not None:
        yield pings
    from authlint.facts.natsjwt import inline_jwts

    yield from inline_jwts(ctx)  # NAT008: operator and preloaded account JWTs


def _includes(ctx: FileContext) -> ConfigIncludes | None:
    """What this file's own ``include`` lines name, as relpaths (resolved next to the file, as
    nats-server and the parser do); includes of its includes are their own files' facts."""
    own = [inc for inc in ctx.tree.includes if inc.source is ctx.source and inc.status != "outside-root"]
    folder = posixpath.dirname(ctx.source.relpath)
    targets = []
    for inc in own:
        target = posixpath.normpath(posixpath.join(folder, inc.path.lstrip("/")))
        if target != ".." and not target.startswith("../") and target not in targets:
            targets.append(target)
    if not targets:
        return None
    return ConfigIncludes(source=ctx.source, span=own[0].span, lang=LANG, targets=tuple(targets))


def _secret_value(entry) -> tuple[str | None, bool]:
    """(value, opaque) of a password/token entry."""
    if entry is None:
        return None, False
    node = entry.value.origin
    if node is None or node.from_env or node.kind == "unresolved":
        return None, True
    value = node.value
    return (value if isinstance(value, str) else str(value)), False


def _collect(block, realm: NatsRealm, name: str) -> None:
    token, opaque = _secret_value(block.get("token"))
    realm.opaque |= opaque
    if token is not None:
        realm.tokens.append(token)
        realm.where.append(name)
    _collect_user(block, realm, name)


def _collect_user(block, realm: NatsRealm, name: str) -> None:
    user_entry = block.get("user", "username")
    if block.get("nkey") is not None:
        realm.nkeys += 1
        realm.where.append(name)
    if user_entry is None:
        return
    user, opaque = _secret_value(user_entry)
    password, pw_opaque = _secret_value(block.get("password", "pass"))
    if user is None:
        realm.opaque |= opaque
        return
    realm.users.setdefault(user, []).append(None if pw_opaque else password)
    realm.where.append(name)


def url_presented(source: Source, span: Span, url: str, label: str, base: int | None) -> NatsPresented | None:
    """The credentials in a ``scheme://user[:password]@host`` URL (a lone user part is a token)."""
    from authlint.facts.natsconf.blocks import URL_CRED_RE

    m = URL_CRED_RE.match(url)
    if not m or not m.group("user"):
        return None
    pw = m.group("password")
    pw_span = (
        Span(base + m.start("password"), base + m.end("password")) if base is not None and pw is not None else None
    )
    if pw is None:
        return NatsPresented(source, span, token=m.group("user"), label=label)
    return NatsPresented(source, span, user=m.group("user"), password=pw, password_span=pw_span, label=label)


def _presented(ctx: FileContext) -> Iterator[NatsPresented]:
    """Credentials a server presents to its peers: leafnode remote URLs and cluster route URLs."""
    from authlint.facts.natsconf.blocks import url_credentials

    for cred in url_credentials(ctx.tree):
        if cred.node.source is not ctx.source:
            continue
        offset = cred.node.span.start + (1 if cred.node.style in ("double", "single") else 0)
        url = cred.node.value
        realm = "route" if url.lower().startswith("nats-route://") else "leaf"
        label = "route URL" if realm == "route" else "leafnode remote URL"
        presented = url_presented(ctx.source, cred.node.span, url, label, offset)
        if presented is not None:
            presented.realm = realm
            yield presented
