"""Property: whatever mix of Socket.IO/CORS/JWT mistakes a file has, `fix` (unsafe included) leaves
valid Python, and fixing the fixed file changes nothing."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from authlint.testing import fix_files

SERVER_KWARGS = st.lists(
    st.sampled_from([
        "ping_timeout=2", "ping_timeout=20000", "ping_interval=25000", "cors_allowed_origins='*'",
        "cors_allowed_origins=['https://a.example/']", "cors_allow_origins='*'", "ping_timout=1",
        "cors_allowed_origins=[]", "async_mode='threading'", "cors_credentials=False", "max_connections=5",
    ]),
    unique_by=lambda kw: kw.split("=")[0],
    max_size=5,
)
LAYOUT = st.sampled_from(["inline", "multiline"])
JWT_LINES = st.lists(
    st.sampled_from([
        "tok = jwt.encode({'sub': 'u', 'exp': int(time.time()) + 5}, 'short', algorithm='HS256')",
        "tok = jwt.encode({'sub': 'u'}, KEY)",
        "c = jwt.decode(tok, KEY, algorithms=['HS256', 'none'])",
        "c = jwt.decode(tok, KEY, options={'verify_signature': False, 'verify_aud': False})",
        "c = jwt.decode(tok, KEY)",
        "c = jwt.decode(tok, KEY, algorithms=['HS256'], leeway=0)",
        "resp.set_cookie('access_token', tok)",
        "CORS(app, supports_credentials=True)",
    ]),
    max_size=4,
)


def _server(kwargs: list[str], layout: str) -> str:
    if layout == "inline":
        return f"sio = socketio.Server({', '.join(kwargs)})\n"
    inner = "".join(f"    {kw},\n" for kw in kwargs)
    return f"sio = socketio.Server(\n{inner})\n"


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(SERVER_KWARGS, LAYOUT, JWT_LINES, st.booleans())
def test_fixes_compile_and_are_idempotent(kwargs: list[str], layout: str, jwt_lines: list[str], origins: bool) -> None:
    code = "import time\nimport jwt\nimport socketio\nfrom flask_cors import CORS\n" + _server(kwargs, layout)
    code += "".join(line + "\n" for line in jwt_lines)
    overrides = {"allowed_origins": ["https://app.example.com"]} if origins else {}
    fixed = fix_files({"app.py": code}, unsafe=True, **overrides)["app.py"]
    compile(fixed, "app.py", "exec")
    assert fix_files({"app.py": fixed}, unsafe=True, **overrides)["app.py"] == fixed


def test_crlf_file_keeps_its_line_endings_through_multiline_fixes() -> None:
    code = (
        "import jwt\nimport socketio\nsio = socketio.Server(\n    ping_timeout=2,\n    cors_allow_origins=['https://a.example'],\n)\n"
        "c = jwt.decode(\n    tok,\n    KEY,\n    algorithms=['HS256'],\n    options={\n"
        "        'verify_signature': False,\n        'verify_aud': False,\n    },\n)\n"
        "class Config:\n    JWT_TOKEN_LOCATION = ['cookies']\n"
    ).replace("\n", "\r\n")
    fixed = fix_files({"app.py": code}, unsafe=True)["app.py"]
    assert "\n" not in fixed.replace("\r\n", "")
    compile(fixed, "app.py", "exec")
    assert fixed.replace("\r\n", "\n") == (
        "import jwt\nimport socketio\nsio = socketio.Server(\n    ping_timeout=20,\n    cors_allowed_origins=['https://a.example'],\n)\n"
        "c = jwt.decode(\n    tok,\n    KEY,\n    algorithms=['HS256'],\n    options={\n"
        "        'verify_aud': False,\n    },\n    leeway=10,\n)\n"
        "class Config:\n    JWT_TOKEN_LOCATION = ['cookies']\n    JWT_COOKIE_SECURE = True\n"
    )
