from __future__ import annotations

import math
from collections import Counter
from typing import Iterable

from authlint.diagnostics.diagnostic import Diagnostic
from authlint.diagnostics.mask import Masked
from authlint.files.kinds import JAVASCRIPT, LAUNCH_KINDS, NATSCONF, PYTHON, TYPESCRIPT, YAML
from authlint.rule import Invalid, Rule, RuleOption, Valid, Violation
from authlint.rules.nats.nat004_plaintext_secret import CODE_FALLBACK_KINDS

# Values from docs, tutorials, docker images and default-credential lists (lower-cased).
WELL_KNOWN = frozenset(
    """password passw0rd p@ssw0rd p@ssword secret s3cr3t s3cret changeme change_me changeit admin
    administrator root toor guest test testing demo example default letmein welcome qwerty 123456
    1234567 12345678 123456789 1234567890 abc123 token mytoken my_token secret_token mysecret nats
    natspass nats_pass nats-password t0ps3cr3t topsecret foo bar baz foobar pass pwd user
    s3cr3t_t0k3n dag0hb0t tokentoken hunter2 ruser""".split()
)


class Weak(Violation):
    """A guessable secret; ``shown`` is masked, ``problem`` says why it is weak."""

    what: str  # token | password | URL credential
    shown: Masked
    problem: str

    def message(self) -> str:
        return f"weak {self.what} {self.shown}: {self.problem}"


def entropy_bits(value: str) -> float:
    """Shannon entropy of the characters times the length: a rough guessability estimate."""
    if not value:
        return 0.0
    counts = Counter(value)
    per_char = -sum(c / len(value) * math.log2(c / len(value)) for c in counts.values())
    return per_char * len(value)


