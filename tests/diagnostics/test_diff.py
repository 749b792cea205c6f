"""The fix diff: GNU diff's hunks and ``\\ No newline at end of file`` markers, line ends kept, only
secret values masked."""

from __future__ import annotations

import codecs
import shutil
import subprocess
from pathlib import Path

import pytest

from authlint.diagnostics.diff import NO_NEWLINE, diff_lines, unified_diff
from authlint.facts.secrets import merged
from authlint.facts.secrets.patterns import pattern_spans
from authlint.files.source import Source, Span

GNU_DIFF = shutil.which("diff")
PATCH = shutil.which("patch")


def _source(text: str, relpath: str = "app.py", kind: str = "python", bom: bytes = b"") -> Source:
    return Source(path=Path(relpath), relpath=relpath, text=text, kind=kind, bom=bom)


def _body(diff: str) -> list[str]:
    """The diff without its two header lines (GNU diff heads them with dates)."""
    return diff.splitlines(keepends=True)[2:]


PAIRS = {
    "old side lacks the final newline": ("a = 1\nb = 2", "a = 1\nb = 3\n"),
    "new side lacks the final newline": ("a = 1\nb = 2\n", "a = 1\nb = 3"),
    "both sides lack it, last line changed": ("a = 1\nb = 2", "a = 1\nb = 3"),
    "both sides lack it, last line is context": ("a = 1\nb = 2\nc = 3", "a = 0\nb = 2\nc = 3"),
    "only the final newline goes": ("a = 1\nb = 2\n", "a = 1\nb = 2"),
    "only the final newline comes": ("a = 1\nb = 2", "a = 1\nb = 2\n"),
    "crlf lines keep their carriage return": ("a = 1\r\nb = 2\r\n", "a = 1\r\nb = 3\r\n"),
    "a form feed splits no line": ("a = 1\x0cb = 2\nc = 3\n", "a = 1\x0cb = 2\nc = 4\n"),
}


@pytest.mark.skipif(GNU_DIFF is None, reason="GNU diff is not installed")
@pytest.mark.parametrize("old, new", list(PAIRS.values()), ids=list(PAIRS))
def test_hunks_are_gnu_diffs(old: str, new: str, tmp_path: Path) -> None:
    (tmp_path / "old").write_bytes(old.encode())
    (tmp_path / "new").write_bytes(new.encode())
    gnu = subprocess.run([GNU_DIFF, "-u", "old", "new"], cwd=tmp_path, capture_output=True, check=False)
    ours = unified_diff(_source(old), _source(new))
    assert _body(ours) == _body(gnu.stdout.decode())
    assert ours.startswith("--- a/app.py\n+++ b/app.py\n")


