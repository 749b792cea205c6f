"""Issue #11's examples: every place a file's text is shown masks exactly its secret spans.

The HMAC key literal below is marked secret by a test stand-in for the Python finder (the per-kind
finders are ``facts.secrets.FINDERS``' business): what is tested here is that whatever marks a
span, every output hides it, whatever other files the project holds, in whatever process the file
was checked and whether it came from the cache.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from authlint.cli.app import app
from authlint.files.source import Source, Span
from authlint.report import render
from authlint.report.base import ReportInput, safe_message
from authlint.rules import registry
from authlint.testing import lint_files

KEY = "k3y-Sup3rS3cretValue-abcdef"
APP = f'import jwt\n\n\ndef mint(user):\n    return jwt.encode({{"sub": user}}, "{KEY}", algorithm="HS256")\n'
NATS = 'authorization { user: admin, password: "$2a$11$PWIFAL8RsWyGI3jVZtO9Nu8.6jOxzxfZo7c/W0eLk017hjgUKWrhy" }\n'


def literal_key(ctx) -> list[Span]:
    """Test stand-in for the Python finder: the HMAC key literal's characters."""
    text = ctx.source.text
    at = text.find(KEY)
    return [Span(at, at + len(KEY))] if at >= 0 else []


@pytest.fixture
def python_finder(monkeypatch):
    from authlint.facts import secrets

    monkeypatch.setitem(secrets.FINDERS, "python", (f"{__name__}:literal_key",))


def _check(root: Path, *args: str) -> str:
    result = CliRunner().invoke(app, ["check", *args, "."], prog_name="authlint")
    assert result.exit_code == 1, result.output
    return result.output


def _frames(output: str) -> dict[str, tuple[str, str]]:
    """code -> (the frame's code line, its caret line), from the ``full`` report."""
    frames = {}
    lines = output.splitlines()
    for i, line in enumerate(lines):
        if ": JWT" in line and "[error]" in line:
            code = line.split(": ", 1)[1].split(" ", 1)[0]
            frames[code] = (lines[i + 2].split(" | ", 1)[1], lines[i + 3].split(" | ", 1)[1])
    return frames


@pytest.mark.parametrize("beside", [False, True], ids=["alone", "with-nats-server.conf"])
@pytest.mark.parametrize("jobs", ["1", "2"])
def test_the_jwt002_frame_masks_the_key_whatever_the_project_holds(
    python_finder, tmp_path: Path, monkeypatch, beside: bool, jobs: str
) -> None:
    (tmp_path / "app.py").write_text(APP)
    if beside:
        (tmp_path / "nats").mkdir()
        (tmp_path / "nats" / "nats-server.conf").write_text(NATS)
    monkeypatch.chdir(tmp_path)
    for run in ("cold", "warm"):  # the second run reads the cache
        output = _check(tmp_path, "--output-format", "full", "--jobs", jobs)
        assert KEY not in output, run
        frames = _frames(output)
        masked = '    return jwt.encode({"sub": user}, "k3************(+13)", algorithm="HS256")'
        assert frames["JWT002"][0] == masked and frames["JWT004"][0] == masked, run
        # carets follow the mask: JWT004 underlines the quoted key, JWT002 the whole call
        code, carets = frames["JWT004"]
        assert code[carets.index("^") : len(carets)] == '"k3************(+13)"'
        code, carets = frames["JWT002"]
        assert code[carets.index("^") : len(carets)] == masked.strip()[len("return ") :]


def test_every_format_hides_the_key(python_finder, tmp_path: Path, monkeypatch) -> None:
    (tmp_path / "app.py").write_text(APP)
    monkeypatch.chdir(tmp_path)
    for fmt in ("full", "concise", "json", "json-lines", "sarif", "github"):
        assert KEY not in _check(tmp_path, "--output-format", fmt, "--no-cache"), fmt
    assert KEY not in json.dumps(json.loads(_check(tmp_path, "--output-format", "json", "--no-cache")))


def _frame_of(text: str, relpath: str, span: Span, secrets: tuple[Span, ...] = ()) -> tuple[str, str]:
    """The code and caret lines of a ``full`` frame of a finding at ``span`` of ``text``."""
    from authlint.diagnostics.diagnostic import Diagnostic

    source = Source.from_text(text, relpath, "python" if relpath.endswith(".py") else "javascript")
    source.secret_spans = secrets
    diag = Diagnostic(code="TST001", message="m", source=source, span=span)
    lines = render("full", ReportInput([diag])).splitlines()
    return lines[2].split(" | ", 1)[1], lines[3].split(" | ", 1)[1]


