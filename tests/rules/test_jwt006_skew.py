"""JWT006 on fixture projects read from disk (deployables are folders with their own manifest):
silent where one deployable mints and verifies its own tokens, reporting where the tokens come
from a key set or another deployable, and silent again on each corrected twin."""

from __future__ import annotations

from pathlib import Path

import pytest

from authlint.files.classify import classify
from authlint.files.deployables import Deployables
from authlint.files.source import Source
from authlint.run.context import FileContext
from authlint.run.engine import Linter
from authlint.testing import make_settings

FIXTURES = Path(__file__).parent.parent / "fixtures" / "jwt-skew"


def _jwt006(project: str) -> list[str]:
    root = FIXTURES / project
    settings = make_settings(root=root, select=["JWT006"])
    contexts = []
    for path in sorted(root.rglob("*")):
        if not path.is_file():
            continue
        text = path.read_text(encoding="utf-8")
        kind = classify(path.name, text.encode("utf-8"))
        if kind is not None:
            contexts.append(FileContext(Source(path=path, relpath=path.relative_to(root).as_posix(), text=text, kind=kind), settings))
    result = Linter(settings).check(contexts)
    assert not result.errors, result.errors
    return [f"{d.path}:{d.start[0]}: {d.message}" for d in result.diagnostics if d.code == "JWT006"]


def test_one_service_minting_and_verifying_its_own_tokens_is_silent() -> None:
    assert _jwt006("own-tokens") == []


def test_a_key_set_from_an_identity_provider_is_reported_though_the_app_mints_its_own_sessions() -> None:
    (found,) = _jwt006("jwks")
    assert found.startswith("app.py:21: ") and "key set (JWKS)" in found


def test_tokens_minted_by_another_deployable_are_reported_naming_the_mint() -> None:
    (found,) = _jwt006("two-services")
    assert found.startswith("services/api/index.js:7: ")
    assert "another deployable (services/auth/index.js:6)" in found


@pytest.mark.parametrize("project", ["jwks-leeway", "two-services-leeway"])
def test_the_corrected_twins_are_silent(project: str) -> None:
    assert _jwt006(project) == []


def test_a_deployable_is_the_nearest_folder_with_a_manifest() -> None:
    deployables = Deployables(FIXTURES / "two-services")
    assert deployables.of("services/api/index.js") == "services/api"
    assert deployables.of("services/auth/index.js") == "services/auth"
    assert deployables.of("docker-compose.yml") == ""
    assert Deployables(FIXTURES / "own-tokens").of("src/middleware.js") == ""
    assert Deployables(Path("/nonexistent-root")).of("a/b/c.py") == ""
