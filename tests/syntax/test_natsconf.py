"""The NATS config parser against nats-config.md §1 and the §7 construct table."""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

import pytest

from authlint.syntax.errors import ParseError
from authlint.syntax.natsconf import ArrayNode, MapNode, parse_text


def parse(text: str, **kw):
    kw.setdefault("env", {})
    return parse_text(text, **kw)


def value(text: str, key: str = "x", **kw):
    entry = parse(text, **kw).root.get(key)
    assert entry is not None, f"{key} missing in {text!r}"
    return entry.value


@pytest.mark.parametrize(
    "text, expected",
    [
        ("x: 0.0.0.0:4222", "0.0.0.0:4222"),
        ("x: localhost:4222", "localhost:4222"),
        ("x 4222", 4222),
        ("x = 4222", 4222),
        ("x: 2m", 2_000_000),
        ("x: 1MB", 1_048_576),
        ("x: 10Gi", 10_737_418_240),
        ("x: 10G", 10**10),
        ("x: 5k", 5000),
        ("x: 1kib", 1024),
        ("x: 3e", 3 * 10**18),
        ("x: -5", -5),
        ("x: -2k", -2000),
        ("x: 10s", "10s"),
        ("x: 1h", "1h"),
        ("x: 5ms", "5ms"),
        ("x: 2min", "2min"),
        ("x: 30d", "30d"),
        ("x: 1.5", 1.5),
        ("x: -0.25", -0.25),
        ("x: yes", True),
        ("x: on", True),
        ("x: TRUE", True),
        ("x: off", False),
        ("x: No", False),
        ('x: "true"', "true"),
        ('x: "4222"', "4222"),
        ("x: pa#ss", "pa#ss"),
        ("x: nats://u:p@h:4222", "nats://u:p@h:4222"),
        ("x: 'secret'", "secret"),
        ("x: 'a\\tb'", "a\\tb"),
        ('x: "a\\x41b"', "aAb"),
        ('x: "t\\t\\n\\r\\"\\\\"', 't\t\n\r"\\'),
        ("x: a\\tb", "a\tb"),
        ("x: $2a$11$abcdefghijklmnopqrstuv", "$2a$11$abcdefghijklmnopqrstuv"),
        ("x: (\nabc\n)\n", "\nabc\n"),
        ("x: (\n  a ) b\n)", "\n  a ) b\n"),
        ('x: "multi\nline"', "multi\nline"),
        ("x: 1]", "1]"),
        ("x: 5#c", "5#c"),
        ("x:", ""),
        ("x: ab'", "ab"),  # a quote ends an unquoted string and is dropped
        ("x: 12'cd'", "12'cd"),
        ("x: -0.0.0.0:1", "-0.0.0.0:1"),
        ("x: -2mx", "-2mx"),
    ],
)
def test_scalar_values(text: str, expected: object) -> None:
    node = value(text)
    assert node.value == expected
    assert type(node.value) is type(expected)


def test_datetime() -> None:
    node = value("x: 2016-05-04T18:53:41Z")
    assert node.kind == "datetime"
    assert node.value == datetime(2016, 5, 4, 18, 53, 41, tzinfo=timezone.utc)


@pytest.mark.parametrize(
    "text",
    [
        "x: 1.5s",
        "x: 10.0.0.1/8",
        "x: [1]",
        "x: [1, 2]",
        "server_name: hello world",
        "authorization { user: a password: b }",
        "/* c */\nport: 1",
        'x: "bad \\q escape"',
        'x: "\\x4"',
        "x: .5",
        "x:\n  5",
        "authorization{ user: a }",
        "x: (\nnever closed",
        'x: "never closed',
        "x: { a: 1",
        "x: [ a, , b ]",
        "x: 2kbb",
        "x: 123-45",
        "x: 99999999999999999999",
        "x: $UNDEFINED",
        "x: $2b$11$abcdefghijklmnopqrstuv",
        "x: ab'cd",
    ],
)
def test_parse_errors_are_parse_errors(text: str) -> None:
    with pytest.raises(ParseError):
        parse(text, strict=True)


def test_terminators_and_separators() -> None:
    config = parse("port: 4222; debug: true\nx = 1, y = 2\nz 3\n")
    assert config.py() == {"port": 4222, "debug": True, "x": 1, "y": 2, "z": 3}
    config = parse("m { a: 1; b: 2, c: 3\n d 4 }")
    assert config.py() == {"m": {"a": 1, "b": 2, "c": 3, "d": 4}}


