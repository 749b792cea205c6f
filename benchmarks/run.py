"""Benchmark authlint against semgrep (same checks) and rg (reading and matching every byte).

One command from a fresh checkout: ``python benchmarks/run.py`` builds the corpus if it is missing,
then measures side by side on the same files, several runs each, and prints medians, the ratios of
the performance issue's targets with pass/fail against their "must" and "goal", and whether the
findings are identical with and without cache and for every ``--jobs``. ``--json`` prints the same
as one JSON object (``--json-out FILE`` writes it besides the table).

Timings are process wall clock (``time.perf_counter`` around the child's whole life); peak RSS is
the child's ``ru_maxrss`` from ``wait4``, which covers its own waited-for children (a ``--jobs``
pool's workers): the largest single process, as "peak RSS of any authlint process" asks. rg and
the first authlint series get one untimed warm-up run, so every tool reads from the OS page cache
alike and authlint's bytecode is compiled; "cold" means authlint's own cache is empty
(``--no-cache``, cache folder removed), not a cold disk.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field
from fnmatch import fnmatch
from pathlib import Path
from typing import Any, Callable, Sequence

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import build_corpus  # noqa: E402  (a sibling script, not a package)

RULES_FILE = HERE / "semgrep-rules.yml"
SEMGREP_VENV = HERE / ".venv-semgrep"
CACHE_DIR = ".authlint_cache"
MAX_FILE_BYTES = 2 * 1024 * 1024  # authlint's default max-file-size; semgrep is told the same
# The file names authlint classifies (lint/classify.py); rg reads exactly these.
RG_GLOBS = (
    "*.py", "*.pyi", "*.js", "*.mjs", "*.cjs", "*.jsx", "*.ts", "*.mts", "*.cts", "*.tsx",
    "*.yaml", "*.yml", "*.jwt", "*.creds", "*.conf", "*.cfg", "*.nats",
    "!*.min.js", "!*.d.ts", f"!{CACHE_DIR}",
)
NO_WORDS = "authlint-benchmark-no-trigger-words-7f3a9c"  # with no rules: reads every byte, never matches


# -- measuring one process -----------------------------------------------------------------------
@dataclass
class Run:
    """One finished child process: wall time, peak RSS, exit code and its output files."""

    seconds: float
    max_rss_mib: float
    returncode: int
    stdout: str
    stderr: str


def tool_env() -> dict[str, str]:
    """The environment a user's shell has: bytecode caching on (some sandboxes turn it off,
    which would charge every authlint run the compilation of its own modules)."""
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def run_process(argv: Sequence[str], cwd: Path, env: dict[str, str] | None = None) -> Run:
    """Run ``argv`` to completion; time it and read its rusage without a wrapper process."""
    env = env if env is not None else tool_env()
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        start = time.perf_counter()
        proc = subprocess.Popen(argv, cwd=cwd, stdout=out, stderr=err, stdin=subprocess.DEVNULL, env=env)
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        # ru_maxrss is KiB on Linux
        return Run(seconds, usage.ru_maxrss / 1024, proc.returncode, out.read(), err.read())


@dataclass
class Series:
    """Several timed runs of one command; the failed ones make the series an error."""

    name: str
    argv: list[str]
    seconds: list[float] = field(default_factory=list)
    max_rss_mib: float = 0.0
    error: str | None = None
    last: Run | None = field(default=None, repr=False)

    @property
    def median(self) -> float | None:
        return statistics.median(self.seconds) if self.seconds and self.error is None else None

    def summary(self) -> dict[str, Any]:
        data = {k: v for k, v in asdict(self).items() if k != "last"}
        data["median"] = self.median
        return data


def measure_alternating(
    commands: dict[str, list[str]],
    cwd: Path,
    runs: int,
    ok: Callable[[Run], bool],
    before_each: Callable[[], None] | None = None,
    prime: bool = False,
) -> dict[str, Series]:
    """Several commands run in turns (1, 2, 1, 2, ...): a shared machine that speeds up or slows
    down meanwhile weighs on each alike, which a ratio between them (the ``--jobs`` speed-up) needs.

    ``prime``: each timed run follows an untimed run of the same command, so no run inherits the
    state the other command left. On the workplace VM a two-process run straight after a
    one-process run was ~20 % slower than the next one (the idle vCPU waking up): in plain turns
    that penalty fell on every ``--jobs 2`` run and on no ``--jobs 1`` run."""
    out = {name: Series(name, argv) for name, argv in commands.items()}
    for _ in range(runs):
        for name, argv in commands.items():
            series = out[name]
            if series.error is not None:
                continue
            one = measure(name, argv, cwd, 1, ok, before_each, warmup=prime)
            series.last, series.error = one.last, one.error
            series.seconds += one.seconds
            series.max_rss_mib = max(series.max_rss_mib, one.max_rss_mib)
    return out


def measure(
    name: str,
    argv: list[str],
    cwd: Path,
    runs: int,
    ok: Callable[[Run], bool] = lambda r: r.returncode == 0,
    before_each: Callable[[], None] | None = None,
    warmup: bool = True,
    env: dict[str, str] | None = None,
) -> Series:
    """Run a command ``runs`` times (after an untimed warm-up); stop at the first failure."""
    series = Series(name, argv)
    for index in range(runs + (1 if warmup else 0)):
        if before_each:
            before_each()
        result = run_process(argv, cwd, env)
        series.last = result
        if not ok(result):
            tail = (result.stderr.strip() or result.stdout.strip())[-600:]
            series.error = f"exit {result.returncode}: {tail}"
            return series
        series.max_rss_mib = max(series.max_rss_mib, result.max_rss_mib)
        if index > 0 or not warmup:
            series.seconds.append(result.seconds)
    return series


# -- tools ---------------------------------------------------------------------------------------
def find_authlint(explicit: str | None) -> list[str]:
    """The ``authlint`` console script next to this interpreter, else on PATH, else ``-m``."""
    if explicit:
        return [explicit]
    beside = Path(sys.executable).with_name("authlint")
    if beside.exists():
        return [str(beside)]
    found = shutil.which("authlint")
    return [found] if found else [sys.executable, "-m", "authlint"]


def authlint_features(authlint: list[str]) -> dict[str, bool]:
    """Which engine flags this authlint has (``--jobs``/``--no-cache`` are being added)."""
    env = {**os.environ, "COLUMNS": "250", "NO_COLOR": "1", "TERM": "dumb"}
    done = subprocess.run([*authlint, "check", "--help"], capture_output=True, text=True, env=env)
    text = done.stdout + done.stderr
    return {"jobs": "--jobs" in text, "no_cache": "--no-cache" in text}


def authlint_version(authlint: list[str]) -> str:
    done = subprocess.run([*authlint, "--version"], capture_output=True, text=True)
    return done.stdout.strip() or done.stderr.strip()


def find_semgrep(explicit: str | None, create: bool) -> str | None:
    """``--semgrep``, else PATH, else ``benchmarks/.venv-semgrep`` (created on request)."""
    if explicit:
        return explicit
    candidate = SEMGREP_VENV / "bin" / "semgrep"
    if candidate.exists():
        return str(candidate)
    on_path = shutil.which("semgrep")
    if on_path:
        return on_path
    if not create:
        return None
    print("[bench] installing semgrep into benchmarks/.venv-semgrep (it pins its own deps)", file=sys.stderr)
    subprocess.run([sys.executable, "-m", "venv", str(SEMGREP_VENV)], check=True)
    subprocess.run([str(SEMGREP_VENV / "bin" / "pip"), "install", "-q", "semgrep"], check=True)
    return str(candidate)


def tool_version(argv: list[str]) -> str:
    try:
        done = subprocess.run(argv, capture_output=True, text=True, timeout=120, env=semgrep_env())
    except (OSError, subprocess.TimeoutExpired) as exc:
        return f"unknown ({exc.__class__.__name__})"
    return (done.stdout.strip() or done.stderr.strip()).splitlines()[0] if (done.stdout or done.stderr) else "?"


def semgrep_env() -> dict[str, str]:
    """No version check, no metrics: semgrep must not touch the network."""
    return {**tool_env(), "SEMGREP_ENABLE_VERSION_CHECK": "0", "SEMGREP_SEND_METRICS": "off"}


def prefilter_words() -> dict[str, list[str]]:
    """authlint's own prefilter trigger words per file kind (what rg is asked to find).

    Taken from the engine's ``Linter`` so the engine-only rules (E001/E002, which have no
    triggers) are left out exactly as the engine leaves them out.
    """
    from authlint.config.settings import Settings
    from authlint.run.engine import Linter

    prefilter = Linter(Settings()).prefilter
    return {kind: sorted(prefilter.words(kind)) for kind in sorted(prefilter.kinds())}


def rg_argv(rg: str, words: dict[str, list[str]], mode: str = "-c") -> list[str]:
    """``rg -c`` (or ``-l``) with the union of the trigger words, over the files authlint reads."""
    union = sorted({word for kind_words in words.values() for word in kind_words}) or [NO_WORDS]
    argv = [rg, mode, "-i", "-F", "--no-messages", "--max-filesize", str(MAX_FILE_BYTES)]
    for glob in RG_GLOBS:
        argv += ["-g", glob]
    for word in union:
        argv += ["-e", word]
    return [*argv, "."]


# -- findings ------------------------------------------------------------------------------------
# NAT004's fix salts a fresh bcrypt hash on every run, so two honest runs differ there and only there.
BCRYPT_HASH = re.compile(r"\$2[aby]\$\d\d\$[./A-Za-z0-9]{53}")


def findings(run: Run | None) -> list[str] | None:
    """authlint's JSON findings as sorted canonical strings, bcrypt salts masked (None if unreadable)."""
    if run is None:
        return None
    try:
        records = json.loads(run.stdout)
    except json.JSONDecodeError:
        return None
    return sorted(BCRYPT_HASH.sub("<bcrypt-hash>", json.dumps(record, sort_keys=True)) for record in records)


