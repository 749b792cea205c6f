from __future__ import annotations

from authlint.files.kinds import CODE_KINDS, CREDS, JWTFILE, NATSCONF, YAML
from authlint.rule import Rule, Violation


class CannotRead(Violation):
    """Opening or reading a discovered file failed (``reason``: the OS error)."""

    reason: str

    def message(self) -> str:
        return f"cannot read file: {self.reason}"


class NotFound(Violation):
    """A path named on the command line that discovery could not use (missing, a broken link)."""

    reason: str

    def message(self) -> str:
        return f"cannot read: {self.reason}"


class OverSizeCap(Violation):
    """A file named on the command line over ``max-file-size``: skipped unread, as a warning. (A
    walked file over the cap is counted in the summary instead: ``run.runner``.)"""

    size: int
    cap: int

    def message(self) -> str:
        return f"skipped: {self.size:,} bytes is over max-file-size ({self.cap:,})"


class UnreadableFile(Rule):
    """
    ## What it does
    Reports a file that was asked to be checked but could not be read: permission denied, a
    broken symlink given on the command line, or a file named on the command line that is over
    `max-file-size`.

    Files over `max-file-size` met while walking a folder are not findings: they are minified
    bundles, generated code and data dumps far more often than auth settings, and a warning for
    each would bury the real findings (and fail CI for a vendored file). They are counted in the
    summary (`1 file skipped (larger than max-file-size, 2,097,152 bytes)`), listed by `--verbose`
    (`authlint: skipped dist/app.js: 3,104,220 bytes is over max-file-size (2,097,152)`), carried
    by SARIF as `toolExecutionNotifications` of the run's invocation (with the count in its
    `properties.filesSkippedTooLarge`), and noted in one line on stderr for the `json`,
    `json-lines` and `github` formats, whose output holds findings only.

    ## Why is this bad?
    An unread file is an unchecked file; the run says so instead of passing silently. A file you
    name yourself is one you expect to be checked, hence a finding; raise `max-file-size` or
    split the file.

    ## Example
    `authlint check secret.conf` where `secret.conf` is mode 000.

    ## Fix safety
    No fix: make the file readable, or exclude it in the configuration.

    ## References
    - `max-file-size`, `exclude` and `extend-exclude` in the README's Configuration section
    - [ruff's `E902` io-error](https://docs.astral.sh/ruff/rules/io-error/), the same report in ruff
    """

    code = "E002"
    name = "unreadable-file"
    summary = "file cannot be read (permissions, size cap, broken link)"
    kinds = CODE_KINDS | {NATSCONF, YAML, JWTFILE, CREDS}
    languages = "all inputs"
