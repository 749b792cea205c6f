from __future__ import annotations

from typing import Iterable

from authlint.diagnostics.diagnostic import Diagnostic
from authlint.files.kinds import NATSCONF
from authlint.rule import Invalid, Rule, Valid, Violation


class RefusedAtStart(Violation):
    """A combination `nats-server -t` accepts and the server's start-up validation refuses."""

    what: str  # one of the REASONS keys

    REASONS = {
        "websocket-tls": "websocket requires TLS configuration: add `tls {}` or `no_tls: true`; `nats-server -t` "
        "passes, the server refuses to start",
        "mqtt-server-name": "mqtt requires server_name to be set explicitly: the server refuses to start",
        "mqtt-jetstream": "mqtt requires JetStream on a standalone server: the server refuses to start",
        "operator-resolver": "operator mode needs a `resolver` (MEMORY, URL(...) or "
        "{ type: full, dir: ... }): the server refuses to start without one",
        "operator-users": "operators do not allow users to be configured directly: issue user JWTs with nsc instead",
        "operator-accounts": "operators do not allow accounts to be configured directly: push account JWTs to the "
        "resolver instead",
    }

    def message(self) -> str:
        return self.REASONS[self.what]

class IncludedRefused(Violation):
    """A refusal about a key that an included fragment writes, reported at the include line."""

    path: str
    key: str
    what: str

    def message(self) -> str:
        return f"`{self.key}` from included `{self.path}`: {RefusedAtStart.REASONS[self.what]}"


OPERATOR_KEYS = ("operator", "operators", "roots", "root", "root_operators", "root_operator")


def _enabled(entry) -> bool:
    """Whether a ``jetstream`` entry turns JetStream on (a block, or ``enabled``/``true``)."""
    from authlint.syntax.natsconf import MapNode

    if entry is None:
        return False
    value = entry.value
    if isinstance(value, MapNode):
        flag = value.get("enable", "enabled")
        return flag is None or flag.value.value is not False
    if isinstance(value.value, str):
        return value.value.lower() in ("enabled", "enable", "true")
    return value.value is True


