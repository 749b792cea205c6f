"""The language server: LSP notifications and requests wired to the resident project.

Every change (a buffer opened, edited, saved or closed; a file changed on disk; the settings) goes
to the ``ProjectModel``, which re-checks what it must; then the findings of every open document
are published again where they changed, so an edit of a Socket.IO client updates its server's
diagnostics too. Each workspace folder is a project (the root of its config, as ``check``); a
document belongs to the innermost folder holding it.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

from lsprotocol import types
from pygls.lsp.server import LanguageServer
from pygls.uris import to_fs_path

from authlint import __version__
from authlint.errors import ConfigError
from authlint.server.actions import FIX_ALL, fix_all, overlaps, quick_fixes
from authlint.server.convert import to_lsp
from authlint.server.hover import hover_text
from authlint.server.options import EditorOptions
from authlint.server.positions import lsp_range, offset
from authlint.server.project import ProjectModel, settle

log = logging.getLogger(__name__)


class AuthlintServer(LanguageServer):
    """pygls's server with one project per workspace folder and what was last published per document."""

    def __init__(self) -> None:
        super().__init__("authlint", __version__, text_document_sync_kind=types.TextDocumentSyncKind.Full)
        self.projects: dict[Path, ProjectModel] = {}  # workspace folder -> its project
        self.options = EditorOptions()
        self.published: dict[str, list[types.Diagnostic]] = {}
        self.logged: set[str] = set()  # internal errors already logged to the client
        # uri -> (its project and relpath, or None): every publish asks for each open document, and
        # resolving a path (realpath) for each on every keystroke was a third of an edit's cost.
        # Forgotten whenever a project is added, dropped or reloaded (its root may move).
        self._located: dict[str, tuple[ProjectModel, str] | None] = {}
        # uri -> (the findings last converted, their LSP form): a file whose findings the edit did
        # not change keeps the very same list (``ProjectPhase``), so it is not converted again
        self._converted: dict[str, tuple[list, list[types.Diagnostic]]] = {}

    # -- the projects ----------------------------------------------------------------------
    def folders(self) -> list[Path]:
        """The workspace folders (the root the client named when it has none)."""
        found = [Path(path) for folder in self.workspace.folders.values() if (path := to_fs_path(folder.uri))]
        return found or [Path(self.workspace.root_path or os.getcwd())]

    def add(self, folder: Path) -> ProjectModel:
        project = self.projects.get(folder)
        if project is None:
            project = self.projects[folder] = ProjectModel(folder, self.options)
            self.forget_locations()
        return project

    def drop(self, folder: Path) -> None:
        self.projects.pop(folder, None)
        self.forget_locations()

    def forget_locations(self) -> None:
        self._located.clear()
        self._converted.clear()

    def reload(self, project: ProjectModel) -> bool:
        """Load (or reload) a project; a broken config is shown and the previous state kept."""
        self.forget_locations()
        try:
            project.reload()
        except ConfigError as exc:
            self.show(f"authlint: {exc}", types.MessageType.Error)
            return False
        project.results()
        settle()
        return True

    def show(self, message: str, kind: types.MessageType) -> None:
        from authlint.diagnostics.mask import scrub_patterns

        self.window_show_message(types.ShowMessageParams(type=kind, message=scrub_patterns(message)))

    def project_of(self, path: str | Path) -> ProjectModel | None:
        """The loaded project of the innermost workspace folder holding ``path``."""
        real = Path(os.path.realpath(path))
        best: ProjectModel | None = None
        for project in self.projects.values():
            if project.linter is None or (real != project.folder and project.folder not in real.parents):
                continue
            if best is None or len(project.folder.parts) > len(best.folder.parts):
                best = project
        return best

    def document(self, uri: str) -> tuple[ProjectModel, str] | None:
        """The project and the relpath of an open document it checks."""
        if uri in self._located:
            located = self._located[uri]
        else:
            path = to_fs_path(uri)
            project = self.project_of(path) if path else None
            relpath = project.relpath(path) if project is not None else None  # type: ignore[arg-type]
            located = self._located[uri] = (project, relpath) if project is not None and relpath is not None else None
        if located is None or located[1] not in located[0].entries:
            return None  # outside every project, or not a file its project checks (now)
        return located

    # -- publishing ------------------------------------------------------------------------
    def publish(self, force: tuple[str, ...] = ()) -> None:
        """The findings of every open document, sent where they changed (``force``: always)."""
        for document in list(self.workspace.text_documents.values()):
            uri = document.uri  # as the client wrote it (the workspace's keys are unquoted)
            found: list[types.Diagnostic] = []
            located = self.document(uri)
            if located is not None:
                project, relpath = located
                findings = project.results().get(relpath, [])
                converted = self._converted.get(uri)
                if converted is not None and converted[0] is findings:
                    if uri not in force:
                        continue  # the very findings published last time
                    found = converted[1]
                else:
                    found = [to_lsp(diag, project.settings.root) for diag in findings]
                    self._converted[uri] = (findings, found)
            if uri not in force and self.published.get(uri, []) == found:
                continue
            self.published[uri] = found
            self.text_document_publish_diagnostics(
                types.PublishDiagnosticsParams(uri=uri, diagnostics=found, version=document.version)
            )
        for project in self.projects.values():
            for error in project.errors:
                if error not in self.logged:  # once, not on every keystroke while the file stays so
                    self.logged.add(error)
                    self.window_log_message(types.LogMessageParams(type=types.MessageType.Error,
                                                                   message=f"authlint: internal error: {error}"))

    def clear(self, uri: str) -> None:
        self.published.pop(uri, None)
        self._converted.pop(uri, None)
        self.text_document_publish_diagnostics(types.PublishDiagnosticsParams(uri=uri, diagnostics=[]))


