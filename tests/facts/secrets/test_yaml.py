"""Secret spans of YAML files: Kubernetes Secret data, secret-named environment entries, credentials
in annotations; references, switches, numbers and names about secrets stay shown."""

from __future__ import annotations

import pytest

from tests.facts.secrets.marks import check, parses

POSITIVE = {
    "compose mapping": (
        "services:\n  app:\n    image: app\n    environment:\n"
        "      JWT_SECRET: ⟦supersecret⟧\n      NATS_TOKEN: '⟦quoted-tok⟧'\n      DB_PASSWORD: \"⟦p@ss⟧\"\n"
    ),
    "compose list": "services:\n  app:\n    environment:\n      - API_KEY=⟦abcdef⟧\n      - \"NATS_PASSWORD=⟦q-pass⟧\"\n",
    "kubernetes env": (
        "apiVersion: apps/v1\nkind: Deployment\nspec:\n  template:\n    spec:\n      containers:\n"
        "        - name: app\n          env:\n            - name: JWT_SECRET\n              value: ⟦k8s-secret⟧\n"
    ),
    "secret data": "apiVersion: v1\nkind: Secret\nmetadata:\n  name: creds\ndata:\n  password: ⟦aHVudGVyMg==⟧\n",
    "secret string data": (
        "apiVersion: v1\nkind: Secret\nmetadata:\n  name: creds\nstringData:\n"
        "  nats.conf: |\n    ⟦authorization { token: abc }⟧\n  user: \"⟦admin⟧\"\n"
    ),
    "annotation header": (
        "apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: api\n  annotations:\n"
        "    nginx.ingress.kubernetes.io/configuration-snippet: |\n"
        "      proxy_set_header Authorization \"Bearer ⟦tok123abc⟧\";\n"
    ),
    "url password": "services:\n  app:\n    environment:\n      DATABASE_URL: postgres://app:⟦pw⟧@db/app\n",
    "jwt": "config:\n  sample: ⟦eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.sig⟧\n",
}

NEGATIVE = {
    "references": (
        "services:\n  app:\n    environment:\n      JWT_SECRET: ${JWT_SECRET}\n      NATS_TOKEN: $NATS_TOKEN\n"
        "      DB_PASSWORD: '${DB_PASSWORD:?required}'\n"
    ),
    "about secrets": (
        "services:\n  app:\n    environment:\n      TOKEN_TTL: 15m\n      SECRET_NAME: jwt-secret\n"
        "      PASSWORD_FILE: /run/secrets/db\n      TOKEN_TYPE: bearer\n"
    ),
    "switches and numbers": "services:\n  app:\n    environment:\n      REQUIRE_TOKEN: \"true\"\n      PASSWORD_MIN_LENGTH: 12\n      TOKEN_EXPIRY: 3600\n",
    "value from": (
        "kind: Pod\nspec:\n  containers:\n    - env:\n        - name: NATS_PASSWORD\n"
        "          valueFrom:\n            secretKeyRef:\n              name: nats\n              key: password\n"
        "        - name: LOG_LEVEL\n          value: debug\n"
    ),
    "other settings": "services:\n  app:\n    environment:\n      - LOG_LEVEL=debug\n      - PORT=80\n",
    "ingress": (
        "apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  annotations:\n"
        "    nginx.ingress.kubernetes.io/enable-cors: \"true\"\n    nginx.ingress.kubernetes.io/auth-secret: basic-auth\n"
        "spec:\n  tls:\n    - secretName: api-tls\n"
    ),
    "secret-named keys outside an environment": "token:\n  ttl: 15m\npassword_policy: strict\n",
}


@pytest.mark.parametrize("marked", POSITIVE.values(), ids=POSITIVE.keys())
def test_secret_values_are_found(marked: str) -> None:
    check("deploy.yaml", marked)


@pytest.mark.parametrize("text", NEGATIVE.values(), ids=NEGATIVE.keys())
def test_settings_are_not_secrets(text: str) -> None:
    assert parses("deploy.yaml", text)
    check("deploy.yaml", text)


def test_compose_list_reference_is_shown() -> None:
    check("compose.yml", "services:\n  app:\n    environment:\n      - DB_PASSWORD=${DB_PASSWORD}\n      - API_KEY=⟦k⟧\n")
