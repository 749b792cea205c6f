"""nats-server's own parser is the oracle: PARSE-EXPECTED.tsv says which corpus files it accepts."""

from __future__ import annotations

import csv

from authlint.syntax.errors import ParseError
from authlint.syntax.natsconf import parse_text
from tests.shared import NATS_CORPUS, require

CORPUS = NATS_CORPUS
TSV = CORPUS / "PARSE-EXPECTED.tsv"


def _rows() -> list[tuple[str, str]]:
    with require(TSV).open(newline="") as handle:
        return [(row["path"], row["nats_parser_accepts"]) for row in csv.DictReader(handle, delimiter="\t")]


def test_parser_agrees_with_nats_server_on_every_corpus_file() -> None:
    rows = _rows()
    assert len(rows) == 336
    wrong: list[str] = []
    for relpath, expected in rows:
        path = CORPUS / relpath
        text = path.read_text("utf-8")
        try:
            parse_text(text, path, root=CORPUS, env={}, strict=True)
        except ParseError as exc:
            assert 0 <= exc.offset <= len(text)
            line = text.count("\n", 0, exc.offset) + 1
            assert 1 <= line <= text.count("\n") + 1
            if expected != "no":
                wrong.append(f"{relpath}: rejected at line {line}: {exc.message}")
        else:
            if expected != "yes":
                wrong.append(f"{relpath}: accepted, nats-server rejects it")
    assert wrong == []


def test_lint_mode_never_raises_on_accepted_files() -> None:
    for relpath, expected in _rows():
        if expected == "yes":
            path = CORPUS / relpath
            parse_text(path.read_text("utf-8"), path, root=CORPUS)
