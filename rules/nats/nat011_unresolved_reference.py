from __future__ import annotations

import re
from typing import Iterable

from authlint.diagnostics.diagnostic import Diagnostic, Fix, FixAvailability, Severity
from authlint.files.kinds import DOTENV, LAUNCH_KINDS, NATSCONF, YAML
from authlint.rule import FixOffer, Invalid, Rule, Valid, Violation
from authlint.rules import kit


class BcryptAsVariable(Violation):
    """``$2b$…``/``$2y$…`` unquoted: the lexer reads a variable reference, not a hash."""

    def message(self) -> str:
        return (
            "unquoted bcrypt hash starting `$2b$`/`$2y$` is read as a variable and nats-server "
            "refuses to start; quote it"
        )


class DefinedLater(Violation):
    name: str

    def message(self) -> str:
        return (
            f"${self.name} is defined later in the file: nats-server only sees keys defined before "
            f"the reference, so it must come from the environment"
        )


class Undefined(Violation):
    name: str

    def message(self) -> str:
        return (
            f"${self.name} is not defined in the config: nats-server refuses to start unless "
            f"{self.name} is set in its environment"
        )


class UnsetInDeployments(Violation):
    """A variable no deployment that runs the config gives it."""

    name: str
    lacking: str  # the deployments that run the config, as messages name them

    def message(self) -> str:
        return (
            f"${self.name} is not defined in the config and {self.lacking} does not set {self.name}: "
            f"nats-server refuses to start there (\"variable reference ... can not be found\")"
        )


class MissingFile(Violation):
    """A TLS file the config opens at start that is not where the config runs."""

    key: str  # cert_file | key_file | ca_file
    path: str
    lacking: str  # the deployments without it ("" when no deployment runs the config)

    def message(self) -> str:
        where = f"is not in the file system of {self.lacking}" if self.lacking else (
            "exists nowhere in the project (nats-server opens it from its working directory)")
        return f"`{self.key}` {self.path} {where}: nats-server refuses to start (\"open {self.path}: no such file\")"


class IncludeProblem(Violation):
    """An include that nats-server could not read; ``detail`` is the parser's (nats-server's) wording."""

    detail: str

    def message(self) -> str:
        return self.detail


class DanglingKey(Violation):
    key: str

    def message(self) -> str:
        return (
            f"`{self.key}` has no value: nats-server accepts it and then stores the enclosing "
            f"block under the wrong key"
        )

_BCRYPT_AS_VARIABLE = re.compile(r"^2[by]\$\d{2}\$")


