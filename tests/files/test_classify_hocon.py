"""A ``.conf`` is HOCON (for authlint) by content alone: Play / akka-http-cors CORS settings, in a
file that is neither nats-server's nor nginx's; ``*.hocon`` is HOCON by name."""

from __future__ import annotations

from pathlib import Path

import pytest

from authlint.files.classify import classify, looks_like_hocon
from authlint.files.textfiles import classify_text
from tests.shared import NATS_CORPUS, require

PLAY_DOTTED = b'play.filters.enabled += "play.filters.cors.CORSFilter"\nplay.filters.cors.allowedOrigins = null\n'
PLAY_NESTED = b'play {\n  filters {\n    cors {\n      supportsCredentials = false\n    }\n  }\n}\n'
AKKA = b'akka-http-cors {\n  allowed-origins = "*"\n}\n'
PEKKO = b"pekko.http.cors {\n  allow-credentials = no\n}\n"
NGINX_WITH_CORS_WORDS = b'server {\n  listen 80;\n  # allowedOrigins come from the app\n  add_header X-A "allowed-origins";\n}\n'
NATS_WITH_CORS_WORDS = b'port: 4222\nwebsocket {\n  port: 8080\n  allowed_origins: ["https://a.example"]  # allowedOrigins\n}\n'


@pytest.mark.parametrize(
    ("name", "raw", "kind"),
    [
        ("application.conf", PLAY_DOTTED, "hocon"),
        ("application.conf", PLAY_NESTED, "hocon"),
        ("application.conf", AKKA, "hocon"),
        ("prod.conf", PEKKO, "hocon"),
        ("service.hocon", b"a = 1\n", "hocon"),
        # a list element on a line of its own is a URL, not nats-server's `https` key
        ("application.conf", b'play.filters.cors {\n  allowedOrigins = [\n    "https://a.example",\n  ]\n}\n', "hocon"),  # the suffix says HOCON, whatever it holds
        ("nginx.conf", NGINX_WITH_CORS_WORDS, "nginx"),  # nginx first, even with HOCON's words in it
        ("site.conf", NGINX_WITH_CORS_WORDS, "nginx"),
        ("nats.conf", NATS_WITH_CORS_WORDS, "natsconf"),  # nats-server first
        ("server.conf", NATS_WITH_CORS_WORDS, "natsconf"),
        ("application.conf", b"play.http.secret.key = ${?APP_SECRET}\ndb.default.url = ${?DATABASE_URL}\n", None),
        ("application.conf", b'akka {\n  loglevel = "INFO"\n}\n', None),  # HOCON, but nothing authlint reads
        ("cors.ini", b"[cors]\nallowed-origins = *\n", None),
        ("supervisord.conf", b"[program:app]\ncommand=run --allowed-origins=*\n", None),  # an INI file
        ("application.yaml", AKKA, "yaml"),  # other suffixes keep their kinds
    ],
)
def test_kind(name: str, raw: bytes, kind: str | None) -> None:
    assert classify(name, raw) == kind


def test_text_files_stay_text() -> None:
    assert classify_text("application.conf", b'akka.loglevel = "INFO"\n') == "text"
    assert classify_text("application.conf", AKKA) == "hocon"


def test_nested_cors_block_needs_a_play_or_akka_block() -> None:
    assert looks_like_hocon(PLAY_NESTED)
    assert not looks_like_hocon(b"cors {\n  enabled = true\n}\n")


def test_the_nats_corpus_stays_natsconf() -> None:
    """Every nats-server config of the shared corpus (336 files from public repositories) is still
    nats-server's: HOCON is asked after nats and never takes one."""
    corpus = require(NATS_CORPUS)
    configs = sorted(corpus.rglob("*.conf"))
    assert len(configs) >= 336
    kinds = {path: classify(path.name, path.read_bytes(), path.parent.name) for path in configs}
    assert [str(Path(p).relative_to(corpus)) for p, kind in kinds.items() if kind != "natsconf"] == []
