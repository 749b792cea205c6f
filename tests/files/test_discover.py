from __future__ import annotations

import os
from pathlib import Path

import pytest

from authlint.config.settings import Settings
from authlint.files.discover import discover


def _rels(paths, root: Path, **kw) -> list[str]:
    settings = Settings(root=root, **kw)
    cwd = os.getcwd()
    os.chdir(root)
    try:
        return [c.relpath for c in discover(paths, settings).candidates]
    finally:
        os.chdir(cwd)


def test_gitignore_nested_and_negation(tmp_path: Path) -> None:
    (tmp_path / ".gitignore").write_text("*.log\n!keep.log\ngen/\n")
    (tmp_path / "a.py").write_text("")
    (tmp_path / "x.log").write_text("")
    (tmp_path / "keep.log").write_text("")
    (tmp_path / "gen").mkdir()
    (tmp_path / "gen" / "b.py").write_text("")
    sub = tmp_path / "sub"
    sub.mkdir()
    (sub / ".gitignore").write_text("secret.py\n")
    (sub / "secret.py").write_text("")
    (sub / "ok.py").write_text("")
    assert _rels(["."], tmp_path) == [".gitignore", "a.py", "keep.log", "sub/.gitignore", "sub/ok.py"]
    assert "gen/b.py" in _rels(["."], tmp_path, respect_gitignore=False)


def test_default_excludes_and_explicit_files(tmp_path: Path) -> None:
    (tmp_path / "node_modules").mkdir()
    (tmp_path / "node_modules" / "x.js").write_text("")
    (tmp_path / "app.min.js").write_text("")
    (tmp_path / "app.js").write_text("")
    assert _rels(["."], tmp_path) == ["app.js"]
    # a file named on the command line is linted even when excluded, unless --force-exclude
    assert _rels(["node_modules/x.js"], tmp_path) == ["node_modules/x.js"]
    assert _rels(["node_modules/x.js"], tmp_path, force_exclude=True) == []


def test_symlinks_leaving_the_root_and_loops(tmp_path: Path) -> None:
    root = tmp_path / "root"
    root.mkdir()
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "stolen.py").write_text("")
    (root / "a.py").write_text("")
    (root / "out").symlink_to(outside)
    (root / "out.py").symlink_to(outside / "stolen.py")
    (root / "loop").symlink_to(root)
    (root / "broken.py").symlink_to(root / "missing.py")
    settings = Settings(root=root)
    cwd = os.getcwd()
    os.chdir(root)
    try:
        found = discover(["."], settings)
    finally:
        os.chdir(cwd)
    assert [c.relpath for c in found.candidates] == ["a.py"]
    reasons = {s.relpath: s.reason for s in found.skipped}
    assert reasons["out"] == "symbolic link leaves the root"
    assert reasons["broken.py"] == "broken symbolic link"
    assert "symlink loop" in reasons.values()


def test_unreadable_folder_is_reported(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    locked = tmp_path / "locked"
    locked.mkdir()
    (tmp_path / "a.py").write_text("")
    real_scandir = os.scandir

    def scandir(path):  # root can read anything, so simulate EACCES for one folder
        if Path(path) == locked:
            raise PermissionError(13, "Permission denied")
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    found = discover([str(tmp_path)], Settings(root=tmp_path))
    assert [c.relpath for c in found.candidates] == ["a.py"]
    assert [(s.relpath, s.reason) for s in found.skipped] == [("locked", "cannot list folder: Permission denied")]


def test_missing_paths(tmp_path: Path) -> None:
    found = discover([str(tmp_path / "nope.py")], Settings(root=tmp_path))
    assert found.missing and found.missing[0].reason == "no such file or directory"


@pytest.mark.parametrize(
    "path",
    ["node_modules", "a/node_modules/x.js", "app.min.js", "src/app.js", ".venv", "x/.git/config",
     "build", "src/build.py", "coverage/lcov.info", "pkg/__pycache__/m.pyc", "dist-info.py"],
)
def test_joined_exclude_matcher_agrees_with_pathspec(path: str) -> None:
    import pathspec

    from authlint.config.selection import matches_any
    from authlint.config.settings import DEFAULT_EXCLUDES

    spec = pathspec.GitIgnoreSpec.from_lines(DEFAULT_EXCLUDES)
    assert matches_any(path, DEFAULT_EXCLUDES) == spec.match_file(path)


def test_name_filter_and_excluded_folders_named_on_the_command_line(tmp_path: Path) -> None:
    (tmp_path / "build").mkdir()
    (tmp_path / "build" / "gen.py").write_text("")
    (tmp_path / "src" / "node_modules" / "x").mkdir(parents=True)
    (tmp_path / "src" / "node_modules" / "x" / "i.js").write_text("")
    (tmp_path / "src" / "app.py").write_text("")
    (tmp_path / "src" / "messages.po").write_text("")
    (tmp_path / "src" / "vendor.min.js").write_text("")
    keep = lambda name: name.endswith((".py", ".js"))  # noqa: E731
    settings = Settings(root=tmp_path)
    cwd = os.getcwd()
    os.chdir(tmp_path)
    try:
        assert [c.relpath for c in discover(["."], settings, keep=keep).candidates] == ["src/app.py"]
        assert discover(["build"], settings).candidates == []  # below an excluded folder: excluded
        assert discover(["src/node_modules/x"], settings).candidates == []
        assert [c.relpath for c in discover(["src"], settings).candidates] == ["src/app.py", "src/messages.po"]
    finally:
        os.chdir(cwd)


@pytest.mark.parametrize(
    "patterns",
    [
        ("node_modules", "*.min.js", ".git", "build", "venv"),
        ("a?c", "*~", "x.py", ".authlint_cache", "foo-bar+1@2"),
    ],
)
def test_plain_name_matcher_agrees_with_pathspec(patterns: tuple[str, ...]) -> None:
    """The pathspec-free matcher of plain names must give gitignore's verdict on every path."""
    import pathspec

    from authlint.config.selection import matcher

    reference = pathspec.GitIgnoreSpec.from_lines(patterns)
    paths = [
        "node_modules", "a/node_modules", "a/node_modules/b.js", "node_modules_x", "xnode_modules/a",
        "app.min.js", "lib/app.min.js", "app.min.jsx", "min.js", ".git", ".gitignore", "src/.git/config",
        "build", "builds/x", "rebuild", "venv/lib/a.py", "abc", "a/abc/d", "abbc", "x.py~", "x.py",
        "sub/x.py", "x.pyc", "foo-bar+1@2/z", ".authlint_cache/k.json",
    ]
    fast = matcher(patterns)
    for path in paths:
        assert fast(path) == reference.match_file(path), path


@pytest.mark.parametrize(("link", "kept"), [("0link.py", "0link.py"), ("zlink.py", "a/x.py")])
def test_a_file_reached_twice_keeps_the_path_met_first_in_name_order(tmp_path: Path, link: str, kept: str) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "x.py").write_text("")
    (tmp_path / link).symlink_to(tmp_path / "a" / "x.py")
    assert _rels(["."], tmp_path) == [kept]


def test_a_folder_reached_twice_is_walked_once_under_its_real_path(tmp_path: Path) -> None:
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "x.py").write_text("")
    (tmp_path / "a").symlink_to(tmp_path / "b")
    assert _rels(["."], tmp_path) == ["b/x.py"]  # files below a linked folder take its real path
