from __future__ import annotations

from authlint.diagnostics.mask import Quoted
from authlint.files.kinds import CODE_KINDS, CREDS, JWTFILE, NATSCONF, YAML
from authlint.rule import Invalid, Rule, Valid, Violation


class CannotParse(Violation):
    """The file's parser stopped: ``detail`` is its message (nats-server's wording for configs),
    which can quote the file: the pattern set masks it when the violation is made."""

    detail: Quoted

    def message(self) -> str:
        return f"cannot parse: {self.detail}"


class CannotDecode(Violation):
    """The bytes are binary or in no encoding the file can be read as."""

    detail: str

    def message(self) -> str:
        return f"cannot decode: {self.detail}"


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

    ## References
    - nats-server's config grammar, which authlint's NATS parser follows:
      [conf/lex.go](https://github.com/nats-io/nats-server/blob/main/conf/lex.go),
      [conf/parse.go](https://github.com/nats-io/nats-server/blob/main/conf/parse.go)
    - [NATS configuration file format](https://docs.nats.io/running-a-nats-service/configuration)
    - Python source is parsed with [`ast`](https://docs.python.org/3/library/ast.html), JavaScript and
      TypeScript with [tree-sitter](https://tree-sitter.github.io/tree-sitter/)
    """

    code = "E001"
    name = "unparsable-file"
    summary = "file cannot be parsed or decoded"
    kinds = CODE_KINDS | {NATSCONF, YAML, JWTFILE, CREDS}
    languages = "all inputs"
    examples = (
        Valid("port: 4222\n", path="nats-server.conf"),
        Invalid("port: 4222\nauthorization {\n  token: /* no */ x\n}\n", path="nats-server.conf", span=(3, 13, 3, 20)),
        Invalid("import jwt\njwt.decode(token, key, algorithms=[\n", path="app.py"),
    )
