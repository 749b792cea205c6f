from __future__ import annotations

import jwt
import pytest

from authlint.facts.model import CorsPolicy, JwtLiteral
from authlint.syntax.errors import ParseError
from authlint.testing import contexts_for, make_settings

INGRESS = """\
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: api
  annotations:
    nginx.ingress.kubernetes.io/enable-cors: "true"
    nginx.ingress.kubernetes.io/cors-allow-origin: "*"
    nginx.ingress.kubernetes.io/cors-allow-credentials: "true"
---
kind: Ingress
metadata:
  annotations:
    nginx.ingress.kubernetes.io/enable-cors: "false"
    nginx.ingress.kubernetes.io/cors-allow-origin: "*"
"""


def _ctx(text: str, name: str = "ingress.yaml"):
    (ctx,) = contexts_for({name: text}, make_settings())
    return ctx


def test_ingress_nginx_annotations() -> None:
    ctx = _ctx(INGRESS)
    (policy,) = ctx.of(CorsPolicy)
    assert policy.framework == "ingress-nginx" and policy.lang == "yaml"
    assert policy.origins.value == "*" and ctx.source.slice(policy.origins.span) == '"*"'
    assert policy.credentials.value is True
    assert ctx.source.slice(policy.span).startswith("nginx.ingress.kubernetes.io/enable-cors")


def test_helm_values_with_list_of_origins_and_default_origin() -> None:
    values = (
        "ingress:\n  annotations:\n    nginx.ingress.kubernetes.io/enable-cors: 'true'\n"
        "    nginx.ingress.kubernetes.io/cors-allow-origin: https://a.example.com, https://b.example.com\n"
        "other:\n  annotations:\n    nginx.ingress.kubernetes.io/enable-cors: 'true'\n"
    )
    first, second = _ctx(values, "values.yaml").of(CorsPolicy)
    assert first.origins.value == ["https://a.example.com", "https://b.example.com"]
    assert second.origins is None
    assert second.credentials.value is True and second.credentials.ref == "default:cors-allow-credentials"


def test_traefik_middleware() -> None:
    text = (
        "kind: Middleware\nspec:\n  headers:\n    accessControlAllowOriginList:\n      - '*'\n"
        "    accessControlAllowCredentials: true\n"
    )
    (policy,) = _ctx(text, "mw.yml").of(CorsPolicy)
    assert policy.framework == "traefik" and policy.origins.value == ["*"] and policy.credentials.value is True


def test_jwt_literals_and_aliases_visited_once() -> None:
    token = jwt.encode({"sub": "x"}, "k" * 32, algorithm="HS256")
    text = f"base: &b\n  token: {token}\nuse1: *b\nuse2: *b\n"
    ctx = _ctx(text, "compose.yaml")
    literals = list(ctx.of(JwtLiteral))
    assert [lit.token for lit in literals] == [token]
    assert ctx.source.slice(literals[0].span) == token


def test_billion_laughs_is_cheap() -> None:
    lines = ["a0: &a0 [x, x]"] + [f"a{i}: &a{i} [*a{i-1}, *a{i-1}, *a{i-1}]" for i in range(1, 30)]
    ctx = _ctx("\n".join(lines) + "\n", "bomb.yaml")
    assert list(ctx.of(CorsPolicy)) == []


def test_yaml_error_has_a_position() -> None:
    ctx = _ctx("a: [1, 2\nb: 3\n", "bad.yaml")
    with pytest.raises(ParseError) as info:
        _ = ctx.tree  # parse now: a ParseError surfaces here
    assert info.value.offset > 0 and "YAML error" in info.value.message


def test_yaml_tags_are_never_constructed() -> None:
    ctx = _ctx("x: !!python/object/apply:os.system ['touch /tmp/authlint-pwned']\n", "evil.yaml")
    _ = ctx.tree  # parse now: a ParseError surfaces here
    list(ctx.facts.items)
    import os

    assert not os.path.exists("/tmp/authlint-pwned")
