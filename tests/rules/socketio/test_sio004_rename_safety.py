"""SIO004's renames: an ignored option renamed takes effect, so the fix is safe only for options
that cannot open anything (timers, retry counts, loggers); never offered when it writes a duplicate."""

from __future__ import annotations

import pytest

from authlint.diagnostics.diagnostic import Applicability
from authlint.facts.knowledge import socketio_options
from authlint.testing import lint_files


def _sio004(path: str, text: str):
    return lint_files({path: text}, select=["SIO004"]).diagnostics


@pytest.mark.parametrize(
    "path, text, applicability",
    [
        ("app.py", "import socketio\nsio = socketio.Server(cors_allowed_origin='*')\n", Applicability.DISPLAY_ONLY),
        ("app.py", "import socketio\nsio = socketio.Server(cors_allowed_origin=['*'])\n", Applicability.DISPLAY_ONLY),
        ("app.py", "import socketio\nsio = socketio.Server(cors_allowed_origin='https://a.example')\n", Applicability.UNSAFE),
        ("app.py", "import socketio\nsio = socketio.Server(cors_allow_credentials=True)\n", Applicability.UNSAFE),
        ("app.py", "import socketio\nsio = socketio.Server(transport=['websocket'])\n", Applicability.UNSAFE),
        ("app.py", "import socketio\nsio = socketio.Server(cokie='io')\n", Applicability.UNSAFE),
        ("app.py", "import socketio\nc = socketio.Client()\nc.connect('http://x', auht={'token': 't'})\n", Applicability.UNSAFE),
        ("app.py", "import socketio\nsio = socketio.Server(ping_timout=30)\n", Applicability.SAFE),
        ("app.py", "import socketio\nsio = socketio.Server(pingInterval=30000)\n", Applicability.SAFE),
        ("app.py", "import socketio\nc = socketio.Client(reconection=False)\nc.connect('http://x')\n", Applicability.SAFE),
        ("server.ts", 'import { Server } from "socket.io";\nnew Server(srv, { pingTimout: 5000 });\n', Applicability.SAFE),
        ("server.ts", 'import { Server } from "socket.io";\nnew Server(srv, { cros: { origin: "*" } });\n', Applicability.UNSAFE),
        ("client.ts", 'import { io } from "socket.io-client";\nio(URL, { withCredential: true });\n', Applicability.UNSAFE),
    ],
)
def test_rename_class_follows_what_the_option_opens(path: str, text: str, applicability: Applicability) -> None:
    (finding,) = _sio004(path, text)
    assert finding.fix is not None
    assert finding.fix.applicability is applicability


def test_no_rename_into_an_option_the_call_sets() -> None:
    findings = _sio004("app.py", "import socketio\nsio = socketio.Server(cors_allowed_origins=['https://a'], cors_allowed_origin='*')\n")
    assert [d.fix for d in findings] == [None]
    assert "already sets `cors_allowed_origins`" in findings[0].message


def test_the_table_names_real_options_and_leaves_the_rest_unsafe() -> None:
    known = (
        socketio_options.PY_FLASK_SERVER | socketio_options.PY_CLIENT | socketio_options.PY_CONNECT
        | socketio_options.JS_SERVER | socketio_options.JS_CLIENT
    )
    assert socketio_options.CANNOT_OPEN <= known | set(socketio_options.ALL_DURATIONS)
    assert set(socketio_options.DECIDES) <= known
    assert not socketio_options.CANNOT_OPEN & set(socketio_options.DECIDES)
    for name in ("cors_allowed_origins", "cors_credentials", "cors", "auth", "transports", "cookie", "path"):
        assert socketio_options.renaming_opens(name) is not None
    # not listed either way: unsafe by default
    assert socketio_options.renaming_opens("json") is not None