def same_findings(a: Run | None, b: Run | None) -> dict[str, Any]:
    fa, fb = findings(a), findings(b)
    if fa is None or fb is None:
        return {"identical": None, "count": None, "differences": None}
    diff = len(set(fa) ^ set(fb)) + abs(len(fa) - len(fb)) * (set(fa) == set(fb))
    return {"identical": fa == fb, "count": len(fa), "differences": diff}


def semgrep_summary(run: Run | None) -> dict[str, Any]:
    if run is None:
        return {}
    try:
        data = json.loads(run.stdout)
    except json.JSONDecodeError:
        return {"error": "unreadable JSON"}
    return {
        "findings": len(data.get("results", [])),
        "files_scanned": len(data.get("paths", {}).get("scanned", [])),
        "errors": len(data.get("errors", [])),
    }


# -- choosing the hook's staged files ------------------------------------------------------------
def hook_files(corpus: Path, cold: Run | None, words: dict[str, list[str]], count: int = 3) -> list[str]:
    """Files a pre-commit run would plausibly stage: ones with findings, else prefilter hits.

    One per kind first (python, js/ts, nats), so the hook pays each parser's start-up cost.
    Plain Python (no rg), so the benchmark runs where rg is not installed.
    """
    paths: list[str] = []
    for record in json.loads(cold.stdout) if cold and findings(cold) is not None else []:
        if record.get("path") and record["path"] not in paths and not record["code"].startswith("E"):
            paths.append(record["path"])
    if len(paths) < count:
        union = {word for kind_words in words.values() for word in kind_words}
        paths += [p for p in corpus_files(corpus) if p not in paths and _has_word(corpus / p, union)]
    if len(paths) < count:  # no rule has trigger words: any files authlint would read
        paths += [p for p in corpus_files(corpus) if p not in paths]
    by_kind: dict[str, list[str]] = {}
    for path in paths:
        suffix = Path(path).suffix
        kind = "py" if suffix in (".py", ".pyi") else "conf" if suffix in (".conf", ".cfg", ".nats") else "js"
        by_kind.setdefault(kind, []).append(path)
    chosen = [group[0] for group in by_kind.values()]
    chosen += [p for p in paths if p not in chosen]
    return chosen[:count]


