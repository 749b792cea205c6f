from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from authlint.config.settings import Settings
from authlint.diagnostics.diagnostic import Diagnostic
from authlint.rules.engine.e001_unparsable_file import UnparsableFile
from authlint.rules.engine.e002_unreadable_file import UnreadableFile
from authlint.run.context import FileContext
from authlint.run.engine import Linter


@pytest.fixture
def linter(demo_rule, tmp_path: Path) -> Linter:
    return Linter(Settings(root=tmp_path), rules=[demo_rule, UnparsableFile(), UnreadableFile()])


def _load(linter: Linter, path: Path):
    return linter.load(path, path.name)


def test_binary_and_undecodable_files_are_e001(linter: Linter, tmp_path: Path) -> None:
    binary = tmp_path / "blob.py"
    binary.write_bytes(b"\x00\x01BADWORD\x00")
    latin = tmp_path / "latin.py"
    latin.write_bytes(b"x = 'caf\xe9 BADWORD'\n")
    for path, reason in ((binary, "binary file"), (latin, "not valid UTF-8")):
        diag = _load(linter, path)
        assert isinstance(diag, Diagnostic) and diag.code == "E001" and reason in diag.message


def test_size_cap_is_e002_warning(linter: Linter, tmp_path: Path) -> None:
    big = tmp_path / "big.py"
    big.write_text("BADWORD\n" * 100)
    linter.settings = replace(linter.settings, max_file_size=100)
    diag = _load(linter, big)
    assert diag.code == "E002" and "max-file-size" in diag.message and diag.severity.value == "warning"


