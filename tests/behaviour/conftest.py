"""Fixtures of the fix behaviour tests: the npm project and a folder to run fixed Python in."""

from __future__ import annotations

from pathlib import Path
from typing import Callable

import pytest

from tests.behaviour.project import PythonProject
from tests.node_project import NodeFixture, make_node_fixture


@pytest.fixture(scope="session")
def node_fixture(tmp_path_factory: pytest.TempPathFactory) -> NodeFixture:
    return make_node_fixture(tmp_path_factory)


@pytest.fixture
def python_project(tmp_path: Path) -> Callable[[dict[str, str]], PythonProject]:
    return lambda files: PythonProject(tmp_path / "project", files)
