"""``Project.per_file``: a project rule's per-file pass skips a file that does not parse, and only it."""

from __future__ import annotations

import pytest

from authlint.testing import lint_files

BROKEN = "import socketio\nimport jwt\nsio = socketio.Server(\n"  # never closed: does not parse


@pytest.mark.parametrize(
    ("code", "text"),
    [
        ("SIO003", "import socketio\nsio = socketio.Server(cors_allowed_origins='*')\n"),
        ("SIO005", "import socketio\nimport jwt\nsio = socketio.Server()\njwt.decode(t, K, algorithms=['HS256'])\n"),
        ("JWT004", "import jwt\njwt.encode({'exp': 1}, 'dev', algorithm='HS256')\n"),
    ],
)
def test_a_broken_file_does_not_hide_the_others_findings(code: str, text: str) -> None:
    found = lint_files({"a_broken.py": BROKEN, "server.py": text}).diagnostics
    assert [d.path for d in found if d.code == "E001"] == ["a_broken.py"]
    assert [d.path for d in found if d.code == code] == ["server.py"]
