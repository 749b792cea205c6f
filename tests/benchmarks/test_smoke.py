"""The benchmark still works end to end on the small local corpus (no network, semgrep optional).

A smoke test, never a timing gate: it asserts the report's structure (every row present, numbers
positive, findings identical with and without cache and across ``--jobs`` where the engine has
those flags), not how fast anything is.
"""

from __future__ import annotations

import json
from pathlib import Path

import build_corpus
import pytest
import run as bench

TARGETS = {
    "cold authlint / semgrep",
    "cold authlint / rg -c",
    "warm authlint / rg -c",
    "hook, 3 staged files (p50)",
    "peak RSS, any authlint process",
    "--jobs 2 speed-up over --jobs 1",
    "findings identical (cache, --jobs)",
}

@pytest.fixture(scope="module")
def small_corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    dest = tmp_path_factory.mktemp("corpus") / "small"
    build_corpus.build(dest, small=True)
    return dest


@pytest.fixture(scope="module")
def results(small_corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> dict:
    out = tmp_path_factory.mktemp("results") / "bench.json"
    argv = ["--corpus", str(small_corpus), "--runs", "1", "--hook-runs", "1", "--no-warmup", "--json-out", str(out)]
    if bench.find_semgrep(None, create=False) is None:
        argv.append("--no-semgrep")
    assert bench.main(argv) == 0
    return json.loads(out.read_text())


def test_small_corpus_is_a_few_hundred_files_of_every_family(small_corpus: Path) -> None:
    stats = build_corpus.corpus_stats(small_corpus)
    assert 100 <= stats.files <= 1000
    assert stats.by_suffix.get(".py", 0) > 20
    assert (small_corpus / "authlint.toml").is_file()  # its own project root
    assert (small_corpus / ".semgrepignore").is_file()


def test_small_build_is_idempotent(small_corpus: Path) -> None:
    before = build_corpus.corpus_stats(small_corpus).files
    build_corpus.build(small_corpus, small=True)
    assert build_corpus.corpus_stats(small_corpus).files == before


def test_every_row_is_present_and_measured(results: dict) -> None:
    series = results["series"]
    measured = ["authlint cold", "authlint hook"] + (["rg -c"] if results["machine"]["rg"] else [])
    for name in measured:
        assert name in series, name
        assert series[name]["error"] is None, series[name]["error"]
        assert series[name]["seconds"] and all(t > 0 for t in series[name]["seconds"])
        assert series[name]["max_rss_mib"] > 0
    if results["machine"]["semgrep"]:
        assert series["semgrep"]["error"] is None, series["semgrep"]["error"]
        assert results["semgrep"]["files_scanned"] > 0
    assert len(results["hook_files"]) == 3
    assert results["machine"]["cores"] >= 1 and results["corpus"]["files"] > 0


def test_targets_table_is_complete(results: dict) -> None:
    rows = {row["name"]: row for row in results["targets"]}
    assert set(rows) == TARGETS
    for row in rows.values():
        assert row["status"] in {"goal", "must", "pass", "FAIL", "n/a"}, row
    if results["machine"]["rg"]:
        assert rows["cold authlint / rg -c"]["value"] > 0
    assert rows["peak RSS, any authlint process"]["value"] > 0
    assert "cold authlint / rg -c" in bench.render(results)


def test_findings_identical_across_cache_and_jobs(results: dict) -> None:
    features, same = results["features"], results["identical"]
    if features["no_cache"]:
        assert results["series"]["authlint warm"]["error"] is None
        assert same["cache vs no cache"]["identical"] is True, same
    if features["jobs"]:
        assert same["--jobs 1 vs --jobs 2"]["identical"] is True, same
        assert same["--jobs 1 vs default"]["identical"] is True, same
    if not (features["no_cache"] or features["jobs"]):
        pytest.skip("this authlint has neither --no-cache nor --jobs")
