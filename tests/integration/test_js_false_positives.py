"""A carefully configured JS/TS project (tests/fixtures/js-clean) gets no findings at all."""

from __future__ import annotations

from pathlib import Path

from authlint.facts.model import JwtMint, JwtVerify, SocketIOClient, SocketIOServer, StorageWrite
from authlint.testing import contexts_for, lint_files, make_settings

CLEAN = Path(__file__).resolve().parents[1] / "fixtures" / "js-clean"


def _files() -> dict[str, str]:
    return {path.name: path.read_text(encoding="utf-8") for path in sorted(CLEAN.iterdir()) if path.is_file()}


def test_clean_project_has_no_findings() -> None:
    result = lint_files(_files(), allowed_origins=["https://app.example.com"])
    assert not result.errors, result.errors
    assert [(d.code, d.path, d.start, d.message) for d in result.diagnostics] == []


def test_the_silence_is_not_blindness() -> None:
    """The extractor did see what the rules judged fine."""
    contexts = {ctx.source.relpath: ctx for ctx in contexts_for(_files(), make_settings())}
    server_ctx = contexts["server.ts"]
    (server,) = server_ctx.of(SocketIOServer)
    assert server.options.value("pingTimeout") == 20000 and server.handlers[0].refuses
    assert [m.lifetime for m in server_ctx.of(JwtMint)] == [900.0]
    assert [v.options.value("clockTolerance") for v in server_ctx.of(JwtVerify)] == [5]
    (client,) = contexts["client.tsx"].of(SocketIOClient)
    assert client.options.get("auth") is not None
    keys = [w.key.value for w in contexts["client.tsx"].of(StorageWrite) if w.key is not None]
    assert keys == ["theme", "locale", "lastTab"]
    assert [w.key.value for w in contexts["index.html"].of(StorageWrite) if w.key is not None] == ["colorScheme"]
