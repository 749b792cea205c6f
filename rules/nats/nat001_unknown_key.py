from __future__ import annotations

from typing import Iterable

from authlint.diagnostics.diagnostic import Diagnostic, Edit, Fix, FixAvailability, Severity
from authlint.diagnostics.mask import Quoted
from authlint.diagnostics.mask import scrub_patterns as scrub
from authlint.files.kinds import NATSCONF
from authlint.rule import FixOffer, Invalid, Rule, Valid, Violation

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
    """A key nats-server refuses in ``where`` (a block title); messages go through the pattern set (``mask.scrub_patterns``),
    since a misplaced key can be a pasted seed."""

    key: Quoted  # file text: a pasted seed is masked when the violation is made
    where: str

    def text(self) -> str:
        return f"unknown key `{self.key}` in {self.where}"

    def message(self) -> str:
        return scrub(self.text())


class TooNew(KeyViolation):
    since: str
    target: str  # where the target comes from: "target-nats-version is 2.9.10", "target 2.9.25 from Dockerfile:1"

    def text(self) -> str:
        return (
            f"`{self.key}` in {self.where} requires nats-server ≥ {self.since} "
            f"({self.target}); older servers refuse to start"
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
    held: str = ""  # why the one suggestion is not offered as a fix ("" when it is)

    def text(self) -> str:
        if len(self.suggestions) == 1:
            text = f"{super().text()}: did you mean `{self.suggestions[0]}`?"
            return f"{text} ({self.held})" if self.held else text
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
    you target (`target-nats-version`, else the version your Dockerfile, compose file, Kubernetes
    manifest, Helm values or `.tool-versions` pins, else none: then no key is reported as too new,
    see "Version detection" in the README): typos (`prot`), keys from blog posts that
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
    A key within edit distance 1-2 of exactly one key of that block is renamed. The rename is safe
    only when the key it becomes decides nothing about who may connect or where: a timer, a limit,
    a log setting (the file did not load before, and the setting is what the author wrote; a
    running server's `/varz` shows it). It is unsafe when the key it becomes is an auth,
    permission, TLS, origin or listener key (the `decides` table of `nats_keys`): `prot: 52221`
    becoming `port` moves the server, `tokn` becoming `token` switches token auth on for every
    client. After an unsafe rename the users log in with the secrets the file held (checked
    against a running server; NAT004 then offers to hash a plaintext one).

    No rename is offered when the block already has the key it would become (`prot: 52221` next to
    `port: 42221` would write a second `port`, and the later one wins: the message says the block
    already has it), when another misspelt key of the block would become the same key, or when the
    key it becomes is one nats-server refuses next to a key of the block ("Can not have a token and
    a users array"). When two renames of one block would together create such a conflict
    (`pasword` and `tokn` next to `users`, or `usr` and `tokn`), neither is offered: which
    credential the author meant is exactly what the file does not say, and applying one would
    silently drop the other. In `resolver {}` the rename is unsafe: the server ran without that
    setting, and it takes effect after the fix. Blog keys need a human: the message says what to
    write instead. A misspelt top-level key of an included file is reported at the `include` line
    without a fix: the file may be included inside a block, where the key means something else
    (a misspelt key inside a block of that file is fixed in the file).

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
    fix_offers = (
        FixOffer.safe(
            "Renames a misspelt key into one that decides nothing about who may connect or where (a timer, a limit, a log setting)."
        ),
        FixOffer.unsafe(
            "Renames a misspelt key into an auth, permission, TLS, origin or listener key: it switches that setting on."
        ),
    )
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
        Invalid(
            "logtime_utc: true\n",
            path="nats-server.conf",
            message="requires nats-server ≥ 2.10.0 (target-nats-version is 2.9.10)",
            settings={"target-nats-version": "2.9.10"},
        ),
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
            settings={"target-nats-version": "2.9.10"},
        ),
        # a timer decides nothing about who connects: a safe rename (test_rename_safety checks the class)
        Invalid('ping_intervall: "2m"\n', path="nats-server.conf", fixed='ping_interval: "2m"\n', span=(1, 1, 1, 15)),
        # the block already has `port`: a rename would write a second one and move the server
        Invalid(
            "port: 42221\nprot: 52221\n",
            path="nats-server.conf",
            fixed="port: 42221\nprot: 52221\n",
            message="the block already has `port`",
            span=(2, 1, 2, 5),
        ),
        # `tokn` becoming `token` next to `users`: "Can not have a token and a users array"
        Invalid(
            'authorization {\n  users: [ {user: a, password: b} ]\n  tokn: "t"\n}\n',
            path="nats-server.conf",
            fixed='authorization {\n  users: [ {user: a, password: b} ]\n  tokn: "t"\n}\n',
            message="nats-server refuses `token` next to `users`",
            span=(3, 3, 3, 7),
        ),
        # two renames that together clash (`pass` and `token`): neither is applied
        Invalid(
            'authorization {\n  pasword: "p"\n  tokn: "t"\n}\n',
            path="nats-server.conf",
            fixed='authorization {\n  pasword: "p"\n  tokn: "t"\n}\n',
            message="which one was meant is for a human to decide",
            count=2,
        ),
        # two misspellings of one key: neither becomes it
        Invalid(
            "cluster {\n  prot: 6222\n  pott: 6223\n}\n",
            path="nats-server.conf",
            fixed="cluster {\n  prot: 6222\n  pott: 6223\n}\n",
            message="would become `port` too",
            count=2,
        ),
        Invalid(
            "authorization {\n  users: [\n    {user: a, pasword: b}\n  ]\n}\n",
            path="nats-server.conf",
            fixed="authorization {\n  users: [\n    {user: a, password: b}\n  ]\n}\n",
        ),
        # no target configured or pinned: no key is too new (the newest release authlint knows)
        Valid("logtime_utc: true\n", path="nats-server.conf"),
        # the version the project's image runs: a Dockerfile ...
        Invalid(
            "logtime_utc: true\n",
            path="nats-server.conf",
            files={"Dockerfile": "FROM nats:2.9.25-alpine AS server\nCOPY nats-server.conf /etc/nats/\n"},
            message="requires nats-server ≥ 2.10.0 (target 2.9.25 from Dockerfile:1)",
            span=(1, 1, 1, 12),
        ),
        Valid(
            "logtime_utc: true\n",
            path="nats-server.conf",
            files={"Dockerfile": "ARG NATS_VERSION=2.10.7\nFROM nats:${NATS_VERSION}-alpine\n"},
        ),
        # ... or a compose file; an explicit target-nats-version wins over both
        Invalid(
            "logtime_utc: true\n",
            path="nats-server.conf",
            files={"docker-compose.yml": "services:\n  nats:\n    image: nats:2.9.25\n    ports: ['4222:4222']\n"},
            message="(target 2.9.25 from docker-compose.yml:3)",
        ),
        Valid(
            "logtime_utc: true\n",
            path="nats-server.conf",
            files={"docker-compose.yml": "services:\n  nats:\n    image: nats:2.9.25\n"},
            settings={"target-nats-version": "2.10.0"},
        ),
        # a Kubernetes manifest's image (the newest exact pin of several is not the target: the lowest is)
        Invalid(
            'cluster {\n  name: c1\n  routes: [ "nats://a:6222" ]\n  pool_size: 3\n}\n',
            path="nats-server.conf",
            files={
                "k8s/nats.yaml": "spec:\n  containers:\n    - name: nats\n      image: docker.io/library/nats:2.9.22-alpine\n",
                ".tool-versions": "nats-server 2.10.7\n",
            },
            message="(target 2.9.22 from k8s/nats.yaml:4)",
        ),
    )

    def check(self, ctx) -> Iterable[Diagnostic]:
        from authlint.facts.knowledge import nats_keys
        from authlint.facts.natsconf.blocks import walk_blocks

        config = ctx.tree
        from authlint.versions.nats_target import nats_target

        target = nats_keys.target_version(ctx.settings)  # with none known, the newest: no key is too new
        known = nats_target(ctx.settings)
        target_text = known.source if known is not None else ""
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
                problem, fix = self._unknown(entry, placed, keys, target, where)
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

    def _unknown(self, entry, placed, keys, target, where: str) -> tuple[KeyViolation, Fix | None]:
        from authlint.facts.knowledge import nats_keys

        key = entry.lower
        block = placed.block
        if entry.key.strip("{}[]") == "":
            return StrayBrace(entry.key, where), None
        if key in nats_keys.BLOG_KEYS and not (block == "auth_callout" and key == "auth_users"):
            return BlogKey(entry.key, where, nats_keys.BLOG_KEYS[key]), None
        if block == "top" and entry.key.isupper():
            return UnusedVariable(entry.key, where), None
        elsewhere = [b for b in nats_keys.blocks_with(key) if b != block]
        candidates = _candidates(key, keys, target)
        canonical = {keys[name].canonical for name in candidates}
        if candidates and len(canonical) == 1 and not elsewhere:
            best = min(candidates, key=lambda name: (edit_distance(key, name), name))
            held = _held(entry, placed, keys, target, best)
            if held:
                return Misspelled(entry.key, where, (best,), held), None
            title = f"Rename `{entry.key}` to `{best}`"
            decides = nats_keys.decides(block, best)
            if decides is None:
                return Misspelled(entry.key, where, (best,)), Fix.safe(title, Edit.replace(entry.key_span, best))
            fix = Fix.unsafe(f"{title} (it decides {decides})", Edit.replace(entry.key_span, best))
            return Misspelled(entry.key, where, (best,)), fix
        if elsewhere:
            return Misplaced(entry.key, where, tuple(nats_keys.title(b) for b in elsewhere[:3])), None
        if candidates:
            return Misspelled(entry.key, where, tuple(candidates)), None
        if block == "top":
            return UnknownTopKey(entry.key, where), None
        return KeyViolation(entry.key, where), None


def _candidates(key: str, keys, target) -> list[str]:
    """Known keys of the block (for the target version) within reach of a misspelt ``key``."""
    from authlint.facts.knowledge import nats_keys

    reach = 1 if len(key) <= 4 else 2
    return sorted(
        {info.name for name, info in keys.items() if nats_keys.available(info, target) and edit_distance(key, name) <= reach}
    )


def _rename_target(entry, block: str, keys, target) -> str | None:
    """The canonical key an unknown sibling would be renamed to (as ``_unknown`` decides), else None."""
    from authlint.facts.knowledge import nats_keys

    key = entry.lower
    if key in keys or key in nats_keys.BLOG_KEYS or (block == "top" and entry.key.isupper()) or entry.used_as_variable:
        return None
    if any(b != block for b in nats_keys.blocks_with(key)):
        return None
    canonical = {keys[name].canonical for name in _candidates(key, keys, target)}
    return canonical.pop() if len(canonical) == 1 else None


def _held(entry, placed, keys, target, best: str) -> str:
    """Why renaming ``entry`` to ``best`` must not be offered in its block ("" when it may): the key
    is already there, another rename in the block writes it too, or it clashes with the block."""
    from authlint.facts.knowledge import nats_keys

    block = placed.block
    meant = keys[best].canonical
    present: set[str] = set()
    renamed: dict[str, str] = {}  # canonical key another rename of the block would write -> its key
    for sibling in placed.parent.entries:
        if sibling is entry:
            continue
        info = keys.get(sibling.lower)
        if info is not None:
            present.add(info.canonical)
            if info.canonical == meant:
                return f"not renamed: the block already has `{sibling.key}`"
            continue
        other = _rename_target(sibling, block, keys, target)
        if other is not None:
            renamed.setdefault(other, sibling.key)
    if meant in renamed:
        return f"not renamed: `{renamed[meant]}` would become `{meant}` too"
    clash = nats_keys.excluded_by(block, meant, present)
    if clash is not None:
        return f"not renamed: nats-server refuses `{meant}` next to `{clash}` in {nats_keys.title(block)}"
    clash = nats_keys.excluded_by(block, meant, set(renamed))
    if clash is not None:
        return (
            f"not renamed: `{renamed[clash]}` would become `{clash}`, and nats-server refuses `{meant}` "
            f"next to `{clash}`; which one was meant is for a human to decide"
        )
    return ""
