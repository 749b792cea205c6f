from __future__ import annotations

import re
from typing import Iterable

from authlint.diagnostics.diagnostic import Diagnostic, Edit, Fix, FixAvailability
from authlint.files.kinds import NATSCONF
from authlint.rule import FixOffer, Invalid, Rule, Valid, Violation

_ARTICLE = {"string": "a string", "bool": "a boolean", "integer": "an integer", "float": "a float"}
_GO_TYPE = {"string": "string", "bool": "bool", "integer": "int64", "float": "float64"}


class WrongType(Violation):
    """A value of a kind nats-server's type assertion for this key refuses (``integer``/``bool``)."""

    key: str
    wanted: str  # integer | bool
    got: str  # the value's kind: string | bool | integer | float | ...

    def message(self) -> str:
        got = _ARTICLE.get(self.got, f"a {self.got}")
        go_type = "int64" if self.wanted == "integer" else "bool"
        return (
            f"`{self.key}` must be {'an integer' if self.wanted == 'integer' else 'a boolean'}, not {got}: "
            f"nats-server refuses it (interface conversion: interface {{}} is "
            f"{_GO_TYPE.get(self.got, self.got)}, not {go_type})"
        )

# (block, canonical key) -> the Go type nats-server asserts; each verified with 2.9.10 `-t`
# ("interface conversion: interface {} is string, not int64" / "... not bool").
TYPES: dict[tuple[str, str], str] = {
    **{
        ("top", key): "integer"
        for key in (
            "port",
            "http_port",
            "https_port",
            "prof_port",
            "max_payload",
            "max_pending",
            "max_control_line",
            "max_connections",
            "max_subscriptions",
            "ping_max",
            "max_traced_msg_len",
        )
    },
    **{(block, "port"): "integer" for block in ("cluster", "leafnodes", "websocket", "mqtt", "gateway")},
    **{("top", key): "bool" for key in ("debug", "trace", "logtime", "trace_verbose", "allow_non_tls")},
    ("websocket", "no_tls"): "bool",
    ("websocket", "same_origin"): "bool",
    ("tls", "verify"): "bool",
}
_INTEGER = re.compile(r"^-?[0-9]+(?:[kmgtpeKMGTPE][bBiI]*)?$")
_BOOL = re.compile(r"^(?i:true|false|yes|no|on|off)$")


class ValueType(Rule):
    """
    ## What it does
    Reports a value of the wrong type for keys nats-server reads as an integer or a boolean:
    quoted numbers and booleans (`port: "4222"`, `debug: "true"`), and a boolean where a number
    belongs or the reverse (`port: yes`, `debug: 1`).

    ## Why is this bad?
    nats-server refuses the config with `interface conversion: interface {} is string, not int64`,
    a message that does not say what to change. YAML and JSON habits (quote everything) and
    templating tools produce these.

    ## Example
    ```
    port: "4222"
    debug: "false"
    ```
    Use instead:
    ```
    port: 4222
    debug: false
    ```

    ## Fix safety
    Safe: nats-server refused the file, and a quoted number or boolean is unquoted, which is
    exactly the value that was written (`"1MB"` becomes the size `1MB`; a running server's `/varz`
    shows 1048576). Only values whose text is a whole integer (with a size suffix) or a boolean
    word are unquoted; a boolean where a number belongs, or `"42 22"`, is reported only (no fix).

    ## References
    - nats-server [server/opts.go](https://github.com/nats-io/nats-server/blob/main/server/opts.go) (type assertions per key; a wrong type fails with `interface conversion: interface {} is string, not int64`)
    - [Configuring NATS Server](https://docs.nats.io/running-a-nats-service/configuration): the type of each key
    """

    code = "NAT012"
    name = "value-type"
    summary = "quoted number or boolean, or a value of the wrong type, that nats-server refuses"
    kinds = frozenset({NATSCONF})
    languages = "nats-server.conf"
    fix_availability = FixAvailability.SOMETIMES
    fix_offers = (
        FixOffer.safe(
            "Unquotes a quoted number, size or boolean: exactly the value that was written."
        ),
    )
    examples = (
        Valid(
            "port: 4222\ndebug: false\nmax_payload: 1MB\nwebsocket { port: 8080, no_tls: true }\n",
            path="nats-server.conf",
        ),
        Valid('server_name: "4222"\nno_auth_user: "true"\n', path="nats-server.conf"),
        Valid("PORT: 4222\nport: $PORT\n", path="nats-server.conf"),
        Invalid(
            'port: "4222"  # from a template\n',
            path="nats-server.conf",
            fixed="port: 4222  # from a template\n",
            message="interface conversion",
            span=(1, 7, 1, 13),
        ),
        Invalid(
            "debug: 'true'\ntrace = \"off\"\n", path="nats-server.conf", fixed="debug: true\ntrace = off\n", count=2
        ),
        Invalid('max_payload: "1MB"\n', path="nats-server.conf", fixed="max_payload: 1MB\n"),
        Invalid(
            'websocket {\n  port: "8080"\n  no_tls: "true"\n}\n',
            path="nats-server.conf",
            fixed="websocket {\n  port: 8080\n  no_tls: true\n}\n",
        ),
        Invalid("port: yes\n", path="nats-server.conf", message="boolean"),
        Invalid("debug: 1\n", path="nats-server.conf", message="integer"),
        Invalid('port: "42 22"\n', path="nats-server.conf", message="integer"),
    )

    def check(self, ctx) -> Iterable[Diagnostic]:
        from authlint.facts.knowledge import nats_keys
        from authlint.facts.natsconf.blocks import walk_blocks

        for placed in walk_blocks(ctx.tree):
            entry = placed.entry
            if placed.block is None or entry.source is not ctx.source:
                continue
            info = nats_keys.block_keys(placed.block).get(entry.lower)
            wanted = TYPES.get((placed.block, info.canonical)) if info else None
            node = entry.value
            if wanted is None or node.variable is not None or node.kind in (wanted, "unresolved"):
                continue
            fix = None
            if node.kind == "string" and node.style in ("double", "single") and isinstance(node.value, str):
                text = node.value
                pattern = _INTEGER if wanted == "integer" else _BOOL
                if pattern.match(text) and node.raw[1:-1] == text:
                    fix = Fix.safe(f"Unquote {node.raw}", Edit.replace(node.span, text))
            yield self.report(ctx, node.span, WrongType(entry.key, wanted, node.kind), fix=fix)
