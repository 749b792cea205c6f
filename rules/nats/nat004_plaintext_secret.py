from __future__ import annotations

from functools import lru_cache
from typing import Iterable

from authlint.diagnostics.diagnostic import Diagnostic, Fix, FixAvailability
from authlint.diagnostics.mask import Masked
from authlint.files.kinds import JAVASCRIPT, LAUNCH_KINDS, NATSCONF, PYTHON, TYPESCRIPT, YAML
from authlint.rule import FixOffer, Invalid, Rule, RuleOption, Valid, Violation
from authlint.rules import kit

CODE_FALLBACK_KINDS = frozenset({PYTHON, JAVASCRIPT, TYPESCRIPT})  # client code: its env fallbacks are read


class Plaintext(Violation):
    """A password or token written as text; ``shown`` is masked when the violation is made."""

    kind: str  # password | token
    shown: Masked
    owner: str | None = None  # the user it belongs to
    variable: str | None = None  # written as ``$VAR``
    defined_in: str | None = None  # the variable's value lives in this included file

    def message(self) -> str:
        where = f" of user `{self.owner}`" if self.owner else ""
        via = f" (through ${self.variable})" if self.variable is not None else ""
        if self.defined_in is not None:
            via += f", defined in {self.defined_in}"
        return (
            f"plaintext {self.kind}{where}{via}: {self.shown}; use a bcrypt hash "
            f"(`nats server passwd`) or an environment variable"
        )


class PlaintextFlag(Violation):
    """A ``--pass``/``--auth`` flag of a nats-server command line; ``shown`` is masked."""

    kind: str  # password | token
    flag: str  # as written: ``--pass``
    shown: Masked

    def message(self) -> str:
        return (
            f"plaintext {self.kind} on nats-server's command line (`{self.flag}`): {self.shown}; anyone who can "
            f"read this file or the process list can log in: use a config with a bcrypt hash or an environment variable"
        )


class IncludedPlaintext(Violation):
    """A plaintext secret of an included file that the file alone does not show as one (an
    account fragment ``ORDERS { users: [...] }`` included inside ``accounts {}``)."""

    kind: str
    shown: Masked
    path: str
    owner: str | None = None

    def message(self) -> str:
        where = f" of user `{self.owner}`" if self.owner else ""
        return (
            f"plaintext {self.kind}{where} in included `{self.path}`: {self.shown}; use a bcrypt hash "
            f"(`nats server passwd`) or an environment variable"
        )


class CredentialsInUrl(Violation):
    """``scheme://user:password@host`` (or a lone token as the user part); ``shown`` is masked."""

    shown: Masked
    user: str | None = None  # None: the user part is a token

    def message(self) -> str:
        what = f"user `{self.user}`, password {self.shown}" if self.user is not None else f"token {self.shown}"
        return (
            f"credentials inside a URL ({what}): anyone reading the config can use them; "
            f"take them from the environment or use nkeys/credentials files"
        )

class FallbackSecret(Violation):
    """Client code that reads a NATS secret from the environment but falls back to a literal
    (``os.getenv("NATS_TOKEN", "dev")``), as JWT004 reports a signing key's fallback."""

    kind: str  # token | password
    shown: Masked
    variable: str

    def message(self) -> str:
        return (
            f"NATS {self.kind} falls back to the hard-coded `{self.shown}` when `{self.variable}` is unset: a "
            f"deployment that forgets the variable connects with a {self.kind} everyone with the repository can "
            "read; fail when it is unset instead"
        )


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
    import hashlib

    import bcrypt

    if salt_seed is None:
        salt = bcrypt.gensalt(cost)
    else:
        digest = hashlib.sha256(f"{salt_seed}\0{secret}".encode()).digest()
        chars = "".join(BCRYPT_ALPHABET[b % 64] for b in digest[:21]) + ".Oeu"[digest[21] % 4]
        salt = f"$2b${cost:02d}${chars}".encode()
    return bcrypt.hashpw(secret.encode("utf-8"), salt).decode("ascii")


