"""The nats-server version a project's configs are judged against, and where it came from.

- ``target-nats-version`` set (config file or ``settings=`` of an example): it wins.
- Else the project's nats-server pins (``nats_server``): the *lowest* exact version, because every
  config file must start on every server the repository runs (an image pinned at 2.9.25 in one
  compose file and 2.10.7 in another: a 2.10 key breaks the first).
- Else, with only partial tags: ``2.10`` / ``2.10-alpine`` counts as 2.10.0, the oldest server that
  tag can pull (keys and behaviours arrive in minor releases; a cached image may be the first
  patch). A major-only tag (``nats:2``) floats over every minor and gives no target.
- Else no target: nothing version-gated is reported, and a key is judged as the newest release
  authlint knows would judge it (``NEWEST``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from authlint.versions.model import NATS_SERVER


@dataclass(frozen=True)
class NatsTarget:
    version: tuple[int, int, int]
    source: str  # for messages: "target-nats-version is 2.10.0" / "target 2.10.7 from docker-compose.yml:12"

    @property
    def text(self) -> str:
        return ".".join(map(str, self.version))


def version_tuple(text: str) -> tuple[int, int, int]:
    """"2.10" means 2.10.0, "v2.11.1-RC" 2.11.1."""
    parts = [int(p) for p in re.findall(r"\d+", text)[:3]]
    return tuple(parts + [0] * (3 - len(parts)))  # type: ignore[return-value]


# the last (versions, detected target): every config of a run asks again with the same versions
_last: list = [None, None]


def nats_target(settings) -> NatsTarget | None:
    """The target of ``settings`` (explicit, else detected), or None when nothing says it."""
    configured = getattr(settings, "target_nats_version", None)
    if configured:
        return NatsTarget(version_tuple(configured), f"target-nats-version is {configured}")
    versions = settings.versions
    if _last[0] is versions:
        return _last[1]
    target = _detected(versions)
    _last[:] = [versions, target]
    return target


def _detected(versions) -> NatsTarget | None:
    pins = versions.of(NATS_SERVER, NATS_SERVER)
    exact = [(version_tuple(p.version), p) for p in pins if p.version]
    if exact:
        version, pin = min(exact, key=lambda item: (item[0], item[1].relpath, item[1].line))
        return NatsTarget(version, f"target {'.'.join(map(str, version))} from {pin.where}")
    partial = []
    for pin in pins:
        match = re.match(r"^v?(\d+)\.(\d+)(?![.\d])", pin.spec)
        if match:
            partial.append(((int(match.group(1)), int(match.group(2)), 0), pin))
    if partial:
        version, pin = min(partial, key=lambda item: (item[0], item[1].relpath, item[1].line))
        return NatsTarget(version, f"target {version[0]}.{version[1]} from {pin.where}")
    return None
