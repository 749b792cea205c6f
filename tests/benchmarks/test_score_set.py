"""The labelled sets themselves (benchmarks/labelled/, and the NATS deployment set benchmarks/labelled-nats/) are consistent: every folder has a manifest entry and a
labels file, and every label points at a kept file, a line that exists in it, and a rule code that exists.

The third-party files are not committed (see benchmarks/labelled/README.md); the manifest records each
kept file's line count and sha256, so these checks need no checkout.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import score

from authlint.rules.codes import CODES

SET_DIR = score.SET_DIR
REPOSITORIES = score.load_manifest(SET_DIR / "SOURCES.toml")
NATS_SET_DIR = score.NATS_SET_DIR
NATS_REPOSITORIES = score.load_manifest(NATS_SET_DIR / "SOURCES.toml")
SETS = {SET_DIR: REPOSITORIES, NATS_SET_DIR: NATS_REPOSITORIES}
ALL_REPOSITORIES = [(set_dir, r) for set_dir, repositories in SETS.items() for r in repositories]


@pytest.mark.parametrize("set_dir", SETS, ids=lambda p: p.name)
def test_every_folder_has_a_manifest_entry_and_every_entry_a_labels_file(set_dir: Path) -> None:
    folders = {p.name for p in set_dir.iterdir() if p.is_dir()}
    ids = {r.id for r in SETS[set_dir]}
    assert folders == ids
    for repo_id in ids:
        assert (set_dir / repo_id / "labels.toml").is_file(), repo_id


def test_the_set_is_a_dozen_or_more_repositories_with_commit_and_licence() -> None:
    assert len({r.repo for r in REPOSITORIES}) >= 12
    for repository in REPOSITORIES:
        assert len(repository.commit) == 40 and int(repository.commit, 16) >= 0, repository.id
        assert repository.licence.strip(), repository.id
        assert repository.files, repository.id
        assert len({f.path for f in repository.files}) == len(repository.files), repository.id


def test_the_nats_set_is_ten_or_more_deployment_repositories_with_commit_and_licence() -> None:
    """Issue #15's proof: public repositories that deploy nats-server, each recorded with commit and licence."""
    assert len({r.repo for r in NATS_REPOSITORIES}) >= 10
    for repository in NATS_REPOSITORIES:
        assert len(repository.commit) == 40 and int(repository.commit, 16) >= 0, repository.id
        assert repository.licence.strip(), repository.id
        assert len({f.path for f in repository.files}) == len(repository.files), repository.id


def test_the_nats_set_labels_nats_findings_only() -> None:
    for repository in NATS_REPOSITORIES:
        codes = {label.code for label in score.load_labels(NATS_SET_DIR / repository.id / "labels.toml")}
        assert all(code.startswith("NAT") for code in codes), repository.id


@pytest.mark.parametrize("set_dir", SETS, ids=lambda p: p.name)
def test_no_third_party_file_is_committed_here(set_dir: Path) -> None:
    """Only the manifest, the labels and the README live in the set's folder."""
    stray = [p for p in set_dir.rglob("*") if p.is_file() and p.name not in ("SOURCES.toml", "labels.toml", "README.md")]
    assert not stray


@pytest.mark.parametrize(("set_dir", "repository"), ALL_REPOSITORIES, ids=lambda v: getattr(v, "id", None))
def test_labels_point_at_kept_lines_and_known_codes(set_dir: Path, repository: score.Repository) -> None:
    lines = {f.path: f.lines for f in repository.files}
    labels = score.load_labels(set_dir / repository.id / "labels.toml")
    for label in labels:
        assert label.code in CODES, f"{label.where()}: unknown rule code {label.code}"
        for where in label.ranges:
            assert where.file in lines, f"{label.where()}: {where.file} is not a kept file"
            assert 1 <= where.start <= where.end <= lines[where.file], f"{label.where()}: no such line in {where.file}"
        if label.optional:
            assert label.reason, f"{label.where()}: an optional (debatable) label says why"


@pytest.mark.parametrize("set_dir", SETS, ids=lambda p: p.name)
def test_the_checkout_when_present_is_the_labelled_version(set_dir: Path) -> None:
    checkout: Path = score.checkout_for(set_dir)
    if not checkout.is_dir():
        pytest.skip(f"no checkout: run `python benchmarks/score.py materialise --set {set_dir} --mirrors DIR` (or --fetch)")
    assert score.verify_checkout(SETS[set_dir], checkout) == []
