"""The labelled-set scorer (benchmarks/score.py): how findings meet labels, and how the counts add up."""

from __future__ import annotations

import hashlib
import json
import subprocess
from pathlib import Path

import pytest
import score
from score import Finding, Label, LineRange, match, parse_range, tally


def _label(file: str = "app.py", line: int = 10, code: str = "JWT004", **kwargs) -> Label:
    return Label(file=file, line=line, code=code, **kwargs)


def test_a_finding_on_the_labelled_line_is_a_true_positive() -> None:
    outcome = match([_label()], [Finding("app.py", 10, "JWT004")])
    assert [(label.line, finding.line) for label, finding in outcome.matched] == [(10, 10)]
    assert not outcome.false_positives and not outcome.misses


def test_another_code_file_or_line_does_not_match() -> None:
    findings = [Finding("app.py", 10, "JWT002"), Finding("other.py", 10, "JWT004"), Finding("app.py", 11, "JWT004")]
    outcome = match([_label()], findings)
    assert not outcome.matched
    assert sorted(f.where() + f.code for f in outcome.false_positives) == [
        "app.py:10JWT002", "app.py:11JWT004", "other.py:10JWT004"]
    assert [label.line for label in outcome.misses] == [10]


def test_a_finding_inside_the_labelled_statement_matches() -> None:
    outcome = match([_label(line=10, end_line=13)], [Finding("app.py", 12, "JWT004")])
    assert len(outcome.matched) == 1 and not outcome.false_positives


def test_an_also_location_matches_in_another_file() -> None:
    label = _label(file="config.py", line=21, also=(LineRange("api/models.py", 47, 49),))
    outcome = match([label], [Finding("api/models.py", 48, "JWT004")])
    assert len(outcome.matched) == 1 and not outcome.misses


def test_a_second_finding_for_one_label_is_a_duplicate_not_a_false_positive() -> None:
    label = _label(file="config.py", line=21, also=(LineRange("api/models.py", 47, 47),))
    outcome = match([label], [Finding("config.py", 21, "JWT004"), Finding("api/models.py", 47, "JWT004")])
    assert [f.where() for _, f in outcome.matched] == ["config.py:21"]  # the primary location wins
    assert [f.where() for _, f in outcome.duplicates] == ["api/models.py:47"]
    assert not outcome.false_positives


def test_primary_locations_are_paired_before_also_locations() -> None:
    """Two labels on neighbouring lines: the finding on B's own line goes to B even though A accepts it too."""
    a = _label(line=1, code="NAT007", also=(LineRange("app.py", 2, 2),))
    b = _label(line=2, code="NAT007")
    outcome = match([a, b], [Finding("app.py", 2, "NAT007"), Finding("app.py", 1, "NAT007")])
    assert sorted((label.line, finding.line) for label, finding in outcome.matched) == [(1, 1), (2, 2)]


def test_optional_labels_count_neither_way() -> None:
    optional = _label(code="COR001", optional=True, reason="bearer-only API")
    outcome = match([optional], [Finding("app.py", 10, "COR001")])
    assert not outcome.matched and not outcome.false_positives and not outcome.misses
    assert len(outcome.ignored) == 1
    assert not match([optional], []).misses


def test_parse_range() -> None:
    assert parse_range("a/b.py:12") == LineRange("a/b.py", 12, 12)
    assert parse_range("a/b.py:12-15") == LineRange("a/b.py", 12, 15)
    with pytest.raises(ValueError):
        parse_range("a/b.py")
    with pytest.raises(ValueError):
        parse_range("a/b.py:9-3")


def test_tally_per_family_and_overall() -> None:
    outcome = match(
        [_label(code="JWT004"), _label(line=20, code="TOK001"), _label(line=30, code="NAT004")],
        [Finding("app.py", 10, "JWT004"), Finding("app.py", 20, "TOK001"), Finding("app.py", 40, "TOK001"),
         Finding("app.py", 1, "E001")],
    )
    rows = tally({"repo": outcome})
    assert (rows["JWT"].tp, rows["JWT"].fp, rows["JWT"].fn) == (1, 0, 0)
    assert (rows["TOK"].tp, rows["TOK"].fp) == (1, 1) and rows["TOK"].precision == 0.5
    assert rows["NAT"].recall == 0.0 and rows["NAT"].precision is None
    assert rows["other"].fp == 1  # an E0xx finding on a labelled file is a false positive too
    assert (rows["overall"].tp, rows["overall"].fp, rows["overall"].fn) == (2, 2, 1)


