"""Secret spans of dotenv files: values named like secrets or keys; references, switches, numbers
and names about a secret stay shown."""

from __future__ import annotations

import pytest

from tests.facts.secrets.marks import check

POSITIVE = {
    "plain": "JWT_SECRET=⟦supersecret⟧\n",
    "exported with a comment": "export NATS_TOKEN=⟦tok-123⟧  # rotate monthly\n",
    "quoted": "DB_PASSWORD='⟦p@ss word⟧'\nAPI_KEY=\"⟦abc\\\"def⟧\"\n",
    "key names": "JWT_KEY=⟦k1⟧\nSIGNING_KEY=⟦k2⟧\nJWT_SIGNER=⟦k3⟧\n",
    # the lines of the value, joined by the pattern set's PEM span
    "multi-line private key": 'JWT_PRIVATE_KEY="⟦-----BEGIN PRIVATE KEY-----\nMIIEvQ\n-----END PRIVATE KEY-----⟧"\n',
    "single-quoted dollar": "SECRET_KEY='⟦$abc⟧'\n",
    "url password": "DATABASE_URL=postgres://app:⟦pw⟧@db/app\n",
}

NEGATIVE = {
    "references": "JWT_SECRET=${JWT_SECRET}\nNATS_TOKEN=$TOKEN\n",
    "about secrets": "TOKEN_TTL=15m\nSECRET_NAME=jwt-secret\nPASSWORD_FILE=/run/secrets/db\nJWT_EXPIRES_IN=1h\n",
    "switches and numbers": "REQUIRE_TOKEN=true\nPASSWORD_MIN_LENGTH=12\n",
    "other settings": "NODE_ENV=production\nPORT=8080\n# JWT_SECRET=commented-out\n",
    "empty": "JWT_SECRET=\n",
}


@pytest.mark.parametrize("marked", POSITIVE.values(), ids=POSITIVE.keys())
def test_secret_values_are_found(marked: str) -> None:
    check(".env", marked)


@pytest.mark.parametrize("text", NEGATIVE.values(), ids=NEGATIVE.keys())
def test_settings_are_not_secrets(text: str) -> None:
    check("prod.env", text)


def test_compose_environment_names_a_key_as_a_secret() -> None:
    check("compose.yml", "services:\n  app:\n    environment:\n      JWT_KEY: ⟦k⟧\n      JWT_ALGORITHM: HS256\n")
