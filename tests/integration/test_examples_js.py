"""The JavaScript/TypeScript part of the example project reports what it was written to show."""

from __future__ import annotations

from pathlib import Path

from authlint.testing import lint_files

JS = Path(__file__).resolve().parents[2] / "examples" / "js"


def _files() -> dict[str, str]:
    return {
        path.relative_to(JS).as_posix(): path.read_text(encoding="utf-8")
        for path in sorted(JS.rglob("*"))
        if path.is_file() and path.suffix in (".js", ".jsx", ".ts", ".tsx")
    }


def _line_of(files: dict[str, str], relpath: str, needle: str) -> int:
    lines = files[relpath].splitlines()
    return next(index for index, line in enumerate(lines, 1) if needle in line)


def test_token_storage_findings_are_the_storage_lines() -> None:
    files = _files()
    result = lint_files(files, select=["TOK001"])
    assert not result.errors, result.errors
    found = sorted((d.path, d.start[0]) for d in result.diagnostics)
    assert found == sorted(
        [
            ("client.ts", _line_of(files, "client.ts", 'localStorage.setItem("token"')),
            ("src/auth.service.ts", _line_of(files, "src/auth.service.ts", "localStorage.setItem(this.TOKEN_KEY")),
            ("src/useAuth.jsx", _line_of(files, "src/useAuth.jsx", "sessionStorage.jwt = jwt")),
        ]
    )


def test_preferences_are_not_reported() -> None:
    files = _files()
    result = lint_files({"src/preferences.js": files["src/preferences.js"]})
    assert result.diagnostics == [] and not result.errors


def test_every_example_file_parses_cleanly() -> None:
    from authlint.parsers.javascript import error_ranges, parse_source
    from authlint.source import Source

    for relpath, text in _files().items():
        kind = "typescript" if relpath.endswith((".ts", ".tsx")) else "javascript"
        assert error_ranges(parse_source(Source.from_text(text, relpath, kind)).root_node) == [], relpath
