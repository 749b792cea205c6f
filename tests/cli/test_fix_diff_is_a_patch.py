"""The diff ``authlint fix`` prints is a real patch: for every fixable rule example, GNU ``patch
-p1`` applied to an untouched copy of the tree gives exactly what ``fix --apply --unsafe-fixes``
(the same selection) wrote.

The diff comes from the installed command in a subprocess, the applied tree from the CLI in
process. Only examples whose hunks hold a secret value are skipped (the diff masks it, so the hunk
cannot apply, by design); their number is pinned, so a new masking shows up here.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from authlint.cli.app import app
from authlint.rule import Example
from authlint.rules import registry

PATCH = shutil.which("patch")
FIXABLE = [
    (rule.code, index, example)
    for rule in registry().values()
    for index, example in enumerate(rule.examples)
    if example.fixed is not None and example.fixed != example.code  # a fix that changes something
]
# Examples whose hunks hold a secret value (the diff masks it), with the kind of the file whose
# finder knows it. Pinned: a change here means the diff masks more, or less, than before.
SECRET_HUNKS = [
    ("NAT001-10", "natsconf"),  # tokn: "abc" renamed token: the value is a token's on both sides
    ("NAT001-24", "natsconf"),  # pasword: b renamed password
    ("NAT004-5", "natsconf"),  # -  token: "s3cr3t-t0ken-for-clients"   (a NATS token setting)
    ("NAT004-6", "natsconf"),  # -    {user: alice, password: 'wonderland-42'}
    ("NAT004-9", "natsconf"),  # -PASS: "wonderland-42"   (a variable holding a password)
    ("NAT004-11", "python"),  # -token=os.getenv("NATS_TOKEN", "Zq8v…"): the fallback dropped is a token
    ("NAT004-15", "typescript"),  # -token: process.env.NATS_TOKEN || "Zq8v…"
    ("SIO004-10", "python"),  # auht={'token': 't'} renamed auth=: a literal bound to a secret name
    ("SIO006-5", "python"),  # the access token moved from the URL into auth= (with its server)
    # (the JS ?token=abc example has no server in its project: its move is display-only now)
]


def _expected_secret_hunks() -> list[str]:
    """The pinned hunks whose kind has a secret finder (``facts.secrets.FINDERS``): without one,
    only the pattern set masks, and none of these values has a pattern's shape."""
    from authlint.facts.secrets import FINDERS

    return [name for name, kind in SECRET_HUNKS if FINDERS.get(kind)]


def _toml(value) -> str:
    return json.dumps(value)  # strings, numbers, booleans and lists of them: JSON is valid TOML


def _selection(code: str) -> list[str]:
    """The rule alone; engine codes with every rule (E003 judges what the others find), as the
    examples' own test runs them."""
    return ["ALL"] if code.startswith("E") else [code]


def _write_tree(root: Path, code: str, example: Example) -> None:
    root.mkdir(parents=True)
    for relpath, text in {**example.files, example.path: example.code}.items():
        path = root / relpath
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(text.encode("utf-8"))
    lines = [f"select = {_toml(_selection(code))}"]
    lines += [f"{key} = {_toml(value)}" for key, value in example.settings.items()]
    if example.options:
        lines.append(f"[rules.{code}]")
        lines += [f"{key} = {_toml(value)}" for key, value in example.options.items()]
    (root / "authlint.toml").write_text("\n".join(lines) + "\n")


def _tree(root: Path) -> dict[str, bytes]:
    return {
        path.relative_to(root).as_posix(): path.read_bytes()
        for path in sorted(root.rglob("*"))
        if path.is_file() and ".authlint_cache" not in path.parts
    }


def _masked_lines(code: str, example: Example) -> list[str]:
    """The lines of the printed diff that mask a secret (they differ from the plain diff's)."""
    from dataclasses import replace

    from authlint.diagnostics.diff import unified_diff
    from authlint.testing import fix_project

    overrides = dict(example.settings)
    overrides["select"] = _selection(code)
    if example.options:
        overrides["rule_options"] = {code: example.options}
    originals, result = fix_project({**example.files, example.path: example.code}, unsafe=True, **overrides)
    masked = []
    for relpath, ctx in sorted(result.changed.items()):
        printed = unified_diff(originals[relpath], ctx.source).splitlines(keepends=True)
        plain = unified_diff(replace(originals[relpath], secret_spans=()), replace(ctx.source, secret_spans=()))
        masked += [line for line, raw in zip(printed, plain.splitlines(keepends=True)) if line != raw]
    return masked


CASES = [pytest.param(code, example, id=f"{code}-{index}") for code, index, example in FIXABLE]


@pytest.mark.skipif(PATCH is None, reason="GNU patch is not installed (Debian: apt-get install patch)")
@pytest.mark.parametrize("code, example", CASES)
def test_printed_diff_applies_as_apply_writes(code: str, example: Example, tmp_path: Path, monkeypatch) -> None:
    untouched = tmp_path / "untouched"
    _write_tree(untouched, code, example)
    original = _tree(untouched)
    applied = tmp_path / "applied"
    shutil.copytree(untouched, applied)
    patched = tmp_path / "patched"
    shutil.copytree(untouched, patched)

    printed = subprocess.run(
        [sys.executable, "-m", "authlint", "fix", "--unsafe-fixes", "--no-cache", "."],
        cwd=untouched, capture_output=True, check=False,
    )
    assert printed.returncode in (0, 1), printed.stderr.decode()
    monkeypatch.chdir(applied)
    result = CliRunner().invoke(app, ["fix", "--apply", "--unsafe-fixes", "--no-cache", "."])
    assert result.exit_code in (0, 1), result.output
    wrote = _tree(applied)
    assert _tree(untouched) == original, "fix without --apply wrote files"
    assert wrote[example.path] == example.fixed.encode("utf-8"), f"{code}: fix --apply wrote another text"
    for relpath, text in example.fixed_files.items():  # the other side of a pair: the patch covers it too
        assert wrote[relpath] == text.encode("utf-8"), f"{code}: fix --apply wrote another {relpath}"

    if _masked_lines(code, example):
        pytest.skip("a hunk holds a secret value: the printed diff masks it")
    patch = subprocess.run(
        [PATCH, "-p1", "--batch", "--forward", "--no-backup-if-mismatch", "-r", "-"],
        cwd=patched, input=printed.stdout, capture_output=True, check=False,
    )
    assert patch.returncode == 0, patch.stdout.decode() + patch.stderr.decode() + printed.stdout.decode()
    assert _tree(patched) == wrote


def test_only_the_examples_with_secret_hunks_are_skipped() -> None:
    """The skipped examples are exactly those whose fixes rewrite a line holding a secret value:
    NAT004's plaintext passwords (config values) and SIO006's token moved out of a query string
    (a secret the rule declares)."""
    masked = [f"{code}-{index}" for code, index, example in FIXABLE if _masked_lines(code, example)]
    assert masked == _expected_secret_hunks()
