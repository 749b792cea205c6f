"""NAT009 in any committed text file: a README, a deploy script and notes with seeds whose checksum
holds are reported at the seed, masked in every output and in the cache; a seed-shaped run whose
checksum fails is not; binary files and names never read (images, lock files) stay silent even
when their bytes hold a real seed."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

# a valid checksum (the secret canaries' seed): not the rule docs' example, which SARIF prints whole
USER_SEED = "SUAQPCANARYSEEDWXYZ234567ABCDEFGHIJKLMNOPQRSTUVWXYZ2343BWI"
ACCOUNT_SEED = "SAAASUPRY3ONU4GJR7J5RUVYRUFZXG56F4WEXELLLORQ65AEPSMIFTOJGE"  # nats.go test seed (public)
OPERATOR_SEED = "SOAL7GTNI66CTVVNXBNQMG6V2HTDRWC3HGEP7D2OUTWNWSNYZDXWFOX4SU"
BROKEN_SEED = USER_SEED[:-1] + "A"  # the shape of a seed, a checksum that fails

FILES: dict[str, bytes] = {
    "README.md": (
        f"# Demo\n\nConnect with:\n\n```\nnats sub '>' --nkey {USER_SEED}\n```\n\n"
        f"A seed from the docs, cut: {BROKEN_SEED}\n"
    ).encode(),
    "deploy.sh": f"#!/bin/sh\nset -e\nexport NATS_SEED={ACCOUNT_SEED}\nexec ./server\n".encode(),
    "notes.txt": f"operator {OPERATOR_SEED}\nuser {BROKEN_SEED}\n".encode(),
    "docs/broken.rst": f"Example: ``{BROKEN_SEED}``\n".encode(),
    "assets/logo.png": b"\x89PNG\r\n\x1a\n" + USER_SEED.encode(),
    "bin/tool": b"\x7fELF\x02\x01\x01\x00\x00\x00" + USER_SEED.encode(),
    "yarn.lock": f"# {USER_SEED}\n".encode(),
}
EXPECTED = [
    ("README.md", 6, 21, "user nkey seed SU********** is committed"),
    ("deploy.sh", 3, 18, "account nkey seed SA********** is committed"),
    ("notes.txt", 1, 10, "operator nkey seed SO********** is committed"),
]
SEEDS = (USER_SEED, ACCOUNT_SEED, OPERATOR_SEED)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / ".git").mkdir()
    for relpath, data in FILES.items():
        path = tmp_path / relpath
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    return tmp_path


def authlint(cwd: Path, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "NO_COLOR": "1", "COLUMNS": "200"}
    env.pop("AUTHLINT_DEBUG", None)
    proc = subprocess.run([sys.executable, "-m", "authlint", *args], cwd=cwd, env=env, capture_output=True,
                          text=True, timeout=300)
    assert proc.returncode in (0, 1), proc.stderr[-3000:]
    return proc


def _shown(text: str) -> list[str]:
    """Every seed, or 12 characters of one past its type prefix, that ``text`` holds."""
    return [seed for seed in SEEDS if any(seed[i : i + 12] in text for i in range(2, len(seed) - 11))]


def test_only_checksum_valid_seeds_of_text_files_are_reported(project: Path) -> None:
    proc = authlint(project, "check", ".", "--no-cache", "--select", "NAT009", "--output-format", "json")
    found = [(f["path"], f["line"], f["column"], f["message"]) for f in json.loads(proc.stdout)]
    assert found == EXPECTED


@pytest.mark.parametrize("output_format", ["full", "concise", "json", "sarif", "github"])
def test_no_output_and_no_cache_shows_a_seed(project: Path, output_format: str) -> None:
    for run in ("cold", "warm"):
        proc = authlint(project, "check", ".", "--output-format", output_format)
        assert "NAT009" in proc.stdout, run
        assert not _shown(proc.stdout + proc.stderr), f"{output_format} ({run})"
    cache = project / ".authlint_cache"
    stored = "".join(p.read_bytes().decode("utf-8", "replace") for p in sorted(cache.rglob("*")) if p.is_file())
    assert stored and not _shown(stored)


def test_a_text_file_named_alone_is_checked(project: Path) -> None:
    proc = authlint(project, "check", "deploy.sh", "--no-cache", "--output-format", "json")
    assert [(f["code"], f["line"]) for f in json.loads(proc.stdout)] == [("NAT009", 3)]
    proc = authlint(project, "fix", ".", "--no-cache")
    assert not _shown(proc.stdout + proc.stderr)