def corpus_files(corpus: Path) -> list[str]:
    """The files rg's globs select (RG_GLOBS), as sorted corpus-relative posix paths."""
    include = [g for g in RG_GLOBS if not g.startswith("!")]
    exclude = [g[1:] for g in RG_GLOBS if g.startswith("!")]
    out = []
    for root, dirs, files in os.walk(corpus):
        dirs[:] = sorted(d for d in dirs if d not in (CACHE_DIR, ".git", "node_modules"))
        for name in files:
            if any(fnmatch(name, g) for g in include) and not any(fnmatch(name, g) for g in exclude):
                out.append((Path(root) / name).relative_to(corpus).as_posix())
    return sorted(out)


def _has_word(path: Path, words: set[str]) -> bool:
    try:
        data = path.read_bytes().lower()
    except OSError:
        return False
    return any(word.encode() in data for word in words)


# -- targets ---------------------------------------------------------------------------------------
@dataclass
class Target:
    """One row of the issue's target table: a measured value against its must and goal."""

    name: str
    value: float | bool | None
    unit: str
    must: float | bool
    goal: float | bool
    lower_is_better: bool = True
    note: str = ""
    failed: bool = False  # a run it depends on failed: the target is not met

    @property
    def status(self) -> str:
        if self.failed:
            return "ERROR"
        if self.value is None:
            return "n/a"
        if isinstance(self.must, bool):
            return "pass" if self.value == self.must else "FAIL"
        better = (lambda v, t: v <= t) if self.lower_is_better else (lambda v, t: v >= t)
        if better(self.value, self.goal):
            return "goal"
        return "must" if better(self.value, self.must) else "FAIL"

    def row(self) -> dict[str, Any]:
        return {**asdict(self), "status": self.status}