class StartFailure(Rule):
    """
    ## What it does
    Finds configs that pass `nats-server -t` but stop the server at start (each verified with
    nats-server 2.9.10): a `websocket` listener with neither `tls {}` nor `no_tls: true`
    ("websocket requires TLS configuration"); an `mqtt` listener without `server_name` or, on a
    standalone server, without JetStream; operator (JWT) mode with `authorization { users }` or
    `accounts {}` configured directly, or without a `resolver`.

    A fragment (a file another config includes) is judged as part of its includer: a key the
    fragment lacks (`server_name`, JetStream, a `resolver`) may be in its includer, so those
    findings are dropped when the includer is checked, and the includer reports them at its
    `include` line when the whole config lacks the key.

    ## Why is this bad?
    CI that validates configs with `nats-server -t` stays green, and the deployment fails: the
    check that would have caught it only runs at start-up.

    ## Example
    ```
    websocket { port: 8080 }
    ```
    Use instead:
    ```
    websocket { port: 8080, tls { cert_file: "ws.pem", key_file: "ws.key" } }
    ```
    (or `no_tls: true` behind a TLS-terminating proxy).

    ## Fix safety
    No fix: whether to add TLS, a server name or JetStream is a deployment decision.

    ## References
    - nats-server [server/opts.go](https://github.com/nats-io/nats-server/blob/main/server/opts.go) and [server/server.go](https://github.com/nats-io/nats-server/blob/main/server/server.go): start-up validation that `nats-server -t` does not run
    - [WebSocket configuration](https://docs.nats.io/running-a-nats-service/configuration/websocket/websocket_conf): `tls {}` or `no_tls: true`
    - [MQTT configuration](https://docs.nats.io/running-a-nats-service/configuration/mqtt/mqtt_config): `server_name` and JetStream
    - [JWT authentication](https://docs.nats.io/running-a-nats-service/configuration/securing_nats/jwt): operator mode needs a resolver and takes no `accounts`/`users`
    """

    code = "NAT013"
    name = "start-failure"
    summary = "config that passes nats-server -t but fails at start"
    kinds = frozenset({NATSCONF})
    languages = "nats-server.conf"
    triggers = ("websocket", "ws", "mqtt", "operator", "root")
    examples = (
        Valid("websocket { port: 8080, no_tls: true, same_origin: true }\n", path="nats-server.conf"),
        Valid("websocket { port: 443, tls { cert_file: c.pem, key_file: k.pem } }\n", path="nats-server.conf"),
        Valid("server_name: s1\njetstream { store_dir: /data }\nmqtt { port: 1883 }\n", path="nats-server.conf"),
        Valid('operator: "./op.jwt"\nresolver: MEMORY\n', path="nats-server.conf"),
        Invalid("websocket { port: 8080 }\n", path="nats-server.conf", message="requires TLS", span=(1, 1, 1, 10)),
        Invalid("ws { port: 8080, no_tls: false }\n", path="nats-server.conf", message="requires TLS"),
        Invalid("mqtt { port: 1883 }\n", path="nats-server.conf", count=2),
        Invalid(
            "server_name: s1\njetstream: disabled\nmqtt { port: 1883 }\n", path="nats-server.conf", message="JetStream"
        ),
        Invalid('operator: "./op.jwt"\n', path="nats-server.conf", message="resolver"),
        Invalid(
            'operator: "./op.jwt"\nresolver: MEMORY\nauthorization { users: [ {user: a, password: $P} ] }\n',
            path="nats-server.conf",
            message="do not allow users",
        ),
        Invalid(
            'operator: "./op.jwt"\nresolver: MEMORY\naccounts { A { users: [ {user: a} ] } }\n',
            path="nats-server.conf",
            message="do not allow accounts",
        ),
    )

    def check(self, ctx) -> Iterable[Diagnostic]:
        from authlint.syntax.natsconf import MapNode

        config = ctx.tree
        root = config.root
        if any(p.kind == "include" for p in config.problems):
            return  # what is missing may be in the include that could not be read
        for key in ("websocket", "ws"):
            entry = root.get(key)
            if entry is None or entry.source is not ctx.source or not isinstance(entry.value, MapNode):
                continue  # a websocket block of a fragment is whole there: the fragment reports it
            no_tls = entry.value.get("no_tls")
            if entry.value.get("tls") is None and (no_tls is None or no_tls.value.value is not True):
                yield self.report(ctx, entry.key_span, RefusedAtStart("websocket-tls"))
        mqtt = root.get("mqtt")
        if mqtt is not None and isinstance(mqtt.value, MapNode):
            if root.get("server_name") is None:
                yield from self._at(ctx, mqtt, "mqtt-server-name")
            if not _enabled(root.get("jetstream")) and root.get("cluster") is None:
                yield from self._at(ctx, mqtt, "mqtt-jetstream")
        operator = root.get(*OPERATOR_KEYS)
        if operator is None:
            return
        if root.get("resolver", "account_resolver", "accounts_resolver") is None:
            yield from self._at(ctx, operator, "operator-resolver")
        auth = root.get("authorization")
        if auth is not None and isinstance(auth.value, MapNode) and auth.value.get("users") is not None:
            yield from self._conflict(ctx, auth, operator, "operator-users")
        accounts = root.get("accounts")
        if accounts is not None:
            yield from self._conflict(ctx, accounts, operator, "operator-accounts")

    def _at(self, ctx, entry, what: str) -> Iterable[Diagnostic]:
        """A refusal that a key missing from the whole config causes (``server_name``, a resolver):
        at ``entry`` when this file writes it, holding only unless another config includes this one
        (the includer may write the missing key); at the include line when ``entry`` came in from a
        fragment, since the fragment alone cannot know its includer lacks the key."""
        from authlint.facts.natsconf.blocks import include_of

        if entry.source is ctx.source:
            yield self.report(ctx, entry.key_span, RefusedAtStart(what), unless_included=True)
            return
        include = include_of(ctx.tree, entry, ctx.source)
        if include is not None:
            yield self.report(ctx, include.span, IncludedRefused(include.path, entry.key, what), unless_included=True)

    def _conflict(self, ctx, entry, operator, what: str) -> Iterable[Diagnostic]:
        """``entry`` (users, accounts) that operator mode refuses: at ``entry`` when this file writes
        it; at the include line when a fragment brings it and the operator is not in that fragment
        (the fragment alone, seeing the operator, reports it itself)."""
        from authlint.facts.natsconf.blocks import include_of

        if entry.source is ctx.source:
            yield self.report(ctx, entry.key_span, RefusedAtStart(what))
            return
        include = include_of(ctx.tree, entry, ctx.source)
        if include is not None and operator.source is not entry.source:
            yield self.report(ctx, include.span, IncludedRefused(include.path, entry.key, what))
