from __future__ import annotations

import json
from pathlib import Path

import pytest

import authlint.run.outcome
import authlint.run.pool
from authlint.config.settings import Settings
from authlint.facts.model import UNKNOWN, Expr, Option, OptionBag, SocketIOServer
from authlint.files.source import Source, Span
from authlint.run.cache import CACHE_DIR
from authlint.run.engine import Linter
from authlint.run.runner import run_check
from authlint.run.serialize import CodecError, decode, encode


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    for i in range(40):
        body = f'x{i} = "BADWORD"\n' if i % 3 == 0 else f"x{i} = {i}\n"
        (tmp_path / f"m{i:02}.py").write_text(body)
    return tmp_path


def _run(root: Path, rule, **kw):
    linter = Linter(Settings(root=root), rules=[rule])
    result, _ = run_check([str(root)], linter.settings, linter, **kw)
    return [(d.path, d.span, d.code, d.message, d.fix) for d in result.diagnostics]


def test_results_do_not_depend_on_jobs_or_cache(tree: Path, demo_rule) -> None:
    serial = _run(tree, demo_rule, jobs=1, use_cache=False)
    assert len(serial) == 14
    assert _run(tree, demo_rule, jobs=2, use_cache=False) == serial
    assert _run(tree, demo_rule, jobs=2, use_cache=True) == serial  # fills the cache
    assert _run(tree, demo_rule, jobs=1, use_cache=True) == serial  # reads it


def test_warm_run_checks_nothing_again(tree: Path, demo_rule, monkeypatch) -> None:
    first = _run(tree, demo_rule, jobs=1)
    calls: list[str] = []
    real = authlint.run.outcome.check_candidate

    def counting(linter, path, relpath, with_text):
        calls.append(relpath)
        return real(linter, path, relpath, with_text)

    monkeypatch.setattr(authlint.run.pool, "check_candidate", counting)
    assert _run(tree, demo_rule, jobs=1) == first and calls == []
    (tree / "m01.py").write_text('changed = "BADWORD"\n')
    assert len(_run(tree, demo_rule, jobs=1)) == len(first) + 1 and calls == ["m01.py"]


@pytest.mark.parametrize(
    "planted",
    [
        "not json at all",
        json.dumps({"format": 1, "entries": {"m00.py": {"size": 0, "mtime": 0, "payload": "x"}}}),
        None,  # a well-formed entry naming a type authlint does not know: must not be trusted
    ],
)
def test_corrupt_or_planted_cache_is_ignored(tree: Path, demo_rule, planted) -> None:
    clean = _run(tree, demo_rule, jobs=1, use_cache=False)
    _run(tree, demo_rule, jobs=1)
    (cache_file,) = (tree / CACHE_DIR).glob("*.json")
    if planted is None:
        data = json.loads(cache_file.read_text())
        data["entries"]["m00.py"]["payload"]["diagnostics"] = [{"§": "Popen", "args": ["touch", "pwned"]}]
        planted = json.dumps(data)
    cache_file.write_text(planted)
    assert _run(tree, demo_rule, jobs=1) == clean
    assert not (tree / "pwned").exists()
    assert (tree / CACHE_DIR / ".gitignore").read_text().strip().endswith("*")


def test_fact_codec_round_trip() -> None:
    source = Source.from_text("sio = socketio.Server(ping_timeout=1, cors_allowed_origins='*')", "s.py", "python")
    value = Expr(Span(35, 36), "1", 1)
    fact = SocketIOServer(
        source=source,
        span=Span(6, 64),
        lang="python",
        library="python-socketio",
        options=OptionBag(
            {"ping_timeout": Option("ping_timeout", value, Span(22, 36), Span(22, 34)),
             "x": Option("x", Expr(Span(0, 1), "y", UNKNOWN, ref="env:Y"), Span(0, 1), Span(0, 1))},
            insert_at=63,
        ),
    )
    payload = json.loads(json.dumps(encode([fact], source)))
    (back,) = decode(payload, source)
    assert back == fact and back.source is source and back.options.items["x"].value.value is UNKNOWN


def test_codec_refuses_foreign_sources_and_types() -> None:
    a = Source.from_text("a")
    with pytest.raises(CodecError):
        encode([Source.from_text("b")], a)
    with pytest.raises(CodecError):
        decode({"§": "Path", "x": 1}, a)


