"""Build the benchmark corpus from pinned registry packages (full) or from local files (--small).

The full corpus is what a large mixed repository looks like to authlint: Django's sdist (a big
Python project with its tests), the Python Socket.IO/JWT/CORS/NATS libraries, a set of npm packages
with socket.io, express, JWT and front-end token-storage code, and the NATS configs of the shared
corpus. Every package is pinned, so figures from two runs on two machines compare.

The small corpus (a few hundred files) needs no network: it copies installed Python packages from
this interpreter's site-packages, npm's own JavaScript (npm ships with node) and some NATS configs.
The CI smoke test builds it.

Layout (each corpus is its own project root, so the repository's .gitignore does not hide it):
``<dest>/authlint.toml`` (root marker, empty config), ``<dest>/.semgrepignore`` (same excludes as
authlint), ``<dest>/python/<dist>-<version>/``, ``<dest>/node/<name>@<version>/``, ``<dest>/nats/``.
The build is idempotent: a package whose folder exists is skipped.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
DEFAULT_DEST = HERE / "corpus" / "full"
DEFAULT_SMALL_DEST = HERE / "corpus" / "small"
SHARED_NATS = HERE.parent.parent / "shared" / "corpus" / "nats"

PYPI_PINS: tuple[str, ...] = (
    "django==5.2.19",
    "python-socketio==5.18.1",
    "python-engineio==4.15.1",
    "flask-socketio==5.7.0",
    "flask-cors==6.0.5",
    "pyjwt==2.15.1",
    "starlette==1.10.0",
    "nats-py==2.16.0",
)
NPM_PINS: tuple[str, ...] = (
    "socket.io@4.8.4",
    "socket.io-client@4.8.4",
    "engine.io@6.6.12",
    "engine.io-client@6.6.8",
    "express@5.3.0",
    "cors@2.8.6",
    "jsonwebtoken@9.0.3",
    "nats@2.29.3",
    "oidc-client-ts@3.5.0",
    "keycloak-js@26.2.4",
    "ra-core@5.15.4",
    "@auth0/auth0-spa-js@2.28.3",
)
# Installed Python packages (import names) copied by --small, and how many files each may give.
SMALL_PY_MODULES: tuple[str, ...] = ("socketio", "engineio", "jwt", "nats", "aiohttp")
SMALL_PER_PACKAGE = 40
SMALL_NATS_FILES = 80
SMALL_JS_FILES = 80

# The same excludes authlint applies by default, so semgrep scans the files authlint scans
# (semgrep's own defaults would also drop every tests/ folder, a quarter of Django).
SEMGREPIGNORE = """\
# Written by benchmarks/build_corpus.py: authlint's default excludes, nothing else.
.git/
.authlint_cache/
node_modules/
__pycache__/
site-packages/
build/
dist/
.venv/
venv/
*.min.js
"""
ROOT_MARKER = "# Marks this folder as the project root for authlint (benchmark corpus); no settings.\n"


@dataclass
class Stats:
    files: int = 0
    bytes: int = 0
    by_suffix: dict[str, int] | None = None


def log(message: str) -> None:
    print(f"[corpus] {message}", file=sys.stderr, flush=True)


def write_markers(dest: Path) -> None:
    """The root marker and .semgrepignore that make the corpus a self-contained project."""
    dest.mkdir(parents=True, exist_ok=True)
    (dest / "authlint.toml").write_text(ROOT_MARKER, encoding="utf-8")
    (dest / ".semgrepignore").write_text(SEMGREPIGNORE, encoding="utf-8")


# -- unpacking ---------------------------------------------------------------------------------
def _safe_members(archive: tarfile.TarFile, strip: int) -> list[tarfile.TarInfo]:
    """Regular files and folders only, leading components stripped, never escaping the target."""
    members = []
    for member in archive.getmembers():
        if not (member.isfile() or member.isdir()):
            continue
        parts = Path(member.name).parts[strip:]
        if not parts or any(part in ("..", "") for part in parts) or Path(member.name).is_absolute():
            continue
        member.name = str(Path(*parts))
        members.append(member)
    return members


def unpack(archive_path: Path, target: Path) -> None:
    """Unpack an sdist/npm tarball (dropping its top folder) or a wheel into ``target``."""
    tmp = target.with_name(target.name + ".partial")
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    if archive_path.suffix == ".whl" or archive_path.suffix == ".zip":
        with zipfile.ZipFile(archive_path) as archive:
            for info in archive.infolist():
                if not info.is_dir() and ".." not in Path(info.filename).parts:
                    archive.extract(info, tmp)
    else:
        with tarfile.open(archive_path) as archive:
            members = _safe_members(archive, strip=1)
            if hasattr(tarfile, "data_filter"):  # refuses links and odd modes where supported
                archive.extractall(tmp, members=members, filter="data")
            else:  # pragma: no cover - Python < 3.11.4
                archive.extractall(tmp, members=members)
    tmp.rename(target)


# -- registry packages -------------------------------------------------------------------------
def pypi_target(dest: Path, pin: str) -> Path:
    name, version = pin.split("==")
    return dest / "python" / f"{name}-{version}"


def npm_target(dest: Path, pin: str) -> Path:
    return dest / "node" / pin.replace("/", "__")


def fetch_pypi(pin: str, target: Path, workdir: Path) -> None:
    """``pip download`` the sdist (a repository's view: tests included), else the wheel."""
    base = [sys.executable, "-m", "pip", "download", "-q", "--no-deps", "-d", str(workdir), pin]
    done = subprocess.run([*base, "--no-binary", ":all:"], capture_output=True, text=True)
    if done.returncode != 0:
        log(f"{pin}: no usable sdist ({done.stderr.strip().splitlines()[-1:]}), taking the wheel")
        subprocess.run([*base, "--only-binary", ":all:"], check=True, capture_output=True, text=True)
    files = sorted(p for p in workdir.iterdir() if p.suffix in (".gz", ".whl", ".zip", ".bz2"))
    if not files:
        raise RuntimeError(f"pip download {pin} produced no archive")
    unpack(files[0], target)


def fetch_npm(pin: str, target: Path, workdir: Path) -> None:
    """``npm pack`` the pinned tarball (no install scripts run, no node_modules folder)."""
    done = subprocess.run(
        ["npm", "pack", "--silent", "--pack-destination", str(workdir), pin],
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        raise RuntimeError(f"npm pack {pin} failed: {done.stderr.strip()[-400:]}")
    tarballs = list(workdir.glob("*.tgz"))
    if not tarballs:
        raise RuntimeError(f"npm pack {pin} produced no tarball")
    unpack(tarballs[0], target)


def fetch_all(dest: Path) -> None:
    jobs = [(pin, pypi_target(dest, pin), fetch_pypi) for pin in PYPI_PINS]
    jobs += [(pin, npm_target(dest, pin), fetch_npm) for pin in NPM_PINS]
    for pin, target, fetch in jobs:
        if target.exists():
            continue
        log(f"fetching {pin}")
        target.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(prefix="authlint-corpus-") as work:
            fetch(pin, target, Path(work))


# -- local files (small corpus, and the NATS configs of both) ----------------------------------
def copy_tree(source: Path, target: Path, suffixes: tuple[str, ...] | None, limit: int | None) -> int:
    """Copy up to ``limit`` files (sorted, so the choice is stable) with the given suffixes."""
    if target.exists():
        return 0
    skip_parts = {"node_modules", "__pycache__", ".git"}
    chosen = []
    for path in sorted(source.rglob("*")):
        rel = path.relative_to(source)
        if not path.is_file() or skip_parts.intersection(rel.parts):
            continue
        if suffixes is None or path.name.endswith(suffixes):
            chosen.append(rel)
        if limit is not None and len(chosen) >= limit:
            break
    for rel in chosen:
        out = target / rel
        out.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source / rel, out)
    return len(chosen)


def copy_nats(dest: Path, limit: int | None) -> None:
    if SHARED_NATS.is_dir():
        copy_tree(SHARED_NATS, dest / "nats", None, limit)
    else:
        log(f"no shared NATS corpus at {SHARED_NATS}: the corpus has no NATS configs")


def module_dir(name: str) -> Path | None:
    spec = importlib.util.find_spec(name)
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(list(spec.submodule_search_locations)[0])


def npm_js_dir() -> Path | None:
    """npm's own package folder (npm ships with node, so no download is needed)."""
    npm = shutil.which("npm")
    if npm is None:
        return None
    real = Path(os.path.realpath(npm))
    for parent in real.parents:
        if (parent / "package.json").is_file() and parent.name == "npm":
            return parent
    return None


def build_small(dest: Path) -> None:
    for name in SMALL_PY_MODULES:
        folder = module_dir(name)
        if folder is None:
            log(f"--small: python package {name!r} is not installed here, skipped")
            continue
        copy_tree(folder, dest / "python" / name, (".py",), SMALL_PER_PACKAGE)
    npm = npm_js_dir()
    if npm is not None and (npm / "lib").is_dir():
        copy_tree(npm / "lib", dest / "node" / "npm-lib", (".js",), SMALL_JS_FILES)
    else:
        log("--small: npm not found, the small corpus has no JavaScript")
    copy_nats(dest, SMALL_NATS_FILES)


# -- summary -----------------------------------------------------------------------------------
def corpus_stats(dest: Path) -> Stats:
    stats = Stats(by_suffix={})
    for root, dirs, files in os.walk(dest):
        dirs[:] = [d for d in dirs if d not in (".authlint_cache", ".git")]
        for name in files:
            path = Path(root, name)
            stats.files += 1
            stats.bytes += path.stat().st_size
            suffix = path.suffix.lower() or "(none)"
            stats.by_suffix[suffix] = stats.by_suffix.get(suffix, 0) + 1  # type: ignore[index]
    return stats


def describe(dest: Path) -> str:
    stats = corpus_stats(dest)
    top = sorted(stats.by_suffix.items(), key=lambda kv: -kv[1])[:8]  # type: ignore[union-attr]
    kinds = ", ".join(f"{suffix} {count}" for suffix, count in top)
    return f"{dest}: {stats.files} files, {stats.bytes / 2**20:.1f} MiB ({kinds})"


def build(dest: Path, small: bool) -> Path:
    """Build (or complete) the corpus at ``dest`` and return it."""
    write_markers(dest)
    if small:
        build_small(dest)
    else:
        fetch_all(dest)
        copy_nats(dest, None)
    return dest


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--small", action="store_true", help="a few hundred local files, no network")
    parser.add_argument("--dest", type=Path, help="where to build (default: benchmarks/corpus/full or /small)")
    args = parser.parse_args(argv)
    dest = args.dest or (DEFAULT_SMALL_DEST if args.small else DEFAULT_DEST)
    build(dest.resolve(), args.small)
    print(describe(dest.resolve()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