def ratio(a: float | None, b: float | None) -> float | None:
    return a / b if a is not None and b else None


def targets(results: dict[str, Any]) -> list[Target]:
    s = results["series"]
    med = {name: series.get("median") for name, series in s.items()}

    def failed(*names: str) -> bool:
        return any(s.get(name, {}).get("error") for name in names)

    authlint_series = [name for name in s if name.startswith("authlint")]
    rss = max((s[name]["max_rss_mib"] for name in authlint_series if not s[name]["error"]), default=0.0)
    jobs1, jobs2 = med.get("authlint --jobs 1"), med.get("authlint --jobs 2")
    same = results["identical"]
    identical = [v["identical"] for v in same.values()]
    all_same = None if not identical or None in identical else all(identical)
    hook = med.get("authlint hook")
    return [
        Target("cold authlint / semgrep", ratio(med.get("authlint cold"), med.get("semgrep")), "x", 1 / 3, 1 / 10,
               failed=failed("authlint cold", "semgrep")),
        Target("cold authlint / rg -c", ratio(med.get("authlint cold"), med.get("rg -c")), "x", 60, 15,
               failed=failed("authlint cold", "rg -c")),
        Target("warm authlint / rg -c", ratio(med.get("authlint warm"), med.get("rg -c")), "x", 5, 2,
               failed=failed("authlint warm", "rg -c")),
        Target("hook, 3 staged files (p50)", None if hook is None else hook * 1000, "ms", 250, 100,
               failed=failed("authlint hook")),
        Target("peak RSS, any authlint process", rss or None, "MiB", 150, 64, failed=failed(*authlint_series)),
        Target("--jobs 2 speed-up over --jobs 1", ratio(jobs1, jobs2), "x", 1.4, 1.7, lower_is_better=False,
               failed=failed("authlint --jobs 1", "authlint --jobs 2")),
        Target("findings identical (cache, --jobs)", all_same, "", True, True, note=", ".join(same),
               failed=failed("authlint cold", "authlint warm", "authlint --jobs 1", "authlint --jobs 2")),
    ]


