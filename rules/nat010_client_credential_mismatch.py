from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Iterable, Iterator

from authlint.diagnostic import Diagnostic
from authlint.redact import redact
from authlint.rule import JAVASCRIPT, NATSCONF, PYTHON, TYPESCRIPT, Invalid, Rule, Valid
from authlint.source import Source, Span


@dataclass
class Realm:
    """The credentials one kind of listener accepts, gathered over every server config."""

    tokens: list[str] = field(default_factory=list)
    users: dict[str, list[str | None]] = field(default_factory=dict)  # name -> passwords (None: unknown)
    nkeys: int = 0
    opaque: bool = False  # some credential comes from the environment or could not be read
    where: list[str] = field(default_factory=list)

    @property
    def has_auth(self) -> bool:
        return bool(self.tokens or self.users or self.nkeys or self.opaque)


@dataclass
class Presented:
    """Credentials a client sends: from options or from a ``scheme://user:pass@host`` URL."""

    source: Source
    span: Span
    token: str | None = None
    user: str | None = None
    password: str | None = None
    password_span: Span | None = None
    label: str = "NATS client"


def secret_matches(sent: str, stored: str) -> bool:
    from authlint.parsers.natsconf import is_bcrypt

    if is_bcrypt(stored):
        import bcrypt

        try:
            return bcrypt.checkpw(sent.encode(), stored.encode())
        except ValueError:
            return False
    return sent == stored


def mismatch(client: Presented, realm: Realm) -> tuple[Span, str] | None:
    """Why the server(s) would answer "Authorization Violation", or None when it may work."""
    if not realm.has_auth or realm.opaque:
        return None
    servers = ", ".join(sorted(set(realm.where))[:3])
    if client.token is not None:
        if not realm.tokens:
            return client.span, f"{client.label} sends a token {redact(client.token)} but {servers} take no token"
        if not any(secret_matches(client.token, stored) for stored in realm.tokens):
            return client.span, f"{client.label} token {redact(client.token)} matches no token of {servers}"
        return None
    if client.user is not None:
        if client.user not in realm.users:
            return client.span, f"{client.label} user `{client.user}` is not a user of {servers}"
        if client.password is not None:
            stored = realm.users[client.user]
            if all(p is not None for p in stored) and not any(
                secret_matches(client.password, p) for p in stored if p is not None
            ):
                return (
                    client.password_span or client.span,
                    f"{client.label} password {redact(client.password)} for `{client.user}` does not match {servers}",
                )
    return None


def _secret_value(entry) -> tuple[str | None, bool]:
    """(value, opaque) of a password/token entry."""
    if entry is None:
        return None, False
    node = entry.value.origin
    if node is None or node.from_env or node.kind == "unresolved":
        return None, True
    value = node.value
    return (value if isinstance(value, str) else str(value)), False


def realms(contexts) -> dict[str, Realm]:
    """client / leaf / route realms over all parsable server configs."""
    from authlint.context import ParseError
    from authlint.parsers.nats_model import blocks

    result = {"client": Realm(), "leaf": Realm(), "route": Realm()}
    for ctx in contexts:
        try:
            config = ctx.tree
        except ParseError:
            continue
        name = ctx.source.relpath
        if any(p.kind == "include" for p in config.problems):
            for realm in result.values():
                realm.opaque = True
        for block, path in blocks(config, "authorization"):
            realm_key = {"authorization": "client", "cluster": "route"}.get(path[0] if path else "")
            if realm_key is not None:
                _collect(block, result[realm_key], name)
        for block, _path in blocks(config, "leaf_authorization"):
            _collect(block, result["leaf"], name)
        for block, path in blocks(config, "user"):
            if path[:1] in (("authorization",), ("accounts",)):
                _collect_user(block, result["client"], name)
        for block, path in blocks(config, "leaf_user"):
            _collect_user(block, result["leaf"], name)
    return result


