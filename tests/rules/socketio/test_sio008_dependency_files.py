"""SIO008 points into a dependency file (package.json, requirements.txt) that no rule parses: the
finding must be suppressible there, masked like any file, and render in every output format."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from authlint.report import FORMATS, render
from authlint.report.base import ReportInput
from authlint.rules import registry
from authlint.testing import lint_files
from authlint.versions.model import NPM, PYPI, Pin, ProjectVersions

SERVER = "import socketio\nsio = socketio.Server(cors_allowed_origins=['https://app.example.com'])\n"
CLIENT = 'import { io } from "socket.io-client";\nio("https://api.example.com");\n'
PACKAGE_JSON = '{\n  "name": "web",\n  "dependencies": {\n    "socket.io-client": "^2.4.0"\n  }\n}\n'
REQUIREMENTS = "flask==3.0.0\npython-socketio==5.11.0\n"
# what the dependency readers make of the two files above
PINS = ProjectVersions((
    Pin(PYPI, "python-socketio", "5.11.0", "==5.11.0", "requirements.txt", 2),
    Pin(NPM, "socket.io-client", None, "^2.4.0", "web/package.json", 4),
))


def _project(root: Path, package_json: str = PACKAGE_JSON, requirements: str = REQUIREMENTS) -> dict[str, str]:
    (root / "web").mkdir(exist_ok=True)
    (root / "web" / "package.json").write_text(package_json, encoding="utf-8")
    (root / "requirements.txt").write_text(requirements, encoding="utf-8")
    return {"server.py": SERVER, "web/client.mjs": CLIENT}


def test_the_finding_points_at_the_older_sides_dependency_line(tmp_path: Path) -> None:
    result = lint_files(_project(tmp_path), root=tmp_path, versions=PINS, select=["SIO008"])
    [found] = result.diagnostics
    assert found.path == "web/package.json"
    assert found.start == (4, 5) and found.end == (4, 33)  # `"socket.io-client": "^2.4.0"`
    assert "web/package.json:4" in found.message and "requirements.txt:2" in found.message


def test_a_comment_on_the_requirements_line_silences_it(tmp_path: Path) -> None:
    pins = ProjectVersions((
        Pin(PYPI, "python-socketio", "4.6.1", "==4.6.1", "requirements.txt", 2),
        Pin(NPM, "socket.io-client", None, "^4.7.5", "web/package.json", 4),
    ))
    files = _project(tmp_path, requirements="flask==3.0.0\npython-socketio==4.6.1\n")
    reported = lint_files(files, root=tmp_path, versions=pins, select=["SIO008"]).diagnostics
    assert [d.path for d in reported] == ["requirements.txt"]
    _project(tmp_path, requirements="flask==3.0.0\npython-socketio==4.6.1  # authlint: ignore[SIO008]\n")
    assert lint_files(files, root=tmp_path, versions=pins, select=["SIO008"]).diagnostics == []


def test_per_file_ignores_silence_it_in_a_json_file(tmp_path: Path) -> None:
    files = _project(tmp_path)
    result = lint_files(files, root=tmp_path, versions=PINS, select=["SIO008"],
                        per_file_ignores={"**/package.json": ("SIO008",)})
    assert result.diagnostics == []


def test_an_unreadable_dependency_file_falls_back_to_the_code(tmp_path: Path) -> None:
    result = lint_files({"server.py": SERVER, "web/client.mjs": CLIENT}, root=tmp_path, versions=PINS, select=["SIO008"])
    [found] = result.diagnostics
    assert found.path == "web/client.mjs"  # the client's code: the side to upgrade
    assert "web/package.json:4" in found.message


def test_a_secret_on_the_dependency_line_is_masked(tmp_path: Path) -> None:
    token = "ghp_" + "a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8"
    requirements = f"flask==3.0.0\npython-socketio @ git+https://x-access-token:{token}@github.com/acme/python-socketio@v4.6.1\n"
    pins = ProjectVersions((
        Pin(PYPI, "python-socketio", "4.6.1", "", "requirements.txt", 2),
        Pin(NPM, "socket.io-client", None, "^4.7.5", "web/package.json", 4),
    ))
    result = lint_files(_project(tmp_path, requirements=requirements), root=tmp_path, versions=pins, select=["SIO008"])
    [found] = result.diagnostics
    assert found.path == "requirements.txt" and found.start[0] == 2
    report = ReportInput(result.diagnostics, [registry()["SIO008"]()], files_checked=2)
    for fmt in FORMATS:
        text = render(fmt, report)
        assert "requirements.txt" in text and token not in text, fmt


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_every_output_format_renders_it(tmp_path: Path, fmt: str) -> None:
    result = lint_files(_project(tmp_path), root=tmp_path, versions=PINS, select=["SIO008"])
    text = render(fmt, ReportInput(result.diagnostics, [registry()["SIO008"]()], files_checked=2))
    assert "SIO008" in text and "package.json" in text
    if fmt in ("json", "sarif"):
        json.loads(text)