def test_key_forms() -> None:
    config = parse("\"quoted key\": 1\n'single': 2\nmappings { bar.*.*: baz.$2.$1 }\nusers [ {user: a} ]\n")
    assert config.py() == {
        "quoted key": 1,
        "single": 2,
        "mappings": {"bar.*.*": "baz.$2.$1"},
        "users": [{"user": "a"}],
    }


def test_whole_file_in_braces() -> None:
    config = parse('{\n  "port": 4222,\n  "debug": true\n}\n')
    assert config.wrapped
    assert config.py() == {"port": 4222, "debug": True}


def test_comments_kept_with_spans() -> None:
    text = "# head\nport: 4222 // trailing\nx: [ a # in array\n b ]\n"
    config = parse(text)
    assert [c.text for c in config.comments] == ["# head", "// trailing", "# in array"]
    for comment in config.comments:
        assert text[comment.span.start : comment.span.end] == comment.text
    assert config.py() == {"port": 4222, "x": ["a", "b"]}


def test_spans_are_exact() -> None:
    text = "authorization {\n  user: \"alice\"\n  'password': s3cr#t\n  timeout: 2m\n}\n"
    config = parse(text)
    auth = config.root.get("authorization")
    assert isinstance(auth.value, MapNode)
    for entry in auth.value.entries:
        assert text[entry.key_span.start : entry.key_span.end] == entry.key
        assert text[entry.value.span.start : entry.value.span.end] == entry.value.raw
    user = auth.value.get("user").value
    assert (user.raw, user.value, user.style) == ('"alice"', "alice", "double")
    password = auth.value.get("password")
    assert password.key_raw == "'password'" and password.value.value == "s3cr#t"
    timeout = auth.value.get("timeout").value
    assert (timeout.kind, timeout.raw, timeout.value) == ("integer", "2m", 2_000_000)
    assert text[auth.value.span.start : auth.value.span.end].startswith("{") and auth.value.raw.endswith("}")


def test_arrays_and_maps() -> None:
    node = value("x: [\n  a  # c\n  b, c\n  { k: v }\n  [1 ]\n]\n")
    assert isinstance(node, ArrayNode)
    assert node.py() == ["a", "b", "c", {"k": "v"}, [1]]
    assert value("x: [ a, b, ]").py() == ["a", "b"]
    assert value("x { a {\n b: 1 } }").py() == {"a": {"b": 1}}
    assert value("x {\n a:\n   1\n}").py() == {"a": 1}  # in maps a value may follow a newline


def test_variables_resolve_innermost_earlier_then_env() -> None:
    config = parse(
        "A: outer\nB: 5k\nm {\n  A: inner\n  x: $A\n  y: $B\n}\nz: $A\nw: $HOME_DIR\n",
        env={"HOME_DIR": "2m"},
    )
    m = config.root.get("m").value
    assert m.get("x").value.value == "inner"
    assert m.get("y").value.value == 5000
    assert config.root.get("z").value.value == "outer"
    w = config.root.get("w").value
    assert (w.value, w.from_env, w.variable) == (2_000_000, True, "HOME_DIR")
    assert config.root.get("A").used_as_variable and config.root.get("B").used_as_variable
    x = m.get("x").value
    assert x.target is m.get("A").value and x.origin is m.get("A").value


def test_variable_only_sees_earlier_keys() -> None:
    config = parse("x: $LATER\nLATER: 1\n")
    assert config.root.get("x").value.kind == "unresolved"
    assert [p.kind for p in config.problems] == ["variable"]
    with pytest.raises(ParseError) as info:
        parse("x: $LATER\nLATER: 1\n", strict=True)
    assert info.value.offset == 3


def test_unresolved_variable_is_not_fatal_in_lint_mode() -> None:
    config = parse("authorization { token: $TOKEN }\nport: 4222\n")
    assert config.root.get("port").value.value == 4222
    assert config.problems[0].name == "TOKEN"


def test_duplicate_keys_last_wins_but_all_kept() -> None:
    config = parse("authorization { user: a }\nauthorization { token: t }\n")
    assert len(config.root.all("authorization")) == 2
    assert config.py() == {"authorization": {"token": "t"}}


def test_parse_error_offsets_give_lines() -> None:
    text = "port: 4222\nauthorization {\n  user: a password: b\n}\n"
    with pytest.raises(ParseError) as info:
        parse(text)
    line = text.count("\n", 0, info.value.offset) + 1
    assert line == 3


