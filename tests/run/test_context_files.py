"""A NATS fragment named alone (pre-commit) is checked with its includers as context files:
their facts join the project phase, nothing of theirs is reported, counted or fixed."""

from __future__ import annotations

import os
from dataclasses import replace
from pathlib import Path

import pytest

import authlint.files.includers as includers
from authlint.config.settings import Settings
from authlint.diagnostics.fix import write_atomic
from authlint.files.discover import Candidate
from authlint.run.engine import Linter
from authlint.run.runner import run_check, run_fix, write_fixes
from tests.nats_fragment_project import USERS, write_project


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return write_project(tmp_path)


def _check(root: Path, *names: str, settings: Settings | None = None, **kw) -> tuple[list[tuple[str, str]], int]:
    settings = settings or Settings(root=root)
    linter = Linter(settings)
    result, _ = run_check([str(root / name) for name in names], settings, linter, **kw)
    assert result.errors == []
    return [(d.path, d.code) for d in result.diagnostics], result.files_checked


def test_the_walk_knows_the_fragment_is_included(project: Path) -> None:
    found, checked = _check(project, ".", use_cache=False)
    assert checked == 3
    assert not {code for path, code in found if path == "users.conf"} & {"NAT001", "NAT007"}
    assert ("nats-server.conf", "NAT004") in found  # the context test below must have something to hide


@pytest.mark.parametrize("jobs, cache", [(1, False), (2, False), (1, True), (2, True)])
def test_a_fragment_checked_alone_is_still_included(project: Path, jobs: int, cache: bool) -> None:
    for _ in range(2 if cache else 1):  # with a cache: the cold run fills it, the warm one reads it
        found, checked = _check(project, "users.conf", jobs=jobs, use_cache=cache)
        assert checked == 1
        assert found == []  # no NAT001/NAT007, and nothing of nats-server.conf (NAT004, NAT002)


def test_without_context_the_fragment_stands_alone(project: Path) -> None:
    """What the includer removes: the same run with nats-server.conf gone reports the fragment."""
    (project / "nats-server.conf").unlink()
    found, _ = _check(project, "users.conf", use_cache=False)
    assert "NAT001" in {code for _, code in found}


def test_a_fragment_nobody_includes_keeps_its_findings(project: Path) -> None:
    (project / "extra.conf").write_text(USERS.replace("alice", "bob"))
    found, _ = _check(project, "extra.conf", use_cache=False)
    assert "NAT001" in {code for path, code in found if path == "extra.conf"}
    assert all(path == "extra.conf" for path, _ in found)


@pytest.mark.parametrize("how", ["exclude", "extend-exclude", "gitignore"])
def test_an_excluded_includer_is_not_context(project: Path, how: str) -> None:
    settings = Settings(root=project)
    if how == "exclude":
        settings = replace(settings, exclude=(*settings.exclude, "nats-server.conf"))
    elif how == "extend-exclude":
        settings = replace(settings, extend_exclude=("nats-*.conf",))
    else:
        (project / ".git").mkdir()
        (project / ".gitignore").write_text("nats-server.conf\n")
    found, _ = _check(project, "users.conf", settings=settings, use_cache=False)
    assert "NAT001" in {code for _, code in found}


def test_an_includer_in_an_excluded_parent_folder_is_not_context(tmp_path: Path) -> None:
    (tmp_path / "deploy" / "conf.d").mkdir(parents=True)
    (tmp_path / "deploy" / "nats-server.conf").write_text("port: 4222\nauthorization {\n  include conf.d/users.conf\n}\n")
    (tmp_path / "deploy" / "conf.d" / "users.conf").write_text(USERS)
    found, _ = _check(tmp_path, "deploy/conf.d/users.conf", use_cache=False)
    assert found == []  # the parent folder's config includes it
    settings = replace(Settings(root=tmp_path), extend_exclude=("deploy/nats-server.conf",))
    found, _ = _check(tmp_path, "deploy/conf.d/users.conf", settings=settings, use_cache=False)
    assert "NAT001" in {code for _, code in found}


