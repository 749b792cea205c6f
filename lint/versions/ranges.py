"""Which version a project runs, from its pins: the questions version-aware rules ask.

A rule asks "may this project run jsonwebtoken < 9?" (``runs_below``) or "which major of socket.io
does it run?" (``majors``) and gets yes / no / unknown (``True`` / ``False`` / ``None``). The
answer prefers exact versions (a lock file, ``==2.8.0``); when only a range is declared it is the
version a fresh install gets, because npm and pip both install the highest version that satisfies
the range: ``^8.5.1`` runs 8.x (below 9), ``>=8`` runs the newest release (not below 9), ``*`` too.

npm ranges (``^``, ``~``, x-ranges, hyphen ranges, ``||``, comparators, prerelease tags) are read by
the small implementation below, following node-semver's range grammar; PyPI specifiers (PEP 440)
by ``packaging``. A range this module cannot read is "unknown", never a guess.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import total_ordering
from typing import Any, Iterable

from packaging.specifiers import InvalidSpecifier, SpecifierSet
from packaging.version import InvalidVersion, Version

from authlint.versions.model import NPM, PYPI, Pin, ProjectVersions

# -- npm versions ---------------------------------------------------------------------------------


@total_ordering
@dataclass(frozen=True)
class NpmVersion:
    """``major.minor.patch[-prerelease]`` ordered as semver orders it (build metadata ignored)."""

    major: int
    minor: int
    patch: int
    prerelease: tuple[int | str, ...] = ()

    def _key(self) -> tuple[Any, ...]:
        # a release sorts after its prereleases; numeric identifiers before alphanumeric ones
        pre = tuple((0, part, "") if isinstance(part, int) else (1, 0, part) for part in self.prerelease)
        return (self.major, self.minor, self.patch, 0 if self.prerelease else 1, pre)

    def __lt__(self, other: NpmVersion) -> bool:
        return self._key() < other._key()

    @property
    def release(self) -> tuple[int, int, int]:
        return (self.major, self.minor, self.patch)


_NPM_VERSION = re.compile(
    r"^\s*v?=?\s*(\d+)\.(\d+)\.(\d+)(?:-([0-9A-Za-z.-]+))?(?:\+[0-9A-Za-z.-]+)?\s*$"
)


def npm_version(text: str) -> NpmVersion | None:
    """``1.2.3``, ``v1.2.3-beta.1+build``; None when not a full version."""
    found = _NPM_VERSION.match(text)
    if found is None:
        return None
    pre = tuple(int(part) if part.isdigit() else part for part in found.group(4).split(".")) if found.group(4) else ()
    return NpmVersion(int(found.group(1)), int(found.group(2)), int(found.group(3)), pre)


# -- intervals: one shape for both ecosystems -----------------------------------------------------


@dataclass(frozen=True)
class Interval:
    """Versions between ``low`` and ``high`` (None: unbounded), each end inclusive or not."""

    low: Any = None
    low_inclusive: bool = True
    high: Any = None
    high_inclusive: bool = False

    def empty(self) -> bool:
        if self.low is None or self.high is None:
            return False
        return self.low > self.high or (self.low == self.high and not (self.low_inclusive and self.high_inclusive))

    def intersect(self, other: Interval) -> Interval:
        low, low_inc = self.low, self.low_inclusive
        if other.low is not None and (low is None or other.low > low or (other.low == low and not other.low_inclusive)):
            low, low_inc = other.low, other.low_inclusive
        high, high_inc = self.high, self.high_inclusive
        if other.high is not None and (high is None or other.high < high or (other.high == high and not other.high_inclusive)):
            high, high_inc = other.high, other.high_inclusive
        return Interval(low, low_inc, high, high_inc)

    def reaches(self, bound: Any) -> bool:
        """Some version in the interval is ``bound`` or newer."""
        if self.empty():
            return False
        if self.high is None:
            return True
        return self.high > bound or (self.high == bound and self.high_inclusive)

    def below(self, bound: Any) -> bool:
        """Some version in the interval is older than ``bound``."""
        if self.empty():
            return False
        return self.low is None or self.low < bound

    def admits(self, version: Any) -> bool:
        if self.low is not None and (version < self.low or (version == self.low and not self.low_inclusive)):
            return False
        return self.high is None or version < self.high or (version == self.high and self.high_inclusive)


@dataclass(frozen=True)
class Range:
    """What a declared range admits: a union of intervals (npm ``||``; one interval for PEP 440)."""

    intervals: tuple[Interval, ...]

    def reaches(self, bound: Any) -> bool:
        return any(interval.reaches(bound) for interval in self.intervals)

    def below(self, bound: Any) -> bool:
        return any(interval.below(bound) for interval in self.intervals)

    def empty(self) -> bool:
        return all(interval.empty() for interval in self.intervals)

    def admits(self, version: Any) -> bool:
        """Whether ``version`` is in the range (prereleases are not singled out)."""
        return any(interval.admits(version) for interval in self.intervals)


# -- npm ranges -----------------------------------------------------------------------------------

_PARTIAL = r"v?=?\s*(?:[xX*]|\d+)(?:\.(?:[xX*]|\d+)(?:\.(?:[xX*]|\d+)(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?)?)?"
_HYPHEN = re.compile(rf"^\s*({_PARTIAL})\s+-\s+({_PARTIAL})\s*$")
_COMPARATOR = re.compile(rf"^(\^|~>?|<=|>=|<|>|=)?\s*({_PARTIAL})$")
_PARTIAL_PARTS = re.compile(
    r"^v?=?\s*([xX*]|\d+)(?:\.([xX*]|\d+)(?:\.([xX*]|\d+)(?:-([0-9A-Za-z.-]+))?(?:\+[0-9A-Za-z.-]+)?)?)?$"
)
_WILD = ("x", "X", "*")


@dataclass(frozen=True)
class _Partial:
    parts: tuple[int | None, ...]  # major, minor, patch; None where wild or missing
    prerelease: tuple[int | str, ...]

    @property
    def given(self) -> int:
        """How many leading parts are numbers."""
        count = 0
        for part in self.parts:
            if part is None:
                break
            count += 1
        return count

    def floor(self) -> NpmVersion:
        major, minor, patch = ((p if p is not None else 0) for p in self.parts)
        return NpmVersion(major, minor, patch, self.prerelease if self.given == 3 else ())


def _partial(text: str) -> _Partial | None:
    found = _PARTIAL_PARTS.match(text.strip())
    if found is None:
        return None
    parts: list[int | None] = []
    for group in found.groups()[:3]:
        parts.append(None if group is None or group in _WILD else int(group))
    if parts[0] is None:
        parts = [None, None, None]
    elif parts[1] is None:
        parts[2] = None
    pre = tuple(int(p) if p.isdigit() else p for p in found.group(4).split(".")) if found.group(4) else ()
    return _Partial(tuple(parts), pre)


def _zero() -> NpmVersion:
    return NpmVersion(0, 0, 0, (0,))  # below every version, prereleases included


def _next(partial: _Partial, position: int) -> NpmVersion:
    """The first version past ``partial`` at ``position`` (0 major, 1 minor, 2 patch), as a
    ``-0`` prerelease so that the prereleases of that version stay outside the range."""
    numbers = [p if p is not None else 0 for p in partial.parts]
    numbers[position] += 1
    for later in range(position + 1, 3):
        numbers[later] = 0
    return NpmVersion(numbers[0], numbers[1], numbers[2], (0,))


def _comparator(operator: str, partial: _Partial) -> Interval | None:
    given = partial.given
    if operator in ("", "="):
        if given == 0:
            return Interval()
        if given == 3:
            version = partial.floor()
            return Interval(version, True, version, True)
        return Interval(partial.floor(), True, _next(partial, given - 1), False)
    if operator.startswith("~"):
        if given == 0:
            return Interval()
        return Interval(partial.floor(), True, _next(partial, 0 if given == 1 else 1), False)
    if operator == "^":
        if given == 0:
            return Interval()
        major, minor, patch = partial.parts
        if major != 0 or given == 1:
            return Interval(partial.floor(), True, _next(partial, 0), False)
        if minor != 0 or given == 2:
            return Interval(partial.floor(), True, _next(partial, 1), False)
        return Interval(partial.floor(), True, _next(partial, 2), False)
    if operator == ">":
        if given == 0:
            return Interval(_zero(), True, _zero(), False)  # ">*" admits nothing
        if given == 3:
            return Interval(partial.floor(), False)
        return Interval(_next(partial, given - 1), True)
    if operator == ">=":
        return Interval(partial.floor() if given else None, True)
    if operator == "<":
        if given == 0:
            return Interval(_zero(), True, _zero(), False)
        return Interval(None, True, NpmVersion(*partial.floor().release, partial.prerelease or (0,)), False)
    if operator == "<=":
        if given == 0:
            return Interval()
        if given == 3:
            return Interval(None, True, partial.floor(), True)
        return Interval(None, True, _next(partial, given - 1), False)
    return None


def _comparator_set(text: str) -> Interval | None:
    hyphen = _HYPHEN.match(text)
    if hyphen is not None:
        low, high = _partial(hyphen.group(1)), _partial(hyphen.group(2))
        if low is None or high is None:
            return None
        start = Interval(low.floor(), True) if low.given else Interval()
        end = _comparator("<=", high)
        return start.intersect(end) if end is not None else None
    # operators may be separated from their version by spaces (">= 1.2.3")
    tokens = re.sub(r"(\^|~>?|<=|>=|<|>|=)\s+", r"\1", text.strip()).split()
    interval = Interval()
    for token in tokens or ["*"]:
        found = _COMPARATOR.match(token)
        partial = _partial(found.group(2)) if found is not None else None
        if found is None or partial is None:
            return None
        part = _comparator(found.group(1) or "", partial)
        if part is None:
            return None
        interval = interval.intersect(part)
    return interval


def npm_range(spec: str) -> Range | None:
    """The versions an npm range admits (prereleases aside), or None when it is not a semver range
    (a git URL, a tag such as ``latest``, a ``file:`` or ``workspace:`` reference)."""
    text = spec.strip()
    if text.startswith("npm:") and "@" in text:
        text = text.rsplit("@", 1)[1]  # an alias, "npm:jsonwebtoken@^8"
    if text in ("", "latest"):
        return Range((Interval(),)) if text == "" else None
    intervals = []
    for alternative in text.split("||"):
        interval = _comparator_set(alternative)
        if interval is None:
            return None
        intervals.append(interval)
    return Range(tuple(intervals))


# -- PEP 440 specifiers ---------------------------------------------------------------------------


def _pep440_interval(operator: str, text: str) -> Interval | None:
    """One specifier as an interval; ``!=`` and arbitrary equality admit (nearly) everything."""
    wildcard = text.endswith(".*")
    try:
        version = Version(text[:-2] if wildcard else text)
    except InvalidVersion:
        return None
    release = version.release
    if operator == "==" and wildcard:
        upper = (*release[:-1], release[-1] + 1)
        return Interval(Version(".".join(map(str, release)) + ".dev0"), True,
                        Version(".".join(map(str, upper)) + ".dev0"), False)
    if operator in ("==", "==="):
        return Interval(version, True, version, True)
    if operator == "~=":
        if len(release) < 2:
            return None
        upper = (*release[:-2], release[-2] + 1)
        return Interval(version, True, Version(".".join(map(str, upper)) + ".dev0"), False)
    if operator == ">=":
        return Interval(version, True)
    if operator == ">":
        return Interval(version, False)
    if operator == "<":
        return Interval(None, True, version if version.is_prerelease else Version(f"{version.public}.dev0"), False)
    if operator == "<=":
        return Interval(None, True, version, True)
    if operator == "!=":
        return Interval()
    return None


def pep440_range(spec: str) -> Range | None:
    """The versions a PEP 440 specifier set admits, as one interval; None when it cannot be read."""
    text = spec.strip()
    try:
        specifiers = SpecifierSet(text)
    except InvalidSpecifier:
        return None
    interval = Interval()
    for specifier in specifiers:
        part = _pep440_interval(specifier.operator, specifier.version)
        if part is None:
            return None
        interval = interval.intersect(part)
    return Range((interval,))


# -- the questions rules ask ----------------------------------------------------------------------


def parse_version(ecosystem: str, text: str) -> Any | None:
    if ecosystem == NPM:
        return npm_version(text)
    try:
        return Version(text)
    except InvalidVersion:
        return None


def parse_range(ecosystem: str, spec: str) -> Range | None:
    if ecosystem == NPM:
        return npm_range(spec)
    if ecosystem == PYPI:
        return pep440_range(spec)
    return None


@dataclass(frozen=True)
class Running:
    """What one pin says the project runs: an exact version, or the range a fresh install picks from."""

    pin: Pin
    version: Any | None  # parsed exact version (NpmVersion / packaging Version)
    range: Range | None  # the declared range, when no exact version is written

    def below(self, bound: Any) -> bool | None:
        """Whether it runs a version older than ``bound``: a fresh install of a range gets its highest
        version, which is older than ``bound`` only when the range reaches no version at or past it."""
        if self.version is not None:
            return self.version < bound
        if self.range is None or self.range.empty():
            return None
        return not self.range.reaches(bound)

    @property
    def major(self) -> int | None:
        """The major it runs: the exact version's, or the one major a bounded range stays inside
        (``^4.7.2``, ``~=5.3``, ``>=4,<5``); None for a range open upwards (its newest release is not known here)."""
        if self.version is not None:
            return _major(self.version)
        if self.range is None or self.range.empty():
            return None
        majors = set()
        for interval in self.range.intervals:
            if interval.empty():
                continue
            if interval.high is None:
                return None
            high = _major(interval.high)
            top = high if interval.high_inclusive or not _starts_major(interval.high) else high - 1
            majors.add(top)
        return max(majors) if majors else None


def _major(version: Any) -> int:
    return version.major


def _starts_major(version: Any) -> bool:
    """``5.0.0-0`` / ``5.0.0.dev0`` / ``5.0.0``: the first version of a major (an exclusive upper
    end there keeps the range in the major before)."""
    if isinstance(version, NpmVersion):
        return version.minor == 0 and version.patch == 0 and version.prerelease in ((), (0,))
    release = tuple(version.release) + (0, 0)
    return release[1] == 0 and release[2] == 0 and (version.pre is None or version.dev == 0)


def running(versions: ProjectVersions, ecosystem: str, package: str) -> tuple[Running, ...]:
    """What the project's pins of one package say it runs: the exact pins (lock files, ``==``) when
    there are any, else the declared ranges. Empty when nothing is known."""
    memo: dict[tuple[str, str], tuple[Running, ...]] = versions.__dict__.setdefault("_running_memo", {})
    found = memo.get((ecosystem, package))
    if found is None:  # asked per file and per rule: parsed once per project's versions
        found = memo[ecosystem, package] = _running(versions, ecosystem, package)
    return found


def _running(versions: ProjectVersions, ecosystem: str, package: str) -> tuple[Running, ...]:
    pins = versions.of(ecosystem, package)
    exact = [pin for pin in pins if pin.version and parse_version(ecosystem, pin.version) is not None]
    if exact:
        return tuple(Running(pin, parse_version(ecosystem, pin.version or ""), None) for pin in exact)
    # a package named without a range ("PyJWT", "*"): a fresh install gets the newest release
    return tuple(Running(pin, None, parse_range(ecosystem, pin.spec)) for pin in pins if not pin.version)


def runs_below(versions: ProjectVersions, ecosystem: str, package: str, bound: str) -> bool | None:
    """May the project run ``package`` older than ``bound``? True when a pin says so, False when every
    pin says it runs ``bound`` or newer, None when unknown (no pin, or one that cannot be read)."""
    limit = parse_version(ecosystem, bound)
    if limit is None:
        raise ValueError(f"not a {ecosystem} version: {bound!r}")
    answers = [run.below(limit) for run in running(versions, ecosystem, package)]
    return _any(answers)


def first_below(versions: ProjectVersions, ecosystem: str, package: str, bound: str) -> Pin | None:
    """The pin that says the project runs ``package`` older than ``bound`` (for messages)."""
    limit = parse_version(ecosystem, bound)
    return next((run.pin for run in running(versions, ecosystem, package) if run.below(limit)), None)


def majors(versions: ProjectVersions, ecosystem: str, package: str) -> tuple[tuple[int, Pin], ...]:
    """Each major the project's pins of ``package`` say it runs, with the pin that says so; pins
    whose major cannot be told are left out."""
    found = []
    for run in running(versions, ecosystem, package):
        major = run.major
        if major is not None:
            found.append((major, run.pin))
    return tuple(found)


def _any(answers: Iterable[bool | None]) -> bool | None:
    """Yes when one says yes; no when all say no; else unknown."""
    listed = list(answers)
    if any(answer is True for answer in listed):
        return True
    if listed and all(answer is False for answer in listed):
        return False
    return None
