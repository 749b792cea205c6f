"""The real nats-server is the judge of every NATS fix: what it accepted before, it accepts after.

``nats-server -c FILE -t`` parses and processes a config without serving; it treats warnings as
failures and skips start-up validation (nats-config.md §2). Only 127.0.0.1 is used.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from authlint.rule import Invalid
from authlint.rules import registry
from authlint.testing import fix_files
from tests.nats_broker import NATS_SERVER, Login, free_port, refused, serving
from tests.shared import NATS_CORPUS, require

CORPUS = NATS_CORPUS
pytestmark = [
    pytest.mark.broker,
    pytest.mark.skipif(NATS_SERVER is None, reason="nats-server is not installed"),
]
# Values for the $VARIABLES the examples reference, so that -t judges the rest of the file.
ENV = {name: "an-env-secret-value-0123" for name in ("T", "TOKEN", "NATS_TOKEN", "P", "PA", "PB", "Q", "PASS")}
FAST = {"NAT004": {"bcrypt-cost": 4}}


def server_accepts(path: Path) -> tuple[bool, str]:
    """``nats-server -c path -t`` run in the file's folder (relative paths resolve as in the TSV)."""
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), **ENV}
    proc = subprocess.run(
        [NATS_SERVER, "-c", path.name, "-t"],
        cwd=path.parent,
        env=env,
        capture_output=True,
        text=True,
        timeout=30,
    )
    return proc.returncode == 0, (proc.stdout + proc.stderr).strip()


def nat_examples() -> list:
    cases = []
    for code, rule in registry().items():
        if not code.startswith("NAT"):
            continue
        for i, example in enumerate(rule.examples):
            if isinstance(example, Invalid) and example.path.endswith(".conf"):
                cases.append(pytest.param(code, example, id=f"{code}-{i}"))
    return cases


@pytest.mark.parametrize("code, example", nat_examples())
def test_fixed_examples_still_load(tmp_path: Path, code: str, example) -> None:
    files = {**example.files, example.path: example.code}
    fixed = fix_files(files, unsafe=True, root=tmp_path, select=[code], rule_options=FAST, unsafe_fixes=True)
    for relpath, text in files.items():
        (tmp_path / relpath).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / relpath).write_text(text)
    target = tmp_path / example.path
    before, _ = server_accepts(target)
    target.write_text(fixed[example.path])
    after, output = server_accepts(target)
    if before:
        assert after, f"{code} fix broke a config nats-server accepted:\n{fixed[example.path]}\n{output}"


UNIT_TRAPS = [
    ("ping_interval: 2m\n", False),
    ("ping_interval: 60\n", False),
    ("lame_duck_duration: 30\n", False),
    ('authorization { token: "Zq8v1LwQe3rT9yUx5p", timeout: 2m }\n', True),
    ("authorization { user: a, password: $2b$04$W2zko751KUvVy59mUTWmpOdWjpEm5qhcCZRd05GjI/sSOT.xtiHyG }\n", False),
]


@pytest.mark.parametrize("text, accepted_before", UNIT_TRAPS)
def test_trap_fixes_make_nats_server_accept(tmp_path: Path, text: str, accepted_before: bool) -> None:
    path = tmp_path / "nats-server.conf"
    path.write_text(text)
    assert server_accepts(path)[0] is accepted_before
    fixed = fix_files({"nats-server.conf": text}, root=tmp_path, select=["NAT002", "NAT011"])["nats-server.conf"]
    assert fixed != text
    path.write_text(fixed)
    ok, output = server_accepts(path)
    assert ok, f"{fixed}\n{output}"


def _copy_corpus(tmp_path: Path) -> Path:
    copy = tmp_path / "corpus"
    shutil.copytree(require(CORPUS), copy)
    return copy


