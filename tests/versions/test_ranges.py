"""Version ranges: what a fresh install of a declared range gets, and the questions rules ask.

The npm cases follow node-semver's own range tests (``test/fixtures/range-include.js`` /
``range-exclude.js``): what each range admits and refuses, prereleases aside.
"""

from __future__ import annotations

import pytest
from packaging.version import Version

from authlint.versions.model import NPM, PYPI, Pin, ProjectVersions
from authlint.versions.ranges import majors, npm_range, npm_version, pep440_range, runs_below


def _admits(spec: str, version: str) -> bool:
    rng = npm_range(spec)
    parsed = npm_version(version)
    assert rng is not None and parsed is not None, spec
    return rng.admits(parsed)


@pytest.mark.parametrize(("spec", "inside", "outside"), [
    ("^8.5.1", ["8.5.1", "8.99.0"], ["8.5.0", "9.0.0", "9.0.0-beta.1"]),
    ("^0.2.3", ["0.2.3", "0.2.9"], ["0.3.0", "0.2.2"]),
    ("^0.0.3", ["0.0.3"], ["0.0.4"]),
    ("^1.x", ["1.0.0", "1.9.9"], ["2.0.0"]),
    ("~1.2.3", ["1.2.3", "1.2.9"], ["1.3.0"]),
    ("~1", ["1.0.0", "1.9.0"], ["2.0.0"]),
    ("~>3.2.1", ["3.2.2"], ["3.3.0"]),
    ("1.x", ["1.0.0", "1.4.2"], ["2.0.0", "0.9.9"]),
    ("1.2.*", ["1.2.0", "1.2.7"], ["1.3.0"]),
    ("*", ["0.0.1", "99.0.0"], []),
    ("", ["1.0.0"], []),
    ("1.2.3 - 2.3.4", ["1.2.3", "2.3.4"], ["2.3.5", "1.2.2"]),
    ("1.2 - 2", ["1.2.0", "2.9.9"], ["3.0.0", "1.1.9"]),
    (">=1.2.7 <1.3.0", ["1.2.7", "1.2.99"], ["1.3.0", "1.2.6"]),
    (">= 1.0.0 < 2", ["1.5.0"], ["2.0.0"]),
    ("1.2.7 || >=1.2.9 <2.0.0", ["1.2.7", "1.2.9", "1.4.6"], ["1.2.8", "2.0.0"]),
    ("<2", ["1.9.9"], ["2.0.0"]),
    ("<=2.1", ["2.1.9"], ["2.2.0"]),
    (">2.1", ["2.2.0"], ["2.1.9"]),
    (">2.1.3", ["2.1.4"], ["2.1.3"]),
    ("=2.0.0", ["2.0.0"], ["2.0.1"]),
    ("v2.0.0", ["2.0.0"], ["2.0.1"]),
    ("2", ["2.0.0", "2.5.1"], ["3.0.0"]),
])
def test_npm_ranges_admit_what_node_semver_admits(spec: str, inside: list[str], outside: list[str]) -> None:
    for version in inside:
        assert _admits(spec, version), (spec, version)
    for version in outside:
        assert not _admits(spec, version), (spec, version)


@pytest.mark.parametrize("spec", ["latest", "git+https://github.com/a/b.git", "file:../lib", "workspace:*", "1.2.3.4"])
def test_what_is_not_a_semver_range_is_unknown(spec: str) -> None:
    assert npm_range(spec) is None


def test_npm_prereleases_sort_before_their_release() -> None:
    assert npm_version("9.0.0-beta.1") < npm_version("9.0.0-beta.2") < npm_version("9.0.0-rc.1") < npm_version("9.0.0")
    assert npm_version("1.0.0-alpha.1") < npm_version("1.0.0-alpha.beta")
    assert npm_version("v1.2.3+build.7") == npm_version("1.2.3")
    assert npm_version("1.2") is None


def _npm(spec: str = "", version: str | None = None, package: str = "jsonwebtoken") -> ProjectVersions:
    return ProjectVersions((Pin(NPM, package, version, spec, "package.json", 5),))


