from __future__ import annotations

from authlint.diagnostics.diagnostic import FixAvailability
from authlint.diagnostics.mask import Quoted
from authlint.files.kinds import CODE_KINDS, CREDS, DOTENV, HOCON, JWTFILE, NATSCONF, NGINX, YAML
from authlint.rule import FixOffer, Invalid, Rule, Valid, Violation


class UnusedSuppression(Violation):
    """A suppression comment (or some of its codes) that covered no finding in this run."""

    written: Quoted  # the directive as written
    codes: str  # the unused entries, comma separated ("" for a bare directive)

    def message(self) -> str:
        if not self.codes:
            return f"unused suppression `{self.written}`: it covers no finding"
        return f"unused suppression of {self.codes} in `{self.written}`: no such finding here"


class UnknownSuppressionCode(Violation):
    """A suppression naming a code no rule has (a typo, or a code from another tool)."""

    written: Quoted
    codes: str

    def message(self) -> str:
        return f"suppression names unknown code {self.codes} in `{self.written}` (see `authlint rules`)"


class UnusedSuppressionRule(Rule):
    """
    ## What it does
    Reports `authlint: ignore[...]` and `authlint: ignore-file[...]` comments that suppressed no
    finding in the run, entries of such a comment that suppressed nothing (`ignore[SIO001, JWT004]`
    where only SIO001 is found), and entries that name no rule (`ignore[SIO01]`). A bare
    `authlint: ignore` is unused when the line holds no finding at all.

    Codes of rules that did not run are not judged: those left out by `select`/`ignore`, and, when
    files are named on the command line (a pre-commit run), those of cross-file rules, whose
    findings depend on which files the run reads.

    ## Why is this bad?
    A suppression outlives the finding it was written for: after the code is fixed it silently
    hides the next finding on that line. Unknown codes are typos that suppress nothing while
    looking as if they did.

    ## Example
    ```python
    sio = socketio.Server(ping_timeout=20)  # authlint: ignore[SIO001]
    ```
    Use instead:
    ```python
    sio = socketio.Server(ping_timeout=20)
    ```

    ## Fix safety
    The fix deletes the unused comment (its line when it stands alone), or the unused entries
    from its list. It is safe where the file's grammar confirms the text is a comment (Python's
    tokenizer, tree-sitter for JavaScript/TypeScript, YAML's scalars); elsewhere the same text
    inside a string would be content, so the fix is unsafe.

    ## References
    - [ruff's `RUF100` unused-noqa](https://docs.astral.sh/ruff/rules/unused-noqa/), the model for this rule
    - Suppressing a finding, in the README
    """

    code = "E003"
    name = "unused-suppression"
    summary = "suppression comment that suppresses nothing"
    kinds = CODE_KINDS | {NATSCONF, YAML, JWTFILE, CREDS, NGINX, HOCON, DOTENV}
    languages = "all inputs"
    fix_availability = FixAvailability.ALWAYS
    fix_offers = (
        FixOffer.safe("Deletes the comment, or its unused codes, where the file's grammar shows it is a comment."),
        FixOffer.unsafe("The same where authlint cannot tell a comment from a string (nats-server, nginx, HOCON, dotenv)."),
    )
    examples = (
        Invalid(
            "import socketio\nsio = socketio.Server(ping_timeout=20)  # authlint: ignore[SIO001]\n",
            fixed="import socketio\nsio = socketio.Server(ping_timeout=20)\n",
            message="unused suppression",
            span=(2, 41, 2, 67),
        ),
        Invalid(
            "import socketio\n# authlint: ignore[SIO001, JWT004]\nsio = socketio.Server(ping_timeout=20000)\n",
            fixed="import socketio\n# authlint: ignore[SIO001]\nsio = socketio.Server(ping_timeout=20000)\n",
            message="unused suppression of JWT004",
        ),
        Invalid(
            "import socketio\n# authlint: ignore[SIO01] see ticket 12\nsio = socketio.Server(ping_timeout=20)\n",
            fixed="import socketio\n# see ticket 12\nsio = socketio.Server(ping_timeout=20)\n",
            message="unknown code SIO01",
        ),
        Invalid(
            'const io = new Server(3000, { pingTimeout: 20000 }); // authlint: ignore\n',
            path="server.js",
            fixed='const io = new Server(3000, { pingTimeout: 20000 });\n',
        ),
        Invalid(  # a format whose comments are not told from strings here: the removal is unsafe
            "port: 4222  # authlint: ignore[NAT004]\n", path="nats-server.conf", fixed="port: 4222\n",
        ),
        Valid("import socketio\nsio = socketio.Server(ping_timeout=20000)  # authlint: ignore[SIO001]\n"),
        Valid("# authlint: ignore-file[SIO]\nimport socketio\nsio = socketio.Server(ping_timeout=20000)\n"),
        Valid('HELP = "write # authlint: ignore[SIO001] after the line"\n'),  # in a string, not a comment
    )
