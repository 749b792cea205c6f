"""Flask-JWT-Extended cookie settings read from ``app.config.update(...)`` and
``app.config.from_mapping(...)``, keywords or a dict: each setting's span is its keyword/entry, so a
fix can edit it there or add a sibling to the same call."""

from __future__ import annotations

import pytest

from authlint.facts.model import JwtConfig
from tests.facts.helpers import facts_of

FORMS = [
    'app.config.update(JWT_TOKEN_LOCATION=["cookies"], JWT_COOKIE_SECURE=False)\n',
    'app.config.from_mapping(JWT_TOKEN_LOCATION=["cookies"], JWT_COOKIE_SECURE=False)\n',
    'app.config.update({"JWT_TOKEN_LOCATION": ["cookies"], "JWT_COOKIE_SECURE": False})\n',
    'app.config.from_mapping({"JWT_TOKEN_LOCATION": ["cookies"], "JWT_COOKIE_SECURE": False})\n',
]


@pytest.mark.parametrize("code", FORMS)
def test_settings_in_config_calls(code: str) -> None:
    (config,) = facts_of(code, JwtConfig)
    location = config.settings.get("JWT_TOKEN_LOCATION")
    secure = config.settings.get("JWT_COOKIE_SECURE")
    assert location is not None and location.value.value == ["cookies"]
    assert secure is not None and secure.value.value is False
    assert code[location.span.start : location.span.end].lstrip('"').startswith("JWT_TOKEN_LOCATION")
    assert code[secure.value.span.start : secure.value.span.end] == "False"


def test_other_calls_named_from_mapping_are_not_config() -> None:
    assert facts_of('registry.from_mapping(JWT_TOKEN_LOCATION=["cookies"])\n', JwtConfig) == []