def test_markdown_table_has_a_row_per_family() -> None:
    text = score.table(tally({"repo": match([_label()], [Finding("app.py", 10, "JWT004")])}), markdown=True)
    lines = text.splitlines()
    assert lines[0].startswith("| family |") and len(lines) == 2 + len(score.FAMILIES) + 1
    assert "| **overall** | **1** | **1** | **1** | **0** | **0** | **1.00** | **1.00** |" in lines


def test_labels_reject_unknown_keys(tmp_path: Path) -> None:
    path = tmp_path / "labels.toml"
    path.write_text('[[finding]]\nfile = "a.py"\nline = 1\ncode = "JWT004"\nlnie = 2\n', encoding="utf-8")
    with pytest.raises(ValueError, match="unknown label keys"):
        score.load_labels(path)


def _write_set(root: Path, files: dict[str, str], labels: str) -> tuple[Path, Path]:
    """A one-repository set: SOURCES.toml + labels.toml, and its checkout."""
    set_dir, checkout = root / "set", root / "checkout"
    (set_dir / "demo").mkdir(parents=True)
    entries = []
    for path, text in files.items():
        target = checkout / "demo" / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
        digest = hashlib.sha256(text.encode()).hexdigest()
        entries.append(f'{{ path = "{path}", sha256 = "{digest}", lines = {text.count(chr(10))} }}')
    (set_dir / "SOURCES.toml").write_text(
        '[[repository]]\nid = "demo"\nrepo = "example/demo"\ncommit = "0000000000000000000000000000000000000000"\n'
        f'licence = "MIT"\nfiles = [{", ".join(entries)}]\n', encoding="utf-8")
    (set_dir / "demo" / "labels.toml").write_text(labels, encoding="utf-8")
    return set_dir, checkout


