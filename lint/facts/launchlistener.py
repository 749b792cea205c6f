"""The client listener of a nats-server whose deployment, not a config file, decides it.

Two starts leave nats-server without a config file of the project to judge:

- *flags only*: the command starts nats-server without ``-c``. nats-server reads no config file by
  default, so the flags are all it has: ``--addr``/``-a`` (default ``0.0.0.0``), ``--port``/``-p``
  (default 4222) and, for authentication, ``--auth``, ``--user``/``--pass`` or ``--tlsverify``.
  On the official ``nats`` image any command replaces the image's ``CMD`` (``nats-server --config
  /etc/nats/nats-server.conf`` on alpine tags, ``--config nats-server.conf`` on scratch ones), so
  ``command: -js`` runs ``nats-server -js`` without the built-in config;
- *the image's own command*: the official image with no command runs its built-in
  ``nats-server.conf`` (nats-io/nats-docker, the same for 2.9.x, 2.10.x and later: ``port: 4222``,
  ``monitor_port: 8222``, a cluster block with route credentials, no client authorization), unless
  the deployment mounts something over it or builds its own image; a command that names that
  path with ``-c`` while nothing is mounted there reads the same built-in file.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass

from authlint.facts.model import NatsLaunch
from authlint.facts.natsflags import IMAGE_CONFIGS
from authlint.files.source import Span

DEFAULT_PORT = 4222  # nats-server's DEFAULT_PORT, and the image config's `port`
# flags that make nats-server print something and exit, or only test a config: no server runs
NOT_SERVING = frozenset({"help", "help_tls", "version", "signal", "t"})
AUTH_FLAGS = frozenset({"auth", "user", "pass", "tlsverify"})
IMAGE_CONFIG = "nats-server.conf"  # how messages name the image's built-in config


@dataclass(frozen=True)
class BareListener:
    """``origin``: "flags" (started by flags alone) or "image" (the image's built-in config).
    ``host``: the address the flags bind ("" : every interface); ``span``: what to point at (the
    command as written, or the ``image``)."""

    origin: str
    host: str
    port: int
    span: Span


def bare_listener(launch: NatsLaunch) -> BareListener | None:
    """The unauthenticated client listener of a launch no config of the project decides. None: a
    config decides it (``-c`` on a project file or a mount, judged where the config is),
    authentication flags are given, the address or port is not written literally, no server runs
    (``--help``, ``-t``), or the service inherits settings (``<<: *anchor``, ``extends``). ``-c`` on the image's own config path, with nothing mounted there,
    is the built-in config too."""
    if launch.inherits:
        return None  # a command, a mount or auth flags may come from what it inherits
    built_in = launch.stock and not _replaced(launch)
    if launch.config is not None and not (built_in and launch.config in IMAGE_CONFIGS):
        return None
    if launch.command_span is None and not built_in:
        return None
    span = launch.command_span or launch.image_span
    if span is None or any(f.name in NOT_SERVING or f.name in AUTH_FLAGS for f in launch.flags):
        return None
    host, port = launch.flag("addr"), launch.flag("port")
    if host is not None and (not host.literal or not host.value):
        return None
    number = DEFAULT_PORT
    if port is not None:
        if not port.literal or not (port.value or "").isdigit() or int(port.value or "0") == 0:
            return None  # a variable, or a random port (`-p -1`, `-p 0`)
        number = int(port.value or "0")
    origin = "flags" if launch.config is None and launch.command_span is not None else "image"
    return BareListener(origin, host.value if host is not None and host.value else "", number, span)


def _replaced(launch: NatsLaunch) -> bool:
    """Something is mounted at (or above) the built-in config's path: the image's file is not what runs."""
    for mount in launch.mounts:
        target = mount.target.rstrip("/") or "/"
        for default in IMAGE_CONFIGS:
            if default == target or default.startswith(target.rstrip("/") + "/") or target == posixpath.dirname(default):
                return True
    return False


def covers(ports: str, port: int) -> bool:
    """Whether a published container port (``"4222"``, ``"4222-4225"``) is ``port``; a variable is not known to be."""
    low, sep, high = ports.strip().partition("-")
    if not low.isdigit() or (sep and not high.isdigit()):
        return False
    return int(low) <= port <= int(high if sep else low)
