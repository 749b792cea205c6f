from __future__ import annotations

import json
import os
import stat

import pytest

from authlint import __version__


def test_version_and_help(invoke) -> None:
    assert invoke("--version").stdout.strip() == f"authlint {__version__}"
    result = invoke()
    assert result.exit_code == 2 and "check" in result.output


def test_check_reports_and_exits_1(invoke, project, with_demo_rule) -> None:
    result = invoke("check", "--output-format", "concise")
    assert result.exit_code == 1
    assert result.stdout.splitlines()[0] == "app.py:1:6: TST001 BADWORD found"
    assert invoke("check", "--exit-zero").exit_code == 0
    assert invoke("check", "clean.py").exit_code == 0
    assert invoke("check", "--ignore", "TST").exit_code == 0


def test_check_statistics_and_json(invoke, project, with_demo_rule) -> None:
    stats = invoke("check", "--statistics")
    assert stats.stdout == "1\tTST001\t[*] demo-badword\n"
    data = json.loads(invoke("check", "--output-format", "json").stdout)
    assert data[0]["path"] == "app.py" and data[0]["fix"]["applicability"] == "safe"


def test_fix_shows_a_diff_and_writes_nothing(invoke, project, with_demo_rule) -> None:
    before = (project / "app.py").read_bytes()
    result = invoke("fix")
    assert result.exit_code == 1
    assert "-x = \"BADWORD\"" in result.stdout and "+x = \"goodword\"" in result.stdout
    assert (project / "app.py").read_bytes() == before


def test_fix_apply_writes_keeps_crlf_and_mode_and_is_idempotent(invoke, project, with_demo_rule) -> None:
    os.chmod(project / "app.py", 0o640)
    result = invoke("fix", "--apply")
    assert result.exit_code == 1  # files changed
    assert (project / "app.py").read_bytes() == b'x = "goodword"\r\ny = 1\r\n'
    assert stat.S_IMODE((project / "app.py").stat().st_mode) == 0o640
    again = invoke("fix", "--apply")
    assert again.exit_code == 0 and again.stdout == ""
    assert invoke("check").exit_code == 0


def test_config_errors_exit_2_with_one_line(invoke, project) -> None:
    (project / "authlint.toml").write_text("selct = ['E']\n")
    result = invoke("check")
    assert result.exit_code == 2
    assert result.stderr.strip().splitlines() == [
        f"authlint: error: {project / 'authlint.toml'}: unknown key 'selct' (did you mean 'select'?)"
    ]


def test_unknown_select_code(invoke, project) -> None:
    result = invoke("check", "--select", "NOPE1")
    assert result.exit_code == 2 and "unknown rule code or prefix 'NOPE1'" in result.stderr


def test_missing_path_is_e002(invoke, project) -> None:
    result = invoke("check", "missing.py", "--output-format", "concise")
    assert result.exit_code == 1 and "E002 cannot read: no such file or directory" in result.stdout


def test_rules_and_rule(invoke) -> None:
    listing = invoke("rules")
    assert listing.exit_code == 0 and "E001" in listing.stdout
    data = json.loads(invoke("rules", "--output-format", "json").stdout)
    assert {"code", "name", "summary", "fix", "languages"} <= set(data[0])
    docs = invoke("rule", "E001")
    assert docs.exit_code == 0 and docs.stdout.startswith("# unparsable-file (E001)")
    assert "## Why is this bad?" in docs.stdout
    assert invoke("rule", "unparsable-file").stdout == docs.stdout
    assert invoke("rule", "NOPE").exit_code == 2


def test_output_file(invoke, project, with_demo_rule) -> None:
    result = invoke("check", "--output-format", "sarif", "-o", "out.sarif")
    assert result.exit_code == 1 and result.stdout == ""
    assert json.loads((project / "out.sarif").read_text())["version"] == "2.1.0"


def test_fast_path_knows_exactly_the_typer_check_options() -> None:
    """``authlint.cli.main`` parses ``check`` without typer: its option table must not drift from typer's."""
    import typer.main

    from authlint.cli.app import app
    from authlint.cli.main import CHECK_OPTIONS

    command = typer.main.get_command(app).commands["check"]  # type: ignore[attr-defined]
    typer_options = {opt for param in command.params for opt in param.opts if opt.startswith("-")}
    assert typer_options - {"-h", "--help"} == set(CHECK_OPTIONS)
    for name, (attr, _kind) in CHECK_OPTIONS.items():
        param = next(p for p in command.params if name in p.opts)
        assert param.name == attr, name


@pytest.mark.parametrize(
    "argv",
    [
        ["check", "--help"], ["check", "-j4"], ["check", "--jobs", "0"], ["check", "--output-format", "xml"],
        ["check", "--select"], ["check", "--", "x.py"], ["check", "-"], ["rules"], ["--version"], [],
        ["check", "--exit-zero=1"], ["check", "-o=x"], ["check", "--bogus"],
    ],
)
def test_fast_path_leaves_the_unusual_to_typer(argv: list[str]) -> None:
    from authlint.cli.main import parse_check

    assert parse_check(argv) is None


def test_fast_path_reads_a_hook_command_line() -> None:
    from authlint.cli.main import parse_check

    parsed = parse_check(["-v", "check", "--force-exclude", "a.py", "--select=NAT,SIO", "-j", "2", "b.conf",
                          "--output-format", "sarif", "--ignore", "X1", "--ignore", "X2"])
    assert parsed is not None
    options, verbose = parsed
    assert verbose and options.force_exclude and options.paths == ["a.py", "b.conf"]
    assert options.select == ["NAT,SIO"] and options.jobs == 2 and options.output_format == "sarif"
    assert options.ignore == ["X1", "X2"]


def test_the_console_script_exits_without_teardown_yet_loses_no_output(tmp_path) -> None:
    """``python -m authlint check`` ends in ``os._exit``: the whole report must still arrive, through
    a pipe and in ``--output-file``, with the exit code of the findings."""
    import json
    import subprocess
    import sys

    for i in range(300):  # a report far bigger than any pipe or stdio buffer
        (tmp_path / f"m{i:03}.py").write_text(f'import jwt\nt{i} = jwt.decode(tok, options={{"verify_signature": False}})\n')
    argv = [sys.executable, "-m", "authlint", "check", "--no-cache", "--output-format", "json", "."]
    piped = subprocess.run(argv, cwd=tmp_path, capture_output=True, text=True)
    assert piped.returncode == 1, piped.stderr
    records = json.loads(piped.stdout)
    assert len({r["path"] for r in records}) == 300
    out = tmp_path / "report.json"
    written = subprocess.run([*argv, "-o", str(out)], cwd=tmp_path, capture_output=True, text=True)
    assert written.returncode == 1 and written.stdout == ""
    assert json.loads(out.read_text()) == records