def test_unreadable_file_is_e002(linter: Linter, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "secret.py"
    path.write_text("BADWORD")

    def deny(self):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(Path, "read_bytes", deny)
    diag = _load(linter, path)
    assert diag.code == "E002" and diag.message == "cannot read file: Permission denied"


def test_prefilter_skips_files_without_trigger_words(linter: Linter, tmp_path: Path) -> None:
    quiet = tmp_path / "quiet.py"
    quiet.write_text("def broken(:\n")  # a syntax error no rule would look at
    assert _load(linter, quiet) is None
    noisy = tmp_path / "noisy.py"
    noisy.write_text("x = 'BADWORD'\ndef broken(:\n")
    ctx = _load(linter, noisy)
    assert isinstance(ctx, FileContext)
    result = linter.check([ctx])
    assert [(d.code, d.start[0]) for d in result.diagnostics] == [("E001", 2)]


def test_rule_crash_is_reported_not_fatal(demo_rule, tmp_path: Path) -> None:
    class Crashing(type(demo_rule)):
        code = "TST002"
        name = "crashing"

        def check(self, ctx):
            raise RuntimeError("boom")

    linter = Linter(Settings(root=tmp_path), rules=[Crashing(), demo_rule])
    path = tmp_path / "a.py"
    path.write_text("x = 'BADWORD'\n")
    result = linter.check([_load(linter, path)])
    assert [d.code for d in result.diagnostics] == ["TST001"]
    assert result.errors == ["TST002 crashed on a.py: RuntimeError: boom"]


def test_a_rule_crash_quoting_a_secret_is_masked(demo_rule, tmp_path: Path) -> None:
    """An exception message may quote a value the rule read: the error line masks the file's secrets."""
    class Quoting(type(demo_rule)):
        code = "TST002"
        name = "quoting"

        def check(self, ctx):
            raise ValueError(f"cannot use {ctx.source.text.split(chr(34))[3]!r}")

    linter = Linter(Settings(root=tmp_path), rules=[Quoting(), demo_rule])
    path = tmp_path / "a.py"
    path.write_text('x = "BADWORD"\nJWT_SECRET = "crashCanaryKk81Zq"\n')
    result = linter.check([_load(linter, path)])
    assert result.errors == ["TST002 crashed on a.py: ValueError: cannot use 'cr************(+3)'"]


def test_per_file_ignores(demo_rule, tmp_path: Path) -> None:
    settings = Settings(root=tmp_path, per_file_ignores={"tests/**": ("TST",)})
    linter = Linter(settings, rules=[demo_rule])
    (tmp_path / "tests").mkdir()
    path = tmp_path / "tests" / "a.py"
    path.write_text("x = 'BADWORD'\n")
    ctx = linter.load(path, "tests/a.py")
    assert linter.check([ctx]).diagnostics == []


def test_prefilter_is_case_insensitive_and_drops_words_a_shorter_one_covers() -> None:
    from authlint.files.prefilter import Prefilter
    from authlint.rule import Rule

    class Long(Rule):
        code = "TST901"
        kinds = frozenset({"python"})
        triggers = ("cors_allowed_origins", "ping_timeout")

    class Short(Rule):
        code = "TST902"
        kinds = frozenset({"python"})
        triggers = ("cors",)

    long, short = Long(), Short()
    prefilter = Prefilter([long, short])
    assert prefilter._search["python"] == (b"cors", b"ping_timeout")
    assert prefilter.words("python") == {"cors", "cors_allowed_origins", "ping_timeout"}
    assert prefilter.wants("python", b"app = CORS(app)") and prefilter.wants("python", b"PING_TIMEOUT = 5")
    assert not prefilter.wants("python", b"x = 1") and not prefilter.wants("javascript", b"cors")
    assert prefilter.matches(long, "python", b"ping_timeout=1") and not prefilter.matches(long, "python", b"cors")
    assert prefilter.matches(short, "python", b"cors")


@pytest.mark.parametrize(
    ("entry", "why"),
    [
        ("authlint.facts.natsconf.extrct:extract", "No module named 'authlint.facts.natsconf.extrct'"),
        ("authlint.facts.natsconf.extract:extrct", "module has no `extrct`"),
    ],
)
def test_extractor_that_does_not_import_ends_the_run(tmp_path: Path, monkeypatch, capsys, entry: str, why: str) -> None:
    """A typo in the extractor table is authlint's bug: exit 2 with one line naming the entry, never a
    language whose facts silently go missing."""
    import authlint.facts.extract
    from authlint.cli.main import main

    monkeypatch.setitem(authlint.facts.extract.EXTRACTORS, "natsconf", (entry,))
    (tmp_path / "nats-server.conf").write_text("port: 4222\n")
    monkeypatch.chdir(tmp_path)
    with pytest.raises(SystemExit) as ended:
        main(["check", "--no-cache", "--select", "NAT007", "nats-server.conf"])
    assert ended.value.code == 2
    lines = capsys.readouterr().err.strip().splitlines()
    assert len(lines) == 1 and f"fact extractor `{entry}`" in lines[0] and why in lines[0], lines


def test_extractor_import_error_is_not_a_rule_crash_in_workers_either(tmp_path: Path, monkeypatch) -> None:
    """Through the forked pool too: the run ends instead of reporting one crash per rule and file."""
    import authlint.facts.extract
    from authlint.facts.extract import ExtractorError
    from authlint.run.runner import run_check

    monkeypatch.setitem(authlint.facts.extract.EXTRACTORS, "natsconf", ("authlint.facts.natsconf.extrct:extract",))
    for i in range(40):
        (tmp_path / f"n{i:02}.conf").write_text(f"port: {4000 + i}\n")
    linter = Linter(Settings(root=tmp_path, select=("NAT007",)))
    with pytest.raises(ExtractorError, match="extrct"):
        run_check([str(tmp_path)], linter.settings, linter, jobs=2, use_cache=False)


def test_extractor_crash_is_reported_not_fatal(tmp_path: Path, monkeypatch) -> None:
    """An extractor that imports but fails on one file is that file's internal error (exit 2 with the
    other findings kept), the same as a crashing rule, whichever path checked the file."""
    import authlint.facts.natsconf.extract
    from authlint.run.runner import run_check

    def broken(ctx):
        raise RuntimeError("boom")

    monkeypatch.setattr(authlint.facts.natsconf.extract, "extract", broken)
    (tmp_path / "nats-server.conf").write_text("port: 4222\n")
    linter = Linter(Settings(root=tmp_path, select=("NAT007",)))
    for jobs in (1, 2):
        result, _ = run_check([str(tmp_path)], linter.settings, linter, jobs=jobs, use_cache=False)
        assert result.errors == ["fact extraction crashed on nats-server.conf: RuntimeError: boom"]
        assert [d.code for d in result.diagnostics] == ["NAT007"]
