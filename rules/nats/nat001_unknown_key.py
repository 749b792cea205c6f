from __future__ import annotations

from typing import Iterable

from authlint.diagnostics.diagnostic import Diagnostic, Edit, Fix, FixAvailability, Severity
from authlint.diagnostics.redact import scrub
from authlint.files.kinds import NATSCONF
from authlint.rule import Invalid, Rule, Valid, Violation

RESOLVER_KEYS = ("type", "dir", "allow_delete", "hard_delete", "limit", "interval", "ttl", "timeout")


def edit_distance(a: str, b: str, limit: int = 3) -> int:
    """Optimal-string-alignment distance (a swap of two neighbours counts once), capped at ``limit``."""
    if abs(len(a) - len(b)) >= limit:
        return limit
    prev2: list[int] = []
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            cost = 0 if ca == cb else 1
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                cur[j] = min(cur[j], prev2[j - 2] + 1)
        prev2, prev = prev, cur
    return min(prev[-1], limit)


class KeyViolation(Violation):
    """A key nats-server refuses in ``where`` (a block title); messages are scrubbed of secrets,
    since a misplaced key can be a pasted seed."""

    key: str
    where: str

    def text(self) -> str:
        return f"unknown key `{self.key}` in {self.where}"

    def message(self) -> str:
        return scrub(self.text())


class TooNew(KeyViolation):
    since: str
    target: str

    def text(self) -> str:
        return (
            f"`{self.key}` in {self.where} requires nats-server ≥ {self.since} "
            f"(target-nats-version is {self.target}); older servers refuse to start"
        )


class StrayBrace(KeyViolation):
    def text(self) -> str:
        return f"stray `{self.key}` in {self.where}: the braces are unbalanced, so nats-server reads it as a key"


class BlogKey(KeyViolation):
    advice: str

    def text(self) -> str:
        return f"{super().text()}: nats-server has no such setting; {self.advice}"


class UnusedVariable(KeyViolation):
    def text(self) -> str:
        return (
            f"{super().text()}: a top-level variable definition is only allowed when it is used "
            f"(never used as ${self.key})"
        )


class Misspelled(KeyViolation):
    suggestions: tuple[str, ...]

    def text(self) -> str:
        if len(self.suggestions) == 1:
            return f"{super().text()}: did you mean `{self.suggestions[0]}`?"
        return f"{super().text()}: did you mean one of {', '.join(f'`{c}`' for c in self.suggestions)}?"


class Misplaced(KeyViolation):
    places: tuple[str, ...]

    def text(self) -> str:
        return f"{super().text()}: `{self.key}` belongs in {', '.join(self.places)}"


class UnknownTopKey(KeyViolation):
    def text(self) -> str:
        return f"{super().text()} (a top-level variable definition must be used as ${self.key})"


class FromInclude(Violation):
    """A problem of a key an include pulled in, reported at the ``include`` line."""

    path: str
    problem: KeyViolation

    def message(self) -> str:
        return scrub(f"included from `{self.path}`: {self.problem.text()}")


class IgnoredResolverKey(Violation):
    key: str
    near: str

    def message(self) -> str:
        return (
            f"`{self.key}` in `resolver` is silently ignored (nats-server matches these keys exactly): "
            f"did you mean `{self.near}`?"
        )