# -- the benchmark -------------------------------------------------------------------------------
@dataclass
class Options:
    corpus: Path
    small: bool
    runs: int
    semgrep_runs: int
    hook_runs: int
    warmup: bool
    authlint: list[str]
    semgrep: str | None
    rg: str | None


def clear_cache(corpus: Path) -> None:
    shutil.rmtree(corpus / CACHE_DIR, ignore_errors=True)


def authlint_check(opts: Options, *extra: str, paths: Sequence[str] = (".",), fmt: str = "json") -> list[str]:
    return [*opts.authlint, "check", "--exit-zero", "--output-format", fmt, *extra, *paths]


def accepts_findings(run: Run) -> bool:
    """authlint exits 0 (or 1 with findings when --exit-zero is not given); 2 is an error."""
    return run.returncode in (0, 1)


def run_benchmark(opts: Options, log: Callable[[str], None]) -> dict[str, Any]:
    corpus = opts.corpus
    load_at_start = round(os.getloadavg()[0], 2)
    features = authlint_features(opts.authlint)
    words = prefilter_words()
    no_cache = ["--no-cache"] if features["no_cache"] else []
    series: dict[str, Series] = {}

    if opts.rg:
        log("rg -c (the floor)")
        series["rg -c"] = measure(
            "rg -c", rg_argv(opts.rg, words), corpus, opts.runs, ok=lambda r: r.returncode in (0, 1), warmup=opts.warmup
        )
    else:
        log("rg not found: the rg rows are skipped (apt-get install ripgrep)")

    log("authlint cold")
    cold_argv = authlint_check(opts, *no_cache)
    series["authlint cold"] = measure(
        "authlint cold", cold_argv, corpus, opts.runs, accepts_findings, lambda: clear_cache(corpus), warmup=opts.warmup
    )

    if opts.semgrep:
        log("semgrep")
        argv = [
            opts.semgrep, "scan", "--config", str(RULES_FILE), "--metrics=off", "--disable-version-check",
            "--json", "--max-target-bytes", str(MAX_FILE_BYTES),
            # the corpus is its own project (the repository's .gitignore hides it), with a
            # .semgrepignore holding authlint's excludes instead of semgrep's defaults
            "--project-root", ".", "--semgrepignore-v2", ".",
        ]
        series["semgrep"] = measure("semgrep", argv, corpus, opts.semgrep_runs, env=semgrep_env(), warmup=False)

    if features["no_cache"]:
        log("authlint warm (cache filled, nothing changed)")
        clear_cache(corpus)
        fill = run_process(authlint_check(opts), corpus)  # fills the cache
        series["authlint warm"] = measure("authlint warm", authlint_check(opts), corpus, opts.runs, accepts_findings)
        if fill.returncode not in (0, 1):
            series["authlint warm"].error = f"cache fill failed: exit {fill.returncode}"

    staged = hook_files(corpus, series["authlint cold"].last, words)
    log(f"authlint hook on {staged}")
    hook_argv = [*opts.authlint, "check", *no_cache, *staged]
    if staged:
        series["authlint hook"] = measure(
            "authlint hook", hook_argv, corpus, opts.hook_runs, accepts_findings, lambda: clear_cache(corpus), warmup=False
        )

    if features["jobs"]:
        log("authlint --jobs 1 / --jobs 2 (alternating)")
        commands = {f"authlint --jobs {jobs}": authlint_check(opts, *no_cache, "--jobs", str(jobs)) for jobs in (1, 2)}
        series.update(
            measure_alternating(commands, corpus, opts.runs, accepts_findings, lambda: clear_cache(corpus), prime=opts.warmup)
        )
    clear_cache(corpus)

    cold = series["authlint cold"].last
    identical = {}
    if "authlint warm" in series:
        identical["cache vs no cache"] = same_findings(cold, series["authlint warm"].last)
    if features["jobs"]:
        identical["--jobs 1 vs --jobs 2"] = same_findings(series["authlint --jobs 1"].last, series["authlint --jobs 2"].last)
        identical["--jobs 1 vs default"] = same_findings(series["authlint --jobs 1"].last, cold)

    results: dict[str, Any] = {
        "machine": {**machine(opts), "loadavg_1m_start": load_at_start},
        "corpus": corpus_info(corpus, opts.small),
        "features": features,
        "prefilter_words": words,
        "hook_files": staged,
        "series": {name: s.summary() for name, s in series.items()},
        "identical": identical,
        "authlint_findings": len(findings(cold) or []),
        "semgrep": semgrep_summary(series["semgrep"].last) if "semgrep" in series else {},
    }
    results["targets"] = [t.row() for t in targets(results)]
    return results