def test_a_symlink_leaving_the_root_is_not_context(tmp_path: Path) -> None:
    outside, root = tmp_path / "outside", tmp_path / "root"
    outside.mkdir()
    root.mkdir()
    (outside / "nats-server.conf").write_text("port: 4222\nauthorization {\n  include users.conf\n}\n")
    (root / "nats-server.conf").symlink_to(outside / "nats-server.conf")
    (root / "users.conf").write_text(USERS)
    found, _ = _check(root, "users.conf", use_cache=False)
    assert "NAT001" in {code for _, code in found}


def test_fix_apply_on_the_fragment_never_edits_the_includer(project: Path) -> None:
    before = (project / "nats-server.conf").read_bytes()
    settings = Settings(root=project)
    linter = Linter(settings)
    fixed, _ = run_fix([str(project / "tuning.conf")], settings, linter, unsafe=True, use_cache=False)
    assert write_fixes(fixed) == ["tuning.conf"]
    assert (project / "tuning.conf").read_text() == 'write_deadline: "10s"\n'
    assert (project / "nats-server.conf").read_bytes() == before  # its NAT002/NAT004 fixes are not applied
    assert [(d.path, d.code) for d in fixed.remaining.diagnostics] == []
    assert fixed.remaining.files_checked == 1


def test_runs_without_a_fragment_finding_list_nothing_extra(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Context is looked for only when a named file has a finding that depends on who includes it."""
    (project / "app.py").write_text("import jwt\nt = jwt.decode(tok, options={'verify_signature': False})\n")
    calls: list[object] = []
    monkeypatch.setattr(includers, "discover_flat", lambda *a, **k: calls.append(a))
    assert _check(project, "app.py", use_cache=False)[0]  # findings, none of that kind
    assert _check(project, "nats-server.conf", use_cache=False)[0]  # a NATS config, the same
    found, _ = _check(project, "nats-server.conf", "tuning.conf", use_cache=False)  # a fragment its includer has
    assert ("tuning.conf", "NAT007") not in found
    _check(project, ".", use_cache=False)  # a folder: the walk already has every config
    assert calls == []


def test_context_is_bounded_in_folders_and_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    deep = tmp_path.joinpath("a", "b", "c", "d", "e")
    deep.mkdir(parents=True)
    fragment = Candidate(deep / "users.conf", "a/b/c/d/e/users.conf", explicit=True)
    folders = includers.includer_folders([fragment], tmp_path)
    assert folders == [str(deep), str(deep.parent), str(deep.parent.parent), str(deep.parents[2])]
    near = Candidate(tmp_path / "users.conf", "users.conf", explicit=True)
    assert includers.includer_folders([near], tmp_path) == [str(tmp_path)]  # never above the root

    (tmp_path / "users.conf").write_text(USERS)
    for i in range(includers.MAX_CONTEXT_FILES + 5):
        (tmp_path / f"n{i:02}.conf").write_text("port: 4222\nauthorization {\n  include users.conf\n}\n")
    (tmp_path / "other.conf").write_text("port: 4222\ninclude accounts.conf\n")  # names another file
    (tmp_path / "plain.conf").write_text("port: 4222\n# users.conf is elsewhere\n")  # includes nothing
    (tmp_path / "notes.txt").write_text("include users.conf\n")  # not a config name: never listed
    context = includers.context_candidates([near], Settings(root=tmp_path))
    assert len(context) == includers.MAX_CONTEXT_FILES
    assert [c.relpath for c in context][:2] == ["n00.conf", "n01.conf"]
    assert all(c.relpath.startswith("n") and c.relpath.endswith(".conf") for c in context)


def test_a_context_file_that_does_not_parse_stays_silent(project: Path) -> None:
    write_atomic(project / "nats-server.conf", b"port: {{{\n")
    found, checked = _check(project, "users.conf", use_cache=False)
    assert checked == 1
    assert all(path == "users.conf" for path, _ in found)  # no E001 for the context file
    assert os.path.exists(project / "nats-server.conf")
