from __future__ import annotations

import ipaddress
from typing import Iterable

from authlint.diagnostics.diagnostic import Diagnostic, Severity
from authlint.files.kinds import NATSCONF, YAML
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


class ExposedMonitoring(Violation):
    key: str
    host: str
    client_host: str

    def message(self) -> str:
        return (
            f"monitoring port (`{self.key}`) on {self.host} while clients are kept on {self.client_host}: "
            f"/varz, /connz, /subsz and /accountz answer anyone, without authentication"
        )


class FlagsOnly(Violation):
    """nats-server started by flags alone: no config, no authentication flag."""

    service: str
    host: str
    port: int
    reach: str

    def message(self) -> str:
        return (
            f"{self.service} starts nats-server with flags only (no `-c` config, no `--auth`/`--user`/`--pass`): "
            f"it accepts clients on {self.host or '0.0.0.0'}:{self.port} without authentication and {self.reach}"
        )


class ImageConfig(Violation):
    """The official image's own command, which reads its built-in config (no client authorization)."""

    service: str
    image: str
    host: str
    port: int
    reach: str

    def message(self) -> str:
        return (
            f"{self.service} runs `{self.image}` with the image's built-in config (`nats-server.conf`: "
            f"`port: 4222`, no authorization): it accepts clients on {self.host or '0.0.0.0'}:{self.port} "
            f"without authentication and {self.reach}"
        )


class FromInclude(Violation):
    """A listener an included fragment opens, reported at the include line of this config."""

    path: str
    problem: Violation

    def message(self) -> str:
        return f"included `{self.path}`: {self.problem.message()}"


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


MONITOR_KEYS = ("http", "https", "http_port", "monitor_port", "https_port")
CLIENT_LISTENER_KEYS = ("listen", "port", "host", "net")


def client_listener(root, where):
    """The entry that makes this config a server of clients: ``listen``, ``port``, ``host``/``net``.

    A config that writes none of them is a fragment or a snippet as often as a server's whole
    config (a server started without them still listens on 0.0.0.0:4222, but the port then comes
    from the deployment's flags or an includer, which judge it). None: the config names no client
    listener, so no client finding is made for it."""
    if where is not None:
        return where
    written = root.get(*CLIENT_LISTENER_KEYS)
    return written if written is not None else misspelt_listener(root)


def misspelt_listener(root):
    """A top-level key nats-server does not know that is one typo from a client listener key
    (`prot: 4222`, `lisen: ...`): the author meant the server to listen there, and fixing the typo
    (NAT001) must not be what first shows the open port."""
    from authlint.facts.knowledge import nats_keys
    from authlint.rules.nats.nat001_unknown_key import edit_distance

    known = nats_keys.block_keys("top")
    for entry in root.entries:
        lower = entry.lower
        if lower in known or entry.used_as_variable:
            continue
        if any(edit_distance(lower, key) <= 1 for key in ("listen", "port")):
            return entry
    return None


def monitor_host(entry) -> str | None:
    """The host an ``http``/``https: "host:port"`` entry names (None: a bare port, which binds the
    client host as ``http_port`` does)."""
    value = entry.value.value
    if entry.lower not in ("http", "https") or not isinstance(value, str):
        return None
    host, sep, _port = value.rpartition(":")
    return host if sep and host else None


