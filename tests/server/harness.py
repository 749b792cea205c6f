"""A real LSP client (pygls's) driving ``authlint server`` as a subprocess over stdio.

The server's stdout is copied to a file on its way to the client (``tee``), so a test can assert
on every byte the server sent. Waiting is on notifications, never on time: ``wait`` returns at the
first ``publishDiagnostics`` of a document that satisfies a predicate (or fails after a timeout
that only a broken server reaches).
"""

from __future__ import annotations

import asyncio
import shlex
import shutil
import sys
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import AsyncIterator, Callable

from lsprotocol import types
from pygls.lsp.client import LanguageClient
from pygls.uris import from_fs_path

TIMEOUT = 60.0  # seconds; reached only when the awaited notification never comes


def uri(path: Path) -> str:
    return from_fs_path(str(path)) or ""


def loaded_example(tmp_path: Path, example: str):
    """A resident project (``ProjectModel``) of a copy of ``examples/<example>``, loaded."""
    from authlint.server.project import ProjectModel
    from tests.shared import ROOT

    root = tmp_path / example
    shutil.copytree(ROOT / "examples" / example, root)
    (root / ".git").mkdir()
    project = ProjectModel(root)
    project.reload()
    return project


@dataclass
class Session:
    client: LanguageClient
    root: Path
    raw: Path  # everything the server wrote to stdout
    latest: dict[str, list[types.Diagnostic]] = field(default_factory=dict)
    queue: asyncio.Queue = field(default_factory=asyncio.Queue)
    messages: list[str] = field(default_factory=list)  # window/showMessage and logMessage
    registrations: asyncio.Queue = field(default_factory=asyncio.Queue)  # client/registerCapability
    versions: dict[str, int] = field(default_factory=dict)
    texts: dict[str, str] = field(default_factory=dict)

    async def wait(
        self, path: Path, ok: Callable[[list[types.Diagnostic]], bool], fresh: bool = False
    ) -> list[types.Diagnostic]:
        """The diagnostics of ``path`` once a publication of them satisfies ``ok`` (``fresh``: a
        publication for the buffer's latest version, i.e. after the last change was checked)."""
        key = uri(path)
        if not fresh and key in self.latest and ok(self.latest[key]):
            return self.latest[key]
        loop = asyncio.get_running_loop()
        deadline = loop.time() + TIMEOUT
        while True:
            params = await asyncio.wait_for(self.queue.get(), max(0.0, deadline - loop.time()))
            if fresh and params.version != self.versions.get(key):
                continue
            if params.uri == key and ok(list(params.diagnostics)):
                return list(params.diagnostics)

    def open(self, path: Path, text: str | None = None, language: str = "python") -> None:
        key = uri(path)
        text = path.read_text(encoding="utf-8") if text is None else text
        self.versions[key] = 1
        self.texts[key] = text
        self.client.text_document_did_open(types.DidOpenTextDocumentParams(
            text_document=types.TextDocumentItem(uri=key, language_id=language, version=1, text=text)))

    def change(self, path: Path, text: str) -> None:
        """A full-text edit of an open buffer (the disk is left alone)."""
        key = uri(path)
        self.versions[key] += 1
        self.texts[key] = text
        self.client.text_document_did_change(types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=key, version=self.versions[key]),
            content_changes=[types.TextDocumentContentChangeWholeDocument(text=text)]))

    async def code_actions(self, path: Path, range: types.Range, diagnostics: list[types.Diagnostic],
                           only: list[str] | None = None) -> list[types.CodeAction | types.Command] | None:
        return await self.client.text_document_code_action_async(types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=uri(path)), range=range,
            context=types.CodeActionContext(diagnostics=diagnostics,
                                            only=[types.CodeActionKind(kind) for kind in only] if only else None)))

    async def hover(self, path: Path, position: types.Position) -> types.Hover | None:
        return await self.client.text_document_hover_async(types.HoverParams(
            text_document=types.TextDocumentIdentifier(uri=uri(path)), position=position))

    def disk_changed(self, path: Path, kind: types.FileChangeType = types.FileChangeType.Changed) -> None:
        """Tell the server a file changed outside the editor (a watched-files notification)."""
        self.client.workspace_did_change_watched_files(types.DidChangeWatchedFilesParams(
            changes=[types.FileEvent(uri=uri(path), type=kind)]))

    def apply(self, edit: types.WorkspaceEdit) -> None:
        """Apply a workspace edit to the open buffers, as an editor does, and send the changes."""
        for key, edits in (edit.changes or {}).items():
            path = Path(self.root, Path(key.removeprefix("file://")).relative_to(self.root))
            self.change(path, apply_text_edits(self.texts[key], edits))


def _offset(text: str, position: types.Position) -> int:
    """The char offset of an LSP position (UTF-16 columns), computed independently of the server."""
    lines = text.splitlines(keepends=True)
    start = sum(len(line) for line in lines[: position.line])
    line = lines[position.line] if position.line < len(lines) else ""
    units = 0
    for index, ch in enumerate(line):
        if units >= position.character:
            return start + index
        units += len(ch.encode("utf-16-le")) // 2
    return start + len(line)


def apply_text_edits(text: str, edits: list[types.TextEdit]) -> str:
    placed = sorted(((_offset(text, e.range.start), _offset(text, e.range.end), e.new_text) for e in edits), reverse=True)
    for start, end, new in placed:
        text = text[:start] + new + text[end:]
    return text


@asynccontextmanager
async def session(
    root: Path, raw: Path, options: dict | None = None, capabilities: types.ClientCapabilities | None = None,
    folders: list[Path] | None = None,
) -> AsyncIterator[Session]:
    """An initialized server on ``root`` (``folders``: the workspace folders, default ``root``);
    shut down and exited on leaving."""
    client = LanguageClient("authlint-tests", "1")
    state = Session(client, root, raw)

    @client.feature(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    def published(params: types.PublishDiagnosticsParams) -> None:
        state.latest[params.uri] = list(params.diagnostics)  # (the converter makes tuples)
        state.queue.put_nowait(params)

    @client.feature(types.WINDOW_SHOW_MESSAGE)
    def shown(params: types.ShowMessageParams) -> None:
        state.messages.append(params.message)

    @client.feature(types.CLIENT_REGISTER_CAPABILITY)
    def register(params: types.RegistrationParams) -> None:
        state.registrations.put_nowait(params)

    @client.feature(types.WINDOW_LOG_MESSAGE)
    def logged(params: types.LogMessageParams) -> None:
        state.messages.append(params.message)

    command = f"{shlex.quote(sys.executable)} -m authlint server 2>{shlex.quote(str(raw))}.stderr | tee {shlex.quote(str(raw))}"
    await client.start_io("sh", "-c", command, cwd=str(root))
    await client.initialize_async(types.InitializeParams(
        capabilities=capabilities or types.ClientCapabilities(),
        root_uri=uri(root),
        workspace_folders=[types.WorkspaceFolder(uri=uri(folder), name=folder.name) for folder in folders or [root]],
        initialization_options=options,
    ))
    client.initialized(types.InitializedParams())
    try:
        yield state
    finally:
        await client.shutdown_async(None)
        client.exit(None)
        await client.stop()
