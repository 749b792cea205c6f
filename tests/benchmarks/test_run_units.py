"""The benchmark's pure parts: target verdicts, findings comparison, rg command, hook file choice."""

from __future__ import annotations

import json

import run as bench


def _run(stdout: str) -> bench.Run:
    return bench.Run(seconds=0.1, max_rss_mib=10.0, returncode=0, stdout=stdout, stderr="")


def test_target_status_lower_is_better() -> None:
    assert bench.Target("t", 10.0, "x", 60, 15).status == "goal"
    assert bench.Target("t", 30.0, "x", 60, 15).status == "must"
    assert bench.Target("t", 61.0, "x", 60, 15).status == "FAIL"
    assert bench.Target("t", None, "x", 60, 15).status == "n/a"
    assert bench.Target("t", 1.0, "x", 60, 15, failed=True).status == "ERROR"


def test_target_status_higher_is_better_and_booleans() -> None:
    assert bench.Target("t", 1.8, "x", 1.4, 1.7, lower_is_better=False).status == "goal"
    assert bench.Target("t", 1.5, "x", 1.4, 1.7, lower_is_better=False).status == "must"
    assert bench.Target("t", 1.1, "x", 1.4, 1.7, lower_is_better=False).status == "FAIL"
    assert bench.Target("t", True, "", True, True).status == "pass"
    assert bench.Target("t", False, "", True, True).status == "FAIL"


def test_same_findings_ignores_order_but_not_content() -> None:
    a = [{"code": "JWT003", "path": "a.py", "line": 1}, {"code": "TOK001", "path": "b.js", "line": 2}]
    assert bench.same_findings(_run(json.dumps(a)), _run(json.dumps(a[::-1])))["identical"] is True
    b = [a[0], {**a[1], "line": 3}]
    verdict = bench.same_findings(_run(json.dumps(a)), _run(json.dumps(b)))
    assert verdict["identical"] is False and verdict["differences"] == 2
    assert bench.same_findings(_run("not json"), _run("[]"))["identical"] is None


def test_rg_reads_authlint_files_with_the_trigger_words() -> None:
    argv = bench.rg_argv("rg", {"python": ["ping_timeout", "jwt"], "javascript": ["jwt"]})
    assert argv[:2] == ["rg", "-c"] and argv[-1] == "."
    words = [argv[i + 1] for i, arg in enumerate(argv) if arg == "-e"]
    assert words == ["jwt", "ping_timeout"]
    assert "*.py" in argv and "!*.min.js" in argv


def test_rg_without_words_still_reads_every_byte() -> None:
    argv = bench.rg_argv("rg", {})
    assert argv[argv.index("-e") + 1] == bench.NO_WORDS


def test_hook_files_prefer_findings_one_per_kind(tmp_path) -> None:
    records = [
        {"code": "JWT003", "path": "a/one.py"},
        {"code": "JWT003", "path": "a/two.py"},
        {"code": "E001", "path": "broken.js"},
        {"code": "TOK001", "path": "web/app.ts"},
        {"code": "NAT004", "path": "nats/server.conf"},
    ]
    chosen = bench.hook_files(tmp_path, _run(json.dumps(records)), {})
    assert chosen == ["a/one.py", "web/app.ts", "nats/server.conf"]


def test_hook_files_fall_back_to_trigger_words_then_any_file(tmp_path) -> None:
    (tmp_path / "a.py").write_text("x = 1\n")
    (tmp_path / "b.py").write_text("import jwt\njwt.decode(t)\n")
    (tmp_path / "c.min.js").write_text("localStorage.token = t\n")
    (tmp_path / "d.txt").write_text("decode\n")
    assert bench.hook_files(tmp_path, None, {"python": ["decode"]}, count=1) == ["b.py"]
    assert bench.hook_files(tmp_path, None, {"python": ["decode"]}) == ["b.py", "a.py"]


def test_bcrypt_salts_are_masked_but_nothing_else() -> None:
    fix = {"content": '"$2b$11$0L.RgVak5m.a2g8DEcfmDe/vtXUF2lTQHoeS/jX2XV.y73rCsidBS"'}
    other = {"content": '"$2b$11$acYZjM6KJP.6Z3bxmZi4NOtIMkA4VlH2alSJQbYA5GHhVvjiC0wRm"'}
    a = [{"code": "NAT004", "fix": fix}]
    b = [{"code": "NAT004", "fix": other}]
    assert bench.same_findings(_run(json.dumps(a)), _run(json.dumps(b)))["identical"] is True
    c = [{"code": "NAT005", "fix": other}]
    assert bench.same_findings(_run(json.dumps(a)), _run(json.dumps(c)))["identical"] is False


def test_prefilter_words_are_plain_text_for_rg_fixed_strings() -> None:
    words = bench.prefilter_words()
    assert "socket.io" in words["javascript"] and "access-control-allow-origin" in words["python"]
    for kind_words in words.values():
        assert all("\\" not in word for word in kind_words)


def test_alternating_runs_take_turns_and_primed_runs_follow_their_own_command(monkeypatch, tmp_path) -> None:
    calls: list[str] = []
    clock = iter(range(1, 100))

    def fake_run(argv, cwd, env=None):
        calls.append(argv[0])
        return bench.Run(seconds=float(next(clock)), max_rss_mib=1.0, returncode=0, stdout="", stderr="")

    monkeypatch.setattr(bench, "run_process", fake_run)
    commands = {"one": ["a"], "two": ["b"]}
    plain = bench.measure_alternating(commands, tmp_path, 2, lambda r: True)
    assert calls == ["a", "b", "a", "b"]
    assert plain["one"].seconds == [1.0, 3.0] and plain["two"].seconds == [2.0, 4.0]
    calls.clear()
    primed = bench.measure_alternating(commands, tmp_path, 2, lambda r: True, prime=True)
    assert calls == ["a", "a", "b", "b", "a", "a", "b", "b"]
    assert primed["one"].seconds == [6.0, 10.0] and primed["two"].seconds == [8.0, 12.0]  # untimed: 5, 7, 9, 11