def _check_corpus(tmp_path: Path, sample: int | None) -> None:
    copy = _copy_corpus(tmp_path)
    paths = sorted(p for p in copy.rglob("*.conf"))
    if sample is not None:
        paths = paths[:: max(1, len(paths) // sample)][:sample]
    with ThreadPoolExecutor(max_workers=min(16, (os.cpu_count() or 2) * 2)) as pool:
        before = dict(zip(paths, pool.map(lambda p: server_accepts(p)[0], paths)))
    texts = {p.relative_to(copy).as_posix(): p.read_text("utf-8") for p in paths}
    fixed = fix_files(texts, unsafe=True, root=copy, rule_options=FAST, unsafe_fixes=True)
    changed = [copy / rel for rel in texts if fixed[rel] != texts[rel]]
    for rel, text in fixed.items():
        (copy / rel).write_text(text, "utf-8")
    with ThreadPoolExecutor(max_workers=min(16, (os.cpu_count() or 2) * 2)) as pool:
        after = dict(zip(paths, pool.map(server_accepts, paths)))
    broken = [f"{p.relative_to(copy)}: {after[p][1][-300:]}" for p in paths if before[p] and not after[p][0]]
    assert broken == []
    assert sum(before.values()) > len(paths) // 2
    assert changed, "the corpus has plaintext passwords: something must have been fixed"


def test_whole_corpus_fixed_files_still_load(tmp_path: Path) -> None:
    """Every corpus file 2.9.10 accepted still loads after all fixes, unsafe ones included (~5 s)."""
    _check_corpus(tmp_path, sample=None)


# ------------------------------------------------------------------------------ differential

FUZZ_ATOMS = [
    "'k':", '"k" =', "(\nabc\n)", "(\n", "\n)", '"\\x4"', "users [", "-", ".5", "1.", "99999999999999999999",
    "$2b$", "@", "*", ">", "a", "b", "x1", ":", "=", " ", " ", "\n", "\n", ";", ",", "{", "}", "[", "]", "(", ")",
    "#c", "//c", "/", "'s'", '"d"', '"e\\x41"', '"\\q"', "\\t", "2m", "10s", "1.5", "-3", "1.2.3.4",
    "2016-05-04T18:53:41Z", "$a", "$2a$", "include ", "yes", "0.0.0.0:4222", "\t", "\r\n", "k:", "1", "12", "1]",
    "5k", "3e", "2kb",
]
SYNTAX_ERRORS = ("Parse error", "variable reference", "error parsing include", "unknown suffix", "out of the range",
                 "expected integer", "Unexpected EOF")


def test_parser_agrees_with_nats_server_on_random_text(tmp_path: Path) -> None:
    """Random token soup: our ParseError exactly when nats-server reports a syntax error."""
    import random

    from authlint.syntax.errors import ParseError
    from authlint.syntax.natsconf import parse_text

    rng = random.Random(20261123)
    texts = ["".join(rng.choice(FUZZ_ATOMS) for _ in range(rng.randint(1, 14))) for _ in range(300)]

    def judge(index: int) -> str | None:
        path = tmp_path / f"f{index}.conf"
        path.write_text(texts[index], newline="")
        out = subprocess.run([NATS_SERVER, "-c", path.name, "-t"], cwd=tmp_path, capture_output=True, text=True,
                             env={"PATH": os.environ.get("PATH", "/usr/bin:/bin")}, timeout=30)
        theirs = any(marker in out.stderr + out.stdout for marker in SYNTAX_ERRORS)
        try:
            parse_text(texts[index], path, root=tmp_path, env={}, strict=True)
            ours = False
        except ParseError:
            ours = True
        return None if ours == theirs else f"{texts[index]!r}: ours={ours} nats-server: {out.stderr.strip()[:160]}"

    with ThreadPoolExecutor(max_workers=8) as pool:
        disagreements = [d for d in pool.map(judge, range(len(texts))) if d]
    assert disagreements == []


# ------------------------------------------------------------------------------ end to end


def test_bcrypt_fix_keeps_clients_working(tmp_path: Path) -> None:
    pytest.importorskip("nats")
    secret = "s3cr3t-t0ken-for-e2e-tests-42"
    port = free_port()
    config = tmp_path / "nats-server.conf"
    original = f'listen: 127.0.0.1:{port}\nauthorization {{\n  token: "{secret}"\n}}\n'
    config.write_text(original)
    with serving(tmp_path, config.name, port=port) as server:
        assert server.login(Login(token=secret)) == "ok"
    fixed = fix_files(
        {"nats-server.conf": original},
        unsafe=True,
        root=tmp_path,
        select=["NAT004"],
        rule_options={"NAT004": {"bcrypt-cost": 6}},
        unsafe_fixes=True,
    )["nats-server.conf"]
    assert secret not in fixed and '"$2b$06$' in fixed
    config.write_text(fixed)
    assert server_accepts(config)[0]
    with serving(tmp_path, config.name, port=port) as server:
        assert server.login(Login(token=secret)) == "ok"
        outcome = server.login(Login(token="not-the-token"))
        assert refused(outcome), outcome


def test_typed_values_match_what_the_running_server_reports(tmp_path: Path) -> None:
    """/varz of a live server against the parser's typed values (sizes, escapes, the 2m trap)."""
    from authlint.facts.knowledge.durations import go_seconds
    from authlint.syntax.natsconf import parse_text

    port, http = free_port(), free_port()
    text = (
        f"listen: 127.0.0.1:{port}\nhttp: 127.0.0.1:{http}\nserver_name: \"a\\x41b\"\nmax_payload: 1MB\n"
        "max_pending: 10Mi\nmax_connections: 5k\nping_interval: 2m\nping_max: 3\nwrite_deadline: \"2s\"\n"
        "max_control_line: 2kb\nauthorization { token: \"abcdefghijklmnop\", timeout: 1.5 }\n"
    )
    config = tmp_path / "nats-server.conf"
    config.write_text(text)
    values = parse_text(text, config, env={}).py()
    with serving(tmp_path, config.name, port=port, http=http) as server:
        varz = server.varz()
    for key in ("server_name", "max_payload", "max_pending", "max_connections", "ping_max", "max_control_line"):
        assert varz[key] == values[key], key
    assert varz["ping_interval"] == values["ping_interval"] * 10**9 == 2_000_000 * 10**9  # seconds, ~23 days
    assert varz["write_deadline"] == go_seconds(values["write_deadline"]) * 10**9
    assert varz["auth_timeout"] == values["authorization"]["timeout"]