def test_warm_project_rule_joins_cached_facts_without_parsing(tmp_path: Path, monkeypatch) -> None:
    """NAT010 joins nats-server realms (facts) with clients in code: a warm run parses nothing."""
    from authlint.rules.nats.nat010_client_credential_mismatch import ClientCredentialMismatch

    (tmp_path / "nats-server.conf").write_text('authorization { token: "Zq8v1LwQe3rT9yUx" }\n')
    (tmp_path / "leaf.conf").write_text(
        'leafnodes { remotes: [ { url: "nats-leaf://wrong-token-value@hub:7422" } ] }\n'
    )
    (tmp_path / "app.py").write_text(
        'import nats\n\nasync def main():\n    await nats.connect("nats://h:4222", token="Zq8v1LwQe3rT9yUy")\n'
    )
    (tmp_path / "other.py").write_text("print('nothing to join here')\n")
    rule = ClientCredentialMismatch()
    cold = _run(tmp_path, rule, jobs=1)
    assert [(path, code) for path, _, code, _, _ in cold] == [("app.py", "NAT010")]

    def no_parsing(*args, **kwargs):
        raise AssertionError("a warm run parsed a file")

    monkeypatch.setattr("authlint.run.context.FileContext.tree", property(no_parsing))
    assert _run(tmp_path, rule, jobs=1) == cold


def test_a_few_files_split_the_biggest_into_a_forked_child(tmp_path: Path, demo_rule, monkeypatch) -> None:
    """A pre-commit-sized run forks one child when a file is big: same results, and a child that
    dies is made up for in the parent."""
    import os

    (tmp_path / "big.py").write_text('x = "BADWORD"\n' + "y = 1\n" * 20000)
    (tmp_path / "a.py").write_text('a = "BADWORD"\n')
    (tmp_path / "b.py").write_text("b = 2\n")
    serial = _run(tmp_path, demo_rule, jobs=1, use_cache=False)
    assert len(serial) == 2
    assert _run(tmp_path, demo_rule, jobs=2, use_cache=False) == serial
    parent = os.getpid()
    real = authlint.run.pool.check_candidate

    def dies_in_child(linter, path, relpath, with_text):
        if os.getpid() != parent:
            raise RuntimeError("worker crashed")
        return real(linter, path, relpath, with_text)

    monkeypatch.setattr(authlint.run.pool, "check_candidate", dies_in_child)
    assert _run(tmp_path, demo_rule, jobs=2, use_cache=False) == serial


def test_many_files_with_crashing_children_still_get_every_outcome(tree: Path, demo_rule, monkeypatch) -> None:
    import os

    serial = _run(tree, demo_rule, jobs=1, use_cache=False)
    parent = os.getpid()
    real = authlint.run.pool.check_candidate

    def dies_in_child(linter, path, relpath, with_text):
        if os.getpid() != parent and relpath.endswith("3.py"):
            os._exit(9)  # killed mid-chunk: the chunk's earlier outcomes were never sent
        return real(linter, path, relpath, with_text)

    monkeypatch.setattr(authlint.run.pool, "check_candidate", dies_in_child)
    assert _run(tree, demo_rule, jobs=3, use_cache=False) == serial


def test_stopping_early_reaps_the_children(tree: Path, demo_rule) -> None:
    import os

    linter = Linter(Settings(root=tree), rules=[demo_rule])
    tasks = [(str(p), p.name) for p in sorted(tree.glob("*.py"))]
    results = authlint.run.pool.check_many(linter, tasks, 2)
    next(results)
    results.close()  # the consumer gives up (an error, ^C): no child may outlive the run
    with pytest.raises(ChildProcessError):
        os.waitpid(-1, os.WNOHANG)


@pytest.mark.parametrize("count", [2, 40, 5000])
def test_chunks_hold_every_task_once_biggest_first(count: int) -> None:
    sizes = [(i * 7919) % 100_000 for i in range(count)]
    plan = authlint.run.pool.chunks(sizes, 2)
    flat = [i for chunk in plan for i in chunk]
    assert sorted(flat) == list(range(count))
    assert [sizes[i] for i in flat] == sorted(sizes, reverse=True)
    assert len(plan) <= authlint.run.pool.MAX_CHUNKS