def test_a_bytes_key_is_masked_in_its_frame() -> None:
    text = "SECRET = b'h\\xc9k\\xda1\\x07\\x99zz-more-key-bytes'\n"
    literal = Span(text.index("b'"), text.index("'\n") + 1)
    code, carets = _frame_of(text, "app.py", literal, (literal,))
    assert code == "SECRET = b'************(+25)"
    assert "\\x" not in code and code[carets.index("^") : len(carets)] == "b'************(+25)"


@pytest.mark.parametrize(
    "line, relpath",
    [
        ("TOKEN_TTL = timedelta(seconds=15)", "app.py"),
        ("const token = jwt.sign({ sub: req.body.user }, JWT_SECRET);", "app.js"),
        ('const token = localStorage.getItem("token");', "app.js"),
        ('password = request.form["password"]  # secret: token', "app.py"),
    ],
)
def test_ordinary_code_is_shown_verbatim(line: str, relpath: str) -> None:
    code, carets = _frame_of(line + "\n", relpath, Span(0, len(line)))
    assert code == line and carets == "^" * len(line)


def test_carets_after_a_secret_are_not_shifted() -> None:
    """SIO004's frame was two columns off: the underline was computed on the unmasked line."""
    text = 'sio = socketio.Server(cors_allowed_origin="*", token="abcdefghij")  # after\n'
    token = Span(text.index("abcdefghij"), text.index("abcdefghij") + 10)
    after = Span(text.index("# after"), text.index("# after") + 7)
    code, carets = _frame_of(text, "app.py", after, (token,))
    assert code[carets.index("^") : len(carets)] == "# after"
    option = Span(text.index("cors_allowed_origin"), text.index("cors_allowed_origin") + 19)
    code, carets = _frame_of(text, "app.py", option, (token,))
    assert code[carets.index("^") : len(carets)] == "cors_allowed_origin"


def test_messages_are_shown_as_the_rules_wrote_them() -> None:
    """No post-processing: "nats-server" and the word "secret" stay words; a rule that names a
    secret wrote it masked already, so what a report prints is the message itself."""
    shown = []
    for rule in registry().values():
        for example in rule.examples:
            if example.valid:
                continue
            for diag in lint_files({**example.files, example.path: example.code}, select=[rule.code]).diagnostics:
                assert safe_message(diag) == diag.message, (rule.code, diag.message)
                shown.append(diag.message)
    assert any("nats-server" in message for message in shown)
    assert any("published secret" in message for message in shown)


JS_KEY = "literal-signing-key-0123"
JS = f"""import jwt from 'jsonwebtoken';
export const mint = (sub: string) => jwt.sign({{ sub }}, "{JS_KEY}", {{ expiresIn: '1h' }});
export function check(token: string) {{
  return jwt.verify(token, null, {{ algorithms: ['none'] }});
}}
"""


def js_literal_key(ctx) -> list[Span]:
    """Test stand-in for the TypeScript finder: the key literal's characters."""
    at = ctx.source.text.find(JS_KEY)
    return [Span(at, at + len(JS_KEY))] if at >= 0 else []


def test_a_fix_that_copies_a_key_masks_it_in_its_title_and_content(monkeypatch) -> None:
    """JWT003 verifies with the mint's key: the title names it masked (made so by the rule), the
    edit's content masks the file's secret value it holds and shows the rest as code."""
    from authlint.facts import secrets

    monkeypatch.setitem(secrets.FINDERS, "typescript", (f"{__name__}:js_literal_key",))
    diagnostics = lint_files({"a.ts": JS}, select=["JWT003"]).diagnostics
    assert diagnostics and all(diag.fix is not None for diag in diagnostics)
    assert all(JS_KEY not in diag.fix.title and '`"li************(+10)"`' in diag.fix.title
               for diag in diagnostics if diag.fix is not None)
    for fmt in ("full", "json", "sarif"):
        assert JS_KEY not in render(fmt, ReportInput(diagnostics)), fmt
    edits = json.loads(render("json", ReportInput(diagnostics)))[0]["fix"]["edits"]
    assert [edit["content"] for edit in edits] == ['"li************(+10)"', "['HS256']"]