# bcrypt_hash(secret, 4, "example"), written out so importing the rule never runs bcrypt
# (tests/rules/nats/test_rules.py recomputes them).
EXAMPLE_HASHES = {
    "s3cr3t-t0ken-for-clients": "$2b$04$Wl9Z8GMZ58A2rIwsdzz38.8rULj.6gG5T8fq6w/LOZ8oYDaNfqbWy",
    "wonderland-42": "$2b$04$0KG/e4s6Ga9LCsLz/OYkdOBWfbFXBdcQ1U3JiH70ZilZoJ6xIEGNa",
    "b0b": "$2b$04$aNPxpMF5.qL16fVG23Zl5uoaL3v5PlrcOLuH3MOXahTqH4jIc2KuK",
}


class PlaintextSecret(Rule):
    """
    ## What it does
    Finds passwords and tokens written in plain text in a nats-server config (`authorization`,
    `users`, account users, cluster/gateway/leafnode/websocket/mqtt authorization), including
    through a `$VARIABLE` defined in the file, and credentials inside route, gateway and leafnode
    URLs (`nats-route://user:pass@host:6222`). Bcrypt hashes (`$2a$…`) and values taken from the
    environment are fine. Secrets are shown redacted. A secret in an included file that does not
    look like one on its own (an account fragment `ORDERS { users: [...] }` included inside
    `accounts {}`) is reported at the `include` line.

    The same for a server started with `--pass` or `--auth` on its command line: a Compose
    `command`/`entrypoint` (string or list), a Kubernetes container's `command`/`args`, a
    Dockerfile's `CMD`/`ENTRYPOINT` (exec or shell form) or a Procfile line that runs nats-server
    (or the official `nats` image). The finding points at the value in that file; a value the
    shell, Compose or Kubernetes expands (`$NATS_TOKEN`, `${PASS}`, `$(PASS)`) is fine. No fix there.

    In client code (Python, JS/TS) it reports a NATS secret read from the environment that falls
    back to a literal: `os.environ.get("NATS_PASSWORD", "…")`, `os.getenv("NATS_TOKEN", "…")`,
    `os.environ.get("NATS_TOKEN") or "…"`, `process.env.NATS_TOKEN || "…"` and `?? "…"`, for the
    variables that name a token or password (`NATS_TOKEN`, `NATS_AUTH_TOKEN`, `NATS_PASSWORD`,
    `NATS_PASS`, …). It is the plaintext secret of this rule written into the code instead of the
    config, and is reported like JWT004 reports a signing key's fallback; NAT005 also reports it
    when the literal is weak.

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
    ```python
    nc = await nats.connect(url, token=os.getenv("NATS_TOKEN", "s3cr3t-t0ken-for-clients"))
    ```
    Use instead `token=os.environ["NATS_TOKEN"]`: a missing variable then stops the client at start.

    ## Fix safety
    Unsafe: in the top-level `authorization` block and in user entries (also per account, and in
    a `users` file included into `authorization {}`) the value is replaced by its bcrypt hash
    (`bcrypt-cost`, default 11, as `nats server passwd`), quoted so the server never takes it for a
    variable; a `$VARIABLE` defined in the file is hashed where it is defined, and only when every
    use of it is such a password or token. Clients keep working with the same secret (checked
    against a running nats-server: users, a token over TCP and websocket, permissions unchanged,
    a wrong secret or the hash itself refused), but the plaintext disappears from the file, so keep
    it somewhere (a secret store) first. Hashing is slow by design, so the hash is computed only
    when unsafe fixes are enabled (`fix --unsafe-fixes`); without them the fix is display-only (a
    suggestion `check` shows, never applied). Cluster, gateway, leafnode, websocket and mqtt
    credentials and URLs are reported without a fix: a server also uses some of those to dial out,
    and a hash there would break the connection. A secret reported at an `include` line has no fix
    either (the edit belongs in the other file, which alone does not say it is a password). A
    fallback in client code has no fix: what the client should do without the variable is the
    project's decision.

    ## References
    - nats-server [server/auth.go](https://github.com/nats-io/nats-server/blob/main/server/auth.go) (`isBcrypt` (a `$2a$`/`$2b$`/`$2x$`/`$2y$` prefix and a two-digit cost), `comparePasswords`)
    - [Username/Password](https://docs.nats.io/running-a-nats-service/configuration/securing_nats/auth_intro/username_password): bcrypted passwords with `nats server passwd`
    - [Tokens](https://docs.nats.io/running-a-nats-service/configuration/securing_nats/auth_intro/tokens): bcrypted tokens
    - [nats-server flags](https://docs.nats.io/running-a-nats-service/introduction/flags): `--user`, `--pass`, `--auth` (a command line is also visible to every local user through `ps` and `/proc`)
    - CWE-798, use of hard-coded credentials: https://cwe.mitre.org/data/definitions/798.html
    """

    code = "NAT004"
    name = "plaintext-secret"
    summary = "plaintext password or token in a nats-server config or URL, or as a client's fallback"
    kinds = frozenset({NATSCONF, YAML, PYTHON, JAVASCRIPT, TYPESCRIPT}) | LAUNCH_KINDS
    languages = "nats-server.conf, Python, JS/TS"  # and nats-server flags in deployment files (see the docs above)
    triggers = ("pass", "token", "@", "include")  # an included file's secrets are reported at the include
    # deployment files: YAML only when it passes a secret flag, Dockerfile/Procfile only when naming nats;
    # client code: only the NATS_* environment reads (``EnvFallback`` facts) are read
    kind_triggers = {
        YAML: ("-pass", "-auth"),
        **{kind: ("nats",) for kind in LAUNCH_KINDS},
        **dict.fromkeys((PYTHON, JAVASCRIPT, TYPESCRIPT), ("nats_",)),
    }
    fix_availability = FixAvailability.SOMETIMES
    fix_offers = (
        FixOffer.unsafe(
            "Replaces a plaintext password or token with its bcrypt hash: clients keep working, but the plaintext must be kept elsewhere first."
        ),
        FixOffer.unsafe(
            "Removes the literal fallback of a NATS secret read from the environment: without the variable the client then presents nothing, and the server refuses it."
        ),
    )
    rule_options = (
        RuleOption("bcrypt-cost", 11, "bcrypt work factor of the hashes the fix writes", _cost),
        RuleOption("salt-seed", None, "derive bcrypt salts from this seed (reproducible fixes); unset: random"),
    )
    examples = (
        Valid(
            'authorization { token: "$2a$11$W2zko751KUvVy59mUTWmpOdWjpEm5qhcCZRd05GjI/sSOT.xtiHyG" }\n',
            path="nats-server.conf",
        ),
        Valid(
            "authorization { users: [ {user: a, password: $2a$11$W2zko751KUvVy59mUTWmpOdWjpEm5qhcCZRd05GjI/sSOT.xtiHyG} ] }\n",
            path="nats-server.conf",
        ),
        Valid("authorization { token: $NATS_TOKEN }\n", path="nats-server.conf"),
        Valid("cluster { routes: [ nats-route://10.0.0.2:6222 ] }\n", path="nats-server.conf"),
        Valid(
            "authorization { users: [ {nkey: UDXU4RCSJNZOIQHZNWXHXORDPRTGNJAHAHFRGZNEEJCPQTT2M7NLCNF4} ] }\n",
            path="nats-server.conf",
        ),
        Invalid(
            'authorization {\n  token: "s3cr3t-t0ken-for-clients" # shared\n}\n',
            path="nats-server.conf",
            options={"salt-seed": "example", "bcrypt-cost": 4},
            settings={"unsafe-fixes": True},
            fixed='authorization {\n  token: "'
            + EXAMPLE_HASHES["s3cr3t-t0ken-for-clients"]
            + '" # shared\n}\n',
            message="s3*",
            span=(2, 10, 2, 36),
        ),
        Invalid(
            "authorization {\n  users: [\n    {user: alice, password: 'wonderland-42'}\n    {user: bob, pass: b0b}\n  ]\n}\n",
            path="nats-server.conf",
            options={"salt-seed": "example", "bcrypt-cost": 4},
            settings={"unsafe-fixes": True},
            fixed='authorization {\n  users: [\n    {user: alice, password: "'
            + EXAMPLE_HASHES["wonderland-42"]
            + '"}\n    {user: bob, pass: "'
            + EXAMPLE_HASHES["b0b"]
            + '"}\n  ]\n}\n',
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
        Invalid(
            'leafnodes { remotes: [ { url: "nats-leaf://admin:hunter2hunter2@hub:7422" } ] }\n',
            path="nats-server.conf",
            message="URL",
        ),
        Invalid(
            'PASS: "wonderland-42"\nauthorization { user: a, password: $PASS }\n',
            path="nats-server.conf",
            message="$PASS",
            options={"salt-seed": "example", "bcrypt-cost": 4},
            settings={"unsafe-fixes": True},
            fixed='PASS: "' + EXAMPLE_HASHES["wonderland-42"] + '"\nauthorization { user: a, password: $PASS }\n',
        ),
        Invalid(  # the variable also feeds a route password, which must stay plaintext: no fix
            'PASS: "wonderland-42"\nauthorization { user: a, password: $PASS }\n'
            "cluster { authorization { user: r, password: $PASS } }\n",
            path="nats-server.conf",
            count=2,
            settings={"unsafe-fixes": True},
            fixed='PASS: "wonderland-42"\nauthorization { user: a, password: $PASS }\n'
            "cluster { authorization { user: r, password: $PASS } }\n",
        ),
        # client code that falls back to a literal secret when the variable is unset
        Invalid(
            'import os\nimport nats\n\nasync def main():\n'
            '    nc = await nats.connect("nats://nats:4222", token=os.getenv("NATS_TOKEN", "Zq8v1LwQe3rT9yUx"))\n',
            path="app.py",
            message="NATS token falls back to the hard-coded `Zq*",
            span=(5, 80, 5, 96),
            count=1,
            fixed='import os\nimport nats\n\nasync def main():\n'
            '    nc = await nats.connect("nats://nats:4222", token=os.getenv("NATS_TOKEN"))\n',
        ),
        Invalid(
            'import os\n\nNATS_PASSWORD = os.environ.get("NATS_PASSWORD") or "wonderland-42"\n',
            path="settings.py",
            message="`NATS_PASSWORD` is unset",
        ),
        Valid(
            'import os\nimport nats\n\nasync def main():\n'
            '    nc = await nats.connect("nats://nats:4222", token=os.environ["NATS_TOKEN"])\n',
            path="app.py",
        ),
        Valid('import os\n\nURL = os.getenv("NATS_URL", "nats://localhost:4222")\nTOKEN = os.getenv("NATS_TOKEN", "")\n',
              path="settings.py"),
        Invalid(
            'import { connect } from "nats";\n'
            'const nc = await connect({ servers: "nats://nats:4222", token: process.env.NATS_TOKEN || "Zq8v1LwQe3rT9yUx" });\n',
            path="client.ts",
            message="when `NATS_TOKEN` is unset",
            span=(2, 91, 2, 107),
            fixed='import { connect } from "nats";\n'
            'const nc = await connect({ servers: "nats://nats:4222", token: process.env.NATS_TOKEN });\n',
        ),
        Invalid('const pass = process.env["NATS_PASSWORD"] ?? "wonderland-42";\n', path="nats.js", message="NATS password"),
        Valid(
            '// process.env.NATS_TOKEN || "Zq8v1LwQe3rT9yUx" was the old way\nconst token = process.env.NATS_TOKEN;\n',
            path="client.js",
        ),
    )

    def _flags(self, ctx) -> Iterable[Diagnostic]:
        """``--pass``/``--auth`` written on a nats-server command line (no fix: a bcrypt hash there
        needs the shell's and Compose's quoting of ``$``, which differs per file)."""
        from authlint.facts.launches import flag_secrets

        for kind, flag in flag_secrets(ctx):
            yield self.report(ctx, flag.span, PlaintextFlag(kind, flag.written, flag.value))

    def check(self, ctx) -> Iterable[Diagnostic]:
        if ctx.kind in CODE_FALLBACK_KINDS:
            yield from self._fallbacks(ctx)
            return
        yield from self._config(ctx)  # a nats-server config, or the flags of a deployment file

    def _fallbacks(self, ctx) -> Iterable[Diagnostic]:
        from authlint.facts.model import EnvFallback
        from authlint.facts.nats_outside import credential_kind

        for fact in ctx.of(EnvFallback):
            kind = credential_kind(fact.variable)
            if kind is not None and fact.value:
                fix = None
                if fact.drop is not None:
                    from authlint.diagnostics.diagnostic import Edit

                    fix = Fix.unsafe(f"Remove the hard-coded fallback of `{fact.variable}`", Edit.replace(fact.drop, ""))
                yield self.report(ctx, fact.value_span, FallbackSecret(kind, fact.value, fact.variable), fix=fix)

    def _config(self, ctx) -> Iterable[Diagnostic]:
        from authlint.facts.natsconf.blocks import secrets, url_credentials
        from authlint.files.source import Span

        if ctx.kind != NATSCONF:
            yield from self._flags(ctx)
            return
        config = ctx.tree
        found = list(secrets(config))
        self._hashable_definitions = self._definitions_only_used_as_secrets(config, found)
        for secret in found:
            entry = secret.entry
            if secret.hashed or secret.value is None or not secret.value:
                continue
            if entry.source is not ctx.source:
                # pulled in by an include of this file; the included file alone may not know it is a secret
                include = next(
                    (i for i in config.includes if i.source is ctx.source and i.resolved == entry.source.path), None
                )
                if include is not None and not self._seen_alone(ctx, secret):
                    found_here = IncludedPlaintext(secret.kind, secret.value, include.path, secret.owner or None)
                    yield self.report(ctx, include.span, found_here)
                continue
            node = secret.node
            defined_in = None
            if node.source is not ctx.source:
                node = entry.value  # defined in an included file: point at the reference
                defined_in = secret.node.source.relpath
            violation = Plaintext(
                secret.kind, secret.value, secret.owner or None, entry.value.variable, defined_in
            )
            yield self.report(ctx, node.span, violation, fix=self._fix(ctx, secret))
        for cred in url_credentials(config):
            if cred.node.source is not ctx.source:
                continue
            if cred.password is not None:
                span = Span(*cred.password_span)  # type: ignore[misc]
                found = CredentialsInUrl(cred.password, cred.user)
            else:
                span = Span(*cred.user_span)
                found = CredentialsInUrl(cred.user)
            yield self.report(ctx, span, found)

    def _seen_alone(self, ctx, secret) -> bool:
        """Whether the included file, checked on its own, reports this secret itself: it is a NATS
        config by its name or content, and its own parse puts the entry in an auth block (a
        ``users`` file is; an account fragment ``ORDERS { users }`` is not)."""
        from authlint.facts.natsconf.blocks import secrets
        from authlint.files.classify import classify
        from authlint.syntax.natsconf import parse_config

        source = secret.entry.source
        cache = self.__dict__.setdefault("_alone", {})
        if source.relpath not in cache:
            keys: set[int] = set()
            if classify(source.path.name, source.text.encode("utf-8")) is not None:
                try:
                    alone = parse_config(source, root=ctx.settings.root)
                except Exception:  # a fragment that does not parse alone reports nothing itself
                    alone = None
                if alone is not None:
                    keys = {s.entry.key_span.start for s in secrets(alone) if s.entry.source.relpath == source.relpath}
            cache[source.relpath] = keys
        return secret.entry.key_span.start in cache[source.relpath]

    @staticmethod
    def _hashable(secret) -> bool:
        path = secret.path
        return secret.block in ("authorization", "user") and bool(path) and path[0] in HASHABLE_TOP

    def _definitions_only_used_as_secrets(self, config, found) -> set[int]:
        """Variable definitions every reference of which is a password/token we may hash."""
        from authlint.syntax.natsconf import iter_nodes

        uses: dict[int, int] = {}
        for node in iter_nodes(config.root):
            if node.variable is not None and node.target is not None:
                uses[id(node.target)] = uses.get(id(node.target), 0) + 1
        hashable: dict[int, int] = {}
        for secret in found:
            if secret.entry.value.variable is not None and self._hashable(secret):
                hashable[id(secret.node)] = hashable.get(id(secret.node), 0) + 1
        return {key for key, count in hashable.items() if uses.get(key) == count}

    def _fix(self, ctx, secret) -> Fix | None:
        if not self._hashable(secret):
            return None
        node = secret.node
        if node.source is not ctx.source or node.kind != "string" or node.variable is not None:
            return None
        if node is not secret.entry.value and id(node) not in self._hashable_definitions:
            return None  # a variable also used elsewhere, where the plaintext may be needed
        if not ctx.settings.unsafe_fixes:
            # hashing costs ~0.1 s per secret: only pay for it when the fix may be applied
            return Fix.display_only(
                f"Replace the plaintext {secret.kind} with its bcrypt hash (fix --unsafe-fixes)",
                kit.replace_value(ctx.source, node.span, "<bcrypt hash>"),
            )
        hashed = bcrypt_hash(secret.value, self.options["bcrypt-cost"], self.options["salt-seed"])
        return Fix.unsafe(
            f"Replace the plaintext {secret.kind} with its bcrypt hash", kit.replace_value(ctx.source, node.span, hashed)
        )


# nats-server started with secrets on its command line (Compose, Kubernetes, Dockerfile, Procfile),
# each with its corrected twin (the secret from the environment, or a bcrypt hash).
FLAG_EXAMPLES = (
    Invalid(
        "services:\n  nats:\n    image: nats:2.10\n    command: \"-js --auth s3cr3t-t0ken-for-clients\"\n",
        path="docker-compose.yml",
        message="`--auth`",
        span=(4, 26, 4, 50),
    ),
    Valid(
        "services:\n  nats:\n    image: nats:2.10\n    command: \"-js --auth $${NATS_TOKEN}\"\n"
        "    environment:\n      - NATS_TOKEN\n",
        path="docker-compose.yml",
    ),
    Invalid(
        "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: nats}\nspec:\n  template:\n    spec:\n"
        "      containers:\n        - name: nats\n          image: nats:2.10-alpine\n"
        '          args: ["--user", "app", "--pass", "wonderland-42"]\n',
        path="k8s/nats.yaml",
        message="plaintext password",
        span=(10, 46, 10, 59),
    ),
    Valid(
        "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: nats}\nspec:\n  template:\n    spec:\n"
        "      containers:\n        - name: nats\n          image: nats:2.10-alpine\n"
        '          args: ["--user", "app", "--pass", "$(NATS_PASS)"]\n',
        path="k8s/nats.yaml",
    ),
    Invalid(
        'FROM nats:2.10-alpine\nCMD ["nats-server", "--user", "app", "--pass", "wonderland-42"]\n',
        path="Dockerfile",
        span=(2, 49, 2, 62),
    ),
    Valid(
        'FROM nats:2.10-alpine\nCMD ["nats-server", "--user", "app", "--pass", '
        '"$2a$11$W2zko751KUvVy59mUTWmpOdWjpEm5qhcCZRd05GjI/sSOT.xtiHyG"]\n',
        path="Dockerfile",
    ),
    Invalid("nats: nats-server -p 4222 --auth=s3cr3t-t0ken-for-clients\n", path="Procfile", span=(1, 34, 1, 58)),
    Valid("nats: nats-server -p 4222 --auth=$NATS_TOKEN\n", path="Procfile"),
    Valid("web: gunicorn app:server --auth s3cr3t-t0ken-for-clients\n", path="Procfile"),
)

PlaintextSecret.examples = PlaintextSecret.examples + FLAG_EXAMPLES