def _collect(block, realm: Realm, name: str) -> None:
    token, opaque = _secret_value(block.get("token"))
    realm.opaque |= opaque
    if token is not None:
        realm.tokens.append(token)
        realm.where.append(name)
    _collect_user(block, realm, name)


def _collect_user(block, realm: Realm, name: str) -> None:
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


def url_presented(source: Source, span: Span, url: str, label: str, base: int | None) -> Presented | None:
    from authlint.parsers.nats_model import URL_CRED_RE

    m = URL_CRED_RE.match(url)
    if not m or not m.group("user"):
        return None
    pw = m.group("password")
    pw_span = Span(base + m.start("password"), base + m.end("password")) if base is not None and pw is not None else None
    if pw is None:
        return Presented(source, span, token=m.group("user"), label=label)
    return Presented(source, span, user=m.group("user"), password=pw, password_span=pw_span, label=label)


def config_clients(ctx) -> Iterator[tuple[str, Presented]]:
    """Credentials a server presents to its peers: leafnode remote URLs and cluster route URLs."""
    from authlint.parsers.nats_model import url_credentials

    for cred in url_credentials(ctx.tree):
        if cred.node.source is not ctx.source:
            continue
        offset = cred.node.span.start + (1 if cred.node.style in ("double", "single") else 0)
        url = cred.node.value
        realm = "route" if url.lower().startswith("nats-route://") else "leaf"
        label = "route URL" if realm == "route" else "leafnode remote URL"
        presented = url_presented(ctx.source, cred.node.span, url, label, offset)
        if presented is not None:
            yield realm, presented


def fact_clients(project) -> Iterator[Presented]:
    """Credentials of NATS clients in code (``NatsClient`` facts: nats-py kwargs, nats.js options)."""
    from authlint.facts import NatsClient

    for fact in project.facts(NatsClient):
        options = fact.options
        token = _literal(options.get("token"))
        user = _literal(options.get("user"))
        password_option = options.get("password") or options.get("pass")
        password = _literal(password_option)
        if token is not None:
            yield Presented(fact.source, options.get("token").value.span, token=token)
        elif user is not None:
            yield Presented(fact.source, options.get("user").value.span, user=user, password=password,
                            password_span=password_option.value.span if password is not None else None)
        elif fact.servers is not None:
            urls = fact.servers.value
            for url in urls if isinstance(urls, list) else [urls]:
                if isinstance(url, str):
                    found = url_presented(fact.source, fact.servers.span, url, "NATS client URL", None)
                    if found is not None:
                        yield found


def _literal(option) -> Any:
    if option is None or not option.value.known or not isinstance(option.value.value, str):
        return None
    return option.value.value


