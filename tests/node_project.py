"""A ready-to-run copy of tests/fixtures/js-e2e: the npm packages whose behaviour tests execute
(socket.io, socket.io-client, express, cors, jsonwebtoken, jose, cookie-parser), locked.

Shared by the socket.io end-to-end tests and the fix behaviour tests. Without node/npm the tests
skip outside CI and fail in CI (``tests.shared.in_ci``), so a green CI run really executed them.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from tests.shared import in_ci

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "js-e2e"


class NodeFixture:
    """Runs node scripts in a folder where ``npm ci`` has installed the locked packages."""

    def __init__(self, root: Path, node: str) -> None:
        self.root = root
        self.node = node

    def run(self, *args: str) -> dict[str, Any]:
        """Run ``harness.js`` with ``args``; its last stdout line is JSON."""
        return self.run_script("harness.js", *args)

    def run_script(self, script: str, *args: str, timeout: float = 60) -> dict[str, Any]:
        """Run ``script`` (relative to the fixture root); its last stdout line is JSON."""
        done = subprocess.run(
            [self.node, script, *args], cwd=self.root, capture_output=True, text=True, timeout=timeout, check=False
        )
        assert done.returncode == 0, done.stderr
        return json.loads(done.stdout.strip().splitlines()[-1])

    def write(self, relpath: str, text: str) -> str:
        """Put a (fixed) file beside the fixtures so it resolves the same node_modules."""
        target = self.root / relpath
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
        return relpath


def _unavailable(reason: str) -> None:
    if in_ci():
        pytest.fail(reason, pytrace=False)
    pytest.skip(reason)


def make_node_fixture(tmp_path_factory: pytest.TempPathFactory) -> NodeFixture:
    node, npm = shutil.which("node"), shutil.which("npm")
    if not node or not npm:
        _unavailable("node and npm are needed for the JavaScript execution tests")
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
            _unavailable(f"npm ci failed (registry unreachable?): {done.stderr.strip()[-300:]}")
    return NodeFixture(root, node)  # type: ignore[arg-type]
