from __future__ import annotations

from typing import Any, Iterable, Iterator

from authlint.diagnostics.diagnostic import Diagnostic
from authlint.diagnostics.mask import Masked
from authlint.facts.model import NatsPresented, NatsRealm, NatsServerAuth
from authlint.facts.natsconf.extract import url_presented
from authlint.files.kinds import DOTENV, JAVASCRIPT, JSON, LAUNCH_KINDS, NATSCONF, PYTHON, TYPESCRIPT, YAML
from authlint.files.source import Span
from authlint.rule import Invalid, Rule, Valid, Violation


class Refused(Violation):
    """A client credential the server(s) would refuse; secrets in ``Masked`` fields are masked when it is made."""

    client: str  # the client's label ("nats-py client", "leafnode remote URL", ...)
    servers: str  # the configs that define the realm it connects to

    def problem(self) -> str:
        raise NotImplementedError

    def message(self) -> str:
        return self.problem() + ': the server answers "Authorization Violation"'


class UnexpectedToken(Refused):
    token: Masked

    def problem(self) -> str:
        return f"{self.client} sends a token {self.token} but {self.servers} take no token"


class WrongToken(Refused):
    token: Masked

    def problem(self) -> str:
        return f"{self.client} token {self.token} matches no token of {self.servers}"


class UnknownUser(Refused):
    user: str

    def problem(self) -> str:
        return f"{self.client} user `{self.user}` is not a user of {self.servers}"


class WrongPassword(Refused):
    user: str
    password: Masked

    def problem(self) -> str:
        return f"{self.client} password {self.password} for `{self.user}` does not match {self.servers}"


def secret_matches(sent: str, stored: str) -> bool:
    from authlint.syntax.natsconf import is_bcrypt

    if is_bcrypt(stored):
        import bcrypt

        try:
            return bcrypt.checkpw(sent.encode(), stored.encode())
        except ValueError:
            return False
    return sent == stored


def mismatch(client: NatsPresented, realm: NatsRealm) -> tuple[Span, Refused] | None:
    """Why the server(s) would answer "Authorization Violation", or None when it may work."""
    if not realm.has_auth or realm.opaque:
        return None
    servers = ", ".join(sorted(set(realm.where))[:3])
    if client.token is not None:
        if not realm.tokens:
            return client.span, UnexpectedToken(client.label, servers, client.token)
        if not any(secret_matches(client.token, stored) for stored in realm.tokens):
            return client.span, WrongToken(client.label, servers, client.token)
        return None
    if client.user is not None:
        if client.user not in realm.users:
            return client.span, UnknownUser(client.label, servers, client.user)
        if client.password is not None:
            stored = realm.users[client.user]
            if all(p is not None for p in stored) and not any(
                secret_matches(client.password, p) for p in stored if p is not None
            ):
                return (
                    client.password_span or client.span,
                    WrongPassword(client.label, servers, client.user, client.password),
                )
    return None


def fact_clients(project) -> Iterator[NatsPresented]:
    """Credentials of NATS clients in code, as the ``NatsClient`` facts give them (any library)."""
    from authlint.facts.model import NatsClient

    for fact in project.facts(NatsClient):
        token = _literal(fact.token)
        user = _literal(fact.user)
        password = _literal(fact.password)
        if token is not None:
            yield NatsPresented(fact.source, fact.token.value.span, token=token)
        elif user is not None:
            yield NatsPresented(
                fact.source,
                fact.user.value.span,
                user=user,
                password=password,
                password_span=fact.password.value.span if password is not None else None,
            )
        elif fact.servers is not None:
            urls = fact.servers.value
            for url in urls if isinstance(urls, list) else [urls]:
                if isinstance(url, str):
                    found = url_presented(fact.source, fact.servers.span, url, "NATS client URL", None)
                    if found is not None:
                        yield found


def outside_clients(project) -> Iterator[NatsPresented]:
    """Credentials written outside code: deployment environments (``NATS_TOKEN``, ``NATS_USER`` and
    ``NATS_PASSWORD``, ``NATS_URL`` with credentials) and nats CLI contexts (``facts.nats_outside``)."""
    from authlint.facts.nats_outside import presented

    return presented(project)


def _literal(option) -> Any:
    if option is None or not option.value.known or not isinstance(option.value.value, str):
        return None
    return option.value.value


