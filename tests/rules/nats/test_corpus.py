"""Every rule over every real config of the corpus: no crash, every finding on a real line."""

from __future__ import annotations

import collections
from pathlib import Path

from authlint.run.context import FileContext
from authlint.run.engine import Linter
from authlint.testing import make_settings
from tests.shared import NATS_CORPUS, require

CORPUS = NATS_CORPUS


def corpus_files() -> list[Path]:
    return sorted(p for p in require(CORPUS).rglob("*") if p.suffix in (".conf", ".jwt", ".creds"))


def test_every_rule_on_every_corpus_file() -> None:
    settings = make_settings(root=CORPUS, rule_options={"NAT004": {"bcrypt-cost": 4}})
    linter = Linter(settings)
    contexts: list[FileContext] = []
    for path in corpus_files():
        loaded = linter.load(path, path.relative_to(CORPUS).as_posix())
        assert loaded is not None, f"{path} was not recognised as a NATS file"
        assert isinstance(loaded, FileContext), loaded
        contexts.append(loaded)
    result = linter.check(contexts)
    assert result.errors == []
    codes = collections.Counter(d.code for d in result.diagnostics)
    for diag in result.diagnostics:
        line, column = diag.start
        assert 1 <= line <= len(diag.source.line_starts), (diag.path, diag.message)
        assert diag.span.end <= len(diag.source.text)
        assert diag.source.line_text(line) or diag.code == "E001"
    # the corpus is full of test fixtures with plaintext passwords and open listeners
    assert codes["NAT004"] > 50 and codes["NAT007"] > 10
    expected_unparsable = 32 - 8  # the TSV "no" files minus 3 unknown variables and 5 missing includes
    assert codes["E001"] == expected_unparsable
    for diag in result.diagnostics:
        for secret in ("T0pS3cr3t", "s3cr3t", "SUANQDPB2RUOE4ETUA26CNX7FUKE5ZZKFCQIIW63OX225F2CO7UEXTM7ZY"):
            if len(secret) >= 8:
                assert secret not in diag.message, diag.message
