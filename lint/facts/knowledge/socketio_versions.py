"""Socket.IO across releases: which package decides the protocol a server or client speaks, the
Engine.IO protocol revision of each major, and the releases whose servers allowed every origin.

From the compatibility charts of python-socketio (README "Version compatibility", docs/intro.rst),
Flask-SocketIO (docs/intro.rst) and socket.io ("Client installation": version compatibility):

| JS socket.io / socket.io-client | Engine.IO protocol | python-socketio | python-engineio | Flask-SocketIO |
| 0.9.x                           | 1, 2               | -               | -               | -              |
| 1.x, 2.x                        | 3                  | 4.x             | 3.x             | 4.x            |
| 3.x, 4.x                        | 4                  | 5.x             | 4.x             | 5.x            |

Older Python majors (python-socketio 1-3, python-engineio 1-2, Flask-SocketIO 1-3) spoke Engine.IO 3
too. A major past the chart is unknown (None): no rule guesses what a future release speaks.
"""

from __future__ import annotations

from authlint.facts.model import Dependency, VersionGate

SOCKET_IO = Dependency("npm", "socket.io")
SOCKET_IO_CLIENT = Dependency("npm", "socket.io-client")
PYTHON_SOCKETIO = Dependency("pypi", "python-socketio")
PYTHON_ENGINEIO = Dependency("pypi", "python-engineio")
FLASK_SOCKETIO = Dependency("pypi", "flask-socketio")

# the packages whose version decides what a server/client of each library speaks, most specific first
PY_SERVER_PACKAGES = {
    "flask-socketio": (FLASK_SOCKETIO, PYTHON_SOCKETIO, PYTHON_ENGINEIO),
    "python-socketio": (PYTHON_SOCKETIO, PYTHON_ENGINEIO),
    "python-engineio": (PYTHON_ENGINEIO,),
}
PY_CLIENT_PACKAGES = (PYTHON_SOCKETIO, PYTHON_ENGINEIO)
JS_SERVER_PACKAGES = (SOCKET_IO,)
JS_CLIENT_PACKAGES = (SOCKET_IO_CLIENT,)

# major -> Engine.IO protocol revision, per package; majors outside the table are unknown
_REVISIONS: dict[Dependency, dict[int, int]] = {
    SOCKET_IO: {0: 2, 1: 3, 2: 3, 3: 4, 4: 4},
    SOCKET_IO_CLIENT: {0: 2, 1: 3, 2: 3, 3: 4, 4: 4},
    PYTHON_SOCKETIO: {1: 3, 2: 3, 3: 3, 4: 3, 5: 4},
    PYTHON_ENGINEIO: {1: 3, 2: 3, 3: 3, 4: 4},
    FLASK_SOCKETIO: {1: 3, 2: 3, 3: 3, 4: 3, 5: 4},
}


def engineio_revision(dependency: Dependency, major: int) -> int | None:
    """The Engine.IO protocol revision a major of the package speaks, or None when not charted."""
    return _REVISIONS.get(dependency, {}).get(major)


# Servers that allowed every origin when no origin setting was written: socket.io before 3.0
# (`origins` defaulted to '*:*', lib/index.js at 2.5.0), python-engineio before 3.9.0 (the same-origin
# default came with "Address potential websocket cross-origin attacks", CVE-2019-13611) and
# python-socketio before 4.3.0 (which requires python-engineio < 3.9 up to 4.2.x).
PY_ANY_ORIGIN_BEFORE = (VersionGate(PYTHON_ENGINEIO, "3.9.0"), VersionGate(PYTHON_SOCKETIO, "4.3.0"))
JS_ANY_ORIGIN_BEFORE = (VersionGate(SOCKET_IO, "3.0.0"),)
# socket.io's `cors` option exists from 3.0.0; 2.x ignores it and reads `origins` ('*:*' by default)
JS_CORS_OPTION_SINCE = VersionGate(SOCKET_IO, "3.0.0")
JS_V2_ORIGIN_SETTING = "origins"
# socket.io >= 3: `allowEIO3: true` lets Engine.IO 3 clients in (engine.io lib/server.ts)
ALLOW_OLDER_PROTOCOL = "allowEIO3"
