"""Python extractor speed: parse vs. fact extraction over a tree of .py files (default: the
installed python-socketio, python-engineio, PyJWT and aiohttp packages) and one large generated
file made of examples/python/server.py repeated.

    python benchmarks/python_extract.py [DIR ...]
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from authlint.files.source import Source
from authlint.run.context import FileContext
from authlint.syntax.errors import ParseError

ROOT = Path(__file__).resolve().parent.parent


def measure(texts: list[tuple[str, str]]) -> tuple[float, float, int, int, int]:
    parse = extract = 0.0
    facts = lines = size = 0
    for relpath, text in texts:
        ctx = FileContext(Source.from_text(text, relpath, "python"))
        start = time.perf_counter()
        try:
            _ = ctx.tree  # parse now: a ParseError surfaces here
        except ParseError:
            continue
        middle = time.perf_counter()
        facts += len(ctx.facts.items)
        extract += time.perf_counter() - middle
        parse += middle - start
        lines += text.count("\n")
        size += len(text.encode("utf-8", "surrogatepass"))
    return parse, extract, facts, lines, size


def report(label: str, texts: list[tuple[str, str]]) -> None:
    parse, extract, facts, lines, size = measure(texts)
    mb = size / 1e6
    print(f"{label}: {len(texts)} files, {lines} lines, {mb:.1f} MB: parse {parse:.2f}s ({mb / parse:.1f} MB/s), "
          f"extract {extract:.2f}s ({lines / extract:,.0f} lines/s, {mb / extract:.1f} MB/s), "
          f"together {mb / (parse + extract):.1f} MB/s, {facts} facts")


def main(argv: list[str]) -> None:
    if argv:
        roots = [Path(arg) for arg in argv]
    else:
        import aiohttp
        import engineio
        import jwt
        import socketio

        roots = [Path(m.__file__).parent for m in (socketio, engineio, jwt, aiohttp)]
    files = [path for root in roots for path in sorted(root.rglob("*.py"))]
    report("tree", [(str(p), p.read_text(encoding="utf-8", errors="replace")) for p in files])
    server = (ROOT / "examples" / "python" / "server.py").read_text()
    head, _, body = server.partition("app = Flask(__name__)")
    big = head + "app = Flask(__name__)" + "".join(
        body.replace("def login", f"def login{i}").replace("def current_user", f"def current_user{i}")
        .replace("def on_connect", f"def on_connect{i}") for i in range(200)
    )
    report("big file", [("big.py", big)])


if __name__ == "__main__":
    main(sys.argv[1:])