class UnresolvedReference(Rule):
    """
    ## What it does
    Reports what nats-server would look up and not find: a `$variable` defined neither earlier in
    an enclosing block nor in authlint's environment (nats-server needs it in *its* environment),
    an unquoted bcrypt hash starting `$2b$`/`$2y$` (only `$2a$` is taken literally; the others are
    read as a variable), and an `include` that is missing, loops, leaves the project root or does
    not parse. Also a key left without a value inside a block (`...` in a doc snippet), which
    nats-server accepts and then files the whole block under the wrong key.

    A config is judged with the deployments of the project that run it: a Compose service, a
    Kubernetes container, a Dockerfile or a Procfile that starts nats-server with `-c` on this file
    (mounted through `volumes`, copied with `COPY`, or next to the Procfile), or on a file that
    includes it. A variable such a deployment gives nats-server (Compose `environment`/`env_file`,
    Kubernetes `env`/`envFrom`, Dockerfile `ENV`; `HOSTNAME`, which every container runtime sets)
    is not reported; when every deployment that runs the config is known not to set it, the finding
    names them. A Dockerfile's or Procfile's environment is also given at run time (`docker run -e`,
    Heroku config vars), so those never count as lacking one. Deployments whose config authlint
    cannot map to a project file (a ConfigMap, a host path) silence a variable they set.

    TLS `cert_file`/`key_file`/`ca_file` are files nats-server opens at start (a relative path from
    its working directory). With deployments that run the config, an absolute path must lie under
    something every Compose service or Kubernetes container mounts (`volumes`, `secrets`, `configs`,
    `volumeMounts`); a relative path, a Dockerfile (`RUN` may make the file) and a Procfile whose
    folder holds the file count as having it. Without a deployment, an absolute path is the host's
    and is not judged; a relative one is reported when it exists nowhere in the project while the
    project ships other certificates (a project that ships none makes them at set-up time).
    The same holds for the files a stock `nats` image is started with (`-c`, `--tlscert`,
    `--tlskey`, `--tlscacert` in Compose without `build`, or Kubernetes): an absolute path that is
    neither the image's own default config nor under a mount is reported at the flag.

    ## Why is this bad?
    nats-server refuses to start: "variable reference for 'X' on line N can not be found",
    "error parsing include file". A hash copied from `htpasswd` or Python's bcrypt (`$2b$`) fails
    the same way although it looks right.

    ## Example
    ```
    authorization { user: a, password: $2b$11$Kq... }
    ```
    Use instead:
    ```
    authorization { user: a, password: "$2b$11$Kq..." }
    ```

    ## Fix safety
    Safe for `$2b$`/`$2y$` hashes: nats-server refused to start on them, and quoting makes it read
    the hash it was meant to be (checked against a running nats-server: the users log in with their
    passwords, in accounts, through a variable and in an included file). The hash is written in
    double quotes, as `nats server passwd` and nats-server's docs write it (`$` is literal inside
    quotes). Missing variables and includes are reported only (no fix).

    ## References
    - nats-server [conf/parse.go](https://github.com/nats-io/nats-server/blob/main/conf/parse.go) (a `$variable` resolves to a key defined before it, then to the environment; `include` paths are relative to the including file)
    - [Configuring NATS Server](https://docs.nats.io/running-a-nats-service/configuration): variables and `include`
    - [nats-server flags](https://docs.nats.io/running-a-nats-service/introduction/flags) (`-c`/`--config`) and the official image's command ([nats-docker](https://github.com/nats-io/nats-docker))
    - [Compose `environment`/`env_file`](https://docs.docker.com/compose/how-tos/environment-variables/set-environment-variables/), [Kubernetes `env`/`envFrom`](https://kubernetes.io/docs/tasks/inject-data-application/define-environment-variable-container/)
    - nats-server [server/auth.go](https://github.com/nats-io/nats-server/blob/main/server/auth.go) (`isBcrypt`): `$2a$` works unquoted, `$2b$`/`$2y$` do not
    """

    code = "NAT011"
    name = "unresolved-reference"
    summary = "variable, include or bcrypt hash nats-server cannot resolve"
    kinds = frozenset({NATSCONF, YAML, DOTENV}) | LAUNCH_KINDS
    languages = "nats-server.conf"
    triggers = ("$", "include", "...", "_file")  # `_file`: TLS cert_file/key_file/ca_file
    # deployment files lend the environment they start nats-server with (project phase)
    kind_triggers = {YAML: ("nats",), DOTENV: ("=",), **{kind: ("nats",) for kind in LAUNCH_KINDS}}
    project_rule = True
    fix_availability = FixAvailability.SOMETIMES
    fix_offers = (
        FixOffer.safe(
            "Quotes a `$2b$`/`$2y$` bcrypt hash, so nats-server reads the hash instead of a variable."
        ),
    )
    examples = (
        Valid('TOKEN: "abc"\nauthorization { token: $TOKEN }\n', path="nats-server.conf"),
        Valid(
            "authorization { user: a, password: $2a$11$W2zko751KUvVy59mUTWmpOdWjpEm5qhcCZRd05GjI/sSOT.xtiHyG }\n",
            path="nats-server.conf",
        ),
        Valid(
            'authorization { user: a, password: "$2b$11$W2zko751KUvVy59mUTWmpOdWjpEm5qhcCZRd05GjI/sSOT.xtiHyG" }\n',
            path="nats-server.conf",
        ),
        Invalid(
            "authorization { user: a, password: $2b$11$W2zko751KUvVy59mUTWmpOdWjpEm5qhcCZRd05GjI/sSOT.xtiHyG }\n",
            path="nats-server.conf",
            fixed='authorization { user: a, password: "$2b$11$W2zko751KUvVy59mUTWmpOdWjpEm5qhcCZRd05GjI/sSOT.xtiHyG" }\n',
            message="quote it",
            span=(1, 36, 1, 96),
        ),
        Invalid(
            "authorization { token: $AUTHLINT_EXAMPLE_UNSET_TOKEN }\n",
            path="nats-server.conf",
            message="AUTHLINT_EXAMPLE_UNSET_TOKEN",
        ),
        Invalid("x: $LATER\nLATER: 1\n", path="nats-server.conf", message="defined later"),
        Invalid("port: 4222\ninclude ./missing.conf\n", path="nats-server.conf", message="missing.conf"),
        Invalid("mqtt {\n  port: 1883\n  ...\n}\n", path="nats-server.conf", message="no value"),
    )

    def check_project(self, project) -> Iterable[Diagnostic]:
        """Each config's own problems (from its ``NatsConfigNeeds`` fact); a variable the config
        does not define is judged with the deployments that run the config (``deployed``)."""
        from authlint.facts.deployed import Deployments
        from authlint.facts.model import NatsConfigNeeds

        deployments = Deployments.of(project)
        for needs in project.facts(NatsConfigNeeds):
            yield from self._problems(needs, deployments)
        for launch, flag in deployments.missing_flag_files():
            yield self.report(launch.source, flag.span, MissingFile(flag.written, flag.value, launch.where))

    def _problems(self, needs, deployments) -> Iterable[Diagnostic]:
        source = needs.source
        for problem in needs.problems:
            if problem.kind == "variable":
                name = problem.name
                if _BCRYPT_AS_VARIABLE.match(name):
                    raw = "$" + name
                    yield self.report(
                        source,
                        problem.span,
                        BcryptAsVariable(),
                        fix=Fix.safe("Quote the bcrypt hash", kit.replace_value(source, problem.span, raw)),
                        severity=Severity.ERROR,
                    )
                elif name in needs.defined:
                    yield self.report(source, problem.span, DefinedLater(name), severity=Severity.ERROR)
                else:
                    verdict = deployments.variable(source.relpath, name)
                    if verdict.provided:
                        continue
                    violation = UnsetInDeployments(name, verdict.lacking) if verdict.lacking else Undefined(name)
                    yield self.report(source, problem.span, violation, severity=Severity.WARNING)
            elif problem.kind == "include":
                yield self.report(source, problem.span, IncludeProblem(problem.message), severity=Severity.ERROR)
            elif problem.kind == "dangling":
                yield self.report(source, problem.span, DanglingKey(problem.name), severity=Severity.WARNING)
        for need in needs.needs:
            if need.kind == "file":
                verdict = deployments.file(source.relpath, need.path)
                if not verdict.provided:
                    yield self.report(source, need.span, MissingFile(need.name, need.path, verdict.lacking))


