from __future__ import annotations

from typing import Iterable

from authlint.diagnostics.diagnostic import Diagnostic
from authlint.diagnostics.mask import Masked
from authlint.files.kinds import (
    CREDS,
    DOTENV,
    HOCON,
    JAVASCRIPT,
    JSON,
    JWTFILE,
    NATSCONF,
    NGINX,
    NKEY,
    PYTHON,
    TEXT,
    TYPESCRIPT,
    YAML,
)
from authlint.rule import Invalid, Rule, Valid, Violation
from authlint.syntax.nkeys import SEED_BYTES


class SeedCommitted(Violation):
    """An nkey seed (the private key) in a committed file; ``shown`` keeps only its type prefix."""

    kind: str  # user | account | operator | ... (from the seed's second letter)
    shown: Masked  # ``shown(seed)``: the type prefix and stars
    place: str = "file"  # file | creds | leafnode remote | key file

    def message(self) -> str:
        where = {
            "file": "",
            "creds": " in a .creds file: credentials files belong in a secret store, not in the repository",
            "leafnode remote": " inline in a leafnode remote: point `credentials` at a file outside the repository",
            "key file": " in an nkey file: nsc keeps its keys outside the project (`~/.local/share/nats/nsc/keys`)",
        }[self.place]
        return f"{self.kind} nkey seed {self.shown} is committed{where}"


class CredsFileCommitted(Violation):
    """A ``.creds`` file without a seed authlint recognises: still a credentials file."""

    def message(self) -> str:
        return "a .creds file is committed: it normally holds a user seed"

_SEED = "SUANQDPB2RUOE4ETUA26CNX7FUKE5ZZKFCQIIW63OX225F2CO7UEXTM7ZY"  # nats.rs test seed (public)
# Public test seeds of nats.go (``nats_test.go``, "Trust Server Tests"): an account and an operator.
_ACCOUNT_SEED = "SAAASUPRY3ONU4GJR7J5RUVYRUFZXG56F4WEXELLLORQ65AEPSMIFTOJGE"
_OPERATOR_SEED = "SOAL7GTNI66CTVVNXBNQMG6V2HTDRWC3HGEP7D2OUTWNWSNYZDXWFOX4SU"
# the user seed with its last letter changed: the shape of a seed, not a valid checksum
_BROKEN_SEED = _SEED[:-1] + ("A" if _SEED[-1] != "A" else "B")
# kinds where a seed is looked for only when its shape is in the raw bytes (the prefilter's regex)
SEARCHED = (JSON, YAML, DOTENV, PYTHON, JAVASCRIPT, TYPESCRIPT, NGINX, HOCON, TEXT)


def shown(seed: str) -> Masked:
    """The seed's type prefix (``SU``: a user) and stars: the length of every seed is the same."""
    return Masked(seed[:2] + "*" * 10)


