"""The labelled set itself (benchmarks/labelled/) is consistent: every folder has a manifest entry and a
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


def test_every_folder_has_a_manifest_entry_and_every_entry_a_labels_file() -> None:
    folders = {p.name for p in SET_DIR.iterdir() if p.is_dir()}
    ids = {r.id for r in REPOSITORIES}
    assert folders == ids
    for repo_id in ids:
        assert (SET_DIR / repo_id / "labels.toml").is_file(), repo_id


def test_the_set_is_a_dozen_or_more_repositories_with_commit_and_licence() -> None:
    assert len({r.repo for r in REPOSITORIES}) >= 12
    for repository in REPOSITORIES:
        assert len(repository.commit) == 40 and int(repository.commit, 16) >= 0, repository.id
        assert repository.licence.strip(), repository.id
        assert repository.files, repository.id
        assert len({f.path for f in repository.files}) == len(repository.files), repository.id


def test_no_third_party_file_is_committed_here() -> None:
    """Only the manifest, the labels and the README live in the set's folder."""
    stray = [p for p in SET_DIR.rglob("*") if p.is_file() and p.name not in ("SOURCES.toml", "labels.toml", "README.md")]
    assert not stray


@pytest.mark.parametrize("repository", REPOSITORIES, ids=lambda r: r.id)
def test_labels_point_at_kept_lines_and_known_codes(repository: score.Repository) -> None:
    lines = {f.path: f.lines for f in repository.files}
    labels = score.load_labels(SET_DIR / repository.id / "labels.toml")
    for label in labels:
        assert label.code in CODES, f"{label.where()}: unknown rule code {label.code}"
        for where in label.ranges:
            assert where.file in lines, f"{label.where()}: {where.file} is not a kept file"
            assert 1 <= where.start <= where.end <= lines[where.file], f"{label.where()}: no such line in {where.file}"
        if label.optional:
            assert label.reason, f"{label.where()}: an optional (debatable) label says why"


def test_the_checkout_when_present_is_the_labelled_version() -> None:
    checkout: Path = score.CHECKOUT_DIR
    if not checkout.is_dir():
        pytest.skip("no checkout: run `python benchmarks/score.py materialise --mirrors DIR` (or --fetch)")
    assert score.verify_checkout(REPOSITORIES, checkout) == []
