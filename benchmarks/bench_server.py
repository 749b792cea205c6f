"""How long ``authlint server`` takes to re-check an edited file of a project it has loaded.

The resident process is what makes the editor instant: the project is loaded once, then each edit
re-runs the file phase of the edited file and the project phase over the facts kept
(``authlint.server.project``). This measures exactly that, two ways:

- in process: ``ProjectModel.set_buffer`` + ``results`` + the LSP conversion of the edited file's
  findings, i.e. what the server's ``didChange`` handler does before it writes the notification;
- over stdio: a real LSP client (pygls's) sends ``textDocument/didChange`` to ``authlint server``
  and waits for the ``publishDiagnostics`` of that version: what an editor waits for.

Corpus: ``benchmarks/corpus/full`` (``build_corpus.py``), else ``benchmarks/corpus/small``, else a
generated project (``--generate N`` sets its size), or any folder (``--project PATH``). Edited files: those with findings, of every kind
present (Python, JS/TS, NATS configs, nginx, YAML), each edit appending a comment line in the file's
syntax, so the text changes but the findings stay.

    python benchmarks/bench_server.py                 # the corpus, 200 edits in process, 50 over stdio
    python benchmarks/bench_server.py --edits 500 --stdio-edits 0 --json
"""

from __future__ import annotations

import argparse
import asyncio
import json
import shlex
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
COMMENT = {".py": "# edited {n}\n", ".conf": "# edited {n}\n", ".yaml": "# edited {n}\n", ".yml": "# edited {n}\n"}
SLASHES = "// edited {n}\n"  # JS and TS


def comment(relpath: str, n: int) -> str:
    for suffix, line in COMMENT.items():
        if relpath.endswith(suffix):
            return line.format(n=n)
    return SLASHES.format(n=n) if relpath.endswith((".js", ".ts", ".tsx", ".jsx", ".mjs", ".cjs", ".mts", ".cts")) else ""


