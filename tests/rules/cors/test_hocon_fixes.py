"""COR001/COR002/COR003 fixes on HOCON, proved by parsing the fixed file with pyhocon (there is no
Play or Akka server here): the origins become exactly the configured ones, every other setting keeps
its value, and the fixed file is clean."""

from __future__ import annotations

import pytest
from pyhocon import ConfigFactory

from authlint.syntax.hocon import plain
from authlint.testing import fix_files, lint_files

ORIGINS = ["https://app.example.com", "https://admin.example.com"]
CODES = ["COR001", "COR002", "COR003"]
ENABLE = 'play.filters.enabled += "play.filters.cors.CORSFilter"\n'
PLAY = ("play", "filters", "cors", "allowedOrigins")
AKKA = ("akka-http-cors", "allowed-origins")


def tree(text: str) -> dict:
    return plain(ConfigFactory.parse_string(text, resolve=False))


def at(config: dict, path: tuple[str, ...]):
    for part in path:
        config = config[part]
    return config


def without(config: dict, path: tuple[str, ...]) -> dict:
    """``config`` with ``path`` removed (and parents it leaves empty)."""
    if len(path) == 1:
        return {k: v for k, v in config.items() if k != path[0]}
    head, *rest = path
    if head not in config:
        return config
    inner = without(config[head], tuple(rest))
    return {**{k: v for k, v in config.items() if k != head}, **({head: inner} if inner else {})}


CASES = [
    (ENABLE, PLAY, ORIGINS),
    (ENABLE + "play.filters.cors {\n  allowedOrigins = null\n}\n", PLAY, ORIGINS),
    ("play.filters.cors { supportsCredentials = true }\n", PLAY, ORIGINS),
    ("play.filters.cors {}\n" + ENABLE, PLAY, ORIGINS),
    ('play {\n  filters {\n    enabled += "play.filters.cors.CORSFilter"\n    csrf.header.bypassHeaders { X-Requested-With = "*" }\n  }\n}\n',
     PLAY, ORIGINS),
    ('play.filters.cors {\n  pathPrefixes = ["/api"]  # api only\n  "supportsCredentials": true\n}\n', PLAY, ORIGINS),
    ('play.filters.cors {\n  allowedOrigins = [\n    "https://admin.example.com", # back office\n    "*"\n  ]\n}\n',
     PLAY, ORIGINS),
    ('akka-http-cors {\n  allowed-origins = "*"\n  allowed-methods = ["GET", "POST"]\n}\n', AKKA, ORIGINS),
    ("akka-http-cors {\n  allow-credentials = false\n  max-age = 30 minutes\n}\n", AKKA, ORIGINS),
    ('akka-http-cors.allowed-origins: ["https://app.example.com/", "*"]\n', AKKA, ORIGINS),
    ("pekko.http.cors {\n  allow-credentials = yes\n}\n", ("pekko", "http", "cors", "allowed-origins"), ORIGINS),
]


@pytest.mark.parametrize(("text", "path", "origins"), CASES)
def test_fixed_file_parses_with_the_configured_origins(text: str, path: tuple[str, ...], origins: list[str]) -> None:
    files = {"conf/application.conf": text}
    before = lint_files(files, select=CODES, allowed_origins=origins)
    assert [d for d in before.diagnostics if d.code in ("COR001", "COR002")], "nothing to fix"
    fixed = fix_files(files, unsafe=True, select=CODES, allowed_origins=origins)["conf/application.conf"]
    assert fixed != text
    old, new = tree(text), tree(fixed)
    # each configured origin, and nothing else (a trailing `/` COR003 drops may repeat one: Play and
    # akka-http-cors hold origins as a set)
    assert set(at(new, path)) == set(origins)
    assert without(new, path) == without(old, path)  # nothing else changed meaning
    after = lint_files({"conf/application.conf": fixed}, select=CODES, allowed_origins=origins)
    assert after.diagnostics == [] and after.errors == []


def test_without_configured_origins_the_placeholder_is_shown_never_applied() -> None:
    files = {"conf/application.conf": ENABLE}
    found = lint_files(files, select=CODES).diagnostics
    assert [d.code for d in found] == ["COR002"]
    assert found[0].fix is not None and found[0].fix.edits
    assert fix_files(files, unsafe=True, select=CODES) == {"conf/application.conf": ENABLE}


def test_a_setting_built_at_run_time_is_not_touched() -> None:
    text = "play.filters.cors.allowedOrigins = ${?CORS_ORIGINS}\n"
    assert lint_files({"conf/application.conf": text}, select=CODES, allowed_origins=ORIGINS).diagnostics == []


def test_trailing_slash_fix_alone_is_safe_and_parses() -> None:
    text = 'play.filters.cors {\n  allowedOrigins = ["https://app.example.com/"]\n  supportsCredentials = false\n}\n'
    fixed = fix_files({"a.hocon": text}, unsafe=False, select=["COR003"])["a.hocon"]
    assert at(tree(fixed), PLAY) == ["https://app.example.com"]