def test_end_to_end_on_a_tiny_set(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """authlint runs with the repository folder as its root; the JSON counts say what it found."""
    code = 'import jwt\n\nTOKEN = jwt.encode({"sub": "1"}, "secret", algorithm="HS256")\n'
    labels = ('[[finding]]\nfile = "app.py"\nline = 3\ncode = "JWT004"\n\n'
              '[[finding]]\nfile = "app.py"\nline = 3\ncode = "JWT002"\n')
    set_dir, checkout = _write_set(tmp_path, {"app.py": code}, labels)
    assert score.main(["--set", str(set_dir), "--checkout", str(checkout), "--json"]) == 0
    counts = json.loads(capsys.readouterr().out)
    assert counts["JWT"] == {"tp": 2, "fp": 0, "fn": 0, "precision": 1.0, "recall": 1.0}


def test_a_checkout_that_is_not_the_labelled_version_is_refused(tmp_path: Path) -> None:
    set_dir, checkout = _write_set(tmp_path, {"app.py": "x = 1\n"}, "")
    (checkout / "demo" / "app.py").write_text("x = 2\n", encoding="utf-8")
    with pytest.raises(SystemExit, match="sha256 differs"):
        score.score(set_dir, checkout, score.default_authlint())


def test_materialise_from_a_git_mirror_checks_every_sha256(tmp_path: Path) -> None:
    mirror = tmp_path / "mirrors" / "example+demo" / "repo"
    mirror.mkdir(parents=True)
    git = ["git", "-C", str(mirror), "-c", "user.name=t", "-c", "user.email=t@example.invalid"]
    subprocess.run([*git, "init", "-q"], check=True)
    (mirror / "app.py").write_text("x = 1\n", encoding="utf-8")
    (mirror / "other.py").write_text("y = 2\n", encoding="utf-8")
    subprocess.run([*git, "add", "-A"], check=True)
    subprocess.run([*git, "commit", "-qm", "one"], check=True)
    commit = subprocess.run([*git, "rev-parse", "HEAD"], capture_output=True, text=True, check=True).stdout.strip()
    good = score.KeptFile("app.py", hashlib.sha256(b"x = 1\n").hexdigest(), 1)
    stale = score.KeptFile("other.py", hashlib.sha256(b"y = 3\n").hexdigest(), 1)
    repository = score.Repository("example__demo", "example/demo", commit, "MIT", (good, stale))
    checkout = tmp_path / "checkout"
    problems = score.materialise([repository], checkout, tmp_path / "mirrors")
    assert problems == ["example__demo/other.py: sha256 differs from SOURCES.toml"]
    assert (checkout / "example__demo" / "app.py").read_text(encoding="utf-8") == "x = 1\n"
    assert not (checkout / "example__demo" / "other.py").exists()


# -- restricting the score to some rule codes (--codes) and counting per code (--by-code) -------------


def test_parse_codes_takes_codes_and_prefixes() -> None:
    assert score.parse_codes("NAT") == ("NAT",)
    assert score.parse_codes(" nat007, NAT009 ,") == ("NAT007", "NAT009")
    with pytest.raises(ValueError):
        score.parse_codes(" , ")


def test_restrict_keeps_only_the_selected_codes_in_every_part_of_an_outcome() -> None:
    labels = [_label(code="NAT004"), _label(line=20, code="JWT004"), _label(line=30, code="NAT007"),
              _label(line=40, code="NAT011", optional=True, reason="from the environment")]
    findings = [Finding("app.py", 10, "NAT004"), Finding("app.py", 10, "NAT004"), Finding("app.py", 20, "JWT004"),
                Finding("app.py", 50, "NAT013"), Finding("app.py", 60, "TOK001"), Finding("app.py", 40, "NAT011"),
                Finding("app.py", 1, "E001")]
    outcome = score.restrict(match(labels, findings), ("NAT",))
    assert [label.code for label, _ in outcome.matched] == ["NAT004"]
    assert [f.code for f in outcome.false_positives] == ["NAT013"]  # TOK001 and E001 are left out
    assert [label.code for label in outcome.misses] == ["NAT007"]
    assert [f.code for _, f in outcome.duplicates] == ["NAT004"]
    assert [f.code for _, f in outcome.ignored] == ["NAT011"]
    only_one = score.restrict(match(labels, findings), ("NAT007",))
    assert not only_one.matched and not only_one.false_positives and len(only_one.misses) == 1


def test_tally_by_code_has_a_row_per_code_seen_then_overall() -> None:
    outcome = match([_label(code="NAT009"), _label(line=20, code="NAT007")],
                    [Finding("app.py", 10, "NAT009"), Finding("app.py", 30, "NAT013")])
    rows = tally({"repo": outcome}, by_code=True)
    assert list(rows) == ["NAT007", "NAT009", "NAT013", "overall"]
    assert (rows["NAT007"].fn, rows["NAT009"].tp, rows["NAT013"].fp) == (1, 1, 1)
    assert (rows["overall"].tp, rows["overall"].fp, rows["overall"].fn) == (1, 1, 1)
    assert score.table(rows, markdown=False, first_column="code").splitlines()[0].startswith("code ")


def test_each_set_has_its_own_checkout_folder() -> None:
    assert score.checkout_for(score.SET_DIR) == score.CHECKOUT_DIR  # the default set keeps its folder
    assert score.checkout_for(score.NATS_SET_DIR) == score.CHECKOUT_ROOT / "labelled-nats"


def test_end_to_end_restricted_to_nat_codes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """--codes NAT scores the NATS findings alone: the JWT finding of the same project is left out."""
    conf = "port: 4222\nauthorization {\n  token: s3cr3t\n}\n"
    code = 'import jwt\n\nTOKEN = jwt.encode({"sub": "1"}, "secret", algorithm="HS256")\n'
    labels = ('[[finding]]\nfile = "nats-server.conf"\nline = 3\ncode = "NAT004"\n\n'
              '[[finding]]\nfile = "nats-server.conf"\nline = 3\ncode = "NAT005"\n')
    set_dir, checkout = _write_set(tmp_path, {"nats-server.conf": conf, "app.py": code}, labels)
    assert score.main(["--set", str(set_dir), "--checkout", str(checkout), "--json"]) == 0
    everything = json.loads(capsys.readouterr().out)
    assert everything["JWT"]["fp"] >= 1  # unlabelled JWT findings count against the whole set
    assert score.main(["--set", str(set_dir), "--checkout", str(checkout), "--json", "--codes", "NAT"]) == 0
    counts = json.loads(capsys.readouterr().out)
    assert set(counts) == {"NAT", "overall"}
    assert counts["NAT"] == {"tp": 2, "fp": 0, "fn": 0, "precision": 1.0, "recall": 1.0}
    assert score.main(["--set", str(set_dir), "--checkout", str(checkout), "--codes", "NAT", "--by-code"]) == 0
    table = capsys.readouterr().out.splitlines()
    assert [row.split()[0] for row in table] == ["code", "NAT004", "NAT005", "overall"]
