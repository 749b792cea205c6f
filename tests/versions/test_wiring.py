"""The versions reach every way authlint runs: ``check`` (cold, warm, forked), ``fix``, files named
one by one (a pre-commit hook), and the test harness; and a cached outcome never outlives the pins
it was computed under."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from authlint.run.engine import Linter
from authlint.run.runner import run_check, run_fix
from authlint.testing import fix_files, lint_files, make_settings
from tests.shared import NATS_CORPUS, require

CONF = 'logtime_utc: true\nauthorization {\n  token: $T\n  timeout: "5s"\n}\n'
GATED = ("requires nats-server ≥", "ignores a string here")


def _project(root: Path, tag: str | None) -> Path:
    (root / ".git").mkdir(exist_ok=True)
    (root / "conf").mkdir(exist_ok=True)
    (root / "conf" / "nats-server.conf").write_text(CONF)
    compose = root / "docker-compose.yml"
    if tag is None:
        compose.unlink(missing_ok=True)
    else:
        compose.write_text(f"services:\n  broker:\n    image: nats:{tag}\n    ports: ['4222:4222']\n")
    return root


def _messages(root: Path, paths: list[str] | None = None, **kw) -> list[str]:
    settings = make_settings(root=root, select=["NAT001", "NAT002"])
    result, _ = run_check(paths or [str(root)], settings, Linter(settings), **kw)
    assert result.errors == []
    return [f"{d.code} {d.path}:{d.start[0]} {d.message}" for d in result.diagnostics]


def test_check_names_the_detected_target(tmp_path: Path) -> None:
    root = _project(tmp_path, "2.9.25-alpine")
    assert _messages(root, use_cache=False) == [
        "NAT001 conf/nats-server.conf:1 `logtime_utc` in the top level requires nats-server ≥ 2.10.0 "
        "(target 2.9.25 from docker-compose.yml:3); older servers refuse to start",
        'NAT002 conf/nats-server.conf:4 `timeout: "5s"`: nats-server < 2.12 ignores a string here and uses an '
        "auth timeout of 1 second (target 2.9.25 from docker-compose.yml:3)",
    ]


def test_without_a_target_nothing_version_gated_is_reported(tmp_path: Path) -> None:
    root = _project(tmp_path, None)
    assert _messages(root, use_cache=False) == []
    root = _project(tmp_path, "latest")
    assert _messages(root, use_cache=False) == []


def test_a_warm_run_follows_a_changed_image_tag(tmp_path: Path) -> None:
    root = _project(tmp_path, "2.9.25")
    cold = _messages(root)
    assert any("requires nats-server ≥ 2.10.0 (target 2.9.25" in m for m in cold)
    assert _messages(root) == cold  # warm, nothing changed
    conf = root / "conf" / "nats-server.conf"
    stat = os.stat(conf)
    (root / "docker-compose.yml").write_text("services:\n  broker:\n    image: nats:2.10.7\n")
    os.utime(conf, ns=(stat.st_atime_ns, stat.st_mtime_ns))  # the config itself is untouched
    warm = _messages(root)
    assert not any("requires nats-server" in m for m in warm)
    assert any("(target 2.10.7 from docker-compose.yml:3)" in m for m in warm)
    (root / "docker-compose.yml").unlink()
    assert _messages(root) == []


def test_results_do_not_depend_on_cache_or_jobs(tmp_path: Path) -> None:
    root = _project(tmp_path, "2.9.25")
    for index in range(6):
        (root / "conf" / f"more{index}.conf").write_text(CONF)
    expected = _messages(root, use_cache=False, jobs=1)
    assert len(expected) == 14
    assert _messages(root, use_cache=False, jobs=2) == expected
    assert _messages(root, jobs=2) == expected
    assert _messages(root, jobs=2) == expected


def test_files_named_one_by_one_get_the_versions_of_the_whole_repository(tmp_path: Path) -> None:
    root = _project(tmp_path, "2.9.25")
    named = [str(root / "conf" / "nats-server.conf")]
    assert _messages(root, named, use_cache=False) == _messages(root, use_cache=False)
    assert _messages(root, named) == _messages(root, use_cache=False)


def test_fix_sees_the_versions(tmp_path: Path) -> None:
    root = _project(tmp_path, "2.9.25")
    conf = root / "conf" / "nats-server.conf"
    conf.write_text("authorization {\n  token: $T\n  timeout: 2m\n}\n")
    settings = make_settings(root=root, select=["NAT002"], unsafe_fixes=True)
    result, _ = run_fix([str(root)], settings, Linter(settings), unsafe=True, use_cache=False)
    # before 2.12 a duration string is ignored: the fix writes seconds
    assert result.changed["conf/nats-server.conf"].source.text == "authorization {\n  token: $T\n  timeout: 120\n}\n"
    _project(root, "2.12.1")
    conf.write_text("authorization {\n  token: $T\n  timeout: 2m\n}\n")
    result, _ = run_fix([str(root)], settings, Linter(settings), unsafe=True)
    assert result.changed["conf/nats-server.conf"].source.text == 'authorization {\n  token: $T\n  timeout: "2m"\n}\n'


def test_versions_the_caller_gives_are_kept(tmp_path: Path) -> None:
    from dataclasses import replace

    from authlint.versions.model import NATS_SERVER, Pin, ProjectVersions

    root = _project(tmp_path, "2.10.7")
    given = ProjectVersions((Pin(NATS_SERVER, NATS_SERVER, "2.9.0", "2.9.0", "elsewhere/Dockerfile", 1),))
    settings = replace(make_settings(root=root, select=["NAT001"]), versions=given)
    linter = Linter(settings)
    result, _ = run_check([str(root)], settings, linter, use_cache=False)
    assert [d.message for d in result.diagnostics][0].endswith("(target 2.9.0 from elsewhere/Dockerfile:1); older servers refuse to start")
    assert linter.settings.versions is given and settings.versions is given


def test_a_named_version_file_that_does_not_parse_is_reported(tmp_path: Path) -> None:
    root = _project(tmp_path, "2.9.25")
    (root / "package.json").write_text('{"dependencies": {')
    settings = make_settings(root=root)
    result, _ = run_check([str(root / "package.json")], settings, Linter(settings), use_cache=False)
    assert [(d.code, d.path) for d in result.diagnostics] == [("E001", "package.json")]
    assert "invalid JSON" in result.diagnostics[0].message
    result, _ = run_check([str(root)], settings, Linter(settings), use_cache=False)
    assert all(d.path != "package.json" for d in result.diagnostics)  # met by the search: quiet


def test_the_harness_reads_versions_from_the_example_files() -> None:
    files = {"nats-server.conf": CONF, "Dockerfile": "FROM nats:2.9.25\n"}
    found = lint_files(files, select=["NAT001"]).diagnostics
    assert [d.message for d in found] == [
        "`logtime_utc` in the top level requires nats-server ≥ 2.10.0 (target 2.9.25 from Dockerfile:1); "
        "older servers refuse to start"
    ]
    assert lint_files({"nats-server.conf": CONF}, select=["NAT001"]).diagnostics == []
    fixed = fix_files({"nats-server.conf": "authorization { timeout: 2m }\n", "Dockerfile": "FROM nats:2.12.0\n"}, select=["NAT002"])
    assert fixed["nats-server.conf"] == 'authorization { timeout: "2m" }\n'


def test_the_shared_corpus_has_no_version_gated_finding_without_a_target() -> None:
    """The issue's "Done when": `authlint check` on ../shared/corpus/nats/ without a configured target."""
    corpus = require(NATS_CORPUS)
    settings = make_settings(root=corpus, rule_options={"NAT004": {"bcrypt-cost": 4}})
    assert settings.target_nats_version is None
    result, _ = run_check([str(corpus)], settings, Linter(settings), use_cache=False)
    assert result.errors == []
    assert result.diagnostics, "the corpus has other findings: the run really checked it"
    assert [d.message for d in result.diagnostics if any(g in d.message for g in GATED)] == []


@pytest.mark.parametrize("target", ["2.9.10"])
def test_the_shared_corpus_with_an_old_target_has_version_gated_findings(target: str) -> None:
    corpus = require(NATS_CORPUS)
    settings = make_settings(root=corpus, target_nats_version=target, select=["NAT001", "NAT002"])
    result, _ = run_check([str(corpus)], settings, Linter(settings), use_cache=False)
    gated = [d.message for d in result.diagnostics if any(g in d.message for g in GATED)]
    assert gated and all(f"(target-nats-version is {target})" in m for m in gated)
