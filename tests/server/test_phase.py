"""The incremental project phase reports what a full one reports, edit after edit."""

from __future__ import annotations

import random
import shutil
from pathlib import Path

from authlint.run.engine import CheckResult
from authlint.server.phase import reads
from authlint.server.project import ProjectModel
from tests.shared import ROOT


def snapshot(diagnostics) -> list[tuple]:
    return sorted((d.path, d.code, d.span.start, d.span.end, d.message, d.severity.value) for d in diagnostics)


def full(project: ProjectModel) -> list[tuple]:
    """The project phase from scratch over the kept file phase: ``Linter.finish``, as ``check``."""
    assert project.linter is not None
    found, members = [], []
    for entry in project.entries.values():
        if entry.ctx is not None:
            project.linter.register_suppressions(entry.ctx.source)  # as ``Linter.check`` does (E003)
        found.extend(entry.own)
        if entry.member is not None:
            members.append(entry.member)
    return snapshot(project.linter.finish(found, members, CheckResult()))


def incremental(project: ProjectModel) -> list[tuple]:
    return snapshot(d for found in project.results().values() for d in found)


def every_example(tmp_path: Path) -> ProjectModel:
    """All the examples in one project: Socket.IO pairs, NATS, nginx, Kubernetes, HOCON, JWT; and
    suppression comments, used and unused (E003), in a file with findings and one without."""
    root = tmp_path / "all"
    for example in sorted(p for p in (ROOT / "examples").iterdir() if p.is_dir()):
        shutil.copytree(example, root / example.name)
    (root / "quiet.py").write_text("import socketio  # authlint: ignore[SIO007]\n", encoding="utf-8")
    server = root / "python" / "server.py"
    server.write_text("# authlint: ignore[JWT004]\n" + server.read_text(encoding="utf-8"), encoding="utf-8")
    (root / ".git").mkdir()
    project = ProjectModel(root)
    project.reload()
    return project


def test_random_edits_of_every_file_keep_the_phase_whole(tmp_path: Path) -> None:
    project = every_example(tmp_path)
    assert incremental(project) == full(project)
    assert {"quiet.py", "python/server.py"} <= {path for path, code, *_ in incremental(project) if code == "E003"}
    root = Path(project.settings.root)
    chance = random.Random(13)
    for relpath, ctx in sorted(project.contexts().items()):
        text = ctx.source.text
        lines = text.splitlines(keepends=True)
        edits = [
            "".join(line for i, line in enumerate(lines) if i != chance.randrange(len(lines))),  # a line gone
            text[: len(text) // 2],  # cut in half (often unparsable: E001)
            "",
            text,  # and back
        ]
        for edit in edits:
            project.set_buffer(root / relpath, edit)
            assert incremental(project) == full(project), (relpath, edit[:80])


def test_a_rule_is_run_again_only_for_files_it_may_read(tmp_path: Path) -> None:
    project = every_example(tmp_path)
    assert project.linter is not None
    rules = {rule.code: rule for rule in project.linter.project_rules}
    members = {e.relpath: e.member for e in project.entries.values() if e.member is not None}
    python_client = members["python/client.py"]
    nats_config = members["nats/nats-server.conf"]
    assert reads(project.linter, rules["SIO007"], python_client)
    assert not reads(project.linter, rules["NAT011"], python_client)
    assert reads(project.linter, rules["NAT011"], nats_config)
    assert not reads(project.linter, rules["SIO007"], nats_config)