class ClientCredentialMismatch(Rule):
    """
    ## What it does
    Joins the NATS clients of the project with the nats-server configs in it: a client (nats-py,
    nats.js) whose literal token, or user and password, matches no credential of any server config
    is reported (a server started with `--auth` or `--user`/`--pass` flags in Compose, Kubernetes, a
    Dockerfile or a Procfile counts as a server config), and so are leafnode remote and cluster route URLs whose credentials the
    `leafnodes`/`cluster` `authorization` of the configs would refuse. Bcrypt hashes in the config are
    checked against the client's plaintext. Credentials a code client reads from the environment,
    and configs that could not be read completely, make the rule stay silent rather than guess.

    Connection settings written outside code are clients too: the environment a deployment gives
    (Compose `environment` and `env_file`, Kubernetes container `env`, `.env` files) under the
    names the nats CLI and most NATS tools read (`NATS_TOKEN`; `NATS_USER` with `NATS_PASSWORD`;
    `NATS_URL`/`NATS_SERVERS` with credentials in the URL), and nats CLI contexts committed as
    `context/NAME.json` (`url`, `token`, `user`, `password`). The finding sits where the value is
    written and names the server configs that refuse it. `${VAR}` and `valueFrom` values, and
    dotenv templates (`.env.example`), are not literals and are skipped.

    ## Why is this bad?
    The mismatch only shows at run time, as a bare "Authorization Violation" (nats-server never says
    which part was wrong), typically after a token was rotated on one side only.

    ## Example
    ```
    # nats-server.conf
    authorization { token: "Zq8v1LwQe3rT9yUx" }
    # app.py
    await nats.connect("nats://127.0.0.1:4222", token="Zq8v1LwQe3rT9yUy")
    ```
    ```yaml
    # docker-compose.yml
    services:
      worker:
        environment:
          NATS_TOKEN: Zq8v1LwQe3rT9yUy   # reported: nats-server.conf takes another token
    ```

    ## Fix safety
    No fix: which side is right cannot be known.

    ## References
    - [Tokens](https://docs.nats.io/running-a-nats-service/configuration/securing_nats/auth_intro/tokens), [Username/Password](https://docs.nats.io/running-a-nats-service/configuration/securing_nats/auth_intro/username_password): a bcrypt value in the config, the plaintext in the client
    - [nats-server#1358](https://github.com/nats-io/nats-server/issues/1358): the client only ever sees `Authorization Violation`
    - [nats.go#316](https://github.com/nats-io/nats.go/issues/316): a client sending the bcrypt hash instead of the token
    - [natscli](https://github.com/nats-io/natscli) (`--server=NATS_URL`, `--user=NATS_USER`, `--password=NATS_PASSWORD`, `--creds=NATS_CREDS`, `--nkey=NATS_NKEY`; contexts saved as `~/.config/nats/context/NAME.json`)
    - [nats.py `connect`](https://github.com/nats-io/nats.py) (`token=`, `user=`, `password=`, credentials in server URLs) and [nats.js `connect`](https://github.com/nats-io/nats.js) (`token`, `user`, `pass`)
    """

    code = "NAT010"
    name = "client-credential-mismatch"
    summary = "NATS client credentials that no server config in the project accepts"
    # YAML and the launch kinds: servers started with `--auth`/`--user`/`--pass` (lint/facts/launches.py);
    # YAML, dotenv and JSON also: client settings outside code (deployment environments, nats contexts)
    kinds = frozenset({NATSCONF, PYTHON, JAVASCRIPT, TYPESCRIPT, YAML, DOTENV, JSON}) | LAUNCH_KINDS
    triggers = ("nats",)
    # a nats CLI context names no "nats" when its URL has no scheme (``"url": "hub:4222"``)
    kind_triggers = {JSON: ("nats", '"token"', '"password"', '"url"')}
    project_rule = True
    languages = "Python, JS/TS, nats-server.conf, YAML, .env, nats CLI contexts"
    examples = (
        Valid("authorization { token: $NATS_TOKEN }\n", path="nats-server.conf"),
        Valid(
            'cluster {\n  authorization { user: ruser, password: "Zq8v1LwQe3rT9y" }\n'
            "  routes: [ nats-route://ruser:Zq8v1LwQe3rT9y@10.0.0.2:6222 ]\n}\n",
            path="nats-server.conf",
        ),
        Valid(
            'leafnodes { remotes: [ { url: "nats-leaf://leaf:Zq8v1LwQe3rT9y@hub:7422" } ] }\n',
            path="leaf/nats-server.conf",
            files={
                "hub/nats-server.conf": "leafnodes { port: 7422, authorization { users: [ {user: leaf, "
                'password: "$2a$04$CfgrWurOkny5JTuwLWCn5ueArMTlSulcH3OMKE4WMFMfvji2j25Oy"} ] } }\n'
            },
        ),
        Invalid(
            'cluster {\n  authorization { user: ruser, password: "Zq8v1LwQe3rT9y" }\n'
            "  routes: [ nats-route://ruser:Zq8v1LwQe3rT9Y@10.0.0.2:6222 ]\n}\n",
            path="nats-server.conf",
            message="does not match",
            span=(3, 32, 3, 46),
        ),
        Invalid(
            'leafnodes { remotes: [ { url: "nats-leaf://leafy:Zq8v1LwQe3rT9y@hub:7422" } ] }\n',
            path="leaf/nats-server.conf",
            files={
                "hub/nats-server.conf": "leafnodes { port: 7422, authorization { users: [ {user: leaf, "
                'password: "Zq8v1LwQe3rT9y"} ] } }\n'
            },
            message="`leafy` is not a user",
        ),
    )

    def check_project(self, project) -> Iterable[Diagnostic]:
        servers = list(project.facts(NatsServerAuth))
        if not servers:
            return
        presented = [client for server in servers for client in server.presented]
        clients = [*fact_clients(project), *outside_clients(project)]
        if not presented and not clients:
            return
        found = {realm: NatsRealm() for realm in ("client", "leaf", "route")}
        for server in servers:
            for name, realm in server.realms.items():
                found[name].merge(realm)
        if any(server.unread_includes for server in servers):  # their credentials are unknown
            for realm in found.values():
                realm.opaque = True
        for client in [*presented, *clients]:
            problem = mismatch(client, found[client.realm])
            if problem is not None:
                yield self.report(client.source, *problem)


