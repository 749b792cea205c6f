from __future__ import annotations

import re
from typing import Iterable

from authlint.diagnostics.diagnostic import Diagnostic, Edit, Fix, FixAvailability
from authlint.files.kinds import NATSCONF
from authlint.files.source import Span
from authlint.rule import FixOffer, Invalid, Rule, Valid, Violation

# what may follow an entry that owns its lines: a separator, a comment (it goes with the entry)
_TRAILER = re.compile(r"[ \t]*[;,]?[ \t]*(?:(?:#|//)[^\r\n]*)?(?:\r\n|\n|\r|$)")


class MixedAuth(Violation):
    """Two ways of authenticating in one ``authorization`` block (nats-server refuses the mix)."""

    block: str  # dotted path of the block
    mix: str  # "a token and a users array", ...

    def message(self) -> str:
        return f"`{self.block}` has {self.mix}: nats-server refuses to start"


class AuthTimeoutRange(Violation):
    raw: str
    negative: bool
    seconds: int | None = None  # set when ``raw`` has a size suffix (``2m`` is 2000000 seconds)

    def message(self) -> str:
        consequence = "are refused" if self.negative else "may hold a connection unauthenticated that long"
        written = self.raw if self.seconds is None else f"{self.raw} (the integer {self.seconds})"
        return f"auth timeout {written} s is out of range (0-60): clients {consequence}"


class DuplicateUser(Violation):
    key: str  # user | nkey
    name: str

    def message(self) -> str:
        return f'duplicate {self.key} `{self.name}`: nats-server refuses to start ("Duplicate user")'


class NoAuthUserInOperatorMode(Violation):
    scope: str  # "" (top level), "websocket ", "mqtt "

    def message(self) -> str:
        return f"{self.scope}no_auth_user is refused in operator mode"


class NoAuthUserUnknown(Violation):
    scope: str
    name: str

    def message(self) -> str:
        return (
            f"{self.scope}no_auth_user `{self.name}` names no configured user: "
            f"`nats-server -t` passes, the server then refuses to start"
        )


class AliasesBoth(Violation):
    """Two spellings of one setting in one block: which wins depends on Go's map order."""

    key: str
    other: str
    where: str  # "line N" or "included `path`"

    def message(self) -> str:
        return (
            f"`{self.key}` and `{self.other}` ({self.where}) are aliases of one setting: "
            f"which value nats-server uses depends on map order"
        )


class SetAgain(Violation):
    key: str
    where: str  # where the winning one is

    def message(self) -> str:
        return f"`{self.key}` is set again on {self.where}: the last one wins, this one is ignored"


class IncludedSetAgain(Violation):
    """An entry an ``include`` pulls in that a later entry replaces: the included value is lost."""

    key: str
    path: str  # the included file
    where: str

    def message(self) -> str:
        return (
            f"`{self.key}` from included `{self.path}` is set again on {self.where}: "
            f"the last one wins, the included one is ignored"
        )


def whole_lines(text: str, span: Span) -> Span | None:
    """The lines an entry occupies, when nothing else shares them (safe to delete); a comment
    ending the entry's last line describes it and goes with it."""
    line_start = max(text.rfind("\n", 0, span.start), text.rfind("\r", 0, span.start)) + 1
    if text[line_start : span.start].strip():
        return None
    m = _TRAILER.match(text, span.end)
    if m is None:
        return None
    return Span(line_start, m.end())


