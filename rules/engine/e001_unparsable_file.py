from __future__ import annotations

from authlint.files.kinds import CODE_KINDS, CREDS, JWTFILE, NATSCONF, YAML
from authlint.rule import Invalid, Rule, Valid


class UnparsableFile(Rule):
    """
    ## What it does
    Reports a file authlint must read but cannot parse or decode: a nats-server config that
    nats-server's own parser would reject, Python or JavaScript with a syntax error, binary content
    or an unknown text encoding in a file whose name says it is source.

    ## Why is this bad?
    A config nats-server cannot parse stops the server at start; source authlint cannot parse is
    source none of its rules could check, so a clean report would be false comfort.

    ## Example
    ```
    authorization {
      user: a password: b
    }
    ```
    (two entries on one line need a comma: nats-server rejects this file.)

    ## Fix safety
    No fix: the author must say what was meant.
    """

    code = "E001"
    name = "unparsable-file"
    summary = "file cannot be parsed or decoded"
    kinds = CODE_KINDS | {NATSCONF, YAML, JWTFILE, CREDS}
    languages = "all inputs"
    examples = (
        Valid("port: 4222\n", path="nats-server.conf"),
        Invalid("port: 4222\nauthorization {\n  token: /* no */ x\n}\n", path="nats-server.conf"),
        Invalid("import jwt\njwt.decode(token, key, algorithms=[\n", path="app.py"),
    )