class SeedLeak(Rule):
    """
    ## What it does
    Finds nkey seeds (`SU…` user, `SA…` account, `SO…` operator, `SN…`, `SC…`, `SX…`; 58 base32
    characters whose CRC-16 checksum holds, so a run of capitals that only looks like one is not
    reported) wherever they are committed: nats-server configs (including comments and leafnode
    `remotes` `nkey`/`seed`), `.nk` key files (an nsc store's `keys/O/AB/OAB….nk`), `.creds` and
    `.jwt` files, `.env` files (`.env`, `.env.*`, `devcontainer.env`), YAML (Compose, Kubernetes,
    fixtures), JSON (nats CLI contexts, fixtures), Python and JS/TS source (string literals,
    comments), and every other committed text file: READMEs and docs, shell scripts, `.txt`
    notes, Makefiles, `.toml`/`.ini`/`.tf` files, files without an extension. Every `.creds` file
    (a user JWT plus its seed) is reported even when its seed is not recognised. Seeds are always
    shown redacted (`SU**********`), and a published example seed is reported like any other:
    committed, it is a key anyone can sign with.

    A JSON, YAML, dotenv, code or plain text file is read further only when its raw bytes hold
    the seed shape (`S[UAONCX]` and 56 base32 capitals, a case-sensitive regex at about 1 GB/s),
    so the search costs a tree no parsing. Plain text files are picked by name and content:
    images, archives, compiled files, fonts, media, documents, source maps, translations
    (`.po`/`.mo`), lock files (`*.lock`, `go.sum`) and minified bundles are never read; a file
    with a NUL byte in its first 8000 bytes is binary and skipped (git's test); plain text files
    over `max-file-size` or not in UTF-8 are left alone.

    ## Why is this bad?
    A seed is a private key: whoever has it *is* that user, account or operator (an operator seed
    signs any account). Once committed, it stays in the history and in every clone; rotating it
    means re-issuing everything it signed.

    ## Example
    ```
    # seed: SUANQDPB2RUOE4…
    users: [ { nkey: UAMMBNV2EYR65NYZ… } ]
    ```
    ```python
    nc = await nats.connect(servers, nkeys_seed_str="SUANQDPB2RUOE4…")
    ```
    Use instead a seed file or a secret kept outside the repository
    (`nkeys_seed=os.environ["NATS_NKEY_FILE"]`, `credentials: /etc/nats/app.creds`).

    ## Fix safety
    No fix: remove the seed, rotate the key with `nsc`, and purge it from history.

    ## References
    - [NKeys](https://docs.nats.io/running-a-nats-service/configuration/securing_nats/auth_intro/nkey_auth): servers hold public keys only; the seed is the private key
    - [Leaf node configuration](https://docs.nats.io/running-a-nats-service/configuration/leafnodes/leafnode_conf): `remotes[].credentials` points at a creds file
    - [NATS JWT: decentralized auth](https://docs.nats.io/running-a-nats-service/nats_admin/jwt): `.creds` files hold a user JWT and its seed
    - nkeys [strkey.go](https://github.com/nats-io/nkeys/blob/main/strkey.go) (`EncodeSeed`, `DecodeSeed`: two prefix bytes, the raw seed, a CRC-16 of them) and [crc16.go](https://github.com/nats-io/nkeys/blob/main/crc16.go)
    """

    code = "NAT009"
    name = "seed-leak"
    summary = "nkey seed or .creds file committed to the repository"
    kinds = frozenset({NATSCONF, CREDS, JWTFILE, NKEY, *SEARCHED})
    raw_triggers = dict.fromkeys(SEARCHED, SEED_BYTES)
    languages = "nats-server.conf, .jwt, .creds, .nk, .env, YAML, JSON, Python, JS/TS, any text file"
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
        Valid(f"# seed: {_BROKEN_SEED}\n", path="nats-server.conf"),
        Invalid(_OPERATOR_SEED + "\n", path="keys/O/AL/OALXXX.nk", message="operator nkey seed SO*", span=(1, 1, 1, 59)),
        Valid(_BROKEN_SEED + "\n", path="keys/U/AN/UANXXX.nk"),
        Invalid(f"NATS_NKEY_SEED={_SEED}\n", path=".devcontainer/devcontainer.env", message="user nkey seed",
                span=(1, 16, 1, 74)),
        Valid("NATS_NKEY_SEED_FILE=/run/secrets/app.nk\n", path=".devcontainer/devcontainer.env"),
        Invalid(f"users:\n  - name: app\n    seed: {_SEED}\n", path="tests/fixtures/users.yaml", count=1),
        Valid(f"users:\n  - name: app\n    seed: {_BROKEN_SEED}\n", path="tests/fixtures/users.yaml"),
        Invalid(f'{{"name": "ops", "nkey": "{_ACCOUNT_SEED}"}}\n', path="context/ops.json", message="account"),
        Invalid(
            f'import nats\n\nasync def main():\n    nc = await nats.connect("nats://hub:4222", nkeys_seed_str="{_SEED}")\n',
            path="app.py",
            span=(4, 64, 4, 122),
        ),
        Valid(
            'import os\nimport nats\n\nasync def main():\n'
            '    nc = await nats.connect("nats://hub:4222", nkeys_seed=os.environ["NATS_NKEY_FILE"])\n',
            path="app.py",
        ),
        Invalid(f'const SEED = "{_SEED}";\n', path="src/nats.ts", message="user nkey seed SU**********"),
        Invalid(f'// operator: {_OPERATOR_SEED}\nexport const x = 1;\n', path="src/keys.js", message="operator"),
        Valid(f'const SEED = "{_BROKEN_SEED}";\n', path="src/nats.ts"),
        Invalid(
            f"## Connect\n\nStart the client with its seed:\n\n```\nnats-client --seed {_SEED}\n```\n",
            path="README.md",
            message="user nkey seed SU********** is committed",
            span=(6, 20, 6, 78),
        ),
        Valid(f"## Connect\n\nAn example seed: {_BROKEN_SEED}\n", path="README.md"),
        Invalid(f"#!/bin/sh\nexport NATS_SEED={_ACCOUNT_SEED}\nexec ./app\n", path="deploy.sh", message="account nkey seed"),
        Invalid(f"operator key: {_OPERATOR_SEED}\n", path="notes", message="operator nkey seed SO*"),
        Valid("nats account info --json > account.txt\n", path="notes.txt"),
    )

    def check(self, ctx) -> Iterable[Diagnostic]:
        from authlint.syntax.nkeys import find_valid_seeds

        text = ctx.source.text
        seeds = find_valid_seeds(text)
        leaf_spans: set[tuple[int, int]] = set()
        if ctx.kind == NATSCONF and seeds:
            leaf_spans = self._leaf_seed_spans(ctx)
        for found in seeds:
            place = "file"
            if ctx.kind == CREDS:
                place = "creds"
            elif ctx.kind == NKEY:
                place = "key file"
            elif (found.span.start, found.span.end) in leaf_spans:
                place = "leafnode remote"
            yield self.report(ctx, found.span, SeedCommitted(found.kind, shown(found.text), place))
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