def machine(opts: Options) -> dict[str, Any]:
    rules = []
    try:
        from authlint.rules import registry

        rules = sorted(registry())
    except Exception as exc:  # noqa: BLE001 - informational only
        rules = [f"unknown: {exc}"]
    return {
        "cores": os.cpu_count(),
        "platform": platform.platform(),
        "python": platform.python_version(),
        "authlint": authlint_version(opts.authlint),
        "authlint_rules": rules,
        "semgrep": tool_version([opts.semgrep, "--version"]) if opts.semgrep else None,
        "rg": tool_version([opts.rg, "--version"]) if opts.rg else None,
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        # other work on the machine skews every timing: the load when the results were taken
        "loadavg_1m_end": round(os.getloadavg()[0], 2),
    }


def corpus_info(corpus: Path, small: bool) -> dict[str, Any]:
    stats = build_corpus.corpus_stats(corpus)
    return {"path": str(corpus), "small": small, "files": stats.files, "mib": round(stats.bytes / 2**20, 1)}


# -- output --------------------------------------------------------------------------------------
def fmt_value(value: Any, unit: str) -> str:
    if value is None:
        return "n/a"
    if isinstance(value, bool):
        return "yes" if value else "NO"
    if unit == "x":
        return f"1/{1 / value:.1f}" if 0 < value < 1 else f"{value:.2f}x"
    return f"{value:.0f} {unit}"


def fmt_limit(value: Any, unit: str, lower: bool) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    sign = "<=" if lower else ">="
    if unit == "x" and value < 1:
        return f"{sign} 1/{1 / value:.0f}"
    return f"{sign} {value:g}{' ' + unit if unit != 'x' else 'x'}"


def table(rows: list[list[str]]) -> str:
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = ["  ".join(cell.ljust(width) for cell, width in zip(row, widths)).rstrip() for row in rows]
    lines.insert(1, "  ".join("-" * width for width in widths))
    return "\n".join(lines)


def render(results: dict[str, Any]) -> str:
    m, c = results["machine"], results["corpus"]
    out = [
        f"machine: {m['cores']} cores, {m['platform']}, Python {m['python']}, "
        f"load {m['loadavg_1m_start']} at start / {m['loadavg_1m_end']} at end (1-min avg), {m['date']}",
        f"tools:   {m['authlint']} ({len(m['authlint_rules'])} rules: {' '.join(m['authlint_rules'])}); "
        f"{m['semgrep'] and 'semgrep ' + m['semgrep'] or 'semgrep: not run'}; {m['rg'] or 'rg: not run'}",
        f"corpus:  {c['path']}: {c['files']} files, {c['mib']} MiB",
        f"flags:   --jobs {'yes' if results['features']['jobs'] else 'n/a'}, "
        f"--no-cache {'yes' if results['features']['no_cache'] else 'n/a'}",
        f"hook files: {' '.join(results['hook_files'])}",
        "",
    ]
    rows = [["command", "runs", "median", "min", "max", "peak RSS"]]
    for name, s in results["series"].items():
        if s["error"]:
            rows.append([name, str(len(s["seconds"])), "ERROR", "", "", ""])
            continue
        times = s["seconds"]
        rows.append([name, str(len(times)), f"{s['median']:.3f} s", f"{min(times):.3f} s", f"{max(times):.3f} s", f"{s['max_rss_mib']:.0f} MiB"])
    out.append(table(rows))
    for name, s in results["series"].items():
        if s["error"]:
            out.append(f"  {name} failed: {s['error']}")
    sg = results["semgrep"]
    out.append("")
    out.append(f"findings: authlint {results['authlint_findings']}"
               + (f", semgrep {sg.get('findings')} on {sg.get('files_scanned')} files ({sg.get('errors')} errors)" if sg else ""))
    for name, same in results["identical"].items():
        out.append(f"  {name}: identical={same['identical']} ({same['count']} findings, {same['differences']} differ)")
    out.append("")
    rows = [["target", "measured", "must", "goal", "status"]]
    for t in results["targets"]:
        rows.append([t["name"], fmt_value(t["value"], t["unit"]), fmt_limit(t["must"], t["unit"], t["lower_is_better"]),
                     fmt_limit(t["goal"], t["unit"], t["lower_is_better"]), t["status"]])
    out.append(table(rows))
    return "\n".join(out) + "\n"