class ClientCredentialMismatch(Rule):
    """
    ## What it does
    Joins the NATS clients of the project with the nats-server configs in it: a client (nats-py,
    nats.js) whose literal token, or user and password, matches no credential of any server config
    is reported, and so are leafnode remote and cluster route URLs whose credentials the
    `leafnodes`/`cluster` `authorization` of the configs would refuse. Bcrypt hashes in the config are
    checked against the client's plaintext. Credentials from the environment, and configs that
    could not be read completely, make the rule stay silent rather than guess.

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

    ## Fix safety
    No fix: which side is right cannot be known.
    """

    code = "NAT010"
    name = "client-credential-mismatch"
    summary = "NATS client credentials that no server config in the project accepts"
    kinds = frozenset({NATSCONF, PYTHON, JAVASCRIPT, TYPESCRIPT})
    triggers = ("nats",)
    project_rule = True
    languages = "Python, JS/TS, nats-server.conf"
    examples = (
        Valid("authorization { token: $NATS_TOKEN }\n", path="nats-server.conf"),
        Valid(
            "cluster {\n  authorization { user: ruser, password: \"Zq8v1LwQe3rT9y\" }\n"
            "  routes: [ nats-route://ruser:Zq8v1LwQe3rT9y@10.0.0.2:6222 ]\n}\n",
            path="nats-server.conf",
        ),
        Valid(
            "leafnodes { remotes: [ { url: \"nats-leaf://leaf:Zq8v1LwQe3rT9y@hub:7422\" } ] }\n",
            path="leaf/nats-server.conf",
            files={"hub/nats-server.conf": "leafnodes { port: 7422, authorization { users: [ {user: leaf, "
                   "password: \"$2a$04$CfgrWurOkny5JTuwLWCn5ueArMTlSulcH3OMKE4WMFMfvji2j25Oy\"} ] } }\n"},
        ),
        Invalid(
            "cluster {\n  authorization { user: ruser, password: \"Zq8v1LwQe3rT9y\" }\n"
            "  routes: [ nats-route://ruser:Zq8v1LwQe3rT9Y@10.0.0.2:6222 ]\n}\n",
            path="nats-server.conf",
            message="does not match",
        ),
        Invalid(
            "leafnodes { remotes: [ { url: \"nats-leaf://leafy:Zq8v1LwQe3rT9y@hub:7422\" } ] }\n",
            path="leaf/nats-server.conf",
            files={"hub/nats-server.conf": "leafnodes { port: 7422, authorization { users: [ {user: leaf, "
                   "password: \"Zq8v1LwQe3rT9y\"} ] } }\n"},
            message="`leafy` is not a user",
        ),
    )

    def check_project(self, project) -> Iterable[Diagnostic]:
        from authlint.context import ParseError

        configs = list(project.of_kind(NATSCONF))
        if not configs:
            return
        found = realms(configs)
        for ctx in configs:
            try:
                presented = list(config_clients(ctx))
            except ParseError:
                continue
            for realm_name, client in presented:
                problem = mismatch(client, found[realm_name])
                if problem is not None:
                    yield self.diagnostic(client.source, problem[0], problem[1] + ": the server answers "
                                          "\"Authorization Violation\"")
        for client in fact_clients(project):
            problem = mismatch(client, found["client"])
            if problem is not None:
                yield self.diagnostic(client.source, problem[0], problem[1] + ": the server answers "
                                      "\"Authorization Violation\"")


# Cross-language examples: they need the Python nats-py extractor (``authlint.extract.python``), which
# lives on another branch. Move them into ``ClientCredentialMismatch.examples`` after merging.
CROSS_FILE_EXAMPLES = (
    Valid(
        "import nats\n\nasync def main():\n    nc = await nats.connect(\"nats://127.0.0.1:4222\", token=\"Zq8v1LwQe3rT9yUx\")\n",
        path="app.py",
        files={"nats-server.conf": "authorization { token: \"Zq8v1LwQe3rT9yUx\" }\n"},
    ),
    Valid(
        "import nats\n\nasync def main():\n    nc = await nats.connect(\"nats://127.0.0.1:4222\", token=\"Zq8v1LwQe3rT9yUx\")\n",
        path="app.py",
        files={"nats-server.conf": "authorization { token: $NATS_TOKEN }\n"},
    ),
    Invalid(
        "import nats\n\nasync def main():\n    nc = await nats.connect(\"nats://127.0.0.1:4222\", token=\"Zq8v1LwQe3rT9yUy\")\n",
        path="app.py",
        files={"nats-server.conf": "authorization { token: \"Zq8v1LwQe3rT9yUx\" }\n"},
        message="matches no token",
    ),
    Invalid(
        "import nats\n\nasync def main():\n    nc = await nats.connect(servers=[\"nats://127.0.0.1:4222\"], "
        "user=\"carol\", password=\"Zq8v1LwQe3rT9yUx\")\n",
        path="app.py",
        files={"nats-server.conf": "authorization { users: [ {user: alice, password: \"Zq8v1LwQe3rT9yUx\"} ] }\n"},
        message="`carol` is not a user",
    ),
)