def reach(launch, host: str, port: int) -> str | None:
    """How clients outside the deployment's own container network reach ``host:port``: the
    deployment publishes it on a non-loopback host address (Compose ``ports``, a Kubernetes
    ``hostPort``) or runs on the host's network. None: no such evidence (a port only other
    containers of the same network or pods of the cluster reach is not reported: silence when
    unsure), or the server binds loopback."""
    from authlint.facts.launchlistener import covers

    if is_loopback(host) or host.startswith(("$", "/")):
        return None
    if launch.host_network:
        return "runs on the host's network"
    for published in launch.published:
        if "$" in published.host or is_loopback(published.host) or not covers(published.ports, port):
            continue
        if published.via:
            return f"{published.via} exposes it outside the cluster"
        where = published.host or "every interface of the host"
        how = "a `hostPort`" if launch.origin == "kubernetes" else "`ports`"
        return f"publishes it on {where} ({how})"
    return None


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
    browser. The finding points at the listener it is about (`listen`/`port`/`host`, the
    `websocket`/`mqtt`/`leafnodes` block). It is made only for listeners that would serve: a
    config that names no client listener (`listen`, `port`, `host`/`net`) is a snippet or a
    fragment and gets no client finding, and a `websocket`/`mqtt`/`leafnodes` block without a
    `port` or `listen` opens nothing. While clients are kept on loopback, an HTTP monitoring port
    (`http`/`https: host:port`, or `http_port`/`monitor_port`/`https_port`, which bind the client
    host) on a non-loopback address is reported too: monitoring has no authentication.

    A fragment (a file another config includes) is judged as part of its includer: its findings
    are dropped when its includer is checked, and a listener it opens is reported at the
    includer's `include` line when the includer lacks auth.

    A server whose listener the deployment decides, not a config file, is judged in the Compose or
    Kubernetes file that starts it: nats-server started with flags only (no `-c`, no `--auth`,
    `--user`/`--pass` or `--tlsverify`; on the official `nats` image any `command`/`args` replaces
    the image's own `--config`, so `command: -js` runs without a config) listens on `--addr`
    (default `0.0.0.0`) and `--port` (default 4222) with no authentication, and is reported at the
    command; the official image run with no command reads its built-in `nats-server.conf`
    (`port: 4222`, no client authorization) and is reported at the `image:` line, unless the
    deployment mounts something over `/etc/nats/nats-server.conf` (`/nats-server.conf` on scratch
    tags) or builds its own image (`-c` on that path, with nothing mounted there, is the same
    built-in config, reported at the command). Either is reported only when clients beyond the deployment's
    own container network can reach it: Compose `ports` publishing the client port on a
    non-loopback host address, a Kubernetes `hostPort` for it, a `NodePort` or `LoadBalancer`
    Service in the same file whose selector picks the pods and whose `targetPort` is the client
    port (not narrowed by `loadBalancerSourceRanges` or an internal load balancer annotation), or
    the host's network (`network_mode: host`, `hostNetwork: true`). A port only other containers
    of the Compose network or pods of the cluster reach (a `ClusterIP` Service, a Service in
    another file) is not reported, nor a service that inherits settings (`<<: *anchor`, `extends`), nor a
    loopback `--addr`, a `$VARIABLE` address or port, a Dockerfile
    (where the image runs is not written there) or a Procfile. A server started with `-c` is
    judged at its config.

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
    - [server/opts.go](https://github.com/nats-io/nats-server/blob/main/server/opts.go) (`processOptions`: `HTTPHost` defaults to the client `Host`) and [Monitoring](https://docs.nats.io/running-a-nats-service/nats_admin/monitoring) (the endpoints have no authentication)
    - [server/server.go](https://github.com/nats-io/nats-server/blob/main/server/server.go): the websocket, MQTT and leaf node listeners start only when their port is set
    - [nats-server flags](https://docs.nats.io/running-a-nats-service/introduction/flags) (`-a`/`--addr`, `-p`/`--port`, `--auth`, `--user`/`--pass`, `--tlsverify`; no config file is read without `-c`)
    - [nats-io/nats-docker](https://github.com/nats-io/nats-docker) `2.10.x/alpine3.22/Dockerfile` (`CMD ["nats-server", "--config", "/etc/nats/nats-server.conf"]`, replaced by any command; `docker-entrypoint.sh` prepends `nats-server` to a command starting with `-`), `2.10.x/scratch/Dockerfile` (`ENTRYPOINT ["/nats-server"]`, `CMD ["--config", "nats-server.conf"]`) and their `nats-server.conf` (`port: 4222`, no client authorization; the same in 2.9.x)
    - [Compose `ports`](https://docs.docker.com/reference/compose-file/services/#ports) (published on every host interface unless a host IP is given), [Kubernetes container ports](https://kubernetes.io/docs/reference/kubernetes-api/workload-resources/pod-v1/#ports) (`hostPort`, `hostIP`) and [`hostNetwork`](https://kubernetes.io/docs/reference/kubernetes-api/workload-resources/pod-v1/#hostname-and-name-resolution)
    """

    code = "NAT007"
    name = "open-listener"
    summary = "non-loopback NATS listener without authentication or websocket origin check"
    kinds = frozenset({NATSCONF, YAML})
    languages = "nats-server.conf"  # and nats-server started by Compose/Kubernetes (see the docs above)
    kind_triggers = {YAML: ("nats",)}
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
        # the finding points at the client listener, not at the first key of the file
        Invalid(
            "server_name: n1\ncluster { name: c1, listen: 127.0.0.1:6222 }\nport: 4222\n",
            path="nats-server.conf",
            message="client listener",
            count=1,
            span=(3, 1, 3, 5),
        ),
        # a config that names no client listener is a snippet or a fragment: no client finding
        Invalid("prot: 4222\n", path="nats-server.conf", message="client listener", span=(1, 1, 1, 5)),  # a typo of `port`
        Valid("server_name: hub\njetstream { store_dir: /data }\n", path="nats-server.conf"),
        Valid('tls { cert_file: "c.pem", key_file: "k.pem" }\n', path="nats-server.conf"),
        # websocket and mqtt without a port listen nowhere
        Valid("listen: 127.0.0.1:4222\nwebsocket { no_tls: true }\nmqtt {}\n", path="nats-server.conf"),
        # monitoring: `http_port` binds the client host; `http: host:port` names its own
        Valid("listen: 127.0.0.1:4222\nhttp_port: 8222\n", path="nats-server.conf"),
        Valid("listen: 127.0.0.1:4222\nhttp: localhost:8222\n", path="nats-server.conf"),
        Invalid(
            "listen: 127.0.0.1:4222\nhttp: 0.0.0.0:8222\n",
            path="nats-server.conf",
            message="monitoring port (`http`) on 0.0.0.0",
            count=1,
            span=(2, 1, 2, 5),
        ),
        Invalid(
            "listen: 127.0.0.1:4222\nhttps: 10.0.0.5:8222\n", path="nats-server.conf", message="/varz", count=1
        ),
    )

    def check(self, ctx) -> Iterable[Diagnostic]:
        from authlint.facts.natsconf.blocks import listen_host

        if ctx.kind != NATSCONF:
            yield from self._deployed(ctx)
            return
        config = ctx.tree
        root = config.root
        if not any(e.source is ctx.source for e in root.entries) or any(p.kind == "include" for p in config.problems):
            return  # auth may live in what could not be read
        global_auth = self._global_auth(root)
        host, where = listen_host(root)
        listener = client_listener(root, where)
        if listener is not None and not global_auth and not is_loopback(host):
            yield from self._at(ctx, listener, OpenClientPort(host))
        if listener is not None and is_loopback(host):
            yield from self._monitoring(ctx, root, host)
        for key, label in (
            ("websocket", "websocket"),
            ("ws", "websocket"),
            ("mqtt", "mqtt"),
            ("leafnodes", "leafnodes"),
            ("leaf", "leafnodes"),
        ):
            entry = root.get(key)
            if entry is None or not hasattr(entry.value, "entries"):
                continue
            block = entry.value
            if block.get("port", "listen") is None:
                continue  # listens nowhere: nats-server starts these listeners only for a port
                # (leafnodes with only `remotes` solicits; websocket/mqtt without one are off)
            block_host, _ = listen_host(block)
            if is_loopback(block_host):
                continue
            own_auth = _has_credentials(self._auth_block(block))
            if not own_auth and not global_auth:
                yield from self._at(ctx, entry, Unauthenticated(label, block_host))
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
                yield from self._at(ctx, entry, AnyOrigin())

    def _deployed(self, ctx) -> Iterable[Diagnostic]:
        """Compose services and Kubernetes containers whose nats-server no config file decides:
        started by flags alone, or the official image's own command and built-in config."""
        from authlint.facts.launchlistener import bare_listener
        from authlint.facts.model import NatsLaunch

        for launch in ctx.of(NatsLaunch):
            if launch.origin not in ("compose", "kubernetes"):
                continue
            listener = bare_listener(launch)
            if listener is None:
                continue
            how = reach(launch, listener.host, listener.port)
            if how is None:
                continue
            if listener.origin == "image":
                yield self.report(ctx, listener.span, ImageConfig(launch.service, launch.image, listener.host, listener.port, how))
            else:
                yield self.report(ctx, listener.span, FlagsOnly(launch.service, listener.host, listener.port, how))

    def _at(self, ctx, entry, violation: Violation) -> Iterable[Diagnostic]:
        """At ``entry`` when this file writes it; at the include line when a fragment brings it (the
        fragment alone cannot see its includer's auth). Either way the finding holds only unless
        another config includes this one: the includer's auth, or its loopback host, decides."""
        from authlint.facts.natsconf.blocks import include_of

        if entry.source is ctx.source:
            yield self.report(ctx, entry.key_span, violation, unless_included=True)
            return
        include = include_of(ctx.tree, entry, ctx.source)
        if include is not None:
            yield self.report(ctx, include.span, FromInclude(include.path, violation), unless_included=True)

    def _monitoring(self, ctx, root, client_host: str) -> Iterable[Diagnostic]:
        """The HTTP monitoring port bound to a non-loopback address while clients are kept on
        loopback: ``http``/``https: host:port`` name its host; ``http_port``/``monitor_port``/
        ``https_port`` bind the client host (nats-server's ``HTTPHost`` defaults to ``Host``)."""
        for entry in root.entries:
            if entry.lower not in MONITOR_KEYS or entry is not root.get(entry.key):
                continue  # only the last of repeated keys counts
            host = monitor_host(entry) or client_host
            if not is_loopback(host):
                yield from self._at(ctx, entry, ExposedMonitoring(entry.key, host, client_host))

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


# Servers whose listener the deployment decides (flags only, or the image's built-in config), each
# with its corrected twin.
_FLAGS = 'services:\n  nats:\n    image: nats:2.10-alpine\n    command: -js\n    ports:\n      - "4222:4222"\n'
_IMAGE = 'services:\n  nats:\n    image: nats:2.10\n    ports:\n      - "4222:4222"\n      - "8222:8222"\n'
_AUTH_CONF = "port: 4222\nauthorization { token: $NATS_TOKEN }\n"
_K8S = (
    "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: nats}\nspec:\n  template:\n    spec:\n"
    "      containers:\n        - name: nats\n          image: nats:2.10-alpine\n"
    '          args: ["-js"]\n          ports:\n            - {containerPort: 4222, hostPort: 4222}\n'
)
_K8S_IMAGE = (
    "apiVersion: apps/v1\nkind: DaemonSet\nmetadata: {name: nats}\nspec:\n  template:\n    spec:\n"
    "      hostNetwork: true\n      containers:\n        - name: nats\n          image: nats:2.9.25\n"
)
DEPLOYMENT_EXAMPLES = (
    # Compose: `-js` replaces the image's `--config`: nats-server runs with flags only, published on 4222
    Invalid(_FLAGS, path="docker-compose.yml", message="flags only", count=1, span=(4, 14, 4, 17)),
    Valid(_FLAGS.replace("command: -js", "command: -js --auth ${NATS_TOKEN}"), path="docker-compose.yml"),
    Valid(_FLAGS.replace('"4222:4222"', '"127.0.0.1:4222:4222"'), path="docker-compose.yml"),  # host loopback
    Valid(_FLAGS.replace("command: -js", "command: -js -a 127.0.0.1"), path="docker-compose.yml"),
    Valid(_FLAGS.split("    ports:")[0], path="docker-compose.yml"),  # only the Compose network reaches it
    Invalid(  # the host's network: every interface of the host, on the port the flags set
        'services:\n  nats:\n    image: nats:2.10\n    network_mode: host\n    command: ["--port", "4333"]\n',
        path="docker-compose.yml",
        message="0.0.0.0:4333 without authentication and runs on the host's network",
        span=(5, 16, 5, 30),
    ),
    # Compose: no command runs the image's built-in nats-server.conf (no client authorization)
    Invalid(_IMAGE, path="docker-compose.yml", message="built-in config", count=1, span=(3, 12, 3, 21)),
    Valid(
        _IMAGE + "    environment: [NATS_TOKEN]\n    volumes:\n      - ./nats.conf:/etc/nats/nats-server.conf:ro\n",
        path="docker-compose.yml",
        files={"nats.conf": _AUTH_CONF},
    ),
    Valid(_IMAGE.replace("    image: nats:2.10\n", "    build: ./nats\n    image: nats:2.10\n"), path="docker-compose.yml"),
    Valid(  # the command may come from the anchor's mapping: not all written in the service
        "x-nats: &nats\n  command: -c /etc/nats/nats.conf\n" + _IMAGE.replace("    image:", "    <<: *nats\n    image:"),
        path="docker-compose.yml",
    ),
    Valid(  # `-c`: the config decides, and is judged where it is
        _IMAGE + '    command: ["-c", "/etc/nats/nats.conf"]\n    volumes:\n      - ./nats.conf:/etc/nats/nats.conf:ro\n',
        path="docker-compose.yml",
        files={"nats.conf": _AUTH_CONF},
    ),
    Invalid(  # `-c` on the image's own config path, with nothing mounted there: the built-in config
        _IMAGE + '    command: ["-js", "-c", "/etc/nats/nats-server.conf"]\n',
        path="docker-compose.yml",
        message="built-in config",
        span=(7, 16, 7, 55),
    ),
    # Kubernetes: flags only, on a hostPort
    Invalid(_K8S, path="k8s/nats.yaml", message="`Deployment/nats` starts nats-server with flags only", span=(10, 19, 10, 22)),
    Valid(
        _K8S.replace('args: ["-js"]', 'args: ["-js", "--auth", "$(NATS_TOKEN)"]')
        + "          env:\n            - name: NATS_TOKEN\n              valueFrom: {secretKeyRef: {name: nats, key: token}}\n",
        path="k8s/nats.yaml",
    ),
    Valid(_K8S.replace(", hostPort: 4222", ""), path="k8s/nats.yaml"),  # only pods of the cluster reach it
    Invalid(  # a LoadBalancer Service in the same file selects the pods and targets the client port
        _K8S.replace(", hostPort: 4222", ", name: client").replace("metadata: {name: nats}\nspec:\n  template:\n",
                                                                   "metadata: {name: nats}\nspec:\n  template:\n    metadata: {labels: {app: nats}}\n")
        + "---\napiVersion: v1\nkind: Service\nmetadata: {name: nats-public}\n"
        "spec:\n  type: LoadBalancer\n  selector: {app: nats}\n  ports:\n    - {port: 4222, targetPort: client}\n",
        path="k8s/nats.yaml",
        message="Service `nats-public` (LoadBalancer) exposes it outside the cluster",
        count=1,
    ),
    Valid(  # a ClusterIP Service: only pods of the cluster reach it
        _K8S.replace(", hostPort: 4222", "").replace("metadata: {name: nats}\nspec:\n  template:\n",
                                                     "metadata: {name: nats}\nspec:\n  template:\n    metadata: {labels: {app: nats}}\n")
        + "---\napiVersion: v1\nkind: Service\nmetadata: {name: nats}\n"
        "spec:\n  selector: {app: nats}\n  ports:\n    - {port: 4222}\n",
        path="k8s/nats.yaml",
    ),
    # Kubernetes: the image's own command on the host's network
    Invalid(_K8S_IMAGE, path="k8s/nats.yaml", message="runs `nats:2.9.25` with the image's built-in config", span=(10, 18, 10, 29)),
    Valid(
        _K8S_IMAGE + "          volumeMounts:\n            - {name: config, mountPath: /etc/nats}\n",
        path="k8s/nats.yaml",
    ),
)

OpenListener.examples = OpenListener.examples + DEPLOYMENT_EXAMPLES
