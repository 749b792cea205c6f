"""A ready-to-run copy of tests/fixtures/js-e2e (real socket.io and socket.io-client from npm)."""

from __future__ import annotations

import pytest

from tests.node_project import FIXTURE, NodeFixture, make_node_fixture

__all__ = ["FIXTURE", "NodeFixture", "node_fixture"]


@pytest.fixture(scope="session")
def node_fixture(tmp_path_factory: pytest.TempPathFactory) -> NodeFixture:
    return make_node_fixture(tmp_path_factory)
