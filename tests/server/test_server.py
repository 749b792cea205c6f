"""``authlint server`` over stdio, driven by pygls's client: what an editor sees and does."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from lsprotocol import types

from authlint.report.base import DOCS_URL
from tests.server.harness import Session, session, uri

SECRET = "hunter2-Zq8vLmN4pR7sT1wX"
SERVER = (
    "import socketio\n"
    'x = "\U0001F600"; sio = socketio.Server(ping_timeout=20000, ping_interval=25000)\n'
    "\n\n"
    "@sio.event\n"
    "def connect(sid, environ, auth):\n"
    "    if not auth or not valid(auth.get('jwt')):\n"
    "        return False\n"
)
CLIENT = "import socketio\nc = socketio.Client()\nc.connect('http://localhost:5000', auth={'token': t})\n"
TOKENS = f'import jwt\nSECRET = "{SECRET}"\ntoken = jwt.encode({{"sub": "u"}}, SECRET, algorithm="HS256")\n'
NGINX = "server {\n    location / {\n        proxy_pass http://app:3000;\n    }\n}\n"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = tmp_path / "project"
    (root / ".git").mkdir(parents=True)
    (root / "conf.d").mkdir()
    for name, text in {"server.py": SERVER, "client.py": CLIENT, "tokens.py": TOKENS, "conf.d/app.conf": NGINX}.items():
        (root / name).write_text(text, encoding="utf-8")
    return root


def run(project: Path, scenario, options: dict | None = None, capabilities=None) -> Path:
    """Run ``scenario(session)`` against a server on ``project``; returns the raw stdout capture."""
    raw = project.parent / "server-stdout.bin"

    async def main() -> None:
        async with session(project, raw, options, capabilities) as lsp:
            await scenario(lsp)

    asyncio.run(main())
    return raw


def codes(diagnostics: list[types.Diagnostic]) -> list[str]:
    return sorted(str(d.code) for d in diagnostics)


def pair_folders(tmp_path: Path) -> tuple[Path, Path]:
    """Two repositories, ``one`` and ``two``, each with the Socket.IO server and client."""
    one, two = tmp_path / "one", tmp_path / "two"
    for folder in (one, two):
        (folder / ".git").mkdir(parents=True)
        (folder / "server.py").write_text(SERVER, encoding="utf-8")
        (folder / "client.py").write_text(CLIENT, encoding="utf-8")
    return one, two


def test_a_finding_is_published_fixed_by_its_quick_fix_and_gone(project: Path) -> None:
    server = project / "server.py"

    async def scenario(lsp: Session) -> None:
        lsp.open(server)
        found = await lsp.wait(server, lambda ds: codes(ds) == ["SIO001", "SIO001"])
        first = min(found, key=lambda d: d.range.start.character)
        # line 2 (0-based 1); the emoji before it is one character but two UTF-16 units
        assert first.range == types.Range(types.Position(1, 45), types.Position(1, 50))
        assert first.source == "authlint"
        assert first.code_description is not None and first.code_description.href == DOCS_URL
        assert first.severity == types.DiagnosticSeverity.Error
        assert first.message.startswith("`ping_timeout=20000` is in seconds")
        actions = await lsp.code_actions(server, first.range, [first], only=[types.CodeActionKind.QuickFix])
        assert actions is not None
        quick = [a for a in actions if isinstance(a, types.CodeAction)]
        assert [a.title for a in quick] == ["SIO001: Convert to seconds (20)"]
        assert quick[0].kind == types.CodeActionKind.QuickFix and quick[0].is_preferred
        assert quick[0].edit is not None
        lsp.apply(quick[0].edit)
        left = await lsp.wait(server, lambda ds: len(ds) == 1)
        assert "ping_interval" in left[0].message
        assert "ping_timeout=20," in lsp.texts[uri(server)]
        assert server.read_text(encoding="utf-8") == SERVER  # the editor's buffer was checked, not the disk

    run(project, scenario)


def test_editing_the_server_updates_the_clients_finding(project: Path) -> None:
    client, server = project / "client.py", project / "server.py"

    async def scenario(lsp: Session) -> None:
        lsp.open(client)
        lsp.open(server)
        found = await lsp.wait(client, lambda ds: codes(ds) == ["SIO007"])
        assert "auth['jwt']" in found[0].message
        lsp.change(server, SERVER.replace("auth.get('jwt')", "auth.get('token')"))
        await lsp.wait(client, lambda ds: ds == [])
        lsp.change(server, SERVER)  # and back: the finding returns
        await lsp.wait(client, lambda ds: codes(ds) == ["SIO007"])

    run(project, scenario)


def test_a_cross_file_finding_names_the_other_place(project: Path) -> None:
    conf = project / "conf.d" / "app.conf"

    async def scenario(lsp: Session) -> None:
        lsp.open(conf, language="nginx")
        found = await lsp.wait(conf, lambda ds: codes(ds) == ["PRX002"])
        related = found[0].related_information
        assert related is not None and len(related) == 1
        assert related[0].location.uri == uri(project / "server.py")
        assert related[0].location.range.start == types.Position(1, 16)  # after the emoji: 15 chars, 16 units
        assert related[0].message == "the Socket.IO server"

    run(project, scenario)


def test_hover_shows_why_the_rule_matters(project: Path) -> None:
    client = project / "client.py"

    async def scenario(lsp: Session) -> None:
        lsp.open(client)
        found = await lsp.wait(client, lambda ds: codes(ds) == ["SIO007"])
        hover = await lsp.hover(client, found[0].range.start)
        assert hover is not None and isinstance(hover.contents, types.MarkupContent)
        assert hover.contents.value.startswith("**SIO007 auth-field-mismatch**")
        assert "Why is this bad?" in hover.contents.value
        assert "Both sides look fine alone" in hover.contents.value
        nothing = await lsp.hover(client, types.Position(0, 0))
        assert nothing is None

    run(project, scenario)


def test_fix_all_applies_every_safe_fix(project: Path) -> None:
    server = project / "server.py"

    async def scenario(lsp: Session) -> None:
        lsp.open(server)
        await lsp.wait(server, lambda ds: codes(ds) == ["SIO001", "SIO001"])
        actions = await lsp.code_actions(server, types.Range(types.Position(0, 0), types.Position(0, 0)), [],
                                         only=["source.fixAll"])
        assert actions is not None and len(actions) == 1
        action = actions[0]
        assert isinstance(action, types.CodeAction) and action.kind == "source.fixAll.authlint"
        assert action.edit is not None
        lsp.apply(action.edit)
        await lsp.wait(server, lambda ds: ds == [])
        assert "ping_timeout=20, ping_interval=25)" in lsp.texts[uri(server)]

    run(project, scenario)


def test_the_editors_settings_and_the_config_file_select_rules(project: Path) -> None:
    tokens = project / "tokens.py"

    async def scenario(lsp: Session) -> None:
        lsp.open(tokens)
        await lsp.wait(tokens, lambda ds: codes(ds) == ["JWT002", "JWT004"])
        lsp.client.workspace_did_change_configuration(
            types.DidChangeConfigurationParams(settings={"authlint": {"ignore": ["JWT004"]}}))
        await lsp.wait(tokens, lambda ds: codes(ds) == ["JWT002"])
        lsp.client.workspace_did_change_configuration(types.DidChangeConfigurationParams(settings={}))
        await lsp.wait(tokens, lambda ds: codes(ds) == ["JWT002", "JWT004"])
        config = project / "authlint.toml"
        config.write_text('ignore = ["JWT002"]\n', encoding="utf-8")  # an edit outside the editor
        lsp.disk_changed(config, types.FileChangeType.Created)
        await lsp.wait(tokens, lambda ds: codes(ds) == ["JWT004"])
        config.write_text("ignore = [\n", encoding="utf-8")  # broken: said once, the last settings kept
        lsp.disk_changed(config)
        lsp.change(tokens, TOKENS + "\n")
        await lsp.wait(tokens, lambda ds: codes(ds) == ["JWT004"], fresh=True)
        assert any("invalid TOML" in message for message in lsp.messages)

    run(project, scenario)


def test_a_file_changed_on_disk_is_read_again(project: Path) -> None:
    client, server = project / "client.py", project / "server.py"

    async def scenario(lsp: Session) -> None:
        lsp.open(client)
        await lsp.wait(client, lambda ds: codes(ds) == ["SIO007"])
        server.write_text(SERVER.replace("auth.get('jwt')", "auth.get('token')"), encoding="utf-8")
        lsp.disk_changed(server)
        await lsp.wait(client, lambda ds: ds == [])

    run(project, scenario)


def test_a_syntax_error_is_e001_and_the_server_carries_on(project: Path) -> None:
    server = project / "server.py"

    async def scenario(lsp: Session) -> None:
        lsp.open(server)
        await lsp.wait(server, lambda ds: codes(ds) == ["SIO001", "SIO001"])
        lsp.change(server, SERVER.replace("def connect(sid, environ, auth):", "def connect(sid, environ, auth:"))
        broken = await lsp.wait(server, lambda ds: codes(ds) == ["E001"])
        assert broken[0].range.start.line == 5
        lsp.change(server, SERVER)
        await lsp.wait(server, lambda ds: codes(ds) == ["SIO001", "SIO001"])

    run(project, scenario)


def test_no_secret_in_anything_the_server_sends(project: Path) -> None:
    tokens = project / "tokens.py"

    async def scenario(lsp: Session) -> None:
        lsp.open(tokens)
        found = await lsp.wait(tokens, lambda ds: codes(ds) == ["JWT002", "JWT004"])
        for diag in found:
            await lsp.hover(tokens, diag.range.start)
            await lsp.code_actions(tokens, diag.range, [diag])
        lsp.change(tokens, TOKENS.replace("import jwt", "import jwt  # edited"))
        await lsp.wait(tokens, lambda ds: codes(ds) == ["JWT002", "JWT004"], fresh=True)

    raw = run(project, scenario)
    sent = raw.read_bytes()
    assert b"JWT004" in sent and b"signing key" in sent  # the finding went out ...
    assert SECRET.encode() not in sent and SECRET[:8].encode() not in sent  # ... its value never did


def test_it_asks_to_watch_files_and_a_saved_config_reloads(project: Path) -> None:
    tokens = project / "tokens.py"
    watching = types.ClientCapabilities(workspace=types.WorkspaceClientCapabilities(
        did_change_watched_files=types.DidChangeWatchedFilesClientCapabilities(dynamic_registration=True)))

    async def scenario(lsp: Session) -> None:
        registered = await asyncio.wait_for(lsp.registrations.get(), 60)
        assert [r.method for r in registered.registrations] == [types.WORKSPACE_DID_CHANGE_WATCHED_FILES]
        lsp.open(tokens)
        await lsp.wait(tokens, lambda ds: codes(ds) == ["JWT002", "JWT004"])
        config = project / "authlint.toml"
        config.write_text('ignore = ["JWT004"]\n', encoding="utf-8")
        lsp.open(config, language="toml")
        lsp.client.text_document_did_save(types.DidSaveTextDocumentParams(
            text_document=types.TextDocumentIdentifier(uri=uri(config))))
        await lsp.wait(tokens, lambda ds: codes(ds) == ["JWT002"])

    run(project, scenario, capabilities=watching)


def test_each_workspace_folder_is_a_project(tmp_path: Path) -> None:
    """Two folders, each with its own pair and config: a server change in one never touches the other."""
    one, two = pair_folders(tmp_path)
    (two / "authlint.toml").write_text('ignore = ["SIO001"]\n', encoding="utf-8")
    raw = tmp_path / "server-stdout.bin"

    async def main() -> None:
        async with session(one, raw, folders=[one, two]) as lsp:
            for folder in (one, two):
                lsp.open(folder / "client.py")
                lsp.open(folder / "server.py")
            await lsp.wait(one / "server.py", lambda ds: codes(ds) == ["SIO001", "SIO001"])
            await lsp.wait(two / "server.py", lambda ds: ds == [])  # its own config
            await lsp.wait(two / "client.py", lambda ds: codes(ds) == ["SIO007"])
            lsp.change(one / "server.py", SERVER.replace("auth.get('jwt')", "auth.get('token')"))
            await lsp.wait(one / "client.py", lambda ds: ds == [])
            lsp.change(two / "client.py", CLIENT + "\n")
            await lsp.wait(two / "client.py", lambda ds: codes(ds) == ["SIO007"], fresh=True)

    asyncio.run(main())


def test_a_folder_added_to_the_workspace_is_loaded(tmp_path: Path) -> None:
    one, two = pair_folders(tmp_path)
    raw = tmp_path / "server-stdout.bin"

    async def main() -> None:
        async with session(one, raw, folders=[one]) as lsp:
            lsp.open(two / "client.py")
            await lsp.wait(two / "client.py", lambda ds: ds == [])  # in no project yet
            lsp.client.workspace_did_change_workspace_folders(types.DidChangeWorkspaceFoldersParams(
                event=types.WorkspaceFoldersChangeEvent(
                    added=[types.WorkspaceFolder(uri=uri(two), name="two")], removed=[])))
            await lsp.wait(two / "client.py", lambda ds: codes(ds) == ["SIO007"])
            lsp.client.workspace_did_change_workspace_folders(types.DidChangeWorkspaceFoldersParams(
                event=types.WorkspaceFoldersChangeEvent(
                    added=[], removed=[types.WorkspaceFolder(uri=uri(two), name="two")])))
            await lsp.wait(two / "client.py", lambda ds: ds == [])

    asyncio.run(main())
