"""Paths in every output format, and in the fix diff's headers, are relative to the project root
(the folder of the config file, or of .git/.hg), else to the working directory (as ruff), whatever
paths the command line names: ``check util/token.py`` reports ``util/token.py``, never
``token.py``, and ``fix b d`` heads b's file ``a/b/app.py``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

CODE = 'import jwt\n\n\ndef read(token):\n    return jwt.decode(token, KEY, algorithms=["HS256"], options={"verify_signature": False})\n'
FORMATS = ["full", "concise", "json", "json-lines", "sarif", "github"]


def _reported_paths(fmt: str, stdout: str) -> set[str]:
    """The file paths a report names, read the way each format's consumer reads them."""
    if fmt in ("full", "concise"):
        return {line.split(":", 1)[0] for line in stdout.splitlines() if ":" in line and " JWT003 " in line}
    if fmt == "json":
        return {item["path"] for item in json.loads(stdout)}
    if fmt == "json-lines":
        return {json.loads(line)["path"] for line in stdout.splitlines() if line.strip()}
    if fmt == "sarif":
        results = json.loads(stdout)["runs"][0]["results"]
        return {loc["physicalLocation"]["artifactLocation"]["uri"] for r in results for loc in r["locations"]}
    assert fmt == "github"
    return {part[len("file="):] for line in stdout.splitlines() for part in line.split(",") if part.startswith("file=")}


@pytest.fixture(params=["no-config", "authlint.toml", "pyproject.toml", "git"])
def tree(request, tmp_path: Path) -> tuple[Path, str]:
    """A project with util/token.py, b/app.py and d/app.py, marked as a project (or not)."""
    root = tmp_path / "proj"
    for relpath in ("util/token.py", "b/app.py", "d/app.py"):
        (root / relpath).parent.mkdir(parents=True, exist_ok=True)
        (root / relpath).write_text(CODE)
    if request.param == "authlint.toml":
        (root / "authlint.toml").write_text('select = ["JWT003"]\n')
    elif request.param == "pyproject.toml":
        (root / "pyproject.toml").write_text('[project]\nname = "p"\n\n[tool.authlint]\nselect = ["JWT"]\n')
    elif request.param == "git":
        (root / ".git").mkdir()
    return root, request.param


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("named", [["util/token.py"], ["util"], ["."], ["util/token.py", "b"]])
def test_every_format_names_files_from_the_root(invoke, tree, monkeypatch, fmt: str, named: list[str]) -> None:
    root, _ = tree
    monkeypatch.chdir(root)
    result = invoke("check", "--no-cache", "--output-format", fmt, *named)
    assert result.exit_code == 1, result.output
    expected = {"util/token.py"} | ({"b/app.py", "d/app.py"} if named == ["."] else set())
    expected |= {"b/app.py"} if "b" in named else set()
    assert _reported_paths(fmt, result.stdout) == expected


def test_fix_diff_heads_each_file_with_its_path_from_the_root(invoke, tree, monkeypatch) -> None:
    root, _ = tree
    monkeypatch.chdir(root)
    result = invoke("fix", "--no-cache", "--unsafe-fixes", "--select", "JWT003", "b", "d")
    heads = [line for line in result.stdout.splitlines() if line.startswith(("--- ", "+++ "))]
    assert heads == ["--- a/b/app.py", "+++ b/b/app.py", "--- a/d/app.py", "+++ b/d/app.py"]


@pytest.mark.parametrize("fmt", FORMATS)
def test_from_a_subfolder_paths_stay_relative_to_the_project_root(invoke, tree, monkeypatch, fmt: str) -> None:
    """Inside a project, the root is the project's; with no project at all, the working
    directory is the root, as ruff's paths are relative to it."""
    root, marker = tree
    monkeypatch.chdir(root / "util")
    result = invoke("check", "--no-cache", "--output-format", fmt, "token.py")
    assert result.exit_code == 1, result.output
    assert _reported_paths(fmt, result.stdout) == {"token.py" if marker == "no-config" else "util/token.py"}


def test_sarif_uris_are_relative_references(invoke, tree, monkeypatch) -> None:
    root, _ = tree
    monkeypatch.chdir(root)
    result = invoke("check", "--no-cache", "--output-format", "sarif", "util/token.py", "d/app.py")
    for uri in _reported_paths("sarif", result.stdout):
        assert not uri.startswith(("/", "..")) and ":" not in uri, uri