# nats-py clients against a server config of the same project (added to the rule's examples below).
CROSS_FILE_EXAMPLES = (
    Valid(
        'import nats\n\nasync def main():\n    nc = await nats.connect("nats://127.0.0.1:4222", token="Zq8v1LwQe3rT9yUx")\n',
        path="app.py",
        files={"nats-server.conf": 'authorization { token: "Zq8v1LwQe3rT9yUx" }\n'},
    ),
    Valid(
        'import nats\n\nasync def main():\n    nc = await nats.connect("nats://127.0.0.1:4222", token="Zq8v1LwQe3rT9yUx")\n',
        path="app.py",
        files={"nats-server.conf": "authorization { token: $NATS_TOKEN }\n"},
    ),
    Invalid(
        'import nats\n\nasync def main():\n    nc = await nats.connect("nats://127.0.0.1:4222", token="Zq8v1LwQe3rT9yUy")\n',
        path="app.py",
        files={"nats-server.conf": 'authorization { token: "Zq8v1LwQe3rT9yUx" }\n'},
        message="matches no token",
    ),
    Invalid(
        'import nats\n\nasync def main():\n    nc = await nats.connect(servers=["nats://127.0.0.1:4222"], '
        'user="carol", password="Zq8v1LwQe3rT9yUx")\n',
        path="app.py",
        files={"nats-server.conf": 'authorization { users: [ {user: alice, password: "Zq8v1LwQe3rT9yUx"} ] }\n'},
        message="`carol` is not a user",
    ),
    Valid(
        'import { connect } from "nats";\nconst nc = await connect({ servers: "nats://127.0.0.1:4222", token: "Zq8v1LwQe3rT9yUx" });\n',
        path="client.mjs",
        files={"nats-server.conf": 'authorization { token: "Zq8v1LwQe3rT9yUx" }\n'},
    ),
    Invalid(
        'import { connect } from "nats";\nconst nc = await connect({ servers: "nats://127.0.0.1:4222", token: "Zq8v1LwQe3rT9yUy" });\n',
        path="client.mjs",
        files={"nats-server.conf": 'authorization { token: "Zq8v1LwQe3rT9yUx" }\n'},
        message="matches no token",
        count=1,
    ),
)

