"""CorsPolicy facts from HOCON: Play's CORS filter and akka-http-cors, with their reference.conf
defaults, read the way each library reads them."""

from __future__ import annotations

from authlint.facts.model import CorsPolicy
from authlint.files.source import Source
from authlint.run.context import FileContext

ENABLE = 'play.filters.enabled += "play.filters.cors.CORSFilter"\n'


def policies(text: str, relpath: str = "conf/application.conf") -> list[CorsPolicy]:
    ctx = FileContext(Source.from_text(text, relpath, "hocon"))
    return [fact for fact in ctx.facts.items if isinstance(fact, CorsPolicy)]


def one(text: str) -> CorsPolicy:
    found = policies(text)
    assert len(found) == 1, found
    return found[0]


def test_play_enabled_with_nothing_configured_allows_every_origin_with_credentials() -> None:
    policy = one(ENABLE)
    assert policy.framework == "play-cors" and policy.lang == "hocon"
    assert policy.allowed.kind == "any" and policy.allowed.default
    assert policy.allows_credentials is True and policy.credentials_default
    assert not policy.allowed.literal_star  # with credentials Play answers with the caller's origin
    assert policy.source.slice(policy.span) == ENABLE.strip()


def test_play_null_is_every_origin_and_the_switch_a_fix_turns_into_a_list() -> None:
    text = ENABLE + "play.filters.cors {\n  allowedOrigins = null\n  supportsCredentials = false\n}\n"
    policy = one(text)
    assert policy.allowed.kind == "any" and policy.allows_credentials is False
    assert policy.allowed.switch is not None and policy.source.slice(policy.allowed.switch.value.span) == "null"
    assert policy.source.slice(policy.span) == "null"


def test_play_configured_without_enabling_is_read() -> None:
    policy = one('play.filters.cors.allowedOrigins = ["https://a.example", "null"]\n')
    assert policy.allowed.kind == "list" and policy.allowed.exact
    assert [(e.value, e.located, policy.source.slice(e.span)) for e in policy.allowed.entries] == [
        ("https://a.example", True, "https://a.example"), ("null", True, "null")]


def test_play_star_entry_is_sent_literally() -> None:
    policy = one('play.filters.cors { allowedOrigins = ["https://a.example", "*"] }\n')
    assert policy.allowed.kind == "any" and policy.allowed.literal_star


def test_play_not_enabled_nor_configured_or_disabled_is_no_policy() -> None:
    assert policies('play.filters.enabled += "play.filters.csrf.CSRFFilter"\n') == []
    assert policies(ENABLE + 'play.filters.disabled += "play.filters.cors.CORSFilter"\n') == []
    assert policies('play.http.secret.key = "changeme"\n') == []


def test_play_filters_listed_in_a_list_enable_it() -> None:
    policy = one('play.filters.enabled = ["play.filters.csrf.CSRFFilter", "play.filters.cors.CORSFilter"]\n')
    assert policy.allowed.kind == "any"


def test_play_substitution_is_unknown() -> None:
    policy = one("play.filters.cors {\n  allowedOrigins = ${?CORS_ORIGINS}\n  supportsCredentials = ${?CREDS}\n}\n")
    assert policy.allowed.kind == "unknown" and policy.allows_credentials is None


def test_play_credentials_words() -> None:
    assert one("play.filters.cors.supportsCredentials = off\n").allows_credentials is False
    assert one("play.filters.cors.supportsCredentials = yes\n").allows_credentials is True


def test_akka_defaults_and_block_generations() -> None:
    for block, label in (("akka-http-cors", "akka-http-cors"), ("akka.http.cors", "akka-http"),
                         ("pekko.http.cors", "pekko-http")):
        policy = one(f"{block} {{\n  max-age = 60 seconds\n}}\n")
        assert policy.framework == label
        assert policy.allowed.kind == "any" and policy.allowed.default
        assert policy.allows_credentials is True and not policy.allowed.literal_star
        assert policy.allowed.setting == "allowed-origins"


def test_akka_string_of_origins_separated_by_spaces() -> None:
    policy = one('akka-http-cors.allowed-origins = "https://a.example https://b.example"\n')
    assert policy.allowed.kind == "list" and policy.allowed.values == ["https://a.example", "https://b.example"]


def test_akka_star_without_credentials() -> None:
    policy = one('akka-http-cors {\n  allowed-origins = "*"\n  allow-credentials = no\n}\n')
    assert policy.allowed.kind == "any" and policy.allows_credentials is False
    assert policy.source.slice(policy.span) == '"*"'


def test_a_file_with_both_gives_both() -> None:
    found = policies(ENABLE + 'akka-http-cors.allowed-origins = ["https://a.example"]\n')
    assert sorted(p.framework for p in found) == ["akka-http-cors", "play-cors"]


def test_insertion_points() -> None:
    block = one('play.filters.cors {\n  # c\n  pathPrefixes = ["/api"]  # api only\n}\n')
    assert block.options.insert_prefix == "\n  " and block.options.insert_at is not None
    dotted = one("play.filters.cors.pathPrefixes = [\"/\"]\n")
    assert dotted.options.insert_prefix == "\nplay.filters.cors."
    nested = one('play {\n  filters {\n    enabled += "play.filters.cors.CORSFilter"\n  }\n}\n')
    assert nested.options.insert_prefix == "\n    cors."
