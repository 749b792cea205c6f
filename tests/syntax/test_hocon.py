"""HOCON files: pyhocon's values, spans found in the text for every way a key can be written, no
include read and no substitution resolved, and foreign files that only looked like HOCON."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from authlint.files.source import Source
from authlint.syntax.errors import ParseError
from authlint.syntax.hocon import UNRESOLVED, Document, parse, parse_source, scan, without_includes
from authlint.testing import lint_files

CORS = ("play", "filters", "cors")


def written(text: str, document: Document, path: tuple[str, ...]) -> tuple[str, str, str]:
    field = document.assigned(path)
    assert field is not None, path
    return text[field.key.start : field.key.end], text[field.name.start : field.name.end], text[
        field.value.start : field.value.end]


@pytest.mark.parametrize(
    "text",
    [
        'play.filters.cors.allowedOrigins = ["https://a.example", "null"]\n',
        'play { filters { cors { allowedOrigins = ["https://a.example", "null"] } } }\n',
        'play.filters {\n  cors.allowedOrigins: ["https://a.example", "null"]\n}\n',
        'play {\n  filters.cors {\n    # the front ends\n    allowedOrigins = [\n      "https://a.example", // web\n      "null"\n    ]\n  }\n}\n',
        '{\n  "play" : { "filters" { cors { "allowedOrigins" = ["https://a.example", "null"] } } }\n}\n',
    ],
)
def test_every_spelling_gives_the_same_value_and_its_spans(text: str) -> None:
    document = parse(text)
    path = (*CORS, "allowedOrigins")
    assert document.value(path) == ["https://a.example", "null"]
    key, name, value = written(text, document, path)
    assert name.strip('"') == "allowedOrigins" and key.endswith(name)
    assert value.startswith("[") and value.endswith("]")
    field = document.assigned(path)
    assert field is not None and field.elements is not None
    assert [text[e.span.start : e.span.end] for e in field.elements] == ['"https://a.example"', '"null"']


def test_the_last_assignment_decides_and_is_the_one_located() -> None:
    text = 'play.filters.cors {\n  supportsCredentials = true\n}\nplay.filters.cors.supportsCredentials: false\n'
    document = parse(text)
    assert document.value((*CORS, "supportsCredentials")) is False
    assert written(text, document, (*CORS, "supportsCredentials"))[2] == "false"
    assert len(document.assignments((*CORS, "supportsCredentials"))) == 2


def test_values_end_before_comments_and_separators() -> None:
    text = 'akka-http-cors {\n  allowed-origins = "*"   # every one\n  allow-credentials = yes, max-age = 10 s\n}\n'
    document = parse(text)
    assert written(text, document, ("akka-http-cors", "allowed-origins"))[2] == '"*"'
    assert written(text, document, ("akka-http-cors", "allow-credentials"))[2] == "yes"
    assert written(text, document, ("akka-http-cors", "max-age"))[2] == "10 s"
    assert document.value(("akka-http-cors", "allow-credentials")) == "yes"  # HOCON's boolean words kept as text


def test_blocks_and_their_indentation() -> None:
    text = "play {\n  filters {\n    cors {\n      pathPrefixes = [\"/\"]\n    }\n  }\n}\nakka-http-cors { }\n"
    fields, blocks = scan(text)
    by_path = {block.path: block for block in blocks}
    assert by_path[CORS].members_indent == "      "
    assert text[by_path[CORS].body.start : by_path[CORS].body.end].strip() == 'pathPrefixes = ["/"]'
    assert by_path[("akka-http-cors",)].members_indent == ""
    assert [f.path for f in fields] == [(*CORS, "pathPrefixes")]
    assert fields[0].depth == 3


def test_triple_quoted_strings_and_concatenations_are_stepped_over() -> None:
    text = 'banner = """\nplay.filters.cors.allowedOrigins = null\n"""\nurl = "https://" ${?HOST} "/x"\nakka-http-cors.allowed-origins = "*"\n'
    document = parse(text)
    assert document.assigned((*CORS, "allowedOrigins")) is None  # inside a string, not a setting
    assert written(text, document, ("url",))[2] == '"https://" ${?HOST} "/x"'
    assert document.value(("akka-http-cors", "allowed-origins")) == "*"


def test_substitutions_are_never_resolved(monkeypatch) -> None:
    monkeypatch.setenv("AUTHLINT_HOCON_ORIGINS", "https://from-env.example")
    document = parse("play.filters.cors.allowedOrigins = ${?AUTHLINT_HOCON_ORIGINS}\nplay.x = ${play.filters.cors}\n")
    assert document.value((*CORS, "allowedOrigins")) is UNRESOLVED
    assert document.value(("play", "x")) is UNRESOLVED


def test_includes_are_never_read(tmp_path: Path, monkeypatch) -> None:
    """pyhocon reads the file, glob or URL an ``include`` names: authlint blanks them first (same
    length, so every offset holds)."""
    secret = tmp_path / "secret.conf"
    secret.write_text("leaked = 1\n")
    monkeypatch.chdir(tmp_path)
    text = (
        f'include "{secret}"\ninclude "secret.conf"\ninclude required(file("secret.conf"))\n'
        'INCLUDE url("http://127.0.0.1:9/never.conf")\nplay { include "secret.conf"\n  filters.cors.allowedOrigins = null }\n'
    )
    assert len(without_includes(text)) == len(text)
    assert "include" not in without_includes(text).lower()
    document = parse(text)
    assert not document.has(("leaked",)) and not document.has(("play", "leaked"))
    assert document.value((*CORS, "allowedOrigins"), default="unset") is None
    key, _, value = written(text, document, (*CORS, "allowedOrigins"))
    assert (key, value) == ("filters.cors.allowedOrigins", "null")
    assert os.getcwd() == str(tmp_path)


def test_a_key_named_include_is_a_key() -> None:
    document = parse('include = "x"\nincludes = ["a"]\n')
    assert document.value(("include",)) == "x" and document.value(("includes",)) == ["a"]


def test_rejected_content_only_file_is_foreign_and_a_hocon_file_is_not() -> None:
    broken = 'play.filters.cors {\n  allowedOrigins = ["https://a.example"\n'
    with pytest.raises(ParseError) as content:
        parse_source(Source.from_text(broken, "conf/application.conf", "hocon"))
    assert content.value.foreign
    with pytest.raises(ParseError) as named:
        parse_source(Source.from_text(broken, "conf/app.hocon", "hocon"))
    assert not named.value.foreign


def test_engine_reports_only_the_named_file() -> None:
    broken = 'play.filters.cors {\n  allowedOrigins = ["https://a.example"\n'
    result = lint_files({"conf/application.conf": broken, "conf/app.hocon": broken}, select=["E001", "COR002"])
    assert [(d.code, d.path, d.start) for d in result.diagnostics] == [("E001", "conf/app.hocon", (3, 1))]


def test_pyhocon_is_imported_only_when_a_hocon_file_is_parsed(tmp_path: Path) -> None:
    """A run that meets no HOCON file never imports pyhocon (nor pyparsing behind it)."""
    import subprocess
    import sys

    (tmp_path / ".git").mkdir()
    (tmp_path / "app.py").write_text("from flask_cors import CORS\nCORS(app)\n")
    probe = (
        "import sys\nfrom authlint.cli.main import main\n"
        "try:\n    main(['check', '--no-cache', '.'])\nexcept SystemExit:\n    pass\n"
        "print('pyhocon' in sys.modules)\n"
    )
    done = subprocess.run([sys.executable, "-c", probe], cwd=tmp_path, capture_output=True, text=True, check=False)
    assert done.stdout.strip().splitlines()[-1] == "False", done.stdout + done.stderr
    (tmp_path / "application.conf").write_text('akka-http-cors.allowed-origins = "*"\n')
    done = subprocess.run([sys.executable, "-c", probe], cwd=tmp_path, capture_output=True, text=True, check=False)
    assert done.stdout.strip().splitlines()[-1] == "True", done.stdout + done.stderr


def test_a_quoted_key_holding_dots_is_one_segment() -> None:
    text = 'play.server.netty.option {\n  "io.netty.channel.unix.UnixChannelOption#SO_REUSEPORT" = true\n}\n'
    document = parse(text)
    path = ("play", "server", "netty", "option", "io.netty.channel.unix.UnixChannelOption#SO_REUSEPORT")
    assert document.value(path) is True
    assert written(text, document, path)[2] == "true"
