"""NAT010 joins nats-server.conf with nats.js clients found by the JS extractor."""

from __future__ import annotations

import pytest

from authlint.testing import lint_files

CONF = 'port: 4222\nauthorization {\n  token: "s3cr3t-token-value-xyz"\n}\n'


@pytest.mark.parametrize(
    "client, reported",
    [
        ('import { connect } from "nats";\nawait connect({ servers: ["nats://127.0.0.1:4222"], token: "wrong-token-value-abc" });\n', True),
        ('import { connect } from "nats";\nawait connect({ servers: ["nats://127.0.0.1:4222"], token: "s3cr3t-token-value-xyz" });\n', False),
        ('const { connect } = require("nats.ws");\nawait connect({ servers: "ws://127.0.0.1:8080", token: process.env.NATS_TOKEN });\n', False),
    ],
)
def test_nats_js_token_against_the_server_config(client: str, reported: bool) -> None:
    result = lint_files({"nats-server.conf": CONF, "src/bus.ts": client}, select=["NAT010"])
    assert not result.errors
    assert [(d.path, d.start[0]) for d in result.diagnostics] == ([("src/bus.ts", 2)] if reported else [])


def test_nats_js_url_credentials() -> None:
    conf = 'authorization { users: [ { user: alice, password: "goodpassword1" } ] }\n'
    client = 'import { connect } from "nats";\nawait connect({ servers: "nats://alice:badpass@127.0.0.1:4222" });\n'
    result = lint_files({"nats-server.conf": conf, "bus.mjs": client}, select=["NAT010"])
    assert [d.code for d in result.diagnostics] == ["NAT010"] and "alice" in result.diagnostics[0].message
