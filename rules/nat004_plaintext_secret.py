from __future__ import annotations

import hashlib
from functools import lru_cache
from typing import Iterable

from authlint.diagnostic import Diagnostic, Edit, Fix, FixAvailability
from authlint.redact import redact
from authlint.rule import NATSCONF, Invalid, Rule, RuleOption, Valid

BCRYPT_ALPHABET = "./ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
# Blocks where nats-server compares the client's secret with ``comparePasswords`` (bcrypt-aware) and
# never sends the value itself: hashing there keeps every client working. Cluster and gateway
# ``authorization`` are excluded: a server may use those credentials to dial its own routes.
HASHABLE_TOP = frozenset({"authorization", "accounts", "users"})


def _cost(value) -> int:
    cost = int(value)
    if not 4 <= cost <= 31:
        raise ValueError("bcrypt-cost must be 4..31")
    return cost


@lru_cache(maxsize=4096)
def bcrypt_hash(secret: str, cost: int, salt_seed: str | None) -> str:
    """The bcrypt hash nats-server accepts for ``secret``; cached so fix passes agree on one salt.

    ``salt_seed`` makes the salt deterministic (reproducible diffs); None draws a random salt.
    """
    import bcrypt

    if salt_seed is None:
        salt = bcrypt.gensalt(cost)
    else:
        digest = hashlib.sha256(f"{salt_seed}\0{secret}".encode()).digest()
        chars = "".join(BCRYPT_ALPHABET[b % 64] for b in digest[:21]) + ".Oeu"[digest[21] % 4]
        salt = f"$2b${cost:02d}${chars}".encode()
    return bcrypt.hashpw(secret.encode("utf-8"), salt).decode("ascii")