class WeakToken(Rule):
    """
    ## What it does
    Reports plaintext tokens and passwords in a nats-server config (auth blocks and URLs) that are
    well known (`secret`, `T0pS3cr3t`, `changeme`, …), shorter than `min-length` (default 12), or
    carry less than `min-entropy-bits` (default 40) of character entropy (`aaaaaaaaaaaaaaaa`).
    Bcrypt hashes and environment values cannot be judged and are skipped. The values of
    nats-server's `--auth` and `--pass` flags (Compose, Kubernetes, Dockerfile, Procfile) are judged
    the same way, at their place in that file.

    In client code (Python, JS/TS) it judges the literal a NATS token or password read from the
    environment falls back to (`os.getenv("NATS_TOKEN", "secret")`, `process.env.NATS_PASSWORD ||
    "changeme"`): NAT004 reports every such fallback, this rule also when it is guessable.

    ## Why is this bad?
    A NATS port reachable by an attacker can be brute-forced: nats-server answers each attempt
    with "Authorization Violation" at network speed, and default credentials from docs and Docker
    images are the first ones tried.

    ## Example
    ```
    authorization { token: "secret" }
    ```
    Use instead a long random value from the environment:
    ```
    authorization { token: $NATS_TOKEN }   # e.g. openssl rand -hex 24
    ```

    ## Fix safety
    No fix: a new secret has to be generated and rolled out to every client.

    ## References
    - [Tokens](https://docs.nats.io/running-a-nats-service/configuration/securing_nats/auth_intro/tokens): use long random tokens
    - nats-server [server/client.go](https://github.com/nats-io/nats-server/blob/main/server/client.go) (every failed attempt is answered with `Authorization Violation`)
    - The official Docker image's config ships `password: T0pS3cr3t` ([nats-docker](https://github.com/nats-io/nats-docker))
    - [nats-server flags](https://docs.nats.io/running-a-nats-service/introduction/flags): `--auth <token>`, `--user`, `--pass`
    """

    code = "NAT005"
    name = "weak-token"
    summary = "short, low-entropy or well-known NATS token or password"
    kinds = frozenset({NATSCONF, YAML, PYTHON, JAVASCRIPT, TYPESCRIPT}) | LAUNCH_KINDS
    languages = "nats-server.conf, Python, JS/TS"  # and nats-server flags in deployment files (see the docs above)
    triggers = ("pass", "token", "@")
    # nats-server's flags in deployment files; client code: only the NATS_* environment reads with a
    # literal fallback (``EnvFallback``)
    kind_triggers = {
        YAML: ("-pass", "-auth"),
        **{kind: ("nats",) for kind in LAUNCH_KINDS},
        **dict.fromkeys((PYTHON, JAVASCRIPT, TYPESCRIPT), ("nats_",)),
    }
    rule_options = (
        RuleOption("min-length", 12, "shortest acceptable secret", int),
        RuleOption("min-entropy-bits", 40.0, "least Shannon entropy (bits) of an acceptable secret", float),
    )
    examples = (
        Valid('authorization { token: "Zq8v1LwQe3rT9yUx5pKs2mNb" }\n', path="nats-server.conf"),
        Valid("authorization { token: $NATS_TOKEN }\n", path="nats-server.conf"),
        Valid(
            'authorization { user: a, password: "$2a$11$W2zko751KUvVy59mUTWmpOdWjpEm5qhcCZRd05GjI/sSOT.xtiHyG" }\n',
            path="nats-server.conf",
        ),
        Valid(
            'authorization { token: "abcd" }\n',
            path="nats-server.conf",
            options={"min-length": 4, "min-entropy-bits": 0},
        ),
        Invalid("authorization { token: secret }\n", path="nats-server.conf", message="well-known", span=(1, 24, 1, 30)),
        Invalid('authorization { user: admin, password: "Xy7#pQ" }\n', path="nats-server.conf", message="6 characters"),
        Invalid('authorization { token: "aaaaaaaaaaaaaaaaaaaa" }\n', path="nats-server.conf", message="entropy"),
        Invalid(
            "cluster { authorization { user: ruser, password: T0pS3cr3t }\n"
            "  routes: [ nats-route://ruser:T0pS3cr3t@b:6222 ] }\n",
            path="nats-server.conf",
            count=2,
        ),
        Invalid(
            'import os\n\nTOKEN = os.getenv("NATS_TOKEN", "secret")\n',
            path="settings.py",
            message="weak fallback token of `NATS_TOKEN`",
            span=(3, 34, 3, 40),
        ),
        Valid('import os\n\nTOKEN = os.getenv("NATS_TOKEN", "Zq8v1LwQe3rT9yUx5pKs2mNb")\n', path="settings.py"),
        Invalid(
            'const pass = process.env.NATS_PASSWORD || "changeme";\n',
            path="src/nats.ts",
            message="well-known",
        ),
        Valid('const url = process.env.NATS_URL || "nats";\n', path="src/nats.ts"),
    )

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
            problem = self.weakness(fact.value) if kind is not None and fact.value else None
            if problem:
                yield self.report(ctx, fact.value_span, Weak(f"fallback {kind} of `{fact.variable}`", fact.value, problem))

    def _config(self, ctx) -> Iterable[Diagnostic]:
        from authlint.facts.natsconf.blocks import secrets, url_credentials
        from authlint.files.source import Span

        if ctx.kind != NATSCONF:
            yield from self._flags(ctx)
            return
        config = ctx.tree
        for secret in secrets(config):
            value = secret.value
            if secret.entry.source is not ctx.source or secret.hashed or not value:
                continue
            node = secret.node if secret.node.source is ctx.source else secret.entry.value
            problem = self.weakness(value)
            if problem:
                yield self.report(ctx, node.span, Weak(secret.kind, value, problem))
        for cred in url_credentials(config):
            if cred.node.source is not ctx.source:
                continue
            value = cred.password if cred.password is not None else cred.user
            span = cred.password_span if cred.password is not None else cred.user_span
            problem = self.weakness(value or "")
            if problem:
                yield self.report(ctx, Span(*span), Weak("URL credential", value, problem))

    def _flags(self, ctx) -> Iterable[Diagnostic]:
        """``--pass``/``--auth`` on a nats-server command line, judged like their config twins."""
        from authlint.facts.launches import flag_secrets

        for kind, flag in flag_secrets(ctx):
            problem = self.weakness(flag.value or "")
            if problem:
                yield self.report(ctx, flag.span, Weak(f"{kind} (`{flag.written}`)", flag.value, problem))

    def weakness(self, value: str) -> str | None:
        if value.lower() in WELL_KNOWN:
            return "a well-known value from docs and default-credential lists"
        if len(value) < self.options["min-length"]:
            return f"only {len(value)} characters (min-length {self.options['min-length']})"
        bits = entropy_bits(value)
        if bits < self.options["min-entropy-bits"]:
            return f"about {bits:.0f} bits of entropy (min-entropy-bits {self.options['min-entropy-bits']:g})"
        return None


# The same judgement on nats-server's command-line flags, with corrected twins.
FLAG_EXAMPLES = (
    Invalid(
        "services:\n  nats:\n    image: nats:2.10\n    command: [\"--auth\", \"MyToken\"]\n",
        path="docker-compose.yml",
        message="weak token (`--auth`)",
        span=(4, 26, 4, 33),
    ),
    Valid(
        "services:\n  nats:\n    image: nats:2.10\n    command: [\"--auth\", \"Zq8v1LwQe3rT9yUx5pKs2mNb\"]\n",
        path="docker-compose.yml",
    ),
    Invalid('FROM nats:2.10\nENTRYPOINT ["/nats-server", "--user", "a", "--pass", "T0pS3cr3t"]\n',
            path="Dockerfile", message="well-known"),
    Valid('FROM nats:2.10\nENTRYPOINT ["/nats-server", "--user", "a", "--pass", "Zq8v1LwQe3rT9yUx5pKs2mNb"]\n',
          path="Dockerfile"),
    Invalid("nats: exec nats-server --auth secret\n", path="Procfile", message="well-known"),
    Valid("nats: exec nats-server --auth \"$NATS_TOKEN\"\n", path="Procfile"),
)

WeakToken.examples = WeakToken.examples + FLAG_EXAMPLES