@pytest.mark.parametrize(
    ("jobs", "sizes", "expected"),
    [
        (1, [10] * 100, 1),  # asked for one process
        (2, [10], 1),  # nothing to share
        (2, [10, 20, 30], 1),  # a few small files: a fork costs more than it saves
        (2, [10, 200_000, 30], 2),  # a pre-commit run with one big file
        (8, [10] * 40, 2),  # at least 16 files per process
        (2, [10] * 1000, 2),
    ],
)
def test_worker_count(jobs: int, sizes: list[int], expected: int) -> None:
    assert authlint.run.pool.worker_count(jobs, sizes) == expected


def test_torn_frames_are_dropped_not_trusted() -> None:
    import os

    read_end, write_end = os.pipe()
    inbox = authlint.run.pool._Inbox(read_end, pid=0)
    good = authlint.run.pool._encode_frame([(0, {"kind": "python"}, None)])
    os.write(write_end, good + (5).to_bytes(8, "little") + b"\xff\xff\xff\xff\xff" + good[:10])
    os.close(write_end)
    os.set_blocking(read_end, False)
    inbox.read()
    assert list(inbox.frames()) == [[(0, {"kind": "python"}, None)]]
    assert not inbox.open


def test_refused_forks_and_a_small_pipe_quota_fall_back_to_fewer_processes(tree: Path, demo_rule, monkeypatch) -> None:
    import os

    serial = _run(tree, demo_rule, jobs=1, use_cache=False)

    def no_fork():
        raise BlockingIOError(11, "Resource temporarily unavailable")

    with monkeypatch.context() as patch:
        patch.setattr(os, "fork", no_fork)
        assert _run(tree, demo_rule, jobs=4, use_cache=False) == serial
    real_write = os.write

    def tiny_pipe(fd, data):
        return real_write(fd, data[:4]) if len(data) > 4 else real_write(fd, data)

    with monkeypatch.context() as patch:
        patch.setattr(os, "write", tiny_pipe)
        patch.setattr(os, "fork", no_fork)  # the queue does not fit: no fork may even be tried
        assert _run(tree, demo_rule, jobs=2, use_cache=False) == serial


def _project_rule_examples():
    from authlint.rules import registry

    for rule in registry().values():
        if rule.project_rule:
            for i, example in enumerate(rule.examples):
                if example.files:
                    yield pytest.param(rule, example, id=f"{rule.code}-{i}")


@pytest.mark.parametrize(("rule", "example"), list(_project_rule_examples()))
def test_every_project_rule_answers_the_same_from_the_cache_and_the_pool(tmp_path: Path, rule, example) -> None:
    """Each cross-file example of every project rule (JWT005 and NAT010 compare secrets across
    files): the same findings cold, warm, half warm, without a cache and for any ``--jobs``."""
    import os

    from authlint.testing import make_settings

    files = {**example.files, example.path: example.code}
    padding = {f"pad/p{i:02}.py": f"x = {i}\n" for i in range(32)}  # so that ``--jobs 2`` forks a worker
    for relpath, text in {**files, **padding}.items():
        (tmp_path / relpath).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / relpath).write_text(text, encoding="utf-8")
    overrides = dict(example.settings, select=[rule.code])
    if example.options:
        overrides["rule_options"] = {rule.code: example.options}
    settings = make_settings(tmp_path, **overrides)

    def findings(**kw):
        linter = Linter(settings)
        result, _ = run_check([str(tmp_path)], settings, linter, **kw)
        assert not result.errors
        return [(d.path, d.span, d.code, d.message, d.fix) for d in result.diagnostics]

    cold = findings(jobs=1, use_cache=False)
    assert any(code == rule.code for _, _, code, _, _ in cold) != example.valid
    assert findings(jobs=2, use_cache=False) == cold
    assert findings(jobs=1) == cold  # fills the cache
    assert findings(jobs=1) == cold  # warm
    assert findings(jobs=2) == cold
    for relpath in files:  # half warm: one file checked again, the others from the cache
        stat = os.stat(tmp_path / relpath)
        os.utime(tmp_path / relpath, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000))
        assert findings(jobs=1) == cold, relpath
