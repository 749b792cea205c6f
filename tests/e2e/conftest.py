"""A ready-to-run copy of tests/fixtures/js-e2e (real socket.io and socket.io-client from npm)."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

FIXTURE = Path(__file__).resolve().parent.parent / "fixtures" / "js-e2e"


class NodeFixture:
    """Runs ``harness.js`` in a folder where ``npm ci`` has installed the locked packages."""

    def __init__(self, root: Path, node: str) -> None:
        self.root = root
        self.node = node

    def run(self, *args: str) -> dict[str, Any]:
        done = subprocess.run(
            [self.node, "harness.js", *args], cwd=self.root, capture_output=True, text=True, timeout=60, check=False
        )
        assert done.returncode == 0, done.stderr
        return json.loads(done.stdout.strip().splitlines()[-1])

    def write(self, relpath: str, text: str) -> str:
        """Put a (fixed) file beside the fixtures so it resolves the same node_modules."""
        target = self.root / relpath
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
        return relpath


@pytest.fixture(scope="session")
def node_fixture(tmp_path_factory: pytest.TempPathFactory) -> NodeFixture:
    node, npm = shutil.which("node"), shutil.which("npm")
    if not node or not npm:
        pytest.skip("node and npm are needed for the socket.io end-to-end tests")
    root = tmp_path_factory.mktemp("js-e2e") / "js-e2e"
    shutil.copytree(FIXTURE, root, ignore=shutil.ignore_patterns("node_modules"))
    installed = FIXTURE / "node_modules"
    if installed.is_dir():
        shutil.copytree(installed, root / "node_modules", symlinks=True)
    else:
        done = subprocess.run(
            [npm, "ci", "--no-audit", "--no-fund", "--ignore-scripts"],
            cwd=root, capture_output=True, text=True, timeout=300, check=False,
        )
        if done.returncode != 0:
            pytest.skip(f"npm ci failed (registry unreachable?): {done.stderr.strip()[-300:]}")
    return NodeFixture(root, node)
