"""Files that only lend facts to project rules (``Rule.lend_triggers``) are parsed when a rule asks.

A run over a big tree meets hundreds of modules holding ``secret``, ``environ``, ``Authorization``
or ``socket``; before lending, every one was parsed and its facts extracted on each cold run. These
tests pin both halves: what a rule needs from such a file is still found through the runner (cold,
warm, forked, and as the in-memory run finds it), and what no rule asks for is never parsed.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import authlint.syntax
from authlint.config.settings import Settings
from authlint.files.prefilter import Prefilter
from authlint.rule import ALL_LENDERS
from authlint.rules import registry
from authlint.run.engine import Deferred, Linter
from authlint.run.runner import run_check
from authlint.testing import lint_files, make_settings

KEY_PROJECT = {
    "app/auth.py": (
        "import jwt\nfrom pkg.settings import APP_SECRET\n\n\n"
        "def token(user):\n"
        '    return jwt.encode({"sub": user, "exp": 1}, APP_SECRET, algorithm="HS256")\n'
    ),
    # a package re-exporting the key: found in a second round
    "pkg/settings/__init__.py": "from .base import APP_SECRET  # re-exported\n",
    "pkg/settings/base.py": 'import os\n\nAPP_SECRET = os.environ.get("APP_SECRET", "dev")\n',
    "unrelated.py": 'import os\n\nDATABASE_SECRET = os.environ["DATABASE_SECRET"]\n',
}
CORS_PROJECT = {
    "app.py": "from flask import Flask\nfrom flask_cors import CORS\n\napp = Flask(__name__)\nCORS(app)\n",
    "auth.py": (
        "from flask import request\n\n\n"
        'def bearer():\n    return request.headers.get("Authorization", "")\n'
    ),
}
SESSION = "\n\ndef user():\n    return session['user']\n"  # a cookie session, appended to app.py
HANDLER_PROJECT = {
    "app.py": "from flask import Flask\nfrom flask_socketio import SocketIO\n\napp = Flask(__name__)\nsio = SocketIO(app)\n",
    "handlers.py": (
        "from flask import request\n\nfrom app import sio\n\n\n"
        '@sio.on("connect")\ndef connect():\n    token = request.args.get("token")\n    if not token:\n        return False\n'
    ),
}


def _write(root: Path, files: dict[str, str]) -> None:
    (root / "authlint.toml").write_text("")
    for relpath, text in files.items():
        (root / relpath).parent.mkdir(parents=True, exist_ok=True)
        (root / relpath).write_text(text, encoding="utf-8")


@pytest.fixture
def parsed(monkeypatch) -> list[str]:
    """The relpaths parsed in this process (runs with ``jobs=1`` parse nowhere else)."""
    seen: list[str] = []
    real = authlint.syntax.parse

    def recording(source, ctx=None):
        seen.append(source.relpath)
        return real(source, ctx)

    monkeypatch.setattr(authlint.syntax, "parse", recording)
    return seen


def _findings(root: Path, **kw) -> list[tuple[str, str, str, str]]:
    settings = make_settings(root)
    linter = Linter(settings)
    result, _ = run_check([str(root)], settings, linter, **kw)
    assert not result.errors
    return [(d.path, d.code, d.message, d.severity.name.lower()) for d in result.diagnostics]


def _in_memory(files: dict[str, str]) -> list[tuple[str, str, str, str]]:
    return [(d.path, d.code, d.message, d.severity.name.lower()) for d in lint_files(files).diagnostics]


def test_a_key_is_followed_into_the_modules_it_is_imported_from_only(tmp_path: Path, parsed: list[str]) -> None:
    _write(tmp_path, KEY_PROJECT)
    cold = _findings(tmp_path, jobs=1, use_cache=False)
    assert ("pkg/settings/base.py", "JWT004") in {(path, code) for path, code, _, _ in cold}
    assert "pkg/settings/base.py" in parsed and "pkg/settings/__init__.py" in parsed
    assert "unrelated.py" not in parsed  # holds `secret` and `environ`, imported by nobody
    assert cold == _in_memory(KEY_PROJECT)  # the in-memory run joins every file: same answer
    assert _findings(tmp_path, jobs=2, use_cache=False) == cold
    assert _findings(tmp_path, jobs=1) == cold  # fills the cache (the unread file as deferred)
    parsed.clear()
    assert _findings(tmp_path, jobs=1) == cold  # warm: lenders come from the cache too
    assert parsed == []


def test_a_warm_run_reads_a_lender_a_rule_asks_for_only_now(tmp_path: Path) -> None:
    """The cache holds a deferred file unread; when an edit makes a rule ask for it, it is checked."""
    files = {**KEY_PROJECT, "app/auth.py": "import jwt\n\nKEY = 'x' * 64\n"}
    _write(tmp_path, files)
    assert not any(code == "JWT004" for _, code, _, _ in _findings(tmp_path, jobs=1))
    (tmp_path / "app/auth.py").write_text(KEY_PROJECT["app/auth.py"], encoding="utf-8")
    warm = _findings(tmp_path, jobs=1)
    assert ("pkg/settings/base.py", "JWT004") in {(path, code) for path, code, _, _ in warm}
    assert warm == _findings(tmp_path, jobs=1, use_cache=False)


def test_the_credential_channel_is_read_from_lenders_when_a_finding_needs_it(tmp_path: Path, parsed: list[str]) -> None:
    _write(tmp_path, CORS_PROJECT)
    found = _findings(tmp_path, jobs=1, use_cache=False)
    assert [(path, code, severity) for path, code, _, severity in found] == [("app.py", "COR001", "info")]
    assert "auth.py" in parsed
    assert found == _in_memory(CORS_PROJECT)


def test_the_channel_lenders_stay_unread_once_a_cookie_session_is_seen(tmp_path: Path, parsed: list[str]) -> None:
    files = {**CORS_PROJECT, "app.py": "from flask import session\n" + CORS_PROJECT["app.py"] + SESSION}
    _write(tmp_path, files)
    found = _findings(tmp_path, jobs=1, use_cache=False)
    assert [(path, code, severity) for path, code, _, severity in found] == [("app.py", "COR001", "error")]
    assert "auth.py" not in parsed  # a bearer read elsewhere cannot soften it any more
    assert found == _in_memory(files)


def test_a_handler_registered_in_another_module_is_borrowed(tmp_path: Path) -> None:
    _write(tmp_path, HANDLER_PROJECT)
    found = _findings(tmp_path, jobs=1, use_cache=False)
    assert ("handlers.py", "SIO006") in {(path, code) for path, code, _, _ in found}
    assert found == _in_memory(HANDLER_PROJECT)
    assert _findings(tmp_path, jobs=1) == found and _findings(tmp_path, jobs=1) == found


def test_nothing_is_borrowed_without_a_rule_asking(tmp_path: Path, parsed: list[str]) -> None:
    files = {
        "config.py": 'import os\n\nSECRET = os.environ.get("SECRET", "x")\n',
        "web.py": 'def bearer(request):\n    return request.headers["Authorization"]\n',
        "chat.py": "def on(sio, query):\n    return sio.emit(query)\n",
    }
    _write(tmp_path, files)
    assert _findings(tmp_path, jobs=1, use_cache=False) == []
    assert parsed == []


def test_the_prefilter_tells_lenders_by_word_groups() -> None:
    prefilter = Prefilter(rule() for rule in registry().values())
    every = frozenset(code for code, rule in registry().items() if rule.lend_triggers)
    assert {"JWT004", "JWT005"} <= prefilter.lends("python", b"import os\nx = os.environ['k']\n", every)
    assert prefilter.lends("python", b"import os\nx = os.environ['k']\n", frozenset({"SIO006"})) == frozenset()
    assert "SIO006" not in prefilter.lends("python", b"@sio.on('connect')\n", every)  # registers, reads no query
    assert "SIO006" in prefilter.lends("python", b"@sio.on('connect')\nrequest.args.get('t')\n", every)
    assert "yaml" not in prefilter.lend_kinds or prefilter.lends("yaml", b"secret: 1\n", every) == frozenset()


def test_load_defers_a_lender_until_asked_and_searches_it_for_those_asking(tmp_path: Path) -> None:
    (tmp_path / "config.py").write_text('import os\nSECRET = os.environ["S"]\n')
    linter = Linter(Settings(root=tmp_path))
    eager = linter.prefilter.eager["python"]  # few words: searched at once, asked or not
    assert {"SIO005", "SIO006"} <= eager and not {"JWT004", "JWT005", "COR001"} & eager
    nobody = Deferred(frozenset(), eager)
    assert linter.load(tmp_path / "config.py", "config.py") == nobody
    linter.borrow({"JWT004": frozenset({("python", "other")})})
    assert linter.load(tmp_path / "config.py", "config.py") == nobody  # not the module asked for
    linter.borrow({"COR001": ALL_LENDERS})
    assert linter.load(tmp_path / "config.py", "config.py") == Deferred(frozenset(), eager | {"COR001"})
    linter.borrow({"JWT004": frozenset({("python", "config")})})
    loaded = linter.load(tmp_path / "config.py", "config.py")
    assert not isinstance(loaded, Deferred) and loaded.lends == frozenset({"JWT004"})
    linter.borrow({"JWT004": frozenset({("python", "more")})})  # widened, never narrowed
    assert linter.asking("python", "config.py") == frozenset({"JWT004", "COR001"})
    assert linter.lending["COR001"] == ALL_LENDERS
