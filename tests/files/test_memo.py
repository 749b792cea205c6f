"""The discovery memo: a warm run reuses the last walk only while nothing the walk read has changed."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import pytest

import authlint.files.discover
import authlint.run.runner
from authlint.config.settings import Settings
from authlint.files.discover import Listing
from authlint.run.cache import CACHE_DIR
from authlint.run.engine import Linter
from authlint.run.runner import run_check


@pytest.fixture
def tree(tmp_path: Path, monkeypatch) -> Path:
    (tmp_path / "pkg" / "deep").mkdir(parents=True)
    (tmp_path / "a.py").write_text('a = "BADWORD"\n')
    (tmp_path / "pkg" / "b.py").write_text('b = "BADWORD"\n')
    (tmp_path / "pkg" / "deep" / "c.py").write_text('c = "BADWORD"\n')
    (tmp_path / "notes.txt").write_text("BADWORD\n")
    monkeypatch.chdir(tmp_path)
    _settle(tmp_path)
    return tmp_path


def _settle(path: Path) -> None:
    """Wait out the window in which a folder's ctime could still be shared with a later change."""
    probe = os.stat(path).st_ctime_ns
    coarse = probe % 1_000_000_000 == 0
    time.sleep((Listing.COARSE_NS if coarse else Listing.FINE_NS) / 1e9 + 0.02)


def _run(root: Path, rule) -> list[str]:
    linter = Linter(Settings(root=root), rules=[rule])
    result, loaded = run_check(["."], linter.settings, linter, jobs=1)
    return sorted(d.path for d in result.diagnostics)


def _memo(root: Path) -> dict | None:
    (cache,) = (root / CACHE_DIR).glob("*.json")
    return json.loads(cache.read_text())["discovery"]


@pytest.fixture
def walks(monkeypatch) -> list[int]:
    """How many times a run really walked."""
    calls: list[int] = []
    real = authlint.run.runner.discover

    def counting(*args, **kwargs):
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(authlint.run.runner, "discover", counting)
    return calls


def test_an_unchanged_tree_is_not_walked_again(tree: Path, demo_rule, walks) -> None:
    first = _run(tree, demo_rule)
    assert first == ["a.py", "pkg/b.py", "pkg/deep/c.py"]
    _settle(tree)  # the cache folder made the root's ctime recent: the memo is written next time
    assert _run(tree, demo_rule) == first and _memo(tree) is not None
    walks.clear()
    assert _run(tree, demo_rule) == first
    assert walks == []


@pytest.mark.parametrize(
    "change",
    [
        "add a file deep down",
        "remove a file",
        "rename a folder",
        "ignore a file in an existing .gitignore",
        "add a .gitignore",
        "replace a file with a folder",
    ],
)
def test_any_change_the_walk_would_see_is_seen(tree: Path, demo_rule, change: str) -> None:
    _run(tree, demo_rule)
    _settle(tree)
    _run(tree, demo_rule)
    assert _memo(tree) is not None
    if change == "add a file deep down":
        (tree / "pkg" / "deep" / "new.py").write_text('n = "BADWORD"\n')
    elif change == "remove a file":
        (tree / "pkg" / "b.py").unlink()
    elif change == "rename a folder":
        (tree / "pkg" / "deep").rename(tree / "pkg" / "deeper")
    elif change == "ignore a file in an existing .gitignore":
        (tree / ".gitignore").write_text("notes.txt\n")
        _run(tree, demo_rule)
        _settle(tree)
        _run(tree, demo_rule)
        assert _memo(tree) is not None
        with open(tree / ".gitignore", "a") as handle:  # in place: the root folder does not change
            handle.write("a.py\n")
    elif change == "add a .gitignore":
        (tree / "pkg" / ".gitignore").write_text("b.py\n")
    elif change == "replace a file with a folder":
        (tree / "a.py").unlink()
        (tree / "a.py").mkdir()
        (tree / "a.py" / "inner.py").write_text('i = "BADWORD"\n')
    cached = _run(tree, demo_rule)
    fresh = sorted(d.path for d in _fresh(tree, demo_rule))
    assert cached == fresh


def _fresh(root: Path, rule):
    linter = Linter(Settings(root=root), rules=[rule])
    result, _ = run_check(["."], linter.settings, linter, jobs=1, use_cache=False)
    return result.diagnostics


def test_a_chmod_voids_the_memo(tree: Path, demo_rule, walks) -> None:
    _run(tree, demo_rule)
    _settle(tree)
    _run(tree, demo_rule)
    os.chmod(tree / "pkg", 0o750)  # ctime moves, mtime does not: an unreadable folder must be seen
    walks.clear()
    _run(tree, demo_rule)
    assert walks == [1]


def test_other_paths_or_working_folder_walk_again(tree: Path, demo_rule, walks, monkeypatch) -> None:
    _run(tree, demo_rule)
    _settle(tree)
    _run(tree, demo_rule)
    walks.clear()
    linter = Linter(Settings(root=tree), rules=[demo_rule])
    run_check(["pkg"], linter.settings, linter, jobs=1)
    assert walks == [1]
    monkeypatch.chdir(tree / "pkg")
    run_check([str(tree)], linter.settings, linter, jobs=1)
    assert walks == [1, 1]


def test_symbolic_links_are_never_memoised(tree: Path, demo_rule) -> None:
    (tree / "link.py").symlink_to(tree / "pkg" / "b.py")
    _settle(tree)
    _run(tree, demo_rule)
    _run(tree, demo_rule)
    assert _memo(tree) is None


def test_a_recent_change_is_not_memoised(tree: Path, demo_rule) -> None:
    _run(tree, demo_rule)
    _settle(tree)
    (tree / "pkg" / "fresh.py").write_text("x = 1\n")  # pkg changed just now: a second change could hide
    _run(tree, demo_rule)
    assert _memo(tree) is None


@pytest.mark.parametrize(
    "planted",
    [
        "nonsense",
        {"format": 1},
        {"format": 1, "paths": ["."], "cwd": "", "root": "", "folders": 5},
        "paths",  # right paths, cwd and root; garbage below
    ],
)
def test_a_planted_or_broken_memo_is_ignored(tree: Path, demo_rule, planted, walks) -> None:
    first = _run(tree, demo_rule)
    _settle(tree)
    _run(tree, demo_rule)
    (cache,) = (tree / CACHE_DIR).glob("*.json")
    data = json.loads(cache.read_text())
    if planted == "paths":
        data["discovery"].update(count=99, inodes="x")
    else:
        data["discovery"] = planted
    cache.write_text(json.dumps(data))
    walks.clear()
    assert _run(tree, demo_rule) == first
    assert walks == [1]


def test_files_named_one_by_one_are_not_walked_or_memoised(tree: Path, demo_rule, walks) -> None:
    linter = Linter(Settings(root=tree), rules=[demo_rule])
    result, _ = run_check(["a.py", "pkg/b.py"], linter.settings, linter, jobs=1)
    assert sorted(d.path for d in result.diagnostics) == ["a.py", "pkg/b.py"]
    assert _memo(tree) is None
