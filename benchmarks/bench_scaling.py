"""Throughput and linearity of the parts that tests used to time: NATS parsing of the shared corpus,
and fact extraction from fact-dense JavaScript at two sizes (a quadratic slip shows as a ratio far
above the size ratio).

Usage: ``python benchmarks/bench_scaling.py`` from the checkout, with ``../shared`` beside it.
Best of three runs, in CPU seconds (stable on a shared machine, where wall time is not).
"""

from __future__ import annotations

import csv
import time
from pathlib import Path

from authlint.files.source import Source
from authlint.run.context import FileContext
from authlint.syntax.errors import ParseError
from authlint.syntax.natsconf import parse_text

CORPUS = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus" / "nats"
UNIT = (
    'const KEY_{i} = "token_{i}";\nlocalStorage.setItem(KEY_{i}, t);\n'
    "app.use(cors({{ origin: [/a{i}\\.example\\.com$/, \"https://b{i}.example\"], credentials: true }}));\n"
    'jwt.sign({{ sub: {i} }}, process.env.K, {{ expiresIn: "{i}m" }});\n'
)


def best_of(runs: int, work) -> float:
    best = float("inf")
    for _ in range(runs):
        start = time.process_time()
        work()
        best = min(best, time.process_time() - start)
    return best


def nats_corpus() -> None:
    with (CORPUS / "PARSE-EXPECTED.tsv").open(newline="") as handle:
        rows = [row["path"] for row in csv.DictReader(handle, delimiter="\t")]
    texts = [(CORPUS / rel, (CORPUS / rel).read_text("utf-8")) for rel in rows]
    size = sum(len(text) for _, text in texts)

    def parse_all() -> None:
        for path, text in texts:
            try:
                parse_text(text, path, root=CORPUS, env={}, strict=True)
            except ParseError:
                pass

    seconds = best_of(3, parse_all)
    print(f"nats corpus: {len(texts)} files, {size / 1e6:.2f} MB in {seconds:.3f} s = {size / seconds / 1e6:.2f} MB/s")


def dense_js(units: int) -> float:
    code = 'import cors from "cors";\nimport jwt from "jsonwebtoken";\n' + "".join(UNIT.format(i=i) for i in range(units))

    def extract() -> None:
        facts = FileContext(Source.from_text(code, "dense.js", "javascript")).facts.items
        assert len(facts) == 3 * units

    seconds = best_of(3, extract)
    print(f"dense js: {units} units, {len(code) / 1e6:.2f} MB in {seconds:.3f} s")
    return seconds


def main() -> None:
    nats_corpus()
    small, large = dense_js(1000), dense_js(4000)
    print(f"dense js: 4x the code took {large / small:.1f}x the time (linear: about 4x)")


if __name__ == "__main__":
    main()
