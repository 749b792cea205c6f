"""The versions model: lookups go by the normalised package name of each ecosystem."""

from __future__ import annotations

from authlint.versions.model import NPM, PYPI, Pin, ProjectVersions, normalise


def test_pypi_names_are_pep503_normalised_and_npm_names_kept() -> None:
    assert normalise(PYPI, "Flask_SocketIO") == "flask-socketio"
    assert normalise(PYPI, "python.socketio") == "python-socketio"
    assert normalise(NPM, "@types/jsonwebtoken") == "@types/jsonwebtoken"


def test_of_finds_every_pin_of_one_package_and_nothing_else() -> None:
    lock = Pin(PYPI, "pyjwt", "1.7.1", "", "poetry.lock", 40)
    declared = Pin(PYPI, "pyjwt", None, "<2", "pyproject.toml", 9)
    other = Pin(NPM, "pyjwt", "9.0.0", "^9", "package.json", 3)
    versions = ProjectVersions((declared, lock, other))
    assert versions.of(PYPI, "PyJWT") == (declared, lock)
    assert versions.of(NPM, "jsonwebtoken") == ()
    assert lock.where == "poetry.lock:40"
    assert versions and not ProjectVersions()
