"""Where the shared material lives: ``../shared`` beside the checkout, never an absolute path.

Tests that need it ask for it through :func:`require`. Outside CI a missing ``../shared`` skips
them (a contributor's checkout may stand alone); in CI (``CI`` or ``AUTHLINT_REQUIRE_TOOLS`` set)
it fails them, so a green run always means the corpus and the schema were really read.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
NATS_CORPUS = SHARED / "corpus" / "nats"
SHARED_SARIF_SCHEMA = SHARED / "schemas" / "sarif-schema-2.1.0.json"
# shipped with the tests (tests/schemas/README.md: source, commit, licence): SARIF tests need no ../shared
SARIF_SCHEMA = ROOT / "tests" / "schemas" / "sarif-schema-2.1.0.json"


def in_ci() -> bool:
    return bool(os.environ.get("CI")) or os.environ.get("AUTHLINT_REQUIRE_TOOLS") == "1"


def require(path: Path) -> Path:
    """``path`` (inside ../shared) if it exists; otherwise fail in CI and skip elsewhere."""
    if path.exists():
        return path
    message = f"{path} is missing: ../shared must sit beside the checkout"
    if in_ci():
        pytest.fail(message, pytrace=False)
    pytest.skip(message)
