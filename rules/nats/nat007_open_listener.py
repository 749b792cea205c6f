from __future__ import annotations

import ipaddress
from typing import Iterable

from authlint.diagnostics.diagnostic import Diagnostic, Severity
from authlint.files.kinds import NATSCONF
from authlint.rule import Invalid, Rule, Valid, Violation

CREDENTIAL_KEYS = ("token", "user", "username", "users", "auth_callout", "auth_hook", "nkey")


class OpenClientPort(Violation):
    host: str

    def message(self) -> str:
        return (
            f"client listener on {self.host or '0.0.0.0'} accepts clients without authentication "
            f"(no authorization, account users, operator or verified client certificates)"
        )


class Unauthenticated(Violation):
    listener: str  # websocket | mqtt | leafnodes
    host: str

    def message(self) -> str:
        return f"{self.listener} listener on {self.host} accepts connections without authentication"


class AnyOrigin(Violation):
    def message(self) -> str:
        return (
            "websocket without same_origin or allowed_origins: any web page can open a "
            "connection from a visitor's browser"
        )


def is_loopback(host: str) -> bool:
    """Whether a listen address is reachable from this machine only (this rule's exposure test:
    ``listen_host`` is the fact, what counts as exposed is the judgement)."""
    host = host.strip().strip("[]").lower()
    if host in ("localhost", "ip6-localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _has_credentials(block) -> bool:
    from authlint.syntax.natsconf import MapNode

    return isinstance(block, MapNode) and block.get(*CREDENTIAL_KEYS) is not None


class OpenListener(Rule):
    """
    ## What it does
    Reports a listener bound to a non-loopback address (nats-server's default is `0.0.0.0`) that
    accepts connections without any authentication: the client port with no `authorization`,
    account users, operator/JWT mode or verified client certificates; a `websocket`, `mqtt` or
    `leafnodes` listener with neither its own nor the server's auth. A `websocket` block without
    `same_origin` or `allowed_origins` is reported too: any web page may connect from a visitor's
    browser.

    ## Why is this bad?
    Anyone who reaches the port can publish and subscribe to every subject, read JetStream data
    and impersonate services. Cloud scanners find open 4222/8080/1883/7422 ports within hours.

    ## Example
    ```
    port: 4222
    websocket { port: 8080, no_tls: true }
    ```
    Use instead:
    ```
    port: 4222
    authorization { token: $NATS_TOKEN }
    websocket { port: 8080, no_tls: true, same_origin: true }
    ```

    ## Fix safety
    No fix: which credentials to require is a deployment decision.

    ## References
    - nats-server [server/const.go](https://github.com/nats-io/nats-server/blob/main/server/const.go) (`DEFAULT_HOST = "0.0.0.0"`: every interface)
    - [server/websocket.go](https://github.com/nats-io/nats-server/blob/main/server/websocket.go): without `same_origin` or `allowed_origins` any Origin may connect
    - [WebSocket configuration](https://docs.nats.io/running-a-nats-service/configuration/websocket/websocket_conf), [MQTT configuration](https://docs.nats.io/running-a-nats-service/configuration/mqtt/mqtt_config), [Leaf node configuration](https://docs.nats.io/running-a-nats-service/configuration/leafnodes/leafnode_conf)
    - [Securing NATS](https://docs.nats.io/running-a-nats-service/configuration/securing_nats/auth_intro/tls_mutual_auth): verified client certificates
    """

    code = "NAT007"
    name = "open-listener"
    summary = "non-loopback NATS listener without authentication or websocket origin check"
    kinds = frozenset({NATSCONF})
    languages = "nats-server.conf"
    severity = Severity.WARNING
    examples = (
        Valid("listen: 127.0.0.1:4222\n", path="nats-server.conf"),
        Valid("port: 4222\nauthorization { token: $NATS_TOKEN }\n", path="nats-server.conf"),
        Valid("port: 4222\naccounts { A { users: [ {user: a, password: $P} ] } }\n", path="nats-server.conf"),
        Valid('port: 4222\noperator: "./op.jwt"\nresolver: MEMORY\n', path="nats-server.conf"),
        Valid("port: 4222\ntls { cert_file: c, key_file: k, ca_file: ca, verify: true }\n", path="nats-server.conf"),
        Valid("host: localhost\nwebsocket { host: 127.0.0.1, port: 8080, no_tls: true }\n", path="nats-server.conf"),
        Valid(
            'authorization { token: $T }\nwebsocket { port: 8080, no_tls: true, allowed_origins: ["https://app.example.com"] }\n',
            path="nats-server.conf",
        ),
        Invalid("port: 4222\njetstream: enabled\n", path="nats-server.conf", message="client listener", count=1, span=(1, 1, 1, 5)),
        Invalid("listen: 0.0.0.0:4222\n", path="nats-server.conf", message="0.0.0.0"),
        Invalid(
            "authorization { token: $T }\nwebsocket { port: 8080, no_tls: true }\n",
            path="nats-server.conf",
            message="same_origin",
            count=1,
        ),
        Invalid("listen: 127.0.0.1:4222\nleafnodes { port: 7422 }\n", path="nats-server.conf", message="leafnodes"),
        Invalid("listen: 127.0.0.1:4222\nmqtt { port: 1883 }\n", path="nats-server.conf", message="mqtt"),
    )

    def check(self, ctx) -> Iterable[Diagnostic]:
        from authlint.facts.natsconf.blocks import listen_host

        config = ctx.tree
        root = config.root
        own = [e for e in root.entries if e.source is ctx.source]
        if not own or any(p.kind == "include" for p in config.problems):
            return  # auth may live in what could not be read
        global_auth = self._global_auth(root)
        host, where = listen_host(root)
        anchor = where or root.get("port") or own[0]
        if not global_auth and not is_loopback(host) and anchor.source is ctx.source:
            yield self.report(ctx, anchor.key_span, OpenClientPort(host), unless_included=True)
        for key, label in (
            ("websocket", "websocket"),
            ("ws", "websocket"),
            ("mqtt", "mqtt"),
            ("leafnodes", "leafnodes"),
            ("leaf", "leafnodes"),
        ):
            entry = root.get(key)
            if entry is None or entry.source is not ctx.source or not hasattr(entry.value, "entries"):
                continue
            block = entry.value
            if label == "leafnodes" and block.get("port", "listen") is None:
                continue  # only solicits remotes, listens nowhere
            host, _ = listen_host(block)
            if is_loopback(host):
                continue
            own_auth = _has_credentials(self._auth_block(block))
            if not own_auth and not global_auth:
                yield self.report(ctx, entry.key_span, Unauthenticated(label, host), unless_included=True)
            elif (
                label == "websocket"
                and block.get(
                    "same_origin",
                    "allowed_origins",
                    "allowed_origin",
                    "allow_origins",
                    "allow_origin",
                    "origins",
                    "origin",
                )
                is None
            ):
                yield self.report(ctx, entry.key_span, AnyOrigin(), unless_included=True)

    @staticmethod
    def _auth_block(block):
        entry = block.get("authorization", "authentication")
        return entry.value if entry is not None else None

    @staticmethod
    def _global_auth(root) -> bool:
        from authlint.syntax.natsconf import MapNode

        auth = root.get("authorization")
        if auth is not None and _has_credentials(auth.value):
            return True
        if (
            root.get(
                "operator", "operators", "roots", "root", "root_operators", "root_operator", "trusted", "trusted_keys"
            )
            is not None
        ):
            return True
        accounts = root.get("accounts")
        if accounts is not None and isinstance(accounts.value, MapNode):
            for account in accounts.value.entries:
                if isinstance(account.value, MapNode) and account.value.get("users") is not None:
                    return True
        tls = root.get("tls")
        if tls is not None and isinstance(tls.value, MapNode):
            verify = tls.value.get("verify", "verify_and_map", "verify_cert_and_check_known_urls")
            if verify is not None and verify.value.value is True:
                return True
        return False