@pytest.mark.parametrize(("spec", "version", "below"), [
    ("^8.5.1", None, True),  # a fresh install gets 8.x
    ("~8.2.0", None, True),
    ("8.x", None, True),
    (">=8", None, False),  # the newest release: 9 or later
    ("*", None, False),
    ("^9.0.0", None, False),
    ("^8.0.0 || ^9.0.0", None, False),  # npm takes the highest satisfying: 9.x
    ("<9.0.0", None, True),
    ("^9.0.0", "8.5.1", True),  # the lock wins over the range
    ("^8.5.1", "9.0.2", False),
    ("latest", None, None),
    ("github:auth0/node-jsonwebtoken", None, None),
])
def test_runs_below_answers_yes_no_or_unknown(spec: str, version: str | None, below: bool | None) -> None:
    assert runs_below(_npm(spec, version), NPM, "jsonwebtoken", "9.0.0") is below


def test_nothing_pinned_is_unknown() -> None:
    assert runs_below(ProjectVersions(), NPM, "jsonwebtoken", "9.0.0") is None
    assert runs_below(_npm("^8", package="express-jwt"), NPM, "jsonwebtoken", "9.0.0") is None


def test_an_exact_pin_from_a_lock_file_is_preferred_over_every_range() -> None:
    versions = ProjectVersions((
        Pin(NPM, "jsonwebtoken", None, "^8.0.0", "package.json", 7),
        Pin(NPM, "jsonwebtoken", "9.0.2", "", "package-lock.json", 40),
    ))
    assert runs_below(versions, NPM, "jsonwebtoken", "9.0.0") is False


@pytest.mark.parametrize(("spec", "version", "below"), [
    ("<2", None, True),
    ("==1.7.1", None, True),
    ("~=1.7", None, True),
    ("==1.*", None, True),
    (">=1.5,<2.0", None, True),
    (">=1.5", None, False),
    ("", None, False),  # unpinned: pip installs the newest
    ("~=2.8", None, False),
    (">=2.8", "1.7.1", True),  # poetry.lock says 1.7.1
    ("not a specifier", None, None),
])
def test_pep440_specifiers(spec: str, version: str | None, below: bool | None) -> None:
    versions = ProjectVersions((Pin(PYPI, "pyjwt", version, spec, "requirements.txt", 3),))
    assert runs_below(versions, PYPI, "PyJWT", "2.0.0") is below


def test_pep440_prereleases_of_the_bound_are_below_it() -> None:
    rng = pep440_range("<2")
    assert rng is not None and not rng.reaches(Version("2.0.0"))
    assert pep440_range("<=2.0.0a1").below(Version("2.0.0"))


@pytest.mark.parametrize(("ecosystem", "package", "spec", "version", "major"), [
    (NPM, "socket.io", "^2.3.0", None, 2),
    (NPM, "socket.io", "~4.7.2", None, 4),
    (NPM, "socket.io", ">=2.0.0 <3.0.0", None, 2),
    (NPM, "socket.io", "<=3.0.0", None, 3),
    (NPM, "socket.io", ">=4", None, None),  # open upwards: the newest major is not known here
    (NPM, "socket.io", "^4.0.0", "4.8.1", 4),
    (NPM, "socket.io", "^2 || ^4", None, 4),
    (PYPI, "python-socketio", "~=5.3", None, 5),
    (PYPI, "python-socketio", ">=4,<5", None, 4),
    (PYPI, "python-socketio", "==4.*", None, 4),
    (PYPI, "python-socketio", "~=4.6.1", None, 4),
    (PYPI, "python-socketio", ">=4", None, None),
    (PYPI, "python-socketio", "", "4.6.1", 4),
])
def test_majors(ecosystem: str, package: str, spec: str, version: str | None, major: int | None) -> None:
    pin = Pin(ecosystem, package, version, spec, "deps", 1)
    found = majors(ProjectVersions((pin,)), ecosystem, package)
    assert found == (((major, pin),) if major is not None else ())
