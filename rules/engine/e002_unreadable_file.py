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
    """A file over ``max-file-size``: skipped unread, as a warning."""

    size: int
    cap: int

    def message(self) -> str:
        return f"skipped: {self.size:,} bytes is over max-file-size ({self.cap:,})"


class UnreadableFile(Rule):
    """
    ## What it does
    Reports a file that was asked to be checked but could not be read: permission denied, a
    broken symlink given on the command line, or a file over `max-file-size`.

    ## Why is this bad?
    An unread file is an unchecked file; the run says so instead of passing silently.

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
