from __future__ import annotations

import re
from typing import Iterable

from authlint.diagnostics.diagnostic import Diagnostic, Fix, FixAvailability, Severity
from authlint.files.kinds import NATSCONF
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
    - nats-server [server/auth.go](https://github.com/nats-io/nats-server/blob/main/server/auth.go) (`isBcrypt`): `$2a$` works unquoted, `$2b$`/`$2y$` do not
    """

    code = "NAT011"
    name = "unresolved-reference"
    summary = "variable, include or bcrypt hash nats-server cannot resolve"
    kinds = frozenset({NATSCONF})
    languages = "nats-server.conf"
    triggers = ("$", "include", "...")
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

    def check(self, ctx) -> Iterable[Diagnostic]:
        config = ctx.tree
        defined = {e.key for e in config.root.entries}
        for problem in config.problems:
            if problem.source is not ctx.source:
                continue
            if problem.kind == "variable":
                name = problem.name
                if _BCRYPT_AS_VARIABLE.match(name):
                    raw = "$" + name
                    yield self.report(
                        ctx,
                        problem.span,
                        BcryptAsVariable(),
                        fix=Fix.safe("Quote the bcrypt hash", kit.replace_value(ctx.source, problem.span, raw)),
                        severity=Severity.ERROR,
                    )
                elif name in defined:
                    yield self.report(ctx, problem.span, DefinedLater(name), severity=Severity.ERROR)
                else:
                    yield self.report(ctx, problem.span, Undefined(name), severity=Severity.WARNING)
            elif problem.kind == "include":
                yield self.report(ctx, problem.span, IncludeProblem(problem.message), severity=Severity.ERROR)
            elif problem.kind == "dangling":
                yield self.report(ctx, problem.span, DanglingKey(problem.name), severity=Severity.WARNING)