def generate(root: Path, pairs: int) -> Path:
    """A project of ``pairs`` Socket.IO client/server pairs (SIO007 joins them), JWT modules and
    NATS configs: enough files with findings and cross-file facts to make the project phase work."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "authlint.toml").write_text("", encoding="utf-8")
    for i in range(pairs):
        pkg = root / f"svc{i}"
        pkg.mkdir(exist_ok=True)
        (pkg / "server.py").write_text(
            "import socketio\nsio = socketio.Server(ping_timeout=20000)\n\n@sio.event\n"
            "def connect(sid, environ, auth):\n    if not auth or not valid(auth.get('jwt')):\n        return False\n",
            encoding="utf-8")
        (pkg / "client.py").write_text(
            "import socketio\nc = socketio.Client()\nc.connect('http://localhost:5000', auth={'token': t})\n",
            encoding="utf-8")
        (pkg / "tokens.py").write_text(
            'import jwt\n\ndef mint(user, key):\n    return jwt.encode({"sub": user}, key, algorithm="HS256")\n',
            encoding="utf-8")
        (pkg / "client.ts").write_text(
            'import { io } from "socket.io-client";\nconst token = localStorage.getItem("token");\n'
            'export const socket = io("https://api.example.com", { query: { token } });\n', encoding="utf-8")
        (pkg / "nats-server.conf").write_text(
            "port: 4222\nping_interval: 2\nauthorization {\n  user: app\n  password: changeme\n}\n", encoding="utf-8")
    return root


def corpus(args: argparse.Namespace) -> Path:
    if args.project:
        return Path(args.project).resolve()
    for name in ("full", "small"):
        path = HERE / "corpus" / name
        if path.is_dir() and not args.generate:
            return path
    return generate(Path(tempfile.mkdtemp(prefix="authlint-bench-server-")) / "project", args.generate or 200)


def percentiles(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)
    pick = lambda q: ordered[min(len(ordered) - 1, int(q * len(ordered)))]  # noqa: E731
    return {"n": len(ordered), "p50_ms": round(pick(0.5) * 1000, 2), "p95_ms": round(pick(0.95) * 1000, 2),
            "max_ms": round(ordered[-1] * 1000, 2), "mean_ms": round(statistics.fmean(ordered) * 1000, 2)}


def pick_files(project, limit: int) -> list[str]:
    """Files with findings, round-robin over their suffixes (every kind gets edited)."""
    by_suffix: dict[str, list[str]] = {}
    for relpath in sorted(project.results()):
        if comment(relpath, 0) and relpath in project.contexts():
            by_suffix.setdefault(Path(relpath).suffix, []).append(relpath)
    chosen: list[str] = []
    while len(chosen) < limit and any(by_suffix.values()):
        for files in by_suffix.values():
            if files:
                chosen.append(files.pop(0))
    return chosen[:limit]


def in_process(root: Path, edits: int) -> tuple[dict, dict, list[str]]:
    from authlint.server.convert import to_lsp
    from authlint.server.project import ProjectModel, settle

    started = time.perf_counter()
    project = ProjectModel(root)
    project.reload()
    results = project.results()
    settle()  # as the server does after a load
    load = {"seconds": round(time.perf_counter() - started, 2), "files": len(project.entries),
            "with_findings": len(results), "members": sum(1 for e in project.entries.values() if e.member)}
    files = pick_files(project, 40)
    if not files:
        raise SystemExit("no editable file with findings in the corpus")
    samples: list[float] = []
    by_suffix: dict[str, list[float]] = {}
    texts = {relpath: project.contexts()[relpath].source.text for relpath in files}
    for n in range(edits):
        relpath = files[n % len(files)]
        text = texts[relpath]
        path = Path(project.settings.root) / relpath
        begin = time.perf_counter()
        project.set_buffer(path, text + comment(relpath, n))
        found = project.results().get(relpath, [])
        [to_lsp(diag, project.settings.root) for diag in found]
        samples.append(time.perf_counter() - begin)
        by_suffix.setdefault(Path(relpath).suffix, []).append(samples[-1])
    local = percentiles(samples)
    local["by_suffix"] = {suffix: percentiles(times) for suffix, times in sorted(by_suffix.items())}
    return load, local, files


async def over_stdio(root: Path, files: list[str], edits: int) -> dict:
    from lsprotocol import types
    from pygls.lsp.client import LanguageClient
    from pygls.uris import from_fs_path

    client = LanguageClient("authlint-bench", "1")
    arrived: dict[tuple[str, int], asyncio.Future] = {}
    loop = asyncio.get_running_loop()

    @client.feature(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    def published(params: types.PublishDiagnosticsParams) -> None:
        waiter = arrived.get((params.uri, params.version or 0))
        if waiter is not None and not waiter.done():
            waiter.set_result(time.perf_counter())

    # the server's stderr goes nowhere: pygls's client pipes it and never reads it, which a chatty
    # run would fill
    command = f"exec {shlex.quote(sys.executable)} -m authlint server 2>/dev/null"
    await client.start_io("sh", "-c", command, cwd=str(root))
    uri = from_fs_path(str(root)) or ""
    await client.initialize_async(types.InitializeParams(
        capabilities=types.ClientCapabilities(), root_uri=uri,
        workspace_folders=[types.WorkspaceFolder(uri=uri, name=root.name)]))
    client.initialized(types.InitializedParams())
    texts: dict[str, str] = {}
    versions: dict[str, int] = {}
    for relpath in files:
        doc = from_fs_path(str(root / relpath)) or ""
        texts[doc] = (root / relpath).read_text(encoding="utf-8", errors="replace")
        versions[doc] = 1
        arrived[(doc, 1)] = loop.create_future()
        client.text_document_did_open(types.DidOpenTextDocumentParams(text_document=types.TextDocumentItem(
            uri=doc, language_id="", version=1, text=texts[doc])))
        await asyncio.wait_for(arrived[(doc, 1)], 600)  # the first waits for the project's load
    samples: list[float] = []
    for n in range(edits):
        doc = from_fs_path(str(root / files[n % len(files)])) or ""
        versions[doc] += 1
        waiter = arrived[(doc, versions[doc])] = loop.create_future()
        begin = time.perf_counter()
        client.text_document_did_change(types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=doc, version=versions[doc]),
            content_changes=[types.TextDocumentContentChangeWholeDocument(
                text=texts[doc] + comment(files[n % len(files)], n))]))
        samples.append(await asyncio.wait_for(waiter, 60) - begin)
    await client.shutdown_async(None)
    client.exit(None)
    await client.stop()
    return percentiles(samples)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--edits", type=int, default=200, help="re-checks timed in process")
    parser.add_argument("--stdio-edits", type=int, default=50, help="didChange round trips timed over stdio (0: skip)")
    parser.add_argument("--generate", type=int, default=0, help="use a generated project of N client/server pairs")
    parser.add_argument("--project", help="measure on this project folder instead of the corpus")
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    args = parser.parse_args(argv)
    root = corpus(args)
    load, local, files = in_process(root, args.edits)
    report = {"corpus": str(root), "load": load, "recheck_in_process": local, "edited_files": len(files)}
    if args.stdio_edits:
        report["recheck_over_stdio"] = asyncio.run(over_stdio(root, files, args.stdio_edits))
    if args.json:
        print(json.dumps(report, indent=2))
    else:
        print(f"corpus {root}: {load['files']} files ({load['members']} with cross-file facts), loaded in {load['seconds']} s")
        for key in ("recheck_in_process", "recheck_over_stdio"):
            if key in report:
                row = report[key]
                print(f"{key:<20} n={row['n']:<4} p50 {row['p50_ms']} ms  p95 {row['p95_ms']} ms  max {row['max_ms']} ms")
                for suffix, part in row.get("by_suffix", {}).items():
                    print(f"  {suffix:<18} n={part['n']:<4} p50 {part['p50_ms']} ms  p95 {part['p95_ms']} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
