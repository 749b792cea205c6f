from __future__ import annotations

import re
from typing import Iterable, Iterator

from authlint.diagnostics.diagnostic import Diagnostic
from authlint.files.kinds import DOTENV, JAVASCRIPT, JSON, NATSCONF, PYTHON, TYPESCRIPT, YAML
from authlint.files.source import Span
from authlint.rule import Invalid, Rule, Valid, Violation

DEMO_HOSTS = frozenset({"demo.nats.io"})
# folders and names of code that is not deployed: tests, examples, docs, tutorials
NOT_DEPLOYED = re.compile(
    r"(?:^|/)(?:tests?|__tests__|spec|examples?|samples?|docs?|tutorials?|demos?)/|(?:^|/)test_[^/]*$|"
    r"_test\.py$|\.(?:test|spec)\.[cm]?[jt]sx?$",
    re.IGNORECASE,
)
URL_VARIABLES = ("NATS_URL", "NATS_SERVERS")


class DemoServer(Violation):
    """A client connection setting that names the public NATS demo servers."""

    where: str  # "NATS client", "`NATS_URL` fallback", "`NATS_URL`", "nats context `ops` `url`"
    host: str

    def message(self) -> str:
        return (
            f"{self.where} connects to `{self.host}`, the public NATS demo server: anyone can connect, "
            "subscribe to `>` and read or publish every message, and it is restarted without notice; "
            "point it at your own servers"
        )


def demo_host(url: str) -> str | None:
    """The demo host a server URL names (``nats://demo.nats.io:4222``, ``demo.nats.io``,
    ``tls://user:pw@demo.nats.io``), or None."""
    rest = url.strip()
    if "://" in rest:
        rest = rest.split("://", 1)[1]
    rest = rest.rsplit("@", 1)[-1].split("/", 1)[0]
    host = rest.rsplit(":", 1)[0] if rest.count(":") == 1 else rest
    host = host.strip("[]").lower().rstrip(".")
    return host if host in DEMO_HOSTS else None


def _parts(value: str) -> Iterator[tuple[str, int]]:
    """Each comma-separated URL of a value, with its offset."""
    at = 0
    for part in value.split(","):
        stripped = part.strip()
        if stripped:
            yield stripped, at + part.index(stripped)
        at += len(part) + 1


