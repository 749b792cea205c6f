"""The pre-pass on disk: where it looks, what it leaves out, and that it reads each file once."""

from __future__ import annotations

from pathlib import Path

import pytest

from authlint.testing import make_settings
from authlint.versions import prepass
from authlint.versions.model import NATS_SERVER, NPM, PYPI


def _write(root: Path, files: dict[str, str]) -> None:
    for relpath, text in files.items():
        path = root / relpath
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


PROJECT = {
    "Dockerfile": "FROM nats:2.10.7-alpine\n",
    "package.json": '{\n  "dependencies": {\n    "jsonwebtoken": "^8.5.1"\n  }\n}\n',
    "requirements.txt": "pyjwt==1.7.1\n",
    "deploy/k8s/prod/nats.yaml": "containers:\n  - image: nats:2.9.25\n",  # three levels down: found
    "a/b/c/d/Dockerfile": "FROM nats:2.1.0\n",  # four levels down: too deep
    "node_modules/jsonwebtoken/package.json": '{"dependencies": {"jws": "^3"}}',  # excluded by default
    "ignored/Dockerfile": "FROM nats:2.2.0\n",
    ".gitignore": "ignored/\n",
    "README.md": "FROM nats:2.0.0\n",
}


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / ".git").mkdir()
    _write(tmp_path, PROJECT)
    return tmp_path


def test_the_search_finds_declarations_near_the_root_honouring_excludes(project: Path) -> None:
    settings = make_settings(root=project)
    assert prepass.find(settings) == ["Dockerfile", "deploy/k8s/prod/nats.yaml", "package.json", "requirements.txt"]
    versions = prepass.collect(settings)
    assert [(p.ecosystem, p.package, p.where) for p in versions.pins] == [
        (NATS_SERVER, "nats-server", "Dockerfile:1"),
        (NATS_SERVER, "nats-server", "deploy/k8s/prod/nats.yaml:2"),
        (NPM, "jsonwebtoken", "package.json:3"),
        (PYPI, "pyjwt", "requirements.txt:1"),
    ]


def test_deferred_versions_read_only_the_ecosystem_asked_for(project: Path, monkeypatch) -> None:
    read: list[str] = []
    real = prepass.read_file

    def counting(root, relpath):
        read.append(relpath)
        return real(root, relpath)

    monkeypatch.setattr(prepass, "read_file", counting)
    versions = prepass.deferred(make_settings(root=project))
    assert read == []
    assert [p.version for p in versions.of(NATS_SERVER, "nats-server")] == ["2.10.7", "2.9.25"]
    assert read == ["Dockerfile", "deploy/k8s/prod/nats.yaml"]
    versions.of(NATS_SERVER, "nats-server")
    assert read == ["Dockerfile", "deploy/k8s/prod/nats.yaml"]  # each file once
    assert [p.package for p in versions.pins] == ["nats-server", "nats-server", "jsonwebtoken", "pyjwt"]
    assert versions and sorted(read) == sorted(prepass.find(make_settings(root=project)))
    assert versions.pins == prepass.collect(make_settings(root=project)).pins


def test_the_cache_reuses_unchanged_files_and_rereads_changed_ones(project: Path, monkeypatch) -> None:
    class Memo:
        version_files: dict = {}

        def remember_version_files(self, entries):
            self.version_files = entries

    cache = Memo()
    settings = make_settings(root=project)
    first = prepass.collect(settings, cache)
    read: list[str] = []
    real = prepass.read_file
    monkeypatch.setattr(prepass, "read_file", lambda root, relpath: read.append(relpath) or real(root, relpath))
    assert prepass.collect(settings, cache) == first and read == []
    (project / "Dockerfile").write_text("# moved\nFROM nats:2.11.1\n")
    again = prepass.collect(settings, cache)
    assert read == ["Dockerfile"]
    assert [p.where for p in again.of(NATS_SERVER, "nats-server")] == ["Dockerfile:2", "deploy/k8s/prod/nats.yaml:2"]


def test_an_included_file_that_changes_rereads_its_includer(tmp_path: Path) -> None:
    _write(tmp_path, {"requirements.txt": "-r deps/pins.cfg\n", "deps/pins.cfg": "pyjwt==1.7.1\n"})

    class Memo:
        version_files: dict = {}

        def remember_version_files(self, entries):
            self.version_files = entries

    cache = Memo()
    settings = make_settings(root=tmp_path)
    assert [p.version for p in prepass.collect(settings, cache).pins] == ["1.7.1"]
    (tmp_path / "deps/pins.cfg").write_text("pyjwt==2.8.0  # upgraded\n")
    assert [p.version for p in prepass.collect(settings, cache).pins] == ["2.8.0"]


def test_malformed_and_unreadable_files_give_nothing_and_never_raise(tmp_path: Path) -> None:
    _write(tmp_path, {"package.json": "{", "pyproject.toml": "[project\n", "Dockerfile": "FROM nats:2.10.7\n"})
    (tmp_path / "yarn.lock").write_bytes(b"\xff\xfe\x00garbage")
    versions = prepass.collect(make_settings(root=tmp_path))
    assert [p.relpath for p in versions.pins] == ["Dockerfile"]


def test_no_root_no_versions() -> None:
    assert not prepass.collect(make_settings())
    assert not prepass.deferred(make_settings())


def test_a_planted_cache_entry_cannot_cite_files_it_did_not_read(project: Path) -> None:
    class Memo:
        version_files: dict = {}

        def remember_version_files(self, entries):
            self.version_files = entries

    cache = Memo()
    settings = make_settings(root=project)
    honest = prepass.collect(settings, cache)
    entry = cache.version_files["Dockerfile"]
    entry["pins"] = [["nats-server", "nats-server", "2.99.0", "x", "<script>.conf", 1]]
    assert prepass.collect(settings, cache) == honest  # parsed again
    entry = cache.version_files["Dockerfile"]
    entry["pins"] = [["nats-server", "nats-server", "2.99.0", "x"]]
    assert prepass.collect(settings, cache) == honest
