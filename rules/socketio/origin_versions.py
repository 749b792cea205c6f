"""What the release a project runs makes of a Socket.IO server's origin settings (SIO002, SIO003).

Before socket.io 3.0 a server with no origin setting allowed every origin (`origins: '*:*'`) and
ignored `cors`; before python-engineio 3.9 (python-socketio 4.3) a server without
`cors_allowed_origins` allowed every origin and reflected it with credentials. The facts name the
gates (``SocketIOServer.any_origin_before``, ``origin_setting_since``); this module asks the pins.
"""

from __future__ import annotations

from dataclasses import dataclass

from authlint.facts.model import SocketIOServer, VersionGate
from authlint.versions import ranges
from authlint.versions.model import Pin, ProjectVersions

# the wildcard values socket.io 2's `origins` reads as "every origin"
LEGACY_ANY = frozenset({"*:*", "*"})


@dataclass(frozen=True)
class Running:
    """A gate the project's pins answer with yes, and the pin that says so."""

    gate: VersionGate
    pin: Pin

    @property
    def described(self) -> str:
        return f"{self.gate.dependency.package} before {self.gate.before} ({self.pin.where})"


def _below(versions: ProjectVersions, gate: VersionGate) -> tuple[bool | None, Pin | None]:
    dependency = gate.dependency
    below = ranges.runs_below(versions, dependency.ecosystem, dependency.package, gate.before)
    pin = ranges.first_below(versions, dependency.ecosystem, dependency.package, gate.before) if below else None
    return below, pin


def any_origin_by_default(server: SocketIOServer, versions: ProjectVersions) -> Running | None:
    """The release the project runs allows every origin when none is written: the first gate whose
    answer is known decides."""
    for gate in server.any_origin_before:
        below, pin = _below(versions, gate)
        if below is None:
            continue
        return Running(gate, pin) if below and pin is not None else None
    return None


def origin_setting_ignored(server: SocketIOServer, versions: ProjectVersions) -> Running | None:
    """The release the project runs predates the origin setting the code writes (socket.io 2 and `cors`)."""
    gate = server.origin_setting_since
    if gate is None:
        return None
    below, pin = _below(versions, gate)
    return Running(gate, pin) if below and pin is not None else None


def legacy_allows_any(server: SocketIOServer) -> bool | None:
    """socket.io 2's `origins` as written: every origin (True), a list (False), unknown (None)."""
    legacy = server.legacy_origins
    if legacy is None:
        return True  # not written: '*:*'
    if not legacy.known:
        return None
    values = legacy.value if isinstance(legacy.value, list) else [legacy.value]
    return any(isinstance(value, str) and value in LEGACY_ANY for value in values)


def version_allows_any(server: SocketIOServer, versions: ProjectVersions) -> Running | None:
    """Every origin may connect because of the release the project runs (not because of what the
    code writes): socket.io 2 without a restricting `origins`, or a python-engineio < 3.9 default."""
    ignored = origin_setting_ignored(server, versions)
    if ignored is not None:
        return ignored if legacy_allows_any(server) else None
    policy = server.cors
    if policy is not None and not policy.allowed.default:
        return None  # an origin setting the release reads is written: it decides
    return any_origin_by_default(server, versions)
