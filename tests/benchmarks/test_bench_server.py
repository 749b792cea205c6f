"""``benchmarks/bench_server.py`` still runs end to end (a smoke test: structure, never timings)."""

from __future__ import annotations

import json
from pathlib import Path

import bench_server


def test_it_measures_a_generated_project_in_process_and_over_stdio(tmp_path: Path, capsys) -> None:
    project = bench_server.generate(tmp_path / "project", 3)
    assert bench_server.main(["--project", str(project), "--edits", "6", "--stdio-edits", "3", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["load"]["files"] >= 15 and report["load"]["members"] > 0
    assert report["edited_files"] > 0
    for key in ("recheck_in_process", "recheck_over_stdio"):
        assert report[key]["n"] == (6 if key == "recheck_in_process" else 3)
        assert report[key]["p50_ms"] > 0 and report[key]["p95_ms"] >= report[key]["p50_ms"]
    assert set(report["recheck_in_process"]["by_suffix"]) >= {".py", ".conf"}