class PlaintextSecret(Rule):
    """
    ## What it does
    Finds passwords and tokens written in plain text in a nats-server config (`authorization`,
    `users`, account users, cluster/gateway/leafnode/websocket/mqtt authorization), including
    through a `$VARIABLE` defined in the file, and credentials inside route, gateway and leafnode
    URLs (`nats-route://user:pass@host:6222`). Bcrypt hashes (`$2a$…`) and values taken from the
    environment are fine. Secrets are shown redacted.

    ## Why is this bad?
    Anyone who can read the file, its repository, a backup or a support bundle can log in.
    nats-server itself warns "Plaintext passwords detected, use nkeys or bcrypt".

    ## Example
    ```
    authorization { token: "s3cr3t-t0ken-for-clients" }
    ```
    Use instead (clients keep sending the same secret; the server compares against the hash):
    ```
    authorization { token: "$2b$11$…" }
    ```

    ## Fix safety
    Unsafe: in the top-level `authorization` block and in user entries (also per account) the
    value is replaced by its bcrypt hash (`bcrypt-cost`, default 11, as `nats server passwd`),
    quoted so the server never takes it for a variable. Clients keep working with the same secret,
    but the plaintext disappears from the file, so keep it somewhere (a secret store) first.
    Cluster, gateway and leafnode credentials and URLs are reported without a fix: a server also
    uses those to dial out, and a hash there would break the connection.
    """

    code = "NAT004"
    name = "plaintext-secret"
    summary = "plaintext password or token in a nats-server config or URL"
    kinds = frozenset({NATSCONF})
    triggers = ("pass", "token", "@")
    fix_availability = FixAvailability.SOMETIMES
    rule_options = (
        RuleOption("bcrypt-cost", 11, "bcrypt work factor of the hashes the fix writes", _cost),
        RuleOption("salt-seed", None, "derive bcrypt salts from this seed (reproducible fixes); unset: random"),
    )
    examples = (
        Valid("authorization { token: \"$2a$11$W2zko751KUvVy59mUTWmpOdWjpEm5qhcCZRd05GjI/sSOT.xtiHyG\" }\n",
              path="nats-server.conf"),
        Valid("authorization { users: [ {user: a, password: $2a$11$W2zko751KUvVy59mUTWmpOdWjpEm5qhcCZRd05GjI/sSOT.xtiHyG} ] }\n",
              path="nats-server.conf"),
        Valid("authorization { token: $NATS_TOKEN }\n", path="nats-server.conf"),
        Valid("cluster { routes: [ nats-route://10.0.0.2:6222 ] }\n", path="nats-server.conf"),
        Valid("authorization { users: [ {nkey: UDXU4RCSJNZOIQHZNWXHXORDPRTGNJAHAHFRGZNEEJCPQTT2M7NLCNF4} ] }\n",
              path="nats-server.conf"),
        Invalid(
            "authorization {\n  token: \"s3cr3t-t0ken-for-clients\" # shared\n}\n",
            path="nats-server.conf",
            options={"salt-seed": "example", "bcrypt-cost": 4},
            fixed="authorization {\n  token: \"" + bcrypt_hash("s3cr3t-t0ken-for-clients", 4, "example") + "\" # shared\n}\n",
            message="s3*",
        ),
        Invalid(
            "authorization {\n  users: [\n    {user: alice, password: 'wonderland-42'}\n    {user: bob, pass: b0b}\n  ]\n}\n",
            path="nats-server.conf",
            options={"salt-seed": "example", "bcrypt-cost": 4},
            fixed="authorization {\n  users: [\n    {user: alice, password: \""
            + bcrypt_hash("wonderland-42", 4, "example")
            + "\"}\n    {user: bob, pass: \"" + bcrypt_hash("b0b", 4, "example") + "\"}\n  ]\n}\n",
            count=2,
            message="alice",
        ),
        Invalid(
            "cluster {\n  authorization { user: ruser, password: T0pS3cr3t, timeout: 2 }\n"
            "  routes: [ nats-route://ruser:T0pS3cr3t@127.0.0.1:6222 ]\n}\n",
            path="nats-server.conf",
            count=2,
            fixed=None,
        ),
        Invalid("leafnodes { remotes: [ { url: \"nats-leaf://admin:hunter2hunter2@hub:7422\" } ] }\n",
                path="nats-server.conf", message="URL"),
        Invalid("PASS: \"wonderland-42\"\nauthorization { user: a, password: $PASS }\n", path="nats-server.conf",
                message="$PASS"),
    )

    def check(self, ctx) -> Iterable[Diagnostic]:
        from authlint.parsers.nats_model import secrets, url_credentials
        from authlint.source import Span

        config = ctx.tree
        for secret in secrets(config):
            entry = secret.entry
            if entry.source is not ctx.source or secret.hashed or secret.value is None or not secret.value:
                continue
            owner = secret.owner
            where = f" of user `{owner}`" if owner else ""
            via = ""
            node = secret.node
            if entry.value.variable is not None:
                via = f" (through ${entry.value.variable})"
            if node.source is not ctx.source:
                node = entry.value  # defined in an included file: point at the reference
                via += f", defined in {secret.node.source.relpath}"
            message = (
                f"plaintext {secret.kind}{where}{via}: {redact(secret.value)}; use a bcrypt hash "
                f"(`nats server passwd`) or an environment variable"
            )
            yield self.diagnostic(ctx, node.span, message, fix=self._fix(ctx, secret))
        for cred in url_credentials(config):
            if cred.node.source is not ctx.source:
                continue
            if cred.password is not None:
                span = Span(*cred.password_span)  # type: ignore[misc]
                shown = f"user `{cred.user}`, password {redact(cred.password)}"
            else:
                span = Span(*cred.user_span)
                shown = f"token {redact(cred.user)}"
            yield self.diagnostic(
                ctx, span,
                f"credentials inside a URL ({shown}): anyone reading the config can use them; "
                f"take them from the environment or use nkeys/credentials files",
            )

    def _fix(self, ctx, secret) -> Fix | None:
        path = secret.path
        if secret.block not in ("authorization", "user") or not path or path[0] not in HASHABLE_TOP:
            return None
        node = secret.node
        if node is not secret.entry.value or node.source is not ctx.source or node.kind != "string":
            return None  # through a variable: other uses of it may need the plaintext
        hashed = bcrypt_hash(secret.value, self.options["bcrypt-cost"], self.options["salt-seed"])
        return Fix.unsafe(f"Replace the plaintext {secret.kind} with its bcrypt hash",
                          Edit.replace(node.span, f"\"{hashed}\""))