@pytest.mark.skipif(PATCH is None, reason="GNU patch is not installed")
@pytest.mark.parametrize("old, new", list(PAIRS.values()), ids=list(PAIRS))
def test_patch_applies_the_diff(old: str, new: str, tmp_path: Path) -> None:
    (tmp_path / "app.py").write_bytes(old.encode())
    diff = unified_diff(_source(old), _source(new))
    done = subprocess.run([PATCH, "-p1", "--batch"], cwd=tmp_path, input=diff.encode(), capture_output=True, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    assert (tmp_path / "app.py").read_bytes() == new.encode()


def test_no_newline_marker_follows_each_side() -> None:
    diff = unified_diff(_source("x = 1"), _source("x = 2"))
    assert diff.endswith("-x = 1\n" + NO_NEWLINE + "+x = 2\n" + NO_NEWLINE)
    assert NO_NEWLINE == "\\ No newline at end of file\n"


def test_lines_end_only_at_newlines() -> None:
    assert diff_lines("a\r\nb\x0cc\rd\n\u2028e") == ["a\r\n", "b\x0cc\rd\n", "\u2028e"]
    assert diff_lines("") == [] and diff_lines("a\n") == ["a\n"]


@pytest.mark.skipif(PATCH is None, reason="GNU patch is not installed")
def test_a_utf8_byte_order_mark_stays_on_the_first_line(tmp_path: Path) -> None:
    (tmp_path / "app.py").write_bytes(codecs.BOM_UTF8 + b"x = 1\n")
    diff = unified_diff(_source("x = 1\n", bom=codecs.BOM_UTF8), _source("x = 2\n", bom=codecs.BOM_UTF8))
    done = subprocess.run([PATCH, "-p1", "--batch"], cwd=tmp_path, input=diff.encode(), capture_output=True, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    assert (tmp_path / "app.py").read_bytes() == codecs.BOM_UTF8 + b"x = 2\n"


ORDINARY_CODE = [
    "TOKEN_TTL = timedelta(hours=3)",
    'const token = localStorage.getItem("t")',
    "access_token = get_token()",
    "const token = jwt.sign({ sub: req.body.user }, JWT_SECRET, { expiresIn: \"10s\" });",
    "password = request.form['password']",
    "SECRET_KEY = settings.SECRET_KEY",
]


@pytest.mark.parametrize("line", ORDINARY_CODE)
def test_ordinary_code_is_never_masked(line: str) -> None:
    """The name-based guess (``token = <value>``) masked these; the diff prints code verbatim."""
    diff = unified_diff(_source(line + "\nx = 1\n"), _source(line + "\nx = 2\n"))
    assert f" {line}\n" in diff


def _spans(text: str, *values: str) -> tuple[Span, ...]:
    """What a finder says of ``values`` in ``text`` (a test stand-in), with the pattern set."""
    found = [Span(text.index(v), text.index(v) + len(v)) for v in values]
    return merged((*found, *pattern_spans(text)))


def test_secret_spans_and_pattern_values_are_masked() -> None:
    jwt = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJlc2lnbmF0dXJl"
    old = f'KEY = "hunter2-very-secret"\nT = "{jwt}"\nURL = "nats://u:pw-secret@h:4222"\nx = 1\n'
    before, after = _source(old), _source(old.replace("x = 1", "x = 2"))
    before.secret_spans = _spans(before.text, "hunter2-very-secret")
    after.secret_spans = _spans(after.text, "hunter2-very-secret")
    diff = unified_diff(before, after)
    assert "hunter2-very-secret" not in diff and "hu***" in diff
    assert jwt not in diff and "pw-secret" not in diff
    assert "x = 2" in diff


def test_a_source_the_engine_did_not_look_at_is_masked_by_the_pattern_set() -> None:
    jwt = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJlc2lnbmF0dXJl"
    old = f'T = "{jwt}"\npassword = "not-a-pattern"\nx = 1\n'
    diff = unified_diff(_source(old), _source(old.replace("x = 1", "x = 2")))
    assert jwt not in diff and ' T = "ey************(+47)"\n' in diff
    assert ' password = "not-a-pattern"\n' in diff  # no name-based guess: only spans and patterns


def test_config_secret_spans_are_masked_switches_are_not() -> None:
    old = 'authorization {\n  password: "wonderland-42"\n  timeout: 5\n}\n'
    before, after = _source(old, "nats.conf", "natsconf"), _source(old.replace("5", '"5s"'), "nats.conf", "natsconf")
    before.secret_spans = _spans(before.text, "wonderland-42")
    after.secret_spans = _spans(after.text, "wonderland-42")
    diff = unified_diff(before, after)
    assert "wonderland-42" not in diff and '   password: "wo***********"\n' in diff
    yaml = "a:\n  cors-allow-credentials: 'false'\n  x: 1\n"
    diff = unified_diff(_source(yaml, "i.yaml", "yaml"), _source(yaml.replace("x: 1", "x: 2"), "i.yaml", "yaml"))
    assert "   cors-allow-credentials: 'false'\n" in diff


TOKEN = "tok-3f9a0c7e1b"


def query_token(ctx) -> list[Span]:
    """Test stand-in for the Python finder: the access token the client sends."""
    at = ctx.source.text.find(TOKEN)
    return [Span(at, at + len(TOKEN))] if at >= 0 else []


def test_a_fix_that_moves_a_secret_masks_it_on_both_sides(monkeypatch) -> None:
    """SIO006 moves the token from the URL into ``auth=``: the old line is masked by the old file's
    spans, the new one by the spans carried through the edits (the token is in the inserted text)."""
    from authlint.facts import secrets
    from authlint.testing import fix_project

    monkeypatch.setitem(secrets.FINDERS, "python", (f"{__name__}:query_token",))
    client = f'import socketio\nsio = socketio.Client()\nsio.connect("http://localhost:5000?access_token={TOKEN}")\n'
    server = ("from flask import request\nfrom flask_socketio import SocketIO\nsocketio = SocketIO(app)\n"
              "@socketio.on('connect')\ndef connect():\n    if not check(request.args.get('access_token')):\n"
              "        return False\n")
    originals, result = fix_project({"client.py": client, "server.py": server}, select=["SIO006"])
    fixed = result.changed["client.py"].source
    assert TOKEN in fixed.text and "auth=" in fixed.text
    assert [fixed.text[s.start : s.end] for s in fixed.secret_spans or ()] == [TOKEN]
    diff = unified_diff(originals["client.py"], fixed)
    assert TOKEN not in diff
    assert '-sio.connect("http://localhost:5000?access_token=to************")\n' in diff
    assert '+sio.connect("http://localhost:5000", auth={"access_token": "to************"})\n' in diff
    server_diff = unified_diff(originals["server.py"], result.changed["server.py"].source)
    assert "*" not in server_diff  # the server holds no secret: its lines are printed as they are