# A config judged with the deployments that run it (the Compose service mounts it and passes `-c`),
# each with its corrected twin.
_COMPOSE = (
    "services:\n  nats:\n    image: nats:2.10-alpine\n    command: [\"-c\", \"/etc/nats/nats.conf\"]\n"
    "    volumes:\n      - ./nats.conf:/etc/nats/nats.conf:ro\n"
)
_CONF = "server_name: $HOSTNAME\nauthorization { token: $AUTHLINT_EXAMPLE_TOKEN }\n"
DEPLOYMENT_EXAMPLES = (
    Invalid(
        _CONF,
        path="nats.conf",
        files={"docker-compose.yml": _COMPOSE},
        message="Compose service `nats` (docker-compose.yml:2) does not set AUTHLINT_EXAMPLE_TOKEN",
        span=(2, 24, 2, 47),
    ),
    Valid(  # the service gives the token (from the shell or the project's .env: any value will do)
        _CONF,
        path="nats.conf",
        files={"docker-compose.yml": _COMPOSE + "    environment:\n      - AUTHLINT_EXAMPLE_TOKEN=${NATS_TOKEN}\n"},
    ),
    Valid(  # an env_file that sets it
        _CONF,
        path="nats.conf",
        files={"docker-compose.yml": _COMPOSE + "    env_file: nats.env\n", "nats.env": "AUTHLINT_EXAMPLE_TOKEN=x\n"},
    ),
    Invalid(
        _CONF,
        path="nats.conf",
        files={"docker-compose.yml": _COMPOSE + "    env_file: nats.env\n", "nats.env": "OTHER=x\n"},
        message="does not set",
    ),
    Valid(  # a Kubernetes container that runs the config from a ConfigMap and sets the variable
        _CONF,
        path="nats.conf",
        files={"k8s/nats.yaml": "apiVersion: apps/v1\nkind: StatefulSet\nmetadata: {name: nats}\nspec:\n  template:\n"
               "    spec:\n      containers:\n        - name: nats\n          image: nats:2.10-alpine\n"
               "          args: [\"--config\", \"/etc/nats-config/nats.conf\"]\n"
               "          env:\n            - name: AUTHLINT_EXAMPLE_TOKEN\n"
               "              valueFrom: {secretKeyRef: {name: nats, key: token}}\n"
               "          volumeMounts:\n            - {name: config, mountPath: /etc/nats-config}\n"},
    ),
    Valid(  # a Procfile's process gets its environment on the host: it may be set there
        _CONF,
        path="nats.conf",
        files={"Procfile": "nats: nats-server -c nats.conf\n"},
    ),
)