def test_include_relative_to_including_file(tmp_path: Path) -> None:
    (tmp_path / "conf" / "inc").mkdir(parents=True)
    (tmp_path / "conf" / "inc" / "users.conf").write_text("include ./pw.conf;\nusers = [ {user: a, password: $PA} ]\n")
    (tmp_path / "conf" / "inc" / "pw.conf").write_text("PA: $2a$10$abcdefghijklmnopqrstuv\n")
    main = tmp_path / "conf" / "main.conf"
    text = "authorization {\n  include 'inc/users.conf' # from file\n  timeout: 0.5\n}\n"
    config = parse_text(text, main, root=tmp_path, env={}, strict=True)
    auth = config.root.get("authorization").value
    assert auth.py()["users"] == [{"user": "a", "password": "$2a$10$abcdefghijklmnopqrstuv"}]
    users = auth.get("users")
    assert users.source.relpath == "conf/inc/users.conf" and users.include is config.includes[0]
    assert config.includes[0].path == "inc/users.conf"


@pytest.mark.parametrize(
    "layout, status",
    [
        ({"a.conf": "include b.conf\n", "b.conf": "include a.conf\n"}, "loop"),
        ({"a.conf": "include a.conf\n"}, "loop"),
        ({"a.conf": "include missing.conf\n"}, "missing"),
        ({"a.conf": "include ../outside.conf\n"}, "outside-root"),
        ({"a.conf": "include /etc/passwd\n"}, "missing"),  # joined to the folder, as Go's filepath.Join does
        ({"a.conf": "include bad.conf\n", "bad.conf": "x: [1]\n"}, "error"),
    ],
)
def test_include_problems_are_reported_not_raised(tmp_path: Path, layout: dict[str, str], status: str) -> None:
    root = tmp_path / "root"
    root.mkdir()
    (tmp_path / "outside.conf").write_text("port: 1\n")
    for name, text in layout.items():
        (root / name).write_text(text)
    config = parse_text(layout["a.conf"], root / "a.conf", root=root, env={})
    statuses = [inc.status for inc in config.includes if inc.status != "ok"]
    assert statuses and statuses[-1] == status
    assert config.problems and config.problems[-1].kind == "include"
    assert "port" not in config.py() or status != "outside-root"
    with pytest.raises(ParseError):
        parse_text(layout["a.conf"], root / "a.conf", root=root, env={}, strict=True)


def test_include_without_root_reads_nothing(tmp_path: Path) -> None:
    (tmp_path / "b.conf").write_text("port: 1\n")
    config = parse_text("include b.conf\n", tmp_path / "a.conf", root=None, env={})
    assert config.includes[0].status == "outside-root" and config.py() == {}


def test_include_keyword_needs_whitespace() -> None:
    assert parse("include: x\n").py() == {"include": "x"}


def test_dangling_key_in_map_is_accepted_and_recorded() -> None:
    config = parse("mqtt {\n  port: 1883\n  ...\n}\n")
    assert [p.kind for p in config.problems] == ["dangling"]


def test_include_symlink_out_of_root_and_fifo_are_not_read(tmp_path: Path) -> None:
    import os

    root = tmp_path / "root"
    root.mkdir()
    (tmp_path / "secret.conf").write_text("port: 1\n")
    (root / "link.conf").symlink_to(tmp_path / "secret.conf")
    os.mkfifo(root / "pipe.conf")
    config = parse_text("include link.conf\ninclude pipe.conf\n", root / "a.conf", root=root, env={})
    assert [inc.status for inc in config.includes] == ["outside-root", "unreadable"]
    assert config.py() == {}


def test_include_diamond_is_bounded(tmp_path: Path) -> None:
    for i in range(20):
        (tmp_path / f"f{i}.conf").write_text(f"include f{i + 1}.conf\ninclude f{i + 1}.conf\nk{i}: 1\n")
    config = parse_text("include f0.conf\n", tmp_path / "main.conf", root=tmp_path, env={})
    assert any(inc.status == "too-deep" for inc in config.includes)


def test_deep_nesting_is_a_parse_error_not_a_crash() -> None:
    with pytest.raises(ParseError):
        parse("a " + "{ b " * 3000 + "}" * 3000 + "\n")


def test_crlf_line_endings() -> None:
    text = "port: 4222\r\nauthorization {\r\n  token: \"t\"\r\n}\r\n"
    config = parse(text)
    assert config.py() == {"port": 4222, "authorization": {"token": "t"}}
    token = config.root.get("authorization").value.get("token").value
    assert text[token.span.start : token.span.end] == "\"t\""
