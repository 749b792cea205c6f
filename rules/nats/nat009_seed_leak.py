from __future__ import annotations

from typing import Iterable

from authlint.diagnostics.diagnostic import Diagnostic
from authlint.diagnostics.mask import Masked
from authlint.files.kinds import CREDS, JWTFILE, NATSCONF
from authlint.rule import Invalid, Rule, Valid, Violation


class SeedCommitted(Violation):
    """An nkey seed (the private key) in a committed file; ``shown`` keeps only its type prefix."""

    kind: str  # user | account | operator | ... (from the seed's second letter)
    shown: Masked  # ``shown(seed)``: the type prefix and stars
    place: str = "file"  # file | creds | leafnode remote

    def message(self) -> str:
        where = {
            "file": "",
            "creds": " in a .creds file: credentials files belong in a secret store, not in the repository",
            "leafnode remote": " inline in a leafnode remote: point `credentials` at a file outside the repository",
        }[self.place]
        return f"{self.kind} nkey seed {self.shown} is committed{where}"


class CredsFileCommitted(Violation):
    """A ``.creds`` file without a seed authlint recognises: still a credentials file."""

    def message(self) -> str:
        return "a .creds file is committed: it normally holds a user seed"

_SEED = "SUANQDPB2RUOE4ETUA26CNX7FUKE5ZZKFCQIIW63OX225F2CO7UEXTM7ZY"  # nats.rs test seed (public)
_ACCOUNT_SEED = "SA" + _SEED[2:]


def shown(seed: str) -> Masked:
    """The seed's type prefix (``SU``: a user) and stars: the length of every seed is the same."""
    return Masked(seed[:2] + "*" * 10)


class SeedLeak(Rule):
    """
    ## What it does
    Finds nkey seeds (`SU…` user, `SA…` account, `SO…` operator, `SN…`, `SC…`, `SX…`; 58 base32
    characters) in nats-server configs, including comments and leafnode `remotes` `nkey`/`seed`,
    and reports every `.creds` file (a user JWT plus its seed) found in the project. Seeds are
    always shown redacted (`SU**********`).

    ## Why is this bad?
    A seed is a private key: whoever has it *is* that user, account or operator (an operator seed
    signs any account). Once committed, it stays in the history and in every clone; rotating it
    means re-issuing everything it signed.

    ## Example
    ```
    # seed: SUANQDPB2RUOE4…
    users: [ { nkey: UAMMBNV2EYR65NYZ… } ]
    ```

    ## Fix safety
    No fix: remove the seed, rotate the key with `nsc`, and purge it from history.

    ## References
    - [NKeys](https://docs.nats.io/running-a-nats-service/configuration/securing_nats/auth_intro/nkey_auth): servers hold public keys only; the seed is the private key
    - [Leaf node configuration](https://docs.nats.io/running-a-nats-service/configuration/leafnodes/leafnode_conf): `remotes[].credentials` points at a creds file
    - [NATS JWT: decentralized auth](https://docs.nats.io/running-a-nats-service/nats_admin/jwt): `.creds` files hold a user JWT and its seed
    """

    code = "NAT009"
    name = "seed-leak"
    summary = "nkey seed or .creds file committed to the repository"
    kinds = frozenset({NATSCONF, CREDS, JWTFILE})
    languages = "nats-server.conf, .jwt, .creds"
    examples = (
        Valid(
            "authorization { users: [ { nkey: UAMMBNV2EYR65NYZZ7IAK5SIR5ODNTTERJOBOF4KJLMWI45YOXOSWULM } ] }\n",
            path="nats-server.conf",
        ),
        Valid(
            'leafnodes { remotes: [ { url: "nats://hub:7422", credentials: "/etc/nats/leaf.creds" } ] }\n',
            path="nats-server.conf",
        ),
        Invalid(
            f"accounts: {{\n  A: {{\n    # seed: {_SEED}\n    users: [ {{ nkey: UAMMBNV2EYR65NYZZ7IAK5SIR5ODNTTERJOBOF4KJLMWI45YOXOSWULM }} ] }}\n}}\n",
            path="nats-server.conf",
            message="user nkey seed SU**********",
            count=1,
            span=(3, 13, 3, 71),
        ),
        Invalid(
            f'leafnodes {{ remotes: [ {{ url: "nats://hub:7422", seed: {_SEED} }} ] }}\n',
            path="nats-server.conf",
            message="leafnode",
        ),
        Invalid(
            "-----BEGIN NATS USER JWT-----\neyJ0eXAiOiJKV1QiLCJhbGciOiJlZDI1NTE5LW5rZXkifQ.eyJuYW1lIjoieCJ9.c2ln\n"
            "------END NATS USER JWT------\n\n-----BEGIN USER NKEY SEED-----\n"
            + _SEED
            + "\n------END USER NKEY SEED------\n",
            path="deploy/app.creds",
            message=".creds file",
        ),
        Invalid(f"nkey_seed: {_ACCOUNT_SEED}\n", path="nats-server.conf", message="account nkey seed"),
    )

    def check(self, ctx) -> Iterable[Diagnostic]:
        from authlint.syntax.natsjwt import SEED_KINDS, find_seeds

        text = ctx.source.text
        seeds = find_seeds(text)
        leaf_spans: set[tuple[int, int]] = set()
        if ctx.kind == NATSCONF:
            leaf_spans = self._leaf_seed_spans(ctx)
        for found in seeds:
            kind = SEED_KINDS.get(found.text[1], "nkey")
            place = "file"
            if ctx.kind == CREDS:
                place = "creds"
            elif (found.span.start, found.span.end) in leaf_spans:
                place = "leafnode remote"
            yield self.report(ctx, found.span, SeedCommitted(kind, shown(found.text), place))
        if ctx.kind == CREDS and not seeds and ctx.source.text.strip():
            first = ctx.source.line_text(1)
            from authlint.files.source import Span

            yield self.report(ctx, Span(0, len(first)), CredsFileCommitted())

    @staticmethod
    def _leaf_seed_spans(ctx) -> set[tuple[int, int]]:
        from authlint.facts.natsconf.blocks import walk_blocks

        spans = set()
        for placed in walk_blocks(ctx.tree):
            if placed.block == "remote" and placed.entry.lower in ("nkey", "seed"):
                node = placed.entry.value
                if node.source is ctx.source:
                    spans.add((node.span.start, node.span.end))
        return spans
