"""Safe forms (env secrets, explicit origin lists, verified decodes with algorithms and leeway,
reasonable lifetimes, secure cookies) produce no finding at all."""

from __future__ import annotations

from pathlib import Path

from authlint.facts.model import CookieSet, CorsPolicy, JwtMint, JwtVerify, NatsClient, SocketIOClient, SocketIOServer
from authlint.files.source import Source
from authlint.run.context import FileContext
from authlint.testing import lint_files

SAFE = Path(__file__).parent.parent / "fixtures" / "python" / "safe_app.py"


def test_safe_app_is_silent() -> None:
    result = lint_files({"app.py": SAFE.read_text()})
    assert not result.errors
    assert [f"{d.code} {d.start}: {d.message}" for d in result.diagnostics] == []


def test_safe_app_facts_were_really_extracted() -> None:
    """Silence must come from understanding the file, not from missing it."""
    ctx = FileContext(Source.from_text(SAFE.read_text(), "app.py", "python"))
    kinds = {type(fact) for fact in ctx.facts.items}
    assert {SocketIOServer, SocketIOClient, CorsPolicy, JwtMint, JwtVerify, CookieSet, NatsClient} <= kinds
    (mint,) = ctx.of(JwtMint)
    assert mint.lifetime == 900 and mint.key.ref == "env:JWT_SECRET"
    (server,) = ctx.of(SocketIOServer)
    assert server.handlers and server.handlers[0].refuses
