"""The resident project: the same findings as ``authlint check``, kept current edit by edit."""

from __future__ import annotations

from pathlib import Path

import pytest

from authlint.config.load import load_settings
from authlint.run.engine import Linter
from authlint.run.runner import run_check
from authlint.server.project import ProjectModel
from tests.server.harness import loaded_example

CLIENT = "import socketio\nc = socketio.Client()\nc.connect('http://localhost:5000', auth={'token': t})\n"
SERVER = ("import socketio\nsio = socketio.Server()\n@sio.event\ndef connect(sid, environ, auth):\n"
          "    if not auth or not valid(auth.get('jwt')):\n        return False\n")


def found(project: ProjectModel) -> list[tuple[str, str, int, int, str]]:
    return sorted((d.path, d.code, d.span.start, d.span.end, d.message) for ds in project.results().values() for d in ds)


@pytest.mark.parametrize("example", ["python", "js", "nats", "nginx", "k8s", "jvm"])
def test_the_same_findings_as_check(tmp_path: Path, example: str) -> None:
    project = loaded_example(tmp_path, example)
    root = tmp_path / example
    settings, _ = load_settings([str(root)])
    result, _ = run_check([str(root)], settings, Linter(settings), jobs=1, use_cache=False)
    expected = sorted((d.path, d.code, d.span.start, d.span.end, d.message) for d in result.diagnostics)
    assert expected and found(project) == expected


@pytest.fixture
def pair(tmp_path: Path) -> Path:
    (tmp_path / ".git").mkdir()
    (tmp_path / "client.py").write_text(CLIENT, encoding="utf-8")
    (tmp_path / "server.py").write_text(SERVER, encoding="utf-8")
    return tmp_path


def codes(project: ProjectModel, relpath: str) -> list[str]:
    return [d.code for d in project.results().get(relpath, [])]


def test_a_buffer_overrides_the_disk_until_closed(pair: Path) -> None:
    project = ProjectModel(pair)
    project.reload()
    assert codes(project, "client.py") == ["SIO007"]
    assert project.set_buffer(pair / "server.py", SERVER.replace("'jwt'", "'token'")) == "server.py"
    assert codes(project, "client.py") == []
    (pair / "server.py").write_text(SERVER.replace("'jwt'", "'key'"), encoding="utf-8")
    assert project.disk_changed(pair / "server.py") is False
    assert codes(project, "client.py") == []  # the open buffer still wins
    project.close_buffer(pair / "server.py")
    assert codes(project, "client.py") == ["SIO007"]
    assert "auth['key']" in project.results()["client.py"][0].message


def test_files_created_and_deleted_outside_the_editor(pair: Path) -> None:
    project = ProjectModel(pair)
    project.reload()
    (pair / "server.py").unlink()
    project.disk_changed(pair / "server.py")
    assert "server.py" not in project.entries and codes(project, "client.py") == []
    (pair / "other_server.py").write_text(SERVER, encoding="utf-8")
    project.disk_changed(pair / "other_server.py")
    assert codes(project, "client.py") == ["SIO007"]


def test_excluded_and_outside_files_are_not_checked(pair: Path, tmp_path_factory) -> None:
    (pair / "authlint.toml").write_text('extend-exclude = ["vendor"]\n', encoding="utf-8")
    (pair / "vendor").mkdir()
    project = ProjectModel(pair)
    project.reload()
    assert project.set_buffer(pair / "vendor" / "server.py", SERVER) is None
    outside = tmp_path_factory.mktemp("elsewhere") / "server.py"
    assert project.set_buffer(outside, SERVER) is None


def test_a_config_edit_reloads_the_settings(pair: Path) -> None:
    project = ProjectModel(pair)
    project.reload()
    (pair / "authlint.toml").write_text('ignore = ["SIO007"]\n', encoding="utf-8")
    assert project.disk_changed(pair / "authlint.toml") is True
    assert codes(project, "client.py") == []


def test_unused_suppressions_are_judged_as_check_judges_them(pair: Path) -> None:
    """E003: a comment that covers nothing, in a file with findings and in one without."""
    (pair / "server.py").write_text(SERVER.replace("def connect", "# authlint: ignore[SIO001]\ndef connect"),
                                    encoding="utf-8")
    (pair / "quiet.py").write_text("import socketio  # authlint: ignore[SIO007]\n", encoding="utf-8")
    project = ProjectModel(pair)
    project.reload()
    settings, _ = load_settings([str(pair)])
    result, _ = run_check([str(pair)], settings, Linter(settings), jobs=1, use_cache=False)
    expected = sorted((d.path, d.code, d.span.start, d.span.end, d.message) for d in result.diagnostics)
    assert [e for e in expected if e[1] == "E003"] and found(project) == expected
    project.set_buffer(pair / "quiet.py", "import socketio\n")  # the comment removed: its E003 too
    assert codes(project, "quiet.py") == []
