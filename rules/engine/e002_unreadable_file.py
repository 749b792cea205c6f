from __future__ import annotations

from authlint.files.kinds import CODE_KINDS, CREDS, JWTFILE, NATSCONF, YAML
from authlint.rule import Rule


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
    """

    code = "E002"
    name = "unreadable-file"
    summary = "file cannot be read (permissions, size cap, broken link)"
    kinds = CODE_KINDS | {NATSCONF, YAML, JWTFILE, CREDS}
    languages = "all inputs"