def all_musts_met(results: dict[str, Any]) -> bool:
    return all(t["status"] in ("goal", "must", "pass") for t in results["targets"])


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--small", action="store_true", help="the few-hundred-file local corpus (no network)")
    parser.add_argument("--corpus", type=Path, help="corpus folder (default: benchmarks/corpus/full or /small)")
    parser.add_argument("--runs", type=int, default=5, help="timed runs per command (default 5)")
    parser.add_argument("--semgrep-runs", type=int, help="timed semgrep runs (default: --runs)")
    parser.add_argument("--hook-runs", type=int, default=10, help="timed hook runs (default 10)")
    parser.add_argument("--no-warmup", action="store_true", help="skip the untimed warm-up runs (smoke tests)")
    parser.add_argument("--authlint", help="authlint executable (default: beside this Python, else PATH)")
    parser.add_argument("--semgrep", help="semgrep executable (default: PATH or benchmarks/.venv-semgrep)")
    parser.add_argument("--no-semgrep", action="store_true", help="skip the semgrep row")
    parser.add_argument("--install-semgrep", action="store_true", help="create benchmarks/.venv-semgrep if needed")
    parser.add_argument("--rg", default=shutil.which("rg"), help="ripgrep executable (default: rg on PATH)")
    parser.add_argument("--json", action="store_true", help="print JSON instead of the table")
    parser.add_argument("--json-out", type=Path, help="also write the JSON results to this file")
    parser.add_argument("--strict", action="store_true", help="exit 1 unless every 'must' is met")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    def log(message: str) -> None:
        print(f"[bench] {message}", file=sys.stderr, flush=True)

    corpus = (args.corpus or (build_corpus.DEFAULT_SMALL_DEST if args.small else build_corpus.DEFAULT_DEST)).resolve()
    if args.corpus is None or not corpus.exists():
        build_corpus.build(corpus, args.small)  # idempotent: fetches only what is missing
    semgrep = None if args.no_semgrep else find_semgrep(args.semgrep, args.install_semgrep)
    if semgrep is None and not args.no_semgrep:
        log("semgrep not found (use --semgrep PATH or --install-semgrep): its row is skipped")
    opts = Options(
        corpus=corpus,
        small=args.small,
        runs=args.runs,
        semgrep_runs=args.semgrep_runs or args.runs,
        hook_runs=args.hook_runs,
        warmup=not args.no_warmup,
        authlint=find_authlint(args.authlint),
        semgrep=semgrep,
        rg=args.rg,
    )
    results = run_benchmark(opts, log)
    results["command"] = " ".join(["python", "benchmarks/run.py", *(argv if argv is not None else sys.argv[1:])])
    if args.json_out:
        args.json_out.parent.mkdir(parents=True, exist_ok=True)
        args.json_out.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(results, indent=2) if args.json else render(results))
    return 1 if args.strict and not all_musts_met(results) else 0


if __name__ == "__main__":
    sys.exit(main())