class AuthConflict(Rule):
    """
    ## What it does
    Finds authorization settings that contradict each other or silently lose: a token together
    with users or a user/password, or a top-level token or single user while accounts define users
    (nats-server refuses to start), the same user or nkey defined
    twice, `no_auth_user` naming a user that does not exist (or used in operator mode), a key or
    block written twice in the same map (the last one silently wins: a second `authorization {}`
    replaces the first entirely), two aliases of one setting (`user` and `username`: which one
    wins depends on Go's map order), and an `authorization` `timeout` below 0 or above 60 seconds.

    ## Why is this bad?
    The config reads one way and runs another: a reviewer sees users in the first `authorization`
    block while the server only knows the token of the second; `no_auth_user: ghost` passes
    `nats-server -t` and stops the server at start.

    ## Example
    ```
    authorization { users: [ {user: a, password: $PA} ] }
    authorization { token: $TOKEN }      # replaces the block above
    ```

    An entry an `include` pulls in and the including file sets again afterwards is reported at the
    `include` line (the included users or settings are silently ignored). Users of a block that a
    later block replaces are no duplicate users: nats-server never sees them.

    ## Fix safety
    Safe, and only where unambiguous: an earlier entry that is repeated later in the same file with
    exactly the same text is deleted (it had no effect; checked against a running nats-server: the
    users still log in and /varz is unchanged). It goes with its own lines and a comment ending
    them, and only when no other entry shares those lines; an entry referenced as a `$variable`
    is never deleted. Every other conflict needs a person to choose.

    ## References
    - nats-server [server/opts.go](https://github.com/nats-io/nats-server/blob/main/server/opts.go) (`parseAuthorization`: "Cannot have a user/pass and token", "Can not have a token and a users array", "Duplicate user")
    - [Authorization](https://docs.nats.io/running-a-nats-service/configuration/securing_nats/authorization) and [Accounts](https://docs.nats.io/running-a-nats-service/configuration/securing_nats/accounts): `no_auth_user`
    - [Authentication timeout](https://docs.nats.io/running-a-nats-service/configuration/securing_nats/auth_intro/auth_timeout)
    """

    code = "NAT006"
    name = "auth-conflict"
    summary = "contradictory, duplicated or silently overridden auth settings"
    kinds = frozenset({NATSCONF})
    languages = "nats-server.conf"
    fix_availability = FixAvailability.SOMETIMES
    fix_offers = (
        FixOffer.safe(
            "Deletes an earlier entry repeated later with the same value: it had no effect."
        ),
    )
    examples = (
        Valid(
            "authorization { users: [ {user: a, password: $PA}, {user: b, password: $PB} ] }\nno_auth_user: a\n",
            path="nats-server.conf",
        ),
        Valid("authorization { token: $T, timeout: 5 }\n", path="nats-server.conf"),
        Valid("accounts { A { users: [ {user: a} ] }, B { users: [ {user: b} ] } }\n", path="nats-server.conf"),
        Valid("mappings { a: b, c: d }\nport: 4222\n", path="nats-server.conf"),
        Invalid(
            "authorization {\n  token: $T\n  users: [ {user: a, password: $P} ]\n}\n",
            path="nats-server.conf",
            message="token and a users array",
            span=(2, 3, 2, 8),
        ),
        Invalid(
            "authorization { user: a, password: $P, token: $T }\n",
            path="nats-server.conf",
            message="user/password and a token",
        ),
        Invalid(
            "authorization { token: $T }\naccounts { A { users: [ {user: a, password: $P} ] } }\n",
            path="nats-server.conf",
            message="accounts define users",
        ),
        Invalid(
            "authorization { users: [ {user: a, password: $P} ] }\naccounts { A { users: [ {user: a, password: $Q} ] } }\n",
            path="nats-server.conf",
            message="duplicate user `a`",
        ),
        Invalid(
            "authorization { users: [ {user: a, password: $P} ] }\nno_auth_user: ghost\n",
            path="nats-server.conf",
            message="ghost",
        ),
        Invalid(
            "authorization {\n  users: [ {user: a, password: $P} ]\n}\nauthorization {\n  token: $T\n}\n",
            path="nats-server.conf",
            message="last one wins",
        ),
        Invalid("port: 4222\ndebug: true\nport: 4222\n", path="nats-server.conf", fixed="debug: true\nport: 4222\n"),
        Invalid(
            "max_payload: 2MB  # staging\r\ndebug: true\r\nmax_payload: 2MB  # prod\r\n",
            path="nats-server.conf",
            fixed="debug: true\r\nmax_payload: 2MB  # prod\r\n",
        ),
        Invalid("authorization { user: a, username: b, password: $P }\n", path="nats-server.conf", message="aliases"),
        Invalid("authorization { token: $T, timeout: 120 }\n", path="nats-server.conf", message="120"),
        # a copied block: the first is replaced by the second, so its user is no duplicate (2.9.10 starts)
        Invalid(
            "authorization {\n  users: [ {user: a, password: $P} ]\n}\n"
            "authorization {\n  users: [ {user: a, password: $P} ]\n}\n",
            path="nats-server.conf",
            fixed="authorization {\n  users: [ {user: a, password: $P} ]\n}\n",
            message="last one wins",
            count=1,
        ),
        Invalid("authorization { token: $T, timeout: 2m }\n", path="nats-server.conf", message="the integer 2000000"),
    )

    def check(self, ctx) -> Iterable[Diagnostic]:
        config = ctx.tree
        yield from self._mixed(ctx, config)
        yield from self._users(ctx, config)
        yield from self._duplicates(ctx, config)

    def _mixed(self, ctx, config) -> Iterable[Diagnostic]:
        from authlint.facts.natsconf.blocks import blocks, overridden

        gone = overridden(config)  # a block a later one replaces never reaches the server
        for block, path in blocks(config, "authorization"):
            if id(block) in gone:
                continue
            token = block.get("token")
            users = block.get("users")
            user = block.get("user", "username", "password", "pass")
            clashes = []
            if token and users:
                clashes.append((token, "a token and a users array"))
            if user and token:
                clashes.append((token, "a user/password and a token"))
            if user and users:
                clashes.append((users, "a single user/password and a users array"))
            if path == ("authorization",) and (token or user) and self._account_users(config):
                what = "a token" if token else "a single user/password"
                clashes.append((token or user, f"{what} while accounts define users"))
            for entry, what in clashes:
                if entry.source is ctx.source:
                    yield self.report(ctx, entry.key_span, MixedAuth(".".join(path), what))
            timeout = block.get("timeout")
            if timeout is not None and timeout.source is ctx.source and timeout.value.kind in ("integer", "float"):
                # a size suffix counts too: `timeout: 2m` is 2000000 seconds (NAT002 says what was meant,
                # and its fix, 120, is out of range as well: the finding stays, it is not created)
                value, raw = timeout.value.value, timeout.value.raw
                if isinstance(value, (int, float)) and not isinstance(value, bool) and (value < 0 or value > 60):
                    suffixed = not raw.lstrip("-").replace(".", "").isdigit()
                    found = AuthTimeoutRange(raw, value < 0, int(value) if suffixed else None)
                    yield self.report(ctx, timeout.value.span, found)

    @staticmethod
    def _account_users(config) -> bool:
        from authlint.facts.natsconf.blocks import blocks, overridden

        gone = overridden(config)
        return any(path[:1] == ("accounts",) and id(block) not in gone for block, path in blocks(config, "user"))

    def _users(self, ctx, config) -> Iterable[Diagnostic]:
        from authlint.facts.natsconf.blocks import blocks, overridden

        names: dict[str, object] = {}
        gone = overridden(config)  # users of a replaced block are no duplicates: the server never sees them
        for block, path in blocks(config, "user"):
            if not path or path[0] not in ("authorization", "accounts") or id(block) in gone:
                continue
            for key in ("user", "nkey"):
                entry = block.get(key, "username") if key == "user" else block.get(key)
                if entry is None or not isinstance(entry.value.value, str):
                    continue
                ident = f"{key}:{entry.value.value}"
                if ident in names and entry.source is ctx.source:
                    yield self.report(ctx, entry.value.span, DuplicateUser(key, entry.value.value))
                names.setdefault(ident, entry)
        complete = not any(p.kind == "include" for p in config.problems)
        operator = config.root.get("operator", "operators", "roots", "root", "root_operators", "root_operator")
        scopes = [(config.root, "")]
        for key in ("websocket", "ws", "mqtt"):
            entry = config.root.get(key)
            if entry is not None and hasattr(entry.value, "entries"):
                scopes.append((entry.value, f"{key} "))
        for scope, label in scopes:
            nau = scope.get("no_auth_user")
            if nau is None or nau.source is not ctx.source or not isinstance(nau.value.value, str):
                continue
            if operator is not None:
                yield self.report(ctx, nau.value.span, NoAuthUserInOperatorMode(label))
            elif complete and f"user:{nau.value.value}" not in names:
                yield self.report(ctx, nau.value.span, NoAuthUserUnknown(label, nau.value.value))

    def _duplicates(self, ctx, config) -> Iterable[Diagnostic]:
        from authlint.facts.knowledge import nats_keys
        from authlint.facts.natsconf.blocks import walk_blocks
        from authlint.syntax.natsconf import MapNode, iter_nodes

        known_block: dict[int, str] = {id(config.root): "top"}
        for placed in walk_blocks(config):
            sub = nats_keys.child(placed.block, placed.entry.key) if placed.block else None
            if sub and sub[1] == "map" and isinstance(placed.entry.value, MapNode):
                known_block[id(placed.entry.value)] = sub[0]
        text = ctx.source.text
        for node in iter_nodes(config.root):
            if not isinstance(node, MapNode):
                continue
            block = known_block.get(id(node))
            keys = nats_keys.block_keys(block) if block else {}
            groups: dict[str, list] = {}
            for entry in node.entries:
                if entry.used_as_variable:
                    continue
                info = keys.get(entry.lower)
                groups.setdefault(info.canonical if info else entry.key, []).append(entry)
            for group in groups.values():
                if len(group) < 2:
                    continue
                last = group[-1]
                spellings = {e.lower for e in group}
                for entry in group[:-1]:
                    if entry.source is not ctx.source:
                        include = entry.include  # pulled in here: reported at the include line
                        if include is not None and include.source is ctx.source and last.source is ctx.source:
                            where = f"line {ctx.source.position(last.key_span.start)[0]}"
                            yield self.report(ctx, include.span, IncludedSetAgain(entry.key, include.path, where))
                        continue
                    where = (
                        f"line {ctx.source.position(last.key_span.start)[0]}"
                        if last.source is ctx.source
                        else f"included `{last.source.relpath}`"
                    )
                    if len(spellings) > 1 and entry.lower != last.lower:
                        yield self.report(ctx, entry.key_span, AliasesBoth(entry.key, last.key, where))
                        continue
                    fix = None
                    if entry.value.raw == last.value.raw and last.source is ctx.source:
                        lines = whole_lines(text, entry.span)
                        if lines is not None:
                            fix = Fix.safe(f"Delete the ignored duplicate `{entry.key}`", Edit.delete(lines))
                    yield self.report(ctx, entry.key_span, SetAgain(entry.key, where), fix=fix)
