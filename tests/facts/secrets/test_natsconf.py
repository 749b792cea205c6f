"""Secret spans of nats-server configs: passwords, tokens, seeds and encryption keys as written
(through variables to their definition), never names, references, hashes or public keys."""

from __future__ import annotations

import pytest

from tests.facts.secrets.marks import check, parses

HASH = "$2a$11$W2zko751KUvVy59mUTWmpOdWjpEm5qhcCZRd05GjI/sSOT.xtiHyG"
PUBLIC_NKEY = "UDXU4RCSJNZOIQHZNWXHXORDPRTGNJAHAHFRGZNEEJCPQTT2M7NLCNF4"
SEED = "SUANQDPB2RUOE4ETUA26CNX7FUKE5ZZKFCQIIW63OX225F2CO7UEXTM7ZY"

POSITIVE = {
    "token": 'authorization {\n  token: "⟦s3cr3t-t0ken-for-clients⟧" # shared\n}\n',
    "bare token": "authorization { token: ⟦secret⟧ }\n",
    "user password": "authorization { user: admin, password: ⟦T0pS3cr3t⟧, timeout: 2 }\n",
    "users": "authorization {\n  users: [\n    {user: alice, password: '⟦wonderland-42⟧'}\n    {user: bob, pass: ⟦b0b⟧}\n  ]\n}\n",
    "account users": "accounts {\n  A: { users: [ {user: a, password: ⟦apass⟧} ] }\n}\n",
    "variable definition": 'PASS: "⟦wonderland-42⟧"\nauthorization { user: a, password: $PASS }\n',
    "variable assignment": "TOKEN = ⟦abc-var-token⟧\nauthorization { token: $TOKEN }\n",
    "numeric password": "authorization { user: a, password: ⟦123456⟧ }\n",
    "block string": "authorization {\n  token: (\n⟦line-one⟧\n⟦line-two⟧\n)\n}\n",
    "route url": (
        "cluster {\n  authorization { user: ruser, password: ⟦T0pS3cr3t⟧ }\n"
        "  routes: [ nats-route://ruser:⟦T0pS3cr3t⟧@127.0.0.1:6222 ]\n}\n"
    ),
    "lone token in url": "cluster { routes: [ nats-route://⟦s3cr3ttok⟧@10.0.0.2:6222 ] }\n",
    "leafnode url": 'leafnodes { remotes: [ { url: "nats-leaf://admin:⟦hunter2hunter2⟧@hub:7422" } ] }\n',
    "leafnode seed": f'leafnodes {{ remotes: [ {{ url: "nats://hub:7422", seed: ⟦{SEED}⟧ }} ] }}\n',
    "short seed": "leafnodes { remotes: [ { url: \"nats://hub:7422\", nkey: ⟦SUAPLACEHOLDER⟧ } ] }\n",
    "seed in a comment": f"# seed: ⟦{SEED}⟧\nport: 4222\n",
    "jetstream key": 'jetstream {\n  store_dir: /data\n  key: "⟦enc-key-0123⟧"\n  prev_key: ⟦old-key⟧\n}\n',
    "websocket": "websocket { port: 8080, no_tls: true, authorization { token: ⟦ws-token⟧ } }\n",
    "fragment": "ORDERS { users: [ {user: o, password: ⟦fragpass⟧} ] }\n",
    "jwt": "operator: ⟦eyJ0eXAiOiJKV1QiLCJhbGciOiJlZDI1NTE5In0.eyJuYW1lIjoibyJ9.c2ln⟧\n",
}

NEGATIVE = {
    "bcrypt hash": f'authorization {{ token: "{HASH}" }}\n',
    "bare bcrypt hash": f"authorization {{ users: [ {{user: a, password: {HASH}}} ] }}\n",
    "environment": "authorization { token: $NATS_TOKEN }\n",
    "public nkey": f"authorization {{ users: [ {{nkey: {PUBLIC_NKEY}}} ] }}\n",
    "url without credentials": "cluster { routes: [ nats-route://10.0.0.2:6222 ] }\n",
    "names and numbers": "port: 4222\nserver_name: token-server\nwebsocket { token_cookie: my_token }\nmax_payload: 1MB\n",
    "creds path": 'leafnodes { remotes: [ { url: "nats://hub:7422", credentials: "/etc/nats/leaf.creds" } ] }\n',
}


@pytest.mark.parametrize("marked", POSITIVE.values(), ids=POSITIVE.keys())
def test_secret_values_are_found(marked: str) -> None:
    check("nats-server.conf", marked)


@pytest.mark.parametrize("text", NEGATIVE.values(), ids=NEGATIVE.keys())
def test_settings_are_not_secrets(text: str) -> None:
    assert parses("nats-server.conf", text)
    check("nats-server.conf", text)


def test_reference_is_shown_and_definition_masked() -> None:
    """``token: $TOKEN``: the variable's definition holds the secret; the reference is a name."""
    check("nats-server.conf", 'TOKEN: "⟦abc⟧"\nauthorization {\n  token: $TOKEN\n}\n')


UNPARSABLE = {
    "nats-server.conf": "authorization {\n  token: ⟦s3cr3t-tok⟧ {{\n  user: alice\n  password = \"⟦wonder⟧\"\n}\n",
    "docker-compose.yml": "services:\n  app:\n    environment:\n      NATS_TOKEN: ⟦abc-123⟧\n      TOKEN_TTL: 15\n    - [\n",
    "app.py": "x = 1\nJWT_SECRET = \"⟦abcdef12345⟧\" +\nTOKEN_TTL = \"15\"\npassword = prompt\n",
}


@pytest.mark.parametrize("relpath", sorted(UNPARSABLE))
def test_a_file_that_does_not_parse_still_masks_named_values(relpath: str) -> None:
    """The finders need the parsed file; the E001 frame shows the text anyway, so secret-named
    values are found line by line (only quoted ones in code)."""
    marked = UNPARSABLE[relpath]
    assert not parses(relpath, marked.replace("⟦", "").replace("⟧", ""))
    check(relpath, marked)