_TLS = 'tls {\n  cert_file: "/etc/nats/certs/server.pem"\n  key_file: "/etc/nats/certs/server-key.pem"\n}\n'
TLS_EXAMPLES = (
    Invalid(
        _TLS,
        path="nats.conf",
        files={"docker-compose.yml": _COMPOSE},
        message="`cert_file` /etc/nats/certs/server.pem is not in the file system of Compose service `nats`",
        span=(2, 14, 2, 42),
        count=2,
    ),
    Valid(_TLS, path="nats.conf", files={"docker-compose.yml": _COMPOSE + "      - ./certs:/etc/nats/certs:ro\n"}),
    Valid(  # a Compose secret mounted where the config reads it
        _TLS.replace("/etc/nats/certs/server-key.pem", "/run/secrets/nats_key").replace(
            "/etc/nats/certs/server.pem", "/run/secrets/nats_cert"),
        path="nats.conf",
        files={"docker-compose.yml": _COMPOSE + "    secrets: [nats_cert, nats_key]\n"},
    ),
    Valid(_TLS, path="nats.conf"),  # no deployment runs it: the host's paths, not knowable
    Invalid(  # the stock image has no /etc/nats/nats.conf and nothing is mounted there
        "services:\n  nats:\n    image: nats:2.10-alpine\n    command: -c /etc/nats/nats.conf --tls"
        " --tlscert /certs/server.pem --tlskey /certs/key.pem\n    volumes:\n      - ./certs:/certs:ro\n",
        path="docker-compose.yml",
        message="`-c` /etc/nats/nats.conf is not in the file system of Compose service `nats`",
        span=(4, 17, 4, 36),
    ),
    Valid(
        "services:\n  nats:\n    image: nats:2.10-alpine\n    command: -c /etc/nats/nats.conf --tls"
        " --tlscert /certs/server.pem --tlskey /certs/key.pem\n    volumes:\n      - ./certs:/certs:ro\n"
        "      - ./nats.conf:/etc/nats/nats.conf:ro\n",
        path="docker-compose.yml",
    ),
    Valid(  # built here: the Dockerfile may put the file in the image
        "services:\n  nats:\n    build: ./nats\n    image: nats:2.10-alpine\n    command: -c /etc/nats/nats.conf\n",
        path="docker-compose.yml",
    ),
)

UnresolvedReference.examples = UnresolvedReference.examples + DEPLOYMENT_EXAMPLES + TLS_EXAMPLES
