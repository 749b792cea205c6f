"""Plain text files (``TEXT``): picked by name, then by a NUL byte, and searched for the seed shape
on their raw bytes only (no lowering), so NAT009 can read any committed text file cheaply."""

from __future__ import annotations

from pathlib import Path

import pytest

from authlint.config.settings import Settings
from authlint.files.kinds import DOTENV, JSON, NATSCONF, NGINX, TEXT, YAML
from authlint.files.prefilter import Prefilter
from authlint.files.textfiles import binary, classify_text, text_name
from authlint.rules.nats.nat009_seed_leak import SeedLeak
from authlint.run.context import FileContext
from authlint.run.engine import Linter

SEED = "SUAMK2FG4MI6UE3ACF3FK3OIQBCEIEZV7NSWFFEW63UXMRLFM2XLAXK4GY"


@pytest.mark.parametrize(
    "name",
    ["README.md", "deploy.sh", "notes.txt", "Makefile", "LICENSE", "main.tf", "pyproject.toml", "setup.cfg",
     "app.properties", "index.rst", "server.key", "Dockerfile.md", "run"],
)
def test_text_names(name: str) -> None:
    assert text_name(name)


@pytest.mark.parametrize(
    "name",
    ["logo.png", "photo.JPG", "bundle.tar.gz", "app.jar", "lib.so", "mod.pyc", "font.woff2", "app.js.map",
     "django.po", "django.mo", "yarn.lock", "Cargo.lock", "go.sum", "app.min.js", "site.min.css", "style.css",
     "doc.pdf", "data.sqlite3", ".DS_Store", "countries.shp", "icon.svg"],
)
def test_names_never_read(name: str) -> None:
    assert not text_name(name)


def test_a_nul_byte_near_the_start_is_a_binary() -> None:
    assert binary(b"\x7fELF\x02\x01\x01\x00" + SEED.encode())
    assert not binary(b"# README\n" + SEED.encode())
    assert not binary(b"x" * 9000 + b"\x00")  # git's window: the first 8000 bytes


def test_other_kinds_keep_their_files() -> None:
    assert classify_text("nats-server.conf", b"port: 4222\n") == NATSCONF
    assert classify_text("values.yaml", b"a: 1\n") == YAML
    assert classify_text(".env", b"A=1\n") == DOTENV
    assert classify_text("context.json", b"{}") == JSON
    assert classify_text("nginx.conf", b"events {}\nhttp { server { listen 80; } }\n") == NGINX
    assert classify_text("apache.conf", b"<VirtualHost *:80>\n</VirtualHost>\n") == TEXT
    assert classify_text("README.md", b"# hello\n") == TEXT
    assert classify_text("blob", b"\x00\x01" + SEED.encode()) is None
    assert classify_text("logo.png", SEED.encode()) is None


def test_text_is_searched_by_the_raw_pattern_alone() -> None:
    prefilter = Prefilter([SeedLeak()])
    assert not prefilter.needs_lower(TEXT)  # no lowered copy of every README
    assert prefilter.wants(TEXT, f"seed: {SEED}\n".encode())
    assert not prefilter.wants(TEXT, f"seed: {SEED.lower()}\n".encode())
    assert not prefilter.wants(TEXT, b"Success: see the docs\n")


def _linter(root: Path, **options) -> Linter:
    return Linter(Settings(root=root, **{"select": ("NAT009",), **options}))


def test_the_walk_skips_binary_names_and_load_skips_binary_bytes(tmp_path: Path) -> None:
    linter = _linter(tmp_path)
    assert linter.wants_name("README.md") and linter.wants_name("deploy.sh") and linter.wants_name("tool")
    assert not linter.wants_name("logo.png") and not linter.wants_name("yarn.lock")
    (tmp_path / "tool").write_bytes(b"\x7fELF\x02\x01\x01\x00\x00" + SEED.encode())
    assert linter.load(tmp_path / "tool", "tool") is None
    (tmp_path / "README.md").write_text(f"seed: {SEED}\n", encoding="utf-8")
    loaded = linter.load(tmp_path / "README.md", "README.md")
    assert isinstance(loaded, FileContext) and loaded.kind == TEXT
    (tmp_path / "notes.txt").write_text("nothing shaped like a seed here\n", encoding="utf-8")
    assert linter.load(tmp_path / "notes.txt", "notes.txt") is None


def test_text_is_not_read_when_no_rule_wants_it(tmp_path: Path) -> None:
    linter = Linter(Settings(root=tmp_path, select=("NAT001",)))
    assert not linter.wants_name("README.md")
    (tmp_path / "README.md").write_text(f"seed: {SEED}\n", encoding="utf-8")
    assert linter.load(tmp_path / "README.md", "README.md") is None


def test_large_and_undecodable_text_files_are_left_alone(tmp_path: Path) -> None:
    linter = _linter(tmp_path, max_file_size=1024)
    assert linter.over_size_cap("big.log", 2048)  # walked: counted as skipped, never read
    assert not linter.over_size_cap("big.png", 2048)  # not a file the walk keeps at all
    assert not _linter(tmp_path, max_file_size=1024, select=("NAT001",)).over_size_cap("big.log", 2048)
    (tmp_path / "latin.txt").write_bytes(b"caf\xe9 \xff\xfe " + SEED.encode())
    # not UTF-8: no E001 for a file read only on the chance of a seed
    assert linter.load(tmp_path / "latin.txt", "latin.txt") is None