def create_server() -> AuthlintServer:
    """A server with every feature registered (one per process; tests start it as a subprocess)."""
    app = AuthlintServer()

    @app.feature(types.INITIALIZE)
    def initialize(ls: AuthlintServer, params: types.InitializeParams) -> None:
        ls.options = EditorOptions.parse(params.initialization_options)

    @app.feature(types.INITIALIZED)
    def initialized(ls: AuthlintServer, params: types.InitializedParams) -> None:
        for folder in ls.folders():
            ls.reload(ls.add(folder))
        _watch(ls)
        ls.publish()

    @app.feature(types.WORKSPACE_DID_CHANGE_WORKSPACE_FOLDERS)
    def folders_changed(ls: AuthlintServer, params: types.DidChangeWorkspaceFoldersParams) -> None:
        for gone in params.event.removed:
            path = to_fs_path(gone.uri)
            if path:
                ls.drop(Path(path))
        for added in params.event.added:
            path = to_fs_path(added.uri)
            if path:
                ls.reload(ls.add(Path(path)))
        for document in list(ls.workspace.text_documents.values()):  # open buffers now in a project
            _edited(ls, document.uri, publish=False)
        ls.publish()

    @app.feature(types.TEXT_DOCUMENT_DID_OPEN)
    def did_open(ls: AuthlintServer, params: types.DidOpenTextDocumentParams) -> None:
        _edited(ls, params.text_document.uri)

    @app.feature(types.TEXT_DOCUMENT_DID_CHANGE)
    def did_change(ls: AuthlintServer, params: types.DidChangeTextDocumentParams) -> None:
        _edited(ls, params.text_document.uri)

    @app.feature(types.TEXT_DOCUMENT_DID_SAVE, types.SaveOptions(include_text=False))
    def did_save(ls: AuthlintServer, params: types.DidSaveTextDocumentParams) -> None:
        path = to_fs_path(params.text_document.uri)
        project = ls.project_of(path) if path else None
        if project is None:
            return
        relpath = project.relpath(path)  # type: ignore[arg-type]
        if relpath is not None and project.affects_settings(relpath):
            ls.reload(project)  # the config (or a versions file) as saved
        ls.publish(force=(params.text_document.uri,))

    @app.feature(types.TEXT_DOCUMENT_DID_CLOSE)
    def did_close(ls: AuthlintServer, params: types.DidCloseTextDocumentParams) -> None:
        uri = params.text_document.uri
        path = to_fs_path(uri)
        project = ls.project_of(path) if path else None
        if project is not None:
            project.close_buffer(Path(path))  # type: ignore[arg-type]
        ls.clear(uri)
        ls.publish()

    @app.feature(types.WORKSPACE_DID_CHANGE_WATCHED_FILES)
    def watched(ls: AuthlintServer, params: types.DidChangeWatchedFilesParams) -> None:
        for project in ls.projects.values():
            if project.linter is None:
                ls.reload(project)  # a config that failed may be fixed now
        for change in params.changes:
            path = to_fs_path(change.uri)
            project = ls.project_of(path) if path else None
            if project is None:
                continue
            try:
                project.disk_changed(Path(path))  # type: ignore[arg-type]
            except ConfigError as exc:
                ls.show(f"authlint: {exc}", types.MessageType.Error)
        ls.publish()

    @app.feature(types.WORKSPACE_DID_CHANGE_CONFIGURATION)
    def configuration(ls: AuthlintServer, params: types.DidChangeConfigurationParams) -> None:
        ls.options = EditorOptions.parse(params.settings)
        for project in ls.projects.values():
            project.options = ls.options
            ls.reload(project)
        ls.publish()

    @app.feature(
        types.TEXT_DOCUMENT_CODE_ACTION,
        types.CodeActionOptions(code_action_kinds=[types.CodeActionKind.QuickFix, FIX_ALL]),
    )
    def code_action(ls: AuthlintServer, params: types.CodeActionParams) -> list[types.CodeAction] | None:
        found = ls.document(params.text_document.uri)
        if found is None:
            return None
        project, relpath = found
        wanted = params.context.only
        actions: list[types.CodeAction] = []
        if not wanted or any(kind == types.CodeActionKind.QuickFix for kind in wanted):
            diagnostics = project.results().get(relpath, [])
            if diagnostics:
                source = diagnostics[0].source
                start, end = offset(source, params.range.start), offset(source, params.range.end)
                actions.extend(quick_fixes(project, [d for d in diagnostics if overlaps(d.span, start, end)]))
        if not wanted or any(FIX_ALL.startswith(str(kind)) for kind in wanted):
            action = fix_all(project, relpath)
            if action is not None:
                actions.append(action)
        return actions

    @app.feature(types.TEXT_DOCUMENT_HOVER)
    def hover(ls: AuthlintServer, params: types.HoverParams) -> types.Hover | None:
        found = ls.document(params.text_document.uri)
        if found is None:
            return None
        project, relpath = found
        diagnostics = project.results().get(relpath, [])
        if not diagnostics:
            return None
        at = offset(diagnostics[0].source, params.position)
        under = [d for d in diagnostics if overlaps(d.span, at, at)]
        text = hover_text(under)
        if not text:
            return None
        return types.Hover(
            contents=types.MarkupContent(kind=types.MarkupKind.Markdown, value=text),
            range=lsp_range(under[0].source, under[0].span),
        )

    return app


def _edited(ls: AuthlintServer, uri: str, publish: bool = True) -> None:
    """An opened or changed buffer: its text into its project, then publish."""
    path = to_fs_path(uri)
    project = ls.project_of(path) if path else None
    if project is not None:
        document = ls.workspace.get_text_document(uri)
        project.set_buffer(Path(path), document.source)  # type: ignore[arg-type]
    if publish:
        ls.publish(force=(uri,))


def _watch(server: AuthlintServer) -> None:
    """Ask the client to report file changes outside the editor, when it can register watchers."""
    capabilities = server.client_capabilities.workspace
    watched = capabilities.did_change_watched_files if capabilities else None
    if not watched or not watched.dynamic_registration:
        return
    server.client_register_capability(types.RegistrationParams(registrations=[types.Registration(
        id="authlint-watch",
        method=types.WORKSPACE_DID_CHANGE_WATCHED_FILES,
        register_options=types.DidChangeWatchedFilesRegistrationOptions(
            watchers=[types.FileSystemWatcher(glob_pattern="**/*")]
        ),
    )]))


def serve() -> None:
    """``authlint server``: serve over stdin/stdout until the client says exit."""
    create_server().start_io()