class PublicDemoServer(Rule):
    """
    ## What it does
    Finds NATS client configuration that connects to the public demo servers (`demo.nats.io`):
    the servers of a nats-py or nats.js client (`nats.connect("nats://demo.nats.io:4222")`,
    `connect({ servers: "demo.nats.io" })`), the fallback of a `NATS_URL`/`NATS_SERVERS`
    environment read (`os.getenv("NATS_URL", "nats://demo.nats.io")`,
    `process.env.NATS_URL || "…"`), those variables in a deployment's environment (Compose
    `environment`, Kubernetes `env`, `.env` files), the `url` of a nats CLI context
    (`context/NAME.json`), and a nats-server's leafnode `remotes` `url`/`urls` (the server is then
    a client of the demo server, and shares its accounts' messages with it). Code under test, example, docs and tutorial folders (`tests/`,
    `examples/`, `docs/`, `*.test.ts`, `test_*.py`), and dotenv templates, are left alone: that is
    what the demo servers are for.

    ## Why is this bad?
    `demo.nats.io` is a shared public server with no authentication: every message an app sends
    there can be read by anyone who subscribes to `>`, anyone can publish into the app's subjects,
    and the server is restarted and upgraded without notice. It is in the docs' first examples
    (and in natscli's README), so it is easily left in a deployed configuration.

    ## Example
    ```python
    nc = await nats.connect(os.getenv("NATS_URL", "nats://demo.nats.io:4222"))
    ```
    ```js
    const nc = await connect({ servers: "demo.nats.io" });
    ```
    Use instead your own servers, from the deployment:
    ```python
    nc = await nats.connect(os.environ["NATS_URL"])
    ```

    ## Fix safety
    No fix: which server the client should use is the deployment's.

    ## References
    - [NATS demo server](https://docs.nats.io/nats-concepts/what-is-nats/walkthrough_setup): `demo.nats.io` is a public server for trying NATS
    - [natscli README](https://github.com/nats-io/natscli): contexts, and the demo server as the example target
    - CWE-319 and CWE-306 (messages on a server anyone may join): https://cwe.mitre.org/data/definitions/306.html
    """

    code = "NAT014"
    name = "public-demo-server"
    summary = "NATS client configuration that connects to the public demo server demo.nats.io"
    kinds = frozenset({PYTHON, JAVASCRIPT, TYPESCRIPT, YAML, DOTENV, JSON, NATSCONF})
    triggers = ("demo.nats.io",)
    languages = "Python, JS/TS, YAML, .env, nats CLI contexts, nats-server.conf"
    examples = (
        Invalid(
            'import nats\n\nasync def main():\n    nc = await nats.connect("nats://demo.nats.io:4222")\n',
            path="app/worker.py",
            message="NATS client connects to `demo.nats.io`",
            span=(4, 30, 4, 54),
        ),
        Invalid(
            'import os\nimport nats\n\nasync def main():\n    nc = await nats.connect(os.getenv("NATS_URL", "nats://demo.nats.io"))\n',
            path="app/worker.py",
            message="`NATS_URL` fallback",
            count=1,
        ),
        Valid(
            'import os\nimport nats\n\nasync def main():\n    nc = await nats.connect(os.environ["NATS_URL"])\n',
            path="app/worker.py",
        ),
        Valid(
            'import nats\n\nasync def test_publish():\n    nc = await nats.connect("nats://demo.nats.io:4222")\n',
            path="tests/test_worker.py",
        ),
        Invalid(
            'import { connect } from "nats";\nconst nc = await connect({ servers: ["nats://nats:4222", "demo.nats.io"] });\n',
            path="src/bus.ts",
            span=(2, 59, 2, 71),
        ),
        Invalid(
            'import { connect } from "nats";\nconst nc = await connect({ servers: process.env.NATS_URL ?? "wss://demo.nats.io:8443" });\n',
            path="src/bus.js",
            message="`NATS_URL` fallback",
            count=1,
        ),
        Valid('import { connect } from "nats";\nconst nc = await connect({ servers: "nats://nats:4222" });\n', path="src/bus.ts"),
        Valid(
            'import { connect } from "nats";\nconst nc = await connect({ servers: "demo.nats.io" });\n',
            path="examples/hello.ts",
        ),
        Invalid(
            "services:\n  worker:\n    image: worker:1\n    environment:\n      - NATS_URL=nats://demo.nats.io:4222\n",
            path="docker-compose.yml",
            message="Compose service `worker` (`NATS_URL`)",
            span=(5, 18, 5, 42),
        ),
        Valid("services:\n  worker:\n    image: worker:1\n    environment:\n      - NATS_URL=nats://nats:4222\n",
              path="docker-compose.yml"),
        Invalid("NATS_SERVERS=nats://n1:4222,demo.nats.io:4222\n", path=".env", span=(1, 29, 1, 46)),
        Valid("NATS_URL=nats://demo.nats.io:4222\n", path=".env.example"),
        Invalid('{\n  "description": "NATS Demo",\n  "url": "demo.nats.io:4222"\n}\n', path="context/demo.json",
                message="nats context `demo`"),
        Valid('{\n  "description": "Local",\n  "url": "nats://127.0.0.1:4222"\n}\n', path="context/local.json"),
        Invalid(
            'leafnodes {\n  remotes: [\n    { urls: ["nats-leaf://hub:7422", "nats-leaf://demo.nats.io:7422"] }\n  ]\n}\n',
            path="nats-server.conf",
            message="leafnode remote connects to `demo.nats.io`",
            span=(3, 39, 3, 68),
        ),
        Valid(
            '# try it against nats-leaf://demo.nats.io:7422\nleafnodes { remotes: [ { url: "nats-leaf://hub:7422" } ] }\n',
            path="nats-server.conf",
        ),
    )

    def check(self, ctx) -> Iterable[Diagnostic]:
        if NOT_DEPLOYED.search(ctx.source.relpath):
            return
        if ctx.kind == NATSCONF:
            yield from self._leaf_remotes(ctx)
            return
        from authlint.facts.model import EnvBlock, EnvFallback, NatsClient, NatsContext

        for client in ctx.of(NatsClient):
            yield from self._servers(ctx, client.servers)
        for fallback in ctx.of(EnvFallback):
            if fallback.variable in URL_VARIABLES:
                yield from self._value(ctx, fallback.value, fallback.value_span, f"`{fallback.variable}` fallback")
        for block in ctx.of(EnvBlock):
            if block.template:
                continue
            label = f"Compose service `{block.service}`" if block.origin == "compose" else (
                f"`{block.service}`" if block.service else f"`{ctx.source.relpath}`")
            for setting in block.settings:
                if setting.name in URL_VARIABLES and setting.value:
                    yield from self._value(ctx, setting.value, setting.span, f"{label} (`{setting.name}`)")
        for context in ctx.of(NatsContext):
            for setting in context.settings:
                if setting.name == "url" and setting.value:
                    yield from self._value(ctx, setting.value, setting.span, f"nats context `{context.name}`")

    def _leaf_remotes(self, ctx) -> Iterator[Diagnostic]:
        from authlint.facts.natsconf.blocks import walk_blocks

        for placed in walk_blocks(ctx.tree):
            if placed.block != "remote" or placed.entry.lower not in ("url", "urls"):
                continue
            node = placed.entry.value
            for item in node.items if node.kind == "array" else [node]:
                if item.source is ctx.source and isinstance(item.value, str):
                    yield from self._value(ctx, item.value, _inside(ctx, item.span, item.value), "leafnode remote")

    def _servers(self, ctx, servers) -> Iterator[Diagnostic]:
        if servers is None or not servers.known:
            return
        if isinstance(servers.value, str):
            yield from self._value(ctx, servers.value, _inside(ctx, servers.span, servers.value), "NATS client")
        elif isinstance(servers.value, list):
            items = servers.items or []
            for index, url in enumerate(servers.value):
                if isinstance(url, str) and demo_host(url):
                    span = items[index].span if index < len(items) else servers.span
                    yield from self._value(ctx, url, _inside(ctx, span, url), "NATS client")

    def _value(self, ctx, value: str, span: Span, where: str) -> Iterator[Diagnostic]:
        exact = span.end - span.start == len(value)
        for url, offset in _parts(value):
            host = demo_host(url)
            if host is not None:
                at = Span(span.start + offset, span.start + offset + len(url)) if exact else span
                yield self.report(ctx, at, DemoServer(where, host))


def _inside(ctx, span: Span, value: str) -> Span:
    """A string literal's span without its quotes, when the literal is written plainly."""
    text = ctx.source.slice(span)
    at = text.find(value) if value else -1
    return Span(span.start + at, span.start + at + len(value)) if at != -1 else span