_SERVER = {"nats/nats-server.conf": 'authorization { token: "Zq8v1LwQe3rT9yUx" }\n'}
_USERS = {"nats/nats-server.conf": 'authorization { users: [ {user: app, password: "Zq8v1LwQe3rT9yUx"} ] }\n'}
# connection settings outside code: deployment environments and nats CLI contexts
OUTSIDE_CODE_EXAMPLES = (
    Invalid(
        "services:\n  worker:\n    build: ./worker\n    environment:\n      NATS_URL: nats://nats:4222\n"
        "      NATS_TOKEN: Zq8v1LwQe3rT9yUy\n",
        path="docker-compose.yml",
        files=_SERVER,
        message="Compose service `worker` (`NATS_TOKEN`) token",
        span=(6, 19, 6, 35),
        count=1,
    ),
    Valid(
        "services:\n  worker:\n    build: ./worker\n    environment:\n      NATS_URL: nats://nats:4222\n"
        "      NATS_TOKEN: Zq8v1LwQe3rT9yUx\n",
        path="docker-compose.yml",
        files=_SERVER,
    ),
    Valid(
        "services:\n  worker:\n    environment:\n      NATS_TOKEN: ${NATS_TOKEN}\n",
        path="docker-compose.yml",
        files=_SERVER,
    ),
    Invalid(
        "services:\n  worker:\n    env_file: worker.env\n",
        path="docker-compose.yml",
        files={**_USERS, "worker.env": "NATS_USER=app\nNATS_PASSWORD=Zq8v1LwQe3rT9yUy\n"},
        message="does not match nats/nats-server.conf",
    ),
    Invalid(
        "NATS_URL=nats://app:Zq8v1LwQe3rT9yUy@localhost:4222\n",
        path=".env",
        files=_USERS,
        message="`.env` (`NATS_URL`) password",
        span=(1, 21, 1, 37),
    ),
    Valid("NATS_URL=nats://app:Zq8v1LwQe3rT9yUx@localhost:4222\n", path=".env", files=_USERS),
    Valid("NATS_TOKEN=Zq8v1LwQe3rT9yUy\n", path=".env.example", files=_SERVER),
    Invalid(
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api\nspec:\n  template:\n    spec:\n"
        "      containers:\n        - name: api\n          image: api:1\n          env:\n"
        "            - name: NATS_TOKEN\n              value: Zq8v1LwQe3rT9yUy\n",
        path="k8s/api.yaml",
        files=_SERVER,
        message="`Deployment/api` (`NATS_TOKEN`) token",
    ),
    Invalid(
        '{\n  "description": "ops",\n  "url": "nats://127.0.0.1:4222",\n  "user": "ops",\n  "password": "Zq8v1LwQe3rT9yUx"\n}\n',
        path="context/ops.json",
        files=_USERS,
        message="nats context `ops` user `ops` is not a user of nats/nats-server.conf",
        span=(4, 12, 4, 15),
    ),
    Valid(
        '{\n  "description": "app",\n  "url": "nats://127.0.0.1:4222",\n  "user": "app",\n  "password": "Zq8v1LwQe3rT9yUx"\n}\n',
        path="context/app.json",
        files=_USERS,
    ),
    Valid('{\n  "user": "ops",\n  "password": "Zq8v1LwQe3rT9yUx"\n}\n', path="fixtures/login.json", files=_USERS),
)

ClientCredentialMismatch.examples = ClientCredentialMismatch.examples + CROSS_FILE_EXAMPLES + OUTSIDE_CODE_EXAMPLES


# A server started from flags in a Compose file, and a client of the project with other credentials.
FLAG_EXAMPLES = (
    Invalid(
        'import nats\n\nasync def main():\n    nc = await nats.connect("nats://nats:4222", user="app", '
        'password="Zq8v1LwQe3rT9yUy")\n',
        path="app.py",
        files={"docker-compose.yml": "services:\n  nats:\n    image: nats:2.10\n"
               "    command: [\"--user\", \"app\", \"--pass\", \"Zq8v1LwQe3rT9yUx\"]\n"},
        message="does not match Compose service `nats` (docker-compose.yml:2)",
    ),
    Valid(
        'import nats\n\nasync def main():\n    nc = await nats.connect("nats://nats:4222", user="app", '
        'password="Zq8v1LwQe3rT9yUx")\n',
        path="app.py",
        files={"docker-compose.yml": "services:\n  nats:\n    image: nats:2.10\n"
               "    command: [\"--user\", \"app\", \"--pass\", \"Zq8v1LwQe3rT9yUx\"]\n"},
    ),
)

ClientCredentialMismatch.examples = ClientCredentialMismatch.examples + FLAG_EXAMPLES
