"""NAT010's join logic against hand-built ``NatsClient`` facts (the extractors live elsewhere)."""

from __future__ import annotations

from pathlib import Path

import bcrypt
import pytest

from authlint.config.settings import Settings
from authlint.facts.model import Expr, FileFacts, NatsClient, Option, OptionBag
from authlint.files.source import Source, Span
from authlint.rules.nats.nat010_client_credential_mismatch import CROSS_FILE_EXAMPLES, ClientCredentialMismatch
from authlint.run.context import FileContext, Project

CLIENT_CODE = 'nc = await nats.connect("nats://127.0.0.1:4222", token="TOKEN", user="USER", password="PASS")\n'


def _client(lang: str = "python", library: str = "nats-py", **options: str) -> FileContext:
    text = CLIENT_CODE
    source = Source(path=Path("/p/app.py"), relpath="app.py", text=text, kind=lang)
    bag = OptionBag()
    for name, value in options.items():
        start = text.find({"token": "TOKEN", "user": "USER"}.get(name, "PASS"))
        span = Span(start, start + 4)
        bag.items[name] = Option(name, Expr(span, repr(value), value), span, span)
    # what the extractors give: the credentials in their meaning (nats.js spells the password `pass`)
    facts = FileFacts([NatsClient(
        source, Span(0, len(text)), lang, library=library, options=bag,
        token=bag.get("token"), user=bag.get("user"), password=bag.get("password") or bag.get("pass"),
    )])
    return FileContext(source, Settings(root=Path("/p")), _facts=facts)


def _server(text: str, relpath: str = "nats-server.conf") -> FileContext:
    source = Source(path=Path("/p") / relpath, relpath=relpath, text=text, kind="natsconf")
    return FileContext(source, Settings(root=Path("/p")))


def _run(*contexts: FileContext) -> list[str]:
    project = Project(list(contexts), Settings(root=Path("/p")))
    return [d.message for d in ClientCredentialMismatch().check_project(project)]


TOKEN = "Zq8v1LwQe3rT9yUx"


def test_matching_plain_token_is_silent() -> None:
    assert _run(_server(f'authorization {{ token: "{TOKEN}" }}\n'), _client(token=TOKEN)) == []


def test_wrong_token_is_reported_redacted() -> None:
    messages = _run(_server(f'authorization {{ token: "{TOKEN}" }}\n'), _client(token=TOKEN + "!"))
    assert len(messages) == 1
    assert "matches no token" in messages[0] and "Authorization Violation" in messages[0]
    assert TOKEN not in messages[0]


def test_bcrypt_token_in_config_is_checked_against_the_plaintext() -> None:
    hashed = bcrypt.hashpw(TOKEN.encode(), bcrypt.gensalt(4)).decode()
    server = _server(f'authorization {{ token: "{hashed}" }}\n')
    assert _run(server, _client(token=TOKEN)) == []
    assert len(_run(server, _client(token="other-token-value"))) == 1


def test_user_and_password() -> None:
    server = _server(f'authorization {{ users: [ {{user: alice, password: "{TOKEN}"}} ] }}\n')
    assert _run(server, _client(user="alice", password=TOKEN)) == []
    assert "is not a user" in _run(server, _client(user="carol", password=TOKEN))[0]
    assert "does not match" in _run(server, _client(user="alice", password="nope-nope-nope"))[0]


def test_nats_js_pass_option() -> None:
    server = _server(f'accounts {{ A {{ users: [ {{user: alice, password: "{TOKEN}"}} ] }} }}\n')
    assert _run(server, _client("javascript", "nats.js", user="alice", **{"pass": TOKEN})) == []
    assert len(_run(server, _client("javascript", "nats.js", user="alice", **{"pass": "wrong-wrong"}))) == 1


def test_token_against_users_only_server() -> None:
    server = _server(f'authorization {{ users: [ {{user: alice, password: "{TOKEN}"}} ] }}\n')
    assert "take no token" in _run(server, _client(token=TOKEN))[0]


@pytest.mark.parametrize(
    "config",
    [
        "port: 4222\n",  # no auth: the server ignores credentials
        "authorization { token: $NATS_TOKEN }\n",  # from the environment: cannot judge
    ],
)
def test_silent_when_it_cannot_know(config: str) -> None:
    assert _run(_server(config), _client(token=TOKEN)) == []


def test_any_of_several_configs_may_accept() -> None:
    first = _server(f'authorization {{ token: "{TOKEN}" }}\n', "a/nats-server.conf")
    second = _server('authorization { token: "another-long-token" }\n', "b/nats-server.conf")
    assert _run(first, second, _client(token="another-long-token")) == []


def test_cross_file_examples_are_kept_for_after_the_merge() -> None:
    assert any(not e.valid for e in CROSS_FILE_EXAMPLES) and any(e.valid for e in CROSS_FILE_EXAMPLES)
    assert all(e.path.endswith((".py", ".mjs")) and "nats-server.conf" in e.files for e in CROSS_FILE_EXAMPLES)
    for language in (".py", ".mjs"):  # a client in each language the rule claims, valid and invalid
        kept = [e for e in CROSS_FILE_EXAMPLES if e.path.endswith(language)]
        assert any(not e.valid for e in kept) and any(e.valid for e in kept), language
