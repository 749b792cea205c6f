"""SIO004's renames against python-socketio itself: the cors typo is left alone by the safe fixes
(it was ignored: the server is same-origin only), a rename into a wildcard is never applied, and
the unsafe rename of a real origin gives keywords the library reads. The fixed file is never executed: its keywords are read with ``ast`` and passed to
``socketio.Server`` here."""

from __future__ import annotations

import ast

import pytest

from authlint.testing import fix_files

socketio = pytest.importorskip("socketio")

APP = "app.py"
TYPO = "import socketio\n\nsio = socketio.Server(\n    async_mode='threading',\n    cors_allowed_origin='*',  # meant: origins\n)\n"


def _server_keywords(text: str) -> dict[str, object]:
    """The literal keyword arguments of the file's ``socketio.Server(...)`` call."""
    for node in ast.walk(ast.parse(text)):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "Server":
            return {kw.arg: ast.literal_eval(kw.value) for kw in node.keywords if kw.arg is not None}
    raise AssertionError("no Server call")


def test_the_typo_is_ignored_by_python_socketio() -> None:
    server = socketio.Server(**_server_keywords(TYPO))
    assert server.eio.cors_allowed_origins is None  # the default: same origin only


def test_safe_fixes_leave_the_cors_typo_unrenamed() -> None:
    fixed = fix_files({APP: TYPO}, unsafe=False, select=["SIO004"])[APP]
    assert fixed == TYPO
    assert socketio.Server(**_server_keywords(fixed)).eio.cors_allowed_origins is None


def test_a_wildcard_rename_is_never_applied() -> None:
    """Renamed as written, the same-origin server would accept every origin: display-only."""
    assert fix_files({APP: TYPO}, unsafe=True, select=["SIO004"])[APP] == TYPO


def test_the_unsafe_rename_is_read_by_python_socketio() -> None:
    typo = TYPO.replace("'*'", "['https://app.example.com']")
    fixed = fix_files({APP: typo}, unsafe=True, select=["SIO004"])[APP]
    assert "cors_allowed_origins=['https://app.example.com'],  # meant: origins" in fixed
    keywords = _server_keywords(fixed)
    assert set(keywords) == {"async_mode", "cors_allowed_origins"}
    server = socketio.Server(**keywords)
    # what the author wrote, and why the fix is unsafe: that origin may now connect
    assert server.eio.cors_allowed_origins == ["https://app.example.com"]


def test_safe_timer_rename_is_applied_and_read() -> None:
    text = "import socketio\nsio = socketio.Server(async_mode='threading', pingInterval=30000)\n"
    fixed = fix_files({APP: text}, unsafe=False, select=["SIO004"])[APP]
    server = socketio.Server(**_server_keywords(fixed))
    assert server.eio.ping_interval == 30


def test_a_rename_into_a_set_option_would_not_compile_so_none_is_made() -> None:
    text = "import socketio\nsio = socketio.Server(cors_allowed_origins=['https://a'], cors_allowed_origin='*')\n"
    fixed = fix_files({APP: text}, unsafe=True, select=["SIO004"])[APP]
    assert fixed == text
    with pytest.raises(SyntaxError):
        compile(text.replace("cors_allowed_origin=", "cors_allowed_origins="), APP, "exec")
    assert socketio.Server(**_server_keywords(fixed)).eio.cors_allowed_origins == ["https://a"]