class UnknownKey(Rule):
    """
    ## What it does
    Reports a key nats-server does not recognise where it is written, for the nats-server version
    you target (`target-nats-version`, default 2.9.10): typos (`prot`), keys from blog posts that
    never existed (`ping_timeout`, `auth_users`, `jwt_file`, `nkey_seed`, `monitoring_port`,
    `auth_timeout`, `max_pings_out`), keys in the wrong block (`users` at the top level), keys newer
    than your server (`logtime_utc` needs 2.10), and unused variable definitions. A top-level key
    referenced as `$variable` is allowed. `resolver {}` silently ignores keys it does not know
    (matched case-sensitively): near-misses of its keys (`dirr`, `Type`) are reported as ignored.

    ## Why is this bad?
    nats-server refuses to start on an unknown key (`unknown field "x"`), in every block. A key
    copied from a blog post looks plausible in review and breaks the deployment.

    ## Example
    ```
    ping_timeout: 30s
    authorization { tokn: "..." }
    ```
    Use instead:
    ```
    ping_interval: "30s"
    ping_max: 2
    authorization { token: "..." }
    ```

    ## Fix safety
    A key within edit distance 1-2 of exactly one key of that block is renamed (safe: the file
    did not load before, so no running behaviour changes). In `resolver {}` the rename is unsafe:
    the server ran without that setting, and it takes effect after the fix. Blog keys need a human: the message says
    what to write instead.

    ## References
    - nats-server [server/opts.go](https://github.com/nats-io/nats-server/blob/main/server/opts.go) (`processConfigFileLine`, `unknownConfigFieldErr`: an unknown field is an error in every block, a key used as `$variable` is exempt)
    - [Configuring NATS Server](https://docs.nats.io/running-a-nats-service/configuration): every key of the config file
    - nats-server's own bad-config tests use `monitoring_port` as the example of a key that does not exist
    """

    code = "NAT001"
    name = "unknown-key"
    summary = "key nats-server does not recognise at this level or in the target version"
    kinds = frozenset({NATSCONF})
    languages = "nats-server.conf"
    fix_availability = FixAvailability.SOMETIMES
    examples = (
        Valid('port: 4222\nping_interval: "2m"\nping_max: 2\n', path="nats-server.conf"),
        Valid('TOKEN: "from-a-variable"\nauthorization { token: $TOKEN }\n', path="nats-server.conf"),
        Valid("resolver { type: full, dir: './jwt', some_future_key: 1 }\n", path="nats-server.conf"),
        Invalid(
            "resolver {\n  type: full\n  dirr: './jwt'\n  Allow_Delete: true\n}\n",
            path="nats-server.conf",
            count=2,
            message="silently ignored",
            fixed="resolver {\n  type: full\n  dir: './jwt'\n  allow_delete: true\n}\n",
            span=(3, 3, 3, 7),
        ),
        Valid("logtime_utc: true\n", path="nats-server.conf", settings={"target-nats-version": "2.10.0"}),
        Valid("logtime_utc: true\n", path="nats-server.conf", settings={"target-nats-version": "2.10"}),
        Valid('Port: 4222\nAUTHORIZATION { Token: "x" }\n', path="nats-server.conf"),
        Valid("accounts { A { users: [ {user: a, password: b} ], jetstream: enabled } }\n", path="nats-server.conf"),
        Invalid("port: 4222\nping_timeout: 30\n", path="nats-server.conf", message="ping_interval", count=1),
        Invalid("prot: 4222\n", path="nats-server.conf", fixed="port: 4222\n", message="did you mean `port`"),
        Invalid(
            'authorization {\n  tokn: "abc" # set by ops\n}\n',
            path="nats-server.conf",
            fixed='authorization {\n  token: "abc" # set by ops\n}\n',
        ),
        Invalid("logtime_utc: true\n", path="nats-server.conf", message="requires nats-server ≥ 2.10.0"),
        Invalid("auth_users: [ {user: a, password: b} ]\n", path="nats-server.conf", message="authorization"),
        Invalid("users: [ {user: a, password: b} ]\n", path="nats-server.conf", message="authorization"),
        Invalid('TOKEN: "unused"\nport: 4222\n', path="nats-server.conf", message="never used as $TOKEN"),
        Invalid("port: 4222\n}\n}\n", path="nats-server.conf", message="unbalanced"),
        Invalid(
            "SUANQDPB2RUOE4ETUA26CNX7FUKE5ZZKFCQIIW63OX225F2CO7UEXTM7ZY: 1\n", path="nats-server.conf", message="SU*****"
        ),
        Invalid('jwt_file: "./op.jwt"\n', path="nats-server.conf", message="operator"),
        Invalid(
            'cluster {\n  name: c1\n  routes: [ "nats://a:6222" ]\n  pool_size: 3\n}\n',
            path="nats-server.conf",
            message="pool_size",
        ),
        Invalid(
            "authorization {\n  users: [\n    {user: a, pasword: b}\n  ]\n}\n",
            path="nats-server.conf",
            fixed="authorization {\n  users: [\n    {user: a, password: b}\n  ]\n}\n",
        ),
    )

    def check(self, ctx) -> Iterable[Diagnostic]:
        from authlint.facts.knowledge import nats_keys
        from authlint.facts.natsconf.blocks import walk_blocks

        config = ctx.tree
        target = nats_keys.target_version(ctx.settings)
        target_text = ctx.settings.target_nats_version
        for placed in walk_blocks(config):
            entry = placed.entry
            if placed.block is None or entry.used_as_variable:
                continue
            keys = nats_keys.block_keys(placed.block)
            info = keys.get(entry.lower)
            if info is not None and nats_keys.available(info, target):
                continue
            # a fragment (``users.conf`` pulled into ``authorization {}``) is checked where it is
            # included: standing alone its keys look misplaced, so these hold only for a whole file
            fragment_sensitive = placed.block == "top" and entry.source is ctx.source
            where = nats_keys.title(placed.block)
            problem: KeyViolation
            if info is not None:
                problem = TooNew(entry.key, where, ".".join(map(str, info.since or ())), target_text)
                fix = None
            else:
                problem, fix = self._unknown(entry, placed.block, keys, target, where)
            if entry.source is ctx.source:
                yield self.report(ctx, entry.key_span, problem, fix=fix, unless_included=fragment_sensitive)
            elif entry.include is not None and entry.include.source is ctx.source:
                yield self.report(ctx, entry.include.span, FromInclude(entry.include.path, problem))
        yield from self._resolver(ctx, config)

    def _resolver(self, ctx, config) -> Iterable[Diagnostic]:
        """``resolver {}`` looks its keys up by exact name and ignores the rest without a word."""
        from authlint.syntax.natsconf import MapNode

        entry = config.root.get("resolver", "account_resolver", "accounts_resolver")
        if entry is None or not isinstance(entry.value, MapNode) or entry.value.variable is not None:
            return
        for key in entry.value.entries:
            if key.source is not ctx.source or key.key in RESOLVER_KEYS:
                continue
            near = sorted(k for k in RESOLVER_KEYS if edit_distance(key.key.lower(), k) <= (1 if len(k) <= 3 else 2))
            if key.key.lower() in RESOLVER_KEYS:
                near = [key.key.lower()]
            if not near:
                continue  # free-form extras are allowed there; only near-misses of real keys matter
            fix = None
            if len(near) == 1:
                fix = Fix.unsafe(f"Rename `{key.key}` to `{near[0]}`", Edit.replace(key.key_span, near[0]))
            yield self.report(ctx, key.key_span, IgnoredResolverKey(key.key, near[0]), fix=fix, severity=Severity.WARNING)

    def _unknown(self, entry, block: str, keys, target, where: str) -> tuple[KeyViolation, Fix | None]:
        from authlint.facts.knowledge import nats_keys

        key = entry.lower
        if entry.key.strip("{}[]") == "":
            return StrayBrace(entry.key, where), None
        if key in nats_keys.BLOG_KEYS and not (block == "auth_callout" and key == "auth_users"):
            return BlogKey(entry.key, where, nats_keys.BLOG_KEYS[key]), None
        if block == "top" and entry.key.isupper():
            return UnusedVariable(entry.key, where), None
        elsewhere = [b for b in nats_keys.blocks_with(key) if b != block]
        candidates = sorted(
            {
                info.name
                for name, info in keys.items()
                if nats_keys.available(info, target) and edit_distance(key, name) <= (1 if len(key) <= 4 else 2)
            }
        )
        canonical = {keys[name].canonical for name in candidates}
        if candidates and len(canonical) == 1 and not elsewhere:
            best = min(candidates, key=lambda name: (edit_distance(key, name), name))
            fix = Fix.safe(f"Rename `{entry.key}` to `{best}`", Edit.replace(entry.key_span, best))
            return Misspelled(entry.key, where, (best,)), fix
        if elsewhere:
            return Misplaced(entry.key, where, tuple(nats_keys.title(b) for b in elsewhere[:3])), None
        if candidates:
            return Misspelled(entry.key, where, tuple(candidates)), None
        if block == "top":
            return UnknownTopKey(entry.key, where), None
        return KeyViolation(entry.key, where), None
